/* Guest test: POSIX threads — create/join with results, a mutex-protected counter, condition
 * variables, thread-local storage, distinct thread ids, pthread_exit and detached threads. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NTHREADS 4
#define ITERS 20000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static int ready;
static __thread int tls_value = 7;
static pid_t tids[NTHREADS];

static void *worker(void *arg)
{
    long id = (long)arg;
    tls_value = (int)id * 100;
    tids[id] = gettid();
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    while (!ready)
        pthread_cond_wait(&cond, &lock);
    pthread_mutex_unlock(&lock);
    return (void *)(long)(tls_value + 1);
}

static void *exiter(void *arg)
{
    (void)arg;
    pthread_exit((void *)99);
}

int main(void)
{
    pthread_t th[NTHREADS];
    for (long i = 0; i < NTHREADS; i++)
        pthread_create(&th[i], NULL, worker, (void *)i);
    usleep(10000);
    pthread_mutex_lock(&lock);
    ready = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    long sum = 0;
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        pthread_join(th[i], &r);
        sum += (long)r;
    }
    printf("counter=%ld (expected %d)\n", counter, NTHREADS * ITERS);
    printf("results sum=%ld\n", sum);
    printf("main tls untouched=%d\n", tls_value);
    int distinct = 1;
    for (int i = 0; i < NTHREADS; i++)
        for (int j = i + 1; j < NTHREADS; j++)
            if (tids[i] == tids[j])
                distinct = 0;
    printf("thread ids distinct=%d and not the pid=%d\n", distinct, tids[0] != getpid());
    pthread_t e;
    void *r;
    pthread_create(&e, NULL, exiter, NULL);
    pthread_join(e, &r);
    printf("pthread_exit value=%ld\n", (long)r);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    printf("detached create=%d\n", pthread_create(&e, &attr, exiter, NULL));
    usleep(10000);
    return 0;
}
