/* ISA DMA: two cascaded 8237 DMA controllers and the page registers, as in PC/AT chipsets and
 * the PReP SIO (82378): channels 0-3 move bytes (ports 0x00-0x0F), channels 5-7 move 16-bit
 * words (ports 0xC0-0xDF, registers on even ports), channel 4 cascades the first controller
 * into the second; page registers (0x80-0x8F) give address bits 16-23.  Devices move their
 * data through the emu/isa-dma.h interface; the guest's programming decides where it goes,
 * and every address is checked against the DMA space. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/isa-dma.h"
#include "../state-fields.h"

/* Controller registers (port offset >> shift). */
enum {
    R_STATUS_COMMAND = 8, R_REQUEST, R_SINGLE_MASK, R_MODE, R_CLEAR_FLIPFLOP, R_TEMP_MASTER_CLEAR,
    R_CLEAR_MASK, R_ALL_MASK,
};
#define CMD_MEM_TO_MEM 0x01
#define CMD_DISABLE    0x04
#define MODE_OP(m)     (((m) >> 2) & 3)
#define MODE_AUTOINIT  0x10
#define MODE_DECREMENT 0x20
#define MODE_CASCADE   0xc0
enum { OP_VERIFY, OP_WRITE, OP_READ, OP_ILLEGAL };

/* Page register (port 0x80 + n) of each channel; channel 4 (cascade) has 0x8F. */
static const uint8_t page_of_channel[8] = { 0x7, 0x3, 0x1, 0x2, 0xf, 0xb, 0x9, 0xa };

typedef struct dma_channel {
    uint16_t base_addr, base_count, addr, count;
    uint8_t mode;
} dma_channel;

typedef struct dma_ctrl {
    dma_channel ch[4];
    uint8_t command, mask, tc, soft_request, flipflop;
} dma_ctrl;

typedef struct isa_dma {
    emu_device dev;
    char *space_name;
    uint64_t base;
    emu_space *space;
    dma_ctrl ctrl[2];          /* [0]: channels 0-3, [1]: channels 4-7 */
    uint8_t page[16];
    uint8_t dreq;              /* DREQ lines of channels 0-7 */
} isa_dma;

static const emu_prop_desc dma_props[] = {
    EMU_PROP_STRING_DEF("dma-space", isa_dma, space_name, "system",
                        "address space the channels read and write"),
    EMU_PROP_ADDR_DEF("dma-base", isa_dma, base, "0",
                      "where ISA address 0 is in that space (PReP, PC: 0, RAM at 0)"),
    EMU_PROP_END,
};

static const emu_region_desc dma_regions[] = {
    { "ctrl8", "first 8237, channels 0-3, 16 byte ports (PC, PReP: at 0x00)" },
    { "ctrl16", "second 8237, channels 4-7, registers on even ports, 32 bytes (PC, PReP: at 0xC0)" },
    { "page", "16 page registers, read/write (PC, PReP: at 0x80); 0x87, 0x83, 0x81, 0x82 are "
              "channels 0-3's address bits 16-23, 0x8B, 0x89, 0x8A channels 5-7's (bit 16 "
              "unused: word channels take A16 from their address register)" },
    { NULL, NULL },
};

/* ---- the guest's ports ---- */

static uint8_t status_of(isa_dma *d, unsigned c)
{
    unsigned requests = ((d->dreq >> (4 * c)) & 0x0f) | d->ctrl[c].soft_request;
    return (uint8_t)(d->ctrl[c].tc | requests << 4);
}

static void master_clear(dma_ctrl *c)
{
    c->command = 0;
    c->mask = 0x0f;
    c->tc = 0;
    c->soft_request = 0;
    c->flipflop = 0;
}

static uint8_t ctrl_read(isa_dma *d, unsigned c, unsigned reg)
{
    dma_ctrl *k = &d->ctrl[c];
    if (reg < 8) {
        dma_channel *ch = &k->ch[reg >> 1];
        uint16_t v = reg & 1 ? ch->count : ch->addr;
        uint8_t b = k->flipflop ? (uint8_t)(v >> 8) : (uint8_t)v;
        k->flipflop ^= 1;
        return b;
    }
    switch (reg) {
    case R_STATUS_COMMAND: {
        uint8_t v = status_of(d, c);
        k->tc = 0;   /* terminal count bits clear when read */
        return v;
    }
    case R_ALL_MASK:
        return k->mask;   /* readable on the 82378 */
    case R_TEMP_MASTER_CLEAR:
        return 0;         /* temporary register: memory-to-memory transfers are not done */
    default:
        emu_log(&d->dev, EMU_LOG_GUEST, "DMA %u: read of write-only register %u answers 0", c + 1,
                reg);
        return 0;
    }
}

