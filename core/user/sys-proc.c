/* Process system calls: fork/vfork/clone, execve, exit, waiting, process and user ids.
 *
 * fork is the host's fork (the guest address space is private memory, so
 * the child gets a copy).  vfork and clone(CLONE_VM|CLONE_VFORK) are a host
 * clone(CLONE_VM|CLONE_VFORK): the child shares all memory (what the guest
 * child writes, e.g. posix_spawn's error report, the parent sees) and runs
 * a copy of the CPU until it calls execve or exits, while the parent waits.
 * clone(CLONE_VM|CLONE_THREAD) makes a thread: a new CPU in a new host
 * thread (runtime.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)

static int put_u32(emu_linux_task *t, uint64_t addr, uint32_t v)
{
    uint8_t buf[4];
    emu_user_st(t->proc, buf, 4, v);
    return emu_user_copy_out(t, addr, buf, 4);
}

/* The child side of fork: only the calling thread exists now. */
static void fork_child(emu_linux_task *t, uint64_t flags, uint64_t sp, uint64_t tls, uint64_t ctid)
{
    emu_user_proc *p = t->proc;
    pthread_mutex_init(&p->lock, NULL);
    pthread_mutex_init(&p->vm.lock, NULL);
    p->tasks = t;
    t->next = NULL;
    atomic_store(&p->nthreads, 1);
    t->tid = (pid_t)syscall(SYS_gettid);
    if (sp || (flags & CLONE_SETTLS))
        p->abi->clone_child(t->cpu, sp, flags & CLONE_SETTLS, tls);
    if (flags & CLONE_CHILD_SETTID)
        put_u32(t, ctid, (uint32_t)t->tid);
    if (flags & CLONE_CHILD_CLEARTID)
        t->clear_child_tid = ctid;
}

static int64_t do_fork(emu_linux_task *t, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls,
                       uint64_t ctid)
{
    int exit_signal = (int)(flags & CSIGNAL);
    fflush(NULL);
    pid_t pid;
    if (exit_signal == SIGCHLD)
        pid = fork();
    else
        pid = (pid_t)syscall(SYS_clone, (unsigned long)exit_signal, 0, 0, 0, 0);
    if (pid < 0)
        return -errno;
    if (pid == 0) {
        fork_child(t, flags, sp, tls, ctid);
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID)
        put_u32(t, ptid, (uint32_t)pid);
    return pid;
}

/* ---- vfork ---- */

#define VFORK_STACK (256 * 1024)

static int vfork_child_main(void *arg)
{
    emu_linux_task *ct = arg;
    ct->tid = (pid_t)syscall(SYS_gettid);
    /* The host child shares the parent thread's TLS: the parent restores
       its own current task when it resumes. */
    emu_user_set_current(ct);
    emu_user_sync_mask(ct);
    emu_user_cpu.run_task(ct);
    _exit(127);
}

static int64_t do_vfork(emu_linux_task *t, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t tls,
                        uint64_t ctid)
{
    emu_user_proc *p = t->proc;
    emu_error *err = NULL;
    static atomic_uint next_id = 1;
    char id[32];
    snprintf(id, sizeof id, "vfork%u", atomic_fetch_add(&next_id, 1));
    emu_cpu *cpu = emu_user_cpu.clone(t->cpu, id, &err);
    if (!cpu) {
        emu_error_free(err);
        return -EAGAIN;
    }
    p->abi->syscall_result(cpu, 0);
    if (sp || (flags & CLONE_SETTLS))
        p->abi->clone_child(cpu, sp, flags & CLONE_SETTLS, tls);
    emu_linux_task *ct = emu_user_task_new(p, cpu);
    ct->blocked = t->blocked;
    ct->vfork_child = true;
    if (flags & CLONE_CHILD_CLEARTID)
        ct->clear_child_tid = ctid;
    char *stack = emu_xmalloc(VFORK_STACK);
    int exit_signal = (int)(flags & CSIGNAL);
    pid_t pid = clone(vfork_child_main, stack + VFORK_STACK, CLONE_VM | CLONE_VFORK | exit_signal, ct);
    int e = errno;
    emu_user_set_current(t);
    emu_user_sync_mask(t);
    atomic_fetch_sub(&p->nthreads, 1);
    emu_user_task_free(ct);
    emu_user_cpu.free(cpu);
    free(stack);
    if (pid < 0)
        return -e;
    if (flags & CLONE_PARENT_SETTID)
        put_u32(t, ptid, (uint32_t)pid);
    return pid;
}

