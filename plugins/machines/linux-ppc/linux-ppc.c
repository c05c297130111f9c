/* The 32-bit PowerPC Linux ABI for user mode (type "linux-ppc"): system call numbers and
 * registers (r0 = number, r3-r8 = arguments, r3 = result with CR0.SO set and a positive errno
 * on error), the flag values and structure layouts that differ from the generic ones (open and
 * mmap flags, termios and its ioctls, stat/statfs/flock64), start-up registers and auxv.
 * Signal frames are in linux-ppc-signal.c. */
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <termios.h>
#include "emu/linux-abi.h"
#include "emu/plugin.h"
#include "linux-ppc.h"

#include "ppc-syscalls.h"

ppc_regs ppc_reg;

/* socketcall(2) sub-calls (include/uapi/linux/net.h). */
static const uint16_t ppc_socketcalls[] = {
    [1] = EMU_SYS_socket, [2] = EMU_SYS_bind, [3] = EMU_SYS_connect, [4] = EMU_SYS_listen,
    [5] = EMU_SYS_accept, [6] = EMU_SYS_getsockname, [7] = EMU_SYS_getpeername,
    [8] = EMU_SYS_socketpair, [9] = EMU_SYS_send, [10] = EMU_SYS_recv, [11] = EMU_SYS_sendto,
    [12] = EMU_SYS_recvfrom, [13] = EMU_SYS_shutdown, [14] = EMU_SYS_setsockopt,
    [15] = EMU_SYS_getsockopt, [16] = EMU_SYS_sendmsg, [17] = EMU_SYS_recvmsg, [18] = EMU_SYS_accept4,
};

#define BIT1(g, h) { (g), (g), (h), (h) }
#define FIELD(gm, gv, hm, hv) { (gm), (gv), (hm), (hv) }
#define END { 0, 0, 0, 0 }

/* arch/powerpc/include/uapi/asm/fcntl.h; the host's O_LARGEFILE is the
   kernel's generic 0100000 (glibc defines it as 0 on 64-bit hosts). */
static const emu_linux_bits open_flags[] = {
    { 040000, 040000, O_DIRECTORY, O_DIRECTORY },
    { 0100000, 0100000, O_NOFOLLOW, O_NOFOLLOW },
    { 0200000, 0200000, 0100000, 0100000 },
    { 0400000, 0400000, O_DIRECT, O_DIRECT },
    END,
};

/* arch/powerpc/include/uapi/asm/mman.h */
static const emu_linux_bits mmap_flags[] = {
    { 0x40, 0x40, MAP_NORESERVE, MAP_NORESERVE },
    { 0x80, 0x80, MAP_LOCKED, MAP_LOCKED },
    { 0x2000, 0x2000, 0, 0 },
    { 0x4000, 0x4000, 0, 0 },
    END,
};

/* arch/powerpc/include/uapi/asm/termbits.h */
static const emu_linux_bits iflag_bits[] = {
    BIT1(0x0200, IXON), BIT1(0x0400, IXOFF), BIT1(0x0800, IXANY), BIT1(0x1000, IUCLC),
    BIT1(0x2000, IMAXBEL), BIT1(0x4000, IUTF8), END,
};

static const emu_linux_bits oflag_bits[] = {
    BIT1(0x00002, ONLCR), BIT1(0x00004, OLCUC),
    FIELD(0x00300, 0x00000, NLDLY, NL0), FIELD(0x00300, 0x00100, NLDLY, NL1),
    FIELD(0x00c00, 0x00000, TABDLY, TAB0), FIELD(0x00c00, 0x00400, TABDLY, TAB1),
    FIELD(0x00c00, 0x00800, TABDLY, TAB2), FIELD(0x00c00, 0x00c00, TABDLY, TAB3),
    FIELD(0x03000, 0x00000, CRDLY, CR0), FIELD(0x03000, 0x01000, CRDLY, CR1),
    FIELD(0x03000, 0x02000, CRDLY, CR2), FIELD(0x03000, 0x03000, CRDLY, CR3),
    BIT1(0x04000, FFDLY), BIT1(0x08000, BSDLY), BIT1(0x10000, VTDLY), END,
};

