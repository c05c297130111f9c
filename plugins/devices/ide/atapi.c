/* ATAPI CD-ROM drive: the ATA commands a packet device answers, and the packet commands (MMC)
 * a firmware or an operating system needs: test unit ready, request sense, inquiry, read
 * capacity, READ(10/12), READ CD (user data), TOC, mode sense, configuration, events.  Data
 * goes out in DRQ blocks no larger than the host's byte count limit; every block number and
 * length from the guest is checked. */
#include <inttypes.h>
#include <string.h>
#include "ide-internal.h"

/* Interrupt reason (sector count register) */
#define IR_COD 0x01
#define IR_IO  0x02
/* Sense keys and additional sense codes */
#define SK_NOT_READY       0x02
#define SK_MEDIUM_ERROR    0x03
#define SK_ILLEGAL_REQUEST 0x05
#define ASC_INVALID_OPCODE 0x20
#define ASC_LBA_RANGE      0x21
#define ASC_INVALID_FIELD  0x24
#define ASC_NO_MEDIUM      0x3a
#define ASC_READ_ERROR     0x11
#define ASC_SAVING_UNSUPPORTED 0x39

static uint64_t disc_sectors(const ide_drive *d)
{
    return d->blk ? emu_block_size(d->blk) / CD_SECTOR : 0;
}

static void be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void be32(uint8_t *p, uint32_t v)
{
    be16(p, v >> 16), be16(p + 2, v & 0xffff);
}

static uint32_t get_be(const uint8_t *p, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void pad(uint8_t *p, const char *s, unsigned len)
{
    size_t n = strlen(s);
    for (unsigned i = 0; i < len; i++)
        p[i] = (uint8_t)(i < n ? s[i] : ' ');
}

/* ---- completion ---- */

static void packet_ok(ide_drive *d)
{
    d->error = 0;
    d->status = ST_DRDY | ST_DSC;
    d->nsector = (uint8_t)((d->nsector & ~7) | IR_IO | IR_COD);
    d->dir = XFER_NONE;
    ide_irq(d->ch);
}

static void check_condition(ide_drive *d, uint8_t key, uint8_t asc)
{
    d->sense_key = key;
    d->asc = asc;
    d->error = (uint8_t)(key << 4);
    d->status = ST_DRDY | ST_ERR;
    d->nsector = (uint8_t)((d->nsector & ~7) | IR_IO | IR_COD);
    d->dir = XFER_NONE;
    ide_irq(d->ch);
}

/* ---- data-in: buf[0..avail) waits; more CD sectors may follow ---- */

static unsigned byte_limit(const ide_drive *d)
{
    unsigned limit = d->lcyl | (unsigned)d->hcyl << 8;
    if (limit == 0 || limit == 0xffff)
        limit = 0xfffe;
    return limit & ~1u;
}

static void send_next(ide_drive *d);

static void chunk_done(ide_drive *d)
{
    unsigned sent = d->end < d->waiting ? d->end : d->waiting;
    memmove(d->buf, d->buf + sent, d->waiting - sent);
    d->waiting -= sent;
    send_next(d);
}

/* Send the next DRQ block of at most the byte count limit: what waits in buf, topped up
   from the disc (a block may end in the middle of a sector, as QEMU's do). */
static void send_next(ide_drive *d)
{
    unsigned limit = byte_limit(d);
    if (d->waiting < limit && d->cd_left) {
        uint32_t n = (limit - d->waiting + CD_SECTOR - 1) / CD_SECTOR;
        if (n > (BUF_SIZE - d->waiting) / CD_SECTOR)
            n = (BUF_SIZE - d->waiting) / CD_SECTOR;
        if (n > d->cd_left)
            n = d->cd_left;
        if (emu_block_read(d->blk, d->cd_lba * CD_SECTOR, d->buf + d->waiting,
                           (size_t)n * CD_SECTOR) < 0) {
            emu_log(&d->ch->dev, EMU_LOG_WARN, "drive %u: cannot read CD sector %" PRIu64
                    " of '%s'", d->unit, d->cd_lba, emu_block_name(d->blk));
            d->cd_left = 0;
            d->waiting = 0;
            check_condition(d, SK_MEDIUM_ERROR, ASC_READ_ERROR);
            return;
        }
        d->cd_lba += n;
        d->cd_left -= n;
        d->waiting += n * CD_SECTOR;
    }
    if (!d->waiting) {
        packet_ok(d);
        return;
    }
    unsigned size = d->waiting < limit ? d->waiting : limit;
    d->lcyl = (uint8_t)size;
    d->hcyl = (uint8_t)(size >> 8);
    d->nsector = (uint8_t)((d->nsector & ~7) | IR_IO);
    if (size & 1)
        d->buf[size] = 0;   /* an odd last byte goes out in a word padded with 0 */
    ide_pio_in(d, size + (size & 1), chunk_done);
}

/* Answer with `len` bytes from buf, cut to the host's allocation length. */
static void reply(ide_drive *d, unsigned len, unsigned alloc)
{
    d->waiting = len < alloc ? len : alloc;
    d->cd_left = 0;
    send_next(d);
}

static void start_read(ide_drive *d, uint32_t lba, uint32_t count)
{
    uint64_t total = disc_sectors(d);
    if (count == 0) {
        packet_ok(d);
        return;
    }
    if (lba >= total || count > total - lba) {
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: CD sectors %" PRIu32 "+%" PRIu32
                " are beyond the disc's %" PRIu64, d->unit, lba, count, total);
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_LBA_RANGE);
        return;
    }
    d->cd_lba = lba;
    d->cd_left = count;
    d->waiting = 0;
    send_next(d);
}

