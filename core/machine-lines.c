/* The machine's own input lines, wired from machine files as `machine.reset` and
 * `machine.poweroff`: a core device type (id "machine", not a plugin) that turns a rising edge
 * into a machine-wide reset request or a power-off. */
#include "machine.h"
#include "object.h"

enum { LINE_RESET, LINE_POWEROFF };

static const emu_line_desc machine_inputs[] = {
    [LINE_RESET] = { "reset", 1, "a rising edge resets the whole machine (devices and CPUs; "
                                 "RAM is kept)" },
    [LINE_POWEROFF] = { "poweroff", 1, "a rising edge ends the run with status 0" },
    { NULL, 0, NULL },
};

static void machine_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    (void)index;
    if (!level)
        return;
    if (line == LINE_RESET)
        emu_machine_request_reset(dev->machine);
    else if (line == LINE_POWEROFF)
        emu_machine_request_quit(dev->machine, 0);
}

/* Nothing of its own to save: the levels of its inputs follow from the devices driving them. */
static const emu_type machine_lines_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "machine",
    .summary = "the machine's reset and power-off inputs",
    .instance_size = sizeof(emu_device),
    .inputs = machine_inputs,
    .set_input = machine_set_input,
    .save = emu_state_none,
};

const emu_type *emu_machine_lines_type(void)
{
    return &machine_lines_type;
}

emu_device *emu_machine_lines(emu_machine *m, emu_error **err)
{
    emu_device *dev = emu_machine_device(m, EMU_MACHINE_ID);
    if (dev && dev->type == &machine_lines_type)
        return dev;
    if (!(dev = emu_device_new(m, &machine_lines_type, EMU_MACHINE_ID, err)))
        return NULL;
    if (emu_device_realize(dev, err) < 0)
        return NULL;   /* the machine frees it with the others */
    return dev;
}
