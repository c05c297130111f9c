/* example-pci-crc: a PCI bus-master CRC-32 engine, the emu SDK's example PCI device plugin.
 *
 * The guest puts a buffer in memory, writes its bus address and length into
 * BAR 0 and sets CTRL.START.  The engine reads the buffer by bus-master DMA,
 * taking `ns-per-byte` of virtual time, then stores the CRC-32 (the one of
 * zlib, Ethernet and PNG) in RESULT, sets STATUS.DONE and, when CTRL.IRQ_EN
 * is set, asserts its interrupt pin INTA.
 *
 * Configuration header: vendor 0x1234, device 0xc320, class 0xff00 (a
 * device that fits no defined class), interrupt pin INTA, BAR 0 a 4 KiB
 * 32-bit memory BAR.  0x1234 is the vendor ID QEMU's example devices use
 * too; a real product uses the ID PCI-SIG assigned to its vendor.
 *
 * BAR 0 registers (32-bit accesses only, little-endian):
 *   0x00 ID       read-only   0x43524331 ("CRC1")
 *   0x04 ADDR_LO  read/write  bus address of the buffer, bits 31..0
 *   0x08 ADDR_HI  read/write  bus address of the buffer, bits 63..32
 *   0x0c LEN      read/write  length in bytes (at most 1 MiB)
 *   0x10 CTRL     read/write  bit 0 START (write 1 to start; reads 1 while busy), bit 1 IRQ_EN
 *   0x14 STATUS   read, write 1 to clear: bit 0 DONE, bit 1 ERROR (DMA failed)
 *   0x18 RESULT   read-only   CRC-32 of the last buffer
 *
 * Build it with the Makefile next to this file; docs/plugin-sdk.md explains it.
 */
#include <emu/emu.h>
#include <emu/pci.h>
#include <inttypes.h>

#define CRC_VENDOR        0x1234
#define CRC_DEVICE        0xc320
#define CRC_CLASS         0xff00      /* "other" processing device */
#define CRC_ID            0x43524331u
#define MAX_LEN           (1u << 20)
#define BAR_SIZE          4096

#define REG_ID            0x00
#define REG_ADDR_LO       0x04
#define REG_ADDR_HI       0x08
#define REG_LEN           0x0c
#define REG_CTRL          0x10
#define REG_STATUS        0x14
#define REG_RESULT        0x18

#define CTRL_START        (1u << 0)
#define CTRL_IRQ_EN       (1u << 1)
#define STATUS_DONE       (1u << 0)
#define STATUS_ERROR      (1u << 1)

typedef struct crc_dev {
    emu_device dev;

    /* properties */
    emu_device *bus;
    int64_t devfn;
    int64_t ns_per_byte;

    /* resources */
    const emu_pci_bus_ops *pci;
    emu_pci_function *fn;
    emu_timer *done_timer;

    /* guest-visible state */
    uint64_t addr;
    uint32_t len, ctrl, status, result;
    bool busy;                    /* a job runs until done_timer fires */
} crc_dev;

/* CRC-32 (reflected, polynomial 0xEDB88320), four bits at a time. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
    static const uint32_t nibble[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        crc = (crc >> 4) ^ nibble[crc & 15];
        crc = (crc >> 4) ^ nibble[crc & 15];
    }
    return ~crc;
}

static void update_irq(crc_dev *s)
{
    s->pci->set_irq(s->fn, (s->status & (STATUS_DONE | STATUS_ERROR)) && (s->ctrl & CTRL_IRQ_EN));
}

/* The job's time is up: read the buffer now (DMA sees memory as it is at
   the end of the job, as with a real engine reading as it goes). */
static void crc_done(void *opaque)
{
    crc_dev *s = opaque;
    uint8_t chunk[4096];
    uint32_t crc = 0;
    bool failed = false;
    for (uint32_t done = 0; done < s->len && !failed; ) {
        uint32_t n = s->len - done < sizeof chunk ? s->len - done : (uint32_t)sizeof chunk;
        /* The bus logs the reason (bus mastering off, nothing at that address). */
        failed = s->pci->dma_read(s->fn, s->addr + done, chunk, n) < 0;
        crc = crc32_update(crc, chunk, n);
        done += n;
    }
    s->busy = false;
    if (failed) {
        s->status |= STATUS_ERROR;
    } else {
        s->result = crc;
        s->status |= STATUS_DONE;
    }
    update_irq(s);
}

