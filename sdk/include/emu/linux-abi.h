/* emu SDK: a guest architecture's Linux ABI for user-mode emulation.
 *
 * User mode (`emu --user PROGRAM`) is architecture-neutral: the core loads
 * the ELF file, manages the guest address space, implements every system
 * call once against the host, delivers signals and runs the threads.  What
 * differs between guest architectures is data plus a few callbacks, given
 * by a plugin type of kind EMU_KIND_ABI whose `kind_ops` points to an
 * emu_linux_abi:
 *
 *   - which ELF files it runs (e_machine, class, byte order) and which CPU
 *     type to create for them;
 *   - the system call table: guest number -> generic id (EMU_SYS_*);
 *   - where the number and arguments are, how a result is returned;
 *   - flag values and structure layouts that differ from the generic
 *     Linux ones (open flags, mmap flags, termios, ioctl numbers, stat...);
 *   - the initial registers, AT_HWCAP/AT_PLATFORM and extra auxv entries;
 *   - signal frame setup and sigreturn.
 *
 * Conventions: "host" values in the tables are the host's own constants
 * (O_DIRECTORY, ECHO, ...): the plugin is compiled for the host.  Guest
 * values are the guest kernel's numbers.  Generic signal numbers are the
 * usual Linux ones (1 = SIGHUP ... 64), which the i386, ARM and PowerPC
 * ABIs share.  Signal masks are passed as uint64_t, bit (n-1) = signal n.
 */
#ifndef EMU_LINUX_ABI_H
#define EMU_LINUX_ABI_H

#include "base.h"
#include "cpu.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Generic system call ids.  Each names one kernel entry point with one
 * argument convention; where 32-bit ABIs have a variant with a different
 * structure or argument shape it has its own id (stat64, mmap2, _llseek,
 * the *_time64 calls).  64-bit arguments that 32-bit guests pass in a
 * register pair are described by the core, the ABI only says whether
 * pairs start at an even register (`regpair_align`).  New ids are only
 * ever appended.
 */
#define EMU_LINUX_SYSCALLS(X) \
    X(restart_syscall) X(exit) X(fork) X(read) X(write) X(open) X(close) X(waitpid) \
    X(creat) X(link) X(unlink) X(execve) X(chdir) X(time) X(mknod) X(chmod) X(lchown) \
    X(lseek) X(getpid) X(setuid) X(getuid) X(alarm) X(pause) X(utime) X(access) \
    X(sync) X(kill) X(rename) X(mkdir) X(rmdir) X(dup) X(pipe) X(times) X(brk) \
    X(setgid) X(getgid) X(geteuid) X(getegid) X(ioctl) X(fcntl) X(setpgid) X(umask) \
    X(dup2) X(getppid) X(getpgrp) X(setsid) X(sigaction) X(setreuid) X(setregid) \
    X(sigsuspend) X(sigpending) X(setrlimit) X(getrlimit) X(getrusage) \
    X(gettimeofday) X(getgroups) X(setgroups) X(select) X(symlink) X(readlink) \
    X(mmap) X(munmap) X(truncate) X(ftruncate) X(fchmod) X(fchown) X(getpriority) \
    X(setpriority) X(statfs) X(fstatfs) X(socketcall) X(setitimer) X(getitimer) \
    X(stat) X(lstat) X(fstat) X(wait4) X(sysinfo) X(fsync) X(sigreturn) X(clone) \
    X(uname) X(mprotect) X(sigprocmask) X(getpgid) X(fchdir) X(_llseek) X(getdents) \
    X(_newselect) X(flock) X(msync) X(readv) X(writev) X(getsid) X(fdatasync) \
    X(sched_yield) X(nanosleep) X(mremap) X(setresuid) X(getresuid) X(poll) \
    X(setresgid) X(getresgid) X(prctl) X(rt_sigreturn) X(rt_sigaction) \
    X(rt_sigprocmask) X(rt_sigpending) X(rt_sigtimedwait) X(rt_sigqueueinfo) \
    X(rt_sigsuspend) X(pread64) X(pwrite64) X(chown) X(getcwd) X(sigaltstack) \
    X(sendfile) X(vfork) X(ugetrlimit) X(mmap2) X(truncate64) X(ftruncate64) \
    X(stat64) X(lstat64) X(fstat64) X(getdents64) X(madvise) X(fcntl64) X(gettid) \
    X(tkill) X(futex) X(sched_setaffinity) X(sched_getaffinity) X(exit_group) \
    X(set_tid_address) X(clock_gettime) X(clock_getres) X(clock_nanosleep) \
    X(tgkill) X(utimes) X(statfs64) X(fstatfs64) X(fadvise64_64) X(openat) \
    X(mkdirat) X(mknodat) X(fchownat) X(futimesat) X(fstatat64) X(unlinkat) \
    X(renameat) X(linkat) X(symlinkat) X(readlinkat) X(fchmodat) X(faccessat) \
    X(pselect6) X(ppoll) X(set_robust_list) X(get_robust_list) X(utimensat) \
    X(fallocate) X(dup3) X(pipe2) X(prlimit64) X(renameat2) X(getrandom) \
    X(statx) X(clock_gettime64) X(clock_getres_time64) X(clock_nanosleep_time64) \
    X(utimensat_time64) X(pselect6_time64) X(ppoll_time64) X(futex_time64) \
    X(rt_sigtimedwait_time64) X(faccessat2) X(socket) X(socketpair) X(bind) \
    X(connect) X(listen) X(accept) X(accept4) X(getsockname) X(getpeername) \
    X(sendto) X(recvfrom) X(shutdown) X(setsockopt) X(getsockopt) X(sendmsg) \
    X(recvmsg) X(send) X(recv) X(sched_getparam) X(sched_getscheduler) \
    X(personality) X(clone3) X(rseq) X(membarrier) X(sync_file_range2) \
    X(eventfd2) X(epoll_create1) X(epoll_ctl) X(epoll_wait) X(epoll_pwait) \
    X(waitid) X(setfsuid) X(setfsgid) X(capget) X(mlock) X(munlock) X(mincore) \
    X(close_range) X(signal) X(sendfile64) X(mount) X(umount2) X(eventfd) \
    X(timerfd_create) X(timerfd_settime) X(timerfd_gettime) X(timerfd_settime64) \
    X(timerfd_gettime64) X(signalfd) X(signalfd4) X(inotify_init) X(inotify_init1) \
    X(inotify_add_watch) X(inotify_rm_watch) X(sgetmask) X(ssetmask)

