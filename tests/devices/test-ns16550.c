/* Register-level tests of the ns16550 UART: reset values, divisor latch, transmit to a chardev,
 * receive with FIFO and trigger levels, character timeout, IIR priorities, loopback, overrun. */
#include "devtest.h"

#define BASE 0x3f8
enum { RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR };
#define R(n) (BASE + (n))

static emu_machine *m;
static emu_space *io;
static emu_chardev *chr;
static dt_probe *probe;

static int irq(void)
{
    return probe->level[0];
}

/* Queue host input and let the backends deliver it, as the run loop does. */
static void host_types(const char *s)
{
    emu_chardev_buffer_input(chr, s, strlen(s));
    emu_backends_poll(m, 0);
}

static void test_reset_and_divisor(void)
{
    is_u64(dt_in(io, R(IER)), 0x00, "IER resets to 0");
    is_u64(dt_in(io, R(IIR)), 0x01, "IIR resets to 'no interrupt'");
    is_u64(dt_in(io, R(LSR)), 0x60, "LSR resets to THRE|TEMT");
    /* Master reset clears every MCR bit (16550 data sheets' reset table).  Divergence: QEMU
       7.2's serial_reset sets OUT2, so MCR reads 0x08 there; OpenBIOS never reads MCR. */
    is_u64(dt_in(io, R(MCR)), 0x00, "MCR resets to 0, all modem outputs off (QEMU: 0x08, OUT2)");
    is_u64(dt_in(io, R(MSR)), 0xb0, "MSR: DCD, DSR, CTS of a connected terminal");
    dt_out(io, R(SCR), 0x5a);
    is_u64(dt_in(io, R(SCR)), 0x5a, "SCR holds a byte");
    dt_out(io, R(LCR), 0x83);
    dt_out(io, R(RBR), 0x01);
    dt_out(io, R(IER), 0x00);
    ok(dt_in(io, R(RBR)) == 0x01 && dt_in(io, R(IER)) == 0x00, "DLL/DLM behind DLAB (115200 bit/s)");
    dt_out(io, R(LCR), 0x03);
    is_u64(dt_in(io, R(LCR)), 0x03, "LCR 8N1");
    is_u64(dt_in(io, R(IER)), 0x00, "IER visible again after DLAB is cleared");
    ok(!irq(), "irq low after reset");
}

static void test_transmit(void)
{
    emu_chardev_buffer_clear(chr);
    dt_out(io, R(RBR), 'H');
    dt_out(io, R(RBR), 'i');
    size_t len;
    const char *out = emu_chardev_buffer_output(chr, &len);
    ok(len == 2 && !memcmp(out, "Hi", 2), "THR writes reach the chardev");
    is_u64(dt_in(io, R(LSR)) & 0x60, 0x60, "THRE and TEMT set again after sending");

    dt_out(io, R(IER), 0x02);
    ok(irq(), "enabling THRI with THR empty raises irq at once");
    is_u64(dt_in(io, R(IIR)), 0x02, "IIR says THRE");
    ok(!irq(), "reading IIR clears the THRE interrupt");
    is_u64(dt_in(io, R(IIR)), 0x01, "then no interrupt");
    dt_out(io, R(RBR), '!');
    ok(irq(), "the next THR write raises it again (a new edge for the PIC)");
    dt_out(io, R(IER), 0x00);
    ok(!irq(), "disabling THRI lowers irq");
}

static void test_receive_16450(void)
{
    dt_out(io, R(IER), 0x01);
    host_types("abc");
    is_u64(dt_in(io, R(LSR)) & 0x01, 1, "DR set when a byte arrives");
    is_u64(dt_in(io, R(IIR)), 0x04, "IIR says received data available");
    ok(irq(), "irq high for received data");
    is_u64(dt_in(io, R(RBR)), 'a', "first byte");
    is_u64(dt_in(io, R(RBR)), 'b', "reading RBR lets the next byte in at once");
    is_u64(dt_in(io, R(RBR)), 'c', "third byte");
    is_u64(dt_in(io, R(LSR)) & 0x03, 0, "DR clear, no overrun: host input waited for room");
    ok(!irq(), "irq low once drained");
}

