/* eventfd and timerfd: host descriptors whose 8-byte counter (the eventfd value, the timerfd
 * expiry count) is a host-order integer, so read and write on them convert it to and from the
 * guest's byte order; timerfd's itimerspec is converted in both directions (guest longs, or
 * 64-bit fields for the *_time64 calls). */
#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

int64_t emu_user_counter_io(emu_linux_task *t, int fd, const struct iovec *iov, int cnt, bool to_fd)
{
    size_t total = 0;
    for (int i = 0; i < cnt; i++)
        total += iov[i].iov_len;
    /* Both kinds take or give exactly 8 bytes and refuse less (EINVAL, from the host). */
    size_t len = total < 8 ? total : 8, done = 0;
    uint8_t buf[8];
    uint64_t v;
    if (to_fd) {
        for (int i = 0; i < cnt && done < len; i++) {
            size_t k = iov[i].iov_len < len - done ? iov[i].iov_len : len - done;
            memcpy(buf + done, iov[i].iov_base, k);
            done += k;
        }
        if (len == 8) {
            v = emu_user_ld(t->proc, buf, 8);
            memcpy(buf, &v, 8);
        }
        return emu_user_safe_syscall(t, SYS_write, fd, (long)buf, (long)len, 0, 0, 0);
    }
    int64_t r = emu_user_safe_syscall(t, SYS_read, fd, (long)buf, (long)len, 0, 0, 0);
    if (r < 0)
        return r;
    if (r == 8) {
        memcpy(&v, buf, 8);
        emu_user_st(t->proc, buf, 8, v);
    }
    for (int i = 0; i < cnt && done < (size_t)r; i++) {
        size_t k = iov[i].iov_len < (size_t)r - done ? iov[i].iov_len : (size_t)r - done;
        memcpy(iov[i].iov_base, buf + done, k);
        done += k;
    }
    return r;
}

static int64_t sys_eventfd2(emu_linux_task *t, const uint64_t *a)
{
    /* EFD_NONBLOCK and EFD_CLOEXEC are O_NONBLOCK and O_CLOEXEC; EFD_SEMAPHORE is bit 0. */
    int flags = (int)emu_user_bits_to_host(t->proc->abi->open_flags, (uint32_t)a[1]);
    return emu_user_fd_made(eventfd((unsigned)a[0], flags));
}

static int64_t sys_eventfd(emu_linux_task *t, const uint64_t *a)
{
    return emu_user_fd_made(eventfd((unsigned)a[0], 0));
}

static int64_t sys_timerfd_create(emu_linux_task *t, const uint64_t *a)
{
    /* TFD_NONBLOCK and TFD_CLOEXEC are O_NONBLOCK and O_CLOEXEC. */
    int flags = (int)emu_user_bits_to_host(t->proc->abi->open_flags, (uint32_t)a[1]);
    return emu_user_fd_made(timerfd_create((int)a[0], flags));
}

/* struct itimerspec: it_interval then it_value, two guest timespecs. */
static int get_itimerspec(emu_linux_task *t, uint64_t addr, struct itimerspec *its, bool time64)
{
    unsigned ts = 2 * (time64 ? 8 : t->proc->word);
    if (emu_user_get_timespec(t, addr, &its->it_interval, time64) < 0 ||
        emu_user_get_timespec(t, addr + ts, &its->it_value, time64) < 0)
        return -EFAULT;
    return 0;
}

static int put_itimerspec(emu_linux_task *t, uint64_t addr, const struct itimerspec *its, bool time64)
{
    unsigned ts = 2 * (time64 ? 8 : t->proc->word);
    if (emu_user_put_timespec(t, addr, &its->it_interval, time64) < 0 ||
        emu_user_put_timespec(t, addr + ts, &its->it_value, time64) < 0)
        return -EFAULT;
    return 0;
}

static int64_t settime(emu_linux_task *t, const uint64_t *a, bool time64)
{
    struct itimerspec nv, ov;
    if (get_itimerspec(t, a[2], &nv, time64) < 0)
        return -EFAULT;
    if (timerfd_settime((int)a[0], (int)a[1], &nv, a[3] ? &ov : NULL) < 0)
        return -errno;
    return a[3] ? put_itimerspec(t, a[3], &ov, time64) : 0;
}

static int64_t gettime(emu_linux_task *t, const uint64_t *a, bool time64)
{
    struct itimerspec v;
    if (timerfd_gettime((int)a[0], &v) < 0)
        return -errno;
    return put_itimerspec(t, a[1], &v, time64);
}

static int64_t sys_timerfd_settime(emu_linux_task *t, const uint64_t *a) { return settime(t, a, false); }
static int64_t sys_timerfd_settime64(emu_linux_task *t, const uint64_t *a) { return settime(t, a, true); }
static int64_t sys_timerfd_gettime(emu_linux_task *t, const uint64_t *a) { return gettime(t, a, false); }
static int64_t sys_timerfd_gettime64(emu_linux_task *t, const uint64_t *a) { return gettime(t, a, true); }

const emu_sys_entry emu_sys_eventfd_table[] = {
    { EMU_SYS_eventfd, sys_eventfd, "u", 'd', 0 },
    { EMU_SYS_eventfd2, sys_eventfd2, "uf", 'd', 0 },
    { EMU_SYS_timerfd_create, sys_timerfd_create, "if", 'd', 0 },
    { EMU_SYS_timerfd_settime, sys_timerfd_settime, "ifpp", 'd', 0 },
    { EMU_SYS_timerfd_gettime, sys_timerfd_gettime, "ip", 'd', 0 },
    { EMU_SYS_timerfd_settime64, sys_timerfd_settime64, "ifpp", 'd', 0 },
    { EMU_SYS_timerfd_gettime64, sys_timerfd_gettime64, "ip", 'd', 0 },
    { 0 },
};
