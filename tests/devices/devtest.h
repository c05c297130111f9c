/* Helpers for register-level device tests: a machine with an I/O space, devices from the build
 * tree's plugins, byte accesses, and a probe device that drives and records lines. */
#ifndef EMU_TESTS_DEVTEST_H
#define EMU_TESTS_DEVTEST_H

#include <stdlib.h>
#include "../tap.h"
#include "emu/emu.h"
#include "backends/backends.h"
#include "clock/clock.h"
#include "machine.h"
#include "object.h"
#include "plugins.h"

/* A machine with a 64 KiB "io" space, the plugins of this build tree on the search path. */
static inline emu_machine *dt_machine(emu_space **io)
{
    const char *build = getenv("EMU_BUILDDIR");
    if (build) {
        char *dir = emu_asprintf("%s/plugins/devices", build);
        emu_plugins_add_dir(dir);
        free(dir);
    }
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("devtest", &err);
    *io = m ? emu_space_new(m, "io", 0x10000, &err) : NULL;
    if (!*io) {
        printf("Bail out! machine: %s\n", emu_error_message(err));
        exit(1);
    }
    return m;
}

/* Create and realize a device; props is a NULL-terminated list of "name", "value" pairs.
   A failure stops the test (nothing after it could mean anything). */
static inline emu_device *dt_device(emu_machine *m, const char *type, const char *id,
                                    const char *const *props)
{
    emu_error *err = NULL;
    const emu_type *t = emu_plugins_find_type(type, EMU_KIND_DEVICE, &err);
    emu_device *d = t ? emu_device_new(m, t, id, &err) : NULL;
    for (size_t i = 0; d && props && props[i]; i += 2)
        if (emu_device_set_prop(d, props[i], props[i + 1], &err) < 0)
            d = NULL;
    if (d && emu_device_realize(d, &err) < 0)
        d = NULL;
    if (!d) {
        printf("Bail out! %s '%s': %s\n", type, id, emu_error_message(err));
        exit(1);
    }
    return d;
}

static inline void dt_map(emu_device *d, const char *region, emu_space *s, uint64_t addr)
{
    emu_error *err = NULL;
    emu_region *r = emu_device_region(d, region);
    if (!r || emu_region_map(emu_space_root(s), addr, r, 0, &err) < 0) {
        printf("Bail out! map %s.%s: %s\n", d->id, region, r ? emu_error_message(err) : "no region");
        exit(1);
    }
}

static inline uint8_t dt_in(emu_space *s, uint64_t addr)
{
    uint64_t v = 0;
    emu_space_read(s, addr, 1, EMU_LITTLE_ENDIAN, &v);
    return (uint8_t)v;
}

static inline void dt_out(emu_space *s, uint64_t addr, uint8_t v)
{
    emu_space_write(s, addr, 1, EMU_LITTLE_ENDIAN, v);
}

/* Move virtual time to `ns`, stopping at each timer deadline on the way to fire it
   (as the run loop's slices do), so callbacks see the time they asked for. */
static inline void dt_run_to(emu_machine *m, uint64_t ns)
{
    uint64_t next;
    while ((next = emu_clock_next_deadline(m)) <= ns) {
        if (next > emu_clock_ns(m))
            emu_clock_advance_to(m, next);
        emu_clock_run_due(m);
    }
    emu_clock_advance_to(m, ns);
}

/* The probe: inputs "in"[16] record level and rising edges, outputs "drive"[16] feed devices. */
typedef struct dt_probe {
    emu_device dev;
    int level[16];
    int rises[16];
    uint64_t rise_ns[16];   /* virtual time of the last rising edge */
    uint64_t fall_ns[16];
} dt_probe;

static inline int dt_probe_realize(emu_device *dev, emu_error **err)
{
    return 0;
}

static inline void dt_probe_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    dt_probe *p = (dt_probe *)dev;
    if (index >= 16)
        return;
    if (level && !p->level[index]) {
        p->rises[index]++;
        p->rise_ns[index] = emu_clock_ns(dev->machine);
    } else if (!level && p->level[index]) {
        p->fall_ns[index] = emu_clock_ns(dev->machine);
    }
    p->level[index] = level;
}

static const emu_line_desc dt_probe_inputs[] = { { "in", 16, "recorded" }, { NULL, 0, NULL } };
static const emu_line_desc dt_probe_outputs[] = { { "drive", 16, "set by the test" }, { NULL, 0, NULL } };

static const emu_type dt_probe_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "test-probe",
    .summary = "records and drives lines for tests", .instance_size = sizeof(dt_probe),
    .inputs = dt_probe_inputs, .outputs = dt_probe_outputs,
    .realize = dt_probe_realize, .set_input = dt_probe_input,
};

static inline dt_probe *dt_new_probe(emu_machine *m)
{
    emu_device *d = emu_device_new(m, &dt_probe_type, "probe", NULL);
    if (!d || emu_device_realize(d, NULL) < 0) {
        printf("Bail out! probe device\n");
        exit(1);
    }
    return (dt_probe *)d;
}

/* Wire src.out[oi] -> dst.in[ii]. */
static inline void dt_connect(emu_device *src, const char *out, unsigned oi, emu_device *dst,
                              const char *in, unsigned ii)
{
    emu_error *err = NULL;
    if (emu_line_connect(src, out, oi, dst, in, ii, &err) < 0) {
        printf("Bail out! connect: %s\n", emu_error_message(err));
        exit(1);
    }
}

static inline void dt_drive(dt_probe *p, unsigned index, int level)
{
    emu_line_set(emu_device_output(&p->dev, "drive", index), level);
}

#endif
