/* Guest for tests/lua/test-block-hooks.sh: step() is called a known number of times, first by
 * several threads at once, then by the main thread alone (back to one CPU thread). */
#include <pthread.h>
#include <stdio.h>

#define NTHREADS 4
#define CALLS 2000       /* by each thread */
#define MAIN_CALLS 1000  /* by main once the threads are joined */

__attribute__((noinline, noipa)) unsigned step(unsigned x)
{
    return x * 3 + 1;
}

static void *worker(void *arg)
{
    unsigned sum = 0;
    for (unsigned i = 0; i < CALLS; i++)
        sum += step(i);
    *(unsigned *)arg = sum;
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    unsigned sums[NTHREADS], sum = 0;
    for (int i = 0; i < NTHREADS; i++)
        if (pthread_create(&t[i], NULL, worker, &sums[i]) != 0)
            return 1;
    for (int i = 0; i < NTHREADS; i++) {
        pthread_join(t[i], NULL);
        sum += sums[i];
    }
    for (unsigned i = 0; i < MAIN_CALLS; i++)
        sum += step(i);
    printf("calls=%d sum=%u\n", NTHREADS * CALLS + MAIN_CALLS, sum);
    return 0;
}