static int64_t sys_clone(emu_linux_task *t, const uint64_t *a)
{
    uint64_t flags = a[0];
    if ((flags & CLONE_VM) && (flags & CLONE_THREAD)) {
        if (!(flags & CLONE_SIGHAND) || !(flags & CLONE_FILES) || !(flags & CLONE_FS))
            return -EINVAL;
        return emu_user_clone_thread(t, flags, a[1], a[2], a[3], a[4]);
    }
    if (flags & CLONE_THREAD)
        return -EINVAL;
    if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
        return -ENOSYS;      /* shared memory without a thread: not offered */
    if (flags & CLONE_VM)
        return do_vfork(t, flags, a[1], a[2], a[3], a[4]);
    if (flags & (CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWUTS |
                 CLONE_NEWIPC | CLONE_NEWCGROUP | CLONE_PTRACE))
        return -EINVAL;
    return do_fork(t, flags, a[1], a[2], a[3], a[4]);
}

static int64_t sys_fork(emu_linux_task *t, const uint64_t *a)
{
    return do_fork(t, SIGCHLD, 0, 0, 0, 0);
}

static int64_t sys_vfork(emu_linux_task *t, const uint64_t *a)
{
    return do_vfork(t, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* A guest NULL-terminated array of strings, copied (at most ARG_MAX bytes). */
static int64_t get_strv(emu_linux_task *t, uint64_t addr, char ***out)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    size_t n = 0, cap = 0, total = 0;
    char **v = NULL;
    int64_t err = 0;
    for (;; addr += w) {
        uint8_t buf[8];
        if (!addr)
            break;
        if (emu_user_copy_in(t, buf, addr, w) < 0) {
            err = -EFAULT;
            break;
        }
        uint64_t s = emu_user_ld(p, buf, w);
        if (!s)
            break;
        int64_t len = emu_vm_strlen(&p->vm, s, 128 * 1024);
        if (len < 0) {
            err = emu_vm_check(&p->vm, s, 1, EMU_VM_READ) ? -E2BIG : -EFAULT;
            break;
        }
        total += (size_t)len + 1 + sizeof(char *);
        if (total > 2 * 1024 * 1024) {
            err = -E2BIG;
            break;
        }
        char *copy = emu_xmalloc((size_t)len + 1);
        memcpy(copy, emu_vm_host(&p->vm, s), (size_t)len + 1);
        EMU_PUSH(v, n, cap, copy);
    }
    EMU_PUSH(v, n, cap, NULL);
    if (err) {
        for (size_t i = 0; v[i]; i++)
            free(v[i]);
        free(v);
        return err;
    }
    *out = v;
    return 0;
}

static void free_strv(char **v)
{
    for (size_t i = 0; v && v[i]; i++)
        free(v[i]);
    free(v);
}

static int64_t sys_execve(emu_linux_task *t, const uint64_t *a)
{
    char path[PATH_MAX];
    int e = emu_user_strcpy_in(t, path, sizeof path, a[0]);
    if (e < 0)
        return e;
    char **argv = NULL, **envp = NULL;
    int64_t r = get_strv(t, a[1], &argv);
    if (r < 0)
        return r;
    r = get_strv(t, a[2], &envp);
    if (r < 0) {
        free_strv(argv);
        return r;
    }
    r = emu_user_execve(t, path, argv, envp);
    free_strv(argv);
    free_strv(envp);
    return r;
}

static int64_t sys_exit(emu_linux_task *t, const uint64_t *a)
{
    emu_user_exit_thread(t, (int)a[0]);
}

static int64_t sys_exit_group(emu_linux_task *t, const uint64_t *a)
{
    emu_user_exit_group((int)a[0]);
}

static int64_t sys_wait4(emu_linux_task *t, const uint64_t *a)
{
    int status;
    struct rusage ru;
    if (a[2] & ~(uint64_t)(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
        return -EINVAL;
    int64_t r = emu_user_safe_syscall(t, SYS_wait4, (pid_t)a[0], (long)&status, (int)a[2], (long)(a[3] ? &ru : NULL), 0, 0);
    if (r < 0)
        return r;
    pid_t pid = (pid_t)r;
    if (pid > 0 && a[1] && put_u32(t, a[1], (uint32_t)status) < 0)
        return -EFAULT;
    if (pid > 0 && a[3] && emu_user_put_rusage(t, a[3], &ru) < 0)
        return -EFAULT;
    return pid;
}

static int64_t sys_waitpid(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[4] = { a[0], a[1], a[2], 0 };
    return sys_wait4(t, b);
}

static int64_t sys_waitid(emu_linux_task *t, const uint64_t *a)
{
    siginfo_t hi;
    memset(&hi, 0, sizeof hi);
    struct rusage ru;
    int64_t r = emu_user_safe_syscall(t, SYS_waitid, (int)a[0], (id_t)a[1], (long)&hi, (int)a[3], (long)(a[4] ? &ru : NULL), 0);
    if (r < 0)
        return r;
    if (a[2]) {
        emu_user_siginfo si = { .signo = hi.si_signo, .code = hi.si_code, .pid = hi.si_pid,
                                .uid = (int)hi.si_uid, .status = hi.si_status,
                                .utime = hi.si_utime, .stime = hi.si_stime };
        uint8_t buf[128];
        emu_user_siginfo_to_guest(t->proc, &si, buf);
        if (!hi.si_signo)
            memset(buf, 0, sizeof buf);
        if (emu_user_copy_out(t, a[2], buf, sizeof buf) < 0)
            return -EFAULT;
    }
    if (a[4] && emu_user_put_rusage(t, a[4], &ru) < 0)
        return -EFAULT;
    return 0;
}

static int64_t sys_getpid(emu_linux_task *t, const uint64_t *a) { return getpid(); }
static int64_t sys_getppid(emu_linux_task *t, const uint64_t *a) { return getppid(); }
static int64_t sys_gettid(emu_linux_task *t, const uint64_t *a) { return t->tid; }
static int64_t sys_getuid(emu_linux_task *t, const uint64_t *a) { return getuid(); }
static int64_t sys_geteuid(emu_linux_task *t, const uint64_t *a) { return geteuid(); }
static int64_t sys_getgid(emu_linux_task *t, const uint64_t *a) { return getgid(); }
static int64_t sys_getegid(emu_linux_task *t, const uint64_t *a) { return getegid(); }

/* The set*id calls act on the calling thread only, like the kernel's (guest
   libc makes every thread call them). */
static int64_t sys_setuid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setuid, (uid_t)a[0])); }
static int64_t sys_setgid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setgid, (gid_t)a[0])); }
static int64_t sys_setreuid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setreuid, (uid_t)a[0], (uid_t)a[1])); }
static int64_t sys_setregid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setregid, (gid_t)a[0], (gid_t)a[1])); }
static int64_t sys_setresuid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setresuid, (uid_t)a[0], (uid_t)a[1], (uid_t)a[2])); }
static int64_t sys_setresgid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setresgid, (gid_t)a[0], (gid_t)a[1], (gid_t)a[2])); }
static int64_t sys_setfsuid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setfsuid, (uid_t)a[0])); }
static int64_t sys_setfsgid(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_setfsgid, (gid_t)a[0])); }

