/* PCI tests: the generic bus (configuration masks, BAR mapping, INTx, DMA, reset), the Raven
 * host bridge (0xCF8/0xCFC, direct window, I/O window mirroring and non-contiguous mode,
 * interrupt acknowledge) and the i82378's header, driven through the memory API. */
#include "prep-test.h"
#include "emu/intack.h"
#include "emu/pci.h"

/* ---- a PCI function for the tests: a 4 KiB memory BAR and a 16-byte I/O BAR ---- */
typedef struct tdev {
    emu_device dev;
    emu_device *bus;
    int64_t devfn;
    const emu_pci_bus_ops *pci;
    emu_pci_function *fn;
    uint32_t regs[1024];
    unsigned written;   /* config_written calls */
} tdev;

static uint64_t tdev_read(void *opaque, uint64_t off, unsigned size)
{
    tdev *t = opaque;
    (void)size;
    return t->regs[(off / 4) % 1024];
}

static void tdev_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    tdev *t = opaque;
    (void)size;
    t->regs[(off / 4) % 1024] = (uint32_t)v;
}

static const emu_mmio_ops tdev_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = tdev_read, .write = tdev_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4, .impl_min = 4, .impl_max = 4,
};

static void tdev_written(void *opaque, unsigned reg, uint32_t value, unsigned size)
{
    (void)reg, (void)value, (void)size;
    ((tdev *)opaque)->written++;
}

static uint32_t tdev_config_read(void *opaque, unsigned reg, unsigned size, uint32_t stored)
{
    (void)opaque, (void)size;
    return reg == 0x44 ? 0x12345678u : stored;
}

static const emu_pci_function_ops tdev_fn_ops = {
    .struct_size = sizeof(emu_pci_function_ops), .config_read = tdev_config_read,
    .config_written = tdev_written,
};

static const emu_prop_desc tdev_props[] = {
    EMU_PROP_LINK_DEF("bus", tdev, bus, NULL, "bus"),
    EMU_PROP_INT_DEF("devfn", tdev, devfn, "-1", -1, 255, "address"),
    EMU_PROP_END,
};

static int tdev_realize(emu_device *dev, emu_error **err)
{
    tdev *t = (tdev *)dev;
    if (!(t->pci = emu_pci_bus(t->bus))) {
        emu_error_set(err, "not a PCI bus");
        return -1;
    }
    if (!(t->fn = t->pci->attach(t->bus, dev, (int)t->devfn, &tdev_fn_ops, t, err)))
        return -1;
    uint8_t *cfg = t->pci->config(t->fn);
    emu_pci_set_word(cfg, 0x1234);
    emu_pci_set_word(cfg + 2, 0x5678);
    cfg[EMU_PCI_INTERRUPT_PIN] = 1;
    emu_region *mem = emu_device_mmio(dev, "mem", 4096, &tdev_ops, t);
    emu_region *io = emu_device_mmio(dev, "io", 16, &tdev_ops, t);
    if (t->pci->bar(t->fn, 0, EMU_PCI_BAR_MEM32 | EMU_PCI_BAR_PREFETCH, 4096, mem, err) < 0 ||
        t->pci->bar(t->fn, 1, EMU_PCI_BAR_IO, 16, io, err) < 0)
        return -1;
    return 0;
}

static const emu_type tdev_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "test-pcidev",
    .instance_size = sizeof(tdev), .props = tdev_props, .realize = tdev_realize,
};

/* ---- an interrupt controller offering interrupt acknowledge ---- */
typedef struct tpic {
    emu_device dev;
    unsigned acks;
} tpic;

static unsigned tpic_ack(emu_device *dev)
{
    return 0x40 + ((tpic *)dev)->acks++;
}

static const emu_intack_ops tpic_intack = { sizeof(emu_intack_ops), tpic_ack };
static const emu_iface tpic_ifaces[] = { { EMU_INTACK_IFACE, &tpic_intack }, { NULL, NULL } };

static int tpic_realize(emu_device *dev, emu_error **err)
{
    (void)dev, (void)err;
    return 0;
}

static const emu_type tpic_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "test-pic",
    .instance_size = sizeof(tpic), .realize = tpic_realize, .kind_ops = tpic_ifaces,
};

