/* The machine object: subsystems, the device list, reset and quit requests. */
#include <stdlib.h>
#include <string.h>
#include "backends/backends.h"
#include "hooks.h"
#include "machine.h"
#include "object.h"

emu_machine *emu_machine_new(const char *name, emu_error **err)
{
    emu_machine *m = emu_xcalloc(1, sizeof *m);
    m->name = emu_xstrdup(name ? name : "machine");
    if (emu_clock_init(m, err) < 0 || emu_mem_init(m, err) < 0 || emu_backends_init(m, err) < 0) {
        emu_machine_free(m);
        return NULL;
    }
    return m;
}

void emu_machine_free(emu_machine *m)
{
    if (!m)
        return;
    for (size_t i = m->ndevices; i-- > 0;)
        emu_device_free(m->devices[i]);
    free(m->devices);
    emu_hooks_free(m);
    if (m->backends)
        emu_backends_fini(m);
    if (m->mem)
        emu_mem_fini(m);
    if (m->clock)
        emu_clock_fini(m);
    for (size_t i = 0; i < m->nscripts; i++)
        free(m->scripts[i]);
    free(m->scripts);
    free(m->name);
    free(m->source);
    free(m);
}

emu_device *emu_machine_device(emu_machine *m, const char *id)
{
    for (size_t i = 0; i < m->ndevices; i++)
        if (!strcmp(m->devices[i]->id, id))
            return m->devices[i];
    return NULL;
}

void emu_machine_reset(emu_machine *m)
{
    for (size_t i = 0; i < m->ndevices; i++)
        emu_device_reset(m->devices[i]);
    /* This reset answers the requests made before it, and those its devices made while being
       reset (a reset line they raised and lowered): none is left for the run loop. */
    m->reset_requested = 0;
}

void emu_machine_request_quit(emu_machine *m, int code)
{
    m->exit_code = code;
    m->quit_requested = 1;
}
