/* System calls on files and directories: open/close, read/write and their vectored and
 * positioned forms, seeking, directories, links, permissions, fcntl, pipes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include "user.h"
#include "util.h"

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)

/* A guest path argument, copied in and mapped to the host (sysroot, /proc/self/exe). */
#define GPATH(var, addr) \
    char var##_in[PATH_MAX], var##_map[PATH_MAX]; \
    const char *var; \
    do { \
        int e_ = emu_user_strcpy_in(t, var##_in, sizeof var##_in, (addr)); \
        if (e_ < 0) \
            return e_; \
        var = emu_user_path(t->proc, var##_in, var##_map, sizeof var##_map); \
    } while (0)

static int open_flags(emu_linux_task *t, uint64_t guest)
{
    return (int)emu_user_bits_to_host(t->proc->abi->open_flags, (uint32_t)guest);
}

static int64_t sys_openat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    if (!strncmp(path, "/proc/", 6)) {
        int fd = emu_user_open_proc_self(t, path);
        if (fd >= 0)
            return fd;
    }
    RET(syscall(SYS_openat, (int)a[0], path, open_flags(t, a[2]), (mode_t)a[3]));
}

static int64_t sys_open(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    if (!strncmp(path, "/proc/", 6)) {
        int fd = emu_user_open_proc_self(t, path);
        if (fd >= 0)
            return fd;
    }
    RET(syscall(SYS_openat, AT_FDCWD, path, open_flags(t, a[1]), (mode_t)a[2]));
}

static int64_t sys_creat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(syscall(SYS_openat, AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, (mode_t)a[1]));
}

static int64_t sys_close(emu_linux_task *t, const uint64_t *a)
{
    emu_user_fd_closed((int)a[0]);
    RET(close((int)a[0]));
}

static int64_t sys_read(emu_linux_task *t, const uint64_t *a)
{
    void *buf = emu_user_gptr(t, a[1], a[2], EMU_VM_WRITE);
    if (!buf)
        return -EFAULT;
    emu_user_fd_kind kind = emu_user_fd_kind_of((int)a[0]);
    if (kind != EMU_FD_PLAIN)
        return emu_user_fd_io(t, (int)a[0], kind, &(struct iovec){ buf, a[2] }, 1, false);
    return emu_user_safe_syscall(t, SYS_read, (int)a[0], (long)buf, (long)a[2], 0, 0, 0);
}

static int64_t sys_write(emu_linux_task *t, const uint64_t *a)
{
    void *buf = emu_user_gptr(t, a[1], a[2], EMU_VM_READ);
    if (!buf)
        return -EFAULT;
    emu_user_fd_kind kind = emu_user_fd_kind_of((int)a[0]);
    if (kind != EMU_FD_PLAIN)
        return emu_user_fd_io(t, (int)a[0], kind, &(struct iovec){ buf, a[2] }, 1, true);
    return emu_user_safe_syscall(t, SYS_write, (int)a[0], (long)buf, (long)a[2], 0, 0, 0);
}

static int64_t sys_pread64(emu_linux_task *t, const uint64_t *a)
{
    void *buf = emu_user_gptr(t, a[1], a[2], EMU_VM_WRITE);
    if (!buf)
        return -EFAULT;
    RET(pread((int)a[0], buf, a[2], (off_t)a[3]));
}

static int64_t sys_pwrite64(emu_linux_task *t, const uint64_t *a)
{
    void *buf = emu_user_gptr(t, a[1], a[2], EMU_VM_READ);
    if (!buf)
        return -EFAULT;
    RET(pwrite((int)a[0], buf, a[2], (off_t)a[3]));
}

/* A guest iovec array as host iovecs over guest memory. */
static int64_t get_iovec(emu_linux_task *t, uint64_t addr, uint64_t cnt, int prot, struct iovec **out)
{
    emu_user_proc *p = t->proc;
    if ((int64_t)cnt < 0 || cnt > IOV_MAX)
        return -EINVAL;
    unsigned w = p->word;
    const uint8_t *g = emu_user_gptr(t, addr, cnt * 2 * w, EMU_VM_READ);
    if (!g && cnt)
        return -EFAULT;
    struct iovec *iov = emu_xcalloc(cnt ? cnt : 1, sizeof *iov);
    for (uint64_t i = 0; i < cnt; i++) {
        uint64_t base = emu_user_ld(p, g + i * 2 * w, w), len = emu_user_ld(p, g + i * 2 * w + w, w);
        void *h = emu_user_gptr(t, base, len, prot);
        if (!h && len) {
            free(iov);
            return -EFAULT;
        }
        iov[i].iov_base = h;
        iov[i].iov_len = len;
    }
    *out = iov;
    return 0;
}