static emu_device *new_local(emu_machine *m, const emu_type *t, const char *id,
                             const char *const *props)
{
    emu_error *err = NULL;
    emu_device *d = emu_device_new(m, t, id, &err);
    for (size_t i = 0; d && props && props[i]; i += 2)
        if (emu_device_set_prop(d, props[i], props[i + 1], &err) < 0)
            d = NULL;
    if (d && emu_device_realize(d, &err) < 0)
        d = NULL;
    if (!d) {
        tap_ok(0, "create %s: %s", id, emu_error_message(err));
        emu_error_free(err);
    }
    return d;
}

#define IOBASE 0x80000000u

/* Configuration read through 0xCF8/0xCFC as OpenBIOS does it (stwbrx, then lhbrx etc.). */
static uint32_t cfg_read(emu_space *sys, unsigned devfn, unsigned reg, unsigned size)
{
    pt_wr32(sys, IOBASE + 0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc));
    return (uint32_t)pt_rd(sys, IOBASE + 0xcfc + (reg & 3), size, EMU_LITTLE_ENDIAN);
}

static void cfg_write(emu_space *sys, unsigned devfn, unsigned reg, unsigned size, uint32_t v)
{
    pt_wr32(sys, IOBASE + 0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc));
    pt_wr(sys, IOBASE + 0xcfc + (reg & 3), size, EMU_LITTLE_ENDIAN, v);
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("pci-test", &err);
    if (!m) {
        tap_ok(0, "machine: %s", emu_error_message(err));
        return tap_done();
    }
    emu_space *sys = emu_machine_space(m, "system");
    emu_space *io = pt_space(m, "pci-io", 0x10000);
    emu_space *mem = pt_space(m, "pci-mem", 0x3f000000);
    emu_space_set_unassigned_value(io, 0);
    emu_region *ram = emu_region_ram(m, "ram", 0x100000);
    emu_region_map(emu_space_root(sys), 0, ram, 0, NULL);

    emu_device *bus = pt_device(m, "pci-bus", "pci", (const char *const[]){
        "dma-base=0x80000000", "dma-size=2G", NULL });
    emu_device *pic = new_local(m, &tpic_type, "pic", NULL);
    emu_device *raven = pt_device(m, "raven", "host", (const char *const[]){
        "bus=pci", "pic=pic", NULL });
    emu_device *isa = pt_device(m, "i82378", "isa", (const char *const[]){ "bus=pci", NULL });
    tdev *t = (tdev *)new_local(m, &tdev_type, "nic", (const char *const[]){
        "bus", "pci", "devfn", "0x10", NULL });
    pt_sink *sink = pt_new_sink(m, "sink");
    if (!bus || !pic || !raven || !isa || !t || !sink)
        return tap_done();
    pt_map(raven, "config", "pci-io", 0xcf8);
    pt_map(raven, "io-window", "system", IOBASE);
    pt_map(raven, "direct-config", "system", 0x80800000);
    pt_map(raven, "intack", "system", 0xbffffff0);
    for (unsigned i = 0; i < 4; i++)
        pt_connect(bus, "intx", i, &sink->dev, "in", i);
    pt_connect(&sink->dev, "out", 0, raven, "noncontig", 0);
    emu_machine_reset(m);

    /* Identification through 0xCF8/0xCFC */
    is_u64(cfg_read(sys, 0, 0, 2), 0x1057, "Raven vendor");
    is_u64(cfg_read(sys, 0, 2, 2), 0x4801, "Raven device");
    is_u64(cfg_read(sys, 0, 0x0a, 2), 0x0600, "Raven class: host bridge");
    is_u64(cfg_read(sys, 0, 0x0c, 2), 0x1000, "Raven cache line 0, latency 0x10");
    is_u64(cfg_read(sys, 0, 0x2c, 4), 0x11001af4, "Raven subsystem IDs");
    is_u64(cfg_read(sys, 0x58, 0, 4), 0x04848086, "i82378 IDs at 00:0b.0");
    is_u64(cfg_read(sys, 0x58, 0x06, 2), 0x0200, "i82378 status: DEVSEL medium");
    is_u64(cfg_read(sys, 0x58, 0x08, 1), 0x03, "i82378 revision 3");
    is_u64(cfg_read(sys, 0x58, 0x0a, 2), 0x0601, "i82378 class: ISA bridge");
    is_u64(cfg_read(sys, 0x58, 0x3d, 1), 0x01, "i82378 interrupt pin A");
    is_u64(cfg_read(sys, 0x08, 0, 2), 0xffff, "empty slot reads all ones");
    is_u64(cfg_read(sys, 0x59, 0, 4), 0xffffffff, "absent function reads all ones");
    pt_wr32(sys, IOBASE + 0xcf8, 0x00000000);
    is_u64(pt_rd32(sys, IOBASE + 0xcfc), 0xffffffff, "data with bit 31 clear reads all ones");
    pt_wr32(sys, IOBASE + 0xcf8, 0x80010000);
    is_u64(pt_rd16(sys, IOBASE + 0xcfc), 0xffff, "bus 1 does not exist");
    pt_wr16(sys, IOBASE + 0xcf8, 0x1234);
    is_u64(pt_rd32(sys, IOBASE + 0xcf8), 0x80010000, "address register takes 32-bit writes only");
    is_u64(pt_rd(sys, IOBASE + 0xcf8, 4, EMU_BIG_ENDIAN), 0x00000180,
           "a big-endian load of the address register sees it byte-swapped");

    /* Direct configuration window */
    is_u64(pt_rd8(sys, 0x80800000), 0x86, "direct window, no device bit: slot 11 (vendor low)");
    is_u64(pt_rd8(sys, 0x80800001), 0x80, "direct window: vendor high");
    is_u64(pt_rd8(sys, 0x80800800), 0x57, "direct window, bit 11: slot 0");
    is_u64(pt_rd8(sys, 0x80800801), 0x10, "direct window: Raven vendor high");
    is_u64(pt_rd16(sys, 0x80802002), 0x5678, "direct window, bit 13: slot 2 device ID");
    is_u64(pt_rd32(sys, 0x80800900), 0xffffffff, "direct window: function 1 of slot 0 is absent");

    /* Header masks */
    cfg_write(sys, 0, 0x10, 4, 0xffffffff);
    is_u64(cfg_read(sys, 0, 0x10, 4), 0, "Raven has no BAR 0");
    cfg_write(sys, 0, 0x18, 1, 0xff);
    is_u64(cfg_read(sys, 0, 0x18, 1), 0, "bridge-style bus number writes are read-only zeros");
    cfg_write(sys, 0, 0x04, 2, 0xffff);
    is_u64(cfg_read(sys, 0, 0x04, 2), 0x0507, "command: only the implemented bits stick");
    cfg_write(sys, 0x58, 0x3c, 1, 0x0f);
    is_u64(cfg_read(sys, 0x58, 0x3c, 1), 0x0f, "interrupt line is writable");
    cfg_write(sys, 0x58, 0x00, 2, 0);
    is_u64(cfg_read(sys, 0x58, 0x00, 2), 0x8086, "vendor is read-only");
    cfg_write(sys, 0x58, 0x40, 4, 0xa5a5a5a5);
    is_u64(cfg_read(sys, 0x58, 0x40, 4), 0xa5a5a5a5, "device-specific registers are read/write");
    is_u64(cfg_read(sys, 0x10, 0x44, 4), 0x12345678, "a function's config_read hook answers");
    unsigned before = t->written;
    cfg_write(sys, 0x10, 0x50, 1, 1);
    is_u64(t->written, before + 1, "config_written hook called after a write");

    /* BAR sizing and mapping, as OpenBIOS does it */
    cfg_write(sys, 0x10, 0x10, 4, 0xffffffff);
    is_u64(cfg_read(sys, 0x10, 0x10, 4), 0xfffff008, "memory BAR sizes to 4 KiB, prefetchable");
    cfg_write(sys, 0x10, 0x14, 4, 0xffffffff);
    is_u64(cfg_read(sys, 0x10, 0x14, 4), 0xfffffff1, "I/O BAR sizes to 16 bytes");
    cfg_write(sys, 0x10, 0x10, 4, 0x00100000);
    cfg_write(sys, 0x10, 0x14, 4, 0x1000);
    t->regs[1] = 0xcafef00d;
    is_u64(pt_rd32(mem, 0x100004), 0xffffffff, "memory BAR not decoded while the command register is 0");
    cfg_write(sys, 0x10, 0x04, 2, 3);
    is_u64(pt_rd32(mem, 0x100004), 0xcafef00d, "memory BAR decoded at its address in pci-mem");
    is_u64(pt_rd32(sys, IOBASE + 0x1004), 0xcafef00d, "I/O BAR reached through the I/O window");
    is_u64(pt_rd32(sys, IOBASE + 0x31004), 0xcafef00d, "... and through its 64 KiB mirror");
    cfg_write(sys, 0x10, 0x10, 4, 0x00200000);
    is_u64(pt_rd32(mem, 0x200004), 0xcafef00d, "moving the BAR remaps it");
    is_u64(pt_rd32(mem, 0x100004), 0xffffffff, "... and the old address is free");
    cfg_write(sys, 0x10, 0x14, 4, 0);
    is_u64(pt_rd32(io, 0x1004), 0, "I/O BAR at address 0 is not decoded");
    cfg_write(sys, 0x10, 0x10, 4, 0xfffff000);
    is_u64(cfg_read(sys, 0x10, 0x10, 4), 0xfffff008, "BAR at the top of 32-bit space");

    /* INTx */
    t->pci->set_irq(t->fn, 1);
    ok(sink->level[2], "slot 2 pin A drives INTC (swizzle)");
    is_u64(cfg_read(sys, 0x10, 0x06, 2) & 8, 8, "status shows the interrupt");
    cfg_write(sys, 0x10, 0x04, 2, 0x0403);
    ok(!sink->level[2], "INTx disable masks the line");
    is_u64(cfg_read(sys, 0x10, 0x06, 2) & 8, 8, "status still shows the interrupt");
    cfg_write(sys, 0x10, 0x04, 2, 0x0003);
    ok(sink->level[2], "clearing INTx disable raises it again");
    t->pci->set_irq(t->fn, 0);
    ok(!sink->level[2], "pin low lowers the line");

    /* DMA */
    uint8_t buf[8] = { 0 };
    emu_space_write_bytes(sys, 0x1000, "abcdefgh", 8, false);
    ok(t->pci->dma_read(t->fn, 0x80001000, buf, 8) < 0, "DMA refused while bus mastering is off");
    cfg_write(sys, 0x10, 0x04, 2, 0x0007);
    ok(t->pci->dma_read(t->fn, 0x80001000, buf, 8) == 0 && !memcmp(buf, "abcdefgh", 8),
       "DMA window 0x80000000 reaches system RAM");
    ok(t->pci->dma_write(t->fn, 0x80002000, "XY", 2) == 0, "DMA write");
    is_u64(pt_rd16(sys, 0x2000), 0x5958, "DMA write landed in RAM");
    ok(t->pci->dma_read(t->fn, 0xfffffffc, buf, 8) < 0, "DMA past the window refused");
    ok(t->pci->dma_read(t->fn, 0x80200000, buf, 4) < 0, "DMA to unassigned memory reported");

    /* I/O window and non-contiguous mode */
    pt_wr32(sys, IOBASE + 0xcf8, 0x80000000);
    is_u64(pt_rd32(sys, IOBASE + 0x10cf8), 0x80000000, "I/O window mirrors every 64 KiB");
    emu_line_set(emu_device_output(&sink->dev, "out", 0), 1);
    /* port 0xcf8 = 0x18 | 0xce0: offset 0x18 | 0xce0 << 7 = 0x67018 */
    is_u64(pt_rd32(sys, IOBASE + 0x67018), 0x80000000, "non-contiguous mode: 32 ports per 4 KiB");
    emu_line_set(emu_device_output(&sink->dev, "out", 0), 0);

    /* Interrupt acknowledge */
    is_u64(pt_rd8(sys, 0xbffffff0), 0x40, "interrupt acknowledge asks the pic");
    is_u64(pt_rd8(sys, 0xbffffff0), 0x41, "... each read acknowledges one");

    /* Reset: back to the power-on configuration */
    emu_machine_reset(m);
    is_u64(cfg_read(sys, 0x58, 0x3c, 1), 0, "reset clears the interrupt line");
    is_u64(cfg_read(sys, 0, 0x04, 2), 0, "reset clears the command register");
    is_u64(cfg_read(sys, 0x10, 0x10, 4), 0x00000008, "reset clears BAR addresses");
    is_u64(pt_rd32(mem, 0x200004), 0xffffffff, "reset unmaps BARs");
    pt_wr32(sys, IOBASE + 0xcf8, 0x80000000);
    emu_machine_reset(m);
    is_u64(pt_rd32(sys, IOBASE + 0xcf8), 0, "reset clears the address register");

    /* A placeholder function: header and BAR sizes, silent BARs */
    emu_device *stub = pt_device(m, "pci-stub", "vga", (const char *const[]){
        "bus=pci", "devfn=0x18", "vendor-id=0x1234", "device-id=0x1111", "revision=2",
        "class=0x030000", "status=0x0280", "min-grant=6", "bar0=mem:16M:prefetch", "bar1=io:32",
        "rom=64K", NULL });
    if (stub) {
        emu_machine_reset(m);
        is_u64(cfg_read(sys, 0x18, 0, 4), 0x11111234, "stub: IDs");
        is_u64(cfg_read(sys, 0x18, 0x08, 4), 0x03000002, "stub: class and revision");
        is_u64(cfg_read(sys, 0x18, 0x06, 2), 0x0280, "stub: status");
        is_u64(cfg_read(sys, 0x18, 0x3e, 1), 6, "stub: MIN_GNT");
        cfg_write(sys, 0x18, 0x10, 4, 0xffffffff);
        is_u64(cfg_read(sys, 0x18, 0x10, 4), 0xff000008, "stub: 16 MiB prefetchable BAR");
        cfg_write(sys, 0x18, 0x14, 4, 0xffffffff);
        is_u64(cfg_read(sys, 0x18, 0x14, 4), 0xffffffe1, "stub: 32-byte I/O BAR");
        cfg_write(sys, 0x18, 0x30, 4, 0xffffffff);
        is_u64(cfg_read(sys, 0x18, 0x30, 4), 0xffff0001, "stub: 64 KiB ROM BAR");
        cfg_write(sys, 0x18, 0x10, 4, 0x01000000);
        cfg_write(sys, 0x18, 0x04, 2, 0x0003);
        pt_wr32(mem, 0x01000010, 0x12345678);
        is_u64(pt_rd32(mem, 0x01000010), 0, "stub: its BAR reads 0 and ignores writes");
    }

    /* Errors */
    char *msg = pt_device_error(m, "i82378", "isa2", (const char *const[]){ "bus=pci", NULL });
    has_str(msg, "slot 0b.0 of bus 'pci' is taken by 'isa'", "a taken slot is refused");
    free(msg);
    msg = pt_device_error(m, "raven", "host2", (const char *const[]){ "bus=sink", NULL });
    has_str(msg, "'sink' is not a PCI bus", "bus must be a PCI bus");
    free(msg);
    msg = pt_device_error(m, "raven", "host3", (const char *const[]){ "bus=pci", "pic=sink",
                                                                       "devfn=8", NULL });
    has_str(msg, "does not offer interrupt acknowledge", "pic must offer intack");
    free(msg);
    msg = pt_device_error(m, "pci-stub", "bad", (const char *const[]){ "bus=pci", "vendor-id=1",
                                                                        "device-id=1", "bar0=mem:lots", NULL });
    has_str(msg, "bar0: 'mem:lots': size 'lots' is not a number above 0", "bad BAR size refused");
    free(msg);
    msg = pt_device_error(m, "pci-stub", "bad2", (const char *const[]){ "bus=pci", "vendor-id=1",
                                                                         "device-id=1", "bar1=io:3", NULL });
    has_str(msg, "not a power of two", "BAR size must be a power of two");
    free(msg);
    msg = pt_device_error(m, "pci-bus", "pci2", (const char *const[]){ "io-space=nope", NULL });
    has_str(msg, "no address space 'nope'", "missing space named");
    free(msg);

    emu_machine_free(m);
    return tap_done();
}
