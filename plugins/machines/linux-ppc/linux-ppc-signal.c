/* PowerPC 32-bit signal frames as arch/powerpc/kernel/signal_32.c lays them out.
 *
 * rt (SA_SIGINFO): struct rt_sigframe { siginfo (128); ucontext (1184); abigap (224) } at
 *   (sp - 1536) & ~15, the handler's stack pointer 64 + 16 bytes below it with the old r1 as
 *   back chain; r3 = signal, r4 = &info, r5 = &uc, r6 = frame.
 * classic: struct sigframe { sigcontext (32); mcontext (992); abigap (224) }, the handler's
 *   stack pointer 64 bytes below; r3 = signal, r4 = &sigcontext.
 * ucontext: uc_flags 0, uc_link 4, uc_stack 8 (sp, flags, size), uc_regs 48 (-> uc_mcontext),
 *   uc_sigmask 52, uc_mcontext 192.  mcontext: 48 gregs (r0-r31, nip, msr, orig_r3, ctr, lr,
 *   xer, ccr, mq, trap, dar, dsisr, result), 33 doubles (f0-f31, fpscr), pad, vector registers.
 * The return address (LR) is __kernel_sigtramp_rt32 or __kernel_sigtramp32 of the vDSO
 * (linux-ppc-vdso.c), whose unwind tables read the registers through uc_regs or
 * sigcontext.regs, the pointers libgcc's own fallback (linux-unwind.h) also follows. */
#include <string.h>
#include "linux-ppc.h"

#define SIGNAL_FRAMESIZE 64
#define RT_FRAME_SIZE 1536
#define UC_OFFSET 128
#define UC_MCONTEXT 192
#define MCONTEXT_SIZE 992
#define SIGCONTEXT_SIZE 32
#define FRAME_SIZE (SIGCONTEXT_SIZE + MCONTEXT_SIZE + 224)
#define PT_NIP 32
#define PT_MSR 33
#define PT_ORIG_R3 34
#define PT_CTR 35
#define PT_LNK 36
#define PT_XER 37
#define PT_CCR 38
#define PT_TRAP 40
#define FPREGS 192
#define MSR_LE 1u

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t rd64(const uint8_t *p)
{
    return (uint64_t)rd32(p) << 32 | rd32(p + 4);
}

static uint32_t reg(emu_cpu *cpu, int i)
{
    return (uint32_t)emu_cpu_reg_read(cpu, (unsigned)i);
}

/* mcontext contents from the CPU. */
static void save_mcontext(emu_cpu *cpu, uint8_t *mc)
{
    memset(mc, 0, MCONTEXT_SIZE);
    for (int i = 0; i < 32; i++)
        be32(mc + 4 * i, reg(cpu, ppc_reg.gpr[i]));
    be32(mc + 4 * PT_NIP, (uint32_t)emu_cpu_pc(cpu));
    be32(mc + 4 * PT_MSR, reg(cpu, ppc_reg.msr));
    be32(mc + 4 * PT_ORIG_R3, reg(cpu, ppc_reg.gpr[3]));
    be32(mc + 4 * PT_CTR, reg(cpu, ppc_reg.ctr));
    be32(mc + 4 * PT_LNK, reg(cpu, ppc_reg.lr));
    be32(mc + 4 * PT_XER, reg(cpu, ppc_reg.xer));
    be32(mc + 4 * PT_CCR, reg(cpu, ppc_reg.cr));
    for (int i = 0; i < 32; i++) {
        uint64_t f = emu_cpu_reg_read(cpu, (unsigned)ppc_reg.fpr[i]);
        be32(mc + FPREGS + 8 * i, (uint32_t)(f >> 32));
        be32(mc + FPREGS + 8 * i + 4, (uint32_t)f);
    }
    /* fpscr is the low word of the 33rd double */
    be32(mc + FPREGS + 8 * 32 + 4, reg(cpu, ppc_reg.fpscr));
}

/* Restore everything but the MSR (the kernel keeps it). */
static void restore_mcontext(emu_cpu *cpu, const uint8_t *mc)
{
    for (int i = 0; i < 32; i++)
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[i], rd32(mc + 4 * i));
    emu_cpu_set_pc(cpu, rd32(mc + 4 * PT_NIP));
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.ctr, rd32(mc + 4 * PT_CTR));
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.lr, rd32(mc + 4 * PT_LNK));
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.xer, rd32(mc + 4 * PT_XER));
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.cr, rd32(mc + 4 * PT_CCR));
    for (int i = 0; i < 32; i++)
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.fpr[i], rd64(mc + FPREGS + 8 * i));
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.fpscr, rd32(mc + FPREGS + 8 * 32 + 4));
}