static int64_t vector_io(emu_linux_task *t, const uint64_t *a, bool write, bool positioned)
{
    struct iovec *iov;
    int64_t r = get_iovec(t, a[1], a[2], write ? EMU_VM_READ : EMU_VM_WRITE, &iov);
    if (r < 0)
        return r;
    emu_user_fd_kind kind = positioned ? EMU_FD_PLAIN : emu_user_fd_kind_of((int)a[0]);
    if (kind != EMU_FD_PLAIN) {
        r = emu_user_fd_io(t, (int)a[0], kind, iov, (int)a[2], write);
    } else if (positioned) {
        r = write ? pwritev((int)a[0], iov, (int)a[2], (off_t)a[3]) : preadv((int)a[0], iov, (int)a[2], (off_t)a[3]);
        r = r < 0 ? -errno : r;
    } else {
        r = emu_user_safe_syscall(t, write ? SYS_writev : SYS_readv, (int)a[0], (long)iov, (long)a[2], 0, 0, 0);
    }
    free(iov);
    return r;
}

static int64_t sys_readv(emu_linux_task *t, const uint64_t *a) { return vector_io(t, a, false, false); }
static int64_t sys_writev(emu_linux_task *t, const uint64_t *a) { return vector_io(t, a, true, false); }

static bool dir_seek_target(int fd, int whence, int64_t *off);

static int64_t sys_lseek(emu_linux_task *t, const uint64_t *a)
{
    /* The guest's off_t is a long: a 32-bit guest sees EOVERFLOW past 2 GiB. */
    int64_t off = (int64_t)a[1];
    bool cookie = dir_seek_target((int)a[0], (int)a[2], &off);
    off_t r = lseek((int)a[0], (off_t)off, (int)a[2]);
    if (cookie && r >= 0)
        return (int64_t)a[1];
    if (r < 0)
        return -errno;
    if (t->proc->word == 4 && r > INT32_MAX)
        return -EOVERFLOW;
    return r;
}

static int64_t sys_llseek(emu_linux_task *t, const uint64_t *a)
{
    int64_t off = (int64_t)((a[1] & 0xffffffffu) << 32 | (a[2] & 0xffffffffu)), asked = off;
    uint8_t buf[8];
    bool cookie = dir_seek_target((int)a[0], (int)a[4], &off);
    off_t r = lseek((int)a[0], off, (int)a[4]);
    if (r < 0)
        return -errno;
    if (cookie)
        r = asked;
    emu_user_st(t->proc, buf, 8, (uint64_t)r);
    return emu_user_copy_out(t, a[3], buf, 8);
}

/* Directory positions for 32-bit guests.  A 32-bit kernel gives 32-bit
   directory offsets (ext4 hashes included), and a 32-bit libc's readdir
   fails with EOVERFLOW on anything larger.  When the host gives large ones,
   the guest sees small cookies instead (1, 2, ...), and lseek on that
   directory maps them back. */
typedef struct dir_cookies {
    int fd;
    dev_t dev;
    ino_t ino;
    uint64_t *offs;
    size_t n, cap;
} dir_cookies;

static dir_cookies *cookies;
static size_t ncookies, cookies_cap;
static pthread_mutex_t cookies_lock = PTHREAD_MUTEX_INITIALIZER;

#define MAX_COOKIES (1u << 24)

/* The table of fd when it is the same directory as when it was made. */
static dir_cookies *find_cookies(int fd, bool create)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return NULL;
    for (size_t i = 0; i < ncookies; i++)
        if (cookies[i].fd == fd) {
            if (cookies[i].dev == st.st_dev && cookies[i].ino == st.st_ino)
                return &cookies[i];
            cookies[i].n = 0;        /* the descriptor was reused */
            cookies[i].dev = st.st_dev;
            cookies[i].ino = st.st_ino;
            return create ? &cookies[i] : NULL;
        }
    if (!create)
        return NULL;
    EMU_PUSH(cookies, ncookies, cookies_cap, ((dir_cookies){ fd, st.st_dev, st.st_ino, NULL, 0, 0 }));
    return &cookies[ncookies - 1];
}

static uint64_t dir_cookie(dir_cookies *c, uint64_t host_off)
{
    if (c->n >= MAX_COOKIES)
        return host_off;
    EMU_PUSH(c->offs, c->n, c->cap, host_off);
    return c->n;
}

/* lseek on a directory whose positions the guest got as cookies. */
static bool dir_seek_target(int fd, int whence, int64_t *off)
{
    if (whence != SEEK_SET || *off <= 0)
        return false;
    pthread_mutex_lock(&cookies_lock);
    dir_cookies *c = find_cookies(fd, false);
    bool mapped = c && (uint64_t)*off <= c->n;
    if (mapped)
        *off = (int64_t)c->offs[*off - 1];
    pthread_mutex_unlock(&cookies_lock);
    return mapped;
}

