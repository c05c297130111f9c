/* IDE tests through the channel's ports: empty channels (QEMU's all-zero answers), OpenBIOS's
 * probe, ATA identify/read/write (LBA28, LBA48, CHS, multiple), range and read-only checks,
 * interrupts, the geometry across resets, and ATAPI packets (capacity, READ(10) in DRQ blocks,
 * sense, TOC, empty drive). */
#include <fcntl.h>
#include <unistd.h>
#include "prep-test.h"
#include "backends/backends.h"

static emu_space *io;

#define DATA(b) ((b) + 0)
#define ERRF(b) ((b) + 1)
#define COUNT(b) ((b) + 2)
#define LBA0(b) ((b) + 3)
#define LBA1(b) ((b) + 4)
#define LBA2(b) ((b) + 5)
#define DEV(b) ((b) + 6)
#define CMD(b) ((b) + 7)

static void lba28(unsigned base, unsigned dev, uint32_t lba, uint8_t count, uint8_t cmd)
{
    pt_wr8(io, DEV(base), 0xe0 | dev << 4 | (lba >> 24 & 15));
    pt_wr8(io, COUNT(base), count);
    pt_wr8(io, LBA0(base), lba & 0xff);
    pt_wr8(io, LBA1(base), lba >> 8 & 0xff);
    pt_wr8(io, LBA2(base), lba >> 16 & 0xff);
    pt_wr8(io, CMD(base), cmd);
}

/* Read n bytes from the data port with 16-bit accesses (insw). */
static void read_data(unsigned base, uint8_t *out, unsigned n)
{
    for (unsigned i = 0; i < n; i += 2) {
        uint64_t w = pt_rd16(io, DATA(base));
        out[i] = (uint8_t)w;
        out[i + 1] = (uint8_t)(w >> 8);
    }
}

static bool sector_is(const uint8_t *p, unsigned s, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        if (p[i] != (uint8_t)(s * 7 + i))
            return false;
    return true;
}

/* Send a 12-byte packet with byte count limit `limit`. */
static void packet(unsigned base, const uint8_t *cdb, unsigned limit)
{
    pt_wr8(io, DEV(base), 0xa0);
    pt_wr8(io, ERRF(base), 0);
    pt_wr8(io, LBA1(base), limit & 0xff);
    pt_wr8(io, LBA2(base), limit >> 8);
    pt_wr8(io, CMD(base), 0xa0);
    for (unsigned i = 0; i < 12; i += 2)
        pt_wr16(io, DATA(base), cdb[i] | cdb[i + 1] << 8);
}

static unsigned drq_bytes(unsigned base)
{
    return (unsigned)(pt_rd8(io, LBA1(base)) | pt_rd8(io, LBA2(base)) << 8);
}

static void test_empty(void)
{
    is_u64(pt_rd8(io, CMD(0x170)), 0, "channel without drives: status 0 (as QEMU)");
    pt_wr8(io, COUNT(0x170), 0x55);
    pt_wr8(io, LBA0(0x170), 0xaa);
    ok(pt_rd8(io, COUNT(0x170)) == 0 && pt_rd8(io, LBA0(0x170)) == 0,
       "... and its registers read 0, so a probe finds nothing");
    is_u64(pt_rd8(io, 0x376), 0, "alternate status 0");
}

