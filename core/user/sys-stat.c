/* The stat family: host struct stat/statx/statfs converted to the guest's layouts (from the ABI's
 * tables) and byte order, with EOVERFLOW where a value does not fit the guest's field. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "user.h"

static bool fits(emu_linux_field f, uint64_t v)
{
    return f.size >= 8 || v < (1ull << (8 * f.size));
}

static int64_t put_stat(emu_linux_task *t, uint64_t addr, const struct stat *st, bool is64)
{
    emu_user_proc *p = t->proc;
    const emu_linux_stat_layout *l = is64 ? p->abi->stat64 : p->abi->stat;
    if (!l)
        return -ENOSYS;
    uint8_t buf[256] = { 0 };
    if (!fits(l->ino, st->st_ino) || !fits(l->fsize, (uint64_t)st->st_size) ||
        !fits(l->blocks, (uint64_t)st->st_blocks) || !fits(l->nlink, st->st_nlink))
        return -EOVERFLOW;
    emu_user_put_field(p, buf, l->dev, st->st_dev);
    emu_user_put_field(p, buf, l->ino, st->st_ino);
    emu_user_put_field(p, buf, l->mode, st->st_mode);
    emu_user_put_field(p, buf, l->nlink, st->st_nlink);
    emu_user_put_field(p, buf, l->uid, st->st_uid);
    emu_user_put_field(p, buf, l->gid, st->st_gid);
    emu_user_put_field(p, buf, l->rdev, st->st_rdev);
    emu_user_put_field(p, buf, l->fsize, (uint64_t)st->st_size);
    emu_user_put_field(p, buf, l->blksize, (uint64_t)st->st_blksize);
    emu_user_put_field(p, buf, l->blocks, (uint64_t)st->st_blocks);
    emu_user_put_field(p, buf, l->atime, (uint64_t)st->st_atim.tv_sec);
    emu_user_put_field(p, buf, l->atime_nsec, (uint64_t)st->st_atim.tv_nsec);
    emu_user_put_field(p, buf, l->mtime, (uint64_t)st->st_mtim.tv_sec);
    emu_user_put_field(p, buf, l->mtime_nsec, (uint64_t)st->st_mtim.tv_nsec);
    emu_user_put_field(p, buf, l->ctime, (uint64_t)st->st_ctim.tv_sec);
    emu_user_put_field(p, buf, l->ctime_nsec, (uint64_t)st->st_ctim.tv_nsec);
    return emu_user_copy_out(t, addr, buf, l->size);
}

/* fstatat on a guest path (flags are the generic AT_* values). */
static int64_t stat_path(emu_linux_task *t, int dirfd, uint64_t gpath, int flags, uint64_t out, bool is64)
{
    char in[PATH_MAX], map[PATH_MAX];
    int e = emu_user_strcpy_in(t, in, sizeof in, gpath);
    if (e < 0)
        return e;
    const char *path = emu_user_path(t->proc, in, map, sizeof map);
    struct stat st;
    if (fstatat(dirfd, path, &st, flags) < 0)
        return -errno;
    return put_stat(t, out, &st, is64);
}

static int64_t stat_fd(emu_linux_task *t, int fd, uint64_t out, bool is64)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return -errno;
    return put_stat(t, out, &st, is64);
}

static int64_t sys_stat(emu_linux_task *t, const uint64_t *a) { return stat_path(t, AT_FDCWD, a[0], 0, a[1], false); }
static int64_t sys_lstat(emu_linux_task *t, const uint64_t *a) { return stat_path(t, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, a[1], false); }
static int64_t sys_fstat(emu_linux_task *t, const uint64_t *a) { return stat_fd(t, (int)a[0], a[1], false); }
static int64_t sys_stat64(emu_linux_task *t, const uint64_t *a) { return stat_path(t, AT_FDCWD, a[0], 0, a[1], true); }
static int64_t sys_lstat64(emu_linux_task *t, const uint64_t *a) { return stat_path(t, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW, a[1], true); }
static int64_t sys_fstat64(emu_linux_task *t, const uint64_t *a) { return stat_fd(t, (int)a[0], a[1], true); }

static int64_t sys_fstatat64(emu_linux_task *t, const uint64_t *a)
{
    /* 64-bit ABIs call this newfstatat with struct stat; 32-bit ones use stat64. */
    return stat_path(t, (int)a[0], a[1], (int)a[3], a[2], t->proc->word == 4);
}

