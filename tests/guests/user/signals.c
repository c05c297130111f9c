/* Guest test: signal delivery — SA_SIGINFO handlers with siginfo, masks and pending signals,
 * SA_RESETHAND, SA_NODEFER, sigaltstack with SA_ONSTACK, sigsuspend, alarm, register state kept
 * across a handler, faults (SIGSEGV with si_addr, SIGILL, SIGTRAP) caught and resumed. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static volatile sig_atomic_t count, last_sig, last_code, on_alt;
static volatile void *last_addr;
static char altstack[65536];
static sigjmp_buf jb;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    count++;
    last_sig = sig;
    last_code = si->si_code;
    last_addr = si->si_addr;
    char here;
    on_alt = &here >= altstack && &here < altstack + sizeof altstack;
}

static void jump_handler(int sig, siginfo_t *si, void *uc)
{
    handler(sig, si, uc);
    siglongjmp(jb, 1);
}

/* Returns past the faulting instruction by editing the saved context (PowerPC: the NIP in the
   mcontext that uc_regs points to), which also checks the frame layout and sigreturn. */
static void skip_handler(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    handler(sig, si, ucv);
    uc->uc_mcontext.uc_regs->gregs[32] += 4;
    uc->uc_mcontext.uc_regs->gregs[3] = 1234;   /* r3 as the handler left it */
}

static void plain_handler(int sig)
{
    count++;
    last_sig = sig;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static const char *code_name(int code)
{
    switch (code) {
    case SI_USER: return "SI_USER";
    case SI_TKILL: return "SI_TKILL";
    case SI_QUEUE: return "SI_QUEUE";
    case SI_KERNEL: return "SI_KERNEL";
    default: return "other";
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    install(SIGUSR1, handler, 0);
    raise(SIGUSR1);
    printf("raise: count=%d sig=%d code=%s\n", count, last_sig, code_name(last_code));
    kill(getpid(), SIGUSR1);
    printf("kill: count=%d code=%s\n", count, code_name(last_code));
    union sigval v = { .sival_int = 1234 };
    sigqueue(getpid(), SIGUSR1, v);
    printf("sigqueue: count=%d code=%s\n", count, code_name(last_code));

    sigset_t set, old, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    sigpending(&pend);
    printf("blocked: count=%d pending=%d\n", count, sigismember(&pend, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: count=%d\n", count);

    /* A plain handler, reset after one delivery. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = plain_handler;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    sigaction(SIGUSR2, NULL, &sa);
    printf("SA_RESETHAND: count=%d now default=%d\n", count, sa.sa_handler == SIG_DFL);

    /* The alternate stack. */
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    printf("sigaltstack=%d\n", sigaltstack(&ss, NULL));
    install(SIGUSR1, handler, SA_ONSTACK);
    raise(SIGUSR1);
    printf("SA_ONSTACK handler ran on the alternate stack: %d\n", on_alt);
    stack_t cur;
    sigaltstack(NULL, &cur);
    printf("sigaltstack back: size ok=%d flags=%d\n", cur.ss_size == sizeof altstack, cur.ss_flags);

    /* sigsuspend with alarm. */
    install(SIGALRM, handler, 0);
    sigprocmask(SIG_BLOCK, NULL, &old);
    sigemptyset(&set);
    sigaddset(&set, SIGALRM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    alarm(1);
    sigset_t waitmask;
    sigemptyset(&waitmask);
    int r = sigsuspend(&waitmask);
    printf("sigsuspend=%d errno=%s sig=%d\n", r, strerror(errno), last_sig);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* Registers survive a handler that clobbers them (FP too). */
    volatile double d = 1.5;
    double acc = 0;
    for (int i = 0; i < 1000; i++) {
        acc += d * i;
        if (i == 500)
            raise(SIGUSR1);
    }
    printf("FP sum across a signal: %.1f\n", acc);

    /* Faults. */
    install(SIGSEGV, jump_handler, 0);
    if (sigsetjmp(jb, 1) == 0) {
        volatile int *p = (int *)0x1234;
        *p = 1;
    }
    printf("SIGSEGV addr=%p code=%s\n", (void *)last_addr, last_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
    install(SIGILL, jump_handler, 0);
    if (sigsetjmp(jb, 1) == 0)
        __asm__ volatile(".long 0");
    printf("SIGILL code=%s\n", last_code == ILL_ILLOPC ? "ILL_ILLOPC" : "other");
    install(SIGILL, skip_handler, 0);
    register long r3 __asm__("r3") = 5;
    __asm__ volatile(".long 0" : "+r"(r3));
    printf("resumed after the illegal instruction with r3=%ld\n", r3);
    install(SIGTRAP, jump_handler, 0);
    if (sigsetjmp(jb, 1) == 0)
        __builtin_trap();
    printf("trap gives signal %d\n", last_sig);
    if (sigsetjmp(jb, 1) == 0) {
        void (*fn)(void) = (void (*)(void))0x30000000;
        fn();
    }
    printf("jump to unmapped: signal %d addr=%p\n", last_sig, (void *)last_addr);

    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored signal: still here\n");
    printf("total handler runs=%d\n", count);
    return 0;
}
