/* Register-level tests of the i8254 PIT on virtual time: output edges in modes 0-4, counter reads,
 * the latch and read-back commands, null count, BCD, LSB-only access, and GATE. */
#include "devtest.h"

#define HZ 1193182.0
#define CTRL 0x43

static emu_machine *m;
static emu_space *io;
static dt_probe *probe;
static uint64_t t0;   /* when the count under test was loaded */

/* Virtual time `ticks` input clocks after t0 (half clocks avoid rounding either way). */
static void run_ticks(double ticks)
{
    dt_run_to(m, t0 + (uint64_t)(ticks * 1e9 / HZ));
}

/* Move to the first nanosecond of the next input clock and make it t0. */
static void align(void)
{
    uint64_t tick = (uint64_t)((unsigned __int128)emu_clock_ns(m) * 1193182u / 1000000000u) + 1;
    t0 = (uint64_t)(((unsigned __int128)tick * 1000000000u + 1193182u - 1) / 1193182u);
    dt_run_to(m, t0);
}

static void start(uint8_t control, unsigned port, uint16_t count)
{
    dt_out(io, CTRL, control);
    align();
    dt_out(io, port, (uint8_t)count);
    if (((control >> 4) & 3) == 3)
        dt_out(io, port, (uint8_t)(count >> 8));
}

static unsigned read16(unsigned port)
{
    unsigned lo = dt_in(io, port);
    return lo | (unsigned)dt_in(io, port) << 8;
}

static void test_mode0_and_latch(void)
{
    dt_out(io, CTRL, 0x30);                   /* counter 0, LSB then MSB, mode 0 */
    ok(!probe->level[0], "mode 0: OUT low after the control word");
    start(0x30, 0x40, 100);
    int before = probe->rises[0];
    run_ticks(50.5);
    is_u64(read16(0x40), 50, "counts down from 100: 50 after 50 clocks");
    run_ticks(99.5);
    ok(!probe->level[0], "OUT still low before terminal count");
    run_ticks(100.5);
    ok(probe->level[0], "OUT high at terminal count");
    double edge = (double)(probe->rise_ns[0] - t0);
    ok(edge >= 100 * 1e9 / HZ - 1 && edge <= 100 * 1e9 / HZ + 1,
       "the edge came exactly 100 clocks after the load (%.0f ns)", edge);
    run_ticks(200.5);
    is_u64(probe->rises[0] - before, 1, "mode 0 does not repeat");
    dt_out(io, CTRL, 0x00);                   /* latch counter 0 */
    run_ticks(300.5);
    is_u64(read16(0x40), 0x10000 + 100 - 200, "the latched value survives later counting (wrapped past 0)");
    is_u64(read16(0x40), 0x10000 + 100 - 300, "once read, the live value again");
}

static void test_mode2(void)
{
    int before = probe->rises[0];
    start(0x34, 0x40, 1000);                  /* rate generator, period 1000 clocks */
    ok(probe->level[0], "mode 2: OUT high");
    run_ticks(999.5);
    ok(!probe->level[0], "OUT low for the last clock of the period");
    run_ticks(1000.5);
    ok(probe->level[0] && probe->rises[0] == before + 1, "and high again at the reload");
    run_ticks(5500.5);
    is_u64(probe->rises[0] - before, 5, "one pulse per period (5 in 5.5 periods)");
    double last = (double)(probe->rise_ns[0] - t0);
    ok(last >= 5000 * 1e9 / HZ - 1 && last <= 5000 * 1e9 / HZ + 1, "the fifth edge at exactly 5 periods (%.0f ns)",
       last);
    is_u64(read16(0x40), 500, "mid-period the counter reads 500");
}

