/* The user-mode process: pick the ABI plugin for the ELF file, load the program (and its dynamic
 * loader from --sysroot), build the stack, create the CPU, and run each guest thread in its own
 * host thread until the process exits; threads (clone), exit and execve.
 *
 * execve: a file that is an ELF program of the same guest architecture runs
 * under emu again (emu re-executes itself, no binfmt_misc needed); a script
 * whose #! interpreter is such a program runs that interpreter under emu;
 * anything else (a host program, a script for a host interpreter) is
 * executed by the host kernel, natively, as on a machine with both. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "elf.h"
#include "clock/clock.h"
#include "exec/user-exec.h"
#include "hooks.h"
#include "lua/lua-host.h"
#include "plugins.h"
#include "runtime.h"
#include "stack.h"
#include "user.h"
#include "util.h"

#define EXIT_USAGE 2
#define ARGV0_VAR "EMU_USER_ARGV0"
#define RUN_BUDGET (1ull << 30)

extern char **environ;

emu_user_cpu_ops emu_user_cpu;
static __thread emu_linux_task *current_task;
static emu_lua *lua_host;
/* The guest process: it lives until emu exits (every exit path ends in _exit). */
emu_user_proc *emu_user_process;
static char emu_self[PATH_MAX];

emu_linux_task *emu_user_current(void) { return current_task; }
void emu_user_set_current(emu_linux_task *t) { current_task = t; }

emu_linux_task *emu_user_task_new(emu_user_proc *p, emu_cpu *cpu)
{
    emu_linux_task *t = emu_xcalloc(1, sizeof *t);
    t->proc = p;
    t->cpu = cpu;
    pthread_mutex_lock(&p->lock);
    t->next = p->tasks;
    p->tasks = t;
    pthread_mutex_unlock(&p->lock);
    atomic_fetch_add(&p->nthreads, 1);
    return t;
}

void emu_user_task_free(emu_linux_task *t)
{
    emu_user_proc *p = t->proc;
    pthread_mutex_lock(&p->lock);
    for (emu_linux_task **pp = &p->tasks; *pp; pp = &(*pp)->next)
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    pthread_mutex_unlock(&p->lock);
    free(t);
}

/* ---- ABI plugins ---- */

static bool abi_matches(const emu_linux_abi *abi, uint8_t elf_class, uint8_t data, uint16_t machine)
{
    if (abi->elf_class != elf_class || abi->elf_data != data)
        return false;
    for (const uint16_t *m = abi->elf_machines; m && *m; m++)
        if (*m == machine)
            return true;
    return false;
}

/* Where emu_linux_abi ends in each ABI minor version: the end of its last field, not its
   sizeof, since a field added later may sit in the older struct's tail padding (old_dev_size
   of 1.1 does), which an older plugin never set. */
static const size_t linux_abi_ends[] = {
    offsetof(emu_linux_abi, tramp_size) + sizeof(uint32_t), /* 1.0 */
    sizeof(emu_linux_abi),                                  /* 1.1: old_dev_size, vdso*, prctl */
};

bool emu_user_abi_adopt(const emu_linux_abi *abi, emu_linux_abi *out)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof linux_abi_ends / sizeof *linux_abi_ends; i++)
        if (abi->struct_size >= linux_abi_ends[i])
            n = linux_abi_ends[i];
    memset(out, 0, sizeof *out);
    if (!n)
        return false;
    memcpy(out, abi, n);
    out->struct_size = sizeof *out;
    return true;
}

/* The ABI for the program, as the core's own full-size copy; NULL when none matches.  *known
   lists the ABIs there are. */
