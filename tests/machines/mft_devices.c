/* Test plugin for the machine-file tests: a device with every property type, regions and lines,
 * a device with a required property, a CPU-kind type and a board. */
#include <string.h>
#include "emu/line.h"
#include "emu/memory.h"
#include "mft-devices.h"

static unsigned realize_counter;

static uint64_t regs_read(void *opaque, uint64_t offset, unsigned size)
{
    (void)opaque;
    (void)size;
    return 0xa0 + offset;
}

static void regs_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    mft_dev *d = opaque;
    (void)size;
    d->last_write = value;
    d->last_write_offset = offset;
}

static const emu_mmio_ops regs_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = regs_read, .write = regs_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4,
};

static int dev_realize(emu_device *dev, emu_error **err)
{
    mft_dev *d = (mft_dev *)dev;
    if (d->fail) {
        emu_error_set(err, "refusing to start (fail=true)");
        return -1;
    }
    if (!emu_device_mmio(dev, "regs", d->size, &regs_ops, d) || !emu_device_ram(dev, "buf", 256)) {
        emu_error_set(err, "cannot create regions");
        return -1;
    }
    d->irq[0] = emu_device_output(dev, "irq", 0);
    d->irq[1] = emu_device_output(dev, "irq", 1);
    d->aux = emu_device_output(dev, "aux", 0);
    d->realized_as = ++realize_counter;
    return 0;
}

static void dev_reset(emu_device *dev)
{
    ((mft_dev *)dev)->resets++;
}

static void dev_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    mft_dev *d = (mft_dev *)dev;
    if (line == 0 && index < 8)
        d->in_level[index] = level;
    else if (line == 1)
        d->reset_level = level;
}

static const char *const modes[] = { "off", "slow", "fast", NULL };

static const emu_prop_desc dev_props[] = {
    EMU_PROP_SIZE_DEF("size", mft_dev, size, "4K", "size of region regs"),
    EMU_PROP_BOOL_DEF("log", mft_dev, log, "false", "a flag"),
    EMU_PROP_INT_DEF("count", mft_dev, count, "0", -8, 8, "a small number"),
    EMU_PROP_ADDR_DEF("base", mft_dev, base, NULL, "an address"),
    EMU_PROP_STRING_DEF("label", mft_dev, label, "none", "a string"),
    EMU_PROP_ENUM_DEF("mode", mft_dev, mode, "slow", modes, "a choice"),
    EMU_PROP_LINK_DEF("peer", mft_dev, peer, "mft-dev", "another mft-dev"),
    EMU_PROP_CHARDEV_DEF("chardev", mft_dev, chardev, "a chardev"),
    EMU_PROP_BLOCK_DEF("disk", mft_dev, disk, "a block device"),
    EMU_PROP_BOOL_DEF("fail", mft_dev, fail, "false", "make realize fail"),
    EMU_PROP_END,
};
static const emu_region_desc dev_regions[] = {
    { "regs", "registers (size bytes)" }, { "buf", "256 bytes of RAM" }, { NULL, NULL },
};
static const emu_line_desc dev_outputs[] = {
    { "irq", 2, "interrupt requests" }, { "aux", 1, "another output" }, { NULL, 0, NULL },
};
static const emu_line_desc dev_inputs[] = {
    { "in", 8, "inputs" }, { "reset", 1, "reset input" }, { NULL, 0, NULL },
};

static const emu_type mft_dev_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "mft-dev",
    .summary = "machine-file test device", .instance_size = sizeof(mft_dev),
    .props = dev_props, .regions = dev_regions, .inputs = dev_inputs, .outputs = dev_outputs,
    .realize = dev_realize, .reset = dev_reset, .set_input = dev_input,
};

typedef struct mft_needy {
    emu_device dev;
    int64_t clock_hz;
} mft_needy;

static int needy_realize(emu_device *dev, emu_error **err)
{
    (void)dev;
    (void)err;
    return 0;
}

static const emu_prop_desc needy_props[] = {
    { "clock-hz", EMU_PROP_INT, offsetof(mft_needy, clock_hz), NULL, "input clock", NULL,
      1, 1000000000, NULL, EMU_PROP_REQUIRED },
    EMU_PROP_END,
};

static const emu_type mft_needy_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "mft-needy",
    .summary = "machine-file test device with a required property", .instance_size = sizeof(mft_needy),
    .props = needy_props, .realize = needy_realize,
};

static const emu_line_desc cpu_inputs[] = { { "int", 1, "external interrupt" }, { NULL, 0, NULL } };

static int cpu_realize(emu_device *dev, emu_error **err)
{
    (void)dev;
    (void)err;
    return 0;
}

static const emu_type mft_cpu_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_CPU, .name = "mft-cpu",
    .summary = "machine-file test CPU (lines only, never runs)", .instance_size = sizeof(emu_device),
    .inputs = cpu_inputs, .realize = cpu_realize,
};

static int board_realize(emu_device *dev, emu_error **err)
{
    mft_board *b = (mft_board *)dev;
    if (!b->console || !emu_device_region(b->console, "regs")) {
        emu_error_set(err, "console device missing or not realized");
        return -1;
    }
    b->realized_as = ++realize_counter;
    return 0;
}

static const emu_prop_desc board_props[] = {
    EMU_PROP_LINK_DEF("console", mft_board, console, "mft-dev", "a device the board needs"),
    EMU_PROP_END,
};

static const emu_type mft_board_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_BOARD, .name = "mft-board",
    .summary = "machine-file test board", .instance_size = sizeof(mft_board),
    .props = board_props, .realize = board_realize,
};

static const emu_type *const types[] = {
    &mft_dev_type, &mft_needy_type, &mft_cpu_type, &mft_board_type, NULL,
};

EMU_PLUGIN(mft_devices) = {
    EMU_PLUGIN_HEADER, "mft_devices", "1.0", "types for the machine-file tests", types,
};
