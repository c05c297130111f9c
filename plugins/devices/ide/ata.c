/* The ATA command set of an IDE disk: IDENTIFY, PIO reads and writes (single and multiple
 * sector, CHS, 28- and 48-bit LBA), verify, flush, geometry, power management no-ops.  Every
 * sector range is checked against the image.  READ/WRITE DMA (EXT) move their data through the
 * channel's bus master when it has one (a PCI controller), and are refused on a channel
 * without (the drive then offers no DMA mode in its IDENTIFY data either). */
#include <inttypes.h>
#include <string.h>
#include "ide-internal.h"

#define NO_LBA UINT64_MAX

static void put16(uint8_t *id, unsigned word, unsigned v)
{
    id[2 * word] = (uint8_t)v;
    id[2 * word + 1] = (uint8_t)(v >> 8);
}

/* The usual translation for an unpartitioned disk: 16 heads, 63 sectors, at most 16383
   cylinders (QEMU's guess_chs_for_size). */
void ata_init_geometry(ide_drive *d)
{
    d->sectors = emu_block_size(d->blk) / SECTOR;
    uint64_t cyls = d->sectors / (16 * 63);
    d->cyls = (unsigned)(cyls > 16383 ? 16383 : cyls < 2 ? 2 : cyls);
    d->heads = 16;
    d->secs = 63;
}

static void identify(ide_drive *d)
{
    uint8_t *id = d->buf;
    memset(id, 0, SECTOR);
    uint64_t chs = (uint64_t)d->cyls * d->heads * d->secs;
    uint64_t lba28 = d->sectors > 0x0fffffff ? 0x0fffffff : d->sectors;
    put16(id, 0, 0x0040);                 /* fixed disk */
    put16(id, 1, d->cyls);
    put16(id, 3, d->heads);
    put16(id, 6, d->secs);
    ide_put_string(id + 20, d->serial, 20);
    put16(id, 20, 3);
    put16(id, 21, 512);
    put16(id, 22, 4);
    ide_put_string(id + 46, "2.5+", 8);
    ide_put_string(id + 54, d->model, 40);
    put16(id, 47, 0x8000 | MAX_MULT);
    put16(id, 48, 1);                     /* 32-bit data transfers */
    /* IORDY, LBA, and DMA behind a bus master */
    put16(id, 49, (1 << 11) | (1 << 9) | (d->ch->bm ? 1 << 8 : 0));
    put16(id, 51, 0x200);
    put16(id, 53, d->ch->bm ? 7 : 3);     /* words 54-58, 64-70 (and 88) valid */
    put16(id, 54, d->cyls);
    put16(id, 55, d->heads);
    put16(id, 56, d->secs);
    put16(id, 57, (unsigned)(chs & 0xffff));
    put16(id, 58, (unsigned)(chs >> 16));
    if (d->mult)
        put16(id, 59, 0x100 | d->mult);
    put16(id, 60, (unsigned)(lba28 & 0xffff));
    put16(id, 61, (unsigned)(lba28 >> 16));
    if (d->ch->bm) {                      /* MWDMA 0-2, UDMA 0-5, and the one selected */
        unsigned mode = d->dma_mode & 7;
        put16(id, 63, 0x07 | ((d->dma_mode & 0xf8) == 0x20 ? 0x100u << mode : 0));
        put16(id, 88, 0x3f | ((d->dma_mode & 0xf8) == 0x40 ? 0x100u << mode : 0));
    }
    put16(id, 64, 0x03);                  /* PIO 3 and 4 */
    put16(id, 65, 120);
    put16(id, 66, 120);
    put16(id, 67, 120);
    put16(id, 68, 120);
    put16(id, 80, 0xf0);                  /* ATA-4 to ATA-7 */
    put16(id, 81, 0x16);
    put16(id, 82, 1 << 14);
    put16(id, 83, (1 << 14) | (1 << 13) | (1 << 12) | (1 << 10));   /* flush (ext), LBA48 */
    put16(id, 84, 1 << 14);
    put16(id, 85, 1 << 14);
    put16(id, 86, (1 << 13) | (1 << 12) | (1 << 10));
    put16(id, 87, 1 << 14);
    for (unsigned w = 0; w < 4; w++)
        put16(id, 100 + w, (unsigned)(d->sectors >> (16 * w)) & 0xffff);
}

/* ---- addressing ---- */

