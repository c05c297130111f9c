/* The generic PCI bus: each function's configuration space with its write masks, BARs mapped
 * into the bus's memory and I/O spaces as the guest programs them, INTx pins routed to four
 * output lines, and bus-master DMA into a window of another space (see emu/pci.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/pci.h"
#include "../state-fields.h"

#define NUM_DEVFN 256
#define NUM_BARS 7            /* 6 BARs and the expansion ROM */
#define UNMAPPED UINT64_MAX

typedef struct pci_bar {
    uint64_t size;            /* 0: not declared */
    unsigned type;            /* emu_pci_bar_type | EMU_PCI_BAR_PREFETCH */
    emu_region *region;
    uint64_t addr;            /* where it is mapped, or UNMAPPED */
} pci_bar;

typedef struct pci_bus pci_bus;

struct emu_pci_function {
    pci_bus *bus;
    emu_device *dev;
    unsigned devfn;
    const emu_pci_function_ops *ops;
    void *opaque;
    uint8_t config[EMU_PCI_CONFIG_SIZE];
    uint8_t wmask[EMU_PCI_CONFIG_SIZE];
    uint8_t w1cmask[EMU_PCI_CONFIG_SIZE];
    uint8_t power_on[EMU_PCI_CONFIG_SIZE];   /* the configuration at the first reset */
    bool have_power_on;
    pci_bar bars[NUM_BARS];
    int pin_level;            /* what the device drives on its pin */
    int asserted;             /* whether that reaches an INTx line now */
};

struct pci_bus {
    emu_device dev;
    char *io_name, *mem_name, *dma_name;
    uint64_t dma_base, dma_size;
    emu_space *io, *mem, *dma;
    emu_pci_function *fn[NUM_DEVFN];
    emu_line *intx[4];
    unsigned intx_count[4];   /* asserted pins per line */
};

static const emu_prop_desc pci_bus_props[] = {
    EMU_PROP_STRING_DEF("io-space", pci_bus, io_name, "pci-io",
                        "address space I/O BARs are mapped in"),
    EMU_PROP_STRING_DEF("mem-space", pci_bus, mem_name, "pci-mem",
                        "address space memory BARs are mapped in"),
    EMU_PROP_STRING_DEF("dma-space", pci_bus, dma_name, "system",
                        "address space bus masters reach through the DMA window"),
    EMU_PROP_ADDR_DEF("dma-base", pci_bus, dma_base, "0",
                      "bus address of the DMA window (dma-space address 0)"),
    EMU_PROP_SIZE_DEF("dma-size", pci_bus, dma_size, "0",
                      "size of the DMA window (0: none; bus masters then reach only mem-space)"),
    EMU_PROP_END,
};

static const emu_line_desc pci_bus_outputs[] = {
    { "intx", 4, "INTA..INTD after the standard swizzle: pin p of slot s drives (p - 1 + s) mod 4" },
    { NULL, 0, NULL },
};

/* ---- interrupts ---- */

static bool intx_disabled(const emu_pci_function *f)
{
    return emu_pci_get_word(f->config + EMU_PCI_COMMAND) & EMU_PCI_COMMAND_INTX_DISABLE;
}

static int intx_line(const emu_pci_function *f)
{
    unsigned pin = f->config[EMU_PCI_INTERRUPT_PIN];
    if (pin < 1 || pin > 4)
        return -1;
    return (int)((pin - 1 + EMU_PCI_SLOT(f->devfn)) % 4);
}

/* Bring the INTx line and the status bit in step with the pin and INTx-disable. */
static void update_irq(emu_pci_function *f)
{
    uint16_t status = emu_pci_get_word(f->config + EMU_PCI_STATUS);
    if (f->pin_level)
        status |= EMU_PCI_STATUS_INTERRUPT;
    else
        status &= (uint16_t)~EMU_PCI_STATUS_INTERRUPT;
    emu_pci_set_word(f->config + EMU_PCI_STATUS, status);

    int want = f->pin_level && !intx_disabled(f);
    int line = intx_line(f);
    if (want == f->asserted || line < 0)
        return;
    pci_bus *b = f->bus;
    f->asserted = want;
    if (want)
        b->intx_count[line]++;
    else
        b->intx_count[line]--;
    emu_line_set(b->intx[line], b->intx_count[line] > 0);
}

