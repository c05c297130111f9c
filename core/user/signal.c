/* Guest signals: dispositions mirrored onto host dispositions, host signals queued on the task
 * whose host thread received them (host thread masks follow the guest masks, so the host kernel
 * picks the thread), delivery through the ABI's signal frame at the next CPU stop, synchronous
 * faults, and dying by a signal like a native process. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "user.h"

#define BIT(sig) (1ull << ((sig) - 1))
#define SIG_DFL_ 0
#define SIG_IGN_ 1
#define SA_RESTART_ 0x10000000u
#define SA_ONSTACK_ 0x08000000u
#define SA_NODEFER_ 0x40000000u
#define SA_RESETHAND_ 0x80000000u
#define SS_ONSTACK_ 1
#define SS_DISABLE_ 2

/* Signals whose default action ends the process with a core dump. */
static const uint64_t core_default = BIT(SIGQUIT) | BIT(SIGILL) | BIT(SIGTRAP) | BIT(SIGABRT) |
                                     BIT(SIGBUS) | BIT(SIGFPE) | BIT(SIGSEGV) | BIT(SIGXCPU) |
                                     BIT(SIGXFSZ) | BIT(SIGSYS);
static const uint64_t ignore_default = BIT(SIGCHLD) | BIT(SIGCONT) | BIT(SIGURG) | BIT(SIGWINCH);
static const uint64_t stop_default = BIT(SIGSTOP) | BIT(SIGTSTP) | BIT(SIGTTIN) | BIT(SIGTTOU);
/* Raised by faults of guest code: the engine reports those as CPU stops, so
   the host handlers for them only see signals sent with kill(). */
static const uint64_t fault_signals = BIT(SIGSEGV) | BIT(SIGBUS) | BIT(SIGILL) | BIT(SIGFPE) | BIT(SIGTRAP);
/* Never blocked or caught on the host (glibc keeps 32 and 33 for itself). */
static const uint64_t host_reserved = BIT(SIGKILL) | BIT(SIGSTOP) | BIT(32) | BIT(33);

static emu_user_proc *the_proc;
/* Its address marks the host signal emu sends only to wake a thread of its own. */
static const char wake_tag;

static void host_handler(int sig, siginfo_t *info, void *uc)
{
    if ((fault_signals & BIT(sig)) && info->si_code > 0) {
        /* A fault in emu itself, not guest code: let it crash. */
        signal(sig, SIG_DFL);
        return;
    }
    emu_linux_task *t = emu_user_current();
    if (!t || sig < 1 || sig > EMU_NSIG)
        return;
    if (info->si_code == SI_QUEUE && info->si_pid == getpid() && info->si_value.sival_ptr == &wake_tag) {
        /* Not a guest signal: another thread queued one for us and wants a blocking
           call interrupted. */
        atomic_store(&t->signal_flag, 1);
        emu_user_safe_syscall_rewind(uc);
        return;
    }
    emu_user_siginfo *si = &t->pending[sig];
    if (!(__atomic_load_n(&t->pending_set, __ATOMIC_ACQUIRE) & BIT(sig))) {
        memset(si, 0, sizeof *si);
        si->signo = sig;
        si->code = info->si_code;
        si->errno_ = info->si_errno;
        si->pid = info->si_pid;
        si->uid = (int)info->si_uid;
        if (sig == SIGCHLD) {
            si->status = info->si_status;
            si->utime = info->si_utime;
            si->stime = info->si_stime;
        } else if (info->si_code == SI_TIMER) {
            si->timerid = info->si_timerid;
            si->overrun = info->si_overrun;
            si->value = (uint64_t)(uintptr_t)info->si_value.sival_ptr;
        } else if (info->si_code == SI_QUEUE || info->si_code == SI_MESGQ) {
            si->value = (uint64_t)(uintptr_t)info->si_value.sival_ptr;
        }
        __atomic_fetch_or(&t->pending_set, BIT(sig), __ATOMIC_RELEASE);
    }
    atomic_store(&t->signal_flag, 1);
    /* After the flag: a thread about to enter a blocking call returns EINTR instead. */
    emu_user_safe_syscall_rewind(uc);
    if (t->cpu && emu_user_cpu.kick)
        emu_user_cpu.kick(t->cpu);
}

/* What the host does with sig for the guest disposition `handler`: signals whose default
   ignores or stops keep the host's default; those that end the process are caught too, so
   the guest's mask and handlers decide when (a signal unblocked together with a lower one
   whose handler blocks it must wait, not end the process at once).  The
   fault signals are caught once at start-up, before the engine puts its own
   handler in front (it passes on what is not a guest-code fault), and never
   touched again. */