static int64_t put_three(emu_linux_task *t, const uint64_t *addr, const uint32_t *v)
{
    for (int i = 0; i < 3; i++)
        if (put_u32(t, addr[i], v[i]) < 0)
            return -EFAULT;
    return 0;
}

static int64_t sys_getresuid(emu_linux_task *t, const uint64_t *a)
{
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    uint32_t v[3] = { r, e, s };
    return put_three(t, a, v);
}

static int64_t sys_getresgid(emu_linux_task *t, const uint64_t *a)
{
    gid_t r, e, s;
    getresgid(&r, &e, &s);
    uint32_t v[3] = { r, e, s };
    return put_three(t, a, v);
}

static int64_t sys_getgroups(emu_linux_task *t, const uint64_t *a)
{
    int size = (int)a[0];
    if (size < 0 || size > NGROUPS_MAX)
        return -EINVAL;
    gid_t *g = emu_xcalloc((size_t)size + 1, sizeof *g);
    int n = getgroups(size, g);
    int64_t r = n < 0 ? -errno : n;
    if (n > 0 && size) {
        uint8_t *out = emu_user_gptr(t, a[1], (uint64_t)n * 4, EMU_VM_WRITE);
        if (!out)
            r = -EFAULT;
        else
            for (int i = 0; i < n; i++)
                emu_user_st(t->proc, out + 4 * i, 4, g[i]);
    }
    free(g);
    return r;
}

