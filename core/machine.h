/* The machine: what every core subsystem hangs its state on.  Internal to libemu. */
#ifndef EMU_CORE_MACHINE_H
#define EMU_CORE_MACHINE_H

#include "emu/device.h"
#include "util.h"

struct emu_mem;       /* memory/ */
struct emu_clock;     /* clock/ */
struct emu_backends;  /* backends/: chardevs and block devices */
struct emu_exec;      /* exec/: CPUs, translated code */
struct emu_hooks;     /* hooks.c: instrumentation hooks */

typedef void (*emu_line_observer)(void *opaque, emu_device *dev, const char *line,
                                  unsigned index, int level);

struct emu_machine {
    char *name;
    char *source;                 /* machine file path, for messages (may be NULL) */
    struct emu_mem *mem;
    struct emu_clock *clock;
    struct emu_backends *backends;
    struct emu_exec *exec;

    emu_device **devices;         /* in creation order (cpus first, then devices) */
    size_t ndevices, devices_cap;

    emu_line_observer line_observer;  /* the Lua on_irq hook, or NULL */
    void *line_observer_opaque;

    char **scripts;               /* Lua scripts from the machine file's `scripts:` (absolute) */
    size_t nscripts, scripts_cap;

    bool realtime;                /* --realtime: clock follows the host */
    volatile int quit_requested;
    int exit_code;
    volatile int reset_requested; /* emu_machine_request_reset: the run loop resets soon */

    struct emu_hooks *hooks;      /* instrumentation hooks (hooks.h), created by the first one */
    uint32_t hook_mask;           /* bit k: a live hook of kind k exists (see emu_hooks_any) */
};

/* Create an empty machine with the "system" space, a clock and no devices. */
emu_machine *emu_machine_new(const char *name, emu_error **err);
/* Destroy devices (reverse order), then backends, memory, clock. Flushes block devices. */
void emu_machine_free(emu_machine *m);
/* Reset every device (creation order) and CPU; no reset request is left pending. */
void emu_machine_reset(emu_machine *m);
/* Ask the run loop to stop with `code` (safe from signal handlers). */
void emu_machine_request_quit(emu_machine *m, int code);
/* Ask the run loop for a machine-wide reset at its next turn (machine-reset.c; SDK). */
void emu_machine_request_reset(emu_machine *m);
/* Do it now (the run loop, between blocks): every device and CPU in creation order as at
   power-on, then the CPUs' TLBs and lookup caches; RAM and the clock are kept. */
void emu_machine_system_reset(emu_machine *m);

/* The machine's own input lines (machine-lines.c), reserved id "machine" in machine files. */
#define EMU_MACHINE_ID "machine"
/* Its type: --describe machine, and the input table ("reset", "poweroff") validation checks. */
const emu_type *emu_machine_lines_type(void);
/* The device that owns them, created (after the others) on first use. */
emu_device *emu_machine_lines(emu_machine *m, emu_error **err);

/* Subsystem constructors/destructors, called by emu_machine_new/free. */
int emu_mem_init(emu_machine *m, emu_error **err);
void emu_mem_fini(emu_machine *m);
int emu_clock_init(emu_machine *m, emu_error **err);
void emu_clock_fini(emu_machine *m);
int emu_backends_init(emu_machine *m, emu_error **err);
void emu_backends_fini(emu_machine *m);

#endif