static void apply_host_disposition(int sig, uint64_t handler)
{
    if ((host_reserved | fault_signals) & BIT(sig))
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigfillset(&sa.sa_mask);
    if (handler == SIG_IGN_) {
        sa.sa_handler = SIG_IGN;
    } else if (handler == SIG_DFL_ && ((ignore_default | stop_default) & BIT(sig))) {
        sa.sa_handler = SIG_DFL;
    } else {
        sa.sa_sigaction = host_handler;
        sa.sa_flags = SA_SIGINFO;     /* no SA_RESTART: blocking calls must see EINTR */
    }
    sigaction(sig, &sa, NULL);
}

int emu_user_signals_init(emu_user_proc *p)
{
    the_proc = p;
    for (int sig = 1; sig <= EMU_NSIG; sig++) {
        struct sigaction old;
        /* Ignored signals stay ignored across execve, as the kernel keeps them. */
        if (!(host_reserved & BIT(sig)) && sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN &&
            !(fault_signals & BIT(sig)))
            p->sigact[sig].handler = SIG_IGN_;
        if (fault_signals & BIT(sig)) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sigfillset(&sa.sa_mask);
            sa.sa_sigaction = host_handler;
            sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
            sigaction(sig, &sa, NULL);
        } else {
            apply_host_disposition(sig, p->sigact[sig].handler);
        }
    }
    return 0;
}

/* Put a signal emu holds for t back on the host thread's queue (it is blocked there now),
   with its siginfo; false when the host refuses (a non-main thread may not forge si_code). */
static bool requeue_on_host(emu_linux_task *t, int sig)
{
    const emu_user_siginfo *si = &t->pending[sig];
    siginfo_t hi;
    memset(&hi, 0, sizeof hi);
    hi.si_signo = sig;
    hi.si_errno = si->errno_;
    hi.si_code = si->code;
    hi.si_pid = si->pid;
    hi.si_uid = (uid_t)si->uid;
    if (sig == SIGCHLD) {
        hi.si_status = si->status;
        hi.si_utime = si->utime;
        hi.si_stime = si->stime;
    } else if (si->code == SI_TIMER) {
        hi.si_timerid = si->timerid;
        hi.si_overrun = si->overrun;
        hi.si_value.sival_ptr = (void *)(uintptr_t)si->value;
    } else {
        hi.si_value.sival_ptr = (void *)(uintptr_t)si->value;
    }
    return syscall(SYS_rt_tgsigqueueinfo, getpid(), t->tid, sig, &hi) == 0;
}

void emu_user_sync_mask(emu_linux_task *t)
{
    sigset_t set;
    sigemptyset(&set);
    for (int sig = 1; sig <= EMU_NSIG; sig++)
        if ((t->blocked & BIT(sig)) && !((host_reserved | fault_signals) & BIT(sig)))
            sigaddset(&set, sig);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    /* Signals emu took from the host that are blocked now wait on the host again, where
       signalfd, sigpending and sigtimedwait see them as the kernel's queue; unblocking
       brings them back through the handler. */
    uint64_t held = __atomic_load_n(&t->pending_set, __ATOMIC_ACQUIRE) & t->blocked &
                    ~(host_reserved | fault_signals);
    while (held) {
        int sig = __builtin_ctzll(held) + 1;
        held &= held - 1;
        if (requeue_on_host(t, sig))
            __atomic_fetch_and(&t->pending_set, ~BIT(sig), __ATOMIC_ACQ_REL);
    }
}

static uint64_t deliverable(emu_linux_task *t)
{
    return __atomic_load_n(&t->pending_set, __ATOMIC_ACQUIRE) & ~(t->blocked & ~(BIT(SIGKILL) | BIT(SIGSTOP)));
}

bool emu_user_signal_next(emu_linux_task *t, int *sig)
{
    uint64_t d = deliverable(t);
    if (!d)
        return false;
    /* Synchronous faults first, then the lowest number, as Linux does. */
    uint64_t sync = d & fault_signals;
    *sig = __builtin_ctzll(sync ? sync : d) + 1;
    return true;
}

bool emu_user_signal_pending(emu_linux_task *t)
{
    return deliverable(t) != 0;
}