static void test_mode3_and_readback(void)
{
    int before = probe->rises[1];
    start(0x76, 0x41, 100);                   /* counter 1, square wave, 100 clocks */
    run_ticks(25.5);
    ok(probe->level[1], "mode 3: high in the first half");
    run_ticks(75.5);
    ok(!probe->level[1], "low in the second half");
    run_ticks(1000.5);
    is_u64(probe->rises[1] - before, 10, "10 periods, 10 rising edges");

    dt_out(io, CTRL, 0xe4);                   /* read-back: status only, counter 1 */
    unsigned status = dt_in(io, 0x41);
    is_u64(status & 0x7f, 0x36, "status: LSB/MSB access, mode 3, binary, no null count");
    is_u64(status >> 7, probe->level[1], "status bit 7 is OUT");
    run_ticks(1010.5);
    dt_out(io, CTRL, 0xc4);                   /* read-back: count and status, counter 1 */
    status = dt_in(io, 0x41);
    unsigned v = read16(0x41);
    ok((status & 0x3f) == 0x36 && v == 80, "status first, then the latched count (by twos: 100 - 2*10 = %u)", v);

    dt_out(io, CTRL, 0xb0);                   /* counter 2, LSB/MSB, mode 0 */
    dt_out(io, CTRL, 0xe8);                   /* read-back status of counter 2 */
    is_u64(dt_in(io, 0x42) & 0x40, 0x40, "null count after a control word");
    dt_out(io, 0x42, 10);
    dt_out(io, 0x42, 0);
    dt_out(io, CTRL, 0xe8);
    is_u64(dt_in(io, 0x42) & 0x40, 0, "cleared once the count is loaded");
}

/* The control word register is write-only: with A1 = A0 = 1 a read leaves the 8254's data
   pins in high impedance (data sheet, read/write operations summary), so nothing drives the
   ISA bus and the read sees its pull-ups.  Divergence: QEMU 7.2's i8254 returns 0 here. */
static void test_control_word_read(void)
{
    is_u64(dt_in(io, CTRL), 0xff, "a read of the control word port sees an undriven bus (QEMU: 0)");
    start(0x30, 0x40, 0x1234);                /* counter 0, mode 0 */
    dt_out(io, CTRL, 0x00);                   /* latch counter 0 */
    dt_run_to(m, emu_clock_ns(m) + 100000);   /* about 119 clocks later */
    dt_in(io, CTRL);
    is_u64(read16(0x40), 0x1234, "reading the control word port leaves a latched count alone");
    ok(read16(0x40) < 0x1234, "the counter went on counting meanwhile");
}

static void test_gate_bcd_and_modes(void)
{
    /* Counter 2's GATE is low at reset (gates=3), as on a PC before port 0x61 opens it. */
    start(0xb0, 0x42, 100);
    run_ticks(200.5);
    ok(!probe->level[2], "mode 0 with GATE low: no counting, OUT low");
    is_u64(read16(0x42), 100, "the counter holds its count");
    align();
    dt_drive(probe, 2, 1);
    run_ticks(99.5);
    ok(!probe->level[2], "GATE high: counting starts");
    run_ticks(100.5);
    ok(probe->level[2], "and ends 100 clocks later");
    dt_drive(probe, 2, 0);
    align();
    run_ticks(30.5);
    dt_drive(probe, 2, 1);
    is_u64(read16(0x42), 0, "GATE low after terminal count: the counter stays put");

    start(0xb2, 0x42, 50);                    /* mode 1: hardware one-shot */
    run_ticks(100.5);
    ok(probe->level[2], "mode 1: OUT high until triggered");
    dt_drive(probe, 2, 0);
    align();
    dt_drive(probe, 2, 1);
    run_ticks(0.5);
    ok(!probe->level[2], "a GATE rising edge starts the one-shot: OUT low");
    run_ticks(50.5);
    ok(probe->level[2], "OUT high again after 50 clocks");

    start(0x78, 0x41, 30);                    /* counter 1, mode 4: software strobe */
    int before = probe->rises[1];
    run_ticks(29.5);
    ok(probe->level[1], "mode 4: OUT high while counting");
    run_ticks(30.5);
    ok(!probe->level[1], "low for one clock at terminal count");
    run_ticks(40);
    ok(probe->level[1] && probe->rises[1] == before + 1, "then high again: one strobe");

    start(0x71, 0x41, 0x0100);                /* counter 1, mode 0, BCD 100 */
    run_ticks(10.5);
    is_u64(read16(0x41), 0x0090, "BCD counting: 100 - 10 reads 0x0090");

    start(0x50, 0x41, 0x20);                  /* counter 1, LSB only, mode 0 */
    run_ticks(2.5);
    is_u64(dt_in(io, 0x41), 30, "LSB-only access: one byte loads 32, one byte reads 32 - 2");
}


static unsigned status_of(unsigned counter)
{
    dt_out(io, CTRL, (uint8_t)(0xe0 | (2u << counter)));   /* read-back: status only */
    return dt_in(io, 0x40 + counter);
}

