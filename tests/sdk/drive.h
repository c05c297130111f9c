/* Helpers for the drivers of the SDK examples: create devices from loaded plugins, move
 * virtual time as the run loop does, and capture the log to check guest-error messages. */
#ifndef EMU_TESTS_SDK_DRIVE_H
#define EMU_TESTS_SDK_DRIVE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../tap.h"
#include "emu/emu.h"
#include "clock/clock.h"
#include "log.h"
#include "machine.h"
#include "object.h"
#include "plugins.h"

/* Create and realize a device of `type` with properties { name, value, ..., NULL }. */
static inline emu_device *drive_make(emu_machine *m, const char *type, const char *id,
                                     const char *const *props, emu_error **err)
{
    const emu_type *t = emu_plugins_find_type(type, EMU_KIND_DEVICE, err);
    emu_device *dev = t ? emu_device_new(m, t, id, err) : NULL;
    if (!dev)
        return NULL;
    for (; props && props[0]; props += 2)
        if (emu_device_set_prop(dev, props[0], props[1], err) < 0)
            return NULL;
    return emu_device_realize(dev, err) < 0 ? NULL : dev;
}

/* Move virtual time to `ns`, firing timers on the way as the run loop does. */
static inline void drive_advance_to(emu_machine *m, uint64_t ns)
{
    uint64_t d;
    while ((d = emu_clock_next_deadline(m)) <= ns) {
        emu_clock_advance_to(m, d);
        emu_clock_run_due(m);
    }
    emu_clock_advance_to(m, ns);
}

/* The log goes to a temporary file, with guest errors enabled; drive_log_text() reads it all. */
static FILE *drive_log;

static inline int drive_capture_log(void)
{
    char name[] = "/tmp/emu-sdk-drive-XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0 || !(drive_log = fdopen(fd, "w+")))
        return -1;
    unlink(name);
    emu_log_set_file(drive_log);
    const char *bad;
    return emu_log_enable_list("guest", &bad);
}

static inline const char *drive_log_text(void)
{
    static char text[16384];
    fflush(drive_log);
    rewind(drive_log);
    size_t n = fread(text, 1, sizeof text - 1, drive_log);
    text[n] = 0;
    fseek(drive_log, 0, SEEK_END);
    return text;
}

static inline void drive_end_log(void)
{
    emu_log_set_file(NULL);
    fclose(drive_log);
}

#endif