_Noreturn void emu_user_die_by_signal(int sig)
{
    fflush(NULL);
    if (core_default & BIT(sig)) {
        /* The guest crashed, not emu: no core file of emu. */
        struct rlimit rl = { 0, 0 };
        setrlimit(RLIMIT_CORE, &rl);
    }
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
    kill(getpid(), sig);
    _exit(128 + sig);
}

size_t emu_user_siginfo_to_guest(const emu_user_proc *p, const emu_user_siginfo *si, uint8_t *out)
{
    unsigned w = p->word, u = w == 4 ? 12 : 16;     /* where the union starts */
    memset(out, 0, 128);
    emu_user_st(p, out, 4, (uint32_t)si->signo);
    emu_user_st(p, out + 4, 4, (uint32_t)si->errno_);
    emu_user_st(p, out + 8, 4, (uint32_t)si->code);
    bool fault = (fault_signals & BIT(si->signo)) && si->code > 0;
    if (fault) {
        emu_user_st(p, out + u, w, si->addr);
    } else if (si->signo == SIGCHLD && si->code > 0) {
        emu_user_st(p, out + u, 4, (uint32_t)si->pid);
        emu_user_st(p, out + u + 4, 4, (uint32_t)si->uid);
        emu_user_st(p, out + u + 8, 4, (uint32_t)si->status);
        emu_user_st(p, out + u + (w == 4 ? 12 : 16), w, (uint64_t)si->utime);
        emu_user_st(p, out + u + (w == 4 ? 16 : 24), w, (uint64_t)si->stime);
    } else if (si->code == SI_TIMER) {
        emu_user_st(p, out + u, 4, (uint32_t)si->timerid);
        emu_user_st(p, out + u + 4, 4, (uint32_t)si->overrun);
        emu_user_st(p, out + u + 8, w, si->value);
    } else {
        emu_user_st(p, out + u, 4, (uint32_t)si->pid);
        emu_user_st(p, out + u + 4, 4, (uint32_t)si->uid);
        emu_user_st(p, out + u + 8, w, si->value);
    }
    return 128;
}

static bool on_altstack(const emu_linux_task *t, uint64_t sp)
{
    return t->ss_size && sp > t->ss_sp && sp - t->ss_sp <= t->ss_size;
}

/* Run the handler of one dequeued signal (frame on the guest stack). */
static void setup_handler(emu_linux_task *t, int sig, const emu_user_siginfo *si,
                          const emu_user_sigaction *act)
{
    emu_user_proc *p = t->proc;
    const emu_linux_abi *abi = p->abi;
    uint64_t old_mask = t->restore_mask ? t->saved_mask : t->blocked;
    t->restore_mask = false;
    uint64_t sp = abi->stack_pointer(t->cpu);
    uint8_t info[128];
    emu_user_siginfo_to_guest(p, si, info);
    emu_linux_sigframe_info fi = {
        .sig = sig, .handler = act->handler, .flags = act->flags, .restorer = act->restorer,
        .old_mask = old_mask,
        .frame_top = (act->flags & SA_ONSTACK_) && t->ss_size && !on_altstack(t, sp) ? t->ss_sp + t->ss_size : sp,
        .ss_sp = t->ss_sp, .ss_size = t->ss_size,
        .ss_flags = t->ss_size ? (on_altstack(t, sp) ? SS_ONSTACK_ : 0) : SS_DISABLE_,
        .siginfo = info, .siginfo_size = sizeof info,
        .sigreturn_tramp = p->tramp_addr + (abi->vdso ? abi->vdso_sigtramp_rt : 0),
        .sigreturn_tramp_old = p->tramp_addr + (abi->vdso ? abi->vdso_sigtramp : abi->tramp_size),
    };
    if (abi->signal_frame(t, &fi) < 0) {
        /* No room for the frame: the kernel kills with SIGSEGV. */
        emu_user_die_by_signal(SIGSEGV);
    }
    t->blocked |= act->mask;
    if (!(act->flags & SA_NODEFER_))
        t->blocked |= BIT(sig);
    t->blocked &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
    emu_user_sync_mask(t);
}