static int64_t sys_statx(emu_linux_task *t, const uint64_t *a)
{
    char in[PATH_MAX], map[PATH_MAX];
    int e = emu_user_strcpy_in(t, in, sizeof in, a[1]);
    if (e < 0)
        return e;
    const char *path = emu_user_path(t->proc, in, map, sizeof map);
    uint8_t *g = emu_user_gptr(t, a[4], sizeof(struct statx), EMU_VM_WRITE);
    if (!g)
        return -EFAULT;
    struct statx sx;
    if (syscall(SYS_statx, (int)a[0], path, (int)a[2], (unsigned)a[3], &sx) < 0)
        return -errno;
    /* The layout is the same for every ABI; only the byte order changes. */
    emu_user_proc *p = t->proc;
    memset(g, 0, sizeof sx);
    emu_user_st(p, g + 0, 4, sx.stx_mask);
    emu_user_st(p, g + 4, 4, sx.stx_blksize);
    emu_user_st(p, g + 8, 8, sx.stx_attributes);
    emu_user_st(p, g + 16, 4, sx.stx_nlink);
    emu_user_st(p, g + 20, 4, sx.stx_uid);
    emu_user_st(p, g + 24, 4, sx.stx_gid);
    emu_user_st(p, g + 28, 2, sx.stx_mode);
    emu_user_st(p, g + 32, 8, sx.stx_ino);
    emu_user_st(p, g + 40, 8, sx.stx_size);
    emu_user_st(p, g + 48, 8, sx.stx_blocks);
    emu_user_st(p, g + 56, 8, sx.stx_attributes_mask);
    const struct statx_timestamp *ts[4] = { &sx.stx_atime, &sx.stx_btime, &sx.stx_ctime, &sx.stx_mtime };
    for (int i = 0; i < 4; i++) {
        emu_user_st(p, g + 64 + 16 * i, 8, (uint64_t)ts[i]->tv_sec);
        emu_user_st(p, g + 72 + 16 * i, 4, ts[i]->tv_nsec);
    }
    emu_user_st(p, g + 128, 4, sx.stx_rdev_major);
    emu_user_st(p, g + 132, 4, sx.stx_rdev_minor);
    emu_user_st(p, g + 136, 4, sx.stx_dev_major);
    emu_user_st(p, g + 140, 4, sx.stx_dev_minor);
    emu_user_st(p, g + 144, 8, sx.stx_mnt_id);
    return 0;
}

static int64_t put_statfs(emu_linux_task *t, uint64_t addr, const struct statfs *sf, bool is64)
{
    emu_user_proc *p = t->proc;
    const emu_linux_statfs_layout *l = is64 ? p->abi->statfs64 : p->abi->statfs;
    if (!l)
        return -ENOSYS;
    uint8_t buf[256] = { 0 };
    if (!fits(l->blocks, sf->f_blocks) || !fits(l->files, sf->f_files))
        return -EOVERFLOW;
    int fsid[2];
    memcpy(fsid, &sf->f_fsid, sizeof fsid);
    emu_user_put_field(p, buf, l->type, (uint64_t)sf->f_type);
    emu_user_put_field(p, buf, l->bsize, (uint64_t)sf->f_bsize);
    emu_user_put_field(p, buf, l->blocks, sf->f_blocks);
    emu_user_put_field(p, buf, l->bfree, sf->f_bfree);
    emu_user_put_field(p, buf, l->bavail, sf->f_bavail);
    emu_user_put_field(p, buf, l->files, sf->f_files);
    emu_user_put_field(p, buf, l->ffree, sf->f_ffree);
    emu_user_put_field(p, buf, l->fsid0, (uint32_t)fsid[0]);
    emu_user_put_field(p, buf, l->fsid1, (uint32_t)fsid[1]);
    emu_user_put_field(p, buf, l->namelen, (uint64_t)sf->f_namelen);
    emu_user_put_field(p, buf, l->frsize, (uint64_t)sf->f_frsize);
    emu_user_put_field(p, buf, l->flags, (uint64_t)sf->f_flags);
    return emu_user_copy_out(t, addr, buf, l->size);
}

static int64_t do_statfs(emu_linux_task *t, uint64_t gpath, int fd, uint64_t out, bool is64)
{
    struct statfs sf;
    if (gpath) {
        char in[PATH_MAX], map[PATH_MAX];
        int e = emu_user_strcpy_in(t, in, sizeof in, gpath);
        if (e < 0)
            return e;
        if (statfs(emu_user_path(t->proc, in, map, sizeof map), &sf) < 0)
            return -errno;
    } else if (fstatfs(fd, &sf) < 0) {
        return -errno;
    }
    return put_statfs(t, out, &sf, is64);
}

static int64_t sys_statfs(emu_linux_task *t, const uint64_t *a) { return do_statfs(t, a[0], -1, a[1], false); }
static int64_t sys_fstatfs(emu_linux_task *t, const uint64_t *a) { return do_statfs(t, 0, (int)a[0], a[1], false); }

/* statfs64(path, size, buf): size must be the guest's sizeof(struct statfs64). */
static int64_t sys_statfs64(emu_linux_task *t, const uint64_t *a)
{
    if (!t->proc->abi->statfs64 || a[1] != t->proc->abi->statfs64->size)
        return -EINVAL;
    return do_statfs(t, a[0], -1, a[2], true);
}

static int64_t sys_fstatfs64(emu_linux_task *t, const uint64_t *a)
{
    if (!t->proc->abi->statfs64 || a[1] != t->proc->abi->statfs64->size)
        return -EINVAL;
    return do_statfs(t, 0, (int)a[0], a[2], true);
}

const emu_sys_entry emu_sys_stat_table[] = {
    { EMU_SYS_stat, sys_stat, "sp", 'd', 0 },
    { EMU_SYS_lstat, sys_lstat, "sp", 'd', 0 },
    { EMU_SYS_fstat, sys_fstat, "ip", 'd', 0 },
    { EMU_SYS_stat64, sys_stat64, "sp", 'd', 0 },
    { EMU_SYS_lstat64, sys_lstat64, "sp", 'd', 0 },
    { EMU_SYS_fstat64, sys_fstat64, "ip", 'd', 0 },
    { EMU_SYS_fstatat64, sys_fstatat64, "ispf", 'd', 0 },
    { EMU_SYS_statx, sys_statx, "isfxp", 'd', 0 },
    { EMU_SYS_statfs, sys_statfs, "sp", 'd', 0 },
    { EMU_SYS_fstatfs, sys_fstatfs, "ip", 'd', 0 },
    { EMU_SYS_statfs64, sys_statfs64, "sup", 'd', 0 },
    { EMU_SYS_fstatfs64, sys_fstatfs64, "iup", 'd', 0 },
    { 0 },
};
