/* PReP system I/O registers (IBM 40p planar): port 0x92 (soft reset, little-endian mode), the
 * 0x808-0x852 block (disk light, equipment, password protect, L2 invalidate, keylock, system
 * control, I/O map type, planar ID) and the memory-mapped parity error register.  Bits are
 * named in IBM order in the PReP specification: PReP bit n is 1 << (7 - n). */
#include <inttypes.h>
#include "emu/emu.h"
#include "../state-fields.h"

#define IO_BASE      0x808     /* port of the "io" region's first byte */
#define P92_SRESET   0x01
#define P92_LE_MODE  0x02
#define P850_NONCONTIGUOUS 0x01
#define P81C_MASK    0x0f      /* floppy motor inhibit, mask TEA, L2 update/cache-miss inhibit */

typedef struct systemio {
    emu_device dev;
    int64_t planar_id, equipment;
    uint8_t sreset, system_control, iomap_type;
    bool le_logged;
    emu_line *soft_reset, *noncontig;
} systemio;

static const emu_prop_desc systemio_props[] = {
    EMU_PROP_INT_DEF("ibm-planar-id", systemio, planar_id, "0xfc", 0, 0xff,
                     "port 0x852: planar ID (0xFC: IBM 40p, as QEMU)"),
    EMU_PROP_INT_DEF("equipment", systemio, equipment, "0xc0", 0, 0xff,
                     "port 0x80C: equipment present (0xC0: L2 cache, upgrade CPU absent)"),
    EMU_PROP_END,
};

static const emu_region_desc systemio_regions[] = {
    { "port92", "port 0x92, 1 byte" },
    { "io", "ports 0x808..0x852 (map at 0x808)" },
    { "parity", "parity error register, 4 bytes, 32-bit reads (PReP: at 0xBFFFEFF0)" },
    { NULL, NULL },
};

static const emu_line_desc systemio_outputs[] = {
    { "soft-reset", 1, "port 0x92 bit 0 (PReP bit 7), as a level: writing 1 raises it, a "
                       "reset of the device lowers it (for machine.reset)" },
    { "noncontig", 1, "port 0x850 bit 0: 1 selects the non-contiguous I/O map (to the host "
                      "bridge's noncontig input)" },
    { NULL, 0, NULL },
};

static uint64_t port92_read(void *opaque, uint64_t off, unsigned size)
{
    (void)off, (void)size;
    return ((systemio *)opaque)->sreset;
}

static void port92_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    systemio *s = opaque;
    (void)off, (void)size;
    s->sreset = value & P92_SRESET;
    emu_line_set(s->soft_reset, s->sreset);
    if ((value & P92_LE_MODE) && !s->le_logged) {
        emu_log(&s->dev, EMU_LOG_UNIMP, "little-endian mode (port 0x92 bit 1) is not supported; "
                "the machine stays big-endian");
        s->le_logged = true;
    }
}

static uint64_t io_read(void *opaque, uint64_t off, unsigned size)
{
    systemio *s = opaque;
    (void)size;
    switch (IO_BASE + off) {
    case 0x80c: return (uint8_t)s->equipment;
    case 0x818: return 0;   /* keylock: the key is not in the locked position */
    case 0x81c: return s->system_control;
    case 0x850: return s->iomap_type;
    case 0x852: return (uint8_t)s->planar_id;
    case 0x808: case 0x810: case 0x812: case 0x814:
        return 0xff;   /* write-only: nothing drives the bus */
    default:
        emu_log(&s->dev, EMU_LOG_UNASSIGNED, "read of port 0x%" PRIx64 " answers 0", IO_BASE + off);
        return 0;
    }
}