/* Mode 3 with an odd count: high for (N+1)/2 clocks, low for (N-1)/2. */
static void test_mode3_odd(void)
{
    start(0x36, 0x40, 5);
    run_ticks(2.5);
    ok(probe->level[0], "mode 3, N=5: high for the first 3 clocks");
    run_ticks(3.5);
    ok(!probe->level[0], "low from clock 3");
    run_ticks(4.5);
    ok(!probe->level[0], "for 2 clocks");
    run_ticks(5.5);
    ok(probe->level[0], "high again at clock 5");
    int before = probe->rises[0];
    run_ticks(5000.5);
    is_u64(probe->rises[0] - before, 999, "999 more periods of 5 clocks in 4995 clocks");

    start(0x36, 0x40, 5);
    static const unsigned want[] = { 4, 2, 0, 4, 2, 4 };
    unsigned got_ok = 0;
    for (unsigned i = 0; i < 6; i++) {
        run_ticks(i + 0.5);
        dt_out(io, CTRL, 0x00);
        got_ok += read16(0x40) == want[i];
    }
    is_u64(got_ok, 6, "mode 3, N=5 counts 4 2 0 (high) 4 2 (low): N-1 down by two");
    start(0x36, 0x40, 6);
    static const unsigned want6[] = { 6, 4, 2, 6, 4, 2, 6 };
    got_ok = 0;
    for (unsigned i = 0; i < 7; i++) {
        run_ticks(i + 0.5);
        dt_out(io, CTRL, 0x00);
        got_ok += read16(0x40) == want6[i];
    }
    is_u64(got_ok, 7, "mode 3, N=6 counts 6 4 2 in each half");
}

/* Modes 2 and 3: a count written while counting waits for the end of the period (half-cycle). */
static void test_reload_while_counting(void)
{
    start(0x34, 0x40, 100);                   /* mode 2, period 100 */
    run_ticks(30.5);
    dt_out(io, 0x40, 50);
    dt_out(io, 0x40, 0);
    ok(status_of(0) & 0x40, "mode 2: a count written while counting shows null count");
    run_ticks(99.5);
    ok(!probe->level[0], "the current period is not affected (low at clock 99)");
    run_ticks(100.5);
    ok(probe->level[0], "and ends at clock 100");
    ok(!(status_of(0) & 0x40), "the counter took the new count at the end of the period");
    run_ticks(148.5);
    ok(probe->level[0], "the next period is 50 clocks: high at 148");
    run_ticks(149.5);
    ok(!probe->level[0], "low at 149");
    run_ticks(150.5);
    ok(probe->level[0], "high at 150");
    run_ticks(160.5);
    is_u64(read16(0x40), 40, "the counter counts the new period (50 - 10)");

    start(0x36, 0x40, 100);                   /* mode 3, 100: high 0-49, low 50-99 */
    run_ticks(30.5);
    dt_out(io, 0x40, 40);
    dt_out(io, 0x40, 0);
    run_ticks(49.5);
    ok(probe->level[0], "mode 3: a count written in the high half leaves that half alone");
    run_ticks(50.5);
    ok(!probe->level[0], "low at its end (clock 50)");
    run_ticks(69.5);
    ok(!probe->level[0], "the low half of the new count: 20 clocks");
    run_ticks(70.5);
    ok(probe->level[0], "high at 70");
    run_ticks(89.5);
    ok(probe->level[0], "for 20 clocks");
    run_ticks(90.5);
    ok(!probe->level[0], "low at 90");

    start(0x36, 0x40, 100);
    run_ticks(60.5);                          /* in the low half */
    dt_out(io, 0x40, 40);
    dt_out(io, 0x40, 0);
    run_ticks(99.5);
    ok(!probe->level[0], "mode 3: a count written in the low half leaves that half alone");
    run_ticks(100.5);
    ok(probe->level[0], "high at its end (clock 100)");
    run_ticks(119.5);
    ok(probe->level[0], "the new count's high half: 20 clocks");
    run_ticks(120.5);
    ok(!probe->level[0], "then low");

    start(0x34, 0x40, 100);                   /* mode 2 */
    dt_out(io, CTRL, 0x34);                   /* a control word stops it: the next count loads at once */
    align();
    dt_out(io, 0x40, 10);
    dt_out(io, 0x40, 0);
    run_ticks(9.5);
    ok(!probe->level[0], "after a control word a new count starts at once (low at 9)");
}