void emu_user_deliver_signals(emu_linux_task *t)
{
    emu_user_proc *p = t->proc;
    atomic_store(&t->signal_flag, 0);
    int sig;
    while (emu_user_signal_next(t, &sig)) {
        emu_user_siginfo si = t->pending[sig];
        __atomic_fetch_and(&t->pending_set, ~BIT(sig), __ATOMIC_ACQ_REL);
        pthread_mutex_lock(&p->lock);
        emu_user_sigaction act = p->sigact[sig];
        if (act.handler > SIG_IGN_ && (act.flags & SA_RESETHAND_)) {
            p->sigact[sig].handler = SIG_DFL_;
            p->sigact[sig].flags &= ~SA_RESETHAND_;
            apply_host_disposition(sig, SIG_DFL_);
        }
        pthread_mutex_unlock(&p->lock);
        if (act.handler == SIG_IGN_)
            continue;
        if (act.handler == SIG_DFL_) {
            if (ignore_default & BIT(sig))
                continue;
            if (stop_default & BIT(sig)) {
                kill(getpid(), SIGSTOP);
                continue;
            }
            emu_user_die_by_signal(sig);
        }
        setup_handler(t, sig, &si, &act);
    }
    if (t->restore_mask) {
        t->restore_mask = false;
        t->blocked = t->saved_mask;
        emu_user_sync_mask(t);
    }
}

void emu_user_force_signal(emu_linux_task *t, const emu_user_siginfo *si)
{
    emu_user_proc *p = t->proc;
    int sig = si->signo;
    /* Like the kernel's force_sig: a blocked or ignored fault kills. */
    pthread_mutex_lock(&p->lock);
    if ((t->blocked & BIT(sig)) || p->sigact[sig].handler == SIG_IGN_) {
        p->sigact[sig].handler = SIG_DFL_;
        t->blocked &= ~BIT(sig);
    }
    pthread_mutex_unlock(&p->lock);
    t->pending[sig] = *si;
    __atomic_fetch_or(&t->pending_set, BIT(sig), __ATOMIC_ACQ_REL);
    emu_user_deliver_signals(t);
}

/* Interrupt t's blocking host call, if it is in one: a host signal t has unblocked and
   catches, tagged so that the handler only wakes the thread.  With every such signal
   blocked or ignored, t sees the queued signal when its call returns. */
static void wake_thread(emu_linux_task *t)
{
    for (int sig = EMU_NSIG; sig >= 1; sig--) {
        uint64_t handler = the_proc->sigact[sig].handler;
        if (((host_reserved | fault_signals) & BIT(sig)) || (t->blocked & BIT(sig)) || handler == SIG_IGN_ ||
            (handler == SIG_DFL_ && ((ignore_default | stop_default) & BIT(sig))))
            continue;
        siginfo_t hi;
        memset(&hi, 0, sizeof hi);
        hi.si_signo = sig;
        hi.si_code = SI_QUEUE;
        hi.si_pid = getpid();
        hi.si_uid = getuid();
        hi.si_value.sival_ptr = (void *)&wake_tag;
        syscall(SYS_rt_tgsigqueueinfo, getpid(), t->tid, sig, &hi);
        return;
    }
}

void emu_user_queue_signal(emu_linux_task *t, const emu_user_siginfo *si)
{
    int sig = si->signo;
    if (!(__atomic_load_n(&t->pending_set, __ATOMIC_ACQUIRE) & BIT(sig)))
        t->pending[sig] = *si;
    __atomic_fetch_or(&t->pending_set, BIT(sig), __ATOMIC_ACQ_REL);
    atomic_store(&t->signal_flag, 1);
    if (t->cpu && emu_user_cpu.kick)
        emu_user_cpu.kick(t->cpu);
    if (t != emu_user_current() && !(t->blocked & BIT(sig)))
        wake_thread(t);
}

/* ---- system calls ---- */

/* Install *nv (when not NULL) as sig's disposition; returns the one it replaces. */
static emu_user_sigaction exchange_action(emu_user_proc *p, int sig, const emu_user_sigaction *nv)
{
    pthread_mutex_lock(&p->lock);
    emu_user_sigaction old = p->sigact[sig];
    if (nv) {
        p->sigact[sig] = *nv;
        apply_host_disposition(sig, nv->handler);
    }
    pthread_mutex_unlock(&p->lock);
    return old;
}

static int64_t sys_rt_sigaction(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    int sig = (int)a[0];
    if (a[3] != 8)
        return -EINVAL;
    if (sig < 1 || sig > EMU_NSIG || ((sig == SIGKILL || sig == SIGSTOP) && a[1]))
        return -EINVAL;
    unsigned w = p->word;
    emu_user_sigaction nv;
    if (a[1]) {
        uint8_t buf[32];
        if (emu_user_copy_in(t, buf, a[1], 3 * w + 8) < 0)
            return -EFAULT;
        nv.handler = emu_user_ld(p, buf, w);
        nv.flags = emu_user_ld(p, buf + w, w);
        nv.restorer = emu_user_ld(p, buf + 2 * w, w);
        if (emu_user_get_sigset(t, a[1] + 3 * w, &nv.mask) < 0)
            return -EFAULT;
        nv.mask &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
    }
    emu_user_sigaction old = exchange_action(p, sig, a[1] ? &nv : NULL);
    if (a[2]) {
        uint8_t buf[32] = { 0 };
        emu_user_st(p, buf, w, old.handler);
        emu_user_st(p, buf + w, w, old.flags);
        emu_user_st(p, buf + 2 * w, w, old.restorer);
        if (emu_user_copy_out(t, a[2], buf, 3 * w) < 0 || emu_user_put_sigset(t, a[2] + 3 * w, old.mask) < 0)
            return -EFAULT;
    }
    return 0;
}

