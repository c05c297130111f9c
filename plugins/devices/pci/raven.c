/* Motorola Raven PReP PCI host bridge: configuration cycles through 0xCF8/0xCFC and the
 * PReP direct-configuration window, the CPU's window onto PCI I/O (contiguous or PReP
 * non-contiguous mapping), PCI interrupt acknowledge, and its own PCI function (1057:4801). */
#include <inttypes.h>
#include "emu/emu.h"
#include "emu/intack.h"
#include "emu/pci.h"
#include "../state-fields.h"

#define IO_WINDOW_SIZE     0x00800000u   /* CPU 0x80000000..0x807FFFFF */
#define DIRECT_CONFIG_SIZE 0x00400000u   /* CPU 0x80800000..0x80BFFFFF */

typedef struct raven {
    emu_device dev;
    emu_device *bus;
    emu_device *pic;
    int64_t devfn;
    int64_t subsys_vendor, subsys_id;
    const emu_pci_bus_ops *pci;
    emu_pci_function *fn;
    emu_space *io;
    uint32_t config_addr;       /* the 0xCF8 register */
    bool noncontiguous;         /* input line: PReP non-contiguous I/O map */
    bool intack_missing_logged;
} raven;

static const emu_prop_desc raven_props[] = {
    { "bus", EMU_PROP_LINK, offsetof(raven, bus), NULL, "the PCI bus behind the bridge", NULL, 0, 0,
      NULL, EMU_PROP_REQUIRED },
    EMU_PROP_LINK_DEF("pic", raven, pic, NULL,
                      "interrupt controller answering interrupt acknowledge (offers 'intack')"),
    EMU_PROP_INT_DEF("devfn", raven, devfn, "0", 0, 255, "PCI address of the bridge (slot << 3 | fn)"),
    EMU_PROP_INT_DEF("subsystem-vendor-id", raven, subsys_vendor, "0x1af4", 0, 0xffff,
                     "subsystem vendor ID (QEMU gives every device 1af4)"),
    EMU_PROP_INT_DEF("subsystem-id", raven, subsys_id, "0x1100", 0, 0xffff,
                     "subsystem ID (QEMU gives every device 1100)"),
    EMU_PROP_END,
};

static const emu_region_desc raven_regions[] = {
    { "config", "configuration address (0xCF8) and data (0xCFC) registers, 8 bytes in PCI I/O" },
    { "io-window", "8 MiB CPU window onto PCI I/O (PReP: at 0x80000000)" },
    { "direct-config", "4 MiB PReP direct configuration window (PReP: at 0x80800000)" },
    { "intack", "PCI interrupt acknowledge, 1 byte (PReP: at 0xBFFFFFF0)" },
    { NULL, NULL },
};

static const emu_line_desc raven_inputs[] = {
    { "noncontig", 1, "high: PReP non-contiguous I/O mapping (port = bits 0-4 | bits 12-22 >> 7)" },
    { NULL, 0, NULL },
};

/* ---- 0xCF8 / 0xCFC ---- */

static uint64_t config_read(void *opaque, uint64_t off, unsigned size)
{
    raven *r = opaque;
    if (off < 4)
        return r->config_addr >> (8 * off);
    if (!(r->config_addr & 0x80000000u))
        return UINT32_MAX;
    unsigned reg = (r->config_addr & 0xfc) | (unsigned)(off & 3);
    return r->pci->config_read(r->bus, (r->config_addr >> 16) & 0xff, (r->config_addr >> 8) & 0xff,
                               reg, size);
}

static void config_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    raven *r = opaque;
    if (off < 4) {
        /* The address register takes whole 32-bit writes only, as on QEMU and PC chipsets. */
        if (off == 0 && size == 4)
            r->config_addr = (uint32_t)value;
        else
            emu_log(&r->dev, EMU_LOG_GUEST, "%u-byte write to the configuration address at +%" PRIu64
                    " ignored", size, off);
        return;
    }
    if (!(r->config_addr & 0x80000000u))
        return;
    unsigned reg = (r->config_addr & 0xfc) | (unsigned)(off & 3);
    r->pci->config_write(r->bus, (r->config_addr >> 16) & 0xff, (r->config_addr >> 8) & 0xff, reg,
                         (uint32_t)value, size);
}

static const emu_mmio_ops config_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = config_read,
    .write = config_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 4,
};

/* ---- CPU window onto PCI I/O ---- */

static uint64_t io_port(const raven *r, uint64_t off)
{
    if (r->noncontiguous)
        return (off & 0x1f) | ((off & 0x7ff000) >> 7);
    return off & 0xffff;   /* 64 KiB of ports, mirrored through the window */
}

static uint64_t io_read(void *opaque, uint64_t off, unsigned size)
{
    raven *r = opaque;
    uint64_t v;
    emu_space_read(r->io, io_port(r, off), size, EMU_LITTLE_ENDIAN, &v);
    return v;
}

static void io_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    raven *r = opaque;
    emu_space_write(r->io, io_port(r, off), size, EMU_LITTLE_ENDIAN, value);
}

static const emu_mmio_ops io_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = io_read,
    .write = io_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 4,
    .unaligned_ok = true,
};

/* ---- direct configuration window ---- */

