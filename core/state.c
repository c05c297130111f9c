/* Machine snapshots.  The device part is a sequence of records: for each device
 * with a save hook, a header record (device id and type name), then its fields
 * in the order the device wrote them, each tagged with its name and length, so
 * that loading checks it reads what was written and never overruns a field.
 * A snapshot file adds the virtual clock and the contents of guest RAM and ROM. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "clock/clock.h"
#include "exec/exec-internal.h"
#include "memory/memory-internal.h"
#include "object.h"
#include "state.h"

#define STATE_MAGIC "EMUSTATE1"
/* A snapshot file: this magic, the machine part, the device part (each a u64 length and
   records), then the bytes of every RAM/ROM region (docs/lua-api.md, "Snapshot files"). */
#define FILE_MAGIC "EMUSNAP2"
/* Larger parts are not snapshots of device state; refuse before reading them. */
#define STATE_PART_MAX (256u << 20)

struct emu_state_writer {
    emu_snapshot *snap;
};

struct emu_state_reader {
    const emu_snapshot *snap;
    size_t pos;
    emu_device *dev;
    char *problem;                 /* first mismatch found, reported by load */
};

static void put_raw(emu_snapshot *s, const void *p, size_t n)
{
    emu_grow((void **)&s->data, &s->cap, s->len + n, 1);
    memcpy(s->data + s->len, p, n);
    s->len += n;
}

/* A record: u16 name length, name, u32 value length, value. */
static void put_record(emu_snapshot *s, const char *name, const void *p, size_t n)
{
    uint16_t nl = (uint16_t)strnlen(name, 0xffff);
    uint32_t vl = (uint32_t)n;
    put_raw(s, &nl, sizeof nl);
    put_raw(s, name, nl);
    put_raw(s, &vl, sizeof vl);
    put_raw(s, p, n);
}

void emu_state_put_u64(emu_state_writer *w, const char *field, uint64_t v)
{
    put_record(w->snap, field, &v, sizeof v);
}

void emu_state_put_bytes(emu_state_writer *w, const char *field, const void *p, size_t n)
{
    put_record(w->snap, field, p, n);
}

int emu_state_none(emu_device *dev, emu_state_writer *w)
{
    (void)dev, (void)w;
    return 0;
}

/* Read the next record; NULL (with r->problem set) when it is missing or malformed. */
static const uint8_t *get_record(emu_state_reader *r, const char *want, size_t *len)
{
    const emu_snapshot *s = r->snap;
    uint16_t nl;
    uint32_t vl;
    if (r->problem)
        return NULL;
    if (s->len - r->pos < sizeof nl)
        goto truncated;
    memcpy(&nl, s->data + r->pos, sizeof nl);
    if (s->len - r->pos - sizeof nl < (size_t)nl + sizeof vl)
        goto truncated;
    const char *name = (const char *)s->data + r->pos + sizeof nl;
    memcpy(&vl, s->data + r->pos + sizeof nl + nl, sizeof vl);
    size_t head = sizeof nl + nl + sizeof vl;
    if (s->len - r->pos - head < vl)
        goto truncated;
    if (strlen(want) != nl || memcmp(name, want, nl)) {
        r->problem = emu_asprintf("expected field '%s', found '%.*s'", want, (int)nl, name);
        return NULL;
    }
    const uint8_t *p = s->data + r->pos + head;
    r->pos += head + vl;
    *len = vl;
    return p;
truncated:
    r->problem = emu_asprintf("snapshot ends inside field '%s'", want);
    return NULL;
}

int emu_state_get_u64(emu_state_reader *r, const char *field, uint64_t *v)
{
    size_t len;
    const uint8_t *p = get_record(r, field, &len);
    if (!p)
        return -1;
    if (len != sizeof *v) {
        r->problem = emu_asprintf("field '%s' has %zu bytes, expected 8", field, len);
        return -1;
    }
    memcpy(v, p, sizeof *v);
    return 0;
}

int emu_state_get_bytes(emu_state_reader *r, const char *field, void *out, size_t n)
{
    size_t len;
    const uint8_t *p = get_record(r, field, &len);
    if (!p)
        return -1;
    if (len != n) {
        r->problem = emu_asprintf("field '%s' has %zu bytes, expected %zu", field, len, n);
        return -1;
    }
    memcpy(out, p, n);
    return 0;
}

