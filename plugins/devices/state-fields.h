/* Reading saved device state as untrusted input: each number field is checked against the
 * largest value the device can hold, and a missing or out-of-range field fails the restore
 * with a message naming the device type and field.  Included by device plugins' load hooks. */
#ifndef EMU_PLUGINS_STATE_FIELDS_H
#define EMU_PLUGINS_STATE_FIELDS_H

#include <inttypes.h>
#include "emu/emu.h"

/* Read number field `name` into *v; it must be at most `max`.  0, or -1 with *err set. */
static inline int state_get(emu_state_reader *r, const emu_device *dev, const char *name,
                            uint64_t max, uint64_t *v, emu_error **err)
{
    if (emu_state_get_u64(r, name, v) < 0) {
        emu_error_set(err, "%s state: field '%s' is missing or malformed", dev->type->name, name);
        return -1;
    }
    if (*v > max) {
        emu_error_set(err, "%s state: %s = 0x%" PRIx64 " is out of range (at most 0x%" PRIx64 ")",
                      dev->type->name, name, *v, max);
        return -1;
    }
    return 0;
}

/* Read byte field `name` of exactly n bytes into p.  0, or -1 with *err set. */
static inline int state_get_bytes(emu_state_reader *r, const emu_device *dev, const char *name,
                                  void *p, size_t n, emu_error **err)
{
    if (emu_state_get_bytes(r, name, p, n) < 0) {
        emu_error_set(err, "%s state: field '%s' is missing or not %zu bytes", dev->type->name,
                      name, n);
        return -1;
    }
    return 0;
}

/* Nanoseconds from now until a pending timer fires (0 when it is not pending). */
static inline uint64_t state_timer_left(emu_device *dev, emu_timer *t)
{
    if (!emu_timer_pending(t))
        return 0;
    uint64_t now = emu_clock_ns(dev->machine), at = emu_timer_deadline(t);
    return at > now ? at - now : 1;
}

#endif
