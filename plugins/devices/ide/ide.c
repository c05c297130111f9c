/* An IDE channel (ISA style: command block at 0x1F0, control at 0x3F6) with a master and a
 * slave drive, each an ATA disk or an ATAPI CD-ROM backed by a block device: the task file,
 * PIO data transfers, interrupts, software reset and device signatures; behind a PCI
 * controller (cmd646.c) its disks also move data by bus-master DMA.  Register behaviour
 * with absent drives is QEMU's, which OpenBIOS's probe relies on. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ide-internal.h"

static const char *const media_choices[] = { "disk", "cdrom", NULL };

static const emu_prop_desc ide_props[] = {
    EMU_PROP_BLOCK_DEF("master", ide_channel, blk_prop[0], "image of drive 0 (optional)"),
    EMU_PROP_ENUM_DEF("master-media", ide_channel, media_prop[0], "disk", media_choices,
                      "drive 0 is an ATA disk or an ATAPI CD-ROM (a CD-ROM drive may be empty)"),
    EMU_PROP_BLOCK_DEF("slave", ide_channel, blk_prop[1], "image of drive 1 (optional)"),
    EMU_PROP_ENUM_DEF("slave-media", ide_channel, media_prop[1], "disk", media_choices,
                      "drive 1 is an ATA disk or an ATAPI CD-ROM"),
    EMU_PROP_END,
};

static const emu_region_desc ide_regions[] = {
    { "cmd", "command block, 8 bytes: data, error/features, count, LBA, device, status/command "
             "(primary: at 0x1F0)" },
    { "ctl", "alternate status / device control, 1 byte (primary: at 0x3F6)" },
    { NULL, NULL },
};

static const emu_line_desc ide_outputs[] = {
    { "irq", 1, "INTRQ (primary: ISA IRQ 14)" },
    { NULL, 0, NULL },
};

/* ---- helpers the command sets use ---- */

void ide_update_line(ide_channel *ch)
{
    emu_line_set(ch->irq, ch->irq_pending && !(ch->ctl & CTL_NIEN));
}

void ide_irq(ide_channel *ch)
{
    ch->irq_pending = true;
    ide_update_line(ch);
}

void ide_abort(ide_drive *d)
{
    d->error = ER_ABRT;
    d->status = ST_DRDY | ST_ERR;
    d->dir = XFER_NONE;
    ide_irq(d->ch);
}

void ide_complete(ide_drive *d)
{
    d->status = ST_DRDY | ST_DSC;
    d->dir = XFER_NONE;
    ide_irq(d->ch);
}

void ide_pio_in(ide_drive *d, unsigned len, void (*done)(ide_drive *d))
{
    d->pos = 0;
    d->end = len;
    d->dir = XFER_IN;
    d->done = done;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    ide_irq(d->ch);
}

/* The first block of a PIO write is requested without an interrupt (ATA PIO data-out). */
void ide_pio_out(ide_drive *d, unsigned len, void (*done)(ide_drive *d))
{
    d->pos = 0;
    d->end = len;
    d->dir = XFER_OUT;
    d->done = done;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
}

void ide_set_signature(ide_drive *d)
{
    d->select &= (uint8_t)~0x0f;
    d->nsector = 1;
    d->sector = 1;
    if (d->cdrom && d->present) {
        d->lcyl = 0x14;
        d->hcyl = 0xeb;
    } else if (d->present) {
        d->lcyl = d->hcyl = 0;
    } else {
        d->lcyl = d->hcyl = 0xff;
    }
}

void ide_put_string(uint8_t *words, const char *s, unsigned len)
{
    size_t n = strlen(s);
    for (unsigned i = 0; i < len; i++)
        words[i ^ 1] = (uint8_t)(i < n ? s[i] : ' ');
}

void ide_attach_bus_master(ide_channel *ch, const ide_bus_master *bm, void *opaque,
                           unsigned channel)
{
    ch->bm = bm;
    ch->bm_opaque = opaque;
    ch->bm_channel = channel;
}

/* ---- reset ---- */

static void drive_reset(ide_drive *d)
{
    d->feature = d->error = d->nsector = d->sector = d->lcyl = d->hcyl = 0;
    d->hob_feature = d->hob_nsector = d->hob_sector = d->hob_lcyl = d->hob_hcyl = 0;
    d->select = DH_ALWAYS;
    d->status = ST_DRDY | ST_DSC;
    d->dir = XFER_NONE;
    d->pos = d->end = 0;
    d->mult = MAX_MULT;
    d->sense_key = d->asc = 0;
    ide_set_signature(d);
}

/* Software reset (SRST) and power-on reset run the devices' diagnostics. */
static void software_reset(ide_channel *ch)
{
    for (unsigned i = 0; i < 2; i++) {
        ide_drive *d = &ch->drive[i];
        drive_reset(d);
        d->select = DH_ALWAYS;
        ide_set_signature(d);
        d->error = 0x01;   /* diagnostics passed */
        d->status = d->cdrom ? 0 : ST_DRDY | ST_DSC;
    }
    ch->cur = 0;
}