#define EMU_SYS_ENUM_(name) EMU_SYS_##name,
typedef enum emu_linux_sys {
    EMU_SYS_NONE = 0,               /* not a system call this ABI has: -ENOSYS */
    EMU_LINUX_SYSCALLS(EMU_SYS_ENUM_)
    EMU_SYS_COUNT
} emu_linux_sys;
#undef EMU_SYS_ENUM_

/* Generic ids of the ioctl requests the core converts. */
typedef enum emu_linux_ioctl {
    EMU_IOCTL_NONE = 0,
    EMU_IOCTL_TCGETS, EMU_IOCTL_TCSETS, EMU_IOCTL_TCSETSW, EMU_IOCTL_TCSETSF,
    EMU_IOCTL_TCSBRK, EMU_IOCTL_TCXONC, EMU_IOCTL_TCFLSH,
    EMU_IOCTL_TIOCGWINSZ, EMU_IOCTL_TIOCSWINSZ, EMU_IOCTL_TIOCGPGRP, EMU_IOCTL_TIOCSPGRP,
    EMU_IOCTL_TIOCSCTTY, EMU_IOCTL_TIOCNOTTY, EMU_IOCTL_TIOCOUTQ, EMU_IOCTL_TIOCGSID,
    EMU_IOCTL_TIOCGPTN, EMU_IOCTL_TIOCSPTLCK,
    EMU_IOCTL_FIONREAD, EMU_IOCTL_FIONBIO, EMU_IOCTL_FIOCLEX, EMU_IOCTL_FIONCLEX,
    EMU_IOCTL_FIOASYNC,
    EMU_IOCTL_COUNT
} emu_linux_ioctl;

/* One translation between guest and host bits: a value `guest_bits` of the
   field `guest_mask` corresponds to `host_bits` of `host_mask`.  A table of
   these ends with an entry whose masks are both 0.  Bits no entry covers
   pass unchanged (both sides share most of the generic values). */
typedef struct emu_linux_bits {
    uint32_t guest_mask, guest_bits;
    uint32_t host_mask, host_bits;
} emu_linux_bits;

/* A field of a guest structure: byte offset and size (1, 2, 4 or 8; 0 =
   the guest structure has no such field). */
typedef struct emu_linux_field {
    uint16_t offset;
    uint8_t size;
} emu_linux_field;

/* struct stat / struct stat64 as the guest kernel writes them. */
typedef struct emu_linux_stat_layout {
    uint16_t size;
    emu_linux_field dev, ino, mode, nlink, uid, gid, rdev, fsize, blksize, blocks;
    emu_linux_field atime, atime_nsec, mtime, mtime_nsec, ctime, ctime_nsec;
} emu_linux_stat_layout;