static int64_t sys_setgroups(emu_linux_task *t, const uint64_t *a)
{
    int size = (int)a[0];
    if (size < 0 || size > NGROUPS_MAX)
        return -EINVAL;
    const uint8_t *in = emu_user_gptr(t, a[1], (uint64_t)size * 4, EMU_VM_READ);
    if (!in && size)
        return -EFAULT;
    gid_t *g = emu_xcalloc((size_t)size + 1, sizeof *g);
    for (int i = 0; i < size; i++)
        g[i] = (gid_t)emu_user_ld(t->proc, in + 4 * i, 4);
    long r = syscall(SYS_setgroups, size, g);
    r = r < 0 ? -errno : r;
    free(g);
    return r;
}

static int64_t sys_setsid(emu_linux_task *t, const uint64_t *a) { RET(setsid()); }
static int64_t sys_setpgid(emu_linux_task *t, const uint64_t *a) { RET(setpgid((pid_t)a[0], (pid_t)a[1])); }
static int64_t sys_getpgid(emu_linux_task *t, const uint64_t *a) { RET(getpgid((pid_t)a[0])); }
static int64_t sys_getpgrp(emu_linux_task *t, const uint64_t *a) { return getpgrp(); }
static int64_t sys_getsid(emu_linux_task *t, const uint64_t *a) { RET(getsid((pid_t)a[0])); }

static int64_t sys_set_tid_address(emu_linux_task *t, const uint64_t *a)
{
    t->clear_child_tid = a[0];
    return t->tid;
}

const emu_sys_entry emu_sys_proc_table[] = {
    { EMU_SYS_fork, sys_fork, "", 'd', 0 },
    { EMU_SYS_vfork, sys_vfork, "", 'd', 0 },
    { EMU_SYS_clone, sys_clone, "xxppp", 'd', 0 },
    { EMU_SYS_execve, sys_execve, "spp", 'n', 0 },
    { EMU_SYS_exit, sys_exit, "i", 'n', 0 },
    { EMU_SYS_exit_group, sys_exit_group, "i", 'n', 0 },
    { EMU_SYS_wait4, sys_wait4, "ipfp", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_waitpid, sys_waitpid, "ipf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_waitid, sys_waitid, "iipfp", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_getpid, sys_getpid, "", 'd', 0 },
    { EMU_SYS_getppid, sys_getppid, "", 'd', 0 },
    { EMU_SYS_gettid, sys_gettid, "", 'd', 0 },
    { EMU_SYS_getuid, sys_getuid, "", 'd', 0 },
    { EMU_SYS_geteuid, sys_geteuid, "", 'd', 0 },
    { EMU_SYS_getgid, sys_getgid, "", 'd', 0 },
    { EMU_SYS_getegid, sys_getegid, "", 'd', 0 },
    { EMU_SYS_setuid, sys_setuid, "i", 'd', 0 },
    { EMU_SYS_setgid, sys_setgid, "i", 'd', 0 },
    { EMU_SYS_setreuid, sys_setreuid, "ii", 'd', 0 },
    { EMU_SYS_setregid, sys_setregid, "ii", 'd', 0 },
    { EMU_SYS_setresuid, sys_setresuid, "iii", 'd', 0 },
    { EMU_SYS_setresgid, sys_setresgid, "iii", 'd', 0 },
    { EMU_SYS_setfsuid, sys_setfsuid, "i", 'd', 0 },
    { EMU_SYS_setfsgid, sys_setfsgid, "i", 'd', 0 },
    { EMU_SYS_getresuid, sys_getresuid, "ppp", 'd', 0 },
    { EMU_SYS_getresgid, sys_getresgid, "ppp", 'd', 0 },
    { EMU_SYS_getgroups, sys_getgroups, "ip", 'd', 0 },
    { EMU_SYS_setgroups, sys_setgroups, "ip", 'd', 0 },
    { EMU_SYS_setsid, sys_setsid, "", 'd', 0 },
    { EMU_SYS_setpgid, sys_setpgid, "ii", 'd', 0 },
    { EMU_SYS_getpgid, sys_getpgid, "i", 'd', 0 },
    { EMU_SYS_getpgrp, sys_getpgrp, "", 'd', 0 },
    { EMU_SYS_getsid, sys_getsid, "i", 'd', 0 },
    { EMU_SYS_set_tid_address, sys_set_tid_address, "p", 'd', 0 },
    { 0 },
};