static void test_fifo_and_timeout(void)
{
    dt_out(io, R(IIR), 0xc7);   /* FIFOs on, cleared, trigger level 14 */
    is_u64(dt_in(io, R(IIR)) & 0xc0, 0xc0, "IIR bits 7-6 show the FIFOs enabled");
    host_types("0123456789ABCDEFGHIJ");
    is_u64(dt_in(io, R(IIR)), 0xc4, "16 bytes >= trigger 14: data available");
    is_u64(dt_in(io, R(LSR)) & 0x02, 0, "the FIFO took 16 bytes without overrun");
    char got[21] = "";
    for (int i = 0; i < 20 && (dt_in(io, R(LSR)) & 1); i++)
        got[i] = (char)dt_in(io, R(RBR));
    is_str(got, "0123456789ABCDEFGHIJ", "all 20 bytes in order (the last 4 refilled as room appeared)");

    dt_out(io, R(IIR), 0x47);   /* trigger level 4 */
    host_types("xy");
    is_u64(dt_in(io, R(IIR)), 0xc1, "2 bytes below trigger 4: no interrupt yet");
    uint64_t t0 = emu_clock_ns(m);
    /* 8N1 at 115200 bit/s: 10 bits = 86.8 us per character, timeout after 4 = 347.2 us */
    dt_run_to(m, t0 + 340000);
    ok(!irq(), "no timeout before four character times");
    dt_run_to(m, t0 + 350000);
    ok(irq(), "character timeout raises irq");
    is_u64(dt_in(io, R(IIR)), 0xcc, "IIR says character timeout");
    is_u64(dt_in(io, R(RBR)), 'x', "reading RBR...");
    ok(!irq(), "...clears the timeout");
    dt_run_to(m, emu_clock_ns(m) + 400000);
    is_u64(dt_in(io, R(IIR)), 0xcc, "the timeout returns for the byte still waiting");
    is_u64(dt_in(io, R(RBR)), 'y', "last byte");
    dt_out(io, R(IIR), 0x00);
    is_u64(dt_in(io, R(IIR)) & 0xc0, 0, "FIFOs off again");
}

static void test_loopback_and_priorities(void)
{
    emu_chardev_buffer_clear(chr);
    dt_out(io, R(MCR), 0x10);                 /* loopback, modem outputs off */
    is_u64(dt_in(io, R(MSR)), 0x0b, "entering loopback: CTS/DSR/DCD fall (deltas set)");
    is_u64(dt_in(io, R(MSR)), 0x00, "MSR read clears the deltas");
    dt_out(io, R(RBR), 0x55);
    size_t len;
    emu_chardev_buffer_output(chr, &len);
    is_u64(len, 0, "loopback sends nothing to the chardev");
    is_u64(dt_in(io, R(RBR)), 0x55, "the byte comes back on the receiver");
    host_types("z");
    is_u64(dt_in(io, R(LSR)) & 1, 0, "host input waits while in loopback");
    dt_out(io, R(MCR), 0x1f);                 /* DTR RTS OUT1 OUT2 -> DSR CTS RI DCD */
    is_u64(dt_in(io, R(MSR)), 0xfb, "MCR outputs show on MSR with their deltas");
    dt_out(io, R(MCR), 0x1b);                 /* OUT1 off: RI trailing edge */
    is_u64(dt_in(io, R(MSR)) & 0x0f, 0x04, "RI falling sets TERI");

    /* Every interrupt source at once: RLS (overrun) > RDA > THRE > MSI. */
    dt_out(io, R(RBR), 1);
    dt_out(io, R(RBR), 2);                    /* 16450 mode: overrun, 2 overwrites 1 */
    dt_out(io, R(MCR), 0x19);                 /* RTS off: a modem status change */
    dt_out(io, R(IER), 0x0f);
    ok(irq(), "irq high with all sources pending");
    is_u64(dt_in(io, R(IIR)), 0x06, "priority 1: receiver line status");
    is_u64(dt_in(io, R(LSR)) & 0x03, 0x03, "LSR shows overrun and data");
    is_u64(dt_in(io, R(IIR)), 0x04, "priority 2: received data");
    is_u64(dt_in(io, R(RBR)), 2, "the overrun kept the newer byte");
    is_u64(dt_in(io, R(IIR)), 0x02, "priority 3: THR empty");
    is_u64(dt_in(io, R(IIR)), 0x00, "priority 4: modem status (THRE cleared by the IIR read)");
    is_u64(dt_in(io, R(MSR)) & 0x0f, 0x01, "DCTS was the change");
    is_u64(dt_in(io, R(IIR)), 0x01, "nothing left");
    ok(!irq(), "irq low");
    dt_out(io, R(IER), 0x01);
    dt_out(io, R(MCR), 0x0b);                 /* loopback off: the waiting host byte arrives */
    is_u64(dt_in(io, R(RBR)), 'z', "leaving loopback delivers the host input that waited");
}