/* ---- registers ---- */

static bool any_present(const ide_channel *ch)
{
    return ch->drive[0].present || ch->drive[1].present;
}

/* A status/error read from an absent slave, or from a channel with no drives, answers 0. */
static bool answers_zero(const ide_channel *ch)
{
    return !any_present(ch) || (ch->cur == 1 && !ch->drive[1].present);
}

static void exec_command(ide_channel *ch, uint8_t cmd)
{
    ide_drive *d = &ch->drive[ch->cur];
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&ch->dev, EMU_LOG_TRACE, "drive %u: command 0x%02x (count %u, lba %02x%02x%02x, "
                "device 0x%02x, features 0x%02x)", ch->cur, cmd, d->nsector, d->hcyl, d->lcyl,
                d->sector, d->select, d->feature);
    if (ch->cur == 1 && !d->present)
        return;   /* nobody answers for an absent slave */
    if ((d->status & (ST_BSY | ST_DRQ)) && !(cmd == 0x08 && d->cdrom))
        return;   /* only DEVICE RESET interrupts a packet device's command */
    ch->irq_pending = false;
    ide_update_line(ch);
    d->error = 0;
    d->dir = XFER_NONE;
    if (!d->present)
        ide_abort(d);
    else if (d->cdrom)
        atapi_exec(d, cmd);
    else
        ata_exec(d, cmd);
}

static uint32_t data_in(ide_drive *d, unsigned size)
{
    if (!(d->status & ST_DRQ) || d->dir != XFER_IN)
        return 0;
    unsigned n = size == 4 ? 4 : 2;
    if (d->pos + n > d->end)
        return 0;
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint32_t)d->buf[d->pos + i] << (8 * i);
    d->pos += n;
    if (d->pos >= d->end) {
        d->status &= (uint8_t)~ST_DRQ;
        d->dir = XFER_NONE;
        d->done(d);
    }
    return size == 1 ? v & 0xff : v;
}

static void data_out(ide_drive *d, uint32_t v, unsigned size)
{
    if (!(d->status & ST_DRQ) || d->dir != XFER_OUT)
        return;
    unsigned n = size == 4 ? 4 : 2;
    if (d->pos + n > d->end)
        return;
    for (unsigned i = 0; i < n; i++)
        d->buf[d->pos + i] = (uint8_t)(v >> (8 * i));
    d->pos += n;
    if (d->pos >= d->end) {
        d->status &= (uint8_t)~ST_DRQ;
        d->dir = XFER_NONE;
        d->done(d);
    }
}

static uint8_t reg_read(ide_channel *ch, unsigned reg)
{
    ide_drive *d = &ch->drive[ch->cur];
    bool hob = ch->ctl & CTL_HOB;
    switch (reg) {
    case 1: return answers_zero(ch) ? 0 : hob ? d->hob_feature : d->error;
    case 2: return !any_present(ch) ? 0 : hob ? d->hob_nsector : d->nsector;
    case 3: return !any_present(ch) ? 0 : hob ? d->hob_sector : d->sector;
    case 4: return !any_present(ch) ? 0 : hob ? d->hob_lcyl : d->lcyl;
    case 5: return !any_present(ch) ? 0 : hob ? d->hob_hcyl : d->hcyl;
    case 6: return !any_present(ch) ? 0 : d->select;
    default:   /* 7: status; reading it acknowledges the interrupt */
        ch->irq_pending = false;
        ide_update_line(ch);
        return answers_zero(ch) ? 0 : d->status;
    }
}

static void reg_write(ide_channel *ch, unsigned reg, uint8_t v)
{
    ide_drive *cur = &ch->drive[ch->cur];
    if (reg == 7) {
        ch->ctl &= (uint8_t)~CTL_HOB;
        exec_command(ch, v);
        return;
    }
    if (cur->status & (ST_BSY | ST_DRQ))
        return;   /* the command block is locked while a command runs */
    ch->ctl &= (uint8_t)~CTL_HOB;
    for (unsigned i = 0; i < 2; i++) {
        ide_drive *d = &ch->drive[i];
        switch (reg) {
        case 1: d->hob_feature = d->feature; d->feature = v; break;
        case 2: d->hob_nsector = d->nsector; d->nsector = v; break;
        case 3: d->hob_sector = d->sector; d->sector = v; break;
        case 4: d->hob_lcyl = d->lcyl; d->lcyl = v; break;
        case 5: d->hob_hcyl = d->hcyl; d->hcyl = v; break;
        case 6: d->select = v | DH_ALWAYS; break;
        }
    }
    if (reg == 6)
        ch->cur = (v & DH_DEV) ? 1 : 0;
}