static void io_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    systemio *s = opaque;
    (void)size;
    switch (IO_BASE + off) {
    case 0x808:   /* hard disk light */
    case 0x810:   /* password protect 1 */
    case 0x812:   /* password protect 2 */
    case 0x814:   /* L2 invalidate: no cache is modelled */
        break;
    case 0x81c:
        s->system_control = value & P81C_MASK;
        break;
    case 0x850:
        s->iomap_type = value & P850_NONCONTIGUOUS;
        emu_line_set(s->noncontig, s->iomap_type);
        break;
    default:
        emu_log(&s->dev, EMU_LOG_UNASSIGNED, "write of 0x%02" PRIx64 " to port 0x%" PRIx64
                " ignored", value & 0xff, IO_BASE + off);
        break;
    }
}

static uint64_t parity_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque, (void)off, (void)size;
    return 0;   /* no parity error */
}

static void parity_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)off, (void)size;
    emu_log(&((systemio *)opaque)->dev, EMU_LOG_GUEST,
            "write of 0x%" PRIx64 " to the read-only parity error register ignored", value);
}

static const emu_mmio_ops port92_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = port92_read, .write = port92_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 1,
};
static const emu_mmio_ops io_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = io_read, .write = io_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 1,
};
static const emu_mmio_ops parity_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = parity_read, .write = parity_write,
    .endian = EMU_BIG_ENDIAN, .valid_min = 4, .valid_max = 4,
};

static int systemio_realize(emu_device *dev, emu_error **err)
{
    systemio *s = (systemio *)dev;
    s->soft_reset = emu_device_output(dev, "soft-reset", 0);
    s->noncontig = emu_device_output(dev, "noncontig", 0);
    if (!emu_device_mmio(dev, "port92", 1, &port92_ops, s) ||
        !emu_device_mmio(dev, "io", 0x853 - IO_BASE, &io_ops, s) ||
        !emu_device_mmio(dev, "parity", 4, &parity_ops, s)) {
        emu_error_set(err, "cannot create the system I/O registers");
        return -1;
    }
    return 0;
}

static void systemio_reset(emu_device *dev)
{
    systemio *s = (systemio *)dev;
    s->sreset = 0;
    s->system_control = 0;
    s->iomap_type = P850_NONCONTIGUOUS;   /* power-on value (PReP and QEMU) */
    emu_line_set(s->soft_reset, 0);
    emu_line_set(s->noncontig, s->iomap_type);
}

static int systemio_save(emu_device *dev, emu_state_writer *w)
{
    systemio *s = (systemio *)dev;
    emu_state_put_u64(w, "port92", s->sreset);
    emu_state_put_u64(w, "system-control", s->system_control);
    emu_state_put_u64(w, "iomap-type", s->iomap_type);
    return 0;
}

static int systemio_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    systemio *s = (systemio *)dev;
    uint64_t p92, ctl, iomap;
    if (state_get(r, dev, "port92", P92_SRESET, &p92, err) < 0 ||
        state_get(r, dev, "system-control", P81C_MASK, &ctl, err) < 0 ||
        state_get(r, dev, "iomap-type", P850_NONCONTIGUOUS, &iomap, err) < 0)
        return -1;
    s->sreset = (uint8_t)p92;
    s->system_control = (uint8_t)ctl;
    s->iomap_type = (uint8_t)iomap;
    emu_line_set(s->soft_reset, s->sreset);
    emu_line_set(s->noncontig, s->iomap_type);
    return 0;
}

static const emu_type systemio_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "prep-systemio",
    .summary = "PReP system I/O registers (IBM 40p)",
    .instance_size = sizeof(systemio),
    .props = systemio_props,
    .regions = systemio_regions,
    .outputs = systemio_outputs,
    .realize = systemio_realize,
    .reset = systemio_reset,
    .save = systemio_save,
    .load = systemio_load,
};

static const emu_type *const systemio_types[] = { &systemio_type, NULL };

EMU_PLUGIN(prep_systemio) = {
    EMU_PLUGIN_HEADER, "prep-systemio", "1.0", "PReP system I/O registers", systemio_types,
};
