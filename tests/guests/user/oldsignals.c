/* Guest test: the old signal calls PowerPC keeps beside the rt_ ones, made directly: signal
 * (one-shot, not blocking itself), sigaction with struct old_sigaction, sigprocmask and
 * sigpending on one word of mask (the upper signals keep their state), the one-argument
 * sigsuspend, sgetmask and ssetmask (which replaces the whole mask). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct old_sigaction_ppc {
    unsigned long handler, mask, flags, restorer;
};

#define BIT(sig) (1ul << ((sig) - 1))

static volatile int calls;
static volatile unsigned long mask_in_handler;

static void handler(int sig)
{
    (void)sig;
    calls++;
    mask_in_handler = syscall(SYS_sgetmask);
}

/* The 64-bit mask as rt_sigprocmask sees it. */
static unsigned long long rt_mask(void)
{
    uint32_t set[2];
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, set, 8);
    return (unsigned long long)set[1] << 32 | set[0];
}

int main(void)
{
    /* signal(): the old handler comes back, the handler runs once with its own signal
       unblocked, then the disposition is the default again. */
    long old = syscall(SYS_signal, SIGUSR1, handler);
    printf("signal: old handler %ld\n", old);
    raise(SIGUSR1);
    printf("calls %d, SIGUSR1 blocked in handler %d\n", calls, (mask_in_handler & BIT(SIGUSR1)) != 0);
    old = syscall(SYS_signal, SIGUSR1, SIG_IGN);
    printf("after one shot: default %d\n", old == (long)SIG_DFL);
    raise(SIGUSR1);
    printf("ignored: calls %d\n", calls);
    long r = syscall(SYS_signal, SIGKILL, handler);
    printf("signal(SIGKILL): %ld %s\n", r, strerrorname_np(errno));

    /* old sigaction: the mask word and flags are kept and read back. */
    struct old_sigaction_ppc act = { (unsigned long)handler, BIT(SIGUSR2), 0, 0 }, back;
    memset(&back, 0xff, sizeof back);
    r = syscall(SYS_sigaction, SIGUSR1, &act, NULL);
    printf("sigaction: %ld\n", r);
    r = syscall(SYS_sigaction, SIGUSR1, NULL, &back);
    printf("read back: %ld handler same %d mask %#lx flags %#lx\n", r, back.handler == act.handler,
           back.mask, back.flags);
    calls = 0;
    raise(SIGUSR1);
    printf("calls %d, blocked in handler: SIGUSR1 %d SIGUSR2 %d\n", calls,
           (mask_in_handler & BIT(SIGUSR1)) != 0, (mask_in_handler & BIT(SIGUSR2)) != 0);
    r = syscall(SYS_sigaction, 0, &act, NULL);
    printf("sigaction(0): %ld %s\n", r, strerrorname_np(errno));
    r = syscall(SYS_sigaction, SIGSTOP, &act, NULL);
    printf("sigaction(SIGSTOP): %ld %s\n", r, strerrorname_np(errno));

    /* sigprocmask on the first word leaves a blocked real-time signal blocked. */
    uint32_t rt[2] = { 0, BIT(SIGRTMIN + 2 - 32) };
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, rt, NULL, 8);
    unsigned long set = BIT(SIGUSR1) | BIT(SIGKILL), prev = 0;
    r = syscall(SYS_sigprocmask, SIG_BLOCK, &set, &prev);
    printf("sigprocmask block: %ld previous %#lx now %#llx\n", r, prev, rt_mask());
    raise(SIGUSR1);
    unsigned long pend = 0;
    syscall(SYS_sigpending, &pend);
    printf("pending %#lx, calls %d\n", pend, calls);
    set = 0;
    r = syscall(SYS_sigprocmask, SIG_SETMASK, &set, &prev);
    printf("setmask 0: %ld previous %#lx now %#llx calls %d\n", r, prev, rt_mask(), calls);
    r = syscall(SYS_sigprocmask, 7, &set, NULL);
    printf("bad how: %ld %s\n", r, strerrorname_np(errno));

    /* sigsuspend takes the mask itself and restores the old one afterwards. */
    set = BIT(SIGUSR1);
    syscall(SYS_sigprocmask, SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    r = syscall(SYS_sigsuspend, BIT(SIGUSR2));
    printf("sigsuspend: %ld %s calls %d, in handler %#lx, after %#lx\n", r, strerrorname_np(errno), calls,
           mask_in_handler, (unsigned long)syscall(SYS_sgetmask));

    /* ssetmask replaces the whole mask, the real-time word too. */
    r = syscall(SYS_ssetmask, BIT(SIGUSR2) | BIT(SIGSTOP));
    printf("ssetmask: old %#lx, sgetmask %#lx, rt mask %#llx\n", r, (unsigned long)syscall(SYS_sgetmask),
           rt_mask());
    return 0;
}
