/* A SCSI target: disk or CD-ROM drive behind a host adapter (see scsi-target.h).  Answers
 * TEST UNIT READY, REQUEST SENSE, INQUIRY, READ CAPACITY(10), READ/WRITE(6/10/12), MODE
 * SENSE(6/10), START STOP UNIT, PREVENT ALLOW, SYNCHRONIZE CACHE, VERIFY and, on CDs, READ
 * TOC; checks every block range against the medium. */
#include <inttypes.h>
#include <string.h>
#include "scsi-target.h"

#define SK_NO_SENSE        0x0
#define SK_NOT_READY       0x2
#define SK_MEDIUM_ERROR    0x3
#define SK_ILLEGAL_REQUEST 0x5
#define SK_UNIT_ATTENTION  0x6
#define SK_DATA_PROTECT    0x7

static uint64_t blocks_of(const scsi_target *t)
{
    return t->blk ? emu_block_size(t->blk) / t->block_size : 0;
}

static uint32_t be(const uint8_t *p, unsigned n)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, uint32_t v, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        p[n - 1 - i] = (uint8_t)(v >> (8 * i));
}

static void pad(uint8_t *p, const char *s, unsigned len)
{
    size_t n = strlen(s);
    for (unsigned i = 0; i < len; i++)
        p[i] = (uint8_t)(i < n ? s[i] : ' ');
}

void scsi_target_init(scsi_target *t, unsigned id, emu_blockdev *blk, bool cdrom,
                      const emu_device *log_dev)
{
    memset(t, 0, sizeof *t);
    t->present = true;
    t->id = id;
    t->blk = blk;
    t->cdrom = cdrom;
    t->block_size = cdrom ? 2048 : 512;
    t->log_dev = log_dev;
    scsi_target_reset(t);
}

void scsi_target_reset(scsi_target *t)
{
    t->sense_key = t->asc = t->ascq = 0;
    t->unit_attention = true;
}

static void fail(scsi_target *t, scsi_result *r, uint8_t key, uint8_t asc, uint8_t ascq)
{
    t->sense_key = key;
    t->asc = asc;
    t->ascq = ascq;
    r->status = SCSI_CHECK_CONDITION;
    r->reply_len = 0;
    r->medium = false;
}

static void reply(scsi_result *r, unsigned len, unsigned alloc)
{
    r->reply_len = len < alloc ? len : alloc;
}

static void inquiry(scsi_target *t, const uint8_t *cdb, scsi_result *r)
{
    uint8_t *b = r->reply;
    unsigned alloc = be(cdb + 3, 2);
    if (cdb[1] & 1) {   /* vital product data: only the list of pages */
        if (cdb[2] != 0) {
            fail(t, r, SK_ILLEGAL_REQUEST, 0x24, 0);
            return;
        }
        b[0] = t->cdrom ? 5 : 0;
        b[3] = 1;
        reply(r, 5, alloc);
        return;
    }
    b[0] = t->cdrom ? 5 : 0;
    b[1] = t->cdrom ? 0x80 : 0;   /* CDs are removable */
    b[2] = 5;                      /* SPC-3 */
    b[3] = 0x12;                   /* response format 2, hierarchical LUNs */
    b[4] = 31;
    b[7] = 0x12;                   /* command queueing, synchronous */
    pad(b + 8, "QEMU", 8);
    pad(b + 16, t->cdrom ? "QEMU CD-ROM" : "QEMU HARDDISK", 16);
    pad(b + 32, "2.5+", 4);
    reply(r, 36, alloc);
}

static void mode_sense(scsi_target *t, const uint8_t *cdb, scsi_result *r, bool ten)
{
    uint8_t *b = r->reply;
    unsigned page = cdb[2] & 0x3f, alloc = ten ? be(cdb + 7, 2) : cdb[4];
    unsigned hdr = ten ? 8 : 4, n = hdr;
    if ((cdb[2] >> 6) == 3) {
        fail(t, r, SK_ILLEGAL_REQUEST, 0x39, 0);   /* saved values not supported */
        return;
    }
    bool ro = t->cdrom || (t->blk && emu_block_read_only(t->blk));
    if (page == 0x08 || page == 0x3f) {           /* caching: write cache on */
        b[n] = 0x08, b[n + 1] = 0x12, b[n + 2] = 0x04;
        n += 20;
    }
    if (page == 0x2a && t->cdrom) {               /* CD capabilities */
        b[n] = 0x2a, b[n + 1] = 0x14, b[n + 2] = 0x3b, b[n + 4] = 0x71, b[n + 5] = 0x60;
        n += 22;
    } else if (page != 0x08 && page != 0x3f) {
        fail(t, r, SK_ILLEGAL_REQUEST, 0x24, 0);
        return;
    }
    if (ten) {
        put_be(b, n - 2, 2);
        b[3] = ro ? 0x80 : 0;
    } else {
        b[0] = (uint8_t)(n - 1);
        b[2] = ro ? 0x80 : 0;
    }
    reply(r, n, alloc);
}

