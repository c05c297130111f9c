/* signalfd and inotify: host descriptors whose reads return records of host-order integers
 * (struct signalfd_siginfo, struct inotify_event), converted here to the guest's byte order.
 * Both layouts are made of fixed-size fields, the same for every guest architecture.  The
 * signalfd mask comes in the guest's sigset layout; flags are the guest's O_NONBLOCK and
 * O_CLOEXEC values. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

/* The guest's values of O_NONBLOCK | O_CLOEXEC, the only flags these calls take; other
   bits are refused as the kernel does. */
static int64_t creation_flags(emu_linux_task *t, uint64_t guest, int *host)
{
    const emu_linux_bits *tbl = t->proc->abi->open_flags;
    uint32_t allowed = emu_user_bits_to_guest(tbl, O_NONBLOCK | O_CLOEXEC);
    if ((uint32_t)guest & ~allowed)
        return -EINVAL;
    *host = (int)emu_user_bits_to_host(tbl, (uint32_t)guest);
    return 0;
}

/* ---- signalfd ---- */

static int64_t do_signalfd(emu_linux_task *t, int fd, uint64_t mask_addr, uint64_t size, int flags)
{
    /* The guest's sigset_t is 8 bytes (64 signals), as emu_user_get_sigset reads it. */
    if (size != 8)
        return -EINVAL;
    uint64_t mask;
    if (emu_user_get_sigset(t, mask_addr, &mask) < 0)
        return -EFAULT;
    /* glibc's own 32 and 33 stay with emu's threads; KILL and STOP the kernel drops. */
    mask &= ~(1ull << 31 | 1ull << 32);
    long r = syscall(SYS_signalfd4, fd, &mask, (size_t)8, flags);
    if (r < 0)
        return -errno;
    return fd == -1 ? emu_user_fd_made((int)r) : r;
}

static int64_t sys_signalfd4(emu_linux_task *t, const uint64_t *a)
{
    int flags;
    int64_t e = creation_flags(t, a[3], &flags);
    return e < 0 ? e : do_signalfd(t, (int)a[0], a[1], a[2], flags);
}

static int64_t sys_signalfd(emu_linux_task *t, const uint64_t *a)
{
    return do_signalfd(t, (int)a[0], a[1], a[2], 0);
}

/* struct signalfd_siginfo (128 bytes): 32-bit fields from ssi_signo to ssi_int, 64-bit ones
   from ssi_ptr to ssi_addr, then ssi_addr_lsb (16), ssi_syscall (32), ssi_call_addr (64),
   ssi_arch (32). */
static void convert_signalfd_siginfo(const emu_user_proc *p, uint8_t *rec)
{
    static const struct { uint8_t offset, size; } fields[] = {
        { 0, 4 }, { 4, 4 }, { 8, 4 }, { 12, 4 }, { 16, 4 }, { 20, 4 }, { 24, 4 }, { 28, 4 },
        { 32, 4 }, { 36, 4 }, { 40, 4 }, { 44, 4 }, { 48, 8 }, { 56, 8 }, { 64, 8 }, { 72, 8 },
        { 80, 2 }, { 84, 4 }, { 88, 8 }, { 96, 4 },
    };
    for (size_t i = 0; i < EMU_ARRAY_SIZE(fields); i++) {
        uint64_t v = 0;
        uint8_t *f = rec + fields[i].offset;
        switch (fields[i].size) {
        case 2: { uint16_t h; memcpy(&h, f, 2); v = h; break; }
        case 4: { uint32_t h; memcpy(&h, f, 4); v = h; break; }
        default: memcpy(&v, f, 8); break;
        }
        emu_user_st(p, f, fields[i].size, v);
    }
}

/* ---- inotify ---- */

static int64_t sys_inotify_init1(emu_linux_task *t, const uint64_t *a)
{
    int flags;
    int64_t e = creation_flags(t, a[0], &flags);
    return e < 0 ? e : emu_user_fd_made(inotify_init1(flags));
}

static int64_t sys_inotify_init(emu_linux_task *t, const uint64_t *a)
{
    return emu_user_fd_made(inotify_init1(0));
}

