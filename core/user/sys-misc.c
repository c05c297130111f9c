/* Miscellaneous system calls: uname, getrandom, resource limits and usage, sysinfo, scheduling,
 * prctl/personality, robust lists, poll and select. */
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)

static int64_t sys_uname(emu_linux_task *t, const uint64_t *a)
{
    struct utsname u;
    if (uname(&u) < 0)
        return -errno;
    snprintf(u.machine, sizeof u.machine, "%s", t->proc->abi->uname_machine);
    /* Six 65-byte strings on every Linux ABI. */
    return emu_user_copy_out(t, a[0], &u, 6 * 65);
}

static int64_t sys_getrandom(emu_linux_task *t, const uint64_t *a)
{
    void *buf = emu_user_gptr(t, a[0], a[1], EMU_VM_WRITE);
    if (!buf)
        return -EFAULT;
    RET(getrandom(buf, a[1], (unsigned)a[2]));
}

/* ---- resource limits ----
 * The address-space, data and stack limits a guest sets are kept for the
 * guest (getrlimit shows them) but not applied to emu itself, whose own
 * reservations they would break. */
static struct rlimit emulated_limit[RLIM_NLIMITS];
static bool emulated_set[RLIM_NLIMITS];
static pthread_mutex_t rlimit_lock = PTHREAD_MUTEX_INITIALIZER;

static bool is_emulated(int res)
{
    return res == RLIMIT_AS || res == RLIMIT_DATA || res == RLIMIT_STACK;
}

static int get_limit(int res, struct rlimit *rl)
{
    if (res < 0 || res >= RLIM_NLIMITS)
        return -EINVAL;
    pthread_mutex_lock(&rlimit_lock);
    bool emu = is_emulated(res) && emulated_set[res];
    if (emu)
        *rl = emulated_limit[res];
    pthread_mutex_unlock(&rlimit_lock);
    if (!emu && getrlimit(res, rl) < 0)
        return -errno;
    return 0;
}

static int set_limit(int res, const struct rlimit *rl)
{
    if (res < 0 || res >= RLIM_NLIMITS)
        return -EINVAL;
    if (rl->rlim_cur > rl->rlim_max)
        return -EINVAL;
    if (is_emulated(res)) {
        struct rlimit cur;
        int e = get_limit(res, &cur);
        if (e < 0)
            return e;
        if (rl->rlim_max > cur.rlim_max && geteuid() != 0)
            return -EPERM;
        pthread_mutex_lock(&rlimit_lock);
        emulated_limit[res] = *rl;
        emulated_set[res] = true;
        pthread_mutex_unlock(&rlimit_lock);
        return 0;
    }
    return setrlimit(res, rl) < 0 ? -errno : 0;
}

/* struct rlimit of guest longs; RLIM_INFINITY is all ones in either width. */
static int64_t put_rlimit(emu_linux_task *t, uint64_t addr, const struct rlimit *rl, unsigned w)
{
    uint64_t max = w == 8 ? UINT64_MAX : UINT32_MAX;
    uint8_t buf[16];
    emu_user_st(t->proc, buf, w, rl->rlim_cur > max ? max : rl->rlim_cur);
    emu_user_st(t->proc, buf + w, w, rl->rlim_max > max ? max : rl->rlim_max);
    return emu_user_copy_out(t, addr, buf, 2 * w);
}

static int64_t get_rlimit(emu_linux_task *t, uint64_t addr, struct rlimit *rl, unsigned w)
{
    uint8_t buf[16];
    if (emu_user_copy_in(t, buf, addr, 2 * w) < 0)
        return -EFAULT;
    uint64_t max = w == 8 ? UINT64_MAX : UINT32_MAX;
    uint64_t cur = emu_user_ld(t->proc, buf, w), hard = emu_user_ld(t->proc, buf + w, w);
    rl->rlim_cur = cur == max ? RLIM_INFINITY : cur;
    rl->rlim_max = hard == max ? RLIM_INFINITY : hard;
    return 0;
}

static int64_t sys_getrlimit(emu_linux_task *t, const uint64_t *a)
{
    struct rlimit rl;
    int e = get_limit((int)a[0], &rl);
    return e < 0 ? e : put_rlimit(t, a[1], &rl, t->proc->word);
}

