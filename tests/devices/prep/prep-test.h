/* Helpers for the PReP device tests: build devices from the build tree's plugins, map their
 * regions, access memory as the CPU and the I/O window do, and a line sink to watch outputs. */
#ifndef EMU_TESTS_PREP_TEST_H
#define EMU_TESTS_PREP_TEST_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../tap.h"
#include "emu/emu.h"
#include "machine.h"
#include "object.h"
#include "plugins.h"

/* Create a device of plugin type `type` with properties "name=value" (NULL-terminated),
   realized.  Failure is a failed test with the message; returns NULL. */
static inline emu_device *pt_device(emu_machine *m, const char *type, const char *id,
                                    const char *const *props)
{
    emu_error *err = NULL;
    const emu_type *t = emu_plugins_find_type(type, 0, &err);
    emu_device *d = t ? emu_device_new(m, t, id, &err) : NULL;
    for (size_t i = 0; d && props && props[i]; i++) {
        char name[64];
        const char *eq = strchr(props[i], '=');
        size_t n = eq ? (size_t)(eq - props[i]) : 0;
        if (!eq || n >= sizeof name) {
            tap_ok(0, "property '%s' is name=value", props[i]);
            return NULL;
        }
        memcpy(name, props[i], n);
        name[n] = 0;
        if (emu_device_set_prop(d, name, eq + 1, &err) < 0)
            d = NULL;
    }
    if (d && emu_device_realize(d, &err) < 0)
        d = NULL;
    if (!d) {
        tap_ok(0, "create %s '%s': %s", type, id, err ? emu_error_message(err) : "?");
        emu_error_free(err);
    }
    return d;
}

/* Like pt_device but expects realize (or a property) to fail; returns the message (owned by
   the caller, free()), or NULL when it succeeded. */
static inline char *pt_device_error(emu_machine *m, const char *type, const char *id,
                                    const char *const *props)
{
    emu_error *err = NULL;
    const emu_type *t = emu_plugins_find_type(type, 0, &err);
    emu_device *d = t ? emu_device_new(m, t, id, &err) : NULL;
    int rc = d ? 0 : -1;
    for (size_t i = 0; rc == 0 && props && props[i]; i++) {
        char name[64];
        const char *eq = strchr(props[i], '=');
        size_t n = eq ? (size_t)(eq - props[i]) : 0;
        if (!eq || n >= sizeof name)
            return strdup("bad test property");
        memcpy(name, props[i], n);
        name[n] = 0;
        rc = emu_device_set_prop(d, name, eq + 1, &err);
    }
    if (rc == 0)
        rc = emu_device_realize(d, &err);
    if (rc == 0)
        return NULL;
    char *msg = strdup(err ? emu_error_message(err) : "?");
    emu_error_free(err);
    return msg;
}

/* Map region `name` of dev into space `space` at addr. */
static inline void pt_map(emu_device *dev, const char *name, const char *space, uint64_t addr)
{
    emu_error *err = NULL;
    emu_region *r = dev ? emu_device_region(dev, name) : NULL;
    emu_space *s = dev ? emu_machine_space(dev->machine, space) : NULL;
    if (!r || !s || emu_region_map(emu_space_root(s), addr, r, 0, &err) < 0) {
        tap_ok(0, "map %s.%s at %s@0x%" PRIx64 ": %s", dev ? dev->id : "?", name, space, addr,
               err ? emu_error_message(err) : "no such region or space");
        emu_error_free(err);
    }
}

static inline emu_space *pt_space(emu_machine *m, const char *name, uint64_t size)
{
    emu_error *err = NULL;
    emu_space *s = emu_space_new(m, name, size, &err);
    if (!s) {
        tap_ok(0, "space %s: %s", name, emu_error_message(err));
        emu_error_free(err);
    }
    return s;
}

