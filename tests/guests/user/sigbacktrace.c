/* Guest test: backtrace() (execinfo.h) called in a signal handler walks through the signal
 * frame back to main: for a classic handler (sa_handler: struct sigframe), an SA_SIGINFO
 * handler (struct rt_sigframe), both raised by kill(), and for a fault (SIGSEGV at a load).
 * The trampoline's frame is found through the vDSO's unwind tables and the interrupted frame
 * from the saved registers, so the return address into main must appear in the trace; dladdr
 * names the trampoline by the vDSO's symbols. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *return_into_main;   /* where the interrupted function returns to */
static int found, depth;
static const char *trampoline;
static sigjmp_buf after_fault;
static volatile int *volatile nowhere;

static void walk(void)
{
    void *frames[64];
    depth = backtrace(frames, 64);
    found = 0;
    trampoline = "none";
    for (int i = 0; i < depth; i++) {
        Dl_info di;
        if (frames[i] == return_into_main)
            found = 1;
        if (dladdr(frames[i], &di) && di.dli_sname && !strncmp(di.dli_sname, "__kernel_sigtramp", 17))
            trampoline = di.dli_sname;
    }
}

static void classic_handler(int sig)
{
    (void)sig;
    walk();
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    walk();
}

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    walk();
    siglongjmp(after_fault, 1);
}

__attribute__((noinline)) static void send_signal(int sig)
{
    return_into_main = __builtin_return_address(0);
    kill(getpid(), sig);
    __asm__ volatile("" ::: "memory");   /* not a tail call: this frame stays */
}

__attribute__((noinline)) static int load_from_nowhere(void)
{
    return_into_main = __builtin_return_address(0);
    int v = *nowhere;
    __asm__ volatile("" ::: "memory");
    return v;
}

static void report(const char *what)
{
    printf("%s: main %s (%s frames), through %s\n", what, found ? "reached" : "NOT reached",
           depth >= 4 ? "at least 4" : "fewer than 4", trampoline);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = classic_handler;
    sigaction(SIGUSR1, &sa, NULL);
    send_signal(SIGUSR1);
    report("sa_handler");

    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR2, &sa, NULL);
    send_signal(SIGUSR2);
    report("SA_SIGINFO");

    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(after_fault, 1) == 0)
        load_from_nowhere();
    report("SIGSEGV");
    return 0;
}
