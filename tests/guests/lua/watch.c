/* Guest program for the Lua tests: stores known values to a global, reads another, makes a
 * few system calls, and spins long enough for sampling.  Output depends on `secret`, so a
 * read hook that replaces it shows. */
#include <stdio.h>
#include <unistd.h>

volatile int counter;
volatile int secret = 5;

/* A call chain for stack sampling: main -> outer -> inner. */
__attribute__((noinline)) static unsigned inner(unsigned x)
{
    for (int i = 0; i < 2000; i++)
        x = x * 1103515245u + 12345u;
    return x;
}

__attribute__((noinline)) static unsigned outer(unsigned x)
{
    for (int i = 0; i < 50; i++)
        x ^= inner(x + (unsigned)i);
    return x;
}

int main(void)
{
    for (int i = 1; i <= 5; i++)
        counter = i * 10;
    printf("secret=%d\n", secret);
    printf("pid=%s\n", getpid() > 0 ? "ok" : "bad");
    printf("spin=%u\n", outer(1));
    return 0;
}
