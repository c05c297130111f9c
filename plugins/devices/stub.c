/* stub: a device for an address range nothing models — reads answer a fixed byte, writes vanish.
 *
 * Use it where firmware or an OS pokes hardware the machine does not model
 * (a flash bank, a diagnostics port) and should see "a device is there"
 * instead of an unassigned access.  Each byte reads as `read-byte` (0 by
 * default, like QEMU's unimplemented-device; 0xff models erased flash or a
 * floating bus).  Every access size and alignment is accepted.  With
 * `log` set, each access is logged under that category (enable it with
 * `--log unimp` or `--log unassigned`).
 */
#include <emu/emu.h>
#include <inttypes.h>

enum { LOG_NONE, LOG_UNIMP, LOG_UNASSIGNED };

typedef struct stub {
    emu_device dev;
    uint64_t size;
    int log;
    int64_t read_byte;
} stub;

static void log_access(stub *s, const char *what, uint64_t offset, unsigned size, uint64_t value)
{
    if (s->log == LOG_NONE)
        return;
    emu_log_cat cat = s->log == LOG_UNIMP ? EMU_LOG_UNIMP : EMU_LOG_UNASSIGNED;
    if (emu_log_enabled(cat))
        emu_log(&s->dev, cat, "%s of %u byte%s at offset 0x%" PRIx64 ": 0x%" PRIx64, what, size,
                size == 1 ? "" : "s", offset, value);
}

static uint64_t stub_read(void *opaque, uint64_t offset, unsigned size)
{
    stub *s = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)(uint8_t)s->read_byte << (8 * i);
    log_access(s, "read", offset, size, v);
    return v;
}

static void stub_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    log_access(opaque, "write (ignored)", offset, size, value);
}

static const emu_mmio_ops stub_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = stub_read,
    .write = stub_write,
    .endian = EMU_LITTLE_ENDIAN,
    .unaligned_ok = true,
};

static int stub_realize(emu_device *dev, emu_error **err)
{
    stub *s = (stub *)dev;
    if (s->size == 0) {
        emu_error_set(err, "property 'size' must be at least 1 byte");
        return -1;
    }
    if (!emu_device_mmio(dev, "regs", s->size, &stub_ops, s)) {
        emu_error_set(err, "cannot create a region of %" PRIu64 " bytes", s->size);
        return -1;
    }
    return 0;
}

static const char *const log_choices[] = { "none", "unimp", "unassigned", NULL };

static const emu_prop_desc stub_props[] = {
    { "size", EMU_PROP_SIZE, offsetof(stub, size), NULL,
      "size of the range in bytes (K/M/G suffixes)", NULL, 0, 0, NULL, EMU_PROP_REQUIRED },
    EMU_PROP_ENUM_DEF("log", stub, log, "none", log_choices,
                      "log each access under this category (--log unimp / --log unassigned)"),
    EMU_PROP_INT_DEF("read-byte", stub, read_byte, "0", 0, 255,
                     "value every byte reads as (0xff for erased flash or a floating bus)"),
    EMU_PROP_END,
};

static const emu_region_desc stub_regions[] = {
    { "regs", "the whole range: reads return read-byte in every byte, writes are ignored" },
    { NULL, NULL },
};

static const emu_type stub_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "stub",
    .summary = "unmodelled address range: reads a fixed byte, ignores writes",
    .instance_size = sizeof(stub),
    .props = stub_props,
    .regions = stub_regions,
    .realize = stub_realize,
    .save = emu_state_none,   /* nothing to keep: snapshots of machines with stubs work */
};

static const emu_type *const types[] = { &stub_type, NULL };

EMU_PLUGIN(stub) = {
    EMU_PLUGIN_HEADER, "stub", "1.0", "placeholder device for unmodelled ranges", types,
};
