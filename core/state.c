/* Device state snapshots.  A snapshot is a sequence of records: for each device
 * with a save hook, a header record (device id and type name), then its fields
 * in the order the device wrote them, each tagged with its name and length, so
 * that loading checks it reads what was written and never overruns a field. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "object.h"
#include "state.h"

#define STATE_MAGIC "EMUSTATE1"
/* Larger files are not snapshots of device state; refuse before reading them. */
#define STATE_FILE_MAX (256u << 20)

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

int emu_machine_save_state_file(emu_machine *m, const char *path, emu_error **err)
{
    if (emu_machine_state_check(m, err) < 0)
        return -1;
    emu_snapshot snap;
    if (emu_machine_save_state(m, &snap, err) < 0)
        return -1;
    char *tmp = emu_asprintf("%s.%ld.tmp", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0666);
    int rc = -1;
    if (fd < 0) {
        emu_error_set(err, "cannot create %s: %s", tmp, strerror(errno));
        goto out;
    }
    int werr = write_all(fd, snap.data, snap.len) < 0 ? errno : 0;
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
    emu_snapshot_free(&snap);
    return rc;
}

/* The whole file at `path` as a snapshot buffer. */
static int read_file(const char *path, emu_snapshot *out, emu_error **err)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        emu_error_set(err, "cannot open: %s", strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > STATE_FILE_MAX) {
        emu_error_set(err, "not an emu state snapshot (expected a regular file of at most "
                      "%u MiB written by --save-state or emu.save_state)", STATE_FILE_MAX >> 20);
        close(fd);
        return -1;
    }
    out->cap = (size_t)st.st_size + 1;
    out->data = emu_xmalloc(out->cap);
    for (;;) {
        ssize_t r = read(fd, out->data + out->len, out->cap - out->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            emu_error_set(err, "cannot read: %s", strerror(errno));
            close(fd);
            emu_snapshot_free(out);
            return -1;
        }
        if (r == 0)
            break;
        out->len += (size_t)r;
        if (out->len == out->cap) {   /* the file grew while we read it */
            emu_error_set(err, "the file changes while it is read");
            close(fd);
            emu_snapshot_free(out);
            return -1;
        }
    }
    close(fd);
    return 0;
}

int emu_machine_load_state_file(emu_machine *m, const char *path, emu_error **err)
{
    if (emu_machine_state_check(m, err) < 0)
        return -1;
    emu_snapshot in, before;
    if (read_file(path, &in, err) < 0)
        return -1;
    /* Devices restore one after the other: keep the present state to go back to. */
    if (emu_machine_save_state(m, &before, err) < 0) {
        emu_snapshot_free(&in);
        return -1;
    }
    int rc = emu_machine_load_state(m, &in, err);
    if (rc < 0) {
        emu_error *e = NULL;
        if (emu_machine_load_state(m, &before, &e) < 0) {
            emu_log(NULL, EMU_LOG_WARN, "restoring the state before the failed load failed too: %s",
                    emu_error_message(e));
            emu_error_free(e);
        }
    }
    emu_snapshot_free(&in);
    emu_snapshot_free(&before);
    return rc;
}
