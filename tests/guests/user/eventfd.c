/* Guest test: eventfd counters (plain and semaphore, read/write/readv/writev, dup, the old
 * eventfd call) and timerfds (one-shot and periodic expiry counts, settime/gettime through
 * libc and through the 32-bit-time and time64 system calls, non-blocking reads). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static void show_read(const char *what, int fd)
{
    uint64_t v = 0;
    ssize_t n = read(fd, &v, sizeof v);
    if (n < 0)
        printf("%s: read failed: %s\n", what, strerror(errno));
    else
        printf("%s: read %zd bytes, value %llu\n", what, n, (unsigned long long)v);
}

static void eventfds(void)
{
    int fd = eventfd(3, 0);
    uint64_t add = 5;
    printf("eventfd ok: %d\n", fd >= 0);
    printf("write: %zd\n", write(fd, &add, sizeof add));
    show_read("counter 3+5", fd);

    /* A short buffer is refused. */
    uint32_t small = 1;
    printf("short write: %zd errno EINVAL: %d\n", write(fd, &small, sizeof small), errno == EINVAL);

    /* writev and readv with the counter split across two buffers. */
    uint64_t big = 0x0102030405060708ull, back = 0;
    struct iovec out[2] = { { &big, 3 }, { (char *)&big + 3, 5 } };
    struct iovec in[2] = { { &back, 4 }, { (char *)&back + 4, 4 } };
    printf("writev: %zd\n", writev(fd, out, 2));
    printf("readv: %zd value %llx\n", readv(fd, in, 2), (unsigned long long)back);

    /* The duplicate reads the same counter. */
    add = 7;
    write(fd, &add, sizeof add);
    int dupfd = fcntl(fd, F_DUPFD_CLOEXEC, 10);
    show_read("through F_DUPFD_CLOEXEC", dupfd);
    int dup2fd = dup(fd);
    add = 9;
    write(dup2fd, &add, sizeof add);
    show_read("written through dup", fd);
    close(dupfd);
    close(dup2fd);
    close(fd);

    fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
    printf("nonblock: %d cloexec: %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    show_read("semaphore 1st", fd);
    show_read("semaphore 2nd", fd);
    show_read("semaphore empty", fd);
    close(fd);

#ifdef SYS_eventfd
    fd = (int)syscall(SYS_eventfd, 42);
    show_read("old eventfd call", fd);
    close(fd);
#endif
}

/* The system calls' own itimerspec layouts. */
struct itimerspec32 { int32_t interval_sec, interval_nsec, value_sec, value_nsec; };
struct itimerspec64 { int64_t interval_sec, interval_nsec, value_sec, value_nsec; };

static void timerfds(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    printf("timerfd ok: %d cloexec: %d\n", fd >= 0, (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);

    /* One shot in 20 ms: the blocking read gives exactly one expiry. */
    struct itimerspec its = { { 0, 0 }, { 0, 20 * 1000 * 1000 } }, old;
    printf("settime: %d\n", timerfd_settime(fd, 0, &its, NULL));
    show_read("one shot", fd);

    /* Periodic every 10 ms: after 55 ms at least 4 expiries are counted. */
    its = (struct itimerspec){ { 0, 10 * 1000 * 1000 }, { 0, 10 * 1000 * 1000 } };
    timerfd_settime(fd, 0, &its, NULL);
    struct timespec wait = { 0, 55 * 1000 * 1000 };
    nanosleep(&wait, NULL);
    uint64_t n = 0;
    printf("periodic read: %zd", read(fd, &n, sizeof n));
    printf(" at least 4: %d fewer than 1000: %d\n", n >= 4, n < 1000);

    struct itimerspec cur;
    printf("gettime: %d interval %ld.%09ld value within it: %d\n", timerfd_gettime(fd, &cur),
           (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_nsec,
           cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec <= 10 * 1000 * 1000);
    its = (struct itimerspec){ { 0, 0 }, { 0, 0 } };
    printf("disarm: %d old interval %ld.%09ld\n", timerfd_settime(fd, 0, &its, &old),
           (long)old.it_interval.tv_sec, (long)old.it_interval.tv_nsec);
    close(fd);

    fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    show_read("unarmed nonblocking", fd);

#ifdef SYS_timerfd_settime
    /* The 32-bit time_t calls: 3 s away, 2.5 s interval. */
    struct itimerspec32 s32 = { 2, 500000000, 3, 0 }, g32;
    printf("settime (32-bit): %ld\n", syscall(SYS_timerfd_settime, fd, 0, &s32, NULL));
    printf("gettime (32-bit): %ld", syscall(SYS_timerfd_gettime, fd, &g32));
    printf(" interval %d.%09d value under 3 s: %d\n", (int)g32.interval_sec, (int)g32.interval_nsec,
           g32.value_sec * 1000000000ll + g32.value_nsec <= 3000000000ll && g32.value_sec >= 2);
#endif
#ifdef SYS_timerfd_settime64
    /* The time64 calls: absolute time 1 s ago fires at once; the old value comes back. */
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    struct itimerspec64 s64 = { 0, 0, (int64_t)mono.tv_sec - 1, mono.tv_nsec }, o64;
    printf("settime64 absolute: %ld", syscall(SYS_timerfd_settime64, fd, TFD_TIMER_ABSTIME, &s64, &o64));
    printf(" old interval %lld.%09lld\n", (long long)o64.interval_sec, (long long)o64.interval_nsec);
    show_read("expired at once", fd);
    printf("gettime64: %ld", syscall(SYS_timerfd_gettime64, fd, &o64));
    printf(" disarmed: %d\n", o64.value_sec == 0 && o64.value_nsec == 0 && o64.interval_sec == 0);
#endif
    close(fd);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    eventfds();
    timerfds();
    return 0;
}
