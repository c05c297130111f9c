/* IDE snapshots in the middle of PIO transfers: an ATA READ SECTORS and an ATAPI READ(10)
 * are saved partway through a data block and loaded into a second machine, which delivers the
 * rest of the data, interrupts and status as the first would have; a machine whose disk image
 * has another size refuses the snapshot. */
#include <fcntl.h>
#include <unistd.h>
#include "prep-test.h"
#include "backends/backends.h"
#include "state.h"

typedef struct rig {
    emu_machine *m;
    emu_space *io;
    pt_sink *sink;
} rig;

/* A machine with a disk channel at 0x1f0 (IRQ to sink.in[0]) and, when cd is given, a CD-ROM
   channel at 0x170. */
static bool build(rig *r, const char *disk, const char *cd)
{
    emu_error *err = NULL;
    r->m = emu_machine_new("ide-state", &err);
    r->io = pt_space(r->m, "io", 0x10000);
    r->sink = pt_new_sink(r->m, "sink");
    if (emu_backends_add_blockdev(r->m, "disk", disk, EMU_BLOCK_RO, &err) < 0 ||
        (cd && emu_backends_add_blockdev(r->m, "cd", cd, EMU_BLOCK_RO, &err) < 0)) {
        tap_ok(0, "block devices: %s", emu_error_message(err));
        emu_error_free(err);
        return false;
    }
    emu_device *d0 = pt_device(r->m, "ide", "ide0", (const char *const[]){ "master=disk", NULL });
    emu_device *d1 = pt_device(r->m, "ide", "ide1", cd ? (const char *const[]){
        "master=cd", "master-media=cdrom", NULL } : NULL);
    if (!r->io || !r->sink || !d0 || !d1)
        return false;
    pt_map(d0, "cmd", "io", 0x1f0);
    pt_map(d0, "ctl", "io", 0x3f6);
    pt_map(d1, "cmd", "io", 0x170);
    pt_map(d1, "ctl", "io", 0x376);
    pt_connect(d0, "irq", 0, &r->sink->dev, "in", 0);
    emu_machine_reset(r->m);
    return true;
}

static void read_data(rig *r, unsigned port, uint8_t *out, unsigned n)
{
    for (unsigned i = 0; i < n; i += 2) {
        uint64_t w = pt_rd16(r->io, port);
        out[i] = (uint8_t)w;
        out[i + 1] = (uint8_t)(w >> 8);
    }
}

static bool bytes_are(const uint8_t *p, unsigned sector, unsigned from, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (p[i] != (uint8_t)(sector * 7 + from + i))
            return false;
    return true;
}

int main(void)
{
    char *disk = pt_make_image("/tmp/emu-ide-state-XXXXXX", 64, 512);
    char *other = pt_make_image("/tmp/emu-ide-state2-XXXXXX", 65, 512);
    char *cd = pt_make_image("/tmp/emu-ide-state-cd-XXXXXX", 8, 2048);
    rig a, b, c;
    if (!build(&a, disk, cd) || !build(&b, disk, cd) || !build(&c, other, cd))
        return tap_done();
    uint8_t buf[4096];
    emu_error *err = NULL;

    /* ATA: READ SECTORS of 3 sectors from LBA 5; save after 1.5 of them */
    pt_wr8(a.io, 0x1f6, 0xe0);
    pt_wr8(a.io, 0x1f2, 3);
    pt_wr8(a.io, 0x1f3, 5);
    pt_wr8(a.io, 0x1f4, 0);
    pt_wr8(a.io, 0x1f5, 0);
    pt_wr8(a.io, 0x1f7, 0x20);
    read_data(&a, 0x1f0, buf, 512);
    ok(bytes_are(buf, 5, 0, 512), "machine A reads sector 5");
    read_data(&a, 0x1f0, buf, 256);
    /* ATAPI: READ(10) of 2 CD sectors from 3 with a byte count limit of 2048; save after 1000 */
    static const uint8_t cdb[12] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 2, 0, 0, 0 };
    pt_wr8(a.io, 0x176, 0xa0);
    pt_wr8(a.io, 0x171, 0);
    pt_wr8(a.io, 0x174, 0x00);
    pt_wr8(a.io, 0x175, 0x08);
    pt_wr8(a.io, 0x177, 0xa0);
    for (unsigned i = 0; i < 12; i += 2)
        pt_wr16(a.io, 0x170, cdb[i] | cdb[i + 1] << 8);
    read_data(&a, 0x170, buf, 1000);
    ok(bytes_are(buf, 3, 0, 1000), "machine A reads 1000 bytes of CD sector 3");

    emu_snapshot snap;
    ok(emu_machine_save_state(a.m, &snap, &err) == 0, "save in the middle of both transfers");
    ok(emu_machine_load_state(b.m, &snap, &err) == 0, "load into machine B");
    if (err)
        tap_diag("%s", emu_error_message(err)), emu_error_free(err), err = NULL;

    is_u64(b.sink->level[0], 1, "B's disk channel interrupt is pending, as A's");
    is_u64(pt_rd8(b.io, 0x1f7) & 0x89, 0x08, "B's disk is in the data phase (DRQ, not busy)");
    read_data(&b, 0x1f0, buf, 256);
    ok(bytes_are(buf, 6, 256, 256), "B delivers the second half of sector 6");
    read_data(&b, 0x1f0, buf, 512);
    ok(bytes_are(buf, 7, 0, 512), "then sector 7");
    is_u64(pt_rd8(b.io, 0x1f7) & 0x89, 0x00, "and the command ends");
    read_data(&b, 0x170, buf, 1048);
    ok(bytes_are(buf, 3, 1000, 1048), "B's CD drive delivers the rest of sector 3");
    is_u64(pt_rd8(b.io, 0x174) | pt_rd8(b.io, 0x175) << 8, 2048, "then offers the next block");
    read_data(&b, 0x170, buf, 2048);
    ok(bytes_are(buf, 4, 0, 2048), "sector 4");

    ok(emu_machine_load_state(c.m, &snap, &err) < 0, "a disk image of another size refuses it");
    has_str(err ? emu_error_message(err) : "", "ide 'ide0': restoring its state failed: master drive: the drive's image has another size", "naming the device and drive");
    emu_error_free(err), err = NULL;

    emu_snapshot_free(&snap);
    emu_machine_free(a.m);
    emu_machine_free(b.m);
    emu_machine_free(c.m);
    unlink(disk), unlink(other), unlink(cd);
    free(disk), free(other), free(cd);
    return tap_done();
}
