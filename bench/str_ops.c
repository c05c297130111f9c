/* Benchmark: string functions — strlen, memcpy, strcmp, strchr and memset from libc over
 * short and medium buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 400000;
    static char a[256], b[256];
    unsigned long acc = 0;
    for (long i = 0; i < n; i++) {
        size_t len = 16 + (size_t)(i % 200);
        memset(a, 'a' + (int)(i % 26), len);
        a[len] = 0;
        memcpy(b, a, len + 1);
        acc += strlen(b);
        acc += strcmp(a, b) == 0;
        b[len / 2] ^= 1;
        acc += strcmp(a, b) < 0 ? 1 : 2;
        char *p = strchr(b, b[len / 2]);
        acc += p ? (size_t)(p - b) : 0;
    }
    printf("str_ops %lu\n", acc);
    return 0;
}
