/* Guest test: the floating-point exception mode.  A process starts with enabled FP exceptions
 * ignored (MSR[FE0,FE1] = 0): setting FPSCR[ZE] alone does not trap; prctl(PR_SET_FPEXC)
 * chooses the mode (PR_GET_FPEXC reads it back) and then an enabled zero divide raises SIGFPE
 * with FPE_FLTDIV; glibc's feenableexcept does both (its fenv code uses the ISA 3.0 mffs forms,
 * which earlier processors execute as mffs). */
#define _GNU_SOURCE
#include <errno.h>
#include <fenv.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

static sigjmp_buf back;
static volatile int fpe_code;

static void on_fpe(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    fpe_code = si->si_code;
    siglongjmp(back, 1);
}

static volatile double sink;

static void divide(double a, double b)
{
    volatile double x = a, y = b;
    sink = x / y;
}

static unsigned get_mode(void)
{
    unsigned mode = 99;
    if (prctl(PR_GET_FPEXC, &mode) != 0)
        return 100;
    return mode;
}

static const char *try_divide(void)
{
    fpe_code = 0;
    if (sigsetjmp(back, 1) == 0) {
        divide(1.0, 0.0);
        return "no trap";
    }
    return fpe_code == FPE_FLTDIV ? "SIGFPE FPE_FLTDIV" : "SIGFPE, another code";
}

static const char *set_mode(unsigned mode)
{
    errno = 0;
    return prctl(PR_SET_FPEXC, mode) == 0 ? "ok" : strerror(errno);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fpe;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGFPE, &sa, NULL);

    printf("mode at start: %u\n", get_mode());
    __asm__ volatile("mtfsb1 27");                      /* FPSCR[ZE] */
    printf("ZE set in mode 0: %s\n", try_divide());
    printf("zero divide flagged: %d\n", fetestexcept(FE_DIVBYZERO) != 0);
    __asm__ volatile("mtfsb0 27");
    feclearexcept(FE_ALL_EXCEPT);

    printf("set mode 0x80 (SPE software mode): %s\n", set_mode(0x80));
    printf("set mode 4: %s\n", set_mode(4));
    printf("set precise mode: %s\n", set_mode(PR_FP_EXC_PRECISE));
    printf("mode now: %u\n", get_mode());
    printf("ZE clear in precise mode: %s\n", try_divide());
    feclearexcept(FE_ALL_EXCEPT);
    __asm__ volatile("mtfsb1 27");
    printf("ZE set in precise mode: %s\n", try_divide());
    /* the handler ran with FPSCR 0, as the kernel gives it, and siglongjmp kept that */
    printf("ZE after leaving the handler: %d\n", (fegetexcept() & FE_DIVBYZERO) != 0);
    printf("set mode 0: %s\n", set_mode(PR_FP_EXC_DISABLED));

    feclearexcept(FE_ALL_EXCEPT);
    printf("feenableexcept(FE_DIVBYZERO) returns the old mask: %d\n", feenableexcept(FE_DIVBYZERO));
    printf("mode after feenableexcept: %u\n", get_mode());
    printf("divide: %s\n", try_divide());
    feclearexcept(FE_ALL_EXCEPT);
    fedisableexcept(FE_ALL_EXCEPT);
    printf("after fedisableexcept: %s, enabled %d\n", try_divide(), fegetexcept());
    return 0;
}