/* Bytes sent in loopback land in the receiver: a precise way to fill the FIFO. */
static void loop_bytes(unsigned n, uint8_t first)
{
    for (unsigned i = 0; i < n; i++)
        dt_out(io, R(RBR), (uint8_t)(first + i));
}

static void drain(void)
{
    for (int i = 0; i < 32 && (dt_in(io, R(LSR)) & 1); i++)
        dt_in(io, R(RBR));
}

static void test_thre_edges(void)
{
    dt_out(io, R(MCR), 0x00);
    drain();
    dt_out(io, R(IER), 0x02);
    ok(irq(), "THRI enabled: THRE interrupt pending");
    int rises = probe->rises[0];
    dt_out(io, R(RBR), 'a');                  /* no IIR read in between */
    ok(irq() && probe->rises[0] == rises + 1,
       "a THR write with THRE pending drops irq and raises it again (a new edge)");
    dt_in(io, R(IIR));
    ok(!irq(), "IIR read clears it");
    dt_out(io, R(IER), 0x02);
    ok(!irq(), "rewriting IER with THRI already set does not raise it again");
    dt_out(io, R(IER), 0x00);
    dt_out(io, R(IER), 0x02);
    ok(irq(), "turning THRI off and on re-raises it (THR is empty)");
    dt_out(io, R(IIR), 0x07);                 /* FIFOs on, both cleared */
    dt_in(io, R(IIR));
    ok(!irq(), "cleared by the IIR read");
    dt_out(io, R(IIR), 0x05);                 /* clear the transmit FIFO */
    ok(irq(), "clearing the transmit FIFO raises THRE again");
    is_u64(dt_in(io, R(LSR)) & 0x60, 0x60, "with THRE and TEMT set");
    dt_out(io, R(IER), 0x00);
    dt_out(io, R(IIR), 0x00);
}

static void test_fifo_levels_and_overrun(void)
{
    static const struct { uint8_t fcr; unsigned level; } trig[] = {
        { 0x01, 1 }, { 0x41, 4 }, { 0x81, 8 }, { 0xc1, 14 },
    };
    dt_out(io, R(MCR), 0x10);                 /* loopback */
    dt_in(io, R(MSR));
    dt_out(io, R(IER), 0x01);
    for (unsigned t = 0; t < 4; t++) {
        dt_out(io, R(IIR), (uint8_t)(trig[t].fcr | 0x06));
        loop_bytes(trig[t].level - 1, 0x30);
        ok(trig[t].level == 1 || !irq(), "trigger level %u: %u bytes raise nothing", trig[t].level,
           trig[t].level - 1);
        loop_bytes(1, 0x40);
        ok(irq() && (dt_in(io, R(IIR)) & 0x0f) == 0x04, "byte %u reaches the trigger: data available",
           trig[t].level);
        dt_in(io, R(RBR));
        ok(trig[t].level == 1 ? !irq() : (dt_in(io, R(IIR)) & 0x0f) != 0x04,
           "one byte read: below the trigger again");
        drain();
    }

    dt_out(io, R(IIR), 0xc7);                 /* trigger 14, FIFOs cleared */
    dt_out(io, R(IER), 0x05);
    loop_bytes(16, 0x50);
    is_u64(dt_in(io, R(LSR)) & 0x03, 0x01, "16 bytes fill the FIFO: data, no overrun");
    loop_bytes(1, 0x7f);
    ok(irq() && dt_in(io, R(IIR)) == 0xc6, "the 17th byte overruns: receiver line status");
    is_u64(dt_in(io, R(LSR)) & 0x03, 0x03, "LSR shows OE and DR");
    is_u64(dt_in(io, R(LSR)) & 0x02, 0, "reading LSR clears OE");
    is_u64(dt_in(io, R(IIR)), 0xc4, "then data available is the interrupt");
    unsigned good = 0;
    for (unsigned i = 0; i < 16; i++)
        good += dt_in(io, R(RBR)) == 0x50 + i;
    is_u64(good, 16, "the FIFO kept the 16 bytes before the overrun");
    is_u64(dt_in(io, R(LSR)) & 0x01, 0, "the overrunning byte was lost");

    loop_bytes(3, 0x20);
    dt_out(io, R(IIR), 0xc3);                 /* clear the receive FIFO */
    is_u64(dt_in(io, R(LSR)) & 0x01, 0, "FCR bit 1 empties the receive FIFO");
    uint64_t t0 = emu_clock_ns(m);
    dt_run_to(m, t0 + 1000000);
    ok(!irq(), "and no character timeout follows");

    dt_out(io, R(IIR), 0x00);                 /* 16450 mode */
    loop_bytes(2, 0x61);
    dt_run_to(m, emu_clock_ns(m) + 1000000);
    is_u64(dt_in(io, R(IIR)), 0x06, "16450 mode: the second byte overruns the first (no FIFO)");
    is_u64(dt_in(io, R(LSR)) & 0x03, 0x03, "OE and DR");
    is_u64(dt_in(io, R(IIR)), 0x04, "no character timeout without FIFOs: plain data available");
    is_u64(dt_in(io, R(RBR)), 0x62, "the newer byte");
    dt_out(io, R(IER), 0x00);
    dt_out(io, R(MCR), 0x00);
}