static int64_t sys_inotify_add_watch(emu_linux_task *t, const uint64_t *a)
{
    char in[PATH_MAX], map[PATH_MAX];
    int e = emu_user_strcpy_in(t, in, sizeof in, a[1]);
    if (e < 0)
        return e;
    /* The event mask bits are the same on every architecture. */
    int r = inotify_add_watch((int)a[0], emu_user_path(t->proc, in, map, sizeof map), (uint32_t)a[2]);
    return r < 0 ? -errno : r;
}

static int64_t sys_inotify_rm_watch(emu_linux_task *t, const uint64_t *a)
{
    return inotify_rm_watch((int)a[0], (int)a[1]) < 0 ? -errno : 0;
}

/* struct inotify_event: wd, mask, cookie, len (32 bits each), then len bytes of name. */
static void convert_inotify_events(const emu_user_proc *p, uint8_t *buf, size_t n)
{
    for (size_t off = 0; off + 16 <= n;) {
        uint32_t f[4];
        memcpy(f, buf + off, sizeof f);
        for (unsigned i = 0; i < 4; i++)
            emu_user_st(p, buf + off + 4 * i, 4, f[i]);
        off += 16 + (size_t)f[3];
    }
}

/* ---- reads ---- */

/* One host read of up to `len` bytes into the guest buffers, converted. */
static int64_t read_converted(emu_linux_task *t, int fd, emu_user_fd_kind kind,
                              const struct iovec *iov, int cnt, size_t len)
{
    /* Reads return whole records only: a smaller bounce buffer just returns fewer. */
    if (len > (1u << 20))
        len = 1u << 20;
    uint8_t *buf = emu_xmalloc(len ? len : 1);
    int64_t r = emu_user_safe_syscall(t, SYS_read, fd, (long)buf, (long)len, 0, 0, 0);
    if (r > 0) {
        if (kind == EMU_FD_SIGNALFD)
            for (int64_t off = 0; off + 128 <= r; off += 128)
                convert_signalfd_siginfo(t->proc, buf + off);
        else
            convert_inotify_events(t->proc, buf, (size_t)r);
        size_t done = 0;
        for (int i = 0; i < cnt && done < (size_t)r; i++) {
            size_t k = iov[i].iov_len < (size_t)r - done ? iov[i].iov_len : (size_t)r - done;
            memcpy(iov[i].iov_base, buf + done, k);
            done += k;
        }
    }
    free(buf);
    return r;
}

int64_t emu_user_records_read(emu_linux_task *t, int fd, emu_user_fd_kind kind,
                              const struct iovec *iov, int cnt)
{
    if (kind == EMU_FD_SIGNALFD) {
        /* signalfd reads vectors as one stream. */
        size_t total = 0;
        for (int i = 0; i < cnt; i++)
            total += iov[i].iov_len;
        return read_converted(t, fd, kind, iov, cnt, total);
    }
    /* inotify has no vectored read: the kernel reads buffer after buffer and stops after
       an error or a short read. */
    int64_t done = 0;
    for (int i = 0; i < cnt; i++) {
        if (!iov[i].iov_len)
            continue;
        int64_t r = read_converted(t, fd, kind, &iov[i], 1, iov[i].iov_len);
        if (r < 0)
            return done ? done : r;
        done += r;
        if ((size_t)r != iov[i].iov_len)
            break;
    }
    return done;
}

const emu_sys_entry emu_sys_notify_table[] = {
    { EMU_SYS_signalfd, sys_signalfd, "ipu", 'd', 0 },
    { EMU_SYS_signalfd4, sys_signalfd4, "ipuf", 'd', 0 },
    { EMU_SYS_inotify_init, sys_inotify_init, "", 'd', 0 },
    { EMU_SYS_inotify_init1, sys_inotify_init1, "f", 'd', 0 },
    { EMU_SYS_inotify_add_watch, sys_inotify_add_watch, "isx", 'd', 0 },
    { EMU_SYS_inotify_rm_watch, sys_inotify_rm_watch, "ii", 'd', 0 },
    { 0 },
};