static const emu_linux_abi *find_abi(const emu_elf *e, char **known)
{
    static emu_linux_abi chosen;
    emu_plugins_load_all(NULL);
    const emu_linux_abi *found = NULL;
    char *list = NULL;
    for (size_t i = 0; i < emu_plugins_type_count(); i++) {
        const emu_plugin_desc *plugin;
        const char *file;
        const emu_type *ty = emu_plugins_type_at(i, &plugin, &file);
        if (ty->kind != EMU_KIND_ABI || !ty->kind_ops)
            continue;
        const emu_linux_abi *built = ty->kind_ops;
        emu_linux_abi abi;
        if (!emu_user_abi_adopt(built, &abi)) {
            emu_log(NULL, EMU_LOG_WARN, "%s: ABI type '%s' of plugin '%s' ignored: its emu_linux_abi "
                    "is %u bytes, smaller than the ABI 1.0 layout (%zu bytes); rebuild it against "
                    "this emu's SDK", file, ty->name, plugin->name, built->struct_size,
                    linux_abi_ends[0]);
            continue;
        }
        if (!found && abi_matches(&abi, e->elf_class, e->data, e->machine)) {
            chosen = abi;
            found = &chosen;
        }
        char *more = emu_asprintf("%s%s%d-bit %s (%s)", list ? list : "", list ? ", " : "",
                                  abi.elf_class == 2 ? 64 : 32, emu_elf_machine_name(abi.elf_machines[0]),
                                  abi.elf_data == 2 ? "big-endian" : "little-endian");
        free(list);
        list = more;
    }
    *known = list;
    return found;
}

/* ---- running ---- */

static void fault_signal(emu_linux_task *t, const emu_user_stop *st)
{
    emu_user_siginfo si = { 0 };
    switch (st->kind) {
    case EMU_USER_STOP_FAULT:
        si.signo = SIGSEGV;
        si.code = st->addr < t->proc->vm.size && (t->proc->vm.pages[st->addr / EMU_VM_PAGE] & EMU_VM_MAPPED)
                      ? SEGV_ACCERR : SEGV_MAPERR;
        si.addr = st->addr;
        break;
    case EMU_USER_STOP_ILLEGAL:
        si = (emu_user_siginfo){ .signo = SIGILL, .code = ILL_ILLOPC, .addr = st->pc };
        break;
    case EMU_USER_STOP_PRIV:
        si = (emu_user_siginfo){ .signo = SIGILL, .code = ILL_PRVOPC, .addr = st->pc };
        break;
    case EMU_USER_STOP_TRAP:
        si = (emu_user_siginfo){ .signo = SIGTRAP, .code = TRAP_BRKPT, .addr = st->pc };
        break;
    case EMU_USER_STOP_ALIGN:
        si = (emu_user_siginfo){ .signo = SIGBUS, .code = BUS_ADRALN, .addr = st->addr };
        break;
    case EMU_USER_STOP_FP: {
        static const int codes[] = { [EMU_FPE_INVALID] = FPE_FLTINV, [EMU_FPE_ZERODIV] = FPE_FLTDIV,
                                     [EMU_FPE_OVERFLOW] = FPE_FLTOVF, [EMU_FPE_UNDERFLOW] = FPE_FLTUND,
                                     [EMU_FPE_INEXACT] = FPE_FLTRES };
        si = (emu_user_siginfo){ .signo = SIGFPE, .addr = st->pc,
                                 .code = st->code < EMU_ARRAY_SIZE(codes) && codes[st->code] ? codes[st->code] : FPE_FLTINV };
        break;
    }
    default:
        return;
    }
    if (emu_log_enabled(EMU_LOG_CPU)) {
        uint32_t insn = 0;
        emu_user_copy_in(t, &insn, st->pc, 4);
        emu_log(NULL, EMU_LOG_CPU, "user mode: signal %d (code %d) at pc %#" PRIx64 " (word %08x), address %#" PRIx64,
                si.signo, si.code, st->pc, __builtin_bswap32(insn), si.addr);
    }
    emu_user_force_signal(t, &si);
}