static void read_toc(scsi_target *t, const uint8_t *cdb, scsi_result *r)
{
    uint8_t *b = r->reply;
    unsigned alloc = be(cdb + 7, 2), format = cdb[2] & 0x0f;
    if (!format)
        format = cdb[9] >> 6;
    if (format == 1) {
        b[1] = 0x0a, b[2] = b[3] = 1;
        reply(r, 12, alloc);
        return;
    }
    if (format != 0 || (cdb[6] > 1 && cdb[6] != 0xaa)) {
        fail(t, r, SK_ILLEGAL_REQUEST, 0x24, 0);
        return;
    }
    bool msf = cdb[1] & 2;
    unsigned n = 4;
    b[2] = b[3] = 1;
    for (int i = cdb[6] <= 1 ? 0 : 1; i < 2; i++) {   /* track 1, then the lead-out */
        uint32_t lba = i ? (uint32_t)blocks_of(t) : 0;
        b[n + 1] = i ? 0x16 : 0x14;
        b[n + 2] = i ? 0xaa : 1;
        if (msf) {
            uint32_t f = lba + 150;
            b[n + 5] = (uint8_t)(f / 4500), b[n + 6] = (uint8_t)(f / 75 % 60), b[n + 7] = (uint8_t)(f % 75);
        } else {
            put_be(b + n + 4, lba, 4);
        }
        n += 8;
    }
    put_be(b, n - 2, 2);
    reply(r, n, alloc);
}

static void medium(scsi_target *t, scsi_result *r, bool write, uint64_t lba, uint32_t n)
{
    uint64_t total = blocks_of(t);
    if (lba > total || n > total - lba) {
        emu_log(t->log_dev, EMU_LOG_GUEST, "SCSI target %u: blocks %" PRIu64 "+%" PRIu32
                " are beyond the medium's %" PRIu64, t->id, lba, n, total);
        fail(t, r, SK_ILLEGAL_REQUEST, 0x21, 0);
        return;
    }
    if (write && (t->cdrom || emu_block_read_only(t->blk))) {
        fail(t, r, SK_DATA_PROTECT, 0x27, 0);
        return;
    }
    if (n == 0)
        return;
    r->medium = true;
    r->write = write;
    r->lba = lba;
    r->blocks = n;
}

void scsi_target_command(scsi_target *t, const uint8_t *cdb, unsigned len, scsi_result *r)
{
    memset(r, 0, sizeof *r);
    uint8_t op = len ? cdb[0] : 0xff;
    static const uint8_t lengths[8] = { 6, 10, 10, 0, 16, 12, 0, 0 };   /* by opcode group */
    if (!len || len < lengths[op >> 5]) {
        fail(t, r, SK_ILLEGAL_REQUEST, 0x20, 0);
        return;
    }
    if (op == 0x03) {   /* REQUEST SENSE: reports and clears */
        uint8_t *b = r->reply;
        b[0] = 0x70;
        b[2] = t->sense_key;
        b[7] = 10;
        b[12] = t->asc;
        b[13] = t->ascq;
        t->sense_key = t->asc = t->ascq = 0;
        reply(r, 18, cdb[4]);
        return;
    }
    if (op == 0x12) {
        inquiry(t, cdb, r);
        return;
    }
    if (t->unit_attention) {   /* the first other command after a reset */
        t->unit_attention = false;
        fail(t, r, SK_UNIT_ATTENTION, 0x29, 0);
        return;
    }
    bool needs_medium = op != 0x1b && op != 0x1e && op != 0x5a && op != 0x1a && op != 0x35;
    if (needs_medium && !t->blk) {
        fail(t, r, SK_NOT_READY, 0x3a, 0);
        return;
    }
    t->sense_key = t->asc = t->ascq = 0;
    switch (op) {
    case 0x00:   /* TEST UNIT READY */
    case 0x1b:   /* START STOP UNIT */
    case 0x1e:   /* PREVENT ALLOW MEDIUM REMOVAL */
    case 0x35:   /* SYNCHRONIZE CACHE */
    case 0x2f:   /* VERIFY(10) */
        if (op == 0x35 && t->blk)
            emu_block_flush(t->blk);
        return;
    case 0x25: {   /* READ CAPACITY(10) */
        uint64_t n = blocks_of(t);
        put_be(r->reply, n ? (uint32_t)(n > 0xffffffffu ? 0xffffffffu : n - 1) : 0, 4);
        put_be(r->reply + 4, t->block_size, 4);
        r->reply_len = 8;
        return;
    }
    case 0x08: case 0x0a: {   /* READ(6), WRITE(6) */
        uint32_t n = cdb[4] ? cdb[4] : 256;
        medium(t, r, op == 0x0a, be(cdb + 1, 3) & 0x1fffff, n);
        return;
    }
    case 0x28: case 0x2a:   /* READ(10), WRITE(10) */
        medium(t, r, op == 0x2a, be(cdb + 2, 4), be(cdb + 7, 2));
        return;
    case 0xa8: case 0xaa:   /* READ(12), WRITE(12) */
        medium(t, r, op == 0xaa, be(cdb + 2, 4), be(cdb + 6, 4));
        return;
    case 0x1a:
        mode_sense(t, cdb, r, false);
        return;
    case 0x5a:
        mode_sense(t, cdb, r, true);
        return;
    case 0x43:
        if (t->cdrom) {
            read_toc(t, cdb, r);
            return;
        }
        break;
    default:
        break;
    }
    emu_log(t->log_dev, EMU_LOG_GUEST, "SCSI target %u: command 0x%02x not supported", t->id, op);
    fail(t, r, SK_ILLEGAL_REQUEST, 0x20, 0);
}

int scsi_target_rw(scsi_target *t, bool write, uint64_t lba, uint32_t n, uint8_t *buf)
{
    uint64_t off = lba * t->block_size, len = (uint64_t)n * t->block_size;
    int rc = write ? emu_block_write(t->blk, off, buf, len) : emu_block_read(t->blk, off, buf, len);
    if (rc < 0) {
        emu_log(t->log_dev, EMU_LOG_WARN, "SCSI target %u: cannot %s block %" PRIu64 " of '%s'",
                t->id, write ? "write" : "read", lba, emu_block_name(t->blk));
        t->sense_key = SK_MEDIUM_ERROR;
        t->asc = write ? 0x0c : 0x11;
        t->ascq = 0;
        return -1;
    }
    return 0;
}
