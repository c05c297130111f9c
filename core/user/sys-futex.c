/* futex: guest memory is host memory, so the host kernel waits and wakes on the guest's words
 * itself.  What the kernel would read or change as a number (the expected value of a wait,
 * the value CMP_REQUEUE compares, the operation of WAKE_OP, the owner of a PI lock) is in
 * the guest's byte order: when that differs from the host's, the values are swapped, and
 * WAKE_OP and the PI operations are done here on the guest word with atomic instructions,
 * waiting and waking with plain host futex calls.  Emulated PI locks have no priority
 * inheritance (the host scheduler never sees the chain); their owner, waiters bit and
 * OWNER_DIED follow the kernel's protocol, so glibc's user-space fast paths and robust
 * mutexes work unchanged. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)

static bool swapped(const emu_user_proc *p)
{
    return p->msb != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

/* The guest word as a number, and compare-and-swap in the guest's order. */
static uint32_t load_word(const emu_user_proc *p, uint32_t *w)
{
    uint32_t raw = __atomic_load_n(w, __ATOMIC_SEQ_CST);
    return (uint32_t)emu_user_ld(p, &raw, 4);
}

static bool cas_word(const emu_user_proc *p, uint32_t *w, uint32_t old, uint32_t nv)
{
    uint32_t want, repl;
    emu_user_st(p, &want, 4, old);
    emu_user_st(p, &repl, 4, nv);
    return __atomic_compare_exchange_n(w, &want, repl, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}

static long host_wake(uint32_t *w, int private_flag, int n)
{
    return syscall(SYS_futex, w, FUTEX_WAKE | private_flag, n, NULL, NULL, 0);
}

/* ---- FUTEX_WAKE_OP ---- */

static int32_t sign_extend12(uint32_t v)
{
    return (int32_t)(v << 20) >> 20;
}

static int64_t wake_op(emu_linux_task *t, uint32_t *uaddr, uint32_t *uaddr2, int private_flag,
                       uint32_t nr_wake, uint32_t nr_wake2, uint32_t encoded)
{
    emu_user_proc *p = t->proc;
    unsigned op = encoded >> 28 & 7, cmp = encoded >> 24 & 15;
    int32_t oparg = sign_extend12(encoded >> 12 & 0xfff), cmparg = sign_extend12(encoded & 0xfff);
    if (encoded & ((uint32_t)FUTEX_OP_OPARG_SHIFT << 28))
        oparg = (int32_t)(1u << (oparg & 31));
    if (op > FUTEX_OP_XOR || cmp > FUTEX_OP_CMP_GE)
        return -ENOSYS;
    uint32_t old, nv;
    do {
        old = load_word(p, uaddr2);
        switch (op) {
        case FUTEX_OP_SET: nv = (uint32_t)oparg; break;
        case FUTEX_OP_ADD: nv = old + (uint32_t)oparg; break;
        case FUTEX_OP_OR: nv = old | (uint32_t)oparg; break;
        case FUTEX_OP_ANDN: nv = old & ~(uint32_t)oparg; break;
        default: nv = old ^ (uint32_t)oparg; break;
        }
    } while (!cas_word(p, uaddr2, old, nv));
    int32_t o = (int32_t)old;
    bool hit;
    switch (cmp) {
    case FUTEX_OP_CMP_EQ: hit = o == cmparg; break;
    case FUTEX_OP_CMP_NE: hit = o != cmparg; break;
    case FUTEX_OP_CMP_LT: hit = o < cmparg; break;
    case FUTEX_OP_CMP_LE: hit = o <= cmparg; break;
    case FUTEX_OP_CMP_GT: hit = o > cmparg; break;
    default: hit = o >= cmparg; break;
    }
    /* A waiter that came before the change is queued and woken; one that comes after sees
       the new value and does not sleep: no lock over both steps is needed. */
    long woken = host_wake(uaddr, private_flag, (int)(nr_wake > INT_MAX ? INT_MAX : nr_wake));
    if (woken < 0)
        return -errno;
    if (hit) {
        long w2 = host_wake(uaddr2, private_flag, (int)(nr_wake2 > INT_MAX ? INT_MAX : nr_wake2));
        if (w2 > 0)
            woken += w2;
    }
    return woken;
}

/* ---- PI locks ---- */

/* Take the lock for t: wait for it unless `try`, until the absolute `deadline` on `clock`
   (none when NULL). */
static int64_t lock_pi(emu_linux_task *t, uint32_t *w, int private_flag, const struct timespec *deadline,
                       bool realtime, bool try)
{
    emu_user_proc *p = t->proc;
    uint32_t tid = (uint32_t)t->tid;
    bool waited = false;
    for (;;) {
        uint32_t v = load_word(p, w);
        if (!(v & FUTEX_TID_MASK)) {
            /* Free, or its owner died: take it (OWNER_DIED stays for the new owner to see).
               After a wait others may still wait, so the waiters bit is set to be safe. */
            uint32_t nv = tid | (v & FUTEX_OWNER_DIED) | (waited ? FUTEX_WAITERS : 0);
            if (cas_word(p, w, v, nv))
                return 0;
            continue;
        }
        if ((v & FUTEX_TID_MASK) == tid)
            return -EDEADLK;
        if (try)
            return -EAGAIN;
        if (syscall(SYS_tkill, (pid_t)(v & FUTEX_TID_MASK), 0) < 0 && errno == ESRCH)
            return -ESRCH;      /* the owner is gone without leaving OWNER_DIED */
        if (!(v & FUTEX_WAITERS)) {
            if (!cas_word(p, w, v, v | FUTEX_WAITERS))
                continue;
            v |= FUTEX_WAITERS;
        }
        uint32_t raw;
        emu_user_st(p, &raw, 4, v);
        int op = FUTEX_WAIT_BITSET | private_flag | (realtime ? FUTEX_CLOCK_REALTIME : 0);
        int64_t r = emu_user_safe_syscall(t, SYS_futex, (long)w, op, raw, (long)deadline, 0,
                                          FUTEX_BITSET_MATCH_ANY);
        if (r == -ETIMEDOUT)
            return r;
        if (r == -EINTR)
            return -EMU_ERESTARTNOINTR;      /* the deadline is absolute: start again */
        if (r < 0 && r != -EAGAIN)
            return r;
        waited = true;
    }
}

static int64_t unlock_pi(emu_linux_task *t, uint32_t *w, int private_flag)
{
    emu_user_proc *p = t->proc;
    for (;;) {
        uint32_t v = load_word(p, w);
        if ((v & FUTEX_TID_MASK) != (uint32_t)t->tid)
            return -EPERM;
        if (!cas_word(p, w, v, 0))
            continue;
        if (v & FUTEX_WAITERS)
            host_wake(w, private_flag, 1);
        return 0;
    }
}

/* ---- the call ---- */

static int64_t do_futex(emu_linux_task *t, const uint64_t *a, bool time64)
{
    emu_user_proc *p = t->proc;
    int op = (int)a[1], cmd = op & FUTEX_CMD_MASK, private_flag = op & FUTEX_PRIVATE_FLAG;
    uint32_t val = (uint32_t)a[2];
    if (a[0] & 3)
        return -EINVAL;
    bool writes = cmd == FUTEX_LOCK_PI || cmd == FUTEX_LOCK_PI2 || cmd == FUTEX_TRYLOCK_PI ||
                  cmd == FUTEX_UNLOCK_PI;
    uint32_t *uaddr = emu_user_gptr(t, a[0], 4, writes ? EMU_VM_READ | EMU_VM_WRITE : EMU_VM_READ);
    if (!uaddr)
        return -EFAULT;
    struct timespec ts, *pts = NULL;
    switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2:
        if (a[3]) {
            if (emu_user_get_timespec(t, a[3], &ts, time64) < 0)
                return -EFAULT;
            pts = &ts;
        }
        break;
    default:
        break;
    }
    switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
        /* The kernel compares the word in memory, which is in guest order. */
        if (swapped(p))
            val = __builtin_bswap32(val);
        int64_t r = emu_user_safe_syscall(t, SYS_futex, (long)uaddr, op, val, (long)pts, 0, (uint32_t)a[5]);
        /* Without a timeout the kernel restarts the wait by SA_RESTART; with one, a handler
           always gets EINTR. */
        return r == -EINTR && !pts ? -EMU_ERESTARTSYS : r;
    }
    case FUTEX_WAKE: case FUTEX_WAKE_BITSET:
        RET(syscall(SYS_futex, uaddr, op, val, NULL, NULL, (uint32_t)a[5]));
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP: {
        uint32_t *uaddr2 = emu_user_gptr(t, a[4], 4, cmd == FUTEX_WAKE_OP ? EMU_VM_READ | EMU_VM_WRITE : EMU_VM_READ);
        if (!uaddr2 || (a[4] & 3))
            return -EFAULT;
        uint32_t val3 = (uint32_t)a[5];
        if (cmd == FUTEX_WAKE_OP) {
            if (swapped(p))
                return wake_op(t, uaddr, uaddr2, private_flag, val, (uint32_t)a[3], val3);
            RET(syscall(SYS_futex, uaddr, op, val, (unsigned long)(uint32_t)a[3], uaddr2, val3));
        }
        if (swapped(p))
            val3 = __builtin_bswap32(val3);
        RET(syscall(SYS_futex, uaddr, op, val, (unsigned long)(uint32_t)a[3], uaddr2, val3));
    }
    case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2: case FUTEX_TRYLOCK_PI: case FUTEX_UNLOCK_PI:
        if (!swapped(p)) {
            /* The host's own PI futexes: the owner ids are the host's thread ids. */
            int64_t r = emu_user_safe_syscall(t, SYS_futex, (long)uaddr, op, val, (long)pts, 0, 0);
            return r == -EINTR && cmd != FUTEX_UNLOCK_PI && cmd != FUTEX_TRYLOCK_PI ? -EMU_ERESTARTNOINTR : r;
        }
        if (cmd == FUTEX_UNLOCK_PI)
            return unlock_pi(t, uaddr, private_flag);
        /* LOCK_PI's deadline is on CLOCK_REALTIME, LOCK_PI2's on CLOCK_MONOTONIC unless
           FUTEX_CLOCK_REALTIME says otherwise. */
        return lock_pi(t, uaddr, private_flag, pts, cmd == FUTEX_LOCK_PI || (op & FUTEX_CLOCK_REALTIME),
                       cmd == FUTEX_TRYLOCK_PI);
    default:
        /* WAIT_REQUEUE_PI and CMP_REQUEUE_PI hand a waiter over to a PI lock inside the
           kernel: not offered (glibc's condition variables do not use them). */
        return -ENOSYS;
    }
}

static int64_t sys_futex(emu_linux_task *t, const uint64_t *a) { return do_futex(t, a, false); }
static int64_t sys_futex_time64(emu_linux_task *t, const uint64_t *a) { return do_futex(t, a, true); }

const emu_sys_entry emu_sys_futex_table[] = {
    { EMU_SYS_futex, sys_futex, "pixpxx", 'd', 0 },
    { EMU_SYS_futex_time64, sys_futex_time64, "pixpxx", 'd', 0 },
    { 0 },
};