static void syscall_with_hooks(emu_linux_task *t)
{
    emu_machine *m = t->proc->m;
    if (!emu_hooks_any(m, EMU_HOOK_SYSCALL) && !emu_hooks_any(m, EMU_HOOK_SYSCALL_RET)) {
        emu_user_syscall(t);
        return;
    }
    const emu_linux_abi *abi = t->proc->abi;
    uint64_t nr, args[6];
    abi->syscall_args(t->cpu, &nr, args);
    const char *name = nr < abi->nsyscalls ? emu_sys_name(abi->syscalls[nr]) : NULL;
    uint64_t pc = emu_cpu_pc(t->cpu);
    int64_t result;
    if (emu_hooks_any(m, EMU_HOOK_SYSCALL) &&
        emu_hooks_fire_syscall(m, t->cpu, pc, (int64_t)nr, name, args, &result)) {
        abi->syscall_result(t->cpu, result);
    } else {
        emu_user_syscall(t);
        /* The result as the guest sees it is in its registers now; the hooks
           get it back through the ABI's view of the result register. */
        result = t->last_result;
    }
    if (emu_hooks_any(m, EMU_HOOK_SYSCALL_RET))
        emu_hooks_fire_syscall_ret(m, t->cpu, pc, (int64_t)nr, name, args, result);
}

/* Virtual time in user mode follows executed instructions, as in system mode, so
   Lua's emu.wait and timers work.  Guest threads share the machine's clock, so one
   lock serialises advancing it and firing timers. */
static pthread_mutex_t clock_lock = PTHREAD_MUTEX_INITIALIZER;

/* Instructions to run before the next timer is due (RUN_BUDGET when none is armed). */
static uint64_t budget_to_next_timer(emu_machine *m)
{
    pthread_mutex_lock(&clock_lock);
    uint64_t deadline = emu_clock_next_deadline(m), now = emu_clock_ns(m);
    pthread_mutex_unlock(&clock_lock);
    if (deadline == UINT64_MAX)
        return RUN_BUDGET;
    uint64_t slice = deadline > now ? (deadline - now) / emu_clock_ns_per_insn(m) + 1 : 1;
    return slice < RUN_BUDGET ? slice : RUN_BUDGET;
}

static void advance_clock(emu_machine *m, uint64_t executed)
{
    pthread_mutex_lock(&clock_lock);
    emu_clock_advance_to(m, emu_clock_ns(m) + executed * emu_clock_ns_per_insn(m));
    emu_clock_run_due(m);
    pthread_mutex_unlock(&clock_lock);
}

static void run_task(emu_linux_task *t)
{
    emu_machine *m = t->proc->m;
    for (;;) {
        emu_user_stop st;
        emu_user_stop_kind kind;
        if (lua_host) {
            /* Only scripts arm timers or quit in user mode: without one, no clock work. */
            uint64_t before = emu_cpu_icount(t->cpu);
            kind = emu_user_cpu_run(t->cpu, budget_to_next_timer(m), &st);
            advance_clock(m, emu_cpu_icount(t->cpu) - before);
            if (m->quit_requested)   /* emu.quit, or an error in a Lua callback */
                emu_user_exit_group(m->exit_code);
        } else {
            kind = emu_user_cpu_run(t->cpu, RUN_BUDGET, &st);
        }
        if (kind == EMU_USER_STOP_SYSCALL)
            syscall_with_hooks(t);
        else if ((kind == EMU_USER_STOP_ILLEGAL || kind == EMU_USER_STOP_PRIV) &&
                 t->proc->abi->emulate && t->proc->abi->emulate(t, st.pc))
            ;
        else if (kind != EMU_USER_STOP_BUDGET && kind != EMU_USER_STOP_KICK)
            fault_signal(t, &st);
        if (t->restore_mask || emu_user_signal_pending(t))
            emu_user_deliver_signals(t);
    }
}

/* ---- exit ---- */

_Noreturn void emu_user_exit_group(int code)
{
    code &= 0xff;
    if (current_task && current_task->vfork_child)
        _exit(code);     /* everything else belongs to the waiting parent */
    if (lua_host) {
        emu_linux_task *t = current_task;
        code = emu_scripts_finish(t ? t->proc->m : NULL, lua_host, code);
        lua_host = NULL;
    }
    fflush(NULL);
    _exit(code);
}

