/* Guest test: a signal that arrives just as a blocking system call starts is not lost.
 *
 * Each round arms a one-shot timer a few microseconds ahead and makes blocking calls while
 * the handler has not run.  The check of the handler's flag and the system call instruction
 * form a window in the guest too; the handler closes it the way C libraries do for thread
 * cancellation: when the signal comes inside it, the handler moves the interrupted program
 * counter past the call.  Natively every round then ends at once, either before the call or
 * by interrupting it (EINTR).  An emulator that checks for signals and only then enters the
 * host call can lose a signal arriving in between: the call sleeps until a helper process's
 * SIGUSR2 (every 500 ms) wakes it, and the round is counted as lost. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* guarded_syscall(nr, a, b, c, d, flag): make system call nr unless *flag is set; returns
   the result, -errno, or -EINTR when the call was skipped. */
long guarded_syscall(long nr, long a, long b, long c, long d, volatile int *flag);
extern const char guard_start[], guard_end[], guard_skip[];
__asm__(".text\n"
        ".globl guarded_syscall\n"
        ".type guarded_syscall, @function\n"
        "guarded_syscall:\n"
        "    mr 0, 3\n"
        "    mr 3, 4\n"
        "    mr 4, 5\n"
        "    mr 5, 6\n"
        "    mr 6, 7\n"
        ".globl guard_start\n"
        "guard_start:\n"
        "    lwz 9, 0(8)\n"
        "    cmpwi 9, 0\n"
        "    bne guard_skip\n"
        "    sc\n"
        ".globl guard_end\n"
        "guard_end:\n"
        "    bnslr\n"
        "    neg 3, 3\n"
        "    blr\n"
        ".globl guard_skip\n"
        "guard_skip:\n"
        "    li 3, -4\n"
        "    blr\n"
        ".size guarded_syscall, .-guarded_syscall\n");

static volatile int got;

static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    got = 1;
    unsigned long *nip = &((ucontext_t *)ctx)->uc_mcontext.uc_regs->gregs[32];
    if (*nip >= (unsigned long)guard_start && *nip < (unsigned long)guard_end)
        *nip = (unsigned long)guard_skip;
}

static void on_usr2(int sig)
{
    (void)sig;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

enum { READ, FUTEX, SLEEP, WAIT, POLL, SUSPEND, KINDS };
static const char *const names[KINDS] = { "read", "futex", "nanosleep", "wait4", "poll", "rt_sigsuspend" };

static int pipefd[2];
static pid_t helper;
static uint32_t futex_word;

static long block_once(int kind)
{
    static char c;
    static struct timespec long_sleep = { 30, 0 };
    static struct pollfd p;
    static uint32_t no_signals[2];
    switch (kind) {
    case READ:
        return guarded_syscall(SYS_read, pipefd[0], (long)&c, 1, 0, &got);
    case FUTEX:
        return guarded_syscall(SYS_futex, (long)&futex_word, FUTEX_WAIT_PRIVATE, 0, 0, &got);
    case SLEEP:
        return guarded_syscall(SYS_nanosleep, (long)&long_sleep, 0, 0, 0, &got);
    case WAIT:
        return guarded_syscall(SYS_wait4, helper, 0, 0, 0, &got);
    case POLL:
        p.fd = pipefd[0];
        p.events = POLLIN;
        return guarded_syscall(SYS_poll, (long)&p, 1, -1, 0, &got);
    default:
        return guarded_syscall(SYS_rt_sigsuspend, (long)no_signals, 8, 0, 0, &got);
    }
}

/* Signal 32, which glibc keeps for thread cancellation, sent by one thread to another
   blocked in read: the read ends with EINTR once the handler ran.  (Installed with the raw
   rt_sigaction, as glibc's sigaction refuses it; the same window closing as above.) */
static volatile int got32;

static void on_32(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    got32 = 1;
    unsigned long *nip = &((ucontext_t *)ctx)->uc_mcontext.uc_regs->gregs[32];
    if (*nip >= (unsigned long)guard_start && *nip < (unsigned long)guard_end)
        *nip = (unsigned long)guard_skip;
}

static volatile pid_t reader_tid;

static void *blocked_reader(void *arg)
{
    char c;
    long r = 0;
    reader_tid = gettid();
    while (!got32)
        r = guarded_syscall(SYS_read, *(int *)arg, (long)&c, 1, 0, &got32);
    printf("signal 32 from another thread: read ended with EINTR %d\n", r == -EINTR);
    return NULL;
}

static void signal_from_another_thread(void)
{
    struct { unsigned long handler, flags, restorer; uint32_t mask[2]; } ka = {
        (unsigned long)on_32, SA_SIGINFO, 0, { 0, 0 } };
    syscall(SYS_rt_sigaction, 32, &ka, NULL, 8);
    int fds[2];
    pipe(fds);
    pthread_t th;
    pthread_create(&th, NULL, blocked_reader, &fds[0]);
    while (!reader_tid)
        usleep(1000);
    usleep(100000);
    syscall(SYS_tgkill, getpid(), reader_tid, 32);
    pthread_join(th, NULL);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_alarm;     /* no SA_RESTART: the calls return EINTR */
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    sa.sa_handler = on_usr2;
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    pipe(pipefd);

    pid_t parent = getpid();
    helper = fork();
    if (helper == 0) {
        for (;;) {
            usleep(500000);
            kill(parent, SIGUSR2);
        }
    }

    const int rounds = 400;
    for (int kind = 0; kind < KINDS; kind++) {
        int lost = 0, odd = 0;
        for (int i = 0; i < rounds; i++) {
            got = 0;
            int64_t start = now_us();
            struct itimerval it = { { 0, 0 }, { 0, 1 + i % 12 } };
            setitimer(ITIMER_REAL, &it, NULL);
            while (!got) {
                long r = block_once(kind);
                if (r != -EINTR)
                    odd++;
            }
            if (now_us() - start > 300000)
                lost++;
        }
        printf("%s: %d rounds, signals lost %d, other results %d\n", names[kind], rounds, lost, odd);
    }
    kill(helper, SIGKILL);
    waitpid(helper, NULL, 0);
    signal_from_another_thread();
    return 0;
}