#define BAUD(g, h) FIELD(0xff, (g), CBAUD, (h))
static const emu_linux_bits cflag_bits[] = {
    BAUD(0, B0), BAUD(1, B50), BAUD(2, B75), BAUD(3, B110), BAUD(4, B134), BAUD(5, B150),
    BAUD(6, B200), BAUD(7, B300), BAUD(8, B600), BAUD(9, B1200), BAUD(10, B1800), BAUD(11, B2400),
    BAUD(12, B4800), BAUD(13, B9600), BAUD(14, B19200), BAUD(15, B38400), BAUD(0x10, B57600),
    BAUD(0x11, B115200), BAUD(0x12, B230400), BAUD(0x13, B460800), BAUD(0x14, B500000),
    BAUD(0x15, B576000), BAUD(0x16, B921600), BAUD(0x17, B1000000), BAUD(0x18, B1152000),
    BAUD(0x19, B1500000), BAUD(0x1a, B2000000), BAUD(0x1b, B2500000), BAUD(0x1c, B3000000),
    BAUD(0x1d, B3500000), BAUD(0x1e, B4000000),
    FIELD(0x300, 0x000, CSIZE, CS5), FIELD(0x300, 0x100, CSIZE, CS6),
    FIELD(0x300, 0x200, CSIZE, CS7), FIELD(0x300, 0x300, CSIZE, CS8),
    BIT1(0x400, CSTOPB), BIT1(0x800, CREAD), BIT1(0x1000, PARENB), BIT1(0x2000, PARODD),
    BIT1(0x4000, HUPCL), BIT1(0x8000, CLOCAL), FIELD(0xff0000, 0, CIBAUD, 0), END,
};

static const emu_linux_bits lflag_bits[] = {
    BIT1(0x00000080, ISIG), BIT1(0x00000100, ICANON), BIT1(0x00004000, XCASE),
    BIT1(0x00000008, ECHO), BIT1(0x00000002, ECHOE), BIT1(0x00000004, ECHOK),
    BIT1(0x00000010, ECHONL), BIT1(0x80000000, NOFLSH), BIT1(0x00400000, TOSTOP),
    BIT1(0x00000040, ECHOCTL), BIT1(0x00000020, ECHOPRT), BIT1(0x00000001, ECHOKE),
    BIT1(0x00800000, FLUSHO), BIT1(0x20000000, PENDIN), BIT1(0x00000400, IEXTEN),
    BIT1(0x10000000, EXTPROC), END,
};

static const int8_t cc_map[19] = {
    VINTR, VQUIT, VERASE, VKILL, VEOF, VMIN, VEOL, VTIME, VEOL2, VSWTC, VWERASE, VREPRINT,
    VSUSP, VSTART, VSTOP, VLNEXT, VDISCARD, -1, -1,
};

static const emu_linux_termios_abi termios_abi = {
    .size = 44, .iflag = { 0, 4 }, .oflag = { 4, 4 }, .cflag = { 8, 4 }, .lflag = { 12, 4 },
    .line = { 35, 1 }, .ispeed = { 36, 4 }, .ospeed = { 40, 4 }, .cc_offset = 16, .ncc = 19,
    .cc_map = cc_map, .iflag_bits = iflag_bits, .oflag_bits = oflag_bits,
    .cflag_bits = cflag_bits, .lflag_bits = lflag_bits,
};

/* ioctl numbers: 3 direction bits (1 none, 2 read, 4 write) and 13 size bits. */
#define PPC_IO(t, n) (0x20000000u | (uint32_t)(t) << 8 | (n))
#define PPC_IOR(t, n, sz) (0x40000000u | (uint32_t)(sz) << 16 | (uint32_t)(t) << 8 | (n))
#define PPC_IOW(t, n, sz) (0x80000000u | (uint32_t)(sz) << 16 | (uint32_t)(t) << 8 | (n))

static const emu_linux_ioctl_map ioctls[] = {
    { PPC_IOR('t', 19, 44), EMU_IOCTL_TCGETS }, { PPC_IOW('t', 20, 44), EMU_IOCTL_TCSETS },
    { PPC_IOW('t', 21, 44), EMU_IOCTL_TCSETSW }, { PPC_IOW('t', 22, 44), EMU_IOCTL_TCSETSF },
    { PPC_IO('t', 29), EMU_IOCTL_TCSBRK }, { PPC_IO('t', 30), EMU_IOCTL_TCXONC },
    { PPC_IO('t', 31), EMU_IOCTL_TCFLSH }, { PPC_IOW('t', 103, 8), EMU_IOCTL_TIOCSWINSZ },
    { PPC_IOR('t', 104, 8), EMU_IOCTL_TIOCGWINSZ }, { PPC_IOR('t', 115, 4), EMU_IOCTL_TIOCOUTQ },
    { PPC_IOW('t', 118, 4), EMU_IOCTL_TIOCSPGRP }, { PPC_IOR('t', 119, 4), EMU_IOCTL_TIOCGPGRP },
    { 0x540E, EMU_IOCTL_TIOCSCTTY }, { 0x5422, EMU_IOCTL_TIOCNOTTY }, { 0x5429, EMU_IOCTL_TIOCGSID },
    { PPC_IOR('T', 0x30, 4), EMU_IOCTL_TIOCGPTN }, { PPC_IOW('T', 0x31, 4), EMU_IOCTL_TIOCSPTLCK },
    { PPC_IO('f', 1), EMU_IOCTL_FIOCLEX }, { PPC_IO('f', 2), EMU_IOCTL_FIONCLEX },
    { PPC_IOW('f', 125, 4), EMU_IOCTL_FIOASYNC }, { PPC_IOW('f', 126, 4), EMU_IOCTL_FIONBIO },
    { PPC_IOR('f', 127, 4), EMU_IOCTL_FIONREAD },
    { 0, EMU_IOCTL_NONE },
};