static int64_t sys_setrlimit(emu_linux_task *t, const uint64_t *a)
{
    struct rlimit rl;
    if (get_rlimit(t, a[1], &rl, t->proc->word) < 0)
        return -EFAULT;
    return set_limit((int)a[0], &rl);
}

static int64_t sys_prlimit64(emu_linux_task *t, const uint64_t *a)
{
    pid_t pid = (pid_t)a[0];
    int res = (int)a[1];
    if (pid != 0 && pid != getpid()) {
        /* Another process: its limits are the host's business. */
        struct rlimit nv, ov;
        if (a[2] && get_rlimit(t, a[2], &nv, 8) < 0)
            return -EFAULT;
        if (prlimit(pid, res, a[2] ? &nv : NULL, &ov) < 0)
            return -errno;
        return a[3] ? put_rlimit(t, a[3], &ov, 8) : 0;
    }
    struct rlimit old, nv;
    int e = get_limit(res, &old);
    if (e < 0)
        return e;
    if (a[2]) {
        if (get_rlimit(t, a[2], &nv, 8) < 0)
            return -EFAULT;
        if ((e = set_limit(res, &nv)) < 0)
            return e;
    }
    return a[3] ? put_rlimit(t, a[3], &old, 8) : 0;
}

int64_t emu_user_put_rusage(emu_linux_task *t, uint64_t addr, const struct rusage *ru)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    uint8_t buf[18 * 8] = { 0 };
    emu_user_st(p, buf, w, (uint64_t)ru->ru_utime.tv_sec);
    emu_user_st(p, buf + w, w, (uint64_t)ru->ru_utime.tv_usec);
    emu_user_st(p, buf + 2 * w, w, (uint64_t)ru->ru_stime.tv_sec);
    emu_user_st(p, buf + 3 * w, w, (uint64_t)ru->ru_stime.tv_usec);
    const long v[14] = { ru->ru_maxrss, ru->ru_ixrss, ru->ru_idrss, ru->ru_isrss, ru->ru_minflt,
                         ru->ru_majflt, ru->ru_nswap, ru->ru_inblock, ru->ru_oublock, ru->ru_msgsnd,
                         ru->ru_msgrcv, ru->ru_nsignals, ru->ru_nvcsw, ru->ru_nivcsw };
    for (int i = 0; i < 14; i++)
        emu_user_st(p, buf + (4 + i) * w, w, (uint64_t)v[i]);
    return emu_user_copy_out(t, addr, buf, 18 * w);
}

static int64_t sys_getrusage(emu_linux_task *t, const uint64_t *a)
{
    struct rusage ru;
    if (getrusage((int)a[0], &ru) < 0)
        return -errno;
    return emu_user_put_rusage(t, a[1], &ru);
}

static int64_t sys_sysinfo(emu_linux_task *t, const uint64_t *a)
{
    struct sysinfo si;
    if (sysinfo(&si) < 0)
        return -errno;
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    uint64_t unit = si.mem_unit ? si.mem_unit : 1;
    uint64_t mem[8] = { si.totalram, si.freeram, si.sharedram, si.bufferram, si.totalswap,
                        si.freeswap, si.totalhigh, si.freehigh };
    /* A 32-bit guest sees larger units when the sizes do not fit its longs. */
    if (w == 4)
        for (bool fit = false; !fit;) {
            fit = true;
            for (int i = 0; i < 8; i++)
                fit = fit && mem[i] <= UINT32_MAX;
            if (!fit) {
                for (int i = 0; i < 8; i++)
                    mem[i] >>= 1;
                unit <<= 1;
            }
        }
    uint8_t buf[128] = { 0 };
    emu_user_st(p, buf, w, (uint64_t)si.uptime);
    for (int i = 0; i < 3; i++)
        emu_user_st(p, buf + (1 + i) * w, w, si.loads[i]);
    for (int i = 0; i < 6; i++)
        emu_user_st(p, buf + (4 + i) * w, w, mem[i]);
    unsigned o = 10 * w;
    emu_user_st(p, buf + o, 2, si.procs);
    o = (o + 2 + 2 + w - 1) / w * w;
    emu_user_st(p, buf + o, w, mem[6]);
    emu_user_st(p, buf + o + w, w, mem[7]);
    emu_user_st(p, buf + o + 2 * w, 4, unit);
    return emu_user_copy_out(t, a[0], buf, w == 4 ? 64 : 112);
}

