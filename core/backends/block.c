/* Block devices: raw image files read-write, read-only, or with a private copy-on-write snapshot. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "block-internal.h"

/* Snapshot granularity: a guest write into a cluster first copies the whole cluster. */
#define CLUSTER 4096u
/* Images are whole numbers of these. */
#define SECTOR_SIZE 512u

struct emu_blockdev {
    char *name;
    char *path;
    int fd;                  /* the image: O_RDWR for rw, O_RDONLY otherwise */
    uint64_t size;
    emu_block_mode mode;
    bool dirty;              /* rw: written since the last flush */
    int overlay_fd;          /* snapshot: unlinked sparse file holding written clusters */
    /* snapshot: the clusters the overlay holds, an open-addressing set of cluster numbers
       sized by what the guest wrote, not by the image (a sparse image may be exabytes) */
    uint64_t *written;
    size_t written_cap, written_count;
};

/* ---- whole-buffer I/O ---- */

static int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t r = pread(fd, p, len, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            return -EIO;   /* the file shrank under us */
        p += r;
        off += (uint64_t)r;
        len -= (size_t)r;
    }
    return 0;
}

static int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t r = pwrite(fd, p, len, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        p += r;
        off += (uint64_t)r;
        len -= (size_t)r;
    }
    return 0;
}

/* ---- opening ---- */

/* Another emu (or this one, twice) must not write an image we use, nor we one in use. */
static int lock_image(emu_blockdev *b, emu_error **err)
{
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = b->mode == EMU_BLOCK_RW ? F_WRLCK : F_RDLCK;
    fl.l_whence = SEEK_SET;
    if (fcntl(b->fd, F_OFD_SETLK, &fl) == 0)
        return 0;
    if (errno == EAGAIN || errno == EACCES) {
        emu_error_set(err, "blockdev '%s': %s is in use by another program or block device "
                      "(it holds a conflicting lock)%s", b->name, b->path,
                      b->mode == EMU_BLOCK_RW ? "; use mode ro or snapshot to share it" : "");
        return -1;
    }
    return 0;   /* the file system has no locks: go on without */
}

static int open_overlay(emu_blockdev *b, emu_error **err)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    b->overlay_fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (b->overlay_fd < 0) {
        /* File systems without O_TMPFILE: a named file, unlinked at once. */
        char *tmpl = emu_asprintf("%s/emu-snapshot-XXXXXX", dir);
        b->overlay_fd = mkostemp(tmpl, O_CLOEXEC);
        if (b->overlay_fd >= 0)
            unlink(tmpl);
        free(tmpl);
    }
    if (b->overlay_fd < 0) {
        emu_error_set(err, "blockdev '%s': cannot create the snapshot's temporary file in %s: %s "
                      "(set TMPDIR to a writable directory)", b->name, dir, strerror(errno));
        return -1;
    }
    return 0;
}

