/* The user-mode runtime's internal interfaces: the process (address space, ABI, signal
 * dispositions, threads), the task (one guest thread), guest memory access with byte order,
 * and the system call table every sys-*.c file contributes to. */
#ifndef EMU_CORE_USER_USER_H
#define EMU_CORE_USER_USER_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "emu/linux-abi.h"
#include "machine.h"
#include "vm.h"

#define EMU_NSIG 64

/* A guest signal disposition (generic values; handler 0 = SIG_DFL, 1 = SIG_IGN). */
typedef struct emu_user_sigaction {
    uint64_t handler, flags, restorer, mask;
} emu_user_sigaction;

/* One queued signal, with the fields the guest's siginfo gets. */
typedef struct emu_user_siginfo {
    int signo, code, errno_;
    int pid, uid, status;             /* SI_USER/SI_QUEUE senders, SIGCHLD */
    uint64_t addr;                    /* faults: si_addr */
    uint64_t value;                   /* SI_QUEUE/timers: si_value */
    int timerid, overrun;
    long utime, stime;
} emu_user_siginfo;

typedef struct emu_user_proc emu_user_proc;

struct emu_linux_task {
    emu_user_proc *proc;
    emu_cpu *cpu;
    pid_t tid;
    uint64_t blocked;                 /* guest signal mask */
    emu_user_siginfo pending[EMU_NSIG + 1];   /* thread-directed, by number */
    uint64_t pending_set;
    atomic_int signal_flag;           /* something may be pending: check at the next stop */
    uint64_t clear_child_tid;         /* set_tid_address / CLONE_CHILD_CLEARTID */
    uint64_t robust_list, robust_len;
    uint64_t ss_sp, ss_size;          /* sigaltstack */
    int ss_flags;
    int64_t last_result;              /* of the last system call (for the Lua hooks) */
    bool vfork_child;                 /* runs in a vfork child sharing the parent's memory */
    emu_linux_task *next;
    /* sigsuspend/pselect/ppoll: the mask to restore after the handler runs */
    bool restore_mask;
    uint64_t saved_mask;
};

struct emu_user_proc {
    emu_machine *m;
    emu_user_vm vm;
    const emu_linux_abi *abi;
    bool msb;                          /* guest is big-endian */
    unsigned word;                     /* 4 or 8: guest long/pointer size */
    char *exe_path;                    /* absolute host path of the guest program (/proc/self/exe) */
    char *cmdline;                     /* the guest's arguments, NUL after each (/proc/self/cmdline) */
    size_t cmdline_len;
    uint8_t *auxv;                     /* the initial auxiliary vector, guest words (/proc/self/auxv) */
    size_t auxv_len;
    struct emu_user_file_range *file_ranges;   /* the program's and interpreter's segments */
    size_t nfile_ranges, cfile_ranges;
    char *sysroot;                     /* --sysroot, or NULL */
    bool strace;
    uint64_t tramp_addr;               /* page with the signal trampolines */

    pthread_mutex_t lock;              /* dispositions, the task list */
    emu_user_sigaction sigact[EMU_NSIG + 1];
    emu_linux_task *tasks;
    atomic_int nthreads;

    uint8_t *enosys_seen;              /* one bit per guest syscall number */
    uint32_t enosys_seen_bits;
};

/* The one guest process of this emu (set once it exists; never freed: emu ends with _exit). */
extern emu_user_proc *emu_user_process;

/* Special results of a system call handler. */
#define EMU_SYS_NORESULT   ((int64_t)1 << 62)     /* registers already set (sigreturn, execve) */
#define EMU_ERESTARTSYS    512                    /* interrupted: restart or EINTR by SA_RESTART */
#define EMU_ERESTARTNOINTR 513                    /* interrupted: always restart after the handler */
#define EMU_ERESTARTNOHAND 514                    /* interrupted: EINTR when a handler runs */

/* ---- guest memory (guest.c) ---- */
/* Host pointer to a guest range with `prot` access (EMU_VM_*), or NULL.
   For writes, pages holding translated code are made writable first. */