/* struct statfs / statfs64. */
typedef struct emu_linux_statfs_layout {
    uint16_t size;
    emu_linux_field type, bsize, blocks, bfree, bavail, files, ffree, fsid0, fsid1,
        namelen, frsize, flags;
} emu_linux_statfs_layout;

/* struct flock64 (l_type, l_whence, l_start, l_len, l_pid). */
typedef struct emu_linux_flock_layout {
    uint16_t size;
    emu_linux_field type, whence, start, len, pid;
} emu_linux_flock_layout;

/* The termios structure of TCGETS/TCSETS, its control characters and flag
   values.  cc_map[i] is the host index (VINTR...) of guest c_cc[i], or -1. */
typedef struct emu_linux_termios_abi {
    uint16_t size;
    emu_linux_field iflag, oflag, cflag, lflag, line, ispeed, ospeed;
    uint16_t cc_offset, ncc;
    const int8_t *cc_map;
    const emu_linux_bits *iflag_bits, *oflag_bits, *cflag_bits, *lflag_bits;
} emu_linux_termios_abi;

/* A guest ioctl request number and what it is. */
typedef struct emu_linux_ioctl_map {
    uint32_t guest_request;
    emu_linux_ioctl id;            /* EMU_IOCTL_NONE ends the table */
} emu_linux_ioctl_map;

/* An extra auxiliary vector entry (AT_DCACHEBSIZE...), put first as the
   kernel's ARCH_DLINFO does. */
typedef struct emu_linux_auxv {
    uint32_t type;                 /* 0 ends the table */
    uint64_t value;
} emu_linux_auxv;

/* One guest thread, as the ABI callbacks see it. */
typedef struct emu_linux_task emu_linux_task;

/* The CPU of a task, and guest memory checked against the guest's
   mappings (0, or -1 when some byte is not mapped with that access). */
EMU_API emu_cpu *emu_linux_task_cpu(emu_linux_task *t);
EMU_API int emu_linux_read(emu_linux_task *t, uint64_t addr, void *buf, size_t len);
EMU_API int emu_linux_write(emu_linux_task *t, uint64_t addr, const void *buf, size_t len);

/* Everything the ABI needs to build a signal frame. */
typedef struct emu_linux_sigframe_info {
    int sig;                       /* generic signal number */
    uint64_t handler;              /* guest sa_handler */
    uint64_t flags;                /* guest sa_flags */
    uint64_t restorer;             /* guest sa_restorer */
    uint64_t old_mask;             /* the mask sigreturn restores */
    uint64_t frame_top;            /* build the frame below this address (the
                                      current stack pointer or the top of the
                                      alternate stack: the core chose) */
    uint64_t ss_sp, ss_size;       /* sigaltstack, for uc_stack */
    int ss_flags;
    const uint8_t *siginfo;        /* siginfo in guest layout */
    size_t siginfo_size;
    uint64_t sigreturn_tramp;      /* guest address of `rt_sigreturn` code */
    uint64_t sigreturn_tramp_old;  /* guest address of `sigreturn` code */
} emu_linux_sigframe_info;

/* What sigreturn found in the frame. */
typedef struct emu_linux_sigreturn_info {
    uint64_t mask;                 /* the mask to restore */
    bool has_stack;                /* rt frames: restore the sigaltstack */
    uint64_t ss_sp, ss_size;
    int ss_flags;
} emu_linux_sigreturn_info;

/* Where a new process starts. */
typedef struct emu_linux_start {
    uint64_t entry;                /* first guest instruction (the interpreter's
                                      when there is one) */
    uint64_t sp;                   /* the stack pointer: argc is there */
    uint64_t argc, argv, envp, auxv;
} emu_linux_start;

