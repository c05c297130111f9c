/* CMD646 PCI IDE controller (PCI 1095:0646): a PCI function whose two channels are `ide`
 * devices of the machine, named by its `primary` and `secondary` links.  Both channels run in
 * PCI native mode (programming interface 0x8F): BAR0/BAR1 hold the primary channel's command
 * block (8 ports) and control block (4 ports, the device control / alternate status register
 * at +2), BAR2/BAR3 the secondary's, BAR4 the bus-master registers (8 per channel).  The
 * channels' interrupt requests latch the chip's interrupt bits (CFR, ARTTIM23, MRDMODE),
 * which drive INTA unless MRDMODE blocks them.
 *
 * The bus-master engine of each channel (SFF-8038i): the guest points it at a table of
 * physical region descriptors (PRDs: address, byte count, end-of-table bit), sets the
 * direction and START, and a disk's READ/WRITE DMA command moves its data along the table by
 * PCI bus-master cycles, whichever of the two comes first.  Status: ACTIVE while started,
 * cleared when the table is used up (it stays set when the table was longer than the
 * transfer), ERROR on a bus error, INTERRUPT with the channel's interrupt.  A table shorter
 * than the transfer, a bus error or a direction that disagrees with the command stop the
 * engine and fail the command (the drive reports ABRT).  Register facts: CMD PCI0646 data
 * sheet; SFF-8038i; QEMU's cmd646 model (which OpenBIOS's sparc64 and ppc drivers were
 * written against). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/pci.h"
#include "../state-fields.h"
#include "ide-internal.h"

#define CFR              0x50   /* bit 2: primary channel interrupt (write 1 to clear) */
#define CFR_INTR_CH0     0x04
#define CNTRL            0x51   /* bits 2/3: primary/secondary channel enabled */
#define CNTRL_EN_CH0     0x04
#define CNTRL_EN_CH1     0x08
#define ARTTIM23         0x57   /* bit 4: secondary channel interrupt (write 1 to clear) */
#define ARTTIM23_INTR_CH1 0x10
#define MRDMODE          0x71   /* bits 2/3: interrupts (w1c), bits 4/5: interrupts blocked */
#define MRDMODE_INTR_CH0 0x04
#define MRDMODE_INTR_CH1 0x08
#define MRDMODE_BLK_CH0  0x10
#define MRDMODE_BLK_CH1  0x20
#define UDIDETCR0        0x73   /* Ultra DMA timing, primary */
#define UDIDETCR1        0x7b   /* Ultra DMA timing, secondary */

#define BM_CMD_START     0x01
#define BM_CMD_READ      0x08   /* direction: the device writes memory */
#define BM_ST_ACTIVE     0x01
#define BM_ST_ERROR      0x02
#define BM_ST_INTR       0x04
#define BM_ST_DMA_CAP    0x60   /* drive 0/1 DMA capable: the guest's to set */

typedef struct cmd646 cmd646;

typedef struct bm_channel {
    cmd646 *chip;
    unsigned index;
    uint8_t cmd, status;
    uint32_t prd;               /* physical address of the PRD table */
    /* where the engine is in the table: the next descriptor, the current region's address
       and bytes left in it, and whether the current one is the last */
    uint32_t next, addr, left;
    bool eot;
} bm_channel;

struct cmd646 {
    emu_device dev;
    emu_device *bus;
    emu_device *chan[2];        /* the `ide` devices of the two channels (secondary optional) */
    int64_t devfn;
    const emu_pci_bus_ops *pci;
    emu_pci_function *fn;
    uint8_t *cfg;
    bm_channel bm[2];
};

static const emu_prop_desc cmd646_props[] = {
    { "bus", EMU_PROP_LINK, offsetof(cmd646, bus), NULL, "the PCI bus", NULL, 0, 0, NULL,
      EMU_PROP_REQUIRED },
    EMU_PROP_INT_DEF("devfn", cmd646, devfn, "-1", -1, 255,
                     "PCI address (slot << 3 | fn), -1: first free"),
    { "primary", EMU_PROP_LINK, offsetof(cmd646, chan[0]), NULL,
      "the `ide` device of the primary channel (listed before this device, its regions not "
      "mapped by the machine file)", NULL, 0, 0, "ide", EMU_PROP_REQUIRED },
    EMU_PROP_LINK_DEF("secondary", cmd646, chan[1], "ide",
                      "the `ide` device of the secondary channel (none: disabled)"),
    EMU_PROP_END,
};