static void test_ata(pt_sink *sink, const char *disk_path)
{
    const unsigned b = 0x1f0;
    uint8_t buf[8192];
    /* OpenBIOS's probe of drive 0 */
    ok(pt_rd8(io, CMD(b)) != 0xff, "status is not 0xff: the channel exists");
    pt_wr8(io, DEV(b), 0xa0);
    pt_wr8(io, COUNT(b), 0x55);
    pt_wr8(io, LBA0(b), 0xaa);
    ok(pt_rd8(io, COUNT(b)) == 0x55 && pt_rd8(io, LBA0(b)) == 0xaa, "task file registers hold values");
    pt_wr8(io, 0x3f6, 0x06);   /* nIEN | SRST */
    pt_wr8(io, 0x3f6, 0x02);
    ok(pt_rd8(io, COUNT(b)) == 1 && pt_rd8(io, LBA0(b)) == 1 && pt_rd8(io, LBA1(b)) == 0 &&
       pt_rd8(io, LBA2(b)) == 0, "after SRST: ATA signature");
    is_u64(pt_rd8(io, CMD(b)), 0x50, "status DRDY|DSC");
    /* the absent slave */
    pt_wr8(io, DEV(b), 0xb0);
    is_u64(pt_rd8(io, CMD(b)), 0, "absent slave: status 0");
    ok(pt_rd8(io, LBA1(b)) == 0xff && pt_rd8(io, LBA2(b)) == 0xff,
       "absent slave: its signature is ff/ff, so the probe drops it");
    pt_wr8(io, CMD(b), 0xec);
    is_u64(pt_rd8(io, CMD(b)), 0, "a command to the absent slave is ignored");
    pt_wr8(io, 0x3f6, 0x00);

    lba28(b, 0, 0, 0, 0xec);
    ok(sink->level[0], "IDENTIFY raises INTRQ");
    is_u64(pt_rd8(io, CMD(b)), 0x58, "DRQ for the identify block");
    ok(!sink->level[0], "reading status acknowledges INTRQ");
    read_data(b, buf, 512);
    ok(buf[0] == 0x40 && buf[1] == 0, "word 0: fixed disk");
    ok(!memcmp(buf + 54, "EQUMH RADDSI K", 14), "model, byte-swapped per word");
    ok((buf[120] | buf[121] << 8 | buf[122] << 16) == 2048, "LBA capacity 2048 sectors");
    ok(buf[2] == 2 && buf[6] == 16 && buf[12] == 63, "CHS 2/16/63");
    is_u64(pt_rd8(io, CMD(b)), 0x50, "identify done: no DRQ");

    lba28(b, 0, 5, 2, 0x20);
    ok(sink->level[0] && (pt_rd8(io, CMD(b)) & 0x08), "READ SECTORS: interrupt and DRQ");
    read_data(b, buf, 512);
    ok(sector_is(buf, 5, 512), "sector 5");
    ok(sink->level[0], "interrupt for the second block");
    read_data(b, buf, 512);
    ok(sector_is(buf, 6, 512), "sector 6");
    is_u64(pt_rd8(io, CMD(b)), 0x50, "command over");
    is_u64(pt_rd8(io, LBA0(b)), 6, "task file shows the last sector read");
    is_u64(pt_rd16(io, DATA(b)), 0, "data port reads 0 without DRQ");

    pt_wr8(io, COUNT(b), 4);
    pt_wr8(io, CMD(b), 0xc6);
    is_u64(pt_rd8(io, CMD(b)), 0x50, "SET MULTIPLE 4");
    lba28(b, 0, 100, 8, 0xc4);
    pt_rd8(io, CMD(b));
    for (unsigned i = 0; i < 2048; i += 4) {
        uint32_t w = (uint32_t)pt_rd32(io, DATA(b));
        memcpy(buf + i, (uint8_t[4]){ (uint8_t)w, (uint8_t)(w >> 8), (uint8_t)(w >> 16),
                                       (uint8_t)(w >> 24) }, 4);
    }
    ok(sector_is(buf, 100, 512) && sector_is(buf + 1536, 103, 512),
       "READ MULTIPLE: first block of 4 sectors, 32-bit data reads");
    ok(pt_rd8(io, CMD(b)) & 0x08, "second block waiting");
    read_data(b, buf, 2048);
    ok(sector_is(buf + 1536, 107, 512), "second block ends with sector 107");

    /* LBA48: sector 2000, count 1 */
    pt_wr8(io, DEV(b), 0x40);
    pt_wr8(io, COUNT(b), 0);
    pt_wr8(io, COUNT(b), 1);
    pt_wr8(io, LBA0(b), 0);
    pt_wr8(io, LBA0(b), 2000 & 0xff);
    pt_wr8(io, LBA1(b), 0);
    pt_wr8(io, LBA1(b), 2000 >> 8);
    pt_wr8(io, LBA2(b), 0);
    pt_wr8(io, LBA2(b), 0);
    pt_wr8(io, CMD(b), 0x24);
    read_data(b, buf, 512);
    ok(sector_is(buf, 2000, 512), "READ SECTORS EXT: sector 2000");

    /* CHS: cylinder 1, head 2, sector 3 = (1*16 + 2)*63 + 2 = 1136 */
    pt_wr8(io, DEV(b), 0xa2);
    pt_wr8(io, COUNT(b), 1);
    pt_wr8(io, LBA0(b), 3);
    pt_wr8(io, LBA1(b), 1);
    pt_wr8(io, LBA2(b), 0);
    pt_wr8(io, CMD(b), 0x20);
    read_data(b, buf, 512);
    ok(sector_is(buf, 1136, 512), "CHS read: C/H/S 1/2/3 is sector 1136");

    /* Writes */
    lba28(b, 0, 10, 1, 0x30);
    ok(!sink->level[0] && (pt_rd8(io, CMD(b)) & 0x08), "WRITE SECTORS: DRQ without an interrupt");
    for (unsigned i = 0; i < 512; i += 2)
        pt_wr16(io, DATA(b), 0x4241);
    ok(sink->level[0] && pt_rd8(io, CMD(b)) == 0x50, "write done: interrupt, no DRQ");
    int fd = open(disk_path, O_RDONLY);
    uint8_t chk[2] = { 0 };
    if (pread(fd, chk, 2, 10 * 512 + 100) != 2)
        tap_ok(0, "pread");
    close(fd);
    ok(chk[0] == 'A' && chk[1] == 'B', "sector 10 written to the image");

    /* Guest mistakes */
    lba28(b, 0, 2047, 2, 0x20);
    ok((pt_rd8(io, CMD(b)) & 0x09) == 0x01 && (pt_rd8(io, ERRF(b)) & 0x14) == 0x14,
       "reading past the end: ERR with IDNF|ABRT, no data");
    lba28(b, 0, 0x0fffffff, 0, 0x20);
    ok(pt_rd8(io, CMD(b)) & 0x01, "huge LBA and a 256-sector count refused");
    pt_wr8(io, DEV(b), 0xaf);
    pt_wr8(io, COUNT(b), 1);
    pt_wr8(io, LBA0(b), 0);
    pt_wr8(io, CMD(b), 0x20);
    ok(pt_rd8(io, CMD(b)) & 0x01, "CHS sector 0 refused");
    lba28(b, 0, 0, 1, 0xc8);
    ok(pt_rd8(io, CMD(b)) & 0x01, "DMA read refused (PIO only)");
    lba28(b, 0, 0, 1, 0x5a);
    ok(pt_rd8(io, CMD(b)) & 0x01, "unknown command aborted");
    pt_wr8(io, 0x3f6, 0x02);
    lba28(b, 0, 0, 1, 0x20);
    ok(!sink->level[0], "nIEN masks INTRQ");
    pt_wr8(io, 0x3f6, 0x00);
    ok(sink->level[0], "... which appears when nIEN clears");
    read_data(b, buf, 512);
    pt_wr8(io, CMD(b), 0xe7);
    is_u64(pt_rd8(io, CMD(b)), 0x50, "FLUSH CACHE");
}