typedef struct emu_linux_abi {
    uint32_t struct_size;          /* sizeof(emu_linux_abi) when built */

    /* Which ELF files: e_machine values (0-terminated), EI_CLASS (1 = 32,
       2 = 64 bit) and EI_DATA (1 = little, 2 = big endian). */
    const uint16_t *elf_machines;
    uint8_t elf_class, elf_data;
    const char *cpu_type;          /* CPU type to create, e.g. "ppc750" */
    const char *uname_machine;     /* utsname.machine, e.g. "ppc" */
    const char *platform;          /* AT_PLATFORM string, or NULL */
    uint64_t hwcap, hwcap2;
    const emu_linux_auxv *extra_auxv;
    uint32_t page_size;
    uint64_t stack_top;            /* highest stack address + 1 */
    uint64_t dyn_base;             /* where a position-independent program goes */

    /* System calls: table[n] is the generic id of guest call n. */
    const uint16_t *syscalls;
    uint32_t nsyscalls;
    /* socketcall(2) sub-call n -> generic id (NULL: no socketcall). */
    const uint16_t *socketcalls;
    uint32_t nsocketcalls;
    bool regpair_align;            /* 64-bit arguments start at an even argument register */

    const emu_linux_bits *open_flags;   /* open(2) and fcntl F_GETFL/F_SETFL */
    const emu_linux_bits *mmap_flags;
    const emu_linux_termios_abi *termios;
    const emu_linux_ioctl_map *ioctls;
    const emu_linux_stat_layout *stat, *stat64;
    const emu_linux_statfs_layout *statfs, *statfs64;
    const emu_linux_flock_layout *flock64;
    uint8_t align64;               /* alignment of 64-bit members in the guest's
                                      generic structures (8; 4 for i386) */

    /* The callbacks: all required except `emulate`. */
    /* Called once for the first CPU: look up registers by name. */
    int (*prepare)(emu_cpu *cpu, emu_error **err);
    /* Registers of a new process. */
    void (*start)(emu_cpu *cpu, const emu_linux_start *st);
    /* The system call the CPU stopped at: number and six raw arguments. */
    void (*syscall_args)(emu_cpu *cpu, uint64_t *nr, uint64_t args[6]);
    /* Return `result` (a value, or -errno for an error) from it. */
    void (*syscall_result)(emu_cpu *cpu, int64_t result);
    /* Make the CPU execute the system call instruction again (restart). */
    void (*syscall_restart)(emu_cpu *cpu);
    /* The guest stack pointer. */
    uint64_t (*stack_pointer)(emu_cpu *cpu);
    /* A new thread or forked child of clone(): `sp` 0 keeps the parent's,
       `set_tls` sets the thread pointer to `tls`.  The result register is
       set by the core (0). */
    void (*clone_child)(emu_cpu *cpu, uint64_t sp, bool set_tls, uint64_t tls);
    /* Build the frame for a handler and point the CPU at it.  -1 when the
       frame cannot be written (the core then kills with SIGSEGV). */
    int (*signal_frame)(emu_linux_task *t, const emu_linux_sigframe_info *info);
    /* Undo the frame at the stack pointer (rt = rt_sigreturn).  -1 when
       it is unreadable. */
    int (*sigreturn)(emu_linux_task *t, bool rt, emu_linux_sigreturn_info *out);
    /* Optional: an instruction the CPU refused (illegal or privileged) at pc
       that the guest kernel emulates for user programs (PowerPC's mfpvr).
       True when done (registers and pc updated); false raises SIGILL. */
    bool (*emulate)(emu_linux_task *t, uint64_t pc);
    /* Guest machine code for the signal trampolines (placed by the core on a
       read-only page): `rt_sigreturn` then `sigreturn`, `tramp_size` bytes
       each. */
    const uint8_t *tramp_rt, *tramp_old;
    uint32_t tramp_size;
    /* sizeof(__kernel_old_dev_t), for the old struct loop_info of
       LOOP_GET_STATUS/LOOP_SET_STATUS: 0 means the asm-generic unsigned int
       (4: 32-bit PowerPC); 2 on i386 and ARM, 8 on 64-bit PowerPC. */
    uint8_t old_dev_size;
    /* Optional (NULL: none): a vDSO, an ELF image of `vdso_size` bytes (at
       most a page) that the core maps read-only in place of the trampolines
       above and announces with AT_SYSINFO_EHDR.  The trampolines are then the
       image's code at offsets `vdso_sigtramp_rt` and `vdso_sigtramp`; its
       unwind tables describe the signal frames, as a Linux kernel's vDSO's do
       (unwinders such as libgcc's find them through dl_iterate_phdr). */
    const uint8_t *vdso;
    uint32_t vdso_size, vdso_sigtramp_rt, vdso_sigtramp;
    /* Optional: the prctl options that belong to the architecture (PowerPC's
       PR_GET_FPEXC/PR_SET_FPEXC), args[0] the option.  Sets *result (a value
       or -errno) and returns true when it knows the option; false lets the
       core answer (-EINVAL for an option nobody knows). */
    bool (*prctl)(emu_linux_task *t, const uint64_t args[5], int64_t *result);
} emu_linux_abi;

#ifdef __cplusplus
}
#endif
#endif