static int64_t sys_rt_sigprocmask(emu_linux_task *t, const uint64_t *a)
{
    if (a[3] != 8)
        return -EINVAL;
    uint64_t old = t->blocked, set;
    if (a[1]) {
        if (emu_user_get_sigset(t, a[1], &set) < 0)
            return -EFAULT;
        switch ((int)a[0]) {
        case SIG_BLOCK: t->blocked |= set; break;
        case SIG_UNBLOCK: t->blocked &= ~set; break;
        case SIG_SETMASK: t->blocked = set; break;
        default: return -EINVAL;
        }
        t->blocked &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
        emu_user_sync_mask(t);
    }
    if (a[2] && emu_user_put_sigset(t, a[2], old) < 0)
        return -EFAULT;
    return 0;
}

/* Pending for the thread or the process, and blocked. */
static uint64_t pending_signals(emu_linux_task *t)
{
    sigset_t host;
    sigpending(&host);
    uint64_t set = __atomic_load_n(&t->pending_set, __ATOMIC_ACQUIRE);
    for (int sig = 1; sig <= EMU_NSIG; sig++)
        if (sigismember(&host, sig) == 1)
            set |= BIT(sig);
    return set & t->blocked;
}

static int64_t sys_rt_sigpending(emu_linux_task *t, const uint64_t *a)
{
    if (a[1] != 8)
        return -EINVAL;
    return emu_user_put_sigset(t, a[0], pending_signals(t));
}

/* Wait for a signal with `mask` as the guest mask; the handler runs with the
   old mask saved in its frame. */
static int64_t suspend_with(emu_linux_task *t, uint64_t mask)
{
    uint64_t saved = t->blocked;
    t->blocked = mask & ~(BIT(SIGKILL) | BIT(SIGSTOP));
    if (!emu_user_signal_pending(t)) {
        sigset_t host;
        sigemptyset(&host);
        for (int sig = 1; sig <= EMU_NSIG; sig++)
            if ((t->blocked & BIT(sig)) && !((host_reserved | fault_signals) & BIT(sig)))
                sigaddset(&host, sig);
        /* The safe call returns at once for a signal that came after the check. */
        while (!emu_user_signal_pending(t))
            emu_user_safe_syscall(t, SYS_rt_sigsuspend, (long)&host, 8, 0, 0, 0, 0);
    }
    t->restore_mask = true;
    t->saved_mask = saved;
    return -EINTR;
}

static int64_t sys_rt_sigsuspend(emu_linux_task *t, const uint64_t *a)
{
    uint64_t mask;
    if (a[1] != 8)
        return -EINVAL;
    if (emu_user_get_sigset(t, a[0], &mask) < 0)
        return -EFAULT;
    return suspend_with(t, mask);
}

static int64_t sys_pause(emu_linux_task *t, const uint64_t *a)
{
    return suspend_with(t, t->blocked);
}