static uint64_t start_lba(ide_drive *d, bool ext)
{
    if (ext)
        return d->sector | (uint64_t)d->lcyl << 8 | (uint64_t)d->hcyl << 16 |
               (uint64_t)d->hob_sector << 24 | (uint64_t)d->hob_lcyl << 32 |
               (uint64_t)d->hob_hcyl << 40;
    if (d->select & DH_LBA)
        return d->sector | (uint64_t)d->lcyl << 8 | (uint64_t)d->hcyl << 16 |
               (uint64_t)(d->select & 0x0f) << 24;
    unsigned cyl = d->lcyl | (unsigned)d->hcyl << 8, head = d->select & 0x0f;
    if (d->sector == 0 || d->sector > d->secs || head >= d->heads)
        return NO_LBA;
    return ((uint64_t)cyl * d->heads + head) * d->secs + d->sector - 1;
}

static uint32_t sector_count(ide_drive *d, bool ext)
{
    if (ext) {
        uint32_t n = d->nsector | (uint32_t)d->hob_nsector << 8;
        return n ? n : 65536;
    }
    return d->nsector ? d->nsector : 256;
}

/* Leave the address of the last sector transferred in the task file, as drives do. */
static void set_lba(ide_drive *d, uint64_t lba, bool ext)
{
    if (ext) {
        d->sector = (uint8_t)lba;
        d->lcyl = (uint8_t)(lba >> 8);
        d->hcyl = (uint8_t)(lba >> 16);
        d->hob_sector = (uint8_t)(lba >> 24);
        d->hob_lcyl = (uint8_t)(lba >> 32);
        d->hob_hcyl = (uint8_t)(lba >> 40);
    } else if (d->select & DH_LBA) {
        d->sector = (uint8_t)lba;
        d->lcyl = (uint8_t)(lba >> 8);
        d->hcyl = (uint8_t)(lba >> 16);
        d->select = (uint8_t)((d->select & 0xf0) | ((lba >> 24) & 0x0f));
    } else {
        uint64_t cyl = lba / (d->heads * d->secs), rest = lba % (d->heads * d->secs);
        d->lcyl = (uint8_t)cyl;
        d->hcyl = (uint8_t)(cyl >> 8);
        d->select = (uint8_t)((d->select & 0xf0) | (rest / d->secs));
        d->sector = (uint8_t)(rest % d->secs + 1);
    }
}

/* Fail a command whose sectors are not on the disk. */
static void bad_range(ide_drive *d, uint64_t lba, uint32_t n)
{
    if (lba == NO_LBA)
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: CHS address %u/%u/%u outside the geometry "
                "%u/%u/%u", d->unit, d->lcyl | d->hcyl << 8, d->select & 15, d->sector, d->cyls,
                d->heads, d->secs);
    else
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: sectors %" PRIu64 "..%" PRIu64
                " are beyond the disk's %" PRIu64, d->unit, lba, lba + n - 1, d->sectors);
    ide_abort(d);
    d->error = ER_IDNF | ER_ABRT;
}

static bool range_ok(ide_drive *d, uint64_t lba, uint32_t n)
{
    return lba != NO_LBA && lba <= d->sectors && n <= d->sectors - lba;
}

/* ---- PIO reads: one DRQ block at a time, an interrupt before each ---- */

static void read_block(ide_drive *d);

static void read_block_done(ide_drive *d)
{
    if (d->left)
        read_block(d);
    else
        d->status = ST_DRDY | ST_DSC;   /* last block taken: the command is over */
}

static void read_block(ide_drive *d)
{
    d->block = d->left < d->per_block ? d->left : d->per_block;
    if (emu_block_read(d->blk, d->lba * SECTOR, d->buf, (size_t)d->block * SECTOR) < 0) {
        emu_log(&d->ch->dev, EMU_LOG_WARN, "drive %u: cannot read sector %" PRIu64 " of '%s'",
                d->unit, d->lba, emu_block_name(d->blk));
        ide_abort(d);
        return;
    }
    set_lba(d, d->lba + d->block - 1, d->ext);
    d->lba += d->block;
    d->left -= d->block;
    ide_pio_in(d, d->block * SECTOR, read_block_done);
}

/* ---- PIO writes: DRQ for the first block without an interrupt, then one after each ---- */

static void write_block_done(ide_drive *d)
{
    if (emu_block_write(d->blk, d->lba * SECTOR, d->buf, (size_t)d->block * SECTOR) < 0) {
        emu_log(&d->ch->dev, EMU_LOG_WARN, "drive %u: cannot write sector %" PRIu64 " of '%s'",
                d->unit, d->lba, emu_block_name(d->blk));
        ide_abort(d);
        return;
    }
    d->lba += d->block;
    d->left -= d->block;
    if (!d->left) {
        ide_complete(d);
        return;
    }
    d->block = d->left < d->per_block ? d->left : d->per_block;
    ide_pio_out(d, d->block * SECTOR, write_block_done);
    ide_irq(d->ch);
}