/* arch/powerpc/include/uapi/asm/stat.h (32-bit) */
static const emu_linux_stat_layout stat_layout = {
    .size = 72, .dev = { 0, 4 }, .ino = { 4, 4 }, .mode = { 8, 4 }, .nlink = { 12, 2 },
    .uid = { 16, 4 }, .gid = { 20, 4 }, .rdev = { 24, 4 }, .fsize = { 28, 4 }, .blksize = { 32, 4 },
    .blocks = { 36, 4 }, .atime = { 40, 4 }, .atime_nsec = { 44, 4 }, .mtime = { 48, 4 },
    .mtime_nsec = { 52, 4 }, .ctime = { 56, 4 }, .ctime_nsec = { 60, 4 },
};

static const emu_linux_stat_layout stat64_layout = {
    .size = 104, .dev = { 0, 8 }, .ino = { 8, 8 }, .mode = { 16, 4 }, .nlink = { 20, 4 },
    .uid = { 24, 4 }, .gid = { 28, 4 }, .rdev = { 32, 8 }, .fsize = { 48, 8 }, .blksize = { 56, 4 },
    .blocks = { 64, 8 }, .atime = { 72, 4 }, .atime_nsec = { 76, 4 }, .mtime = { 80, 4 },
    .mtime_nsec = { 84, 4 }, .ctime = { 88, 4 }, .ctime_nsec = { 92, 4 },
};

/* include/uapi/asm-generic/statfs.h with 32-bit words */
static const emu_linux_statfs_layout statfs_layout = {
    .size = 64, .type = { 0, 4 }, .bsize = { 4, 4 }, .blocks = { 8, 4 }, .bfree = { 12, 4 },
    .bavail = { 16, 4 }, .files = { 20, 4 }, .ffree = { 24, 4 }, .fsid0 = { 28, 4 },
    .fsid1 = { 32, 4 }, .namelen = { 36, 4 }, .frsize = { 40, 4 }, .flags = { 44, 4 },
};

static const emu_linux_statfs_layout statfs64_layout = {
    .size = 88, .type = { 0, 4 }, .bsize = { 4, 4 }, .blocks = { 8, 8 }, .bfree = { 16, 8 },
    .bavail = { 24, 8 }, .files = { 32, 8 }, .ffree = { 40, 8 }, .fsid0 = { 48, 4 },
    .fsid1 = { 52, 4 }, .namelen = { 56, 4 }, .frsize = { 60, 4 }, .flags = { 64, 4 },
};

static const emu_linux_flock_layout flock64_layout = {
    .size = 32, .type = { 0, 2 }, .whence = { 2, 2 }, .start = { 8, 8 }, .len = { 16, 8 },
    .pid = { 24, 4 },
};

/* ARCH_DLINFO (arch/powerpc/include/asm/elf.h): two AT_IGNOREPPC, then the
   cache block sizes of a 750 (32-byte lines; no unified cache). */
static const emu_linux_auxv extra_auxv[] = {
    { 22, 22 }, { 22, 22 }, { 19, 32 }, { 20, 32 }, { 21, 0 }, { 0, 0 },
};

static const uint16_t machines[] = { 20 /* EM_PPC */, 0 };

/* li r0,__NR_rt_sigreturn (172); sc  and  li r0,__NR_sigreturn (119); sc */
static const uint8_t tramp_rt[] = { 0x38, 0x00, 0x00, 0xac, 0x44, 0x00, 0x00, 0x02 };
static const uint8_t tramp_old[] = { 0x38, 0x00, 0x00, 0x77, 0x44, 0x00, 0x00, 0x02 };