static void fn_set_irq(emu_pci_function *f, int level)
{
    f->pin_level = level != 0;
    update_irq(f);
}

/* ---- BARs ---- */

static bool bar_is_io(const pci_bar *bar)
{
    return (bar->type & 0xff) == EMU_PCI_BAR_IO;
}

static unsigned bar_reg(unsigned index)
{
    return index == EMU_PCI_ROM_SLOT ? EMU_PCI_ROM_ADDRESS : EMU_PCI_BAR0 + 4 * index;
}

/* Where BAR `index` decodes now (the rules of PCI and of QEMU's pci_bar_address:
   the space must be enabled, address 0 and ranges that wrap are not decoded). */
static uint64_t bar_address(const emu_pci_function *f, unsigned index)
{
    const pci_bar *bar = &f->bars[index];
    uint16_t cmd = emu_pci_get_word(f->config + EMU_PCI_COMMAND);
    uint32_t lo = emu_pci_get_long(f->config + bar_reg(index));
    uint64_t addr, last;

    if (bar_is_io(bar)) {
        if (!(cmd & EMU_PCI_COMMAND_IO))
            return UNMAPPED;
        addr = lo & ~(uint64_t)3 & ~(bar->size - 1);
        last = addr + bar->size - 1;
        if (addr == 0 || last <= addr || last >= UINT32_MAX)
            return UNMAPPED;
        return addr;
    }
    if (!(cmd & EMU_PCI_COMMAND_MEMORY))
        return UNMAPPED;
    if (index == EMU_PCI_ROM_SLOT && !(lo & 1))
        return UNMAPPED;
    addr = lo & ~(uint64_t)0xf;
    if ((bar->type & 0xff) == EMU_PCI_BAR_MEM64)
        addr |= (uint64_t)emu_pci_get_long(f->config + bar_reg(index) + 4) << 32;
    addr &= ~(bar->size - 1);
    last = addr + bar->size - 1;
    if (addr == 0 || last <= addr || last == UINT64_MAX)
        return UNMAPPED;
    if ((bar->type & 0xff) != EMU_PCI_BAR_MEM64 && last >= UINT32_MAX)
        return UNMAPPED;
    return addr;
}

static void update_mappings(emu_pci_function *f)
{
    for (unsigned i = 0; i < NUM_BARS; i++) {
        pci_bar *bar = &f->bars[i];
        if (!bar->size)
            continue;
        uint64_t addr = bar_address(f, i);
        if (addr == bar->addr)
            continue;
        if (bar->addr != UNMAPPED)
            emu_region_unmap(bar->region);
        bar->addr = UNMAPPED;
        if (addr == UNMAPPED)
            continue;
        emu_space *s = bar_is_io(bar) ? f->bus->io : f->bus->mem;
        emu_error *err = NULL;
        if (emu_region_map(emu_space_root(s), addr, bar->region, 1, &err) == 0) {
            bar->addr = addr;
        } else {
            emu_log(f->dev, EMU_LOG_GUEST, "BAR %u at 0x%" PRIx64 " is not decoded: %s", i, addr,
                    emu_error_message(err));
            emu_error_free(err);
        }
    }
}

