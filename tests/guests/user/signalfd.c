/* Guest test: signalfd and signalfd4 (blocked signals read as struct signalfd_siginfo with
 * the sender's pid and uid and a sigqueue value, non-blocking reads, changing the mask of an
 * existing descriptor, readv, dup, poll), and the sizemask and flags checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static int handler_fd = -1;

/* Runs for SIGUSR1 with SIGUSR2 blocked by sa_mask while SIGUSR2 is pending too: the
   descriptor sees it. */
static void on_usr1(int sig)
{
    (void)sig;
    struct signalfd_siginfo si;
    ssize_t n = read(handler_fd, &si, sizeof si);
    printf("in the SIGUSR1 handler: %zd bytes, signo %u\n", n, n > 0 ? si.ssi_signo : 0);
}

static void show(const char *what, int fd)
{
    struct signalfd_siginfo si;
    memset(&si, 0, sizeof si);
    ssize_t n = read(fd, &si, sizeof si);
    if (n < 0) {
        printf("%s: read failed: %s\n", what, strerrorname_np(errno));
        return;
    }
    printf("%s: %zd bytes, signo %u code %d own pid %d own uid %d int %d ptr %llu\n", what, n,
           si.ssi_signo, si.ssi_code, si.ssi_pid == (uint32_t)getpid(), si.ssi_uid == getuid(),
           si.ssi_int, (unsigned long long)si.ssi_ptr);
}

int main(void)
{
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGUSR2);
    sigaddset(&mask, SIGRTMIN + 3);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    int fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("signalfd ok: %d nonblock %d cloexec %d\n", fd >= 0, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    show("nothing pending", fd);

    kill(getpid(), SIGUSR1);
    show("after kill", fd);

    union sigval v = { .sival_int = 0x1234 };
    sigqueue(getpid(), SIGRTMIN + 3, v);
    struct pollfd pfd = { fd, POLLIN, 0 };
    int ready = poll(&pfd, 1, 1000);
    printf("poll: %d revents %#x\n", ready, pfd.revents);
    show("after sigqueue", fd);

    /* Two records in one call, through readv with one buffer each. */
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    struct signalfd_siginfo two[2];
    struct iovec iov[2] = { { &two[0], sizeof two[0] }, { &two[1], sizeof two[1] } };
    ssize_t n = readv(fd, iov, 2);
    printf("readv: %zd bytes, signals %u %u\n", n, two[0].ssi_signo, two[1].ssi_signo);

    /* A new mask for the same descriptor: SIGUSR1 is no longer read. */
    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, SIGUSR2);
    printf("new mask: same fd %d\n", signalfd(fd, &only2, 0) == fd);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    int dupfd = dup(fd);
    show("through dup", dupfd);
    show("again", fd);
    sigset_t pend;
    sigpending(&pend);
    printf("SIGUSR1 still pending: %d\n", sigismember(&pend, SIGUSR1));
    close(dupfd);

    /* A blocking descriptor made by the raw signalfd4 and signalfd calls. */
    uint64_t raw = 1ull << (SIGUSR1 - 1);
    uint32_t guest_set[2] = { (uint32_t)raw, (uint32_t)(raw >> 32) };
    int fd4 = syscall(SYS_signalfd4, -1, guest_set, 8, 0);
    show("blocking signalfd4, pending SIGUSR1", fd4);
    int fd3 = syscall(SYS_signalfd, -1, guest_set, 8);
    printf("signalfd: %d\n", fd3 >= 0);
    long r = syscall(SYS_signalfd4, -1, guest_set, 4, 0);
    printf("bad size: %ld %s\n", r, strerrorname_np(errno));
    r = syscall(SYS_signalfd4, -1, guest_set, 8, 1);
    printf("bad flags: %ld %s\n", r, strerrorname_np(errno));
    r = signalfd(0, &mask, 0);
    printf("not a signalfd: %ld %s\n", r, strerrorname_np(errno));
    char small[16];
    kill(getpid(), SIGUSR1);
    r = read(fd4, small, sizeof small);
    printf("short read: %ld %s\n", r, strerrorname_np(errno));
    show("then", fd4);

    /* Two signals unblocked at once: the first one's handler blocks the second, which then
       waits for the descriptor. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGUSR1, &sa, NULL);
    handler_fd = signalfd(-1, &only2, SFD_NONBLOCK);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    sigset_t both;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &both, NULL);
    printf("after unblocking: SIGUSR2 handled by default would have ended the program\n");
    return 0;
}
