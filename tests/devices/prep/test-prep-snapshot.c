/* The whole PReP machine as machines.d/prep.yaml builds it: every device's saved state loads
 * into a second machine built from the same file, the guest reads the same through the
 * Raven's I/O window afterwards, and a snapshot of a machine built differently is refused. */
#include <stdlib.h>
#include <unistd.h>
#include "prep-test.h"
#include "config/machine-file.h"
#include "state.h"

#define IO 0x80000000u    /* the Raven's window onto ISA/PCI ports */
#define FW "/usr/share/qemu/openbios-ppc"

static emu_machine *build(const char *file, const char *extra)
{
    const char *src = getenv("EMU_SRCDIR");
    char *path = emu_asprintf("%s/machines.d/%s", src ? src : ".", file);
    const char *sets[] = { "serial=null", extra };
    emu_error *err = NULL;
    emu_machine *m = emu_machine_load(path, sets, extra ? 2 : 1, &err);
    if (!m)
        tap_diag("%s: %s", path, emu_error_message(err));
    emu_error_free(err);
    free(path);
    return m;
}

static uint8_t in(emu_machine *m, unsigned port)
{
    return (uint8_t)pt_rd8(emu_machine_space(m, "system"), IO + port);
}

static void out(emu_machine *m, unsigned port, uint8_t v)
{
    pt_wr8(emu_machine_space(m, "system"), IO + port, v);
}

int main(void)
{
    if (access(FW, R_OK) != 0) {
        printf("1..0 # SKIP %s (Debian's qemu-system-data) is not installed\n", FW);
        return 0;
    }
    emu_machine *a = build("prep.yaml", NULL), *b = build("prep.yaml", NULL);
    ok(a && b, "two machines from prep.yaml");
    if (!a || !b)
        return tap_done();
    emu_error *err = NULL;

    out(a, 0x70, 0x21), out(a, 0x71, 0x77);      /* CMOS byte */
    out(a, 0x3ff, 0x42);                         /* COM1 scratch */
    out(a, 0x81, 0x12);                          /* DMA page register of channel 2 */
    out(a, 0x81c, 0x03);                         /* system control */
    out(a, 0x378, 0x99);                         /* parallel data */
    out(a, 0x21, 0xfb);                          /* PIC mask */
    emu_snapshot snap;
    ok(emu_machine_save_state(a, &snap, &err) == 0, "save every device of the machine");
    ok(emu_machine_load_state(b, &snap, &err) == 0, "load into a second machine");
    if (err)
        tap_diag("%s", emu_error_message(err)), emu_error_free(err), err = NULL;
    out(b, 0x70, 0x21);
    is_u64(in(b, 0x71), 0x77, "CMOS byte");
    is_u64(in(b, 0x3ff), 0x42, "COM1 scratch register");
    is_u64(in(b, 0x81), 0x12, "DMA page register");
    is_u64(in(b, 0x81c), 0x03, "system control register");
    is_u64(in(b, 0x378), 0x99, "parallel port data");
    is_u64(in(b, 0x21), 0xfb, "PIC mask");

    /* prep-disk.yaml has a disk as SCSI target 0: its controller does not take the snapshot. */
    char disk[] = "/tmp/emu-prep-snapshot-XXXXXX";
    int fd = mkstemp(disk);
    if (fd < 0 || ftruncate(fd, 1 << 20) < 0) {
        tap_ok(0, "a 1 MiB disk image");
    } else {
        char *set = emu_asprintf("disk=%s", disk);
        emu_machine *c = build("prep-disk.yaml", set);
        ok(c != NULL, "a machine from prep-disk.yaml");
        if (c) {
            ok(emu_machine_load_state(c, &snap, &err) < 0, "it refuses prep.yaml's snapshot");
            has_str(err ? emu_error_message(err) : "", "SCSI targets", "because of the SCSI targets");
            emu_error_free(err), err = NULL;
            emu_machine_free(c);
        }
        free(set);
    }
    if (fd >= 0)
        close(fd), unlink(disk);
    emu_snapshot_free(&snap);
    emu_machine_free(a);
    emu_machine_free(b);
    return tap_done();
}