/* The kernel's exit_robust_list: mark futexes the thread still holds. */
static void release_robust_list(emu_linux_task *t)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    uint8_t head[24];
    if (!t->robust_list || emu_user_copy_in(t, head, t->robust_list, 3 * w) < 0)
        return;
    uint64_t entry = emu_user_ld(p, head, w) & ~1ull;
    int64_t offset = w == 4 ? (int32_t)emu_user_ld(p, head + w, w) : (int64_t)emu_user_ld(p, head + w, w);
    uint64_t pending = emu_user_ld(p, head + 2 * w, w) & ~1ull;
    for (int n = 0; n < 2048 + 1; n++) {
        bool last = n == 2048 || entry == t->robust_list;
        uint64_t target = last ? pending : entry;
        if (target) {
            uint32_t *word = emu_user_gptr(t, target + (uint64_t)offset, 4, EMU_VM_WRITE);
            if (word && !((target + (uint64_t)offset) & 3)) {
                uint32_t v = (uint32_t)emu_user_ld(p, word, 4);
                if ((v & FUTEX_TID_MASK) == (uint32_t)t->tid) {
                    uint32_t nv = (v & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
                    uint32_t want, repl;
                    emu_user_st(p, &want, 4, v);
                    emu_user_st(p, &repl, 4, nv);
                    if (__atomic_compare_exchange_n(word, &want, repl, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST) &&
                        (v & FUTEX_WAITERS))
                        syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
                }
            }
        }
        if (last)
            break;
        uint8_t next[8];
        if (emu_user_copy_in(t, next, entry, w) < 0)
            break;
        entry = emu_user_ld(p, next, w) & ~1ull;
        if (entry == pending)
            pending = 0;
    }
}

_Noreturn void emu_user_exit_thread(emu_linux_task *t, int code)
{
    emu_user_proc *p = t->proc;
    if (t->vfork_child)
        _exit(code & 0xff);
    if (atomic_fetch_sub(&p->nthreads, 1) == 1)
        emu_user_exit_group(code);
    release_robust_list(t);
    if (t->clear_child_tid) {
        uint32_t *tidp = emu_user_gptr(t, t->clear_child_tid, 4, EMU_VM_WRITE);
        if (tidp) {
            __atomic_store_n(tidp, 0, __ATOMIC_SEQ_CST);
            syscall(SYS_futex, tidp, FUTEX_WAKE, 1, NULL, NULL, 0);
        }
    }
    emu_cpu *cpu = t->cpu;
    current_task = NULL;
    emu_user_task_free(t);
    emu_user_cpu_free(cpu);
    pthread_exit(NULL);
}

/* ---- threads ---- */

typedef struct thread_start {
    emu_linux_task *t;
    uint64_t flags, ptid, ctid;
    pid_t tid;                  /* the child's, for the parent (the task may be gone by then) */
    sem_t ready;
} thread_start;

static void *thread_main(void *arg)
{
    thread_start *ts = arg;
    emu_linux_task *t = ts->t;
    t->tid = (pid_t)syscall(SYS_gettid);
    current_task = t;
    uint8_t buf[4];
    emu_user_st(t->proc, buf, 4, (uint32_t)t->tid);
    if (ts->flags & CLONE_CHILD_SETTID)
        emu_user_copy_out(t, ts->ctid, buf, 4);
    if (ts->flags & CLONE_PARENT_SETTID)
        emu_user_copy_out(t, ts->ptid, buf, 4);
    ts->tid = t->tid;
    sem_post(&ts->ready);        /* ts belongs to the parent from here */
    emu_user_sync_mask(t);
    run_task(t);
    return NULL;
}

