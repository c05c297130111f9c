/* ISA chip tests with the virtual clock moved by hand: MC146818 (calendar, modes, SET, dividers,
 * periodic/update/alarm interrupts), M48T59 (ports, clock with W/R/ST, watchdog, alarm, image
 * file), i8042 (controller commands, keyboard and mouse replies, interrupts) and the PReP
 * system I/O registers. */
#include <fcntl.h>
#include <unistd.h>
#include "prep-test.h"
#include "backends/backends.h"
#include "clock/clock.h"
#include "emu/nvram.h"

static emu_machine *m;
static emu_space *io;

static void advance_ns(uint64_t ns)
{
    emu_clock_advance_to(m, emu_clock_ns(m) + ns);
    emu_clock_run_due(m);
}

static uint8_t cmos(unsigned reg)
{
    pt_wr8(io, 0x70, reg);
    return (uint8_t)pt_rd8(io, 0x71);
}

static void cmos_set(unsigned reg, uint8_t v)
{
    pt_wr8(io, 0x70, reg);
    pt_wr8(io, 0x71, v);
}

static uint8_t nv(unsigned addr)
{
    pt_wr8(io, 0x74, addr & 0xff);
    pt_wr8(io, 0x75, addr >> 8);
    return (uint8_t)pt_rd8(io, 0x77);
}

static void nv_set(unsigned addr, uint8_t v)
{
    pt_wr8(io, 0x74, addr & 0xff);
    pt_wr8(io, 0x75, addr >> 8);
    pt_wr8(io, 0x77, v);
}