static int64_t convert_dirents(emu_linux_task *t, int fd, uint64_t gaddr, const uint8_t *host, long n)
{
    emu_user_proc *p = t->proc;
    uint8_t *g = emu_user_gptr(t, gaddr, (uint64_t)n, EMU_VM_WRITE);
    if (!g)
        return -EFAULT;
    dir_cookies *c = NULL;
    pthread_mutex_lock(&cookies_lock);
    if (p->word == 4) {
        c = find_cookies(fd, false);
        for (long off = 0; !c && off < n;) {
            const struct { uint64_t ino; int64_t off; uint16_t reclen; } *d = (const void *)(host + off);
            if ((uint64_t)d->off > INT32_MAX)
                c = find_cookies(fd, true);
            off += d->reclen ? d->reclen : n;
        }
    }
    for (long off = 0; off < n;) {
        const struct { uint64_t ino; int64_t off; uint16_t reclen; uint8_t type; } *d = (const void *)(host + off);
        uint16_t reclen = d->reclen;
        if (!reclen || reclen > n - off)
            break;
        memcpy(g + off, host + off, reclen);
        emu_user_st(p, g + off, 8, d->ino);
        emu_user_st(p, g + off + 8, 8, c ? dir_cookie(c, (uint64_t)d->off) : (uint64_t)d->off);
        emu_user_st(p, g + off + 16, 2, reclen);
        off += reclen;
    }
    pthread_mutex_unlock(&cookies_lock);
    return n;
}

static int64_t sys_getdents64(emu_linux_task *t, const uint64_t *a)
{
    uint64_t count = a[2] > (1u << 20) ? 1u << 20 : a[2];
    if (!emu_user_gptr(t, a[1], count, EMU_VM_WRITE))
        return -EFAULT;
    uint8_t *buf = emu_xmalloc(count ? count : 1);
    long n = syscall(SYS_getdents64, (int)a[0], buf, count);
    int64_t r = n < 0 ? -errno : convert_dirents(t, (int)a[0], a[1], buf, n);
    free(buf);
    return r;
}

/* A new descriptor `to` for `from` (or -1 and errno), keeping the converted-descriptor marks. */
static int64_t duplicated(int from, int to)
{
    if (to < 0)
        return -errno;
    emu_user_fd_dup(from, to);
    return to;
}

static int64_t sys_dup(emu_linux_task *t, const uint64_t *a) { return duplicated((int)a[0], dup((int)a[0])); }

static int64_t sys_dup2(emu_linux_task *t, const uint64_t *a)
{
    return duplicated((int)a[0], dup2((int)a[0], (int)a[1]));
}

static int64_t sys_dup3(emu_linux_task *t, const uint64_t *a)
{
    return duplicated((int)a[0], dup3((int)a[0], (int)a[1], open_flags(t, a[2])));
}

static int64_t put_fds(emu_linux_task *t, uint64_t addr, const int fds[2])
{
    uint8_t buf[8];
    emu_user_st(t->proc, buf, 4, (uint32_t)fds[0]);
    emu_user_st(t->proc, buf + 4, 4, (uint32_t)fds[1]);
    if (emu_user_copy_out(t, addr, buf, 8) < 0) {
        close(fds[0]);
        close(fds[1]);
        return -EFAULT;
    }
    return 0;
}

static int64_t sys_pipe2(emu_linux_task *t, const uint64_t *a)
{
    int fds[2];
    if (!emu_user_gptr(t, a[0], 8, EMU_VM_WRITE))
        return -EFAULT;
    if (pipe2(fds, open_flags(t, a[1])) < 0)
        return -errno;
    return put_fds(t, a[0], fds);
}

static int64_t sys_pipe(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[2] = { a[0], 0 };
    return sys_pipe2(t, b);
}

static int64_t sys_unlinkat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(unlinkat((int)a[0], path, (int)a[2]));
}

static int64_t sys_unlink(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(unlink(path));
}

static int64_t sys_rmdir(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(rmdir(path));
}

static int64_t sys_renameat2(emu_linux_task *t, const uint64_t *a)
{
    GPATH(from, a[1]);
    GPATH(to, a[3]);
    RET(syscall(SYS_renameat2, (int)a[0], from, (int)a[2], to, (unsigned)a[4]));
}

static int64_t sys_renameat(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[5] = { a[0], a[1], a[2], a[3], 0 };
    return sys_renameat2(t, b);
}

static int64_t sys_rename(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[5] = { (uint64_t)AT_FDCWD, a[0], (uint64_t)AT_FDCWD, a[1], 0 };
    return sys_renameat2(t, b);
}