static void gate2(int level)
{
    dt_drive(probe, 2, level);
}

/* Modes 1 and 5 on counter 2: GATE triggers; a new count waits for the next trigger. */
static void test_one_shots(void)
{
    gate2(0);
    start(0xb2, 0x42, 50);                    /* counter 2, mode 1 */
    ok(status_of(2) & 0x40, "mode 1: null count until a trigger takes the count");
    align();
    gate2(1);
    ok(!(status_of(2) & 0x40), "the trigger loads it");
    run_ticks(20.5);
    dt_out(io, 0x42, 10);
    dt_out(io, 0x42, 0);
    ok(!probe->level[2], "a new count during the one-shot: OUT stays low");
    run_ticks(49.5);
    ok(!probe->level[2], "the one-shot keeps its 50 clocks");
    run_ticks(50.5);
    ok(probe->level[2], "and ends at 50");
    gate2(0);
    align();
    gate2(1);
    run_ticks(9.5);
    ok(!probe->level[2], "the next trigger runs the new count");
    run_ticks(10.5);
    ok(probe->level[2], "of 10 clocks");
    align();
    gate2(0);
    gate2(1);                                 /* trigger */
    run_ticks(6.5);
    gate2(0);
    gate2(1);                                 /* retrigger 6 clocks in */
    run_ticks(15.5);
    ok(!probe->level[2], "a retrigger restarts the count (low at 15)");
    run_ticks(16.5);
    ok(probe->level[2], "high 10 clocks after the retrigger");

    gate2(0);
    start(0xba, 0x42, 20);                    /* mode 5: hardware strobe */
    run_ticks(40.5);
    ok(probe->level[2], "mode 5: OUT high, nothing counts before a trigger");
    int before = probe->rises[2];
    align();
    gate2(1);
    run_ticks(19.5);
    ok(probe->level[2], "triggered: high while counting");
    run_ticks(20.5);
    ok(!probe->level[2], "low for one clock at terminal count");
    run_ticks(21.5);
    ok(probe->level[2] && probe->rises[2] == before + 1, "then high: one strobe");
    run_ticks(100.5);
    is_u64(probe->rises[2] - before, 1, "no second strobe without a trigger");
}

/* GATE in modes 2 and 4. */
static void test_gate_modes(void)
{
    gate2(1);
    start(0xb4, 0x42, 10);                    /* counter 2, mode 2 */
    run_ticks(5.5);
    gate2(0);
    run_ticks(9.5);
    ok(probe->level[2], "mode 2, GATE low: OUT held high through the end of the period");
    run_ticks(30.5);
    is_u64(read16(0x42), 5, "and the counter holds");
    gate2(1);                                 /* at 30.5: reload */
    run_ticks(38.5);
    ok(probe->level[2], "GATE rising reloads: high 8 clocks later");
    run_ticks(39.7);
    ok(!probe->level[2], "low 9 clocks after the rising edge");

    gate2(0);
    start(0xb8, 0x42, 20);                    /* mode 4 with GATE low */
    run_ticks(50.5);
    ok(probe->level[2], "mode 4, GATE low: no strobe");
    is_u64(read16(0x42), 20, "the count waits");
    align();
    gate2(1);
    run_ticks(19.5);
    ok(probe->level[2], "counting once GATE is high");
    run_ticks(20.5);
    ok(!probe->level[2], "the strobe 20 clocks later");
}