static int64_t sys_sched_yield(emu_linux_task *t, const uint64_t *a) { RET(sched_yield()); }

/* CPU masks are arrays of guest longs: bit n of word n / bits. */
static int64_t sys_sched_getaffinity(emu_linux_task *t, const uint64_t *a)
{
    unsigned w = t->proc->word;
    if (a[1] % w)
        return -EINVAL;
    size_t hostlen = (a[1] + 7) / 8 * 8;
    if (hostlen > 8192)
        hostlen = 8192;
    uint64_t *host = emu_xcalloc(hostlen / 8 ? hostlen / 8 : 1, 8);
    long r = syscall(SYS_sched_getaffinity, (pid_t)a[0], hostlen, host);
    if (r < 0) {
        r = -errno;
        free(host);
        return r;
    }
    uint64_t n = (uint64_t)r < a[1] ? (uint64_t)r : a[1];
    uint8_t *g = emu_user_gptr(t, a[2], n, EMU_VM_WRITE);
    if (!g) {
        free(host);
        return -EFAULT;
    }
    for (uint64_t i = 0; i < n / w; i++) {
        uint64_t word = w == 8 ? host[i] : (host[i / 2] >> (32 * (i % 2))) & 0xffffffffu;
        emu_user_st(t->proc, g + i * w, w, word);
    }
    free(host);
    return (int64_t)n;
}

static int64_t sys_sched_setaffinity(emu_linux_task *t, const uint64_t *a)
{
    unsigned w = t->proc->word;
    uint64_t len = a[1] > 8192 ? 8192 : a[1] / w * w;
    const uint8_t *g = emu_user_gptr(t, a[2], len, EMU_VM_READ);
    if (!g && len)
        return -EFAULT;
    uint64_t *host = emu_xcalloc(len / 8 + 1, 8);
    for (uint64_t i = 0; i < len / w; i++) {
        uint64_t word = emu_user_ld(t->proc, g + i * w, w);
        if (w == 8)
            host[i] = word;
        else
            host[i / 2] |= word << (32 * (i % 2));
    }
    long r = syscall(SYS_sched_setaffinity, (pid_t)a[0], (len / 8 + 1) * 8, host);
    r = r < 0 ? -errno : r;
    free(host);
    return r;
}

static int64_t sys_sched_getparam(emu_linux_task *t, const uint64_t *a)
{
    struct sched_param sp;
    if (sched_getparam((pid_t)a[0], &sp) < 0)
        return -errno;
    uint8_t buf[4];
    emu_user_st(t->proc, buf, 4, (uint32_t)sp.sched_priority);
    return emu_user_copy_out(t, a[1], buf, 4);
}

static int64_t sys_sched_getscheduler(emu_linux_task *t, const uint64_t *a) { RET(sched_getscheduler((pid_t)a[0])); }
static int64_t sys_getpriority(emu_linux_task *t, const uint64_t *a) { RET(syscall(SYS_getpriority, (int)a[0], (id_t)a[1])); }
static int64_t sys_setpriority(emu_linux_task *t, const uint64_t *a) { RET(setpriority((int)a[0], (id_t)a[1], (int)a[2])); }

static int64_t sys_personality(emu_linux_task *t, const uint64_t *a)
{
    /* Querying is fine; changing emu's own personality is not. */
    if ((uint32_t)a[0] == 0xffffffffu || (uint32_t)a[0] == PER_LINUX)
        RET(personality((uint32_t)a[0] == 0xffffffffu ? 0xffffffffu : PER_LINUX));
    return -EINVAL;
}