int64_t emu_user_clone_thread(emu_linux_task *t, uint64_t flags, uint64_t sp, uint64_t ptid,
                              uint64_t tls, uint64_t ctid)
{
    emu_user_proc *p = t->proc;
    emu_error *err = NULL;
    char id[32];
    static atomic_uint next_id = 1;
    snprintf(id, sizeof id, "cpu%u", atomic_fetch_add(&next_id, 1));
    emu_cpu *cpu = emu_user_cpu_clone(t->cpu, id, &err);
    if (!cpu) {
        emu_log(NULL, EMU_LOG_WARN, "user mode: cannot create a CPU for a new thread: %s",
                emu_error_message(err));
        emu_error_free(err);
        return -EAGAIN;
    }
    p->abi->syscall_result(cpu, 0);
    p->abi->clone_child(cpu, sp, flags & CLONE_SETTLS, tls);
    emu_linux_task *child = emu_user_task_new(p, cpu);
    child->blocked = t->blocked;
    if (flags & CLONE_CHILD_CLEARTID)
        child->clear_child_tid = ctid;
    thread_start ts = { .t = child, .flags = flags, .ptid = ptid, .ctid = ctid };
    sem_init(&ts.ready, 0, 0);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* The new host thread starts with every signal blocked until it has
       taken the guest mask. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t thread;
    int r = pthread_create(&thread, &attr, thread_main, &ts);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (r != 0) {
        atomic_fetch_sub(&p->nthreads, 1);
        emu_user_task_free(child);
        emu_user_cpu_free(cpu);
        sem_destroy(&ts.ready);
        return -r;
    }
    while (sem_wait(&ts.ready) < 0 && errno == EINTR)
        ;
    sem_destroy(&ts.ready);
    return ts.tid;
}

/* ---- execve ---- */

static bool is_guest_elf(emu_user_proc *p, const char *path)
{
    uint8_t h[20];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    if (n < 20 || memcmp(h, "\177ELF", 4))
        return false;
    uint16_t machine = h[5] == 2 ? (uint16_t)(h[18] << 8 | h[19]) : (uint16_t)(h[19] << 8 | h[18]);
    return abi_matches(p->abi, h[4], h[5], machine);
}

static int64_t exec_emu(emu_user_proc *p, const char *prog, const char *argv0, char **args, char **envp)
{
    char **nargv = NULL, **nenv = NULL;
    size_t na = 0, ca = 0, ne = 0, ce = 0;
    EMU_PUSH(nargv, na, ca, emu_self);
    if (p->sysroot) {
        EMU_PUSH(nargv, na, ca, "--sysroot");
        EMU_PUSH(nargv, na, ca, p->sysroot);
    }
    if (p->strace)
        EMU_PUSH(nargv, na, ca, "--strace");
    EMU_PUSH(nargv, na, ca, "--user");
    EMU_PUSH(nargv, na, ca, (char *)prog);
    for (size_t i = 0; args[i]; i++)
        EMU_PUSH(nargv, na, ca, args[i]);
    EMU_PUSH(nargv, na, ca, NULL);
    char *a0 = emu_asprintf("%s=%s", ARGV0_VAR, argv0);
    for (size_t i = 0; envp[i]; i++)
        if (strncmp(envp[i], ARGV0_VAR "=", sizeof ARGV0_VAR))
            EMU_PUSH(nenv, ne, ce, envp[i]);
    EMU_PUSH(nenv, ne, ce, a0);
    EMU_PUSH(nenv, ne, ce, NULL);
    fflush(NULL);
    execve(emu_self, nargv, nenv);
    int e = errno;
    free(nargv);
    free(nenv);
    free(a0);
    return -e;
}