int emu_machine_save_state(emu_machine *m, emu_snapshot *out, emu_error **err)
{
    memset(out, 0, sizeof *out);
    put_raw(out, STATE_MAGIC, sizeof STATE_MAGIC);
    emu_state_writer w = { out };
    for (size_t i = 0; i < m->ndevices; i++) {
        emu_device *dev = m->devices[i];
        if (!dev->type->save)
            continue;
        put_record(out, dev->id, dev->type->name, strlen(dev->type->name));
        if (dev->type->save(dev, &w) < 0) {
            emu_error_set(err, "%s '%s': saving its state failed", dev->type->name, dev->id);
            emu_snapshot_free(out);
            return -1;
        }
    }
    return 0;
}

int emu_machine_load_state(emu_machine *m, const emu_snapshot *in, emu_error **err)
{
    if (in->len < sizeof STATE_MAGIC || memcmp(in->data, STATE_MAGIC, sizeof STATE_MAGIC)) {
        emu_error_set(err, "not an emu state snapshot");
        return -1;
    }
    emu_state_reader r = { in, sizeof STATE_MAGIC, NULL, NULL };
    for (size_t i = 0; i < m->ndevices; i++) {
        emu_device *dev = m->devices[i];
        if (!dev->type->save)
            continue;
        size_t len;
        const uint8_t *type = get_record(&r, dev->id, &len);
        if (!type || len != strlen(dev->type->name) || memcmp(type, dev->type->name, len)) {
            emu_error_set(err, "snapshot does not match this machine at device '%s'%s%s", dev->id,
                          r.problem ? ": " : "", r.problem ? r.problem : "");
            free(r.problem);
            return -1;
        }
        emu_error *e = NULL;
        int rc = dev->type->load ? dev->type->load(dev, &r, &e) : 0;
        if (rc < 0 || r.problem) {
            emu_error_set(err, "%s '%s': restoring its state failed: %s", dev->type->name, dev->id,
                          r.problem ? r.problem : e ? emu_error_message(e) : "unknown reason");
            emu_error_free(e);
            free(r.problem);
            return -1;
        }
    }
    if (r.pos != in->len) {
        emu_error_set(err, "snapshot has %zu bytes of state for devices this machine lacks",
                      in->len - r.pos);
        return -1;
    }
    return 0;
}

void emu_snapshot_free(emu_snapshot *s)
{
    free(s->data);
    memset(s, 0, sizeof *s);
}

/* ---- snapshot files ---- */