static void test_mc146818(pt_sink *sink)
{
    emu_device *rtc = pt_device(m, "mc146818", "rtc", (const char *const[]){
        "start-time=2024-02-29T23:59:58", "base-year=1900", NULL });
    if (!rtc)
        return;
    pt_map(rtc, "io", "io", 0x70);
    pt_connect(rtc, "irq", 0, &sink->dev, "in", 0);
    emu_machine_reset(m);

    ok(cmos(0) == 0x58 && cmos(2) == 0x59 && cmos(4) == 0x23, "time in BCD, 24 hours");
    ok(cmos(7) == 0x29 && cmos(8) == 0x02 && cmos(9) == 0x24 && cmos(6) == 5,
       "date: Thursday 29 Feb (20)24");
    is_u64(cmos(0x32), 0x01, "century register counts from base-year 1900");
    is_u64(cmos(0x0a), 0x26, "register A: 32 kHz divider, 1024 Hz rate");
    is_u64(cmos(0x0d), 0x80, "register D: valid RAM and time");
    is_u64(pt_rd8(io, 0x70), 0xff, "the index port reads 0xff");

    advance_ns(2000000000ull);
    ok(cmos(0) == 0x00 && cmos(2) == 0x00 && cmos(4) == 0x00 && cmos(7) == 0x01 && cmos(8) == 0x03,
       "two seconds later: 1 March 00:00:00 (leap year)");
    advance_ns(999800000ull);
    is_u64(cmos(0x0a) & 0x80, 0x80, "UIP set in the last 244 us of a second");
    advance_ns(300000ull);
    is_u64(cmos(0x0a) & 0x80, 0, "UIP clear after the update");
    is_u64(cmos(0), 0x01, "and the seconds moved on");

    cmos_set(0x0b, 0x06);
    is_u64(cmos(2), 0, "binary mode: minutes 0");
    cmos_set(0x00, 30);
    is_u64(cmos(0), 30, "binary seconds written and read back");
    cmos_set(0x0b, 0x00);
    is_u64(cmos(4), 0x12, "12-hour BCD: midnight is 12 AM");
    cmos_set(0x0b, 0x02);

    /* SET mode: the clock holds what the guest writes, then runs on from it */
    cmos_set(0x0b, 0x82);
    cmos_set(0x04, 0x13);
    cmos_set(0x02, 0x45);
    advance_ns(5000000000ull);
    ok(cmos(4) == 0x13 && cmos(2) == 0x45, "SET mode holds the registers");
    cmos_set(0x0b, 0x02);
    advance_ns(1000000000ull);
    ok(cmos(4) == 0x13 && cmos(2) == 0x45 && cmos(0) == 0x31, "leaving SET runs on from them");

    /* Divider reset stops the clock; leaving it, the first update comes 500 ms later */
    uint8_t sec = cmos(0);
    cmos_set(0x0a, 0x76);
    advance_ns(3000000000ull);
    is_u64(cmos(0), sec, "divider reset holds the time");
    cmos_set(0x0a, 0x26);
    advance_ns(400000000ull);
    is_u64(cmos(0), sec, "400 ms after release: not yet updated");
    advance_ns(200000000ull);
    is_u64(cmos(0), sec + 1, "600 ms after release: one second on");

    /* Periodic interrupt at 1024 Hz */
    cmos(0x0c);
    cmos_set(0x0b, 0x42);
    ok(!sink->level[0], "no interrupt before the first period");
    advance_ns(1000000ull);
    ok(sink->level[0], "periodic interrupt after ~1 ms");
    is_u64(cmos(0x0c) & 0xc0, 0xc0, "register C: IRQF and PF");
    ok(!sink->level[0], "reading C lowers the line");
    int rises = sink->rises[0];
    advance_ns(10000000ull);
    is_u64(sink->rises[0] - rises, 1, "the line stays up until C is read");
    cmos(0x0c);
    cmos_set(0x0b, 0x02);
    cmos(0x0c);

    /* Update-ended and alarm interrupts */
    cmos_set(0x0b, 0x12);
    advance_ns(1000000000ull);
    ok(sink->level[0] && (cmos(0x0c) & 0x90) == 0x90, "update-ended interrupt each second");
    cmos_set(0x0b, 0x02);
    /* Alarm 3 s ahead (seconds stay below 57 here: the clock reads hh:45:3x) */
    unsigned now = (unsigned)(cmos(0) >> 4) * 10 + (cmos(0) & 15);
    cmos_set(0x01, (uint8_t)(((now + 3) / 10) << 4 | (now + 3) % 10));
    cmos_set(0x03, cmos(2));
    cmos_set(0x05, 0xc0);   /* any hour */
    cmos(0x0c);
    cmos_set(0x0b, 0x22);
    advance_ns(2000000000ull);
    ok(!sink->level[0], "no alarm after 2 s");
    advance_ns(1000000000ull);
    ok(sink->level[0] && (cmos(0x0c) & 0xa0) == 0xa0, "alarm interrupt at the alarm second");

    cmos_set(0x0c, 0xff);
    is_u64(cmos(0x0c), 0, "register C is read-only");
    cmos_set(0x0b, 0x72);
    emu_machine_reset(m);
    is_u64(cmos(0x0b), 0x02, "reset clears the interrupt enables");

    const emu_nvram_ops *nvops = emu_nvram(rtc);
    ok(nvops && nvops->size(rtc) == 128, "CMOS offered as 128 bytes of NVRAM");
    if (nvops) {
        ok(nvops->write(rtc, 0x2e, "\xa9\x6a", 2) == 0, "board writes the CMOS checksum");
        ok(cmos(0x2e) == 0xa9 && cmos(0x2f) == 0x6a, "guest reads it");
        ok(nvops->write(rtc, 127, "ab", 2) < 0, "writes past the end refused");
    }
    cmos_set(0x40, 0x5a);
    is_u64(cmos(0x40), 0x5a, "CMOS RAM byte");
    cmos_set(0xc0, 0x11);
    is_u64(cmos(0x40), 0x11, "bit 7 of the index (NMI mask) is not part of the address");

}