static int fn_bar(emu_pci_function *f, unsigned index, unsigned type, uint64_t size,
                  emu_region *region, emu_error **err)
{
    unsigned kind = type & 0xff;
    bool rom = index == EMU_PCI_ROM_SLOT;
    if (index >= NUM_BARS || (kind == EMU_PCI_BAR_MEM64 && index >= 5) ||
        (rom && kind != EMU_PCI_BAR_MEM32)) {
        emu_error_set(err, "PCI BAR %u cannot be of that type (BARs 0..5, a 64-bit BAR uses two, "
                      "the ROM BAR %d is 32-bit memory)", index, EMU_PCI_ROM_SLOT);
        return -1;
    }
    if (kind < EMU_PCI_BAR_IO || kind > EMU_PCI_BAR_MEM64 ||
        ((type & EMU_PCI_BAR_PREFETCH) && kind == EMU_PCI_BAR_IO)) {
        emu_error_set(err, "PCI BAR %u: unknown type 0x%x", index, type);
        return -1;
    }
    uint64_t min = kind == EMU_PCI_BAR_IO ? 4 : 16;
    if (size < min || (size & (size - 1)) || (kind != EMU_PCI_BAR_MEM64 && size > (1ull << 31)) ||
        (kind == EMU_PCI_BAR_IO && size > 256)) {
        emu_error_set(err, "PCI BAR %u: size 0x%" PRIx64 " is not a power of two in %" PRIu64
                      "..%s", index, size, min, kind == EMU_PCI_BAR_IO ? "256" : "2G");
        return -1;
    }
    if (!region || emu_region_size(region) < size) {
        emu_error_set(err, "PCI BAR %u: the region must exist and cover the BAR's 0x%" PRIx64
                      " bytes", index, size);
        return -1;
    }
    if (f->bars[index].size || (index > 0 && !rom && f->bars[index - 1].size &&
                                (f->bars[index - 1].type & 0xff) == EMU_PCI_BAR_MEM64) ||
        (kind == EMU_PCI_BAR_MEM64 && f->bars[index + 1].size)) {
        emu_error_set(err, "PCI BAR %u is declared twice", index);
        return -1;
    }
    pci_bar *bar = &f->bars[index];
    bar->size = size;
    bar->type = type;
    bar->region = region;
    bar->addr = UNMAPPED;

    unsigned reg = bar_reg(index);
    uint32_t low_bits = kind == EMU_PCI_BAR_IO ? 1 : (kind == EMU_PCI_BAR_MEM64 ? 4 : 0);
    if (type & EMU_PCI_BAR_PREFETCH)
        low_bits |= 8;
    if (rom)
        low_bits = 0;
    uint64_t mask = ~(size - 1);
    emu_pci_set_long(f->config + reg, low_bits);
    emu_pci_set_long(f->wmask + reg, (uint32_t)mask | (rom ? 1u : 0u));
    if (kind == EMU_PCI_BAR_MEM64) {
        emu_pci_set_long(f->config + reg + 4, 0);
        emu_pci_set_long(f->wmask + reg + 4, (uint32_t)(mask >> 32));
    }
    return 0;
}

/* ---- configuration space ---- */

static bool overlaps(unsigned a, unsigned alen, unsigned b, unsigned blen)
{
    return a < b + blen && b < a + alen;
}

static void fn_config_write(emu_pci_function *f, unsigned reg, uint32_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        uint8_t v = (uint8_t)(value >> (8 * i));
        uint8_t *c = &f->config[reg + i];
        *c = (uint8_t)((*c & ~f->wmask[reg + i]) | (v & f->wmask[reg + i]));
        *c &= (uint8_t)~(v & f->w1cmask[reg + i]);
    }
    if (overlaps(reg, size, EMU_PCI_BAR0, 24) || overlaps(reg, size, EMU_PCI_ROM_ADDRESS, 4) ||
        overlaps(reg, size, EMU_PCI_COMMAND, 1))
        update_mappings(f);
    if (overlaps(reg, size, EMU_PCI_COMMAND, 2))
        update_irq(f);
    if (f->ops && f->ops->config_written)
        f->ops->config_written(f->opaque, reg, value, size);
}

static uint32_t fn_config_read(emu_pci_function *f, unsigned reg, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)f->config[reg + i] << (8 * i);
    if (f->ops && f->ops->config_read)
        v = f->ops->config_read(f->opaque, reg, size, v);
    if (size < 4)
        v &= (1u << (8 * size)) - 1;
    return v;
}

static bool cycle_ok(unsigned reg, unsigned size)
{
    return (size == 1 || size == 2 || size == 4) && reg < EMU_PCI_CONFIG_SIZE &&
           !(reg & (size - 1));
}

static uint32_t bus_config_read(emu_device *dev, unsigned bus_nr, unsigned devfn, unsigned reg,
                                unsigned size)
{
    pci_bus *b = (pci_bus *)dev;
    uint32_t ones = size >= 4 ? UINT32_MAX : (1u << (8 * size)) - 1;
    if (!cycle_ok(reg, size)) {
        emu_log(dev, EMU_LOG_GUEST, "configuration read of %u bytes at 0x%x refused", size, reg);
        return ones;
    }
    if (bus_nr != 0 || devfn >= NUM_DEVFN || !b->fn[devfn])
        return ones;
    return fn_config_read(b->fn[devfn], reg, size);
}

