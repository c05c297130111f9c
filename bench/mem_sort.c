/* Benchmark: memory — quicksort and a strided checksum over an array of 32-bit integers. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void sort(uint32_t *a, long lo, long hi)
{
    while (lo < hi) {
        uint32_t p = a[(lo + hi) / 2];
        long i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { uint32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { sort(a, lo, j); lo = i; } else { sort(a, i, hi); hi = j; }
    }
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    uint32_t *a = malloc(n * sizeof *a), x = 1;
    for (long i = 0; i < n; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        a[i] = x;
    }
    sort(a, 0, n - 1);
    uint32_t sum = 0;
    for (int pass = 0; pass < 8; pass++)
        for (long i = pass; i < n; i += 8)
            sum = sum * 31 + a[i];
    printf("mem_sort %u sorted=%d\n", sum, a[0] <= a[n / 2] && a[n / 2] <= a[n - 1]);
    free(a);
    return 0;
}