/* The current heads and sectors per track (IDENTIFY words 55 and 56) of drive 0 at `base`. */
static unsigned current_geometry(unsigned base, unsigned *secs)
{
    uint8_t id[512];
    lba28(base, 0, 0, 0, 0xec);
    pt_rd8(io, CMD(base));
    read_data(base, id, 512);
    *secs = id[112] | id[113] << 8;
    return id[110] | id[111] << 8;
}

/* INITIALIZE DEVICE PARAMETERS survives a software reset, not a machine reset. */
static void test_geometry_reset(emu_machine *m)
{
    const unsigned b = 0x1f0;
    unsigned heads, secs;
    pt_wr8(io, DEV(b), 0xa7);
    pt_wr8(io, COUNT(b), 32);
    pt_wr8(io, CMD(b), 0x91);
    is_u64(pt_rd8(io, CMD(b)), 0x50, "INITIALIZE DEVICE PARAMETERS 8 heads, 32 sectors");
    heads = current_geometry(b, &secs);
    ok(heads == 8 && secs == 32, "IDENTIFY shows the current geometry 8/32 (%u/%u)", heads, secs);
    pt_wr8(io, 0x3f6, 0x04);
    pt_wr8(io, 0x3f6, 0x00);
    heads = current_geometry(b, &secs);
    ok(heads == 8 && secs == 32, "SRST keeps it (%u/%u)", heads, secs);
    emu_machine_reset(m);
    heads = current_geometry(b, &secs);
    ok(heads == 16 && secs == 63, "a machine reset brings back the default 16/63 (%u/%u)", heads,
       secs);
}