/* Control words, access modes, counts of 0, BCD, latches. */
static void test_programming(void)
{
    dt_out(io, CTRL, 0x34);
    align();
    dt_out(io, 0x40, 0);
    dt_out(io, 0x40, 0);                      /* 0: 65536 */
    run_ticks(1.5);
    is_u64(read16(0x40), 0xffff, "count 0 means 65536 (reads 0xffff one clock in)");
    run_ticks(65535.5);
    ok(!probe->level[0], "the period is 65536 clocks: low at 65535");
    run_ticks(65536.5);
    ok(probe->level[0], "high at 65536");

    dt_out(io, CTRL, 0x35);                   /* BCD */
    align();
    dt_out(io, 0x40, 0);
    dt_out(io, 0x40, 0);                      /* 0: 10000 in BCD */
    run_ticks(1.5);
    is_u64(read16(0x40), 0x9999, "BCD count 0 means 10000 (reads 9999 one clock in)");
    run_ticks(9999.5);
    ok(!probe->level[0], "BCD period 10000: low at 9999");
    run_ticks(10000.5);
    ok(probe->level[0], "high at 10000");
    is_u64(status_of(0), 0x80 | 0x35, "status: OUT, LSB/MSB, mode 2, BCD");

    dt_out(io, CTRL, 0x20);                   /* counter 0, MSB only, mode 0 */
    is_u64(status_of(0), 0x40 | 0x20, "status after a control word: OUT low, null count, MSB, mode 0");
    align();
    dt_out(io, 0x40, 0x02);                   /* 0x0200 */
    run_ticks(0x100 + 0.5);
    is_u64(dt_in(io, 0x40), 0x01, "MSB-only: one byte loads 0x0200, one byte reads the high half");

    start(0x30, 0x40, 1000);                  /* mode 0, word */
    run_ticks(100.5);
    dt_out(io, 0x40, 0x10);                   /* first byte of a new count */
    run_ticks(200.5);
    is_u64(status_of(0) & 0x80, 0, "mode 0: the first byte of a new count stops it, OUT low");
    dt_out(io, CTRL, 0x00);
    is_u64(read16(0x40), 900, "the counter stopped at 900");
    align();
    dt_out(io, 0x40, 0x00);                   /* second byte: 0x0010 */
    run_ticks(15.5);
    ok(!probe->level[0], "the second byte starts the new count");
    run_ticks(16.5);
    ok(probe->level[0], "of 16 clocks");

    /* Latch every counter at once, then read them at leisure. */
    start(0x30, 0x40, 3000);
    dt_out(io, CTRL, 0x70);                   /* counter 1, mode 0 */
    dt_out(io, 0x41, (uint8_t)2000);
    dt_out(io, 0x41, 2000 >> 8);
    gate2(1);
    dt_out(io, CTRL, 0xb0);                   /* counter 2, mode 0 */
    dt_out(io, 0x42, (uint8_t)1000);
    dt_out(io, 0x42, 1000 >> 8);
    run_ticks(500.5);
    dt_out(io, CTRL, 0xde);                   /* read-back: latch counts of 0, 1, 2 */
    run_ticks(800.5);
    unsigned c0 = read16(0x40), c1 = read16(0x41), c2 = read16(0x42);
    ok(c0 == 2500 && c1 == 2000 - (c0 == 2500 ? 500 : 0) && c2 == 500,
       "read-back latched all three at the same moment (%u %u %u)", c0, c1, c2);
    is_u64(read16(0x42), 200, "once read, counter 2 is live again");
    dt_out(io, CTRL, 0x00);
    run_ticks(810.5);
    dt_out(io, CTRL, 0x00);                   /* a second latch before reading: ignored */
    is_u64(read16(0x40), 2200, "a second latch command before the read is ignored");
    dt_out(io, CTRL, 0xc2);                   /* read-back: count and status of counter 0 */
    dt_out(io, CTRL, 0xe2);                   /* status again before reading: ignored */
    unsigned st = dt_in(io, 0x40);
    is_u64(st, 0x30, "status comes first (OUT low, LSB/MSB, mode 0)");
    is_u64(read16(0x40), 2190, "then the count latched with it");

    /* Invalid BCD digits: counted as their binary value modulo 10000, never past the modulus. */
    dt_out(io, CTRL, 0x31);
    align();
    dt_out(io, 0x40, 0xff);
    dt_out(io, 0x40, 0xff);
    unsigned v = read16(0x40);
    ok(v <= 0x9999 && (v & 0xf) <= 9 && ((v >> 4) & 0xf) <= 9, "a count with digits above 9 reads back as BCD (0x%04x)", v);
}


/* Random programming, reads, GATE changes and time: nothing may crash or stall, every status
   byte keeps the programmed access and mode bits, OUT edges stay in step with the status. */