static void ctrl_write(isa_dma *d, unsigned c, unsigned reg, uint8_t v)
{
    dma_ctrl *k = &d->ctrl[c];
    if (reg < 8) {
        dma_channel *ch = &k->ch[reg >> 1];
        uint16_t *base = reg & 1 ? &ch->base_count : &ch->base_addr;
        uint16_t *cur = reg & 1 ? &ch->count : &ch->addr;
        *base = k->flipflop ? (uint16_t)((*base & 0x00ff) | v << 8) : (uint16_t)((*base & 0xff00) | v);
        *cur = *base;   /* writing a base register writes the current one too */
        k->flipflop ^= 1;
        return;
    }
    switch (reg) {
    case R_STATUS_COMMAND:
        if (v & CMD_MEM_TO_MEM)
            emu_log(&d->dev, EMU_LOG_UNIMP, "DMA %u: memory-to-memory transfers are not done",
                    c + 1);
        k->command = v;
        break;
    case R_REQUEST:
        if (v & 4)
            k->soft_request |= (uint8_t)(1u << (v & 3));
        else
            k->soft_request &= (uint8_t)~(1u << (v & 3));
        break;
    case R_SINGLE_MASK:
        if (v & 4)
            k->mask |= (uint8_t)(1u << (v & 3));
        else
            k->mask &= (uint8_t)~(1u << (v & 3));
        break;
    case R_MODE:
        k->ch[v & 3].mode = v;
        break;
    case R_CLEAR_FLIPFLOP:
        k->flipflop = 0;
        break;
    case R_TEMP_MASTER_CLEAR:
        master_clear(k);
        break;
    case R_CLEAR_MASK:
        k->mask = 0;
        break;
    case R_ALL_MASK:
        k->mask = v & 0x0f;
        break;
    }
}

static uint64_t ctrl8_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return ctrl_read(opaque, 0, (unsigned)off & 15);
}

static void ctrl8_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)size;
    ctrl_write(opaque, 0, (unsigned)off & 15, (uint8_t)value);
}

/* The second controller's address lines start at A1: odd ports alias the even ones. */
static uint64_t ctrl16_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return ctrl_read(opaque, 1, (unsigned)(off >> 1) & 15);
}

static void ctrl16_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)size;
    ctrl_write(opaque, 1, (unsigned)(off >> 1) & 15, (uint8_t)value);
}

static uint64_t page_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return ((isa_dma *)opaque)->page[off & 15];
}

static void page_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)size;
    ((isa_dma *)opaque)->page[off & 15] = (uint8_t)value;
}

static const emu_mmio_ops ctrl8_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = ctrl8_read, .write = ctrl8_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 1,
};
static const emu_mmio_ops ctrl16_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = ctrl16_read, .write = ctrl16_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 1,
};
static const emu_mmio_ops page_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = page_read, .write = page_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 1,
};

/* ---- transfers for devices ---- */

static void dma_request(emu_device *dev, unsigned channel, int level)
{
    isa_dma *d = (isa_dma *)dev;
    if (channel >= 8)
        return;
    if (level)
        d->dreq |= (uint8_t)(1u << channel);
    else
        d->dreq &= (uint8_t)~(1u << channel);
}

/* Why a channel cannot move data now, or NULL. */
static const char *channel_blocked(const isa_dma *d, unsigned channel)
{
    const dma_ctrl *k = &d->ctrl[channel / 4];
    unsigned i = channel % 4;
    if (channel == 4)
        return "channel 4 is the cascade";
    if (k->command & CMD_DISABLE)
        return "the controller is disabled";
    if (k->mask & (1u << i))
        return "the channel is masked";
    if ((k->ch[i].mode & MODE_CASCADE) == MODE_CASCADE)
        return "the channel is in cascade mode";
    /* The first controller reaches the bus through the second's channel 4. */
    if (channel < 4 && ((d->ctrl[1].mask & 1) || (d->ctrl[1].command & CMD_DISABLE)))
        return "the cascade channel 4 is masked or its controller disabled";
    return NULL;
}