static int64_t sys_mkdirat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(mkdirat((int)a[0], path, (mode_t)a[2]));
}

static int64_t sys_mkdir(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(mkdir(path, (mode_t)a[1]));
}

static int64_t sys_mknodat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(mknodat((int)a[0], path, (mode_t)a[2], (dev_t)a[3]));
}

static int64_t sys_mknod(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(mknod(path, (mode_t)a[1], (dev_t)a[2]));
}

static int64_t sys_linkat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(from, a[1]);
    GPATH(to, a[3]);
    RET(linkat((int)a[0], from, (int)a[2], to, (int)a[4]));
}

static int64_t sys_link(emu_linux_task *t, const uint64_t *a)
{
    GPATH(from, a[0]);
    GPATH(to, a[1]);
    RET(link(from, to));
}

static int64_t sys_symlinkat(emu_linux_task *t, const uint64_t *a)
{
    char target[PATH_MAX];
    int e = emu_user_strcpy_in(t, target, sizeof target, a[0]);
    if (e < 0)
        return e;
    GPATH(path, a[2]);
    RET(symlinkat(target, (int)a[1], path));
}

static int64_t sys_symlink(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[3] = { a[0], (uint64_t)AT_FDCWD, a[1] };
    return sys_symlinkat(t, b);
}

static int64_t do_readlink(emu_linux_task *t, int dirfd, uint64_t gpath, uint64_t gbuf, uint64_t size)
{
    char in[PATH_MAX];
    int e = emu_user_strcpy_in(t, in, sizeof in, gpath);
    if (e < 0)
        return e;
    if ((int64_t)size <= 0)
        return -EINVAL;
    char *buf = emu_user_gptr(t, gbuf, size, EMU_VM_WRITE);
    if (!buf)
        return -EFAULT;
    if (emu_user_is_proc_exe(in)) {
        size_t n = strlen(t->proc->exe_path);
        if (n > size)
            n = size;
        memcpy(buf, t->proc->exe_path, n);
        return (int64_t)n;
    }
    char map[PATH_MAX];
    const char *path = emu_user_path(t->proc, in, map, sizeof map);
    RET(readlinkat(dirfd, path, buf, size));
}

static int64_t sys_readlinkat(emu_linux_task *t, const uint64_t *a)
{
    return do_readlink(t, (int)a[0], a[1], a[2], a[3]);
}

static int64_t sys_readlink(emu_linux_task *t, const uint64_t *a)
{
    return do_readlink(t, AT_FDCWD, a[0], a[1], a[2]);
}

static int64_t sys_faccessat2(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(syscall(SYS_faccessat2, (int)a[0], path, (int)a[2], (int)a[3]));
}

static int64_t sys_faccessat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(syscall(SYS_faccessat, (int)a[0], path, (int)a[2]));
}

static int64_t sys_access(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(access(path, (int)a[1]));
}

static int64_t sys_chdir(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(chdir(path));
}

static int64_t sys_fchdir(emu_linux_task *t, const uint64_t *a) { RET(fchdir((int)a[0])); }

static int64_t sys_getcwd(emu_linux_task *t, const uint64_t *a)
{
    char *buf = emu_user_gptr(t, a[0], a[1], EMU_VM_WRITE);
    if (!buf)
        return -EFAULT;
    RET(syscall(SYS_getcwd, buf, a[1]));
}

static int64_t sys_umask(emu_linux_task *t, const uint64_t *a) { return umask((mode_t)a[0]); }

static int64_t sys_fchmodat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(syscall(SYS_fchmodat, (int)a[0], path, (mode_t)a[2]));
}

static int64_t sys_chmod(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(chmod(path, (mode_t)a[1]));
}

static int64_t sys_fchmod(emu_linux_task *t, const uint64_t *a) { RET(fchmod((int)a[0], (mode_t)a[1])); }

static int64_t sys_fchownat(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[1]);
    RET(fchownat((int)a[0], path, (uid_t)a[2], (gid_t)a[3], (int)a[4]));
}

static int64_t sys_chown(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(chown(path, (uid_t)a[1], (gid_t)a[2]));
}

static int64_t sys_lchown(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(lchown(path, (uid_t)a[1], (gid_t)a[2]));
}

static int64_t sys_fchown(emu_linux_task *t, const uint64_t *a)
{
    RET(fchown((int)a[0], (uid_t)a[1], (gid_t)a[2]));
}

static int64_t sys_truncate(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(truncate(path, (off_t)(int64_t)a[1]));
}

static int64_t sys_ftruncate(emu_linux_task *t, const uint64_t *a)
{
    RET(ftruncate((int)a[0], (off_t)(int64_t)a[1]));
}