/* Take a read or write command's sectors from the task file into lba/left/ext; false when
   the command failed (outside the disk, or a write to a read-only image). */
static bool begin_transfer(ide_drive *d, bool ext, bool write)
{
    uint64_t lba = start_lba(d, ext);
    uint32_t n = sector_count(d, ext);
    if (!range_ok(d, lba, n)) {
        bad_range(d, lba, n);
        return false;
    }
    if (write && emu_block_read_only(d->blk)) {
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: write to the read-only image '%s' refused",
                d->unit, emu_block_name(d->blk));
        ide_abort(d);
        return false;
    }
    d->lba = lba;
    d->left = n;
    d->ext = ext;
    return true;
}

static void start_rw(ide_drive *d, bool ext, bool write, unsigned per_block)
{
    if (!begin_transfer(d, ext, write))
        return;
    d->per_block = per_block;
    if (write) {
        d->block = d->left < per_block ? d->left : per_block;
        ide_pio_out(d, d->block * SECTOR, write_block_done);
    } else {
        read_block(d);
    }
}

/* ---- DMA: the bus master moves the data; the drive asks with DRQ until it is all moved ---- */

/* Stop a DMA command whose data did not all move: the bus master's table ended early, it hit
   a bus error, or the image failed. */
static void dma_failed(ide_drive *d, emu_log_cat level, const char *why)
{
    emu_log(&d->ch->dev, level, "drive %u: DMA %s at "
            "sector %" PRIu64 " (%" PRIu32 " sectors left): %s", d->unit,
            d->dir == XFER_DMA_IN ? "read" : "write", d->lba, d->left, why);
    d->dir = XFER_NONE;
    d->ch->bm->finished(d->ch->bm_opaque, d->ch->bm_channel, false);
    ide_abort(d);
}

void ata_dma_run(ide_drive *d)
{
    ide_channel *ch = d->ch;
    if ((d->dir != XFER_DMA_IN && d->dir != XFER_DMA_OUT) || !ch->bm ||
        !ch->bm->started(ch->bm_opaque, ch->bm_channel))
        return;   /* DRQ stays up until the engine starts */
    bool to_memory = d->dir == XFER_DMA_IN;
    while (d->left) {
        uint32_t n = d->left < BUF_SIZE / SECTOR ? d->left : BUF_SIZE / SECTOR;
        size_t len = (size_t)n * SECTOR;
        if (to_memory && emu_block_read(d->blk, d->lba * SECTOR, d->buf, len) < 0) {
            dma_failed(d, EMU_LOG_WARN, "cannot read the image");
            return;
        }
        size_t moved = ch->bm->transfer(ch->bm_opaque, ch->bm_channel, d->buf, len, to_memory);
        uint32_t whole = (uint32_t)(moved / SECTOR);
        if (!to_memory && whole &&
            emu_block_write(d->blk, d->lba * SECTOR, d->buf, (size_t)whole * SECTOR) < 0) {
            dma_failed(d, EMU_LOG_WARN, "cannot write the image");
            return;
        }
        if (whole)
            set_lba(d, d->lba + whole - 1, d->ext);
        d->lba += whole;
        d->left -= whole;
        if (moved < len) {
            dma_failed(d, EMU_LOG_GUEST, "the bus master stopped (PRD table too short, bus error or "
                       "direction mismatch)");
            return;
        }
    }
    d->dir = XFER_NONE;
    ch->bm->finished(ch->bm_opaque, ch->bm_channel, true);
    ide_complete(d);
}

static void start_dma(ide_drive *d, bool ext, bool write)
{
    if (!begin_transfer(d, ext, write))
        return;
    d->done = NULL;
    d->dir = write ? XFER_DMA_OUT : XFER_DMA_IN;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    ata_dma_run(d);
}

/* ---- the command set ---- */

static void identify_done(ide_drive *d)
{
    d->status = ST_DRDY | ST_DSC;
}

const ide_done_fn ata_continuations[] = { read_block_done, write_block_done, identify_done, NULL };

static void set_features(ide_drive *d)
{
    switch (d->feature) {
    case 0x02: case 0x82:   /* write cache on/off: writes always reach the backend */
    case 0x05: case 0x85: case 0x42: case 0xc2: case 0x55: case 0xaa:
    case 0x66: case 0xcc: case 0x67: case 0x69: case 0x96: case 0x9a:
        ide_complete(d);
        return;
    case 0x03: {            /* transfer mode: PIO, and DMA behind a bus master */
        unsigned kind = d->nsector >> 3, mode = d->nsector & 7;
        if (kind <= 1) {
            ide_complete(d);
            return;
        }
        if (d->ch->bm && ((kind == 4 && mode <= 2) || (kind == 8 && mode <= 5))) {
            d->dma_mode = d->nsector;
            ide_complete(d);
            return;
        }
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: transfer mode 0x%02x not supported%s",
                d->unit, d->nsector, d->ch->bm ? "" : " (no bus master on this channel)");
        break;
    }
    default:
        emu_log(&d->ch->dev, EMU_LOG_UNIMP, "drive %u: SET FEATURES 0x%02x not supported", d->unit,
                d->feature);
        break;
    }
    ide_abort(d);
}