static const emu_line_desc cmd646_inputs[] = {
    { "irq", 2, "the channels' interrupt requests: irq[0] from the primary channel's `irq`, "
                "irq[1] from the secondary's" },
    { NULL, 0, NULL },
};

/* ---- interrupts ---- */

/* MRDMODE holds the channel interrupt bits; CFR and ARTTIM23 show the same bits. */
static void mirror_from_mrdmode(cmd646 *s)
{
    uint8_t *c = s->cfg;
    c[CFR] = (uint8_t)((c[CFR] & ~CFR_INTR_CH0) | (c[MRDMODE] & MRDMODE_INTR_CH0 ? CFR_INTR_CH0 : 0));
    c[ARTTIM23] = (uint8_t)((c[ARTTIM23] & ~ARTTIM23_INTR_CH1) |
                            (c[MRDMODE] & MRDMODE_INTR_CH1 ? ARTTIM23_INTR_CH1 : 0));
}

static void mirror_to_mrdmode(cmd646 *s)
{
    uint8_t *c = s->cfg;
    c[MRDMODE] = (uint8_t)((c[MRDMODE] & ~(MRDMODE_INTR_CH0 | MRDMODE_INTR_CH1)) |
                           (c[CFR] & CFR_INTR_CH0 ? MRDMODE_INTR_CH0 : 0) |
                           (c[ARTTIM23] & ARTTIM23_INTR_CH1 ? MRDMODE_INTR_CH1 : 0));
}

static void update_intx(cmd646 *s)
{
    uint8_t m = s->cfg[MRDMODE];
    int level = ((m & MRDMODE_INTR_CH0) && !(m & MRDMODE_BLK_CH0)) ||
                ((m & MRDMODE_INTR_CH1) && !(m & MRDMODE_BLK_CH1));
    s->pci->set_irq(s->fn, level);
}

/* A channel's INTRQ: a rising level latches its interrupt bit (the guest clears it by
   writing 1), a falling one clears it, as the chip follows the drive's line. */
static void cmd646_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    cmd646 *s = (cmd646 *)dev;
    (void)line;
    if (index > 1 || !s->fn)
        return;
    uint8_t bit = (uint8_t)(MRDMODE_INTR_CH0 << index);
    if (level) {
        s->cfg[MRDMODE] |= bit;
        s->bm[index].status |= BM_ST_INTR;
    } else {
        s->cfg[MRDMODE] &= (uint8_t)~bit;
    }
    mirror_from_mrdmode(s);
    update_intx(s);
}

static void cmd646_config_written(void *opaque, unsigned reg, uint32_t value, unsigned size)
{
    cmd646 *s = opaque;
    (void)value;
    for (unsigned r = reg; r < reg + size; r++) {
        if (r == CFR || r == ARTTIM23)
            mirror_to_mrdmode(s);
        else if (r == MRDMODE)
            mirror_from_mrdmode(s);
    }
    update_intx(s);
}

static const emu_pci_function_ops cmd646_fn_ops = {
    .struct_size = sizeof(emu_pci_function_ops),
    .config_written = cmd646_config_written,
};

/* ---- the bus-master engine ---- */

static bool bm_started(void *opaque, unsigned channel)
{
    cmd646 *s = opaque;
    return s->bm[channel].cmd & BM_CMD_START;
}

static size_t bm_transfer(void *opaque, unsigned channel, uint8_t *buf, size_t len, bool to_memory)
{
    cmd646 *s = opaque;
    bm_channel *bm = &s->bm[channel];
    if (!(bm->cmd & BM_CMD_START))
        return 0;
    if (to_memory != !!(bm->cmd & BM_CMD_READ)) {
        emu_log(&s->dev, EMU_LOG_GUEST, "channel %u: the bus master was started to %s memory "
                "but the drive's command %s it", channel, to_memory ? "read" : "write",
                to_memory ? "writes" : "reads");
        return 0;
    }
    size_t moved = 0;
    while (moved < len) {
        if (!bm->left) {
            if (bm->eot)
                break;   /* the table is used up */
            uint8_t e[8];
            if (s->pci->dma_read(s->fn, bm->next, e, sizeof e) < 0) {
                bm->status |= BM_ST_ERROR;
                break;
            }
            bm->addr = (uint32_t)(e[0] | e[1] << 8 | e[2] << 16 | (uint32_t)e[3] << 24) & ~1u;
            bm->left = (uint32_t)(e[4] | e[5] << 8) & ~1u;
            if (!bm->left)
                bm->left = 0x10000;   /* a count of 0 means 64 KiB */
            bm->eot = e[7] & 0x80;
            bm->next += 8;
        }
        size_t n = len - moved < bm->left ? len - moved : bm->left;
        int rc = to_memory ? s->pci->dma_write(s->fn, bm->addr, buf + moved, n)
                           : s->pci->dma_read(s->fn, bm->addr, buf + moved, n);
        if (rc < 0) {
            bm->status |= BM_ST_ERROR;
            break;
        }
        bm->addr += (uint32_t)n;
        bm->left -= (uint32_t)n;
        moved += n;
    }
    return moved;
}