static int64_t sigtimedwait_common(emu_linux_task *t, const uint64_t *a, bool time64)
{
    uint64_t set;
    if (a[3] != 8)
        return -EINVAL;
    if (emu_user_get_sigset(t, a[0], &set) < 0)
        return -EFAULT;
    set &= ~(BIT(SIGKILL) | BIT(SIGSTOP));
    emu_user_siginfo si;
    memset(&si, 0, sizeof si);
    uint64_t mine = __atomic_load_n(&t->pending_set, __ATOMIC_ACQUIRE) & set;
    if (mine) {
        int sig = __builtin_ctzll(mine) + 1;
        si = t->pending[sig];
        __atomic_fetch_and(&t->pending_set, ~BIT(sig), __ATOMIC_ACQ_REL);
    } else {
        struct timespec ts, *pts = NULL;
        if (a[2]) {
            if (emu_user_get_timespec(t, a[2], &ts, time64) < 0)
                return -EFAULT;
            pts = &ts;
        }
        sigset_t host;
        sigemptyset(&host);
        for (int sig = 1; sig <= EMU_NSIG; sig++)
            if ((set & BIT(sig)) && !(host_reserved & BIT(sig)))
                sigaddset(&host, sig);
        siginfo_t hi;
        int64_t sig = emu_user_safe_syscall(t, SYS_rt_sigtimedwait, (long)&host, (long)&hi, (long)pts, 8, 0, 0);
        if (sig < 0)
            return sig;
        si.signo = (int)sig;
        si.code = hi.si_code;
        si.pid = hi.si_pid;
        si.uid = (int)hi.si_uid;
        si.value = (uint64_t)(uintptr_t)hi.si_value.sival_ptr;
        if (sig == SIGCHLD)
            si.status = hi.si_status;
    }
    if (a[1]) {
        uint8_t buf[128];
        emu_user_siginfo_to_guest(t->proc, &si, buf);
        if (emu_user_copy_out(t, a[1], buf, sizeof buf) < 0)
            return -EFAULT;
    }
    return si.signo;
}

static int64_t sys_rt_sigtimedwait(emu_linux_task *t, const uint64_t *a) { return sigtimedwait_common(t, a, false); }
static int64_t sys_rt_sigtimedwait_time64(emu_linux_task *t, const uint64_t *a) { return sigtimedwait_common(t, a, true); }

static int64_t sys_sigaltstack(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word, size = w == 4 ? 12 : 24;
    uint64_t sp = p->abi->stack_pointer(t->cpu);
    if (a[1]) {
        uint8_t buf[24] = { 0 };
        emu_user_st(p, buf, w, t->ss_sp);
        emu_user_st(p, buf + w, 4, (uint32_t)(t->ss_size ? (on_altstack(t, sp) ? SS_ONSTACK_ : 0) : SS_DISABLE_));
        emu_user_st(p, buf + 2 * w, w, t->ss_size);
        if (emu_user_copy_out(t, a[1], buf, size) < 0)
            return -EFAULT;
    }
    if (a[0]) {
        uint8_t buf[24];
        if (emu_user_copy_in(t, buf, a[0], size) < 0)
            return -EFAULT;
        uint64_t ss_sp = emu_user_ld(p, buf, w), ss_size = emu_user_ld(p, buf + 2 * w, w);
        int flags = (int)emu_user_ld(p, buf + w, 4);
        if (on_altstack(t, sp))
            return -EPERM;
        if (flags != 0 && flags != SS_DISABLE_ && flags != SS_ONSTACK_)
            return -EINVAL;
        if (flags == SS_DISABLE_) {
            t->ss_sp = t->ss_size = 0;
        } else {
            if (ss_size < 2048)        /* MINSIGSTKSZ */
                return -ENOMEM;
            t->ss_sp = ss_sp;
            t->ss_size = ss_size;
        }
    }
    return 0;
}

static int64_t do_sigreturn(emu_linux_task *t, bool rt)
{
    emu_linux_sigreturn_info out;
    memset(&out, 0, sizeof out);
    if (t->proc->abi->sigreturn(t, rt, &out) < 0) {
        emu_user_siginfo si = { .signo = SIGSEGV, .code = SI_KERNEL };
        emu_user_force_signal(t, &si);
        return EMU_SYS_NORESULT;
    }
    t->blocked = out.mask & ~(BIT(SIGKILL) | BIT(SIGSTOP));
    emu_user_sync_mask(t);
    if (out.has_stack && !on_altstack(t, t->proc->abi->stack_pointer(t->cpu))) {
        if (out.ss_flags == SS_DISABLE_) {
            t->ss_sp = t->ss_size = 0;
        } else if (out.ss_size >= 2048) {
            t->ss_sp = out.ss_sp;
            t->ss_size = out.ss_size;
        }
    }
    return EMU_SYS_NORESULT;
}

static int64_t sys_rt_sigreturn(emu_linux_task *t, const uint64_t *a) { return do_sigreturn(t, true); }
static int64_t sys_sigreturn(emu_linux_task *t, const uint64_t *a) { return do_sigreturn(t, false); }

static int64_t sys_kill(emu_linux_task *t, const uint64_t *a)
{
    int sig = (int)a[1];
    if (sig < 0 || sig > EMU_NSIG)
        return -EINVAL;
    return kill((pid_t)a[0], sig) < 0 ? -errno : 0;
}