static void bus_config_write(emu_device *dev, unsigned bus_nr, unsigned devfn, unsigned reg,
                             uint32_t value, unsigned size)
{
    pci_bus *b = (pci_bus *)dev;
    if (!cycle_ok(reg, size)) {
        emu_log(dev, EMU_LOG_GUEST, "configuration write of %u bytes at 0x%x refused", size, reg);
        return;
    }
    if (bus_nr != 0 || devfn >= NUM_DEVFN || !b->fn[devfn])
        return;
    fn_config_write(b->fn[devfn], reg, value, size);
}

/* ---- attaching functions ---- */

static void init_masks(emu_pci_function *f)
{
    f->wmask[EMU_PCI_CACHE_LINE_SIZE] = 0xff;
    f->wmask[EMU_PCI_INTERRUPT_LINE] = 0xff;
    emu_pci_set_word(f->wmask + EMU_PCI_COMMAND,
                     EMU_PCI_COMMAND_IO | EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER |
                     EMU_PCI_COMMAND_SERR | EMU_PCI_COMMAND_INTX_DISABLE);
    /* Status: parity, target aborts, master abort, system error, detected parity. */
    emu_pci_set_word(f->w1cmask + EMU_PCI_STATUS, 0x0100 | 0x0800 | 0x1000 | 0x2000 | 0x4000 | 0x8000);
    memset(f->wmask + 0x40, 0xff, EMU_PCI_CONFIG_SIZE - 0x40);
}

static emu_pci_function *bus_attach(emu_device *dev, emu_device *fdev, int devfn,
                                    const emu_pci_function_ops *ops, void *opaque, emu_error **err)
{
    pci_bus *b = (pci_bus *)dev;
    if (devfn < 0) {
        for (int slot = 0; slot < 32 && devfn < 0; slot++)
            if (!b->fn[EMU_PCI_DEVFN(slot, 0)])
                devfn = EMU_PCI_DEVFN(slot, 0);
        if (devfn < 0) {
            emu_error_set(err, "PCI bus '%s' has no free slot", dev->id);
            return NULL;
        }
    }
    if (devfn >= NUM_DEVFN) {
        emu_error_set(err, "PCI address %d is out of range (slot 0..31, function 0..7)", devfn);
        return NULL;
    }
    if (b->fn[devfn]) {
        emu_error_set(err, "PCI slot %02x.%x of bus '%s' is taken by '%s'", EMU_PCI_SLOT(devfn),
                      EMU_PCI_FUNC(devfn), dev->id, b->fn[devfn]->dev->id);
        return NULL;
    }
    if (ops && ops->struct_size < sizeof(emu_pci_function_ops)) {
        emu_error_set(err, "'%s' was built against an older PCI interface", fdev->id);
        return NULL;
    }
    emu_pci_function *f = calloc(1, sizeof *f);
    if (!f) {
        emu_error_set(err, "out of memory");
        return NULL;
    }
    f->bus = b;
    f->dev = fdev;
    f->devfn = (unsigned)devfn;
    f->ops = ops;
    f->opaque = opaque;
    for (unsigned i = 0; i < NUM_BARS; i++)
        f->bars[i].addr = UNMAPPED;
    init_masks(f);
    b->fn[devfn] = f;
    return f;
}

static uint8_t *fn_config(emu_pci_function *f) { return f->config; }
static uint8_t *fn_wmask(emu_pci_function *f) { return f->wmask; }
static uint8_t *fn_w1cmask(emu_pci_function *f) { return f->w1cmask; }

/* ---- DMA ---- */