/* The engine stays active after a complete transfer only when the table had more room. */
static void bm_finished(void *opaque, unsigned channel, bool complete)
{
    cmd646 *s = opaque;
    bm_channel *bm = &s->bm[channel];
    if (!complete || (!bm->left && bm->eot))
        bm->status &= (uint8_t)~BM_ST_ACTIVE;
}

static const ide_bus_master cmd646_bus_master = { bm_started, bm_transfer, bm_finished };

/* ---- bus-master registers (BAR4): per channel command, MRDMODE, status, UDIDETCR, PRD ---- */

static uint64_t bm_read(void *opaque, uint64_t off, unsigned size)
{
    cmd646 *s = opaque;
    bm_channel *bm = &s->bm[off >> 3];
    unsigned reg = (unsigned)(off & 7);
    if (reg >= 4) {
        if (size == 4 && reg == 4)
            return bm->prd;
        return (bm->prd >> (8 * (reg - 4))) & ((1ull << (8 * size)) - 1);
    }
    if (size != 1)
        return (1ull << (8 * size)) - 1;   /* the chip decodes these as byte registers */
    switch (reg) {
    case 0: return bm->cmd;
    case 1: return s->cfg[MRDMODE];
    case 2: return bm->status;
    default: return s->cfg[bm->index ? UDIDETCR1 : UDIDETCR0];
    }
}

static void bm_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    cmd646 *s = opaque;
    bm_channel *bm = &s->bm[off >> 3];
    unsigned reg = (unsigned)(off & 7);
    if (reg >= 4) {
        unsigned shift = 8 * (reg - 4);
        uint32_t mask = (uint32_t)(((1ull << (8 * size)) - 1) << shift);
        bm->prd = (bm->prd & ~mask) | ((uint32_t)(value << shift) & mask);
        bm->prd &= ~3u;   /* the table is dword aligned */
        return;
    }
    if (size != 1)
        return;
    uint8_t v = (uint8_t)value;
    switch (reg) {
    case 0: {
        /* START from the top of the table; a DMA command already waiting moves now.  The
           direction cannot change while the engine runs. */
        bool start = (v & BM_CMD_START) && !(bm->cmd & BM_CMD_START);
        if (bm->cmd & BM_CMD_START)
            v = (uint8_t)((v & BM_CMD_START) | (bm->cmd & BM_CMD_READ));
        bm->cmd = v & (BM_CMD_START | BM_CMD_READ);
        if (!(v & BM_CMD_START)) {
            bm->status &= (uint8_t)~BM_ST_ACTIVE;
        } else if (start) {
            bm->status |= BM_ST_ACTIVE;
            bm->next = bm->prd;
            bm->left = 0;
            bm->eot = false;
            ide_channel *ch = (ide_channel *)s->chan[bm->index];
            if (ch)
                ata_dma_run(&ch->drive[ch->cur]);
        }
        break;
    }
    case 1:   /* the interrupt blocking bits of MRDMODE */
        s->cfg[MRDMODE] = (uint8_t)((s->cfg[MRDMODE] & ~(MRDMODE_BLK_CH0 | MRDMODE_BLK_CH1)) |
                                    (v & (MRDMODE_BLK_CH0 | MRDMODE_BLK_CH1)));
        update_intx(s);
        break;
    case 2:   /* error and interrupt are write-1-to-clear, the DMA capable bits plain */
        bm->status = (uint8_t)((bm->status & BM_ST_ACTIVE) | (v & BM_ST_DMA_CAP) |
                               (bm->status & ~v & (BM_ST_ERROR | BM_ST_INTR)));
        break;
    default:
        s->cfg[bm->index ? UDIDETCR1 : UDIDETCR0] = v;
        break;
    }
}

