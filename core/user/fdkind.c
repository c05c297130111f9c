/* Descriptors whose data read and write must convert: eventfd and timerfd (an 8-byte counter),
 * signalfd (struct signalfd_siginfo records) and inotify (struct inotify_event records), all
 * host-order integers.  Descriptors made by those calls, or duplicated from one, are marked;
 * a mark is only a hint, since a descriptor may be closed and reused behind our back
 * (close_range, exec), so what the host says the descriptor is decides.  Descriptors inherited
 * across execve are found at start-up by asking the host about each open one. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

#define MARKED_FDS 65536
static uint8_t marked[MARKED_FDS];
static int any_marked;

static void mark(int fd, bool on)
{
    if (fd < 0)
        return;
    if (on)
        __atomic_store_n(&any_marked, 1, __ATOMIC_RELAXED);
    if (fd < MARKED_FDS)
        __atomic_store_n(&marked[fd], on, __ATOMIC_RELAXED);
}

/* What the host says fd is. */
static emu_user_fd_kind host_kind(int fd)
{
    char link[64], target[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n < 0)
        return EMU_FD_PLAIN;
    target[n] = 0;
    if (!strcmp(target, "anon_inode:[eventfd]") || !strcmp(target, "anon_inode:[timerfd]"))
        return EMU_FD_COUNTER;
    if (!strcmp(target, "anon_inode:[signalfd]"))
        return EMU_FD_SIGNALFD;
    if (!strcmp(target, "anon_inode:inotify"))
        return EMU_FD_INOTIFY;
    return EMU_FD_PLAIN;
}

emu_user_fd_kind emu_user_fd_kind_of(int fd)
{
    if (fd < 0 || !__atomic_load_n(&any_marked, __ATOMIC_RELAXED))
        return EMU_FD_PLAIN;
    if (fd < MARKED_FDS && !__atomic_load_n(&marked[fd], __ATOMIC_RELAXED))
        return EMU_FD_PLAIN;
    return host_kind(fd);
}

int64_t emu_user_fd_made(int fd)
{
    if (fd < 0)
        return -errno;
    mark(fd, true);
    return fd;
}

void emu_user_fd_dup(int from, int to)
{
    if (to >= 0 && to != from)
        mark(to, emu_user_fd_kind_of(from) != EMU_FD_PLAIN);
}

void emu_user_fd_closed(int fd)
{
    if (fd >= 0 && fd < MARKED_FDS)
        __atomic_store_n(&marked[fd], 0, __ATOMIC_RELAXED);
}

void emu_user_fd_scan(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return;
    int self = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long fd = strtol(e->d_name, &end, 10);
        if (*end || end == e->d_name || fd == self || fd > INT32_MAX)
            continue;
        if (host_kind((int)fd) != EMU_FD_PLAIN)
            mark((int)fd, true);
    }
    closedir(d);
}

int64_t emu_user_fd_io(emu_linux_task *t, int fd, emu_user_fd_kind kind, const struct iovec *iov,
                       int cnt, bool write)
{
    if (kind == EMU_FD_COUNTER)
        return emu_user_counter_io(t, fd, iov, cnt, write);
    if (write)      /* neither signalfd nor inotify can be written: the host says EINVAL */
        return emu_user_safe_syscall(t, SYS_writev, fd, (long)iov, cnt, 0, 0, 0);
    return emu_user_records_read(t, fd, kind, iov, cnt);
}
