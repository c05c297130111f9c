/* Guest test: clocks, gettimeofday/time agreement, nanosleep and clock_nanosleep durations,
 * interval timers delivering SIGALRM, times(). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;
static void on_alarm(int sig) { (void)sig; ticks++; }

static double now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
    double m0 = now(CLOCK_MONOTONIC);
    struct timespec req = { 0, 50 * 1000 * 1000 };
    printf("nanosleep=%d\n", nanosleep(&req, NULL));
    double slept = now(CLOCK_MONOTONIC) - m0;
    printf("slept at least 50 ms: %d, less than 2 s: %d\n", slept >= 0.05, slept < 2);
    struct timespec res;
    int r = clock_getres(CLOCK_MONOTONIC, &res);
    printf("clock_getres=%d nonzero=%d\n", r, res.tv_nsec > 0 || res.tv_sec > 0);
    struct timeval tv;
    gettimeofday(&tv, NULL);
    time_t t = time(NULL);
    /* time() may read a coarser clock, up to a tick behind */
    printf("time and gettimeofday agree: %d\n", t - tv.tv_sec <= 1 && tv.tv_sec - t <= 1);
    double rt = now(CLOCK_REALTIME);
    printf("realtime after 2020: %d\n", rt > 1577836800.0);
    struct timespec abs;
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 20 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    printf("clock_nanosleep absolute=%d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL));
    double m1 = now(CLOCK_MONOTONIC);
    printf("reached the deadline: %d\n", m1 >= abs.tv_sec + abs.tv_nsec / 1e9 - 1e-4);

    signal(SIGALRM, on_alarm);
    struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
    printf("setitimer=%d\n", setitimer(ITIMER_REAL, &it, NULL));
    while (ticks < 3)
        pause();
    struct itimerval cur;
    getitimer(ITIMER_REAL, &cur);
    printf("three ticks; interval kept: %ld us\n", (long)cur.it_interval.tv_usec);
    memset(&it, 0, sizeof it);
    setitimer(ITIMER_REAL, &it, NULL);

    volatile double x = 0;
    for (int i = 0; i < 3000000; i++)
        x += i;
    struct tms tm;
    clock_t c = times(&tm);
    printf("times: ticks counted=%d user time counted=%d\n", c != (clock_t)-1, tm.tms_utime + tm.tms_stime >= 0);
    struct timespec cpu;
    printf("process CPU clock=%d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu));
    req.tv_nsec = -1;
    printf("nanosleep bad value: %s\n", nanosleep(&req, NULL) < 0 ? strerror(errno) : "slept");
    return 0;
}