static const emu_mmio_ops bm_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = bm_read, .write = bm_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4,
};

/* ---- lifecycle ---- */

/* BAR `index` of channel `ch`'s command block: the `ide` device's own "cmd" region. */
static int channel_bars(cmd646 *s, unsigned ch, emu_error **err)
{
    emu_device *ide = s->chan[ch];
    const char *link = ch ? "secondary" : "primary";
    emu_region *cmd = emu_device_region(ide, "cmd"), *ctl = emu_device_region(ide, "ctl");
    if (!cmd || !ctl) {
        emu_error_set(err, "%s: channel '%s' has no registers yet (list it before '%s' in the "
                      "machine file)", link, ide->id, s->dev.id);
        return -1;
    }
    /* Its registers appear where the guest puts the BARs; mapped elsewhere too, they could
       never be placed there. */
    if (emu_region_is_mapped(cmd) || emu_region_is_mapped(ctl)) {
        emu_error_set(err, "%s: channel '%s' has its registers mapped by the machine file; the "
                      "controller's BARs place them (remove its map:)", link, ide->id);
        return -1;
    }
    /* The control block BAR is 4 ports; the channel's one register sits at +2. */
    char name[96];
    snprintf(name, sizeof name, "%s.ctl%u", s->dev.id, ch);
    emu_region *block = emu_region_container(s->dev.machine, name, 4);
    snprintf(name, sizeof name, "%s.ctl%u.reg", s->dev.id, ch);
    emu_region *alias = emu_region_alias(s->dev.machine, name, ctl, 0, 1);
    if (!block || !alias || emu_region_map(block, 2, alias, 0, err) < 0) {
        if (err && !*err)
            emu_error_set(err, "cannot build the control block of channel %u", ch);
        return -1;
    }
    if (s->pci->bar(s->fn, 2 * ch, EMU_PCI_BAR_IO, 8, cmd, err) < 0 ||
        s->pci->bar(s->fn, 2 * ch + 1, EMU_PCI_BAR_IO, 4, block, err) < 0) {
        emu_error_prefix(err, "%s '%s'", link, ide->id);
        return -1;
    }
    return 0;
}

static int cmd646_realize(emu_device *dev, emu_error **err)
{
    cmd646 *s = (cmd646 *)dev;
    if (!(s->pci = emu_pci_bus(s->bus))) {
        emu_error_set(err, "bus: '%s' is not a PCI bus", s->bus->id);
        return -1;
    }
    if (s->chan[0] == s->chan[1]) {
        emu_error_set(err, "primary and secondary are both '%s': each channel is its own "
                      "`ide` device", s->chan[0]->id);
        return -1;
    }
    s->fn = s->pci->attach(s->bus, dev, (int)s->devfn, &cmd646_fn_ops, s, err);
    if (!s->fn)
        return -1;
    uint8_t *c = s->cfg = s->pci->config(s->fn);
    uint8_t *wmask = s->pci->wmask(s->fn), *w1c = s->pci->w1cmask(s->fn);
    emu_pci_set_word(c + EMU_PCI_VENDOR_ID, 0x1095);
    emu_pci_set_word(c + EMU_PCI_DEVICE_ID, 0x0646);
    c[EMU_PCI_REVISION_ID] = 0x07;
    c[EMU_PCI_CLASS_PROG] = 0x8f;   /* both channels in native mode, bus master */
    emu_pci_set_word(c + EMU_PCI_CLASS_DEVICE, 0x0101);
    c[EMU_PCI_INTERRUPT_PIN] = 1;
    c[CNTRL] = CNTRL_EN_CH0 | (s->chan[1] ? CNTRL_EN_CH1 : 0);
    /* The interrupt bits are cleared by writing 1; the rest of these registers is read-only
       here (timing registers keep what the guest writes). */
    wmask[CFR] = 0, w1c[CFR] = CFR_INTR_CH0;
    wmask[CNTRL] = 0;
    wmask[ARTTIM23] = (uint8_t)~ARTTIM23_INTR_CH1, w1c[ARTTIM23] = ARTTIM23_INTR_CH1;
    wmask[MRDMODE] = MRDMODE_BLK_CH0 | MRDMODE_BLK_CH1;
    w1c[MRDMODE] = MRDMODE_INTR_CH0 | MRDMODE_INTR_CH1;
    for (unsigned i = 0; i < 2; i++) {
        s->bm[i].chip = s;
        s->bm[i].index = i;
        if (s->chan[i] && channel_bars(s, i, err) < 0)
            return -1;
        if (s->chan[i])
            ide_attach_bus_master((ide_channel *)s->chan[i], &cmd646_bus_master, s, i);
    }
    char name[96];
    snprintf(name, sizeof name, "%s.bmdma", dev->id);
    emu_region *bm = emu_region_mmio(dev->machine, name, 16, &bm_ops, s);
    if (!bm || s->pci->bar(s->fn, 4, EMU_PCI_BAR_IO, 16, bm, err) < 0) {
        if (err && !*err)
            emu_error_set(err, "cannot create the bus-master registers");
        return -1;
    }
    return 0;
}

