/* Guest test: pthread_cancel of a thread blocked in a system call.
 *
 * The cancellation signal interrupts read() and nanosleep(); the thread then unwinds through
 * the signal frame (libgcc reads the frame with the vDSO's unwind tables, as on a PowerPC
 * Linux kernel), runs its cleanup handlers, innermost first, and ends with PTHREAD_CANCELED. */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int pipe_fds[2];
static pthread_barrier_t started;

static void cleanup(void *what)
{
    printf("  cleanup: %s\n", (const char *)what);
}

static void *blocked_in_read(void *arg)
{
    (void)arg;
    char c;
    pthread_cleanup_push(cleanup, "outer");
    pthread_cleanup_push(cleanup, "read");
    pthread_barrier_wait(&started);
    ssize_t n = read(pipe_fds[0], &c, 1);
    printf("  read returned %zd\n", n);
    pthread_cleanup_pop(0);
    pthread_cleanup_pop(0);
    return NULL;
}

static void *blocked_in_nanosleep(void *arg)
{
    (void)arg;
    struct timespec ts = { 60, 0 };
    pthread_cleanup_push(cleanup, "nanosleep");
    pthread_barrier_wait(&started);
    nanosleep(&ts, NULL);
    printf("  nanosleep returned\n");
    pthread_cleanup_pop(0);
    return NULL;
}

static void cancel_one(const char *name, void *(*fn)(void *))
{
    pthread_t t;
    void *res;
    printf("%s:\n", name);
    fflush(stdout);
    pthread_barrier_init(&started, NULL, 2);
    pthread_create(&t, NULL, fn, NULL);
    pthread_barrier_wait(&started);
    usleep(50000);   /* let it block in the call */
    pthread_cancel(t);
    pthread_join(t, &res);
    printf("  joined: %s\n", res == PTHREAD_CANCELED ? "canceled" : "returned");
    fflush(stdout);
    pthread_barrier_destroy(&started);
}

int main(void)
{
    if (pipe(pipe_fds) < 0)
        return 1;
    cancel_one("read", blocked_in_read);
    cancel_one("nanosleep", blocked_in_nanosleep);
    return 0;
}