static size_t dma_transfer(emu_device *dev, unsigned channel, void *buf, size_t len,
                           bool to_memory, bool *tc)
{
    isa_dma *d = (isa_dma *)dev;
    if (tc)
        *tc = false;
    if (channel >= 8)
        return 0;
    dma_ctrl *k = &d->ctrl[channel / 4];
    unsigned i = channel % 4;
    dma_channel *ch = &k->ch[i];
    const char *blocked = channel_blocked(d, channel);
    if (blocked) {
        emu_log(dev, EMU_LOG_TRACE, "channel %u: nothing moves (%s)", channel, blocked);
        return 0;
    }
    unsigned op = MODE_OP(ch->mode);
    if (op == OP_ILLEGAL || (op == OP_WRITE && !to_memory) || (op == OP_READ && to_memory)) {
        emu_log(dev, EMU_LOG_GUEST, "channel %u: the device %s memory but the mode register "
                "(0x%02x) says %s", channel, to_memory ? "writes" : "reads", ch->mode,
                op == OP_ILLEGAL ? "an illegal transfer type" : "the other direction");
        return 0;
    }
    unsigned unit = channel < 4 ? 1 : 2;
    uint8_t page = d->page[page_of_channel[channel]];
    uint8_t *p = buf;
    size_t moved = 0;
    bool unassigned_logged = false;
    while (len - moved >= unit) {
        uint64_t isa = channel < 4 ? (uint64_t)page << 16 | ch->addr
                                   : (uint64_t)(page & 0xfe) << 16 | (uint64_t)ch->addr << 1;
        uint64_t at = d->base + isa;
        int r = 0;
        if (op == OP_WRITE)
            r = emu_space_write_bytes(d->space, at, p + moved, unit, false);
        else if (op == OP_READ && (r = emu_space_read_bytes(d->space, at, p + moved, unit)) < 0)
            memset(p + moved, 0xff, unit);
        if (r < 0 && !unassigned_logged) {
            emu_log(dev, EMU_LOG_GUEST, "channel %u: ISA address 0x%06" PRIx64 " reaches no "
                    "memory", channel, isa);
            unassigned_logged = true;
        }
        ch->addr = (uint16_t)(ch->addr + ((ch->mode & MODE_DECREMENT) ? -1 : 1));
        moved += unit;
        if (ch->count-- == 0) {   /* the count holds transfers - 1: TC as it passes 0 */
            k->tc |= (uint8_t)(1u << i);
            k->soft_request &= (uint8_t)~(1u << i);
            if (ch->mode & MODE_AUTOINIT) {
                ch->addr = ch->base_addr;
                ch->count = ch->base_count;
            } else {
                k->mask |= (uint8_t)(1u << i);
            }
            if (tc)
                *tc = true;
            break;
        }
    }
    return moved;
}

static const emu_isa_dma_ops dma_ops = {
    .struct_size = sizeof(emu_isa_dma_ops),
    .request = dma_request,
    .transfer = dma_transfer,
};

static const emu_iface dma_ifaces[] = {
    { EMU_ISA_DMA_IFACE, &dma_ops },
    { NULL, NULL },
};

/* ---- lifecycle ---- */

static int dma_realize(emu_device *dev, emu_error **err)
{
    isa_dma *d = (isa_dma *)dev;
    if (!(d->space = emu_machine_space(dev->machine, d->space_name))) {
        emu_error_set(err, "dma-space: no address space '%s' (declare it under spaces:)",
                      d->space_name);
        return -1;
    }
    if (!emu_device_mmio(dev, "ctrl8", 16, &ctrl8_ops, d) ||
        !emu_device_mmio(dev, "ctrl16", 32, &ctrl16_ops, d) ||
        !emu_device_mmio(dev, "page", 16, &page_ops, d)) {
        emu_error_set(err, "cannot create the DMA controllers' ports");
        return -1;
    }
    return 0;
}

/* Reset (the SIO's PCIRST#): as a master clear of both controllers; all channels masked. */
static void dma_reset(emu_device *dev)
{
    isa_dma *d = (isa_dma *)dev;
    master_clear(&d->ctrl[0]);
    master_clear(&d->ctrl[1]);
}

/* ---- snapshots ---- */