/* Device = position of the lowest set bit among address bits 11..21 (none: 11),
   function = bits 8..10, register = bits 0..7; bus 0 only. */
static unsigned direct_devfn(uint64_t off)
{
    unsigned dev = 0;
    while (dev < 11 && !(off & (1u << (11 + dev))))
        dev++;
    return EMU_PCI_DEVFN(dev, (off >> 8) & 7);
}

static uint64_t direct_read(void *opaque, uint64_t off, unsigned size)
{
    raven *r = opaque;
    return r->pci->config_read(r->bus, 0, direct_devfn(off), off & 0xff, size);
}

static void direct_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    raven *r = opaque;
    r->pci->config_write(r->bus, 0, direct_devfn(off), off & 0xff, (uint32_t)value, size);
}

static const emu_mmio_ops direct_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = direct_read,
    .write = direct_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 4,
};

/* ---- interrupt acknowledge ---- */

static uint64_t intack_read(void *opaque, uint64_t off, unsigned size)
{
    raven *r = opaque;
    (void)off, (void)size;
    const emu_intack_ops *ia = emu_intack(r->pic);
    if (ia)
        return (uint8_t)ia->acknowledge(r->pic);
    if (!r->intack_missing_logged) {
        emu_log(&r->dev, EMU_LOG_UNIMP, "interrupt acknowledge read with no 'pic' that offers "
                "'intack'; answering 0xff");
        r->intack_missing_logged = true;
    }
    return 0xff;
}

static void intack_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    raven *r = opaque;
    (void)off, (void)size;
    emu_log(&r->dev, EMU_LOG_GUEST, "write of 0x%" PRIx64 " to interrupt acknowledge ignored", value);
}

static const emu_mmio_ops intack_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = intack_read,
    .write = intack_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 1,
};

/* ---- lifecycle ---- */

static int raven_realize(emu_device *dev, emu_error **err)
{
    raven *r = (raven *)dev;
    if (!(r->pci = emu_pci_bus(r->bus))) {
        emu_error_set(err, "bus: '%s' is not a PCI bus", r->bus->id);
        return -1;
    }
    if (r->pic && !emu_intack(r->pic)) {
        emu_error_set(err, "pic: '%s' does not offer interrupt acknowledge ('%s' interface)",
                      r->pic->id, EMU_INTACK_IFACE);
        return -1;
    }
    r->io = r->pci->io_space(r->bus);
    if (!emu_device_mmio(dev, "config", 8, &config_ops, r) ||
        !emu_device_mmio(dev, "io-window", IO_WINDOW_SIZE, &io_ops, r) ||
        !emu_device_mmio(dev, "direct-config", DIRECT_CONFIG_SIZE, &direct_ops, r) ||
        !emu_device_mmio(dev, "intack", 1, &intack_ops, r)) {
        emu_error_set(err, "cannot create the bridge's regions");
        return -1;
    }
    if (!(r->fn = r->pci->attach(r->bus, dev, (int)r->devfn, NULL, r, err)))
        return -1;
    uint8_t *cfg = r->pci->config(r->fn);
    emu_pci_set_word(cfg + EMU_PCI_VENDOR_ID, 0x1057);     /* Motorola */
    emu_pci_set_word(cfg + EMU_PCI_DEVICE_ID, 0x4801);     /* Raven */
    emu_pci_set_word(cfg + EMU_PCI_CLASS_DEVICE, 0x0600);  /* host bridge */
    cfg[EMU_PCI_LATENCY_TIMER] = 0x10;
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_VENDOR_ID, (uint16_t)r->subsys_vendor);
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_ID, (uint16_t)r->subsys_id);
    return 0;
}

static void raven_reset(emu_device *dev)
{
    ((raven *)dev)->config_addr = 0;
}

static void raven_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    (void)line, (void)index;
    ((raven *)dev)->noncontiguous = level != 0;
}

/* The configuration address register and the level of the noncontig input (the bridge's own
   configuration space is saved by its bus). */
static int raven_save(emu_device *dev, emu_state_writer *w)
{
    raven *r = (raven *)dev;
    emu_state_put_u64(w, "config-address", r->config_addr);
    emu_state_put_u64(w, "noncontig", r->noncontiguous);
    return 0;
}

static int raven_load(emu_device *dev, emu_state_reader *sr, emu_error **err)
{
    raven *r = (raven *)dev;
    uint64_t addr, noncontig;
    if (state_get(sr, dev, "config-address", UINT32_MAX, &addr, err) < 0 ||
        state_get(sr, dev, "noncontig", 1, &noncontig, err) < 0)
        return -1;
    r->config_addr = (uint32_t)addr;
    r->noncontiguous = noncontig != 0;
    return 0;
}

static const emu_type raven_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "raven",
    .summary = "Motorola Raven PReP PCI host bridge",
    .instance_size = sizeof(raven),
    .props = raven_props,
    .regions = raven_regions,
    .inputs = raven_inputs,
    .realize = raven_realize,
    .reset = raven_reset,
    .set_input = raven_set_input,
    .save = raven_save,
    .load = raven_load,
};

static const emu_type *const raven_types[] = { &raven_type, NULL };

EMU_PLUGIN(raven) = {
    EMU_PLUGIN_HEADER, "raven", "1.0", "Motorola Raven PReP PCI host bridge", raven_types,
};