static int64_t sys_truncate64(emu_linux_task *t, const uint64_t *a)
{
    GPATH(path, a[0]);
    RET(truncate(path, (off_t)a[1]));
}

static int64_t sys_ftruncate64(emu_linux_task *t, const uint64_t *a)
{
    RET(ftruncate((int)a[0], (off_t)a[1]));
}

static int64_t sys_fsync(emu_linux_task *t, const uint64_t *a) { RET(fsync((int)a[0])); }
static int64_t sys_fdatasync(emu_linux_task *t, const uint64_t *a) { RET(fdatasync((int)a[0])); }
static int64_t sys_sync(emu_linux_task *t, const uint64_t *a) { sync(); return 0; }
static int64_t sys_flock(emu_linux_task *t, const uint64_t *a) { RET(flock((int)a[0], (int)a[1])); }

static int64_t sys_fallocate(emu_linux_task *t, const uint64_t *a)
{
    RET(fallocate((int)a[0], (int)a[1], (off_t)a[2], (off_t)a[3]));
}

static int64_t sys_fadvise64_64(emu_linux_task *t, const uint64_t *a)
{
    /* Advice only: check the descriptor like the kernel does, give no advice. */
    if (fcntl((int)a[0], F_GETFD) < 0)
        return -errno;
    return 0;
}

/* sendfile with a guest off_t (size 4 or 8) offset, or none. */
static int64_t do_sendfile(emu_linux_task *t, const uint64_t *a, unsigned offsize)
{
    off_t off = 0, *poff = NULL;
    uint8_t buf[8];
    if (a[2]) {
        if (emu_user_copy_in(t, buf, a[2], offsize) < 0)
            return -EFAULT;
        off = offsize == 4 ? (int32_t)emu_user_ld(t->proc, buf, 4) : (off_t)emu_user_ld(t->proc, buf, 8);
        poff = &off;
    }
    ssize_t r = syscall(SYS_sendfile, (int)a[0], (int)a[1], poff, (size_t)a[3]);
    if (r < 0)
        return -errno;
    if (poff) {
        emu_user_st(t->proc, buf, offsize, (uint64_t)off);
        if (emu_user_copy_out(t, a[2], buf, offsize) < 0)
            return -EFAULT;
    }
    return r;
}

static int64_t sys_sendfile(emu_linux_task *t, const uint64_t *a) { return do_sendfile(t, a, t->proc->word); }
static int64_t sys_sendfile64(emu_linux_task *t, const uint64_t *a) { return do_sendfile(t, a, 8); }

static int64_t sys_close_range(emu_linux_task *t, const uint64_t *a)
{
    RET(syscall(SYS_close_range, (unsigned)a[0], (unsigned)a[1], (unsigned)a[2]));
}

/* ---- mounts ---- */

static int64_t sys_mount(emu_linux_task *t, const uint64_t *a)
{
    char src[PATH_MAX], type[256], data[4096];
    int e;
    if (a[0] && (e = emu_user_strcpy_in(t, src, sizeof src, a[0])) < 0)
        return e;
    if (a[2] && (e = emu_user_strcpy_in(t, type, sizeof type, a[2])) < 0)
        return e;
    /* The data of the file systems emu knows of is an option string. */
    if (a[4] && (e = emu_user_strcpy_in(t, data, sizeof data, a[4])) < 0)
        return e;
    GPATH(target, a[1]);
    RET(mount(a[0] ? src : NULL, target, a[2] ? type : NULL, (unsigned long)a[3], a[4] ? data : NULL));
}

static int64_t sys_umount2(emu_linux_task *t, const uint64_t *a)
{
    GPATH(target, a[0]);
    RET(umount2(target, (int)a[1]));
}

/* ---- file times ---- */

/* utimensat with the times as guest timespecs (32-bit or time64) or NULL.
   A NULL path with a descriptor is futimens. */
static int64_t do_utimensat(emu_linux_task *t, int dirfd, uint64_t gpath, uint64_t gtimes, int flags, bool time64)
{
    struct timespec ts[2], *pts = NULL;
    if (gtimes) {
        unsigned size = time64 ? 16 : 2 * t->proc->word;
        if (emu_user_get_timespec(t, gtimes, &ts[0], time64) < 0 ||
            emu_user_get_timespec(t, gtimes + size, &ts[1], time64) < 0)
            return -EFAULT;
        pts = ts;
    }
    if (!gpath)
        RET(syscall(SYS_utimensat, dirfd, NULL, pts, flags));
    GPATH(path, gpath);
    RET(utimensat(dirfd, path, pts, flags));
}

