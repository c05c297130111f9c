/* Benchmark: calls — naive recursive Fibonacci and Ackermann (call/return and the stack). */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
__attribute__((noinline)) static unsigned ack(unsigned m, unsigned n)
{
    return m == 0 ? n + 1 : n == 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1));
}

int main(int argc, char **argv)
{
    unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 34;
    printf("call_rec fib=%u ack=%u\n", fib(n), ack(2, n * 30));
    return 0;
}
