// Guest test (C++, built with -fnon-call-exceptions): an exception thrown by a signal handler
// for a fault propagates through the signal frame into the function that faulted and is
// caught in main: SIGSEGV from a load through a null pointer, in a function that has a local
// with a destructor (it runs during the unwinding) and in one that has none.
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
__attribute__((noinline)) static int load()
{
    guard g{"load"};
    return *nowhere;
}

__attribute__((noinline)) static int bare_load()
{
    return *nowhere + 1;
}

template <typename F> static void attempt(const char *what, F f)
{
    std::printf("%s:\n", what);
    try {
        f();
        std::printf("  no exception\n");
    } catch (const fault &e) {
        std::printf("  caught in main: %s\n", e.sig == SIGSEGV ? "SIGSEGV" : "another signal");
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
    return 0;
}
