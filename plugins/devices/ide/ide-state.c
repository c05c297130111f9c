/* Snapshots of the IDE channel: its registers and pending interrupt, and per drive the task
 * file, geometry, the PIO transfer in progress (buffer, position, what runs when the block
 * has moved) or the DMA command waiting for the bus master, the transfer mode and the
 * ATA/ATAPI command state.  The images are not copied: a drive records the
 * size of its image, and a load onto a different image (or none) is refused. */
#include <stdlib.h>
#include <string.h>
#include "ide-internal.h"

/* Continuation numbers: 0 none, 1.. ata_continuations, ATAPI_BASE.. atapi_continuations. */
#define ATAPI_BASE 100u

static uint64_t continuation_id(ide_done_fn fn)
{
    for (unsigned i = 0; fn && ata_continuations[i]; i++)
        if (ata_continuations[i] == fn)
            return 1 + i;
    for (unsigned i = 0; fn && atapi_continuations[i]; i++)
        if (atapi_continuations[i] == fn)
            return ATAPI_BASE + i;
    return 0;
}

/* The continuation numbered id for a drive of this kind, or false when there is none. */
static bool continuation_of(const ide_drive *d, uint64_t id, ide_done_fn *out)
{
    *out = NULL;
    if (id == 0)
        return true;
    const ide_done_fn *table = d->cdrom ? atapi_continuations : ata_continuations;
    uint64_t base = d->cdrom ? ATAPI_BASE : 1;
    for (uint64_t i = 0; table[i]; i++)
        if (id == base + i) {
            *out = table[i];
            return true;
        }
    return false;
}

static uint64_t image_size(const ide_drive *d)
{
    return d->blk ? emu_block_size(d->blk) : 0;
}

/* Task file bytes, in snapshot order. */
#define TASKFILE(d) { &(d)->feature, &(d)->nsector, &(d)->sector, &(d)->lcyl, &(d)->hcyl, \
                      &(d)->select, &(d)->status, &(d)->error, &(d)->hob_feature,         \
                      &(d)->hob_nsector, &(d)->hob_sector, &(d)->hob_lcyl, &(d)->hob_hcyl }
#define NTASK 13

static void save_drive(ide_drive *d, emu_state_writer *w)
{
    uint8_t tf[NTASK];
    uint8_t *src[NTASK] = TASKFILE(d);
    for (int i = 0; i < NTASK; i++)
        tf[i] = *src[i];
    emu_state_put_u64(w, "present", d->present);
    emu_state_put_u64(w, "cdrom", d->cdrom);
    emu_state_put_u64(w, "image-size", image_size(d));
    emu_state_put_bytes(w, "taskfile", tf, sizeof tf);
    emu_state_put_u64(w, "heads", d->heads);
    emu_state_put_u64(w, "secs", d->secs);
    emu_state_put_u64(w, "mult", d->mult);
    emu_state_put_u64(w, "dir", d->dir);
    emu_state_put_u64(w, "pos", d->pos);
    emu_state_put_u64(w, "end", d->end);
    emu_state_put_u64(w, "done", continuation_id(d->done));
    emu_state_put_u64(w, "lba", d->lba);
    emu_state_put_u64(w, "left", d->left);
    emu_state_put_u64(w, "block", d->block);
    emu_state_put_u64(w, "per-block", d->per_block);
    emu_state_put_u64(w, "ext", d->ext);
    emu_state_put_u64(w, "dma-mode", d->dma_mode);
    emu_state_put_u64(w, "sense-key", d->sense_key);
    emu_state_put_u64(w, "asc", d->asc);
    emu_state_put_u64(w, "cd-lba", d->cd_lba);
    emu_state_put_u64(w, "cd-left", d->cd_left);
    emu_state_put_u64(w, "waiting", d->waiting);
    if (d->buf)
        emu_state_put_bytes(w, "buf", d->buf, BUF_SIZE);
}

int ide_state_save(emu_device *dev, emu_state_writer *w)
{
    ide_channel *ch = (ide_channel *)dev;
    emu_state_put_u64(w, "cur", ch->cur);
    emu_state_put_u64(w, "ctl", ch->ctl);
    emu_state_put_u64(w, "irq-pending", ch->irq_pending);
    for (unsigned i = 0; i < 2; i++)
        save_drive(&ch->drive[i], w);
    return 0;
}

/* What a drive's snapshot holds, read whole before anything is taken. */
typedef struct drive_image {
    uint64_t present, cdrom, size;
    uint8_t tf[NTASK];
    uint64_t heads, secs, mult, dir, pos, end, done, lba, left, block, per_block, ext, dma_mode;
    uint64_t sense_key, asc, cd_lba, cd_left, waiting;
    ide_done_fn done_fn;
} drive_image;