/* Signals for a thread of this process that the host cannot carry (glibc's
   own 32 and 33) are queued directly. */
static int64_t signal_thread(emu_linux_task *t, pid_t tgid, pid_t tid, int sig)
{
    if (sig < 0 || sig > EMU_NSIG || tid <= 0)
        return -EINVAL;
    if (sig && (host_reserved & BIT(sig)) && sig != SIGKILL && sig != SIGSTOP &&
        (tgid < 0 || tgid == getpid())) {
        emu_user_proc *p = t->proc;
        pthread_mutex_lock(&p->lock);
        emu_linux_task *target = p->tasks;
        while (target && target->tid != tid)
            target = target->next;
        if (target) {
            emu_user_siginfo si = { .signo = sig, .code = SI_TKILL, .pid = getpid(), .uid = (int)getuid() };
            emu_user_queue_signal(target, &si);
        }
        pthread_mutex_unlock(&p->lock);
        return target ? 0 : -ESRCH;
    }
    long r = tgid < 0 ? syscall(SYS_tkill, tid, sig) : syscall(SYS_tgkill, tgid, tid, sig);
    return r < 0 ? -errno : 0;
}

static int64_t sys_tgkill(emu_linux_task *t, const uint64_t *a) { return signal_thread(t, (pid_t)a[0], (pid_t)a[1], (int)a[2]); }
static int64_t sys_tkill(emu_linux_task *t, const uint64_t *a) { return signal_thread(t, -1, (pid_t)a[0], (int)a[1]); }

static int64_t sys_rt_sigqueueinfo(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    uint8_t buf[128];
    if (emu_user_copy_in(t, buf, a[2], sizeof buf) < 0)
        return -EFAULT;
    unsigned u = p->word == 4 ? 12 : 16;
    siginfo_t hi;
    memset(&hi, 0, sizeof hi);
    hi.si_signo = (int)a[1];
    hi.si_code = (int)emu_user_ld(p, buf + 8, 4);
    hi.si_pid = (pid_t)emu_user_ld(p, buf + u, 4);
    hi.si_uid = (uid_t)emu_user_ld(p, buf + u + 4, 4);
    hi.si_value.sival_ptr = (void *)(uintptr_t)emu_user_ld(p, buf + u + 8, p->word);
    long r = syscall(SYS_rt_sigqueueinfo, (pid_t)a[0], (int)a[1], &hi);
    return r < 0 ? -errno : 0;
}

/* ---- the old calls: masks are one guest word (signals 1 to 32 on 32-bit guests) ---- */

static uint64_t old_mask_bits(const emu_user_proc *p)
{
    return p->word == 4 ? 0xffffffffull : ~0ull;
}

static void set_blocked(emu_linux_task *t, uint64_t mask)
{
    t->blocked = mask & ~(BIT(SIGKILL) | BIT(SIGSTOP));
    emu_user_sync_mask(t);
}

/* struct old_sigaction: sa_handler, sa_mask (one word), sa_flags, sa_restorer. */
static int64_t sys_sigaction(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    int sig = (int)a[0];
    unsigned w = p->word;
    if (sig < 1 || sig > EMU_NSIG || ((sig == SIGKILL || sig == SIGSTOP) && a[1]))
        return -EINVAL;
    emu_user_sigaction nv;
    if (a[1]) {
        uint8_t buf[32];
        if (emu_user_copy_in(t, buf, a[1], 4 * w) < 0)
            return -EFAULT;
        nv.handler = emu_user_ld(p, buf, w);
        nv.mask = emu_user_ld(p, buf + w, w) & ~(BIT(SIGKILL) | BIT(SIGSTOP));
        nv.flags = emu_user_ld(p, buf + 2 * w, w);
        nv.restorer = emu_user_ld(p, buf + 3 * w, w);
    }
    emu_user_sigaction old = exchange_action(p, sig, a[1] ? &nv : NULL);
    if (a[2]) {
        uint8_t buf[32];
        emu_user_st(p, buf, w, old.handler);
        emu_user_st(p, buf + w, w, old.mask & old_mask_bits(p));
        emu_user_st(p, buf + 2 * w, w, old.flags);
        emu_user_st(p, buf + 3 * w, w, old.restorer);
        if (emu_user_copy_out(t, a[2], buf, 4 * w) < 0)
            return -EFAULT;
    }
    return 0;
}