static void test_timeout_timing(void)
{
    dt_out(io, R(LCR), 0x80);
    dt_out(io, R(RBR), 12);                   /* 9600 bit/s */
    dt_out(io, R(IER), 0);
    dt_out(io, R(LCR), 0x1b);                 /* 8 data, even parity, 1 stop: 11 bits */
    dt_out(io, R(MCR), 0x10);
    dt_in(io, R(MSR));
    dt_out(io, R(IIR), 0xc7);
    dt_out(io, R(IER), 0x01);
    loop_bytes(1, 0x41);
    uint64_t t0 = emu_clock_ns(m);
    /* 11 bits at 1843200 / (16 * 12) = 9600 bit/s: 1145.8 us per character, 4583.3 us timeout */
    dt_run_to(m, t0 + 3000000);
    loop_bytes(1, 0x42);                      /* a new byte restarts the timeout */
    dt_run_to(m, t0 + 3000000 + 4580000);
    ok(!irq(), "each byte received restarts the timeout (11-bit frames at 9600 bit/s)");
    dt_run_to(m, t0 + 3000000 + 4590000);
    ok(irq() && dt_in(io, R(IIR)) == 0xcc, "four 11-bit character times after the last byte: timeout");
    drain();
    dt_out(io, R(IER), 0);
    dt_out(io, R(IIR), 0);
    dt_out(io, R(MCR), 0);
    dt_out(io, R(LCR), 0x03);
}

static void test_modem_status(void)
{
    dt_out(io, R(MCR), 0x10);
    dt_in(io, R(MSR));
    dt_out(io, R(IER), 0x08);
    ok(!irq(), "MSI enabled, no change: quiet");
    dt_out(io, R(MCR), 0x11);                 /* DTR -> DSR */
    ok(irq() && dt_in(io, R(IIR)) == 0x00, "a modem line change: modem status interrupt");
    is_u64(dt_in(io, R(MSR)), 0x22, "DSR with its delta");
    ok(!irq(), "reading MSR clears the deltas and the interrupt");
    dt_out(io, R(MCR), 0xff);
    is_u64(dt_in(io, R(MCR)), 0x1f, "MCR bits 5-7 read as 0");
    dt_out(io, R(IER), 0xff);
    is_u64(dt_in(io, R(IER)), 0x0f, "IER bits 4-7 read as 0");
    dt_out(io, R(IER), 0);
    dt_out(io, R(MCR), 0);
    dt_in(io, R(MSR));
    dt_out(io, R(LSR), 0xff);
    is_u64(dt_in(io, R(LSR)), 0x60, "LSR ignores writes");
}

