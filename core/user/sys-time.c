/* Time system calls: clocks (32-bit and time64 forms), gettimeofday, sleeping, interval timers,
 * times and time.  Guest time is the host's. */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>
#include "user.h"

static int64_t clock_get(emu_linux_task *t, const uint64_t *a, bool time64, bool res)
{
    struct timespec ts;
    long r = syscall(res ? SYS_clock_getres : SYS_clock_gettime, (clockid_t)a[0], &ts);
    if (r < 0)
        return -errno;
    if (!a[1])
        return 0;
    if (!time64 && t->proc->word == 4 && (ts.tv_sec > INT32_MAX || ts.tv_sec < INT32_MIN))
        return -EOVERFLOW;
    return emu_user_put_timespec(t, a[1], &ts, time64);
}

static int64_t sys_clock_gettime(emu_linux_task *t, const uint64_t *a) { return clock_get(t, a, false, false); }
static int64_t sys_clock_gettime64(emu_linux_task *t, const uint64_t *a) { return clock_get(t, a, true, false); }
static int64_t sys_clock_getres(emu_linux_task *t, const uint64_t *a) { return clock_get(t, a, false, true); }
static int64_t sys_clock_getres_time64(emu_linux_task *t, const uint64_t *a) { return clock_get(t, a, true, true); }

static int64_t sys_gettimeofday(emu_linux_task *t, const uint64_t *a)
{
    struct timeval tv;
    struct timezone tz;
    if (gettimeofday(&tv, &tz) < 0)
        return -errno;
    emu_user_proc *p = t->proc;
    if (a[0]) {
        struct timespec ts = { tv.tv_sec, tv.tv_usec };
        if (emu_user_put_timespec(t, a[0], &ts, false) < 0)
            return -EFAULT;
    }
    if (a[1]) {
        uint8_t buf[8];
        emu_user_st(p, buf, 4, (uint32_t)tz.tz_minuteswest);
        emu_user_st(p, buf + 4, 4, (uint32_t)tz.tz_dsttime);
        if (emu_user_copy_out(t, a[1], buf, 8) < 0)
            return -EFAULT;
    }
    return 0;
}

/* Sleep; an interruption that the guest will not see as a signal continues
   with the time left, like the kernel's restart of nanosleep. */
static int64_t do_sleep(emu_linux_task *t, clockid_t clk, int flags, uint64_t req, uint64_t rem,
                        bool time64)
{
    struct timespec ts, left;
    if (emu_user_get_timespec(t, req, &ts, time64) < 0)
        return -EFAULT;
    if (ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000 || ts.tv_sec < 0)
        return -EINVAL;
    for (;;) {
        int64_t r = emu_user_safe_syscall(t, SYS_clock_nanosleep, clk, flags, (long)&ts, (long)&left, 0, 0);
        if (r == 0)
            return 0;
        if (r != -EINTR)
            return r;
        if (emu_user_signal_pending(t)) {
            if (rem && !(flags & TIMER_ABSTIME) && emu_user_put_timespec(t, rem, &left, time64) < 0)
                return -EFAULT;
            return -EINTR;
        }
        if (!(flags & TIMER_ABSTIME))
            ts = left;
    }
}

static int64_t sys_nanosleep(emu_linux_task *t, const uint64_t *a) { return do_sleep(t, CLOCK_MONOTONIC, 0, a[0], a[1], false); }
static int64_t sys_clock_nanosleep(emu_linux_task *t, const uint64_t *a) { return do_sleep(t, (clockid_t)a[0], (int)a[1], a[2], a[3], false); }
static int64_t sys_clock_nanosleep_time64(emu_linux_task *t, const uint64_t *a) { return do_sleep(t, (clockid_t)a[0], (int)a[1], a[2], a[3], true); }

/* struct itimerval: two timevals of guest longs. */
static int get_itimerval(emu_linux_task *t, uint64_t addr, struct itimerval *it)
{
    struct timespec a, b;
    unsigned w = t->proc->word;
    if (emu_user_get_timespec(t, addr, &a, false) < 0 || emu_user_get_timespec(t, addr + 2 * w, &b, false) < 0)
        return -EFAULT;
    it->it_interval = (struct timeval){ a.tv_sec, a.tv_nsec };
    it->it_value = (struct timeval){ b.tv_sec, b.tv_nsec };
    return 0;
}