int64_t emu_user_execve(emu_linux_task *t, const char *guest_path, char **argv, char **envp)
{
    emu_user_proc *p = t->proc;
    char map[PATH_MAX];
    const char *path = emu_user_path(p, guest_path, map, sizeof map);
    if (access(path, F_OK) < 0)
        return -errno;
    if (access(path, X_OK) < 0)
        return -errno;
    if (is_guest_elf(p, path))
        return exec_emu(p, path, argv[0] ? argv[0] : guest_path, argv[0] ? argv + 1 : argv, envp);
    /* A script whose interpreter is a guest program: what binfmt_script
       does, with the interpreter run under emu. */
    char line[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, line, sizeof line - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n > 2 && line[0] == '#' && line[1] == '!') {
        line[n] = 0;
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char *s = line + 2;
        while (*s == ' ' || *s == '\t')
            s++;
        char *interp = s;
        while (*s && *s != ' ' && *s != '\t')
            s++;
        char *arg = NULL;
        if (*s) {
            *s++ = 0;
            while (*s == ' ' || *s == '\t')
                s++;
            if (*s) {
                arg = s;
                size_t l = strlen(arg);
                while (l && (arg[l - 1] == ' ' || arg[l - 1] == '\t'))
                    arg[--l] = 0;
            }
        }
        char imap[PATH_MAX];
        const char *ipath = emu_user_path(p, interp, imap, sizeof imap);
        if (*interp && is_guest_elf(p, ipath)) {
            char **args = NULL;
            size_t nn = 0, cap = 0;
            if (arg)
                EMU_PUSH(args, nn, cap, arg);
            EMU_PUSH(args, nn, cap, (char *)guest_path);
            for (size_t i = 1; argv[0] && argv[i]; i++)
                EMU_PUSH(args, nn, cap, argv[i]);
            EMU_PUSH(args, nn, cap, NULL);
            int64_t r = exec_emu(p, ipath, interp, args, envp);
            free(args);
            return r;
        }
    }
    fflush(NULL);
    execve(path, argv, envp);
    return -errno;
}

/* ---- start ---- */

static int usage_error(emu_error *err)
{
    fprintf(stderr, "emu: %s\n", emu_error_message(err));
    emu_error_free(err);
    return EXIT_USAGE;
}

static void flush_code(void *opaque, uint64_t addr, uint64_t len)
{
    emu_user_flush_range(opaque, addr, len);
}

/* A copy of the auxiliary vector the stack holds, up to and with AT_NULL. */
static void keep_auxv(emu_user_proc *p, uint64_t addr)
{
    unsigned w = p->word;
    size_t len = 0;
    for (;;) {
        const uint8_t *pair = emu_vm_ptr(&p->vm, addr + len, 2 * w, EMU_VM_READ);
        if (!pair)
            return;
        len += 2 * w;
        if (!emu_user_ld(p, pair, w))
            break;
    }
    p->auxv = emu_xmalloc(len);
    memcpy(p->auxv, emu_vm_host(&p->vm, addr), len);
    p->auxv_len = len;
}