/* ---- packet commands ---- */

static void inquiry(ide_drive *d, const uint8_t *cdb)
{
    uint8_t *b = d->buf;
    if (cdb[1] & 1) {   /* vital product data: only the list of pages */
        if (cdb[2] != 0) {
            check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        memset(b, 0, 5);
        b[0] = 0x05;
        b[3] = 1;
        reply(d, 5, cdb[4]);
        return;
    }
    memset(b, 0, 36);
    b[0] = 0x05;   /* CD-ROM */
    b[1] = 0x80;   /* removable */
    b[3] = 0x21;
    b[4] = 31;
    pad(b + 8, "QEMU", 8);
    pad(b + 16, "QEMU DVD-ROM", 16);
    pad(b + 32, "2.5+", 4);
    reply(d, 36, cdb[4]);
}

static void read_toc(ide_drive *d, const uint8_t *cdb)
{
    unsigned alloc = get_be(cdb + 7, 2), format = cdb[2] & 0x0f;
    bool msf = cdb[1] & 2;
    uint8_t *b = d->buf;
    uint32_t end = (uint32_t)disc_sectors(d);
    if (!format)
        format = cdb[9] >> 6;   /* the older location of the format field */
    if (format == 1) {          /* session information: one session */
        memset(b, 0, 12);
        b[1] = 0x0a;
        b[2] = b[3] = 1;
        reply(d, 12, alloc);
        return;
    }
    if (format != 0 || (cdb[6] > 1 && cdb[6] != 0xaa)) {
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    unsigned n = 4;
    b[2] = b[3] = 1;
    for (int t = cdb[6] <= 1 ? 0 : 1; t < 2; t++) {   /* track 1, then the lead-out */
        uint32_t lba = t ? end : 0;
        uint8_t *e = b + n;
        memset(e, 0, 8);
        e[1] = t ? 0x16 : 0x14;
        e[2] = t ? 0xaa : 1;
        if (msf) {
            uint32_t f = lba + 150;
            e[5] = (uint8_t)(f / (75 * 60));
            e[6] = (uint8_t)(f / 75 % 60);
            e[7] = (uint8_t)(f % 75);
        } else {
            be32(e + 4, lba);
        }
        n += 8;
    }
    be16(b, n - 2);
    reply(d, n, alloc);
}

static void mode_sense(ide_drive *d, const uint8_t *cdb)
{
    unsigned alloc = get_be(cdb + 7, 2), page = cdb[2] & 0x3f, control = cdb[2] >> 6;
    uint8_t *b = d->buf;
    if (control == 3) {
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_SAVING_UNSUPPORTED);
        return;
    }
    unsigned len;
    switch (page) {
    case 0x01: len = 16; break;   /* read error recovery */
    case 0x0e: len = 24; break;   /* CD audio control */
    case 0x2a: len = 30; break;   /* capabilities */
    default:
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    if (control != 0) {
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, len);
    be16(b, len - 2);
    b[2] = 0x70;   /* medium type: door closed, no disc type */
    b[8] = (uint8_t)page;
    b[9] = (uint8_t)(len - 10);
    if (page == 0x01) {
        b[11] = 0x05;
    } else if (page == 0x2a) {
        b[10] = 0x3b;
        b[12] = 0x71;
        b[13] = 3 << 5;
        b[14] = (1 << 0) | (1 << 3) | (1 << 5);
        be16(b + 16, 704);
        b[19] = 2;
        be16(b + 20, 512);
        be16(b + 22, 704);
    }
    reply(d, len, alloc);
}

static void get_configuration(ide_drive *d, const uint8_t *cdb)
{
    unsigned alloc = get_be(cdb + 7, 2);
    uint8_t *b = d->buf;
    if (cdb[2] || cdb[3]) {   /* only the profile list feature, from feature 0 */
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 20);
    uint64_t n = disc_sectors(d);
    /* Current profile: DVD-ROM for discs larger than a CD can be, CD-ROM otherwise. */
    be16(b + 6, n == 0 ? 0 : n > 1437500 ? 0x0010 : 0x0008);
    b[10] = 0x03;        /* profile list: persistent, current */
    b[11] = 8;           /* two profile descriptors */
    be16(b + 12, 0x0010);
    b[14] = n > 1437500;
    be16(b + 16, 0x0008);
    b[18] = n && n <= 1437500;
    be32(b, 20 - 4);
    reply(d, 20, alloc);
}

static void event_status(ide_drive *d, const uint8_t *cdb)
{
    unsigned alloc = get_be(cdb + 7, 2);
    uint8_t *b = d->buf;
    if (!(cdb[1] & 1)) {   /* asynchronous notification is not supported */
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
        return;
    }
    memset(b, 0, 8);
    b[3] = 0x10;   /* supported classes: media */
    if (cdb[4] & 0x10) {
        be16(b, 6);
        b[2] = 0x04;                     /* media class */
        b[5] = d->blk ? 0x02 : 0x00;     /* media present */
        reply(d, 8, alloc);
    } else {
        be16(b, 2);
        b[2] = 0x80;                     /* no event available */
        reply(d, 4, alloc);
    }
}

static void packet_received(ide_drive *d)
{
    uint8_t cdb[12];
    memcpy(cdb, d->buf, sizeof cdb);
    uint8_t op = cdb[0];
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&d->ch->dev, EMU_LOG_TRACE, "drive %u: packet %02x %02x %02x %02x %02x %02x %02x "
                "%02x %02x %02x %02x %02x, byte count limit %u", d->unit, cdb[0], cdb[1], cdb[2],
                cdb[3], cdb[4], cdb[5], cdb[6], cdb[7], cdb[8], cdb[9], cdb[10], cdb[11],
                byte_limit(d));
    if (op != 0x03)
        d->sense_key = d->asc = 0;
    bool needs_disc = op == 0x00 || op == 0x25 || op == 0x28 || op == 0xa8 || op == 0x2b ||
                      op == 0x43 || op == 0xbe;
    if (needs_disc && !d->blk) {
        check_condition(d, SK_NOT_READY, ASC_NO_MEDIUM);
        return;
    }
    uint8_t *b = d->buf;
    switch (op) {
    case 0x00:   /* TEST UNIT READY */
    case 0x1b:   /* START STOP UNIT (the tray is not modelled) */
    case 0x1e:   /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0xbb:   /* SET CD SPEED */
        packet_ok(d);
        return;
    case 0x03:   /* REQUEST SENSE */
        memset(b, 0, 18);
        b[0] = 0xf0;
        b[2] = d->sense_key;
        b[7] = 10;
        b[12] = d->asc;
        reply(d, 18, cdb[4]);
        return;
    case 0x12:
        inquiry(d, cdb);
        return;
    case 0x25: {   /* READ CAPACITY */
        be32(b, (uint32_t)disc_sectors(d) - 1);
        be32(b + 4, CD_SECTOR);
        reply(d, 8, 8);
        return;
    }
    case 0x28:   /* READ(10) */
        start_read(d, get_be(cdb + 2, 4), get_be(cdb + 7, 2));
        return;
    case 0xa8:   /* READ(12) */
        start_read(d, get_be(cdb + 2, 4), get_be(cdb + 6, 4));
        return;
    case 0xbe:   /* READ CD: user data of mode 1 sectors only */
        if ((cdb[9] & 0xf8) != 0x10 || (cdb[1] >> 2 & 7) > 2) {
            emu_log(&d->ch->dev, EMU_LOG_UNIMP, "drive %u: READ CD of sector parts 0x%02x "
                    "(only user data is kept in an image)", d->unit, cdb[9]);
            check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD);
            return;
        }
        start_read(d, get_be(cdb + 2, 4), get_be(cdb + 6, 3));
        return;
    case 0x2b:   /* SEEK(10) */
        if (get_be(cdb + 2, 4) >= disc_sectors(d)) {
            check_condition(d, SK_ILLEGAL_REQUEST, ASC_LBA_RANGE);
            return;
        }
        packet_ok(d);
        return;
    case 0x43:
        read_toc(d, cdb);
        return;
    case 0x46:
        get_configuration(d, cdb);
        return;
    case 0x4a:
        event_status(d, cdb);
        return;
    case 0x5a:
        mode_sense(d, cdb);
        return;
    case 0xbd:   /* MECHANISM STATUS */
        memset(b, 0, 8);
        b[5] = 1;   /* one slot */
        reply(d, 8, get_be(cdb + 8, 2));
        return;
    default:
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: ATAPI command 0x%02x not supported",
                d->unit, op);
        check_condition(d, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE);
        return;
    }
}