static void test_m48t59(pt_sink *sink)
{
    char path[] = "/tmp/emu-m48t59-XXXXXX";
    int fd = mkstemp(path);
    ok(fd >= 0 && ftruncate(fd, 0x2000) == 0, "NVRAM image file");
    pwrite(fd, "\x42", 1, 0x100);
    emu_error *err = NULL;
    ok(emu_backends_add_blockdev(m, "nvimg", path, EMU_BLOCK_RW, &err) == 0, "image as blockdev");
    emu_device *nvr = pt_device(m, "m48t59", "nvram", (const char *const[]){
        "start-time=1999-12-31T23:59:59", "image=nvimg", NULL });
    if (!nvr)
        return;
    pt_map(nvr, "io", "io", 0x74);
    pt_map(nvr, "mem", "system", 0xf8000000);
    pt_connect(nvr, "irq", 0, &sink->dev, "in", 1);
    pt_connect(nvr, "reset", 0, &sink->dev, "in", 2);
    emu_machine_reset(m);

    is_u64(nv(0x100), 0x42, "contents loaded from the image");
    nv_set(0x1234, 0xa5);
    is_u64(nv(0x1234), 0xa5, "byte written and read through ports 0x74/0x75/0x77");
    uint8_t b = 0;
    pread(fd, &b, 1, 0x1234);
    is_u64(b, 0xa5, "written through to the image");
    is_u64(pt_rd8(io, 0x74), 0xff, "address ports read 0xff");
    is_u64(pt_rd8(emu_machine_space(m, "system"), 0xf8001234), 0xa5, "the same byte as memory");

    ok(nv(0x1ff9) == 0x59 && nv(0x1ffa) == 0x59 && nv(0x1ffb) == 0x23 && nv(0x1fff) == 0x99,
       "clock: 23:59:59 (19)99");
    advance_ns(1000000000ull);
    ok(nv(0x1ff9) == 0x00 && nv(0x1ffd) == 0x01 && nv(0x1ffe) == 0x01 && nv(0x1fff) == 0x00,
       "one second later: 1 January (20)00 with base year 1900 gives year 00");
    nv_set(0x1ff8, 0x40);   /* R: freeze for reading */
    advance_ns(3000000000ull);
    is_u64(nv(0x1ff9), 0x00, "R bit freezes the registers");
    nv_set(0x1ff8, 0x00);
    is_u64(nv(0x1ff9), 0x03, "clearing R shows the running time");
    nv_set(0x1ff8, 0x80);   /* W: set the time */
    nv_set(0x1ffb, 0x12);
    nv_set(0x1ffa, 0x34);
    nv_set(0x1ff9, 0x56);
    advance_ns(2000000000ull);
    nv_set(0x1ff8, 0x00);
    ok(nv(0x1ffb) == 0x12 && nv(0x1ffa) == 0x34 && nv(0x1ff9) == 0x56, "W bit: time written");
    nv_set(0x1ff9, 0x80 | 0x56);   /* ST: stop */
    advance_ns(5000000000ull);
    is_u64(nv(0x1ff9), 0xd6, "ST stops the oscillator");
    nv_set(0x1ff9, 0x56);
    advance_ns(1000000000ull);
    is_u64(nv(0x1ff9), 0x57, "and restarts it");

    /* Watchdog: 1 x 1/16 s, steering to reset */
    int resets = sink->rises[2];
    nv_set(0x1ff7, 0x80 | 1 << 2);
    advance_ns(60000000ull);
    is_u64(sink->rises[2], resets, "watchdog not yet expired at 60 ms");
    advance_ns(5000000ull);
    is_u64(sink->rises[2], resets + 1, "watchdog reset pulse at 62.5 ms");
    ok(nv(0x1ff0) & 0x80, "WDF set");
    is_u64(nv(0x1ff0) & 0x80, 0, "flags clear when read");

    /* Alarm each minute at second 5 */
    int irqs = sink->rises[1];
    nv_set(0x1ff2, 0x05);
    nv_set(0x1ff3, 0x80);
    nv_set(0x1ff4, 0x80);
    nv_set(0x1ff5, 0x80);
    nv_set(0x1ff6, 0x80);
    advance_ns(67000000000ull);
    is_u64(sink->rises[1], irqs + 1, "alarm interrupt once in 67 s");
    ok(nv(0x1ff0) & 0x40, "AF set");

    const emu_nvram_ops *ops = emu_nvram(nvr);
    ok(ops && ops->size(nvr) == 0x2000, "8 KiB NVRAM interface");
    if (ops) {
        ok(ops->write(nvr, 0, "QEMU_BIOS", 10) == 0 && nv(0) == 'Q', "board writes a header");
        ok(ops->read(nvr, 0x1ff0, &b, 17) < 0, "reads past the end refused");
    }
    nv_set(0x2345, 1);
    ok(1, "an address beyond 8 KiB is survived");

    close(fd);
    unlink(path);
}