static int64_t sys_prctl(emu_linux_task *t, const uint64_t *a)
{
    int64_t arch_result;
    if (t->proc->abi->prctl && t->proc->abi->prctl(t, a, &arch_result))
        return arch_result;
    switch ((int)a[0]) {
    case PR_SET_NAME: {
        char name[16];
        int e = emu_user_strcpy_in(t, name, sizeof name, a[1]);
        if (e == -ENAMETOOLONG) {
            if (emu_user_copy_in(t, name, a[1], 15) < 0)
                return -EFAULT;
            name[15] = 0;
        } else if (e < 0) {
            return e;
        }
        RET(prctl(PR_SET_NAME, name));
    }
    case PR_GET_NAME: {
        char name[16] = { 0 };
        if (prctl(PR_GET_NAME, name) < 0)
            return -errno;
        return emu_user_copy_out(t, a[1], name, 16);
    }
    case PR_GET_DUMPABLE: case PR_SET_DUMPABLE: case PR_SET_PDEATHSIG: case PR_GET_NO_NEW_PRIVS:
    case PR_SET_NO_NEW_PRIVS: case PR_GET_KEEPCAPS: case PR_SET_KEEPCAPS: case PR_GET_TIMERSLACK:
    case PR_SET_TIMERSLACK: case PR_SET_CHILD_SUBREAPER:
        RET(prctl((int)a[0], (unsigned long)a[1], (unsigned long)a[2], (unsigned long)a[3], (unsigned long)a[4]));
    case PR_GET_PDEATHSIG: {
        int sig;
        if (prctl(PR_GET_PDEATHSIG, &sig) < 0)
            return -errno;
        uint8_t buf[4];
        emu_user_st(t->proc, buf, 4, (uint32_t)sig);
        return emu_user_copy_out(t, a[1], buf, 4);
    }
    default:
        return -EINVAL;
    }
}

static int64_t sys_set_robust_list(emu_linux_task *t, const uint64_t *a)
{
    /* struct robust_list_head: three guest longs. */
    if (a[1] != 3u * t->proc->word)
        return -EINVAL;
    t->robust_list = a[0];
    t->robust_len = a[1];
    return 0;
}

static int64_t sys_get_robust_list(emu_linux_task *t, const uint64_t *a)
{
    if (a[0] && (pid_t)a[0] != t->tid)
        return -EPERM;
    uint8_t buf[8];
    unsigned w = t->proc->word;
    emu_user_st(t->proc, buf, w, t->robust_list);
    if (emu_user_copy_out(t, a[1], buf, w) < 0)
        return -EFAULT;
    emu_user_st(t->proc, buf, w, t->robust_len);
    return emu_user_copy_out(t, a[2], buf, w);
}
/* The host mask for a blocking wait under the guest's signal mask: the guest's blocked
   signals, except the synchronous fault signals and those that cannot be blocked. */
static void host_wait_mask(uint64_t mask, sigset_t *host)
{
    sigemptyset(host);
    for (int s = 1; s <= EMU_NSIG; s++)
        if ((mask >> (s - 1) & 1) && s != SIGSEGV && s != SIGBUS && s != SIGILL && s != SIGFPE &&
            s != SIGKILL && s != SIGSTOP)
            sigaddset(host, s);
}


/* ---- poll and select ---- */

static int64_t do_poll(emu_linux_task *t, uint64_t gfds, uint64_t nfds, const struct timespec *ts,
                       const uint64_t *mask)
{
    if (nfds > 65536)
        return -EINVAL;
    uint8_t *g = emu_user_gptr(t, gfds, nfds * 8, EMU_VM_WRITE);
    if (!g && nfds)
        return -EFAULT;
    struct pollfd *fds = emu_xcalloc(nfds ? nfds : 1, sizeof *fds);
    emu_user_proc *p = t->proc;
    for (uint64_t i = 0; i < nfds; i++) {
        fds[i].fd = (int)emu_user_ld(p, g + 8 * i, 4);
        fds[i].events = (short)emu_user_ld(p, g + 8 * i + 4, 2);
    }
    sigset_t hostmask, *pm = NULL;
    uint64_t saved = t->blocked;
    if (mask) {
        t->blocked = *mask;
        host_wait_mask(*mask, &hostmask);
        pm = &hostmask;
    }
    /* The kernel writes the time left into the timeout: give it a copy. */
    struct timespec left, *pleft = ts ? &left : NULL;
    if (ts)
        left = *ts;
    int64_t ret = emu_user_safe_syscall(t, SYS_ppoll, (long)fds, (long)nfds, (long)pleft, (long)pm, 8, 0);
    int r = ret < 0 ? -1 : (int)ret;
    if (mask) {
        if (ret == -EINTR && emu_user_signal_pending(t)) {
            t->restore_mask = true;
            t->saved_mask = saved;
        } else {
            t->blocked = saved;
        }
    }
    if (r >= 0)
        for (uint64_t i = 0; i < nfds; i++)
            emu_user_st(p, g + 8 * i + 6, 2, (uint16_t)fds[i].revents);
    free(fds);
    return ret == -EINTR ? -EMU_ERESTARTNOHAND : ret;
}

