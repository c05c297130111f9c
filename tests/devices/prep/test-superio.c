/* The 40p's Super I/O parts: PC87312 configuration registers (identification bytes, the 40p's
 * FER/FAR/PTR after reset, data taking effect on the second of two writes, registers that do
 * not exist) and the parallel port (latch, status of a printer and of an empty port, control,
 * bytes strobed out to the printer with the acknowledge interrupt), with snapshots. */
#include <string.h>
#include "prep-test.h"
#include "backends/backends.h"
#include "state.h"

static emu_space *io;

static uint8_t in(unsigned port) { return (uint8_t)pt_rd8(io, port); }
static void out(unsigned port, uint8_t v) { pt_wr8(io, port, v); }

static uint8_t cfg_read(unsigned index)
{
    out(0x398, (uint8_t)index);
    return in(0x399);
}

static void test_pc87312(void)
{
    is_u64(in(0x398), 0x88, "first index read after reset: identification byte 0x88");
    is_u64(in(0x398), 0x00, "second: 0x00");
    is_u64(in(0x398), 0x00, "then the index (0)");
    is_u64(cfg_read(0), 0x0f, "FER: parallel, UART 1, UART 2, floppy; no IDE");
    is_u64(cfg_read(1), 0x10, "FAR: parallel 0x378, UART 1 0x3F8, UART 2 0x2F8");
    is_u64(cfg_read(2), 0x00, "PTR: powered, parallel IRQ 5, unlocked");
    is_u64(in(0x398), 0x02, "the index reads back");
    is_u64(cfg_read(7), 0x00, "a register that does not exist reads 0 (as on QEMU)");

    out(0x398, 2);
    out(0x399, 0x08);
    is_u64(in(0x399), 0x00, "one data write changes nothing");
    out(0x399, 0x08);
    out(0x399, 0x08);
    is_u64(in(0x399), 0x08, "the second of two writes in a row takes effect");
    out(0x399, 0x00);
    in(0x398);
    out(0x399, 0x00);
    is_u64(in(0x399), 0x08, "a read between the two writes starts the count again");
    out(0x398, 9);
    out(0x399, 0x55);
    out(0x399, 0x55);
    is_u64(cfg_read(2), 0x08, "writes to a register that does not exist go nowhere");
}

static void test_parallel(emu_chardev *chr, pt_sink *sink)
{
    is_u64(in(0x379), 0xd8, "status: a ready printer (not busy, on line, paper, no error)");
    is_u64(in(0x37a), 0xc0, "control after reset: 0, bits 6-7 read 1");
    out(0x378, 0x5a);
    is_u64(in(0x378), 0x5a, "data latch reads back");
    out(0x37a, 0x20);
    is_u64(in(0x378), 0xff, "input direction: nothing drives the lines");

    /* Print "Hi" as a driver does: data, then STROBE# pulsed with INIT# high. */
    emu_chardev_buffer_clear(chr);
    out(0x37a, 0x0c);                 /* INIT# high, SELECT IN */
    const char *text = "Hi";
    for (int i = 0; i < 2; i++) {
        out(0x378, (uint8_t)text[i]);
        out(0x37a, 0x0d);
        out(0x37a, 0x0c);
    }
    size_t len;
    const char *got = emu_chardev_buffer_output(chr, &len);
    ok(len == 2 && !memcmp(got, "Hi", 2), "strobed bytes reach the printer");
    is_u64(sink->rises[0], 0, "no interrupt with control bit 4 clear");
    out(0x37a, 0x1c);                 /* interrupts on */
    out(0x378, '!');
    out(0x37a, 0x1d);
    out(0x37a, 0x1d);                 /* STROBE# held: one byte only */
    out(0x37a, 0x1c);
    got = emu_chardev_buffer_output(chr, &len);
    ok(len == 3 && got[2] == '!', "a held strobe sends one byte");
    is_u64(sink->rises[0], 1, "the acknowledge pulses the interrupt");
    out(0x37a, 0x19);                 /* INIT# low: the printer is held in reset */
    out(0x37a, 0x18);
    emu_chardev_buffer_output(chr, &len);
    is_u64(len, 3, "nothing is printed while INIT# holds the printer in reset");
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("superio-test", &err);
    io = pt_space(m, "pci-io", 0x10000);
    if (emu_backends_add_chardev(m, "lp", "buffer", &err) < 0)
        return tap_done();
    emu_device *sio = pt_device(m, "pc87312", "sio", NULL);
    emu_device *lpt = pt_device(m, "parallel", "lpt", (const char *const[]){ "chardev=lp", NULL });
    emu_device *bare = pt_device(m, "parallel", "lpt2", NULL);
    pt_sink *sink = pt_new_sink(m, "sink");
    if (!sio || !lpt || !bare || !sink)
        return tap_done();
    pt_map(sio, "config", "pci-io", 0x398);
    pt_map(lpt, "io", "pci-io", 0x378);
    pt_map(bare, "io", "pci-io", 0x278);
    pt_connect(lpt, "irq", 0, &sink->dev, "in", 0);
    emu_machine_reset(m);

    test_pc87312();
    test_parallel(emu_backends_chardev(m, "lp"), sink);
    is_u64(in(0x279), 0x78, "a port with no printer: BUSY, PE, SELECT, ERROR# and ACK# float high");
    is_u64(in(0x27b), 0xff, "no EPP registers in compatible mode");

    /* Snapshots: save, change, restore. */
    out(0x398, 1);
    out(0x399, 0x11);   /* armed: the next data write would take effect */
    out(0x378, 0xa5);
    emu_snapshot snap;
    ok(emu_machine_save_state(m, &snap, &err) == 0, "save");
    out(0x398, 0);
    out(0x378, 0x00);
    out(0x37a, 0x00);
    ok(emu_machine_load_state(m, &snap, &err) == 0, "restore");
    is_u64(in(0x378), 0xa5, "parallel data restored");
    is_u64(in(0x37a), 0xd8, "parallel control restored");
    emu_machine_load_state(m, &snap, &err);
    out(0x399, 0x11);
    is_u64(in(0x399), 0x11, "the Super I/O index and the armed write were restored");
    emu_snapshot bad = { malloc(snap.len), snap.len, snap.len };
    memcpy(bad.data, snap.data, snap.len);
    uint16_t nl = 7;
    uint64_t v = 0x40;
    for (size_t i = 0; i + 2 + nl + 4 + 8 <= bad.len; i++)
        if (!memcmp(bad.data + i, &nl, 2) && !memcmp(bad.data + i + 2, "control", nl)) {
            memcpy(bad.data + i + 2 + nl + 4, &v, 8);
            break;
        }
    ok(emu_machine_load_state(m, &bad, &err) < 0, "a control value with bit 6 is refused");
    has_str(err ? emu_error_message(err) : "", "control", "the message names the field");
    emu_error_free(err);
    free(bad.data);
    emu_snapshot_free(&snap);
    emu_machine_free(m);
    return tap_done();
}