static int dma_access(emu_pci_function *f, uint64_t addr, void *buf, size_t len, bool write)
{
    pci_bus *b = f->bus;
    const char *what = write ? "write" : "read";
    if (!(emu_pci_get_word(f->config + EMU_PCI_COMMAND) & EMU_PCI_COMMAND_MASTER)) {
        emu_log(f->dev, EMU_LOG_GUEST, "DMA %s of %zu bytes at 0x%" PRIx64
                " while bus mastering is disabled", what, len, addr);
        if (!write)
            memset(buf, 0xff, len);
        return -1;
    }
    emu_space *s = b->mem;
    uint64_t at = addr;
    if (b->dma_size && addr >= b->dma_base && addr - b->dma_base < b->dma_size) {
        if (len > b->dma_size - (addr - b->dma_base)) {
            emu_log(f->dev, EMU_LOG_GUEST, "DMA %s of %zu bytes at 0x%" PRIx64
                    " runs past the end of the DMA window", what, len, addr);
            if (!write)
                memset(buf, 0xff, len);
            return -1;
        }
        s = b->dma;
        at = addr - b->dma_base;
    }
    int r = write ? emu_space_write_bytes(s, at, buf, len, false)
                  : emu_space_read_bytes(s, at, buf, len);
    if (r < 0)
        emu_log(f->dev, EMU_LOG_GUEST, "DMA %s of %zu bytes at bus address 0x%" PRIx64
                " reaches unassigned memory", what, len, addr);
    return r < 0 ? -1 : 0;
}

static int fn_dma_read(emu_pci_function *f, uint64_t addr, void *buf, size_t len)
{
    return dma_access(f, addr, buf, len, false);
}

static int fn_dma_write(emu_pci_function *f, uint64_t addr, const void *buf, size_t len)
{
    return dma_access(f, addr, (void *)buf, len, true);
}

static emu_space *bus_io_space(emu_device *dev) { return ((pci_bus *)dev)->io; }
static emu_space *bus_mem_space(emu_device *dev) { return ((pci_bus *)dev)->mem; }

static const emu_pci_bus_ops bus_ops = {
    .struct_size = sizeof(emu_pci_bus_ops),
    .attach = bus_attach,
    .config = fn_config,
    .wmask = fn_wmask,
    .w1cmask = fn_w1cmask,
    .bar = fn_bar,
    .set_irq = fn_set_irq,
    .dma_read = fn_dma_read,
    .dma_write = fn_dma_write,
    .config_read = bus_config_read,
    .config_write = bus_config_write,
    .io_space = bus_io_space,
    .mem_space = bus_mem_space,
};

static const emu_iface pci_bus_ifaces[] = {
    { EMU_PCI_BUS_IFACE, &bus_ops },
    { NULL, NULL },
};

/* ---- lifecycle ---- */

static emu_space *need_space(emu_device *dev, const char *prop, const char *name, emu_error **err)
{
    emu_space *s = emu_machine_space(dev->machine, name);
    if (!s)
        emu_error_set(err, "%s: no address space '%s' (declare it under spaces:)", prop, name);
    return s;
}

static int pci_bus_realize(emu_device *dev, emu_error **err)
{
    pci_bus *b = (pci_bus *)dev;
    if (!(b->io = need_space(dev, "io-space", b->io_name, err)) ||
        !(b->mem = need_space(dev, "mem-space", b->mem_name, err)))
        return -1;
    if (b->dma_size && !(b->dma = need_space(dev, "dma-space", b->dma_name, err)))
        return -1;
    if (b->dma_size && b->dma_base + b->dma_size - 1 < b->dma_base) {
        emu_error_set(err, "dma-base + dma-size wraps around");
        return -1;
    }
    for (unsigned i = 0; i < 4; i++)
        b->intx[i] = emu_device_output(dev, "intx", i);
    return 0;
}

/* Bus reset (#RST): every function goes back to its power-on configuration. */
static void pci_bus_reset(emu_device *dev)
{
    pci_bus *b = (pci_bus *)dev;
    for (unsigned i = 0; i < NUM_DEVFN; i++) {
        emu_pci_function *f = b->fn[i];
        if (!f)
            continue;
        if (!f->have_power_on) {
            memcpy(f->power_on, f->config, sizeof f->config);
            f->have_power_on = true;
        } else {
            memcpy(f->config, f->power_on, sizeof f->config);
        }
        f->pin_level = 0;
        update_irq(f);
        update_mappings(f);
    }
}

static void pci_bus_destroy(emu_device *dev)
{
    pci_bus *b = (pci_bus *)dev;
    for (unsigned i = 0; i < NUM_DEVFN; i++)
        free(b->fn[i]);
}

/* ---- snapshots: every function's configuration space and the level of its pin ---- */