static int64_t sys_poll(emu_linux_task *t, const uint64_t *a)
{
    int ms = (int)a[2];
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    return do_poll(t, a[0], a[1], ms < 0 ? NULL : &ts, NULL);
}

static int64_t ppoll_common(emu_linux_task *t, const uint64_t *a, bool time64)
{
    struct timespec ts;
    uint64_t mask;
    if (a[2] && emu_user_get_timespec(t, a[2], &ts, time64) < 0)
        return -EFAULT;
    if (a[3]) {
        if (a[4] != 8)
            return -EINVAL;
        if (emu_user_get_sigset(t, a[3], &mask) < 0)
            return -EFAULT;
    }
    return do_poll(t, a[0], a[1], a[2] ? &ts : NULL, a[3] ? &mask : NULL);
}

static int64_t sys_ppoll(emu_linux_task *t, const uint64_t *a) { return ppoll_common(t, a, false); }
static int64_t sys_ppoll_time64(emu_linux_task *t, const uint64_t *a) { return ppoll_common(t, a, true); }

/* fd_set: guest longs, bit n of word n / bits. */
static int get_fdset(emu_linux_task *t, uint64_t addr, int n, fd_set *set)
{
    FD_ZERO(set);
    if (!addr)
        return 0;
    unsigned w = t->proc->word, bits = 8 * w;
    unsigned nwords = ((unsigned)n + bits - 1) / bits;
    const uint8_t *g = emu_user_gptr(t, addr, (uint64_t)nwords * w, EMU_VM_READ);
    if (!g)
        return -EFAULT;
    for (unsigned i = 0; i < nwords; i++) {
        uint64_t v = emu_user_ld(t->proc, g + i * w, w);
        for (unsigned b = 0; b < bits && i * bits + b < (unsigned)n; b++)
            if (v >> b & 1)
                FD_SET((int)(i * bits + b), set);
    }
    return 0;
}

static int put_fdset(emu_linux_task *t, uint64_t addr, int n, const fd_set *set)
{
    if (!addr)
        return 0;
    unsigned w = t->proc->word, bits = 8 * w;
    unsigned nwords = ((unsigned)n + bits - 1) / bits;
    uint8_t *g = emu_user_gptr(t, addr, (uint64_t)nwords * w, EMU_VM_WRITE);
    if (!g)
        return -EFAULT;
    for (unsigned i = 0; i < nwords; i++) {
        uint64_t v = 0;
        for (unsigned b = 0; b < bits && i * bits + b < (unsigned)n; b++)
            if (FD_ISSET((int)(i * bits + b), set))
                v |= 1ull << b;
        emu_user_st(t->proc, g + i * w, w, v);
    }
    return 0;
}

static int64_t do_select(emu_linux_task *t, int n, uint64_t r, uint64_t w, uint64_t e,
                         struct timespec *ts, const uint64_t *mask)
{
    if (n < 0 || n > FD_SETSIZE)
        return -EINVAL;
    fd_set rs, ws, es;
    if (get_fdset(t, r, n, &rs) < 0 || get_fdset(t, w, n, &ws) < 0 || get_fdset(t, e, n, &es) < 0)
        return -EFAULT;
    sigset_t hostmask, *pm = NULL;
    uint64_t saved = t->blocked;
    if (mask) {
        t->blocked = *mask;
        host_wait_mask(*mask, &hostmask);
        pm = &hostmask;
    }
    struct timespec left, *pleft = ts ? &left : NULL;
    if (ts)
        left = *ts;
    const void *maskarg[2] = { pm, (const void *)8 };    /* { sigset, its size } */
    int64_t ret = emu_user_safe_syscall(t, SYS_pselect6, n, (long)(r ? &rs : NULL), (long)(w ? &ws : NULL),
                                        (long)(e ? &es : NULL), (long)pleft, (long)maskarg);
    int res = ret < 0 ? -1 : (int)ret;
    if (mask) {
        if (ret == -EINTR && emu_user_signal_pending(t)) {
            t->restore_mask = true;
            t->saved_mask = saved;
        } else {
            t->blocked = saved;
        }
    }
    if (res >= 0 && (put_fdset(t, r, n, &rs) < 0 || put_fdset(t, w, n, &ws) < 0 || put_fdset(t, e, n, &es) < 0))
        return -EFAULT;
    return ret == -EINTR ? -EMU_ERESTARTNOHAND : ret;
}