void *emu_user_gptr(emu_linux_task *t, uint64_t addr, uint64_t len, int prot);
int emu_user_copy_in(emu_linux_task *t, void *dst, uint64_t addr, uint64_t len);
int emu_user_copy_out(emu_linux_task *t, uint64_t addr, const void *src, uint64_t len);
/* A guest string into buf (size bytes): 0, -EFAULT or -ENAMETOOLONG. */
int emu_user_strcpy_in(emu_linux_task *t, char *buf, size_t size, uint64_t addr);
/* Words of the guest's byte order in a host buffer. */
uint64_t emu_user_ld(const emu_user_proc *p, const void *src, unsigned size);
void emu_user_st(const emu_user_proc *p, void *dst, unsigned size, uint64_t v);
/* A field of a guest structure layout (no-op when the field is absent). */
void emu_user_put_field(const emu_user_proc *p, uint8_t *buf, emu_linux_field f, uint64_t v);
uint64_t emu_user_get_field(const emu_user_proc *p, const uint8_t *buf, emu_linux_field f);
/* Guest <-> host flag translation with an emu_linux_bits table. */
uint32_t emu_user_bits_to_host(const emu_linux_bits *tbl, uint32_t guest);
uint32_t emu_user_bits_to_guest(const emu_linux_bits *tbl, uint32_t host);
/* Guest timespec/timeval (word-sized, or 64-bit for the *_time64 calls). */
int emu_user_get_timespec(emu_linux_task *t, uint64_t addr, struct timespec *ts, bool time64);
int emu_user_put_timespec(emu_linux_task *t, uint64_t addr, const struct timespec *ts, bool time64);
/* Guest sigset (8 bytes: words of the guest's size and order) <-> generic mask. */
int emu_user_get_sigset(emu_linux_task *t, uint64_t addr, uint64_t *mask);
int emu_user_put_sigset(emu_linux_task *t, uint64_t addr, uint64_t mask);

/* ---- system calls (syscall.c) ---- */
typedef int64_t (*emu_sys_fn)(emu_linux_task *t, const uint64_t *a);

enum {
    EMU_SYSF_RESTART = 1,      /* host EINTR becomes ERESTARTSYS (SA_RESTART restarts it) */
};

typedef struct emu_sys_entry {
    uint16_t id;               /* EMU_SYS_* */
    emu_sys_fn fn;
    const char *args;          /* argument kinds for decoding and --strace, see syscall.c */
    char ret;                  /* result kind: 'd' number, 'x' address, 'n' no result */
    unsigned flags;
} emu_sys_entry;

/* Each group's table, ending with { 0 }. */
extern const emu_sys_entry emu_sys_file_table[], emu_sys_stat_table[], emu_sys_mem_table[],
    emu_sys_proc_table[], emu_sys_signal_table[], emu_sys_time_table[], emu_sys_misc_table[],
    emu_sys_net_table[], emu_sys_ioctl_table[], emu_sys_eventfd_table[],
    emu_sys_notify_table[], emu_sys_futex_table[];

/* Descriptors whose data is converted between host and guest byte order (fdkind.c): eventfd
   and timerfd counters (sys-eventfd.c), signalfd and inotify records (sys-notify.c).
   emu_user_fd_made marks a new one (and turns a failed call's -1 into -errno), dup and close
   keep the marks, emu_user_fd_scan marks those inherited across execve, emu_user_fd_kind_of
   says what fd is (checked against the host) and emu_user_fd_io reads or writes one over
   host iovecs pointing at guest memory. */
struct iovec;
typedef enum emu_user_fd_kind {
    EMU_FD_PLAIN, EMU_FD_COUNTER, EMU_FD_SIGNALFD, EMU_FD_INOTIFY
} emu_user_fd_kind;
emu_user_fd_kind emu_user_fd_kind_of(int fd);
int64_t emu_user_fd_made(int fd);
void emu_user_fd_dup(int from, int to);
void emu_user_fd_closed(int fd);
void emu_user_fd_scan(void);
int64_t emu_user_fd_io(emu_linux_task *t, int fd, emu_user_fd_kind kind, const struct iovec *iov,
                       int cnt, bool write);
int64_t emu_user_counter_io(emu_linux_task *t, int fd, const struct iovec *iov, int cnt, bool write);
int64_t emu_user_records_read(emu_linux_task *t, int fd, emu_user_fd_kind kind,
                              const struct iovec *iov, int cnt);

/* A host system call that may block (safe-syscall.c): returns its result or -errno, and
   -EINTR without making the call when a guest signal arrives after this thread last
   delivered its signals, including one that arrives just before the call enters the kernel
   (on hosts without the entry window, x86-64 and AArch64 have it, such a signal waits until
   the call returns). */
int64_t emu_user_safe_syscall(emu_linux_task *t, long nr, long a1, long a2, long a3, long a4,
                              long a5, long a6);