/* Sized accesses: `le` ones are what lwbrx/stwbrx and byte accesses do on a big-endian CPU. */
static inline uint64_t pt_rd(emu_space *s, uint64_t addr, unsigned size, emu_endian e)
{
    uint64_t v = 0;
    emu_space_read(s, addr, size, e, &v);
    return v;
}
static inline void pt_wr(emu_space *s, uint64_t addr, unsigned size, emu_endian e, uint64_t v)
{
    emu_space_write(s, addr, size, e, v);
}
#define pt_rd8(s, a) pt_rd((s), (a), 1, EMU_LITTLE_ENDIAN)
#define pt_rd16(s, a) pt_rd((s), (a), 2, EMU_LITTLE_ENDIAN)
#define pt_rd32(s, a) pt_rd((s), (a), 4, EMU_LITTLE_ENDIAN)
#define pt_wr8(s, a, v) pt_wr((s), (a), 1, EMU_LITTLE_ENDIAN, (v))
#define pt_wr16(s, a, v) pt_wr((s), (a), 2, EMU_LITTLE_ENDIAN, (v))
#define pt_wr32(s, a, v) pt_wr((s), (a), 4, EMU_LITTLE_ENDIAN, (v))

/* A sink for output lines: input "in"[0..15] records levels and edge counts. */
typedef struct pt_sink {
    emu_device dev;
    int level[16];
    int rises[16];
} pt_sink;

static inline int pt_sink_realize(emu_device *dev, emu_error **err)
{
    (void)dev, (void)err;
    return 0;
}

static inline void pt_sink_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    pt_sink *s = (pt_sink *)dev;
    (void)line;
    if (index < 16) {
        if (level && !s->level[index])
            s->rises[index]++;
        s->level[index] = level;
    }
}

static const emu_line_desc pt_sink_inputs[] = { { "in", 16, "recorded levels" }, { NULL, 0, NULL } };
static const emu_line_desc pt_sink_outputs[] = { { "out", 16, "driven by the test" }, { NULL, 0, NULL } };

static const emu_type pt_sink_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "test-sink",
    .summary = "records line levels", .instance_size = sizeof(pt_sink),
    .inputs = pt_sink_inputs, .outputs = pt_sink_outputs,
    .realize = pt_sink_realize, .set_input = pt_sink_input,
};

static inline pt_sink *pt_new_sink(emu_machine *m, const char *id)
{
    emu_error *err = NULL;
    emu_device *d = emu_device_new(m, &pt_sink_type, id, &err);
    if (!d || emu_device_realize(d, &err) < 0) {
        tap_ok(0, "sink %s: %s", id, emu_error_message(err));
        emu_error_free(err);
        return NULL;
    }
    return (pt_sink *)d;
}

static inline void pt_connect(emu_device *src, const char *out, unsigned oi, emu_device *dst,
                              const char *in, unsigned ii)
{
    emu_error *err = NULL;
    if (emu_line_connect(src, out, oi, dst, in, ii, &err) < 0) {
        tap_ok(0, "connect %s.%s[%u] -> %s.%s[%u]: %s", src->id, out, oi, dst->id, in, ii,
               emu_error_message(err));
        emu_error_free(err);
    }
}

/* A disk image file made from mkstemp template `tmpl` (the caller frees the path): `sectors`
   sectors of `sector_size` bytes, byte i of sector s being (s * 7 + i) & 0xff. */
static inline char *pt_make_image(const char *tmpl, unsigned sectors, unsigned sector_size)
{
    char *path = strdup(tmpl);
    int fd = mkstemp(path);
    uint8_t *buf = malloc(sector_size);
    for (unsigned s = 0; s < sectors; s++) {
        for (unsigned i = 0; i < sector_size; i++)
            buf[i] = (uint8_t)(s * 7 + i);
        if (write(fd, buf, sector_size) != (ssize_t)sector_size)
            tap_ok(0, "write image");
    }
    free(buf);
    close(fd);
    return path;
}

#endif