emu_blockdev *emu_blockdev_open(const char *name, const char *path, emu_block_mode mode,
                                emu_error **err)
{
    emu_blockdev *b = emu_xcalloc(1, sizeof *b);
    b->name = emu_xstrdup(name);
    b->path = emu_xstrdup(path);
    b->mode = mode;
    b->overlay_fd = -1;
    /* ro and snapshot open the image read-only, so it can never change. */
    b->fd = open(path, (mode == EMU_BLOCK_RW ? O_RDWR : O_RDONLY) | O_CLOEXEC | O_NOCTTY);
    if (b->fd < 0) {
        int e = errno;
        int probe;
        if (mode == EMU_BLOCK_RW && (e == EACCES || e == EROFS) &&
            (probe = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
            close(probe);
            emu_error_set(err, "blockdev '%s': %s opened read-write but the file is read-only; "
                          "use mode ro or snapshot", name, path);
        } else if (e == EISDIR) {
            emu_error_set(err, "blockdev '%s': %s is a directory, not a disk image", name, path);
        } else {
            emu_error_set(err, "blockdev '%s': cannot open %s: %s", name, path, strerror(e));
        }
        goto fail;
    }
    struct stat st;
    if (fstat(b->fd, &st) < 0) {
        emu_error_set(err, "blockdev '%s': %s: %s", name, path, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        emu_error_set(err, "blockdev '%s': %s is a directory, not a disk image", name, path);
        goto fail;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        emu_error_set(err, "blockdev '%s': %s is not a regular file or a block device", name, path);
        goto fail;
    }
    off_t end = lseek(b->fd, 0, SEEK_END);
    if (end < 0) {
        emu_error_set(err, "blockdev '%s': cannot find the size of %s: %s", name, path, strerror(errno));
        goto fail;
    }
    b->size = (uint64_t)end;
    /* Every disk, CD and NVRAM model counts in 512-byte multiples: a tail it cannot reach
       (or an image with nothing in it) is a mistake to report, not to hide. */
    if (!b->size) {
        emu_error_set(err, "blockdev '%s': %s is empty (a raw image holds at least one %u-byte "
                      "sector)", name, path, SECTOR_SIZE);
        goto fail;
    }
    if (b->size % SECTOR_SIZE) {
        emu_error_set(err, "blockdev '%s': %s is %llu bytes, not a whole number of %u-byte sectors "
                      "(pad it: truncate -s %llu %s)", name, path, (unsigned long long)b->size,
                      SECTOR_SIZE, (unsigned long long)(b->size / SECTOR_SIZE + 1) * SECTOR_SIZE,
                      path);
        goto fail;
    }
    if (lock_image(b, err) < 0)
        goto fail;
    if (mode == EMU_BLOCK_SNAPSHOT && open_overlay(b, err) < 0)
        goto fail;
    return b;
fail:
    emu_blockdev_close(b);
    return NULL;
}

void emu_blockdev_close(emu_blockdev *b)
{
    if (!b)
        return;
    if (b->fd >= 0) {
        int r = emu_block_flush(b);
        if (r < 0)
            emu_log(NULL, EMU_LOG_ERROR, "blockdev %s: flushing %s failed: %s", b->name, b->path,
                    strerror(-r));
        close(b->fd);
    }
    if (b->overlay_fd >= 0)
        close(b->overlay_fd);
    free(b->written);
    free(b->name);
    free(b->path);
    free(b);
}

/* ---- SDK ---- */

uint64_t emu_block_size(const emu_blockdev *b)
{
    return b ? b->size : 0;
}

bool emu_block_read_only(const emu_blockdev *b)
{
    return !b || b->mode == EMU_BLOCK_RO;
}

const char *emu_block_name(const emu_blockdev *b)
{
    return b ? b->name : "";
}

static bool in_range(const emu_blockdev *b, uint64_t offset, size_t len)
{
    return len <= b->size && offset <= b->size - len;
}

/* ---- the set of written clusters ---- */

#define NO_CLUSTER UINT64_MAX    /* an empty slot (cluster numbers are below 2^52) */

static size_t slot_of(uint64_t cl, size_t cap)
{
    return (size_t)((cl * 0x9e3779b97f4a7c15ull) >> 32) & (cap - 1);
}

static bool cluster_in_overlay(const emu_blockdev *b, uint64_t cl)
{
    if (!b->written_cap)
        return false;
    for (size_t i = slot_of(cl, b->written_cap);; i = (i + 1) & (b->written_cap - 1)) {
        if (b->written[i] == cl)
            return true;
        if (b->written[i] == NO_CLUSTER)
            return false;
    }
}

static void insert_slot(uint64_t *slots, size_t cap, uint64_t cl)
{
    size_t i = slot_of(cl, cap);
    while (slots[i] != NO_CLUSTER)
        i = (i + 1) & (cap - 1);
    slots[i] = cl;
}

static void mark_in_overlay(emu_blockdev *b, uint64_t cl)
{
    if (cluster_in_overlay(b, cl))
        return;
    /* At most 3/4 full, so a probe always ends at an empty slot. */
    if ((b->written_count + 1) * 4 > b->written_cap * 3) {
        size_t cap = b->written_cap ? b->written_cap * 2 : 1024;
        uint64_t *slots = emu_xmalloc(cap * sizeof *slots);
        memset(slots, 0xff, cap * sizeof *slots);
        for (size_t i = 0; i < b->written_cap; i++)
            if (b->written[i] != NO_CLUSTER)
                insert_slot(slots, cap, b->written[i]);
        free(b->written);
        b->written = slots;
        b->written_cap = cap;
    }
    insert_slot(b->written, b->written_cap, cl);
    b->written_count++;
}

/* Snapshot read: runs of clusters come from the overlay or the image, whichever holds them. */
static int snapshot_read(emu_blockdev *b, uint64_t offset, uint8_t *buf, size_t len)
{
    uint64_t pos = offset, end = offset + len;
    while (pos < end) {
        bool ov = cluster_in_overlay(b, pos / CLUSTER);
        uint64_t run_end = (pos / CLUSTER + 1) * CLUSTER;
        while (run_end < end && cluster_in_overlay(b, run_end / CLUSTER) == ov)
            run_end += CLUSTER;
        if (run_end > end)
            run_end = end;
        int r = pread_full(ov ? b->overlay_fd : b->fd, buf + (pos - offset), (size_t)(run_end - pos), pos);
        if (r < 0)
            return r;
        pos = run_end;
    }
    return 0;
}

/* Snapshot write: a cluster's first write copies the rest of it from the image. */
static int snapshot_write(emu_blockdev *b, uint64_t offset, const uint8_t *buf, size_t len)
{
    uint64_t pos = offset, end = offset + len;
    uint8_t cluster[CLUSTER];
    while (pos < end) {
        uint64_t cl = pos / CLUSTER;
        uint64_t cs = cl * CLUSTER;
        uint64_t ce = cs + CLUSTER < b->size ? cs + CLUSTER : b->size;
        uint64_t we = end < ce ? end : ce;
        const uint8_t *src = buf + (pos - offset);
        int r;
        if (!cluster_in_overlay(b, cl) && (pos > cs || we < ce)) {
            r = pread_full(b->fd, cluster, (size_t)(ce - cs), cs);
            if (r < 0)
                return r;
            memcpy(cluster + (pos - cs), src, (size_t)(we - pos));
            r = pwrite_full(b->overlay_fd, cluster, (size_t)(ce - cs), cs);
        } else {
            r = pwrite_full(b->overlay_fd, src, (size_t)(we - pos), pos);
        }
        if (r < 0)
            return r;
        mark_in_overlay(b, cl);
        pos = we;
    }
    return 0;
}

int emu_block_read(emu_blockdev *b, uint64_t offset, void *buf, size_t len)
{
    if (!b || !in_range(b, offset, len))
        return -EINVAL;
    if (!len)
        return 0;
    if (b->mode == EMU_BLOCK_SNAPSHOT)
        return snapshot_read(b, offset, buf, len);
    return pread_full(b->fd, buf, len, offset);
}

int emu_block_write(emu_blockdev *b, uint64_t offset, const void *buf, size_t len)
{
    if (!b || !in_range(b, offset, len))
        return -EINVAL;
    if (b->mode == EMU_BLOCK_RO)
        return -EROFS;
    if (!len)
        return 0;
    if (b->mode == EMU_BLOCK_SNAPSHOT)
        return snapshot_write(b, offset, buf, len);
    /* Dirty even when the write fails part way: what did reach the file is synced too. */
    b->dirty = true;
    return pwrite_full(b->fd, buf, len, offset);
}

int emu_block_flush(emu_blockdev *b)
{
    if (!b)
        return -EINVAL;
    /* Only rw has anything durable to make; a snapshot's writes are meant to vanish. */
    if (b->mode != EMU_BLOCK_RW || !b->dirty)
        return 0;
    if (fdatasync(b->fd) < 0)
        return -errno;
    b->dirty = false;
    return 0;
}

int emu_block_mode_parse(const char *text, emu_block_mode *mode)
{
    static const struct { const char *name; emu_block_mode mode; } modes[] = {
        { "rw", EMU_BLOCK_RW }, { "ro", EMU_BLOCK_RO }, { "snapshot", EMU_BLOCK_SNAPSHOT },
    };
    for (size_t i = 0; i < EMU_ARRAY_SIZE(modes); i++) {
        if (!strcmp(text, modes[i].name)) {
            *mode = modes[i].mode;
            return 0;
        }
    }
    return -1;
}