/* regshift 2: registers 4 bytes apart, as on 32-bit MMIO buses. */
static void test_regshift(void)
{
    emu_device *u2 = dt_device(m, "ns16550", "com2", (const char *const[]){ "regshift", "2", NULL });
    dt_map(u2, "regs", io, 0x1000);
    ok(emu_region_size(emu_device_region(u2, "regs")) == 32, "regshift 2: a 32-byte region");
    dt_out(io, 0x1000 + 7 * 4, 0xa5);
    is_u64(dt_in(io, 0x1000 + 7 * 4), 0xa5, "SCR at offset 28");
    is_u64(dt_in(io, 0x1000 + 7 * 4 + 1), 0x00, "the other bytes of a slot read 0");
    dt_out(io, 0x1000 + 3 * 4 + 1, 0x80);
    is_u64(dt_in(io, 0x1000 + 3 * 4), 0x00, "and ignore writes (LCR untouched)");
    is_u64(dt_in(io, 0x1000 + 5 * 4), 0x60, "LSR at offset 20");
}


/* Random register traffic, host input and time: IIR always names a real source and agrees
   with the irq line, and nothing crashes or stalls. */
static void test_random(void)
{
    uint64_t st = 16550;
    unsigned bad_iir = 0, bad_line = 0;
    for (int i = 0; i < 20000; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(st >> 33), reg = r % 8;
        switch ((r >> 3) % 6) {
        case 0:
        case 1:
            if (reg == LCR || reg == MCR || reg == IIR || reg == IER || reg == RBR || reg == SCR)
                dt_out(io, R(reg), (uint8_t)(r >> 8));
            break;
        case 2:
            if (reg != IIR)
                dt_in(io, R(reg));
            break;
        case 3: {
            char c[2] = { (char)('a' + (r >> 8) % 26), 0 };
            host_types(c);
            break;
        }
        case 4:
            dt_run_to(m, emu_clock_ns(m) + (r >> 8) % 2000000);
            break;
        default: {
            int line = irq();
            uint8_t iir = dt_in(io, R(IIR));
            uint8_t id = iir & 0x0f;
            bad_iir += id != 0x01 && id != 0x00 && id != 0x02 && id != 0x04 && id != 0x06 && id != 0x0c;
            bad_line += (id == 0x01) == line;
            break;
        }
        }
    }
    is_u64(bad_iir, 0, "20000 random operations: IIR always names a defined source");
    is_u64(bad_line, 0, "and irq is high exactly when IIR says an interrupt is pending");
    dt_out(io, R(LCR), 0x03);
    dt_out(io, R(IER), 0);
    dt_out(io, R(MCR), 0);
    dt_out(io, R(IIR), 0);
}

static void test_device_reset(void)
{
    dt_out(io, R(IER), 0x0f);
    dt_out(io, R(LCR), 0x1f);
    emu_device_reset(emu_machine_device(m, "com1"));
    ok(dt_in(io, R(IER)) == 0 && dt_in(io, R(LCR)) == 0 && dt_in(io, R(MCR)) == 0 &&
       dt_in(io, R(LSR)) == 0x60 && !irq(), "device reset restores the data sheet's state");
}

int main(void)
{
    m = dt_machine(&io);
    emu_error *err = NULL;
    if (emu_backends_add_chardev(m, "serial0", "buffer", &err) < 0) {
        printf("Bail out! %s\n", emu_error_message(err));
        return 1;
    }
    chr = emu_backends_chardev(m, "serial0");
    emu_device *uart = dt_device(m, "ns16550", "com1", (const char *const[]){ "chardev", "serial0", NULL });
    dt_map(uart, "regs", io, BASE);
    probe = dt_new_probe(m);
    dt_connect(uart, "irq", 0, &probe->dev, "in", 0);

    test_reset_and_divisor();
    test_transmit();
    test_receive_16450();
    test_fifo_and_timeout();
    test_loopback_and_priorities();
    test_thre_edges();
    test_fifo_levels_and_overrun();
    test_timeout_timing();
    test_modem_status();
    test_regshift();
    test_random();
    test_device_reset();

    emu_machine_free(m);
    emu_plugins_shutdown();
    return tap_done();
}