static int64_t sys_newselect(emu_linux_task *t, const uint64_t *a)
{
    struct timespec ts, *pts = NULL;
    if (a[4]) {
        if (emu_user_get_timespec(t, a[4], &ts, false) < 0)
            return -EFAULT;
        if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000)
            return -EINVAL;
        ts.tv_nsec *= 1000;      /* a timeval */
        pts = &ts;
    }
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int64_t r = do_select(t, (int)a[0], a[1], a[2], a[3], pts, NULL);
    if (pts && r >= 0) {
        /* Linux writes back the time left. */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t left = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec -
                       ((int64_t)(now.tv_sec - start.tv_sec) * 1000000000 + (now.tv_nsec - start.tv_nsec));
        if (left < 0 || r == 0)
            left = 0;
        struct timespec tv = { left / 1000000000, (left % 1000000000) / 1000 };
        emu_user_put_timespec(t, a[4], &tv, false);
    }
    return r;
}

static int64_t pselect_common(emu_linux_task *t, const uint64_t *a, bool time64)
{
    struct timespec ts, *pts = NULL;
    uint64_t mask, *pmask = NULL;
    if (a[4]) {
        if (emu_user_get_timespec(t, a[4], &ts, time64) < 0)
            return -EFAULT;
        pts = &ts;
    }
    if (a[5]) {
        /* { const sigset_t *ss; size_t ss_len; } in guest longs */
        unsigned w = t->proc->word;
        uint8_t buf[16];
        if (emu_user_copy_in(t, buf, a[5], 2 * w) < 0)
            return -EFAULT;
        uint64_t ss = emu_user_ld(t->proc, buf, w), len = emu_user_ld(t->proc, buf + w, w);
        if (ss) {
            if (len != 8)
                return -EINVAL;
            if (emu_user_get_sigset(t, ss, &mask) < 0)
                return -EFAULT;
            pmask = &mask;
        }
    }
    return do_select(t, (int)a[0], a[1], a[2], a[3], pts, pmask);
}

static int64_t sys_pselect6(emu_linux_task *t, const uint64_t *a) { return pselect_common(t, a, false); }
static int64_t sys_pselect6_time64(emu_linux_task *t, const uint64_t *a) { return pselect_common(t, a, true); }

/* ---- epoll ----
 * struct epoll_event { uint32_t events; uint64_t data; }: packed (12 bytes)
 * only on x86; naturally aligned (16 bytes, data at 8) on the other ABIs. */

static unsigned epoll_event_size(const emu_user_proc *p, unsigned *data_off)
{
    *data_off = p->abi->align64 == 4 ? 4 : 8;
    return *data_off + 8;
}

static int64_t sys_epoll_create1(emu_linux_task *t, const uint64_t *a)
{
    RET(epoll_create1((int)emu_user_bits_to_host(t->proc->abi->open_flags, (uint32_t)a[0])));
}

static int64_t sys_epoll_ctl(emu_linux_task *t, const uint64_t *a)
{
    struct epoll_event ev = { 0 }, *pev = NULL;
    if (a[3]) {
        unsigned doff, size = epoll_event_size(t->proc, &doff);
        uint8_t buf[16];
        if (emu_user_copy_in(t, buf, a[3], size) < 0)
            return -EFAULT;
        ev.events = (uint32_t)emu_user_ld(t->proc, buf, 4);
        ev.data.u64 = emu_user_ld(t->proc, buf + doff, 8);
        pev = &ev;
    }
    RET(epoll_ctl((int)a[0], (int)a[1], (int)a[2], pev));
}