/* A bus-master channel's state as snapshot fields, each with the largest value it can hold. */
enum { BM_FIELDS = 7 };
static const struct { const char *name; uint64_t max; } bm_field[BM_FIELDS] = {
    { "command", BM_CMD_START | BM_CMD_READ },
    { "status", BM_ST_ACTIVE | BM_ST_ERROR | BM_ST_INTR | BM_ST_DMA_CAP },
    { "prd", 0xfffffffc },
    { "next", 0xffffffff },
    { "addr", 0xffffffff },
    { "left", 0x10000 },
    { "eot", 1 },
};

static void bm_get(const bm_channel *bm, uint64_t v[BM_FIELDS])
{
    v[0] = bm->cmd, v[1] = bm->status, v[2] = bm->prd, v[3] = bm->next;
    v[4] = bm->addr, v[5] = bm->left, v[6] = bm->eot;
}

static void bm_set(bm_channel *bm, const uint64_t v[BM_FIELDS])
{
    bm->cmd = (uint8_t)v[0], bm->status = (uint8_t)v[1], bm->prd = (uint32_t)v[2];
    bm->next = (uint32_t)v[3], bm->addr = (uint32_t)v[4], bm->left = (uint32_t)v[5];
    bm->eot = v[6] != 0;
}

static void cmd646_reset(emu_device *dev)
{
    cmd646 *s = (cmd646 *)dev;
    static const uint64_t zero[BM_FIELDS];
    for (unsigned i = 0; i < 2; i++)
        bm_set(&s->bm[i], zero);
}

/* The configuration space (interrupt bits included) is saved by the bus. */
static int cmd646_save(emu_device *dev, emu_state_writer *w)
{
    cmd646 *s = (cmd646 *)dev;
    for (unsigned i = 0; i < 2; i++) {
        uint64_t v[BM_FIELDS];
        bm_get(&s->bm[i], v);
        for (unsigned f = 0; f < BM_FIELDS; f++) {
            char name[32];
            snprintf(name, sizeof name, "bm%u-%s", i, bm_field[f].name);
            emu_state_put_u64(w, name, v[f]);
        }
    }
    return 0;
}

static int cmd646_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    cmd646 *s = (cmd646 *)dev;
    uint64_t v[2][BM_FIELDS];
    for (unsigned i = 0; i < 2; i++) {
        for (unsigned f = 0; f < BM_FIELDS; f++) {
            char name[32];
            snprintf(name, sizeof name, "bm%u-%s", i, bm_field[f].name);
            if (state_get(r, dev, name, bm_field[f].max, &v[i][f], err) < 0)
                return -1;
        }
        if (v[i][2] & 3) {
            emu_error_set(err, "cmd646 state: bm%u-prd = 0x%" PRIx64 " is not dword aligned", i,
                          v[i][2]);
            return -1;
        }
    }
    for (unsigned i = 0; i < 2; i++)
        bm_set(&s->bm[i], v[i]);
    return 0;
}

const emu_type cmd646_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "cmd646",
    .summary = "CMD646 PCI IDE controller: two `ide` channels, bus-master DMA",
    .instance_size = sizeof(cmd646),
    .props = cmd646_props,
    .inputs = cmd646_inputs,
    .realize = cmd646_realize,
    .reset = cmd646_reset,
    .set_input = cmd646_set_input,
    .save = cmd646_save,
    .load = cmd646_load,
};