static uint64_t cmd_read(void *opaque, uint64_t off, unsigned size)
{
    ide_channel *ch = opaque;
    if (off == 0)
        return data_in(&ch->drive[ch->cur], size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size && off + i < 8; i++)
        v |= (uint64_t)reg_read(ch, (unsigned)(off + i)) << (8 * i);
    return v;
}

static void cmd_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    ide_channel *ch = opaque;
    if (off == 0) {
        data_out(&ch->drive[ch->cur], (uint32_t)value, size);
        return;
    }
    for (unsigned i = 0; i < size && off + i < 8; i++)
        reg_write(ch, (unsigned)(off + i), (uint8_t)(value >> (8 * i)));
}

static const emu_mmio_ops cmd_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = cmd_read, .write = cmd_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4,
};

static uint64_t ctl_read(void *opaque, uint64_t off, unsigned size)
{
    ide_channel *ch = opaque;
    (void)off, (void)size;
    return answers_zero(ch) ? 0 : ch->drive[ch->cur].status;   /* alternate status */
}

static void ctl_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    ide_channel *ch = opaque;
    (void)off, (void)size;
    bool srst_rising = !(ch->ctl & CTL_SRST) && (value & CTL_SRST);
    ch->ctl = (uint8_t)value;
    if (srst_rising)
        software_reset(ch);
    ide_update_line(ch);
}

static const emu_mmio_ops ctl_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = ctl_read, .write = ctl_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 1,
};

/* ---- lifecycle ---- */

static int ide_realize(emu_device *dev, emu_error **err)
{
    ide_channel *ch = (ide_channel *)dev;
    for (unsigned i = 0; i < 2; i++) {
        ide_drive *d = &ch->drive[i];
        d->ch = ch;
        d->unit = i;
        d->blk = ch->blk_prop[i];
        d->cdrom = ch->media_prop[i] == 1;
        d->present = d->blk || d->cdrom;
        snprintf(d->model, sizeof d->model, "%s", d->cdrom ? "QEMU DVD-ROM" : "QEMU HARDDISK");
        snprintf(d->serial, sizeof d->serial, "QM%05u", i + 1);
        if (d->present && !(d->buf = calloc(1, BUF_SIZE))) {
            emu_error_set(err, "out of memory");
            return -1;
        }
        if (d->blk && !d->cdrom && emu_block_size(d->blk) < SECTOR) {
            emu_error_set(err, "%s: disk image '%s' is smaller than one 512-byte sector",
                          i ? "slave" : "master", emu_block_name(d->blk));
            return -1;
        }
        if (d->blk && !d->cdrom)
            ata_init_geometry(d);
    }
    if (ch->blk_prop[0] && ch->blk_prop[0] == ch->blk_prop[1]) {
        emu_error_set(err, "master and slave cannot share the block device '%s'",
                      emu_block_name(ch->blk_prop[0]));
        return -1;
    }
    ch->irq = emu_device_output(dev, "irq", 0);
    if (!emu_device_mmio(dev, "cmd", 8, &cmd_ops, ch) ||
        !emu_device_mmio(dev, "ctl", 1, &ctl_ops, ch)) {
        emu_error_set(err, "cannot create the channel's registers");
        return -1;
    }
    return 0;
}

static void ide_reset(emu_device *dev)
{
    ide_channel *ch = (ide_channel *)dev;
    for (unsigned i = 0; i < 2; i++) {
        ide_drive *d = &ch->drive[i];
        drive_reset(d);
        /* A software reset keeps the transfer mode and the geometry INITIALIZE DEVICE
           PARAMETERS set; this reset (power-on, or the bus's hardware reset when the machine
           is reset) brings back the defaults. */
        d->dma_mode = 0;
        if (d->blk && !d->cdrom)
            ata_init_geometry(d);
    }
    ch->cur = 0;
    ch->ctl = 0;
    ch->irq_pending = false;
    ide_update_line(ch);
}

static void ide_destroy(emu_device *dev)
{
    ide_channel *ch = (ide_channel *)dev;
    for (unsigned i = 0; i < 2; i++)
        free(ch->drive[i].buf);
}

static const emu_type ide_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "ide",
    .summary = "IDE channel with ATA disks and ATAPI CD-ROMs (ISA ports or PCI)",
    .instance_size = sizeof(ide_channel),
    .props = ide_props,
    .regions = ide_regions,
    .outputs = ide_outputs,
    .realize = ide_realize,
    .reset = ide_reset,
    .destroy = ide_destroy,
    .save = ide_state_save,
    .load = ide_state_load,
};

static const emu_type *const ide_types[] = { &ide_type, &cmd646_type, NULL };

EMU_PLUGIN(ide) = {
    EMU_PLUGIN_HEADER, "ide", "1.0", "IDE channels with ATA and ATAPI drives, CMD646 PCI IDE controller", ide_types,
};