static void test_i8042(pt_sink *sink)
{
    emu_device *kbc = pt_device(m, "i8042", "kbc", NULL);
    if (!kbc)
        return;
    pt_map(kbc, "data", "io", 0x60);
    pt_map(kbc, "command", "io", 0x64);
    pt_connect(kbc, "kbd-irq", 0, &sink->dev, "in", 3);
    pt_connect(kbc, "mouse-irq", 0, &sink->dev, "in", 4);
    pt_connect(kbc, "reset", 0, &sink->dev, "in", 5);
    emu_machine_reset(m);

    is_u64(pt_rd8(io, 0x64), 0x18, "status after reset (as QEMU)");
    /* OpenBIOS's pc_kbd sequence */
    pt_wr8(io, 0x64, 0xae);
    is_u64(pt_rd8(io, 0x64) & 2, 0, "input buffer never busy");
    pt_wr8(io, 0x64, 0x60);
    pt_wr8(io, 0x60, 0x40);
    pt_wr8(io, 0x60, 0xff);
    is_u64(pt_rd8(io, 0x64) & 1, 1, "keyboard reply waiting");
    is_u64(pt_rd8(io, 0x60), 0xfa, "keyboard acknowledges reset");
    is_u64(pt_rd8(io, 0x60), 0xaa, "then passes its self test");
    is_u64(pt_rd8(io, 0x64) & 1, 0, "output buffer empty");
    ok(!sink->level[3], "command byte 0x40: keyboard interrupt off");

    pt_wr8(io, 0x64, 0x60);
    pt_wr8(io, 0x60, 0x03);
    pt_wr8(io, 0x64, 0x20);
    ok(sink->level[3], "keyboard interrupt when a byte waits and interrupts are on");
    is_u64(pt_rd8(io, 0x60), 0x03, "command byte read back");
    ok(!sink->level[3], "reading the byte lowers the interrupt");
    pt_wr8(io, 0x64, 0xaa);
    is_u64(pt_rd8(io, 0x60), 0x55, "controller self test passes");
    is_u64(pt_rd8(io, 0x64) & 4, 4, "system flag set");
    pt_wr8(io, 0x60, 0xf2);
    ok(pt_rd8(io, 0x60) == 0xfa && pt_rd8(io, 0x60) == 0xab && pt_rd8(io, 0x60) == 0x83,
       "keyboard identifies as MF2");
    pt_wr8(io, 0x60, 0xf0);
    pt_wr8(io, 0x60, 0x00);
    ok(pt_rd8(io, 0x60) == 0xfa && pt_rd8(io, 0x60) == 0xfa && pt_rd8(io, 0x60) == 0x02,
       "scancode set query: set 2");
    pt_wr8(io, 0x60, 0x12);
    is_u64(pt_rd8(io, 0x60), 0xfe, "unknown keyboard command: resend");

    pt_wr8(io, 0x64, 0xd4);
    pt_wr8(io, 0x60, 0xff);
    is_u64(pt_rd8(io, 0x64) & 0x21, 0x21, "mouse byte waiting (AUX OBF)");
    ok(sink->level[4] && !sink->level[3], "mouse interrupt, not keyboard");
    ok(pt_rd8(io, 0x60) == 0xfa && pt_rd8(io, 0x60) == 0xaa && pt_rd8(io, 0x60) == 0x00,
       "mouse reset: ack, self test, id 0");
    pt_wr8(io, 0x64, 0xd4);
    pt_wr8(io, 0x60, 0xe9);
    ok(pt_rd8(io, 0x60) == 0xfa && pt_rd8(io, 0x60) == 0x00 && pt_rd8(io, 0x60) == 0x02 &&
       pt_rd8(io, 0x60) == 100, "mouse status: disabled, resolution 2, 100 samples/s");
    pt_wr8(io, 0x64, 0xd2);
    pt_wr8(io, 0x60, 0x77);
    is_u64(pt_rd8(io, 0x60), 0x77, "write-output-buffer echoes");
    pt_wr8(io, 0x64, 0xd0);
    is_u64(pt_rd8(io, 0x60) & 0x03, 0x03, "output port: not in reset, A20 on");
    int r = sink->rises[5];
    pt_wr8(io, 0x64, 0xfe);
    is_u64(sink->rises[5], r + 1, "command 0xFE pulses reset");
    pt_wr8(io, 0x64, 0xc9);
    ok(1, "unknown controller command survived");
}