/* Point the CPU at the handler with a new stack frame at newsp. */
static int enter_handler(emu_linux_task *t, const emu_linux_sigframe_info *info, uint32_t newsp,
                         uint32_t r4, uint32_t r5, uint32_t r6, uint64_t tramp)
{
    emu_cpu *cpu = emu_linux_task_cpu(t);
    uint8_t chain[4];
    be32(chain, reg(cpu, ppc_reg.gpr[1]));
    if (emu_linux_write(t, newsp, chain, 4) < 0)
        return -1;
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[1], newsp);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[3], (uint32_t)info->sig);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[4], r4);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[5], r5);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[6], r6);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.lr, tramp);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.msr, reg(cpu, ppc_reg.msr) & ~MSR_LE);
    /* the kernel starts handlers with all floating-point exceptions off (sigreturn restores) */
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.fpscr, 0);
    emu_cpu_set_pc(cpu, info->handler);
    return 0;
}

int ppc_signal_frame(emu_linux_task *t, const emu_linux_sigframe_info *info)
{
    emu_cpu *cpu = emu_linux_task_cpu(t);
    uint64_t top = info->frame_top & 0xffffffffu;
    if (info->flags & 4 /* SA_SIGINFO */) {
        uint8_t frame[RT_FRAME_SIZE];
        if (top < RT_FRAME_SIZE + SIGNAL_FRAMESIZE + 16)
            return -1;
        uint32_t rt_sf = (uint32_t)((top - RT_FRAME_SIZE) & ~15ull);
        memset(frame, 0, sizeof frame);
        memcpy(frame, info->siginfo, info->siginfo_size < UC_OFFSET ? info->siginfo_size : UC_OFFSET);
        uint8_t *uc = frame + UC_OFFSET;
        be32(uc + 8, (uint32_t)info->ss_sp);
        be32(uc + 12, (uint32_t)info->ss_flags);
        be32(uc + 16, (uint32_t)info->ss_size);
        be32(uc + 48, rt_sf + UC_OFFSET + UC_MCONTEXT);
        be32(uc + 52, (uint32_t)info->old_mask);
        be32(uc + 56, (uint32_t)(info->old_mask >> 32));
        save_mcontext(cpu, uc + UC_MCONTEXT);
        if (emu_linux_write(t, rt_sf, frame, sizeof frame) < 0)
            return -1;
        uint32_t newsp = rt_sf - (SIGNAL_FRAMESIZE + 16);
        return enter_handler(t, info, newsp, rt_sf, rt_sf + UC_OFFSET, rt_sf, info->sigreturn_tramp);
    }
    uint8_t frame[FRAME_SIZE];
    if (top < FRAME_SIZE + SIGNAL_FRAMESIZE)
        return -1;
    uint32_t sc = (uint32_t)((top - FRAME_SIZE) & ~15ull);
    memset(frame, 0, sizeof frame);
    be32(frame + 12, (uint32_t)(info->old_mask >> 32));
    be32(frame + 16, (uint32_t)info->sig);
    be32(frame + 20, (uint32_t)info->handler);
    be32(frame + 24, (uint32_t)info->old_mask);
    be32(frame + 28, sc + SIGCONTEXT_SIZE);
    save_mcontext(cpu, frame + SIGCONTEXT_SIZE);
    if (emu_linux_write(t, sc, frame, sizeof frame) < 0)
        return -1;
    return enter_handler(t, info, sc - SIGNAL_FRAMESIZE, sc, 0, 0, info->sigreturn_tramp_old);
}

int ppc_sigreturn(emu_linux_task *t, bool rt, emu_linux_sigreturn_info *out)
{
    emu_cpu *cpu = emu_linux_task_cpu(t);
    uint32_t sp = reg(cpu, ppc_reg.gpr[1]);
    uint8_t mc[MCONTEXT_SIZE];
    if (rt) {
        uint32_t uc = sp + SIGNAL_FRAMESIZE + 16 + UC_OFFSET;
        uint8_t head[UC_MCONTEXT];
        if (emu_linux_read(t, uc, head, sizeof head) < 0)
            return -1;
        /* The kernel follows uc_regs (setcontext may point it elsewhere). */
        if (emu_linux_read(t, rd32(head + 48), mc, sizeof mc) < 0)
            return -1;
        out->mask = rd32(head + 52) | (uint64_t)rd32(head + 56) << 32;
        out->has_stack = true;
        out->ss_sp = rd32(head + 8);
        out->ss_flags = (int)rd32(head + 12);
        out->ss_size = rd32(head + 16);
    } else {
        uint8_t sc[SIGCONTEXT_SIZE];
        if (emu_linux_read(t, sp + SIGNAL_FRAMESIZE, sc, sizeof sc) < 0)
            return -1;
        if (emu_linux_read(t, rd32(sc + 28), mc, sizeof mc) < 0)
            return -1;
        out->mask = rd32(sc + 24) | (uint64_t)rd32(sc + 12) << 32;
        out->has_stack = false;
    }
    restore_mcontext(cpu, mc);
    return 0;
}