static int find(emu_cpu *cpu, const char *name, emu_error **err)
{
    int i = emu_cpu_reg_find(cpu, name);
    if (i < 0)
        emu_error_set(err, "linux-ppc: the CPU has no register '%s'", name);
    return i;
}

static int ppc_prepare(emu_cpu *cpu, emu_error **err)
{
    char name[8];
    for (int i = 0; i < 32; i++) {
        snprintf(name, sizeof name, "r%d", i);
        if ((ppc_reg.gpr[i] = find(cpu, name, err)) < 0)
            return -1;
        snprintf(name, sizeof name, "f%d", i);
        if ((ppc_reg.fpr[i] = find(cpu, name, err)) < 0)
            return -1;
    }
    if ((ppc_reg.pc = find(cpu, "pc", err)) < 0 || (ppc_reg.msr = find(cpu, "msr", err)) < 0 ||
        (ppc_reg.cr = find(cpu, "cr", err)) < 0 || (ppc_reg.lr = find(cpu, "lr", err)) < 0 ||
        (ppc_reg.ctr = find(cpu, "ctr", err)) < 0 || (ppc_reg.xer = find(cpu, "xer", err)) < 0 ||
        (ppc_reg.fpscr = find(cpu, "fpscr", err)) < 0)
        return -1;
    ppc_reg.pvr = emu_cpu_reg_find(cpu, "pvr");
    return 0;
}

static void ppc_start(emu_cpu *cpu, const emu_linux_start *st)
{
    /* start_thread(): every GPR zero but the stack pointer, CTR/LR/XER/CR zero. */
    for (int i = 0; i < 32; i++)
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[i], 0);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[1], st->sp);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.ctr, 0);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.lr, 0);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.xer, 0);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.cr, 0);
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.fpscr, 0);
    emu_cpu_set_pc(cpu, st->entry);
}

static void ppc_syscall_args(emu_cpu *cpu, uint64_t *nr, uint64_t args[6])
{
    *nr = emu_cpu_reg_read(cpu, (unsigned)ppc_reg.gpr[0]);
    for (int i = 0; i < 6; i++)
        args[i] = emu_cpu_reg_read(cpu, (unsigned)ppc_reg.gpr[3 + i]);
}

static void ppc_syscall_result(emu_cpu *cpu, int64_t result)
{
    uint32_t cr = (uint32_t)emu_cpu_reg_read(cpu, (unsigned)ppc_reg.cr);
    if (result < 0 && result >= -4095) {
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[3], (uint64_t)-result);
        cr |= PPC_CR0_SO;
    } else {
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[3], (uint32_t)result);
        cr &= ~PPC_CR0_SO;
    }
    emu_cpu_reg_write(cpu, (unsigned)ppc_reg.cr, cr);
}

static void ppc_syscall_restart(emu_cpu *cpu)
{
    emu_cpu_set_pc(cpu, emu_cpu_pc(cpu) - 4);
}

static uint64_t ppc_stack_pointer(emu_cpu *cpu)
{
    return emu_cpu_reg_read(cpu, (unsigned)ppc_reg.gpr[1]);
}

static void ppc_clone_child(emu_cpu *cpu, uint64_t sp, bool set_tls, uint64_t tls)
{
    if (sp)
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[1], sp);
    if (set_tls)
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[2], tls);   /* r2 is the thread pointer */
}

/* The kernel emulates mfspr rD,PVR for user programs (arch/powerpc/kernel/traps.c). */
static bool ppc_emulate(emu_linux_task *t, uint64_t pc)
{
    uint8_t b[4];
    if (emu_linux_read(t, pc, b, 4) < 0)
        return false;
    uint32_t insn = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    emu_cpu *cpu = emu_linux_task_cpu(t);
    if ((insn & 0xfc1fffffu) == 0x7c1f42a6u && ppc_reg.pvr >= 0) {
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.gpr[(insn >> 21) & 31],
                          emu_cpu_reg_read(cpu, (unsigned)ppc_reg.pvr));
        emu_cpu_set_pc(cpu, pc + 4);
        return true;
    }
    /* sync variants the CPU refuses (lwsync, sync with an L field, as libstdc++ uses): the
       kernel's emulate_instruction runs a full sync for them */
    if ((insn & 0xfc0007feu) == 0x7c0004acu) {
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        emu_cpu_set_pc(cpu, pc + 4);
        return true;
    }
    return false;
}