static int64_t sys_utimensat(emu_linux_task *t, const uint64_t *a)
{
    return do_utimensat(t, (int)a[0], a[1], a[2], (int)a[3], false);
}

static int64_t sys_utimensat_time64(emu_linux_task *t, const uint64_t *a)
{
    return do_utimensat(t, (int)a[0], a[1], a[2], (int)a[3], true);
}

/* utimes/futimesat: two guest timevals (microseconds). */
static int64_t do_futimesat(emu_linux_task *t, int dirfd, uint64_t gpath, uint64_t gtimes)
{
    struct timespec ts[2], *pts = NULL;
    if (gtimes) {
        unsigned w = t->proc->word;
        if (emu_user_get_timespec(t, gtimes, &ts[0], false) < 0 ||
            emu_user_get_timespec(t, gtimes + 2 * w, &ts[1], false) < 0)
            return -EFAULT;
        for (int i = 0; i < 2; i++) {
            if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000)
                return -EINVAL;
            ts[i].tv_nsec *= 1000;
        }
        pts = ts;
    }
    GPATH(path, gpath);
    RET(utimensat(dirfd, path, pts, 0));
}

static int64_t sys_utimes(emu_linux_task *t, const uint64_t *a) { return do_futimesat(t, AT_FDCWD, a[0], a[1]); }
static int64_t sys_futimesat(emu_linux_task *t, const uint64_t *a) { return do_futimesat(t, (int)a[0], a[1], a[2]); }

/* utime: struct utimbuf { long actime, modtime; } */
static int64_t sys_utime(emu_linux_task *t, const uint64_t *a)
{
    struct timespec ts[2], *pts = NULL;
    if (a[1]) {
        unsigned w = t->proc->word;
        uint8_t buf[16];
        if (emu_user_copy_in(t, buf, a[1], 2 * w) < 0)
            return -EFAULT;
        for (int i = 0; i < 2; i++) {
            uint64_t v = emu_user_ld(t->proc, buf + i * w, w);
            ts[i].tv_sec = w == 4 ? (int32_t)v : (int64_t)v;
            ts[i].tv_nsec = 0;
        }
        pts = ts;
    }
    GPATH(path, a[0]);
    RET(utimensat(AT_FDCWD, path, pts, 0));
}

/* ---- fcntl ---- */

/* The guest's struct flock (32-bit long offsets) or flock64 (layout table). */
static int64_t get_flock(emu_linux_task *t, uint64_t addr, bool is64, struct flock *fl)
{
    emu_user_proc *p = t->proc;
    uint8_t buf[64];
    if (is64) {
        const emu_linux_flock_layout *l = p->abi->flock64;
        if (emu_user_copy_in(t, buf, addr, l->size) < 0)
            return -EFAULT;
        fl->l_type = (short)emu_user_get_field(p, buf, l->type);
        fl->l_whence = (short)emu_user_get_field(p, buf, l->whence);
        fl->l_start = (off_t)emu_user_get_field(p, buf, l->start);
        fl->l_len = (off_t)emu_user_get_field(p, buf, l->len);
        fl->l_pid = (pid_t)emu_user_get_field(p, buf, l->pid);
    } else {
        unsigned w = p->word;
        if (emu_user_copy_in(t, buf, addr, 4 + 3 * w) < 0)
            return -EFAULT;
        fl->l_type = (short)emu_user_ld(p, buf, 2);
        fl->l_whence = (short)emu_user_ld(p, buf + 2, 2);
        fl->l_start = w == 4 ? (int32_t)emu_user_ld(p, buf + 4, 4) : (off_t)emu_user_ld(p, buf + 8, 8);
        fl->l_len = w == 4 ? (int32_t)emu_user_ld(p, buf + 8, 4) : (off_t)emu_user_ld(p, buf + 16, 8);
        fl->l_pid = (pid_t)emu_user_ld(p, buf + (w == 4 ? 12 : 24), 4);
    }
    return 0;
}

static int64_t put_flock(emu_linux_task *t, uint64_t addr, bool is64, const struct flock *fl)
{
    emu_user_proc *p = t->proc;
    uint8_t buf[64] = { 0 };
    if (is64) {
        const emu_linux_flock_layout *l = p->abi->flock64;
        emu_user_put_field(p, buf, l->type, (uint64_t)fl->l_type);
        emu_user_put_field(p, buf, l->whence, (uint64_t)fl->l_whence);
        emu_user_put_field(p, buf, l->start, (uint64_t)fl->l_start);
        emu_user_put_field(p, buf, l->len, (uint64_t)fl->l_len);
        emu_user_put_field(p, buf, l->pid, (uint64_t)fl->l_pid);
        return emu_user_copy_out(t, addr, buf, l->size);
    }
    unsigned w = p->word;
    if (w == 4 && (fl->l_start > INT32_MAX || fl->l_len > INT32_MAX))
        return -EOVERFLOW;
    emu_user_st(p, buf, 2, (uint64_t)fl->l_type);
    emu_user_st(p, buf + 2, 2, (uint64_t)fl->l_whence);
    emu_user_st(p, buf + (w == 4 ? 4 : 8), w, (uint64_t)fl->l_start);
    emu_user_st(p, buf + (w == 4 ? 8 : 16), w, (uint64_t)fl->l_len);
    emu_user_st(p, buf + (w == 4 ? 12 : 24), 4, (uint64_t)fl->l_pid);
    return emu_user_copy_out(t, addr, buf, w == 4 ? 16 : 32);
}