/* ---- ATA commands of a packet device ---- */

static void identify_packet(ide_drive *d)
{
    uint8_t *id = d->buf;
    memset(id, 0, SECTOR);
    unsigned words[][2] = {
        { 0, (2u << 14) | (5u << 8) | (1u << 7) | (2u << 5) },   /* ATAPI CD-ROM, removable */
        { 20, 3 }, { 21, 512 }, { 22, 4 }, { 48, 1 }, { 49, 1u << 9 }, { 53, 3 },
        { 63, 0x103 }, { 64, 3 }, { 65, 0xb4 },
    };
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++) {
        id[2 * words[i][0]] = (uint8_t)words[i][1];
        id[2 * words[i][0] + 1] = (uint8_t)(words[i][1] >> 8);
    }
    ide_put_string(id + 20, d->serial, 20);
    ide_put_string(id + 46, "2.5+", 8);
    ide_put_string(id + 54, d->model, 40);
}

static void identify_done(ide_drive *d)
{
    d->status = ST_DRDY | ST_DSC;
}

const ide_done_fn atapi_continuations[] = { chunk_done, packet_received, identify_done, NULL };

void atapi_exec(ide_drive *d, uint8_t cmd)
{
    switch (cmd) {
    case 0xa0:   /* PACKET */
        if (d->feature & 3) {
            emu_log(&d->ch->dev, EMU_LOG_UNIMP, "drive %u: packet with DMA or overlap "
                    "(features 0x%02x) refused", d->unit, d->feature);
            ide_abort(d);
            return;
        }
        d->nsector = IR_COD;
        ide_pio_out(d, 12, packet_received);
        return;
    case 0xa1:   /* IDENTIFY PACKET DEVICE */
        identify_packet(d);
        ide_pio_in(d, SECTOR, identify_done);
        return;
    case 0x08:   /* DEVICE RESET */
        d->feature = d->error = 0;
        d->select = DH_ALWAYS;
        ide_set_signature(d);
        d->status = 0;
        d->dir = XFER_NONE;
        return;
    case 0x90:   /* EXECUTE DEVICE DIAGNOSTIC */
        d->select = DH_ALWAYS;
        ide_set_signature(d);
        d->status = 0;
        d->error = 0x01;
        return;
    case 0xec: case 0x20: case 0x21:   /* ATA commands: answer with the signature */
        ide_set_signature(d);
        ide_abort(d);
        return;
    case 0xe7:   /* FLUSH CACHE: nothing to write */
    case 0xef:   /* SET FEATURES */
        ide_complete(d);
        return;
    default:
        emu_log(&d->ch->dev, EMU_LOG_GUEST, "drive %u: ATA command 0x%02x not supported by a "
                "packet device", d->unit, cmd);
        ide_abort(d);
        return;
    }
}