/* PR_GET_FPEXC / PR_SET_FPEXC (arch/powerpc/kernel/process.c): the floating-point exception
   mode is MSR[FE0] (mode bit 1) and MSR[FE1] (mode bit 0), kept per thread; a process starts
   with enabled exceptions ignored (mode 0), which glibc's feenableexcept changes. */
#define PR_GET_FPEXC_ 11
#define PR_SET_FPEXC_ 12
#define PR_FP_EXC_SW_ENABLE_ 0x80u    /* the SPE's software mode: no such unit here */
#define PR_FP_EXC_PRECISE_ 3u
#define MSR_FE0_ (1u << 11)
#define MSR_FE1_ (1u << 8)

static bool ppc_prctl(emu_linux_task *t, const uint64_t a[5], int64_t *result)
{
    emu_cpu *cpu = emu_linux_task_cpu(t);
    uint64_t msr = emu_cpu_reg_read(cpu, (unsigned)ppc_reg.msr);
    switch ((int)a[0]) {
    case PR_GET_FPEXC_: {
        uint8_t b[4] = { 0, 0, 0, (uint8_t)((msr & MSR_FE0_ ? 2 : 0) | (msr & MSR_FE1_ ? 1 : 0)) };
        *result = emu_linux_write(t, a[1], b, 4) < 0 ? -EFAULT : 0;
        return true;
    }
    case PR_SET_FPEXC_: {
        uint32_t mode = (uint32_t)a[1];
        if ((mode & PR_FP_EXC_SW_ENABLE_) || mode > PR_FP_EXC_PRECISE_) {
            *result = -EINVAL;
            return true;
        }
        msr &= ~(uint64_t)(MSR_FE0_ | MSR_FE1_);
        msr |= (mode & 2 ? MSR_FE0_ : 0) | (mode & 1 ? MSR_FE1_ : 0);
        emu_cpu_reg_write(cpu, (unsigned)ppc_reg.msr, msr);
        *result = 0;
        return true;
    }
    default:
        return false;
    }
}

static const emu_linux_abi ppc_abi = {
    .struct_size = sizeof(emu_linux_abi),
    .elf_machines = machines, .elf_class = 1, .elf_data = 2,
    .cpu_type = "ppc750", .uname_machine = "ppc", .platform = "ppc750",
    .hwcap = 0x80000000u | 0x08000000u | 0x04000000u,   /* 32-bit, FPU, MMU */
    .extra_auxv = extra_auxv, .page_size = 4096,
    .stack_top = 0xc0000000u, .dyn_base = 0x00400000u,
    .syscalls = ppc_syscalls, .nsyscalls = sizeof ppc_syscalls / sizeof ppc_syscalls[0],
    .socketcalls = ppc_socketcalls, .nsocketcalls = sizeof ppc_socketcalls / sizeof ppc_socketcalls[0],
    .regpair_align = true,
    .open_flags = open_flags, .mmap_flags = mmap_flags, .termios = &termios_abi, .ioctls = ioctls,
    .stat = &stat_layout, .stat64 = &stat64_layout, .statfs = &statfs_layout,
    .statfs64 = &statfs64_layout, .flock64 = &flock64_layout, .align64 = 8,
    .prepare = ppc_prepare, .start = ppc_start, .syscall_args = ppc_syscall_args,
    .syscall_result = ppc_syscall_result, .syscall_restart = ppc_syscall_restart,
    .stack_pointer = ppc_stack_pointer, .clone_child = ppc_clone_child,
    .signal_frame = ppc_signal_frame, .sigreturn = ppc_sigreturn, .emulate = ppc_emulate,
    .tramp_rt = tramp_rt, .tramp_old = tramp_old, .tramp_size = sizeof tramp_rt,
    .vdso = ppc_vdso_image, .vdso_size = sizeof ppc_vdso_image,
    .vdso_sigtramp_rt = PPC_VDSO_SIGTRAMP_RT, .vdso_sigtramp = PPC_VDSO_SIGTRAMP,
    .prctl = ppc_prctl,
};

static const emu_type linux_ppc_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_ABI,
    .name = "linux-ppc",
    .summary = "32-bit PowerPC Linux user-mode ABI (system calls, structures, signal frames)",
    .instance_size = sizeof(emu_device),
    .kind_ops = &ppc_abi,
};

static const emu_type *const types[] = { &linux_ppc_type, NULL };

EMU_PLUGIN(linux_ppc) = {
    EMU_PLUGIN_HEADER, "linux-ppc", "1.0", "PowerPC Linux ABI for emu --user", types,
};