static int64_t sys_fcntl(emu_linux_task *t, const uint64_t *a)
{
    int fd = (int)a[0], cmd = (int)a[1];
    bool is64 = false;
    switch (cmd) {
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        if (r < 0)
            return -errno;
        return emu_user_bits_to_guest(t->proc->abi->open_flags, (uint32_t)r);
    }
    case F_SETFL:
        RET(fcntl(fd, F_SETFL, open_flags(t, a[2])));
    case 12: case 13: case 14:      /* F_GETLK64, F_SETLK64, F_SETLKW64 (32-bit ABIs) */
        if (t->proc->word != 4)
            return -EINVAL;
        is64 = true;
        cmd = cmd - 12 + F_GETLK;
        /* fall through */
    case F_GETLK: case F_SETLK: case F_SETLKW:
    case F_OFD_GETLK: case F_OFD_SETLK: case F_OFD_SETLKW: {
        if (cmd >= F_OFD_GETLK)
            is64 = t->proc->word == 4;
        struct flock fl;
        int64_t e = get_flock(t, a[2], is64, &fl);
        if (e < 0)
            return e;
        int64_t r = emu_user_safe_syscall(t, SYS_fcntl, fd, cmd, (long)&fl, 0, 0, 0);
        if (r < 0)
            return r;
        if (cmd == F_GETLK || cmd == F_OFD_GETLK)
            return put_flock(t, a[2], is64, &fl);
        return 0;
    }
    case F_GETOWN_EX: case F_SETOWN_EX: {
        /* struct f_owner_ex { int type; pid_t pid; } */
        uint8_t buf[8];
        struct f_owner_ex ox;
        if (cmd == F_SETOWN_EX) {
            if (emu_user_copy_in(t, buf, a[2], 8) < 0)
                return -EFAULT;
            ox.type = (int)emu_user_ld(t->proc, buf, 4);
            ox.pid = (pid_t)emu_user_ld(t->proc, buf + 4, 4);
            RET(fcntl(fd, cmd, &ox));
        }
        if (fcntl(fd, cmd, &ox) < 0)
            return -errno;
        emu_user_st(t->proc, buf, 4, (uint64_t)ox.type);
        emu_user_st(t->proc, buf + 4, 4, (uint64_t)ox.pid);
        return emu_user_copy_out(t, a[2], buf, 8);
    }
    case F_DUPFD: case F_DUPFD_CLOEXEC:
        return duplicated(fd, fcntl(fd, cmd, (int)a[2]));
    case F_GETFD: case F_SETFD: case F_SETOWN: case F_GETOWN:
    case F_SETSIG: case F_GETSIG: case F_SETLEASE: case F_GETLEASE: case F_NOTIFY:
    case F_SETPIPE_SZ: case F_GETPIPE_SZ: case F_ADD_SEALS: case F_GET_SEALS:
        RET(fcntl(fd, cmd, (int)a[2]));
    default:
        return -EINVAL;
    }
}