static int pci_bus_save(emu_device *dev, emu_state_writer *w)
{
    pci_bus *b = (pci_bus *)dev;
    for (unsigned i = 0; i < NUM_DEVFN; i++) {
        emu_pci_function *f = b->fn[i];
        if (!f)
            continue;
        char name[32];
        snprintf(name, sizeof name, "fn%02x.%x.config", EMU_PCI_SLOT(i), EMU_PCI_FUNC(i));
        emu_state_put_bytes(w, name, f->config, sizeof f->config);
        snprintf(name, sizeof name, "fn%02x.%x.pin", EMU_PCI_SLOT(i), EMU_PCI_FUNC(i));
        emu_state_put_u64(w, name, (uint64_t)f->pin_level);
    }
    return 0;
}

/* A saved configuration space must agree with this function in every bit the guest cannot
   write (IDs, class, BAR types...); the status register's interrupt bit follows the pin. */
static int check_config(const emu_pci_function *f, const uint8_t *cfg, emu_error **err)
{
    for (unsigned r = 0; r < EMU_PCI_CONFIG_SIZE; r++) {
        uint8_t fixed = (uint8_t)~(f->wmask[r] | f->w1cmask[r]);
        if (r == EMU_PCI_STATUS)
            fixed &= (uint8_t)~EMU_PCI_STATUS_INTERRUPT;
        if ((cfg[r] ^ f->config[r]) & fixed) {
            emu_error_set(err, "pci-bus state: function %02x.%x ('%s') register 0x%02x holds 0x%02x, "
                          "but its read-only bits are 0x%02x on this machine", EMU_PCI_SLOT(f->devfn),
                          EMU_PCI_FUNC(f->devfn), f->dev->id, r, cfg[r], f->config[r] & fixed);
            return -1;
        }
    }
    return 0;
}

static int pci_bus_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    pci_bus *b = (pci_bus *)dev;
    uint8_t (*saved)[EMU_PCI_CONFIG_SIZE] = calloc(NUM_DEVFN, EMU_PCI_CONFIG_SIZE);
    uint64_t pin[NUM_DEVFN] = { 0 };
    if (!saved) {
        emu_error_set(err, "out of memory");
        return -1;
    }
    /* Check everything first: a refused snapshot leaves the bus as it was. */
    for (unsigned i = 0; i < NUM_DEVFN; i++) {
        emu_pci_function *f = b->fn[i];
        if (!f)
            continue;
        char name[32];
        snprintf(name, sizeof name, "fn%02x.%x.config", EMU_PCI_SLOT(i), EMU_PCI_FUNC(i));
        if (state_get_bytes(r, dev, name, saved[i], EMU_PCI_CONFIG_SIZE, err) < 0 ||
            check_config(f, saved[i], err) < 0)
            goto refused;
        snprintf(name, sizeof name, "fn%02x.%x.pin", EMU_PCI_SLOT(i), EMU_PCI_FUNC(i));
        if (state_get(r, dev, name, 1, &pin[i], err) < 0)
            goto refused;
    }
    for (unsigned i = 0; i < NUM_DEVFN; i++) {
        emu_pci_function *f = b->fn[i];
        if (!f)
            continue;
        memcpy(f->config, saved[i], EMU_PCI_CONFIG_SIZE);
        f->pin_level = (int)pin[i];
        update_irq(f);
        update_mappings(f);
    }
    free(saved);
    return 0;
refused:
    free(saved);
    return -1;
}

static const emu_type pci_bus_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "pci-bus",
    .summary = "PCI bus: configuration space, BAR mapping, INTx routing and bus-master DMA",
    .instance_size = sizeof(pci_bus),
    .props = pci_bus_props,
    .outputs = pci_bus_outputs,
    .realize = pci_bus_realize,
    .reset = pci_bus_reset,
    .destroy = pci_bus_destroy,
    .save = pci_bus_save,
    .load = pci_bus_load,
    .kind_ops = pci_bus_ifaces,
};

static const emu_type *const pci_bus_types[] = { &pci_bus_type, NULL };

EMU_PLUGIN(pci_bus) = {
    EMU_PLUGIN_HEADER, "pci-bus", "1.0", "generic PCI bus", pci_bus_types,
};
