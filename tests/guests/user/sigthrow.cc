// Guest test (C++, built with -fnon-call-exceptions): an exception thrown by a signal handler
// for a fault propagates through the signal frame into the function that faulted and is
// caught in main: SIGSEGV from a load through a null pointer, in a function that has a local
// with a destructor (it runs during the unwinding) and in one that has none, and SIGFPE from
// a floating-point division by zero with that exception enabled (FPSCR[ZE] and precise
// floating-point exceptions for the thread, what feenableexcept(FE_DIVBYZERO) sets).
#include <sys/prctl.h>
#include <csignal>
#include <cstdio>
#include <stdexcept>

struct fault : std::runtime_error {
    int sig;
    explicit fault(int s) : std::runtime_error("fault"), sig(s) {}
};

struct guard {
    const char *name;
    ~guard() { std::printf("  destructor in %s\n", name); }
};

static void thrower(int sig, siginfo_t *, void *)
{
    throw fault(sig);
}

static volatile int *volatile nowhere;
static volatile double zero;
__attribute__((noinline)) static int load()
{
    guard g{"load"};
    return *nowhere;
}

__attribute__((noinline)) static int bare_load()
{
    return *nowhere + 1;
}

__attribute__((noinline)) static double divide()
{
    guard g{"divide"};
    return 1.0 / zero;
}

static void enable_divide_by_zero_trap()
{
    prctl(PR_SET_FPEXC, PR_FP_EXC_PRECISE, 0, 0, 0);
    __asm__ volatile("mtfsb1 27");   // FPSCR[ZE]
}

template <typename F> static void attempt(const char *what, F f)
{
    std::printf("%s:\n", what);
    try {
        f();
        std::printf("  no exception\n");
    } catch (const fault &e) {
        std::printf("  caught in main: %s\n", e.sig == SIGSEGV ? "SIGSEGV" : e.sig == SIGFPE ? "SIGFPE" : "another signal");
    }
}

int main()
{
    struct sigaction sa {};
    sa.sa_sigaction = thrower;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, nullptr);
    attempt("load with a destructor", load);
    attempt("load without one", bare_load);
    attempt("load with a destructor, again", load);
    sigaction(SIGFPE, &sa, nullptr);
    enable_divide_by_zero_trap();
    attempt("division by zero", divide);
    return 0;
}