static int read_drive(emu_state_reader *r, drive_image *s, uint8_t *buf)
{
    if (emu_state_get_u64(r, "present", &s->present) < 0 ||
        emu_state_get_u64(r, "cdrom", &s->cdrom) < 0 ||
        emu_state_get_u64(r, "image-size", &s->size) < 0 ||
        emu_state_get_bytes(r, "taskfile", s->tf, sizeof s->tf) < 0 ||
        emu_state_get_u64(r, "heads", &s->heads) < 0 || emu_state_get_u64(r, "secs", &s->secs) < 0 ||
        emu_state_get_u64(r, "mult", &s->mult) < 0 || emu_state_get_u64(r, "dir", &s->dir) < 0 ||
        emu_state_get_u64(r, "pos", &s->pos) < 0 || emu_state_get_u64(r, "end", &s->end) < 0 ||
        emu_state_get_u64(r, "done", &s->done) < 0 || emu_state_get_u64(r, "lba", &s->lba) < 0 ||
        emu_state_get_u64(r, "left", &s->left) < 0 || emu_state_get_u64(r, "block", &s->block) < 0 ||
        emu_state_get_u64(r, "per-block", &s->per_block) < 0 ||
        emu_state_get_u64(r, "ext", &s->ext) < 0 ||
        emu_state_get_u64(r, "dma-mode", &s->dma_mode) < 0 ||
        emu_state_get_u64(r, "sense-key", &s->sense_key) < 0 ||
        emu_state_get_u64(r, "asc", &s->asc) < 0 || emu_state_get_u64(r, "cd-lba", &s->cd_lba) < 0 ||
        emu_state_get_u64(r, "cd-left", &s->cd_left) < 0 ||
        emu_state_get_u64(r, "waiting", &s->waiting) < 0)
        return -1;
    if (s->present && emu_state_get_bytes(r, "buf", buf, BUF_SIZE) < 0)
        return -1;
    return 0;
}

/* Why drive d cannot take s, or NULL. */
static const char *check_drive(const ide_drive *d, drive_image *s)
{
    if (s->present != d->present || s->cdrom != d->cdrom)
        return "the snapshot has another kind of drive here";
    if (s->size != image_size(d))
        return "the drive's image has another size than in the snapshot (not the same image)";
    if (d->present && !d->cdrom && (s->heads < 1 || s->heads > 16 || s->secs < 1 || s->secs > 255))
        return "geometry out of range";
    if (s->heads > 16 || s->secs > 255)
        return "geometry out of range";
    if (s->mult > MAX_MULT || (s->mult & (s->mult - 1)))
        return "multiple count out of range";
    if (s->dir > XFER_DMA_OUT || s->pos > s->end || s->end > BUF_SIZE || s->waiting > BUF_SIZE)
        return "data transfer position out of range";
    bool dma = s->dir == XFER_DMA_IN || s->dir == XFER_DMA_OUT;
    if (dma && (!d->present || d->cdrom || !s->left || !d->ch->bm))
        return "a DMA transfer where there can be none";
    if (s->dma_mode && !(s->dma_mode >= 0x20 && s->dma_mode <= 0x22) &&
        !(s->dma_mode >= 0x40 && s->dma_mode <= 0x45))
        return "transfer mode out of range";
    if (s->per_block > MAX_MULT || s->block > s->per_block || (s->left && !s->per_block) ||
        s->left > 0x10000u || s->cd_left > UINT32_MAX || s->ext > 1)
        return "sector counts out of range";
    if (s->sense_key > 0xff || s->asc > 0xff || !continuation_of(d, s->done, &s->done_fn))
        return "unknown command state";
    if ((s->dir == XFER_IN || s->dir == XFER_OUT) && !s->done_fn)
        return "a data transfer without a command";
    return NULL;
}

static void take_drive(ide_drive *d, const drive_image *s, const uint8_t *buf)
{
    uint8_t *dst[NTASK] = TASKFILE(d);
    for (int i = 0; i < NTASK; i++)
        *dst[i] = s->tf[i];
    d->heads = (unsigned)s->heads;
    d->secs = (unsigned)s->secs;
    d->mult = (unsigned)s->mult;
    d->dir = (xfer_dir)s->dir;
    d->pos = (unsigned)s->pos;
    d->end = (unsigned)s->end;
    d->done = s->done_fn;
    d->lba = s->lba;
    d->left = (uint32_t)s->left;
    d->block = (unsigned)s->block;
    d->per_block = (unsigned)s->per_block;
    d->ext = s->ext != 0;
    d->dma_mode = (uint8_t)s->dma_mode;
    d->sense_key = (uint8_t)s->sense_key;
    d->asc = (uint8_t)s->asc;
    d->cd_lba = s->cd_lba;
    d->cd_left = (uint32_t)s->cd_left;
    d->waiting = (unsigned)s->waiting;
    if (d->buf)
        memcpy(d->buf, buf, BUF_SIZE);
}

int ide_state_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    ide_channel *ch = (ide_channel *)dev;
    uint64_t cur, ctl, irq;
    drive_image s[2];
    uint8_t *buf[2] = { malloc(BUF_SIZE), malloc(BUF_SIZE) };
    int rc = -1;
    memset(s, 0, sizeof s);
    if (!buf[0] || !buf[1]) {
        emu_error_set(err, "out of memory");
        goto out;
    }
    if (emu_state_get_u64(r, "cur", &cur) < 0 || emu_state_get_u64(r, "ctl", &ctl) < 0 ||
        emu_state_get_u64(r, "irq-pending", &irq) < 0 || read_drive(r, &s[0], buf[0]) < 0 ||
        read_drive(r, &s[1], buf[1]) < 0)
        goto out;
    if (cur > 1 || ctl > 0xff || irq > 1) {
        emu_error_set(err, "channel registers out of range");
        goto out;
    }
    for (unsigned i = 0; i < 2; i++) {
        const char *bad = check_drive(&ch->drive[i], &s[i]);
        if (bad) {
            emu_error_set(err, "%s drive: %s", i ? "slave" : "master", bad);
            goto out;
        }
    }
    ch->cur = (unsigned)cur;
    ch->ctl = (uint8_t)ctl;
    ch->irq_pending = irq != 0;
    for (unsigned i = 0; i < 2; i++)
        take_drive(&ch->drive[i], &s[i], buf[i]);
    ide_update_line(ch);
    rc = 0;
out:
    free(buf[0]);
    free(buf[1]);
    return rc;
}