static int64_t do_epoll_wait(emu_linux_task *t, const uint64_t *a, const uint64_t *mask)
{
    int max = (int)a[2];
    if (max <= 0 || max > 65536)
        return -EINVAL;
    unsigned doff, size = epoll_event_size(t->proc, &doff);
    uint8_t *g = emu_user_gptr(t, a[1], (uint64_t)max * size, EMU_VM_WRITE);
    if (!g)
        return -EFAULT;
    struct epoll_event *ev = emu_xcalloc((size_t)max, sizeof *ev);
    sigset_t hostmask;
    uint64_t saved = t->blocked;
    if (mask) {
        t->blocked = *mask;
        host_wait_mask(*mask, &hostmask);
    }
    int64_t r = emu_user_safe_syscall(t, SYS_epoll_pwait, (int)a[0], (long)ev, max, (int)a[3],
                                      (long)(mask ? &hostmask : NULL), 8);
    int n = r < 0 ? -1 : (int)r;
    if (mask) {
        if (r == -EINTR && emu_user_signal_pending(t)) {
            t->restore_mask = true;
            t->saved_mask = saved;
        } else {
            t->blocked = saved;
        }
    }
    for (int i = 0; i < n; i++) {
        memset(g + i * size, 0, size);
        emu_user_st(t->proc, g + i * size, 4, ev[i].events);
        emu_user_st(t->proc, g + i * size + doff, 8, ev[i].data.u64);
    }
    free(ev);
    return r == -EINTR ? -EMU_ERESTARTNOHAND : r;
}

static int64_t sys_epoll_wait(emu_linux_task *t, const uint64_t *a) { return do_epoll_wait(t, a, NULL); }

static int64_t sys_epoll_pwait(emu_linux_task *t, const uint64_t *a)
{
    uint64_t mask;
    if (!a[4])
        return do_epoll_wait(t, a, NULL);
    if (a[5] != 8)
        return -EINVAL;
    if (emu_user_get_sigset(t, a[4], &mask) < 0)
        return -EFAULT;
    return do_epoll_wait(t, a, &mask);
}

const emu_sys_entry emu_sys_misc_table[] = {
    { EMU_SYS_uname, sys_uname, "p", 'd', 0 },
    { EMU_SYS_getrandom, sys_getrandom, "puf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_getrlimit, sys_getrlimit, "ip", 'd', 0 },
    { EMU_SYS_ugetrlimit, sys_getrlimit, "ip", 'd', 0 },
    { EMU_SYS_setrlimit, sys_setrlimit, "ip", 'd', 0 },
    { EMU_SYS_prlimit64, sys_prlimit64, "iipp", 'd', 0 },
    { EMU_SYS_getrusage, sys_getrusage, "ip", 'd', 0 },
    { EMU_SYS_sysinfo, sys_sysinfo, "p", 'd', 0 },
    { EMU_SYS_sched_yield, sys_sched_yield, "", 'd', 0 },
    { EMU_SYS_sched_getaffinity, sys_sched_getaffinity, "iup", 'd', 0 },
    { EMU_SYS_sched_setaffinity, sys_sched_setaffinity, "iup", 'd', 0 },
    { EMU_SYS_sched_getparam, sys_sched_getparam, "ip", 'd', 0 },
    { EMU_SYS_sched_getscheduler, sys_sched_getscheduler, "i", 'd', 0 },
    { EMU_SYS_getpriority, sys_getpriority, "ii", 'd', 0 },
    { EMU_SYS_setpriority, sys_setpriority, "iii", 'd', 0 },
    { EMU_SYS_personality, sys_personality, "x", 'x', 0 },
    { EMU_SYS_prctl, sys_prctl, "ixxxx", 'd', 0 },
    { EMU_SYS_set_robust_list, sys_set_robust_list, "pu", 'd', 0 },
    { EMU_SYS_get_robust_list, sys_get_robust_list, "ipp", 'd', 0 },
    { EMU_SYS_poll, sys_poll, "pui", 'd', 0 },
    { EMU_SYS_ppoll, sys_ppoll, "pupxu", 'd', 0 },
    { EMU_SYS_ppoll_time64, sys_ppoll_time64, "pupxu", 'd', 0 },
    { EMU_SYS__newselect, sys_newselect, "ipppp", 'd', 0 },
    { EMU_SYS_pselect6, sys_pselect6, "ippppp", 'd', 0 },
    { EMU_SYS_pselect6_time64, sys_pselect6_time64, "ippppp", 'd', 0 },
    { EMU_SYS_epoll_create1, sys_epoll_create1, "f", 'd', 0 },
    { EMU_SYS_epoll_ctl, sys_epoll_ctl, "iiip", 'd', 0 },
    { EMU_SYS_epoll_wait, sys_epoll_wait, "ipii", 'd', 0 },
    { EMU_SYS_epoll_pwait, sys_epoll_pwait, "ipiipu", 'd', 0 },
    { 0 },
};
