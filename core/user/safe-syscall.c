/* Blocking host system calls that cannot lose a guest signal.
 *
 * The race: emu checks for guest signals when the CPU stops, then makes the host call; a
 * signal whose host handler runs between that check and the moment the call blocks in the
 * kernel is queued, but the call then sleeps until something else wakes it.  The fix, as
 * QEMU's safe_syscall: the call is made by a few instructions of our own that load the
 * thread's "signal arrived" flag and, when it is clear, execute the system call instruction.
 * The host handler sets the flag first, then looks at the interrupted program counter: when
 * it is inside [window_start, window_end), after the flag was loaded but before the kernel
 * was entered, the handler moves it to the `interrupted` exit, which returns -EINTR as if
 * the kernel had been interrupted.  A signal before the load is seen by the load; one once
 * the call is in the kernel interrupts it (EINTR, our handlers have no SA_RESTART); one after
 * it returned leaves the result alone.  -EINTR then takes the usual way: restart or EINTR
 * depending on SA_RESTART and the call, after the handler ran.
 *
 * The window is written for x86-64 and AArch64 hosts; elsewhere the call is made with
 * syscall() after the check, and the window stays open. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>
#include <unistd.h>
#include "user.h"

#if defined(__x86_64__) || defined(__aarch64__)
#define HAVE_WINDOW 1
/* flag, nr, then the six arguments; returns the kernel's result (-errno on failure). */
long emu_safe_syscall_base(const atomic_int *flag, long nr, long a1, long a2, long a3, long a4,
                           long a5, long a6);
extern const char emu_safe_syscall_window_start[], emu_safe_syscall_window_end[],
    emu_safe_syscall_interrupted[];
#endif

#if defined(__x86_64__)
__asm__(
    ".text\n"
    ".globl emu_safe_syscall_base\n"
    ".hidden emu_safe_syscall_base\n"
    ".type emu_safe_syscall_base, @function\n"
    "emu_safe_syscall_base:\n"
    "    .cfi_startproc\n"
    "    push %rbp\n"
    "    .cfi_adjust_cfa_offset 8\n"
    "    .cfi_rel_offset %rbp, 0\n"
    "    mov %rdi, %rbp\n"                  /* the flag, kept in a callee-saved register */
    "    mov %rsi, %rax\n"                  /* the number */
    "    mov %rdx, %rdi\n"
    "    mov %rcx, %rsi\n"
    "    mov %r8, %rdx\n"
    "    mov %r9, %r10\n"
    "    mov 16(%rsp), %r8\n"               /* a5 and a6 were passed on the stack */
    "    mov 24(%rsp), %r9\n"
    ".globl emu_safe_syscall_window_start\n"
    ".hidden emu_safe_syscall_window_start\n"
    "emu_safe_syscall_window_start:\n"
    "    cmpl $0, (%rbp)\n"
    "    jnz emu_safe_syscall_interrupted\n"
    "    syscall\n"
    ".globl emu_safe_syscall_window_end\n"
    ".hidden emu_safe_syscall_window_end\n"
    "emu_safe_syscall_window_end:\n"
    "    pop %rbp\n"
    "    .cfi_remember_state\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_restore %rbp\n"
    "    ret\n"
    "    .cfi_restore_state\n"
    ".globl emu_safe_syscall_interrupted\n"
    ".hidden emu_safe_syscall_interrupted\n"
    "emu_safe_syscall_interrupted:\n"
    "    mov $-4, %rax\n"                   /* -EINTR */
    "    pop %rbp\n"
    "    .cfi_adjust_cfa_offset -8\n"
    "    .cfi_restore %rbp\n"
    "    ret\n"
    "    .cfi_endproc\n"
    ".size emu_safe_syscall_base, .-emu_safe_syscall_base\n");

static uintptr_t *context_pc(void *uc)
{
    return (uintptr_t *)&((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
}
#elif defined(__aarch64__)
__asm__(
    ".text\n"
    ".globl emu_safe_syscall_base\n"
    ".hidden emu_safe_syscall_base\n"
    ".type emu_safe_syscall_base, %function\n"
    "emu_safe_syscall_base:\n"
    "    .cfi_startproc\n"
    "    mov x9, x0\n"                      /* the flag */
    "    mov x8, x1\n"                      /* the number */
    "    mov x0, x2\n"
    "    mov x1, x3\n"
    "    mov x2, x4\n"
    "    mov x3, x5\n"
    "    mov x4, x6\n"
    "    mov x5, x7\n"
    ".globl emu_safe_syscall_window_start\n"
    ".hidden emu_safe_syscall_window_start\n"
    "emu_safe_syscall_window_start:\n"
    "    ldr w10, [x9]\n"
    "    cbnz w10, emu_safe_syscall_interrupted\n"
    "    svc #0\n"
    ".globl emu_safe_syscall_window_end\n"
    ".hidden emu_safe_syscall_window_end\n"
    "emu_safe_syscall_window_end:\n"
    "    ret\n"
    ".globl emu_safe_syscall_interrupted\n"
    ".hidden emu_safe_syscall_interrupted\n"
    "emu_safe_syscall_interrupted:\n"
    "    mov x0, #-4\n"                     /* -EINTR */
    "    ret\n"
    "    .cfi_endproc\n"
    ".size emu_safe_syscall_base, .-emu_safe_syscall_base\n");

static uintptr_t *context_pc(void *uc)
{
    return (uintptr_t *)&((ucontext_t *)uc)->uc_mcontext.pc;
}
#endif

int64_t emu_user_safe_syscall(emu_linux_task *t, long nr, long a1, long a2, long a3, long a4,
                              long a5, long a6)
{
    /* From here on, a signal's handler sets the flag; one that came before is pending. */
    atomic_store(&t->signal_flag, 0);
    if (emu_user_signal_pending(t))
        return -EINTR;
#ifdef HAVE_WINDOW
    return emu_safe_syscall_base(&t->signal_flag, nr, a1, a2, a3, a4, a5, a6);
#else
    long r = syscall(nr, a1, a2, a3, a4, a5, a6);
    return r < 0 ? -errno : r;
#endif
}

void emu_user_safe_syscall_rewind(void *uc)
{
#ifdef HAVE_WINDOW
    uintptr_t *pc = context_pc(uc);
    if (*pc >= (uintptr_t)emu_safe_syscall_window_start && *pc < (uintptr_t)emu_safe_syscall_window_end)
        *pc = (uintptr_t)emu_safe_syscall_interrupted;
#else
    (void)uc;
#endif
}