/* Port 0x61: counter 2's GATE (bit 0) and OUT (bit 5), the refresh toggle (bit 4). */
static void test_port61(void)
{
    dt_out(io, 0x61, 0x00);
    gate2(0);
    start(0xb0, 0x42, 50);                    /* counter 2, mode 0 */
    run_ticks(100.5);
    is_u64(dt_in(io, 0x61) & 0x23, 0x00, "port 0x61: GATE 2 low, OUT 2 low, speaker off");
    align();
    dt_out(io, 0x61, 0x03);                   /* GATE 2 on, speaker data on */
    run_ticks(49.5);
    is_u64(dt_in(io, 0x61) & 0x2f, 0x03, "bit 0 opens GATE 2: counting, OUT still low; bits 0-3 read back");
    run_ticks(50.5);
    ok(dt_in(io, 0x61) & 0x20, "bit 5 shows OUT 2 at terminal count");
    ok(probe->level[2], "the same OUT on the output line");
    unsigned seen0 = 0, seen1 = 0;
    for (int i = 0; i < 8; i++) {
        dt_run_to(m, emu_clock_ns(m) + 7600);
        if (dt_in(io, 0x61) & 0x10)
            seen1++;
        else
            seen0++;
    }
    ok(seen0 && seen1, "bit 4 toggles with virtual time (refresh)");
    dt_out(io, 0x61, 0x00);
    start(0xb0, 0x42, 10);
    run_ticks(20.5);
    is_u64(dt_in(io, 0x61) & 0x20, 0, "bit 0 clear: GATE 2 low holds the count");
    gate2(0);
    gate2(1);
    run_ticks(31);
    ok(dt_in(io, 0x61) & 0x21, "the gate line moves GATE 2 as well (last change wins)");
}

static void test_random(void)
{
    uint64_t st = 8254;
    unsigned bad_status = 0;
    uint8_t programmed[3] = { 0 };
    for (unsigned i = 0; i < 3; i++)
        programmed[i] = status_of(i) & 0x3f;
    for (int i = 0; i < 20000; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(st >> 33), ch = r % 3;
        switch ((r >> 2) % 8) {
        case 0: {                                 /* control word (never read-back here) */
            uint8_t cw = (uint8_t)((ch << 6) | ((r >> 5) & 0x3f));
            dt_out(io, CTRL, cw);
            if (cw & 0x30)
                programmed[ch] = cw & 0x3f;
            break;
        }
        case 1:
        case 2:
            dt_out(io, 0x40 + ch, (uint8_t)(r >> 8));
            break;
        case 3:
            dt_in(io, 0x40 + ch);
            break;
        case 4:
            dt_out(io, CTRL, (uint8_t)(0xc0 | ((r >> 5) & 0x3e)));   /* read-back */
            dt_in(io, 0x40 + ch);
            break;
        case 5:
            gate2((r >> 6) & 1);
            dt_drive(probe, ch, (r >> 7) & 1);
            break;
        case 6:
            dt_run_to(m, emu_clock_ns(m) + (r >> 8) % 200000);
            break;
        default: {
            /* drain pending latches so the status read below is the status */
            unsigned s = status_of(ch);
            for (int k = 0; k < 3; k++)
                dt_in(io, 0x40 + ch);
            s = status_of(ch);
            bad_status += (s & 0x3f) != programmed[ch];
            break;
        }
        }
    }
    is_u64(bad_status, 0, "20000 random operations: the status byte always shows the programmed mode");
    for (unsigned i = 0; i < 3; i++)
        dt_drive(probe, i, 1);
}

int main(void)
{
    m = dt_machine(&io);
    emu_device *pit = dt_device(m, "i8254", "pit", NULL);
    dt_map(pit, "io", io, 0x40);
    dt_map(pit, "port61", io, 0x61);
    probe = dt_new_probe(m);
    for (unsigned i = 0; i < 3; i++) {
        dt_connect(pit, "out", i, &probe->dev, "in", i);
        dt_connect(&probe->dev, "drive", i, pit, "gate", i);
    }
    ok(probe->level[0], "after reset counter 0 runs in mode 3 (OUT high)");

    test_mode0_and_latch();
    test_mode2();
    test_mode3_and_readback();
    test_control_word_read();
    test_gate_bcd_and_modes();
    test_mode3_odd();
    test_reload_while_counting();
    test_one_shots();
    test_gate_modes();
    test_programming();
    test_port61();
    test_random();

    emu_machine_free(m);
    emu_plugins_shutdown();
    return tap_done();
}
