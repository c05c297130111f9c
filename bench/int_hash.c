/* Benchmark: integer arithmetic — a multiply/xor/rotate hash over a counter (ALU bound). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 60000000;
    uint32_t h = 2166136261u, x = 1;
    for (long i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        h ^= x >> 7;
        h *= 16777619u;
        h = (h << 13) | (h >> 19);
        h += (uint32_t)i & 0xff;
    }
    printf("int_hash %u\n", h);
    return 0;
}