static void crc_start(crc_dev *s)
{
    if (s->busy) {
        emu_log(&s->dev, EMU_LOG_GUEST, "START while a job is running: ignored");
        return;
    }
    s->busy = true;
    emu_timer_arm(s->done_timer, emu_clock_ns(s->dev.machine) + (uint64_t)s->len * (uint64_t)s->ns_per_byte);
}

static uint64_t crc_read(void *opaque, uint64_t offset, unsigned size)
{
    crc_dev *s = opaque;
    (void)size;   /* always 4: valid_min = valid_max = 4 */
    switch (offset) {
    case REG_ID:      return CRC_ID;
    case REG_ADDR_LO: return (uint32_t)s->addr;
    case REG_ADDR_HI: return (uint32_t)(s->addr >> 32);
    case REG_LEN:     return s->len;
    case REG_CTRL:    return (s->ctrl & CTRL_IRQ_EN) | (s->busy ? CTRL_START : 0);
    case REG_STATUS:  return s->status;
    case REG_RESULT:  return s->result;
    default:
        emu_log(&s->dev, EMU_LOG_GUEST, "read of unknown register 0x%03" PRIx64, offset);
        return 0;
    }
}

static void crc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    crc_dev *s = opaque;
    uint32_t v = (uint32_t)value;
    (void)size;
    switch (offset) {
    case REG_ADDR_LO: s->addr = (s->addr & ~(uint64_t)UINT32_MAX) | v; break;
    case REG_ADDR_HI: s->addr = (s->addr & UINT32_MAX) | (uint64_t)v << 32; break;
    case REG_LEN:
        if (v > MAX_LEN) {
            emu_log(&s->dev, EMU_LOG_GUEST, "LEN %" PRIu32 " is over the %u byte limit; using %u",
                    v, MAX_LEN, MAX_LEN);
            v = MAX_LEN;
        }
        s->len = v;
        break;
    case REG_CTRL:
        s->ctrl = v & CTRL_IRQ_EN;
        if (v & CTRL_START)
            crc_start(s);
        update_irq(s);
        break;
    case REG_STATUS:
        s->status &= ~(v & (STATUS_DONE | STATUS_ERROR));
        update_irq(s);
        break;
    default:
        emu_log(&s->dev, EMU_LOG_GUEST, "write of %s register 0x%03" PRIx64,
                offset == REG_ID || offset == REG_RESULT ? "read-only" : "unknown", offset);
        break;
    }
}

static const emu_mmio_ops crc_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = crc_read,
    .write = crc_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 4, .valid_max = 4,
};

static int crc_realize(emu_device *dev, emu_error **err)
{
    crc_dev *s = (crc_dev *)dev;
    s->pci = emu_pci_bus(s->bus);
    if (!s->pci) {
        emu_error_set(err, "bus: '%s' is not a PCI bus (give the id of a pci-bus device)",
                      s->bus->id);
        return -1;
    }
    s->fn = s->pci->attach(s->bus, dev, (int)s->devfn, NULL, s, err);
    if (!s->fn)
        return -1;   /* attach said why (slot taken...) */

    uint8_t *cfg = s->pci->config(s->fn);
    emu_pci_set_word(cfg + EMU_PCI_VENDOR_ID, CRC_VENDOR);
    emu_pci_set_word(cfg + EMU_PCI_DEVICE_ID, CRC_DEVICE);
    emu_pci_set_word(cfg + EMU_PCI_CLASS_DEVICE, CRC_CLASS);
    emu_pci_set_byte(cfg + EMU_PCI_REVISION_ID, 1);
    emu_pci_set_byte(cfg + EMU_PCI_INTERRUPT_PIN, 1);     /* INTA */

    /* The region is not mapped by the machine file: the bus maps it where the guest programs BAR 0. */
    emu_region *regs = emu_device_mmio(dev, "bar0", BAR_SIZE, &crc_ops, s);
    if (!regs || s->pci->bar(s->fn, 0, EMU_PCI_BAR_MEM32, BAR_SIZE, regs, err) < 0) {
        if (err && !*err)
            emu_error_set(err, "cannot create BAR 0");
        return -1;
    }
    s->done_timer = emu_timer_new(dev->machine, crc_done, s);
    return 0;
}

