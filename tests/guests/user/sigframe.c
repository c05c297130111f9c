/* Guest test: the 32-bit PowerPC signal frames are where and what the kernel makes them
 * (arch/powerpc/kernel/signal_32.c): for SA_SIGINFO a struct rt_sigframe (siginfo, then the
 * ucontext 128 bytes on, its uc_regs pointing at uc_mcontext 192 bytes into it) 64 + 16 bytes
 * above the handler's stack pointer; without SA_SIGINFO a struct sigframe (sigcontext, its
 * regs pointing at the mcontext 32 bytes on) 64 bytes above it.  The back chain word at the
 * handler's stack pointer is the interrupted r1, the return address is the vDSO's trampoline
 * (li r0,__NR_rt_sigreturn or __NR_sigreturn, then sc), and the general and floating-point
 * registers of the interrupted code are saved in the mcontext. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <asm/ptrace.h>
#include <asm/sigcontext.h>
#include <unistd.h>

#define MSR_PR 0x4000u

static uint32_t saw_r14, saw_r31, saw_back_chain, saw_r1, saw_msr, saw_tramp[2];
static double saw_f14, saw_f31;
static int saw_layout_ok, saw_in_vdso, saw_mask_ok;

static void check_return_address(const uint32_t *ra)
{
    uintptr_t vdso = (uintptr_t)getauxval(AT_SYSINFO_EHDR);
    saw_in_vdso = vdso && (uintptr_t)ra >= vdso && (uintptr_t)ra < vdso + 0x10000;
    memcpy(saw_tramp, ra, sizeof saw_tramp);
}

static void record(const unsigned long *gregs, const double *fpregs, uint32_t back_chain)
{
    saw_r14 = (uint32_t)gregs[14];
    saw_r31 = (uint32_t)gregs[31];
    saw_r1 = (uint32_t)gregs[PT_R1];
    saw_msr = (uint32_t)gregs[PT_MSR];
    saw_f14 = fpregs[14];
    saw_f31 = fpregs[31];
    saw_back_chain = back_chain;
}

static void info_handler(int sig, siginfo_t *info, void *ucv)
{
    ucontext_t *uc = ucv;
    check_return_address(__builtin_return_address(0));
    saw_layout_ok = (char *)uc - (char *)info == 128
                    && (char *)uc->uc_mcontext.uc_regs == (char *)uc + 192
                    && info->si_signo == sig && uc->uc_link == NULL
                    && uc->uc_stack.ss_flags == SS_DISABLE;
    saw_mask_ok = sigismember(&uc->uc_sigmask, SIGUSR2) && !sigismember(&uc->uc_sigmask, SIGUSR1);
    mcontext_t *mc = uc->uc_mcontext.uc_regs;
    record(mc->gregs, mc->fpregs.fpregs, *(uint32_t *)((char *)info - 64 - 16));
}

/* A handler without SA_SIGINFO gets the sigcontext in r4 on PowerPC. */
static void classic_handler(int sig, struct sigcontext *sc)
{
    check_return_address(__builtin_return_address(0));
    saw_mask_ok = sc->signal == sig && sc->handler == (unsigned long)classic_handler
                    && (sc->oldmask & (1ul << (SIGUSR2 - 1))) && !(sc->oldmask & (1ul << (SIGUSR1 - 1)));
    saw_layout_ok = (char *)sc->regs == (char *)sc + 32;
    const unsigned long *gregs = (const unsigned long *)sc->regs;
    record(gregs, (const double *)(gregs + 48), *(uint32_t *)((char *)sc - 64));
}

/* kill(getpid(), SIGUSR1) with known values in r14, r31, f14 and f31 (callee-saved, so the
   compiler keeps them across the system call) */
static uint32_t raise_with_known_registers(uint32_t *r1_out)
{
    register uint32_t r3 asm("r3") = (uint32_t)getpid();
    register uint32_t r4 asm("r4") = SIGUSR1;
    register uint32_t r14 asm("r14") = 0x1234abcd;
    register uint32_t r31 asm("r31") = 0x0badcafe;
    register double f14 asm("fr14") = 1.25;
    register double f31 asm("fr31") = -3.5;
    uint32_t r1;
    asm volatile("li 0,%7\n\tmr %0,1\n\tsc" : "=&r"(r1), "+r"(r3), "+r"(r4)
                 : "r"(r14), "r"(r31), "f"(f14), "f"(f31), "i"(SYS_kill)
                 : "r0", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "ctr", "xer", "memory");
    *r1_out = r1;
    return r3;
}

static void report(const char *what, uint32_t r1, uint32_t li)
{
    printf("%s:\n", what);
    printf("  frame layout: %s\n", saw_layout_ok ? "kernel's" : "DIFFERENT");
    printf("  saved signal mask%s: %s\n", li == 0x38000077 ? ", signal and handler" : "",
           saw_mask_ok ? "right" : "WRONG");
    printf("  return address in the vDSO: %s\n", saw_in_vdso ? "yes" : "no");
    printf("  trampoline words: %s\n", saw_tramp[0] == li && saw_tramp[1] == 0x44000002 ? "li r0,N; sc" : "OTHER");
    printf("  back chain = saved r1 = interrupted r1: %s\n",
           saw_back_chain == r1 && saw_r1 == r1 ? "yes" : "no");
    printf("  r14 %08x r31 %08x f14 %g f31 %g\n", saw_r14, saw_r31, saw_f14, saw_f31);
    printf("  saved MSR: problem state %s\n", saw_msr & MSR_PR ? "set" : "clear");
}

int main(void)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = info_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    uint32_t r1;
    raise_with_known_registers(&r1);
    report("SA_SIGINFO (struct rt_sigframe)", r1, 0x380000ac);

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = (void (*)(int))(void (*)(void))classic_handler;
    sigaction(SIGUSR1, &sa, NULL);
    raise_with_known_registers(&r1);
    report("sa_handler (struct sigframe)", r1, 0x38000077);
    return 0;
}