int emu_user_run(const emu_options *o)
{
    emu_error *err = NULL;
    const char *prog = o->user_program;
    emu_elf exe, interp;
    memset(&interp, 0, sizeof interp);
    interp.fd = -1;
    if (emu_elf_open(prog, &exe, &err) < 0) {
        if (prog[0] == '-' && access(prog, F_OK) < 0) {   /* an option after --user */
            fprintf(stderr, "emu: --user %s: no such program; emu's options go before --user "
                    "PROGRAM (what follows it is the program and its arguments)\n", prog);
            emu_error_free(err);
            return EXIT_USAGE;
        }
        return usage_error(err);
    }
    if (access(prog, X_OK) < 0) {
        fprintf(stderr, "emu: %s: not executable (%s)\n", prog, strerror(errno));
        emu_elf_close(&exe);
        return EXIT_USAGE;
    }
    char *known = NULL;
    const emu_linux_abi *abi = find_abi(&exe, &known);
    if (!abi) {
        fprintf(stderr, "emu: %s: a %d-bit %s %s program; emu --user runs: %s\n", prog,
                exe.elf_class == 2 ? 64 : 32, exe.data == 2 ? "big-endian" : "little-endian",
                emu_elf_machine_name(exe.machine), known ? known : "none (no ABI plugin found)");
        free(known);
        emu_elf_close(&exe);
        return EXIT_USAGE;
    }
    free(known);
    if (exe.interp) {
        char *ipath = o->sysroot ? emu_asprintf("%s%s", o->sysroot, exe.interp) : emu_xstrdup(exe.interp);
        if (access(ipath, F_OK) < 0) {
            fprintf(stderr, "emu: %s: its dynamic loader %s was not found%s%s%s\n", prog, ipath,
                    o->sysroot ? "" : " (give the guest's libraries with --sysroot DIR, e.g. ",
                    o->sysroot ? "" : "/usr/powerpc-linux-gnu for PowerPC",
                    o->sysroot ? "" : ")");
            free(ipath);
            emu_elf_close(&exe);
            return EXIT_USAGE;
        }
        if (emu_elf_open(ipath, &interp, &err) < 0) {
            free(ipath);
            emu_elf_close(&exe);
            return usage_error(err);
        }
        free(ipath);
        if (!abi_matches(abi, interp.elf_class, interp.data, interp.machine)) {
            fprintf(stderr, "emu: %s: the dynamic loader is a %s program, not one for this guest\n",
                    interp.path, emu_elf_machine_name(interp.machine));
            emu_elf_close(&exe);
            emu_elf_close(&interp);
            return EXIT_USAGE;
        }
    }

    emu_user_proc *p = emu_user_process = emu_xcalloc(1, sizeof *p);
    p->abi = abi;
    p->msb = abi->elf_data == 2;
    p->word = abi->elf_class == 2 ? 8 : 4;
    p->strace = o->strace;
    p->sysroot = o->sysroot ? emu_xstrdup(o->sysroot) : NULL;
    char real[PATH_MAX];
    p->exe_path = emu_xstrdup(realpath(prog, real) ? real : prog);
    pthread_mutex_init(&p->lock, NULL);
    p->enosys_seen_bits = abi->nsyscalls + 1;
    p->enosys_seen = emu_xcalloc(p->enosys_seen_bits / 8 + 1, 1);
    ssize_t selfn = readlink("/proc/self/exe", emu_self, sizeof emu_self - 1);
    emu_self[selfn > 0 ? selfn : 0] = 0;

    if (p->word == 8) {
        fprintf(stderr, "emu: %s: 64-bit guests are not supported by user mode yet\n", prog);
        return EXIT_USAGE;
    }
    if (emu_vm_init(&p->vm, 1ull << 32, &err) < 0)
        return usage_error(err);
    struct rlimit rl;
    uint64_t stack_size = 8 << 20;
    if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > stack_size)
        stack_size = rl.rlim_cur > (256u << 20) ? 256u << 20 : (rl.rlim_cur + EMU_VM_PAGE_MASK) & ~EMU_VM_PAGE_MASK;
    /* Linux leaves a gap of at least 128 MiB between the stack and mmap. */
    uint64_t gap = stack_size < (128u << 20) ? 128u << 20 : stack_size;
    p->vm.mmap_top = abi->stack_top - gap;

    emu_elf_image exe_img, interp_img = { 0 };
    if (emu_elf_load(&exe, &p->vm, abi->dyn_base, &exe_img, &err) < 0)
        return usage_error(err);
    emu_vm_set_brk(&p->vm, exe_img.end);
    emu_user_procfs_add_image(p, &exe, exe_img.bias);
    if (exe.interp && emu_elf_load(&interp, &p->vm, 0, &interp_img, &err) < 0)
        return usage_error(err);
    if (exe.interp)
        emu_user_procfs_add_image(p, &interp, interp_img.bias);

    /* The signal trampolines, on a read-only page like a vDSO's (the ABI's vDSO when it has one). */
    int64_t tramp = emu_vm_map(&p->vm, 0, EMU_VM_PAGE, EMU_VM_READ | EMU_VM_WRITE, 0, -1, 0);
    if (tramp < 0) {
        fprintf(stderr, "emu: no room for the signal trampolines\n");
        return EXIT_USAGE;
    }
    p->tramp_addr = (uint64_t)tramp;
    if (abi->vdso) {
        memcpy(emu_vm_host(&p->vm, p->tramp_addr), abi->vdso, abi->vdso_size);
    } else {
        memcpy(emu_vm_host(&p->vm, p->tramp_addr), abi->tramp_rt, abi->tramp_size);
        memcpy(emu_vm_host(&p->vm, p->tramp_addr + abi->tramp_size), abi->tramp_old, abi->tramp_size);
    }
    emu_vm_protect(&p->vm, p->tramp_addr, EMU_VM_PAGE, EMU_VM_READ | EMU_VM_EXEC);

    /* argv[0] as a guest execve gave it, and the environment without it. */
    const char *argv0 = getenv(ARGV0_VAR);
    char **argv = emu_xcalloc((size_t)o->user_argc + 1, sizeof *argv);
    for (int i = 0; i < o->user_argc; i++)
        argv[i] = o->user_argv[i];
    if (argv0)
        argv[0] = (char *)argv0;
    for (int i = 0; i < o->user_argc; i++) {
        size_t n = strlen(argv[i]) + 1;
        p->cmdline = emu_xrealloc(p->cmdline, p->cmdline_len + n);
        memcpy(p->cmdline + p->cmdline_len, argv[i], n);
        p->cmdline_len += n;
    }
    char **envp = NULL;
    size_t ne = 0, ce = 0;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, ARGV0_VAR "=", sizeof ARGV0_VAR))
            EMU_PUSH(envp, ne, ce, *e);
    EMU_PUSH(envp, ne, ce, NULL);

    emu_user_stack_args sa = {
        .abi = abi, .argv = argv, .argc = o->user_argc, .envp = envp, .execfn = prog,
        .exe = &exe, .exe_image = exe_img, .has_interp = exe.interp != NULL,
        .interp_image = interp_img, .stack_size = stack_size,
        .uid = getuid(), .euid = geteuid(), .gid = getgid(), .egid = getegid(),
        .vdso = abi->vdso ? p->tramp_addr : 0,
    };
    if (getrandom(sa.random, sizeof sa.random, 0) != sizeof sa.random)
        memset(sa.random, 0x5a, sizeof sa.random);
    emu_linux_start start;
    int built = emu_user_build_stack(&p->vm, &sa, &start, &err);
    free(envp);   /* the stack holds copies of the strings now */
    free(argv);
    if (built < 0)
        return usage_error(err);
    emu_elf_close(&interp);
    keep_auxv(p, start.auxv);

    emu_user_signals_init(p);
    /* eventfds and the like the guest inherited across execve are still converted. */
    emu_user_fd_scan();
    p->m = emu_machine_new("user", &err);
    if (!p->m)
        return usage_error(err);
    emu_user_space space = { p->vm.base, p->vm.size, p->vm.pages };
    emu_cpu *cpu = emu_user_cpu_new(p->m, abi->cpu_type, "cpu0", &space, &err);
    if (!cpu || abi->prepare(cpu, &err) < 0)
        return usage_error(err);
    abi->start(cpu, &start);
    emu_user_cpu = (emu_user_cpu_ops){ emu_user_cpu_clone, emu_user_cpu_free, emu_user_cpu_kick,
                                       emu_user_flush_range, run_task };
    p->vm.on_change = flush_code;
    p->vm.on_change_opaque = p->m;

    if (emu_scripts_start(p->m, o, p->exe_path, exe_img.bias, &lua_host) < 0) {
        emu_elf_close(&exe);
        return EXIT_USAGE;
    }
    emu_elf_close(&exe);

    emu_linux_task *t = emu_user_task_new(p, cpu);
    t->tid = getpid();
    current_task = t;
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    for (int sig = 1; sig <= EMU_NSIG; sig++)
        if (sigismember(&cur, sig) == 1)
            t->blocked |= 1ull << (sig - 1);
    emu_user_sync_mask(t);
    run_task(t);
    return 0;
}