/* Called by the host signal handler: moves a thread caught inside the entry window to the
   interrupted exit. */
void emu_user_safe_syscall_rewind(void *ucontext);

/* The name of a generic id ("read"), or NULL. */
const char *emu_sys_name(unsigned id);
/* Handle the system call the task's CPU stopped at: decode, run, set the
   result (or restart), print it with --strace. */
void emu_user_syscall(emu_linux_task *t);
/* Run generic call `id` with guest raw arguments (used by socketcall and
   tests); returns the result or -errno. */
int64_t emu_user_do_syscall(emu_linux_task *t, unsigned id, const uint64_t raw[6]);

struct rusage;
int64_t emu_user_put_rusage(emu_linux_task *t, uint64_t addr, const struct rusage *ru);

/* ---- paths (path.c) ---- */
/* The host path for a guest path: sysroot first for absolute paths that
   exist there, /proc/self/exe for the guest program.  Returns buf or the
   input. */
const char *emu_user_path(emu_user_proc *p, const char *guest, char *buf, size_t size);
/* readlink that answers /proc/self/exe (and /proc/PID/exe) with the guest program. */
bool emu_user_is_proc_exe(const char *path);
/* A descriptor of the guest's own /proc/self/cmdline, auxv or maps (procfs.c), or -1 when
   path is none of those. */
int emu_user_open_proc_self(emu_linux_task *t, const char *path);
/* Name the file-backed part of each loaded segment of an ELF image in /proc/self/maps (emu
   copies them into anonymous memory). */
struct emu_elf;
void emu_user_procfs_add_image(emu_user_proc *p, const struct emu_elf *e, uint64_t bias);

/* ---- signals (signal.c) ---- */
/* Take over the host's signal dispositions (before the first CPU exists,
   so the engine's fault handler goes in front of ours). */
int emu_user_signals_init(emu_user_proc *p);
/* Deliver what is pending and unblocked (at a CPU stop).  Returns false when
   the process is to end (the task's thread is done). */
void emu_user_deliver_signals(emu_linux_task *t);
/* Queue a synchronous fault signal for t and deliver it now. */
void emu_user_force_signal(emu_linux_task *t, const emu_user_siginfo *si);
/* Queue a signal for a task and wake it, interrupting its blocking host call (called with
   the process lock held: the dispositions are read). */
void emu_user_queue_signal(emu_linux_task *t, const emu_user_siginfo *si);
/* The guest mask changed: apply it to the host thread. */
void emu_user_sync_mask(emu_linux_task *t);
bool emu_user_signal_pending(emu_linux_task *t);
/* The signal that would be delivered next, if any. */
bool emu_user_signal_next(emu_linux_task *t, int *sig);
/* Die the way a native process killed by sig would. */
_Noreturn void emu_user_die_by_signal(int sig);
/* Bytes of the guest siginfo for si (word-size dependent layout). */
size_t emu_user_siginfo_to_guest(const emu_user_proc *p, const emu_user_siginfo *si, uint8_t *out);

/* ---- threads and the process (runtime.c) ---- */
emu_linux_task *emu_user_task_new(emu_user_proc *p, emu_cpu *cpu);
void emu_user_task_free(emu_linux_task *t);
/* The task of the calling host thread. */
emu_linux_task *emu_user_current(void);
void emu_user_set_current(emu_linux_task *t);
/* End the calling guest thread (exit) or the whole process (exit_group). */
_Noreturn void emu_user_exit_thread(emu_linux_task *t, int code);
_Noreturn void emu_user_exit_group(int code);
/* clone() for threads, and fork. */
int64_t emu_user_clone_thread(emu_linux_task *t, uint64_t flags, uint64_t sp, uint64_t ptid,
                              uint64_t tls, uint64_t ctid);
/* The CPU hooks the runtime uses (set by the runtime; tests leave them NULL). */
typedef struct emu_user_cpu_ops {
    emu_cpu *(*clone)(emu_cpu *cpu, const char *id, emu_error **err);
    void (*free)(emu_cpu *cpu);
    void (*kick)(emu_cpu *cpu);
    void (*flush)(emu_machine *m, uint64_t addr, uint64_t len);
    void (*run_task)(emu_linux_task *t);      /* the loop of a new thread */
} emu_user_cpu_ops;
extern emu_user_cpu_ops emu_user_cpu;

/* Re-run emu itself for a guest program (execve). */
int64_t emu_user_execve(emu_linux_task *t, const char *path, char **argv, char **envp);

#endif