const emu_sys_entry emu_sys_file_table[] = {
    { EMU_SYS_read, sys_read, "ipu", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_write, sys_write, "ipu", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_open, sys_open, "sfo", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_openat, sys_openat, "isfo", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_creat, sys_creat, "so", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_close, sys_close, "i", 'd', 0 },
    { EMU_SYS_pread64, sys_pread64, "ipuL", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_pwrite64, sys_pwrite64, "ipuL", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_readv, sys_readv, "ipi", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_writev, sys_writev, "ipi", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_lseek, sys_lseek, "iii", 'd', 0 },
    { EMU_SYS__llseek, sys_llseek, "iuupi", 'd', 0 },
    { EMU_SYS_getdents64, sys_getdents64, "ipu", 'd', 0 },
    { EMU_SYS_dup, sys_dup, "i", 'd', 0 },
    { EMU_SYS_dup2, sys_dup2, "ii", 'd', 0 },
    { EMU_SYS_dup3, sys_dup3, "iif", 'd', 0 },
    { EMU_SYS_pipe, sys_pipe, "p", 'd', 0 },
    { EMU_SYS_pipe2, sys_pipe2, "pf", 'd', 0 },
    { EMU_SYS_unlink, sys_unlink, "s", 'd', 0 },
    { EMU_SYS_unlinkat, sys_unlinkat, "isf", 'd', 0 },
    { EMU_SYS_rmdir, sys_rmdir, "s", 'd', 0 },
    { EMU_SYS_rename, sys_rename, "ss", 'd', 0 },
    { EMU_SYS_renameat, sys_renameat, "isis", 'd', 0 },
    { EMU_SYS_renameat2, sys_renameat2, "isisf", 'd', 0 },
    { EMU_SYS_mkdir, sys_mkdir, "so", 'd', 0 },
    { EMU_SYS_mkdirat, sys_mkdirat, "iso", 'd', 0 },
    { EMU_SYS_mknod, sys_mknod, "sou", 'd', 0 },
    { EMU_SYS_mknodat, sys_mknodat, "isou", 'd', 0 },
    { EMU_SYS_link, sys_link, "ss", 'd', 0 },
    { EMU_SYS_linkat, sys_linkat, "isisf", 'd', 0 },
    { EMU_SYS_symlink, sys_symlink, "ss", 'd', 0 },
    { EMU_SYS_symlinkat, sys_symlinkat, "sis", 'd', 0 },
    { EMU_SYS_readlink, sys_readlink, "spu", 'd', 0 },
    { EMU_SYS_readlinkat, sys_readlinkat, "ispu", 'd', 0 },
    { EMU_SYS_access, sys_access, "so", 'd', 0 },
    { EMU_SYS_faccessat, sys_faccessat, "iso", 'd', 0 },
    { EMU_SYS_faccessat2, sys_faccessat2, "isof", 'd', 0 },
    { EMU_SYS_chdir, sys_chdir, "s", 'd', 0 },
    { EMU_SYS_fchdir, sys_fchdir, "i", 'd', 0 },
    { EMU_SYS_getcwd, sys_getcwd, "pu", 'd', 0 },
    { EMU_SYS_umask, sys_umask, "o", 'd', 0 },
    { EMU_SYS_chmod, sys_chmod, "so", 'd', 0 },
    { EMU_SYS_fchmod, sys_fchmod, "io", 'd', 0 },
    { EMU_SYS_fchmodat, sys_fchmodat, "iso", 'd', 0 },
    { EMU_SYS_chown, sys_chown, "sii", 'd', 0 },
    { EMU_SYS_lchown, sys_lchown, "sii", 'd', 0 },
    { EMU_SYS_fchown, sys_fchown, "iii", 'd', 0 },
    { EMU_SYS_fchownat, sys_fchownat, "isiif", 'd', 0 },
    { EMU_SYS_truncate, sys_truncate, "si", 'd', 0 },
    { EMU_SYS_ftruncate, sys_ftruncate, "ii", 'd', 0 },
    { EMU_SYS_truncate64, sys_truncate64, "sL", 'd', 0 },
    { EMU_SYS_ftruncate64, sys_ftruncate64, "iL", 'd', 0 },
    { EMU_SYS_fsync, sys_fsync, "i", 'd', 0 },
    { EMU_SYS_fdatasync, sys_fdatasync, "i", 'd', 0 },
    { EMU_SYS_sync, sys_sync, "", 'd', 0 },
    { EMU_SYS_flock, sys_flock, "ii", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_fallocate, sys_fallocate, "iiLL", 'd', 0 },
    { EMU_SYS_fadvise64_64, sys_fadvise64_64, "iiLL", 'd', 0 },
    { EMU_SYS_sendfile, sys_sendfile, "iipu", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_sendfile64, sys_sendfile64, "iipu", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_close_range, sys_close_range, "uuf", 'd', 0 },
    { EMU_SYS_mount, sys_mount, "sssxs", 'd', 0 },
    { EMU_SYS_umount2, sys_umount2, "sf", 'd', 0 },
    { EMU_SYS_utimensat, sys_utimensat, "ispf", 'd', 0 },
    { EMU_SYS_utimensat_time64, sys_utimensat_time64, "ispf", 'd', 0 },
    { EMU_SYS_utimes, sys_utimes, "sp", 'd', 0 },
    { EMU_SYS_futimesat, sys_futimesat, "isp", 'd', 0 },
    { EMU_SYS_utime, sys_utime, "sp", 'd', 0 },
    { EMU_SYS_fcntl, sys_fcntl, "iix", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_fcntl64, sys_fcntl, "iix", 'd', EMU_SYSF_RESTART },
    { 0 },
};
