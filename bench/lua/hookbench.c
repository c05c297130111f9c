/* Guest program for bench/lua-hooks.sh: integer work in small functions (many short blocks),
 * a global stored now and then (the write-hook target), and a function never called (the
 * exec-hook target). */
#include <stdio.h>

volatile unsigned progress;

__attribute__((noinline)) unsigned never_called(unsigned x)
{
    return x * 7;
}

__attribute__((noinline)) static unsigned mix(unsigned x, unsigned i)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x + i;
}

int main(int argc, char **argv)
{
    unsigned x = 2463534242u;
    for (unsigned i = 0; i < 20000000u; i++) {
        x = mix(x, i);
        if ((i & 0xffff) == 0)
            progress = i;
    }
    printf("%u\n", argc > 5 ? never_called(x) : x);
    (void)argv;
    return 0;
}