static void crc_reset(emu_device *dev)
{
    crc_dev *s = (crc_dev *)dev;
    emu_timer_cancel(s->done_timer);
    s->busy = false;
    s->addr = 0;
    s->len = s->ctrl = s->status = s->result = 0;
    update_irq(s);
}

static void crc_destroy(emu_device *dev)
{
    crc_dev *s = (crc_dev *)dev;
    if (s->done_timer)
        emu_timer_free(s->done_timer);
}

static int crc_save(emu_device *dev, emu_state_writer *w)
{
    crc_dev *s = (crc_dev *)dev;
    uint64_t now = emu_clock_ns(dev->machine);
    uint64_t deadline = emu_timer_deadline(s->done_timer);
    emu_state_put_u64(w, "addr", s->addr);
    emu_state_put_u64(w, "len", s->len);
    emu_state_put_u64(w, "ctrl", s->ctrl);
    emu_state_put_u64(w, "status", s->status);
    emu_state_put_u64(w, "result", s->result);
    emu_state_put_u64(w, "busy", s->busy);
    emu_state_put_u64(w, "ns-left", s->busy && deadline > now ? deadline - now : 0);
    return 0;
}

static int crc_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    crc_dev *s = (crc_dev *)dev;
    static const char *const names[] = { "addr", "len", "ctrl", "status", "result", "busy", "ns-left" };
    static const uint64_t max[] = { UINT64_MAX, MAX_LEN, CTRL_IRQ_EN, STATUS_DONE | STATUS_ERROR,
                                    UINT32_MAX, 1, UINT64_MAX };
    uint64_t v[7];
    for (unsigned i = 0; i < 7; i++) {
        if (emu_state_get_u64(r, names[i], &v[i]) < 0) {
            emu_error_set(err, "saved state has no field '%s'", names[i]);
            return -1;
        }
        if (v[i] > max[i]) {
            emu_error_set(err, "saved %s 0x%" PRIx64 " is out of range", names[i], v[i]);
            return -1;
        }
    }
    s->addr = v[0];
    s->len = (uint32_t)v[1];
    s->ctrl = (uint32_t)v[2];
    s->status = (uint32_t)v[3];
    s->result = (uint32_t)v[4];
    s->busy = v[5] != 0;
    if (s->busy)
        emu_timer_arm(s->done_timer, emu_clock_ns(dev->machine) + v[6]);
    else
        emu_timer_cancel(s->done_timer);
    update_irq(s);
    return 0;
}

static const emu_prop_desc crc_props[] = {
    { "bus", EMU_PROP_LINK, offsetof(crc_dev, bus), NULL, "the PCI bus (a pci-bus device)",
      NULL, 0, 0, NULL, EMU_PROP_REQUIRED },
    EMU_PROP_INT_DEF("devfn", crc_dev, devfn, "-1", -1, 255,
                     "slot * 8 + function on the bus; -1: function 0 of the first free slot"),
    EMU_PROP_INT_DEF("ns-per-byte", crc_dev, ns_per_byte, "1", 0, 1000000,
                     "virtual time the engine takes per byte"),
    EMU_PROP_END,
};

static const emu_region_desc crc_regions[] = {
    { "bar0", "registers, mapped by the bus where the guest programs BAR 0" },
    { NULL, NULL },
};

static const emu_type crc_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "example-pci-crc",
    .summary = "example PCI CRC-32 engine with bus-master DMA (emu SDK example)",
    .instance_size = sizeof(crc_dev),
    .props = crc_props,
    .regions = crc_regions,
    .realize = crc_realize,
    .reset = crc_reset,
    .destroy = crc_destroy,
    .save = crc_save,
    .load = crc_load,
};

static const emu_type *const crc_types[] = { &crc_type, NULL };

EMU_PLUGIN(example_pci_crc) = {
    EMU_PLUGIN_HEADER,
    "example_pci_crc", "1.0", "example PCI CRC-32 engine", crc_types,
};