static int put_itimerval(emu_linux_task *t, uint64_t addr, const struct itimerval *it)
{
    struct timespec a = { it->it_interval.tv_sec, it->it_interval.tv_usec };
    struct timespec b = { it->it_value.tv_sec, it->it_value.tv_usec };
    unsigned w = t->proc->word;
    if (emu_user_put_timespec(t, addr, &a, false) < 0 || emu_user_put_timespec(t, addr + 2 * w, &b, false) < 0)
        return -EFAULT;
    return 0;
}

static int64_t sys_setitimer(emu_linux_task *t, const uint64_t *a)
{
    struct itimerval nv, ov;
    if (a[1] && get_itimerval(t, a[1], &nv) < 0)
        return -EFAULT;
    if (!a[1])
        nv = (struct itimerval){ { 0, 0 }, { 0, 0 } };
    if (setitimer((int)a[0], &nv, &ov) < 0)
        return -errno;
    return a[2] ? put_itimerval(t, a[2], &ov) : 0;
}

static int64_t sys_getitimer(emu_linux_task *t, const uint64_t *a)
{
    struct itimerval v;
    if (getitimer((int)a[0], &v) < 0)
        return -errno;
    return put_itimerval(t, a[1], &v);
}

static int64_t sys_alarm(emu_linux_task *t, const uint64_t *a)
{
    return alarm((unsigned)a[0]);
}

static int64_t sys_times(emu_linux_task *t, const uint64_t *a)
{
    struct tms tms;
    clock_t r = times(&tms);
    if (r == (clock_t)-1)
        return -errno;
    if (a[0]) {
        emu_user_proc *p = t->proc;
        uint8_t buf[32];
        unsigned w = p->word;
        emu_user_st(p, buf, w, (uint64_t)tms.tms_utime);
        emu_user_st(p, buf + w, w, (uint64_t)tms.tms_stime);
        emu_user_st(p, buf + 2 * w, w, (uint64_t)tms.tms_cutime);
        emu_user_st(p, buf + 3 * w, w, (uint64_t)tms.tms_cstime);
        if (emu_user_copy_out(t, a[0], buf, 4 * w) < 0)
            return -EFAULT;
    }
    return t->proc->word == 4 ? (int64_t)(int32_t)r : (int64_t)r;
}

static int64_t sys_time(emu_linux_task *t, const uint64_t *a)
{
    time_t now = time(NULL);
    if (a[0]) {
        uint8_t buf[8];
        emu_user_st(t->proc, buf, t->proc->word, (uint64_t)now);
        if (emu_user_copy_out(t, a[0], buf, t->proc->word) < 0)
            return -EFAULT;
    }
    return now;
}

const emu_sys_entry emu_sys_time_table[] = {
    { EMU_SYS_clock_gettime, sys_clock_gettime, "ip", 'd', 0 },
    { EMU_SYS_clock_gettime64, sys_clock_gettime64, "ip", 'd', 0 },
    { EMU_SYS_clock_getres, sys_clock_getres, "ip", 'd', 0 },
    { EMU_SYS_clock_getres_time64, sys_clock_getres_time64, "ip", 'd', 0 },
    { EMU_SYS_gettimeofday, sys_gettimeofday, "pp", 'd', 0 },
    { EMU_SYS_nanosleep, sys_nanosleep, "pp", 'd', 0 },
    { EMU_SYS_clock_nanosleep, sys_clock_nanosleep, "iipp", 'd', 0 },
    { EMU_SYS_clock_nanosleep_time64, sys_clock_nanosleep_time64, "iipp", 'd', 0 },
    { EMU_SYS_setitimer, sys_setitimer, "ipp", 'd', 0 },
    { EMU_SYS_getitimer, sys_getitimer, "ip", 'd', 0 },
    { EMU_SYS_alarm, sys_alarm, "u", 'd', 0 },
    { EMU_SYS_times, sys_times, "p", 'd', 0 },
    { EMU_SYS_time, sys_time, "p", 'd', 0 },
    { 0 },
};