static void test_readonly(void)
{
    const unsigned b = 0x1e8;
    lba28(b, 0, 1, 1, 0x30);
    ok((pt_rd8(io, CMD(b)) & 0x09) == 0x01, "write to a read-only image refused");
    lba28(b, 0, 1, 1, 0x20);
    uint8_t buf[512];
    read_data(b, buf, 512);
    ok(sector_is(buf, 1, 512), "reads still work");
}

static void test_atapi(void)
{
    const unsigned b = 0x168;
    uint8_t buf[8192];
    ok(pt_rd8(io, LBA1(b)) == 0x14 && pt_rd8(io, LBA2(b)) == 0xeb, "ATAPI signature");
    pt_wr8(io, DEV(b), 0xa0);
    pt_wr8(io, CMD(b), 0xec);
    ok((pt_rd8(io, CMD(b)) & 1) && pt_rd8(io, LBA1(b)) == 0x14, "ATA IDENTIFY aborts, signature kept");
    pt_wr8(io, CMD(b), 0xa1);
    read_data(b, buf, 512);
    ok(buf[1] == 0x85 && buf[0] == 0xc0, "IDENTIFY PACKET: removable ATAPI CD-ROM");

    packet(b, (uint8_t[12]){ 0x00 }, 0);
    ok(pt_rd8(io, CMD(b)) == 0x50 && (pt_rd8(io, COUNT(b)) & 3) == 3, "TEST UNIT READY: good");
    packet(b, (uint8_t[12]){ 0x25 }, 0xfffe);
    ok((pt_rd8(io, CMD(b)) & 0x08) && drq_bytes(b) == 8 && (pt_rd8(io, COUNT(b)) & 3) == 2,
       "READ CAPACITY: 8 bytes to the host");
    read_data(b, buf, 8);
    ok(buf[3] == 9 && buf[6] == 0x08 && buf[7] == 0, "last LBA 9, 2048-byte blocks");
    packet(b, (uint8_t[12]){ 0x28, 0, 0, 0, 0, 2, 0, 0, 3 }, 0xffff);
    is_u64(drq_bytes(b), 6144, "READ(10) of 3 sectors in one DRQ block");
    read_data(b, buf, 6144);
    ok(sector_is(buf, 2, 2048) && sector_is(buf + 4096, 4, 2048), "CD sectors 2..4");
    ok(pt_rd8(io, CMD(b)) == 0x50 && (pt_rd8(io, COUNT(b)) & 3) == 3, "then command complete");
    packet(b, (uint8_t[12]){ 0x28, 0, 0, 0, 0, 7, 0, 0, 2 }, 1000);
    unsigned got = 0, blocks = 0;
    while (pt_rd8(io, CMD(b)) & 0x08) {
        unsigned n = drq_bytes(b);
        if (n > 1000 || got + n > 4096)
            break;
        read_data(b, buf + got, n);
        got += n;
        blocks++;
    }
    ok(got == 4096 && blocks == 5 && sector_is(buf, 7, 2048) && sector_is(buf + 2048, 8, 2048),
       "byte count limit 1000: 4096 bytes in 5 DRQ blocks");
    packet(b, (uint8_t[12]){ 0x28, 0, 0, 0, 0, 9, 0, 0, 2 }, 0xfffe);
    ok(pt_rd8(io, CMD(b)) & 0x01 && pt_rd8(io, ERRF(b)) >> 4 == 5, "read past the disc: check condition");
    packet(b, (uint8_t[12]){ 0x03, 0, 0, 0, 18 }, 18);
    read_data(b, buf, 18);
    ok(buf[2] == 0x05 && buf[12] == 0x21, "sense: illegal request, LBA out of range");
    packet(b, (uint8_t[12]){ 0xff }, 0);
    packet(b, (uint8_t[12]){ 0x03, 0, 0, 0, 18 }, 18);
    read_data(b, buf, 18);
    ok(buf[2] == 0x05 && buf[12] == 0x20, "unknown packet: invalid command operation code");
    packet(b, (uint8_t[12]){ 0x12, 0, 0, 0, 36 }, 36);
    read_data(b, buf, 36);
    ok(buf[0] == 5 && buf[1] == 0x80 && !memcmp(buf + 16, "QEMU DVD-ROM", 12), "INQUIRY");
    packet(b, (uint8_t[12]){ 0x12, 1, 0, 0, 255 }, 0xfffe);
    is_u64(drq_bytes(b), 5, "INQUIRY of the VPD page list: an odd 5 bytes");
    read_data(b, buf, 6);
    ok(buf[0] == 5 && buf[3] == 1 && buf[5] == 0 && pt_rd8(io, CMD(b)) == 0x50,
       "sent in 3 words, the last padded; then complete");
    packet(b, (uint8_t[12]){ 0x43, 0, 0, 0, 0, 0, 0, 0, 20 }, 20);
    read_data(b, buf, 20);
    ok(buf[1] == 18 && buf[6] == 1 && buf[14] == 0xaa && buf[19] == 10, "TOC: track 1, lead-out at 10");
    pt_wr8(io, ERRF(b), 1);
    pt_wr8(io, CMD(b), 0xa0);
    ok(pt_rd8(io, CMD(b)) & 1, "packet with DMA refused");

    /* The empty drive of the secondary master's slave position */
    const unsigned e = 0x168;
    pt_wr8(io, DEV(e), 0xb0);
    pt_wr8(io, ERRF(e), 0);
    pt_wr8(io, LBA1(e), 0);
    pt_wr8(io, LBA2(e), 0);
    pt_wr8(io, CMD(e), 0xa0);
    for (unsigned i = 0; i < 6; i++)
        pt_wr16(io, DATA(e), 0);
    ok((pt_rd8(io, CMD(e)) & 1) && pt_rd8(io, ERRF(e)) >> 4 == 2, "empty drive: not ready");
    pt_wr8(io, LBA1(e), 18);
    pt_wr8(io, CMD(e), 0xa0);
    for (unsigned i = 0; i < 12; i += 2)
        pt_wr16(io, DATA(e), i == 0 ? 0x03 : i == 4 ? 18 : 0);
    read_data(e, buf, 18);
    is_u64(buf[12], 0x3a, "sense: medium not present");
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("ide-test", &err);
    io = pt_space(m, "io", 0x10000);
    emu_space_set_unassigned_value(io, 0);
    pt_sink *sink = pt_new_sink(m, "sink");
    char *disk = pt_make_image("/tmp/emu-disk-XXXXXX", 2048, 512);
    char *disk2 = pt_make_image("/tmp/emu-disk2-XXXXXX", 16, 512);
    char *cd = pt_make_image("/tmp/emu-cd-XXXXXX", 10, 2048);
    ok(emu_backends_add_blockdev(m, "disk", disk, EMU_BLOCK_RW, &err) == 0 &&
       emu_backends_add_blockdev(m, "disk-ro", disk2, EMU_BLOCK_RO, &err) == 0 &&
       emu_backends_add_blockdev(m, "cd", cd, EMU_BLOCK_RO, &err) == 0, "block devices");
    emu_device *ide0 = pt_device(m, "ide", "ide0", (const char *const[]){ "master=disk", NULL });
    emu_device *ide1 = pt_device(m, "ide", "ide1", (const char *const[]){
        "master=cd", "master-media=cdrom", "slave-media=cdrom", NULL });
    emu_device *ide2 = pt_device(m, "ide", "ide2", NULL);
    emu_device *ide3 = pt_device(m, "ide", "ide3", (const char *const[]){ "master=disk-ro", NULL });
    if (!m || !io || !sink || !ide0 || !ide1 || !ide2 || !ide3)
        return tap_done();
    pt_map(ide0, "cmd", "io", 0x1f0);
    pt_map(ide0, "ctl", "io", 0x3f6);
    pt_map(ide1, "cmd", "io", 0x168);
    pt_map(ide1, "ctl", "io", 0x36e);
    pt_map(ide2, "cmd", "io", 0x170);
    pt_map(ide2, "ctl", "io", 0x376);
    pt_map(ide3, "cmd", "io", 0x1e8);
    pt_map(ide3, "ctl", "io", 0x3ee);
    pt_connect(ide0, "irq", 0, &sink->dev, "in", 0);
    emu_machine_reset(m);

    test_empty();
    test_ata(sink, disk);
    test_geometry_reset(m);
    test_readonly();
    test_atapi();

    char *msg = pt_device_error(m, "ide", "ide4", (const char *const[]){ "master=disk",
                                                                       "slave=disk", NULL });
    has_str(msg, "cannot share the block device", "one image for two drives refused");
    free(msg);
    emu_machine_free(m);
    unlink(disk);
    unlink(disk2);
    unlink(cd);
    free(disk);
    free(disk2);
    free(cd);
    return tap_done();
}