void ata_exec(ide_drive *d, uint8_t cmd)
{
    switch (cmd) {
    case 0xec:   /* IDENTIFY DEVICE */
        identify(d);
        ide_pio_in(d, SECTOR, identify_done);
        return;
    case 0x20: case 0x21:   /* READ SECTOR(S) */
        start_rw(d, false, false, 1);
        return;
    case 0x24:              /* READ SECTOR(S) EXT */
        start_rw(d, true, false, 1);
        return;
    case 0xc4: case 0x29:   /* READ MULTIPLE (EXT) */
        if (!d->mult)
            break;
        start_rw(d, cmd == 0x29, false, d->mult);
        return;
    case 0x30: case 0x31: case 0x3c:   /* WRITE SECTOR(S), WRITE VERIFY */
        start_rw(d, false, true, 1);
        return;
    case 0x34:              /* WRITE SECTOR(S) EXT */
        start_rw(d, true, true, 1);
        return;
    case 0xc5: case 0x39:   /* WRITE MULTIPLE (EXT) */
        if (!d->mult)
            break;
        start_rw(d, cmd == 0x39, true, d->mult);
        return;
    case 0x40: case 0x41: case 0x42: {   /* READ VERIFY SECTOR(S) (EXT) */
        bool ext = cmd == 0x42;
        uint64_t lba = start_lba(d, ext);
        uint32_t n = sector_count(d, ext);
        if (!range_ok(d, lba, n)) {
            bad_range(d, lba, n);
            return;
        }
        set_lba(d, lba + n - 1, ext);
        ide_complete(d);
        return;
    }
    case 0xc6:   /* SET MULTIPLE MODE */
        if (d->nsector && (d->nsector > MAX_MULT || (d->nsector & (d->nsector - 1))))
            break;
        d->mult = d->nsector;
        ide_complete(d);
        return;
    case 0x91:   /* INITIALIZE DEVICE PARAMETERS */
        if (!d->nsector)
            break;
        d->heads = (d->select & 0x0f) + 1u;
        d->secs = d->nsector;
        ide_complete(d);
        return;
    case 0xe7: case 0xea:   /* FLUSH CACHE (EXT) */
        if (emu_block_flush(d->blk) < 0)
            emu_log(&d->ch->dev, EMU_LOG_WARN, "drive %u: flushing '%s' failed", d->unit,
                    emu_block_name(d->blk));
        ide_complete(d);
        return;
    case 0xf8: case 0x27:   /* READ NATIVE MAX ADDRESS (EXT) */
        set_lba(d, d->sectors - 1, cmd == 0x27);
        ide_complete(d);
        return;
    case 0xe5: case 0x98:   /* CHECK POWER MODE: active */
        d->nsector = 0xff;
        ide_complete(d);
        return;
    case 0x90:   /* EXECUTE DEVICE DIAGNOSTIC */
        d->select = DH_ALWAYS;
        ide_set_signature(d);
        ide_complete(d);
        d->error = 0x01;
        return;
    case 0xef:
        set_features(d);
        return;
    case 0x70:   /* SEEK */
    case 0x10: case 0x11: case 0x12: case 0x13: case 0x14: case 0x15: case 0x16: case 0x17:
    case 0x18: case 0x19: case 0x1a: case 0x1b: case 0x1c: case 0x1d: case 0x1e: case 0x1f:
    case 0xe0: case 0xe1: case 0xe2: case 0xe3: case 0xe6:   /* standby, idle, sleep */
    case 0x94: case 0x95: case 0x96: case 0x97: case 0x99:
        ide_complete(d);
        return;
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0x25: case 0x35:   /* READ/WRITE DMA (EXT) */
        if (!d->ch->bm) {
            emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: DMA command 0x%02x refused (no bus "
                    "master on this channel)", d->unit, cmd);
            break;
        }
        start_dma(d, cmd == 0x25 || cmd == 0x35, cmd == 0xca || cmd == 0xcb || cmd == 0x35);
        return;
    default:
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: ATA command 0x%02x not supported", d->unit,
                cmd);
        break;
    }
    ide_abort(d);
}