static int dma_save(emu_device *dev, emu_state_writer *w)
{
    isa_dma *d = (isa_dma *)dev;
    for (unsigned c = 0; c < 2; c++) {
        dma_ctrl *k = &d->ctrl[c];
        char name[32];
        for (unsigned i = 0; i < 4; i++) {
            dma_channel *ch = &k->ch[i];
            snprintf(name, sizeof name, "channel%u", 4 * c + i);
            emu_state_put_u64(w, name, (uint64_t)ch->base_addr | (uint64_t)ch->base_count << 16 |
                                       (uint64_t)ch->addr << 32 | (uint64_t)ch->count << 48);
            snprintf(name, sizeof name, "channel%u.mode", 4 * c + i);
            emu_state_put_u64(w, name, ch->mode);
        }
        snprintf(name, sizeof name, "dma%u", c + 1);
        emu_state_put_u64(w, name, (uint64_t)k->command | (uint64_t)k->mask << 8 |
                                   (uint64_t)k->tc << 16 | (uint64_t)k->soft_request << 24 |
                                   (uint64_t)k->flipflop << 32);
    }
    emu_state_put_bytes(w, "pages", d->page, sizeof d->page);
    emu_state_put_u64(w, "dreq", d->dreq);
    return 0;
}

static int dma_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    isa_dma *d = (isa_dma *)dev;
    dma_ctrl ctrl[2];
    uint8_t page[16];
    uint64_t dreq;
    for (unsigned c = 0; c < 2; c++) {
        char name[32];
        uint64_t v;
        for (unsigned i = 0; i < 4; i++) {
            dma_channel *ch = &ctrl[c].ch[i];
            snprintf(name, sizeof name, "channel%u", 4 * c + i);
            if (state_get(r, dev, name, UINT64_MAX, &v, err) < 0)
                return -1;
            ch->base_addr = (uint16_t)v;
            ch->base_count = (uint16_t)(v >> 16);
            ch->addr = (uint16_t)(v >> 32);
            ch->count = (uint16_t)(v >> 48);
            snprintf(name, sizeof name, "channel%u.mode", 4 * c + i);
            if (state_get(r, dev, name, 0xff, &v, err) < 0)
                return -1;
            /* The mode register's low two bits select the channel it is written to. */
            if ((v & 3) != i && v != 0) {
                emu_error_set(err, "isa-dma state: %s = 0x%02x names channel %u", name,
                              (unsigned)v, 4 * c + (unsigned)(v & 3));
                return -1;
            }
            ch->mode = (uint8_t)v;
        }
        snprintf(name, sizeof name, "dma%u", c + 1);
        if (state_get(r, dev, name, 0x10f0f0fffull, &v, err) < 0)
            return -1;
        ctrl[c].command = (uint8_t)v;
        ctrl[c].mask = (uint8_t)(v >> 8);
        ctrl[c].tc = (uint8_t)(v >> 16);
        ctrl[c].soft_request = (uint8_t)(v >> 24);
        ctrl[c].flipflop = (uint8_t)(v >> 32);
        if ((ctrl[c].mask | ctrl[c].tc | ctrl[c].soft_request) > 0x0f || ctrl[c].flipflop > 1) {
            emu_error_set(err, "isa-dma state: %s holds a mask, terminal count or request bit "
                          "above channel 3, or a flip-flop above 1", name);
            return -1;
        }
    }
    if (state_get_bytes(r, dev, "pages", page, sizeof page, err) < 0 ||
        state_get(r, dev, "dreq", 0xff, &dreq, err) < 0)
        return -1;
    memcpy(d->ctrl, ctrl, sizeof ctrl);
    memcpy(d->page, page, sizeof page);
    d->dreq = (uint8_t)dreq;
    return 0;
}

static const emu_type dma_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "isa-dma",
    .summary = "ISA DMA: two cascaded 8237 controllers and the page registers",
    .instance_size = sizeof(isa_dma),
    .props = dma_props,
    .regions = dma_regions,
    .realize = dma_realize,
    .reset = dma_reset,
    .save = dma_save,
    .load = dma_load,
    .kind_ops = dma_ifaces,
};

static const emu_type *const dma_types[] = { &dma_type, NULL };

EMU_PLUGIN(isa_dma) = {
    EMU_PLUGIN_HEADER, "isa-dma", "1.0", "ISA DMA controllers (8237 pair)", dma_types,
};