/* signal(): a one-shot handler that does not block its own signal; returns the old handler. */
static int64_t sys_signal(emu_linux_task *t, const uint64_t *a)
{
    int sig = (int)a[0];
    if (sig < 1 || sig > EMU_NSIG || sig == SIGKILL || sig == SIGSTOP)
        return -EINVAL;
    emu_user_sigaction nv = { .handler = a[1], .flags = SA_RESETHAND_ | SA_NODEFER_ };
    return (int64_t)exchange_action(t->proc, sig, &nv).handler;
}

static int64_t put_old_mask(emu_linux_task *t, uint64_t addr, uint64_t mask)
{
    uint8_t buf[8];
    emu_user_st(t->proc, buf, t->proc->word, mask & old_mask_bits(t->proc));
    return emu_user_copy_out(t, addr, buf, t->proc->word) < 0 ? -EFAULT : 0;
}

/* Changes only the signals of the first word; the others keep their state. */
static int64_t sys_sigprocmask(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    uint64_t old = t->blocked;
    if (a[1]) {
        uint8_t buf[8];
        if (emu_user_copy_in(t, buf, a[1], p->word) < 0)
            return -EFAULT;
        uint64_t set = emu_user_ld(p, buf, p->word);
        switch ((int)a[0]) {
        case SIG_BLOCK: set_blocked(t, old | set); break;
        case SIG_UNBLOCK: set_blocked(t, old & ~set); break;
        case SIG_SETMASK: set_blocked(t, (old & ~old_mask_bits(p)) | set); break;
        default: return -EINVAL;
        }
    }
    return a[2] ? put_old_mask(t, a[2], old) : 0;
}

static int64_t sys_sigpending(emu_linux_task *t, const uint64_t *a)
{
    return put_old_mask(t, a[0], pending_signals(t));
}

/* The one-argument form (the mask itself, not a pointer) PowerPC has; the mask replaces the
   whole signal mask. */
static int64_t sys_sigsuspend(emu_linux_task *t, const uint64_t *a)
{
    return suspend_with(t, a[0] & old_mask_bits(t->proc));
}

static int64_t sys_sgetmask(emu_linux_task *t, const uint64_t *a)
{
    return (int64_t)(int32_t)(uint32_t)t->blocked;
}

static int64_t sys_ssetmask(emu_linux_task *t, const uint64_t *a)
{
    int64_t old = (int64_t)(int32_t)(uint32_t)t->blocked;
    set_blocked(t, (uint32_t)a[0]);
    return old;
}

const emu_sys_entry emu_sys_signal_table[] = {
    { EMU_SYS_sigaction, sys_sigaction, "Spp", 'd', 0 },
    { EMU_SYS_signal, sys_signal, "Sx", 'x', 0 },
    { EMU_SYS_sigprocmask, sys_sigprocmask, "ipp", 'd', 0 },
    { EMU_SYS_sigpending, sys_sigpending, "p", 'd', 0 },
    { EMU_SYS_sigsuspend, sys_sigsuspend, "x", 'd', 0 },
    { EMU_SYS_sgetmask, sys_sgetmask, "", 'x', 0 },
    { EMU_SYS_ssetmask, sys_ssetmask, "x", 'x', 0 },
    { EMU_SYS_rt_sigaction, sys_rt_sigaction, "Sppu", 'd', 0 },
    { EMU_SYS_rt_sigprocmask, sys_rt_sigprocmask, "ippu", 'd', 0 },
    { EMU_SYS_rt_sigpending, sys_rt_sigpending, "pu", 'd', 0 },
    { EMU_SYS_rt_sigsuspend, sys_rt_sigsuspend, "pu", 'd', 0 },
    { EMU_SYS_pause, sys_pause, "", 'd', 0 },
    { EMU_SYS_rt_sigtimedwait, sys_rt_sigtimedwait, "pppu", 'd', 0 },
    { EMU_SYS_rt_sigtimedwait_time64, sys_rt_sigtimedwait_time64, "pppu", 'd', 0 },
    { EMU_SYS_rt_sigqueueinfo, sys_rt_sigqueueinfo, "iSp", 'd', 0 },
    { EMU_SYS_sigaltstack, sys_sigaltstack, "pp", 'd', 0 },
    { EMU_SYS_rt_sigreturn, sys_rt_sigreturn, "", 'n', 0 },
    { EMU_SYS_sigreturn, sys_sigreturn, "", 'n', 0 },
    { EMU_SYS_kill, sys_kill, "iS", 'd', 0 },
    { EMU_SYS_tgkill, sys_tgkill, "iiS", 'd', 0 },
    { EMU_SYS_tkill, sys_tkill, "iS", 'd', 0 },
    { 0 },
};