int emu_machine_state_check(emu_machine *m, emu_error **err)
{
    char *list = NULL;
    size_t n = 0;
    for (size_t i = 0; i < m->ndevices; i++) {
        emu_device *dev = m->devices[i];
        if (dev->type->save)
            continue;
        char *more = emu_asprintf("%s%s%s (%s)", list ? list : "", list ? ", " : "", dev->id,
                                  dev->type->name);
        free(list);
        list = more;
        n++;
    }
    if (!list)
        return 0;
    emu_error_set(err, "cannot snapshot this machine: %s %s %s no state support (save/load) yet",
                  n == 1 ? "device" : "devices", list, n == 1 ? "has" : "have");
    free(list);
    return -1;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

/* 0, or -1 with errno (EIO at the end of the file). */
static int read_all(int fd, uint8_t *p, size_t len)
{
    while (len) {
        ssize_t r = read(fd, p, len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            return -1;
        }
        p += r;
        len -= (size_t)r;
    }
    return 0;
}

static size_t cpu_count(emu_machine *m)
{
    return m->exec ? m->exec->ncpus : 0;
}

/* The machine part of a file: the clock, the table of RAM/ROM regions (each record is named
   after its region and holds its size) and whether each CPU is halted waiting for an
   interrupt (the engine's state, not the CPU type's). */
static void put_machine_part(emu_machine *m, emu_snapshot *s)
{
    uint64_t now = emu_clock_ns(m);
    put_record(s, "clock-ns", &now, sizeof now);
    uint64_t n = 0;
    while (emu_mem_backed_region(m, n))
        n++;
    put_record(s, "memory-regions", &n, sizeof n);
    emu_region *r;
    for (size_t i = 0; (r = emu_mem_backed_region(m, i)); i++) {
        uint64_t size = emu_region_size(r);
        put_record(s, emu_region_name(r), &size, sizeof size);
    }
    uint64_t ncpus = cpu_count(m);
    put_record(s, "cpus", &ncpus, sizeof ncpus);
    for (size_t i = 0; i < ncpus; i++) {
        uint64_t halted = m->exec->cpus[i]->halted;
        put_record(s, "halted", &halted, sizeof halted);
    }
}

/* Check the machine part against the machine; *clock_ns, *mem_bytes and halted[] (one per
   CPU) from it. */
static int check_machine_part(emu_machine *m, const emu_snapshot *part, uint64_t *clock_ns,
                              uint64_t *mem_bytes, bool *halted, emu_error **err)
{
    emu_state_reader r = { part, 0, NULL, NULL };
    uint64_t n, total = 0, ncpus;
    emu_region *reg;
    if (emu_state_get_u64(&r, "clock-ns", clock_ns) < 0 ||
        emu_state_get_u64(&r, "memory-regions", &n) < 0)
        goto bad;
    for (uint64_t i = 0; i < n; i++) {
        reg = emu_mem_backed_region(m, (size_t)i);
        if (!reg) {
            emu_error_set(err, "the snapshot has %" PRIu64 " RAM/ROM regions, this machine %" PRIu64,
                          n, i);
            return -1;
        }
        uint64_t size;
        if (emu_state_get_u64(&r, emu_region_name(reg), &size) < 0)
            goto bad;
        if (size != emu_region_size(reg)) {
            emu_error_set(err, "memory region '%s' has %" PRIu64 " bytes in the snapshot, %" PRIu64
                          " in this machine (another size)", emu_region_name(reg), size,
                          emu_region_size(reg));
            return -1;
        }
        total += size;
    }
    if (emu_mem_backed_region(m, (size_t)n)) {
        emu_error_set(err, "this machine has RAM/ROM region '%s', the snapshot has none",
                      emu_region_name(emu_mem_backed_region(m, (size_t)n)));
        return -1;
    }
    if (emu_state_get_u64(&r, "cpus", &ncpus) < 0)
        goto bad;
    if (ncpus != cpu_count(m)) {
        emu_error_set(err, "the snapshot has %" PRIu64 " CPUs, this machine %zu", ncpus, cpu_count(m));
        return -1;
    }
    for (size_t i = 0; i < ncpus; i++) {
        uint64_t h;
        if (emu_state_get_u64(&r, "halted", &h) < 0)
            goto bad;
        if (h > 1) {
            emu_error_set(err, "not an emu state snapshot (CPU %zu halted %" PRIu64 ")", i, h);
            return -1;
        }
        halted[i] = h != 0;
    }
    if (r.pos != part->len) {
        emu_error_set(err, "not an emu state snapshot (the machine part has extra bytes)");
        return -1;
    }
    *mem_bytes = total;
    return 0;
bad:
    emu_error_set(err, "the snapshot's memory layout does not fit this machine: %s",
                  r.problem ? r.problem : "malformed");
    free(r.problem);
    return -1;
}

/* Write one length-prefixed part. */
static int write_part(int fd, const emu_snapshot *part)
{
    uint64_t len = part->len;
    return write_all(fd, (const uint8_t *)&len, sizeof len) < 0 ? -1 : write_all(fd, part->data, part->len);
}

int emu_state_file_target_check(const char *path, emu_error **err)
{
    /* The file is written beside PATH and renamed over it: a device or FIFO there (/dev/null)
       would be replaced by a regular file. */
    struct stat st;
    if (stat(path, &st) < 0 || S_ISREG(st.st_mode))
        return 0;
    emu_error_set(err, S_ISDIR(st.st_mode) ? "a directory, expected a file name"
                                           : "not a regular file (the snapshot would replace it)");
    return -1;
}

int emu_machine_save_state_file(emu_machine *m, const char *path, emu_error **err)
{
    if (emu_machine_state_check(m, err) < 0 || emu_state_file_target_check(path, err) < 0)
        return -1;
    emu_snapshot machine = { 0 }, devices;
    if (emu_machine_save_state(m, &devices, err) < 0)
        return -1;
    put_machine_part(m, &machine);
    char *tmp = emu_asprintf("%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
    int rc = -1;
    if (fd < 0) {
        emu_error_set(err, "cannot create %s: %s", tmp, strerror(errno));
        goto out;
    }
    int werr = 0;
    if (write_all(fd, (const uint8_t *)FILE_MAGIC, sizeof FILE_MAGIC) < 0 ||
        write_part(fd, &machine) < 0 || write_part(fd, &devices) < 0)
        werr = errno;
    emu_region *r;
    for (size_t i = 0; !werr && (r = emu_mem_backed_region(m, i)); i++)
        if (write_all(fd, emu_region_ram_ptr(r), (size_t)emu_region_size(r)) < 0)
            werr = errno;
    if (close(fd) < 0 && !werr)
        werr = errno;
    if (werr) {
        emu_error_set(err, "writing %s failed: %s", tmp, strerror(werr));
        unlink(tmp);
        goto out;
    }
    if (rename(tmp, path) < 0) {
        emu_error_set(err, "cannot rename %s into place: %s", tmp, strerror(errno));
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(tmp);
    emu_snapshot_free(&machine);
    emu_snapshot_free(&devices);
    return rc;
}

/* Read one length-prefixed part of at most `left` bytes into *out. */
static int read_part(int fd, uint64_t *left, emu_snapshot *out, emu_error **err)
{
    uint64_t len;
    memset(out, 0, sizeof *out);
    if (*left < sizeof len || read_all(fd, (uint8_t *)&len, sizeof len) < 0 ||
        len > *left - sizeof len || len > STATE_PART_MAX) {
        emu_error_set(err, "not an emu state snapshot (truncated or damaged)");
        return -1;
    }
    *left -= sizeof len + len;
    out->cap = out->len = (size_t)len;
    out->data = emu_xmalloc(len ? (size_t)len : 1);
    if (read_all(fd, out->data, (size_t)len) < 0) {
        emu_error_set(err, "cannot read: %s", strerror(errno));
        emu_snapshot_free(out);
        return -1;
    }
    return 0;
}

/* Open `path` and read its header and both parts; fd is left at the memory bytes. */
static int open_snapshot(const char *path, int *fdp, emu_snapshot *machine, emu_snapshot *devices,
                         uint64_t *mem_left, emu_error **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        emu_error_set(err, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    char magic[sizeof FILE_MAGIC];
    uint64_t left;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size < sizeof magic ||
        read_all(fd, (uint8_t *)magic, sizeof magic) < 0 || memcmp(magic, FILE_MAGIC, sizeof magic)) {
        emu_error_set(err, "not an emu state snapshot (expected a regular file written by "
                      "--save-state or emu.save_state)");
        close(fd);
        return -1;
    }
    left = (uint64_t)st.st_size - sizeof magic;
    if (read_part(fd, &left, machine, err) < 0) {
        close(fd);
        return -1;
    }
    if (read_part(fd, &left, devices, err) < 0) {
        emu_snapshot_free(machine);
        close(fd);
        return -1;
    }
    *fdp = fd;
    *mem_left = left;
    return 0;
}

int emu_machine_load_state_file(emu_machine *m, const char *path, emu_error **err)
{
    if (emu_machine_state_check(m, err) < 0)
        return -1;
    emu_snapshot machine, in, before;
    uint64_t clock_ns, mem_bytes, mem_left;
    int fd;
    if (open_snapshot(path, &fd, &machine, &in, &mem_left, err) < 0)
        return -1;
    int rc = -1;
    bool *halted = emu_xcalloc(cpu_count(m) + 1, sizeof *halted);
    if (check_machine_part(m, &machine, &clock_ns, &mem_bytes, halted, err) < 0)
        goto out;
    if (mem_left != mem_bytes) {
        emu_error_set(err, "not an emu state snapshot: %" PRIu64 " bytes of memory where %" PRIu64
                      " were expected (truncated or damaged)", mem_left, mem_bytes);
        goto out;
    }
    /* Devices restore one after the other: keep the present state to go back to.  The clock
       goes first, since devices arm their timers relative to it. */
    if (emu_machine_save_state(m, &before, err) < 0)
        goto out;
    bool *was_halted = emu_xcalloc(cpu_count(m) + 1, sizeof *was_halted);
    for (size_t i = 0; i < cpu_count(m); i++)
        was_halted[i] = m->exec->cpus[i]->halted;
    emu_clock_restore(m, clock_ns);
    rc = emu_machine_load_state(m, &in, err);
    if (rc < 0) {
        memcpy(halted, was_halted, cpu_count(m) * sizeof *halted);
        emu_error *e = NULL;
        if (emu_machine_load_state(m, &before, &e) < 0) {
            emu_log(NULL, EMU_LOG_WARN, "restoring the state before the failed load failed too: %s",
                    emu_error_message(e));
            emu_error_free(e);
        }
    }
    emu_snapshot_free(&before);
    free(was_halted);
    /* after the CPUs' own state, whose load restarts them at their PC (or the state they had
       before a refused load) */
    for (size_t i = 0; i < cpu_count(m); i++)
        m->exec->cpus[i]->halted = halted[i];
    /* Memory last, straight from the file: everything that could be refused was checked. */
    emu_region *r;
    for (size_t i = 0; rc == 0 && (r = emu_mem_backed_region(m, i)); i++) {
        if (read_all(fd, emu_region_ram_ptr(r), (size_t)emu_region_size(r)) < 0) {
            emu_error_set(err, "reading memory region '%s' failed (%s): the machine is left "
                          "half restored", emu_region_name(r), strerror(errno));
            rc = -1;
        }
        emu_mem_region_replaced(r);
    }
out:
    free(halted);
    close(fd);
    emu_snapshot_free(&machine);
    emu_snapshot_free(&in);
    return rc;
}