static void test_systemio(pt_sink *sink)
{
    emu_device *sio = pt_device(m, "prep-systemio", "sysio", NULL);
    if (!sio)
        return;
    emu_space *sys = emu_machine_space(m, "system");
    pt_map(sio, "port92", "io", 0x92);
    pt_map(sio, "io", "io", 0x808);
    pt_map(sio, "parity", "system", 0xbfffeff0);
    pt_connect(sio, "noncontig", 0, &sink->dev, "in", 6);
    pt_connect(sio, "soft-reset", 0, &sink->dev, "in", 7);
    emu_machine_reset(m);

    is_u64(pt_rd8(io, 0x80c), 0xc0, "equipment register");
    is_u64(pt_rd8(io, 0x852), 0xfc, "planar ID: IBM 40p");
    is_u64(pt_rd8(io, 0x850), 0x01, "I/O map type: non-contiguous at power-on");
    ok(sink->level[6], "noncontig output follows it");
    pt_wr8(io, 0x850, 0x00);
    ok(!sink->level[6] && pt_rd8(io, 0x850) == 0, "contiguous selected");
    pt_wr8(io, 0x81c, 0xff);
    is_u64(pt_rd8(io, 0x81c), 0x0f, "system control keeps 4 bits");
    is_u64(pt_rd8(io, 0x818), 0, "keylock reads 0");
    is_u64(pt_rd8(io, 0x810), 0xff, "a write-only port reads 0xff");
    pt_wr8(io, 0x92, 0x01);
    ok(sink->level[7] && pt_rd8(io, 0x92) == 1, "port 0x92 bit 0 drives the soft reset line");
    pt_wr8(io, 0x92, 0x02);
    ok(!sink->level[7], "little-endian request logged and ignored");
    is_u64(pt_rd32(sys, 0xbfffeff0), 0, "parity error register reads 0");
}

/* Devices whose realize fails stay in the machine unrealized: checked last, after every reset. */
static void test_errors(void)
{
    char *msg = pt_device_error(m, "mc146818", "rtc2", (const char *const[]){
        "start-time=yesterday", NULL });
    has_str(msg, "start-time: 'yesterday' is neither 'host' nor", "bad start time refused");
    free(msg);
    msg = pt_device_error(m, "m48t59", "nvram2", (const char *const[]){ "image=small", NULL });
    has_str(msg, "small", "a missing blockdev is named");
    free(msg);
}

int main(void)
{
    emu_error *err = NULL;
    m = emu_machine_new("isa-test", &err);
    io = pt_space(m, "io", 0x10000);
    emu_space_set_unassigned_value(io, 0);
    pt_sink *sink = pt_new_sink(m, "sink");
    if (!m || !io || !sink)
        return tap_done();
    test_mc146818(sink);
    test_m48t59(sink);
    test_i8042(sink);
    test_systemio(sink);
    test_errors();
    emu_machine_free(m);
    return tap_done();
}
