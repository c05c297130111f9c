/* Register-level tests of the i8259 pair: PC BIOS initialization, masking, EOI, priorities and
 * rotation, cascade through the slave, edge vs level (ELCR, LTIM), spurious IRQ 7/15, auto-EOI,
 * poll mode, special mask mode, and the interrupt acknowledge (region and "intack" interface). */
#include "devtest.h"
#include "emu/intack.h"

#define IACK 0xf000

static emu_machine *m;
static emu_space *io;
static emu_device *pic;
static dt_probe *probe;

static int cpu_int(void)
{
    return probe->level[0];
}

static void irq(unsigned n, int level)
{
    dt_drive(probe, n, level);
}

static uint8_t iack(void)
{
    return dt_in(io, IACK);
}

static uint8_t isr(uint16_t port)
{
    dt_out(io, port, 0x0b);   /* OCW3: read ISR */
    return dt_in(io, port);
}

static uint8_t irr(uint16_t port)
{
    dt_out(io, port, 0x0a);   /* OCW3: read IRR */
    return dt_in(io, port);
}

static void eoi(uint16_t port)
{
    dt_out(io, port, 0x20);
}

/* What a PC BIOS does: vectors 0x08 and 0x70, slave on IR2, 8086 mode (icw4 bit 1: auto-EOI). */
static void init_pc(uint8_t icw4)
{
    static const uint8_t master[] = { 0x11, 0x08, 0x04 }, slave[] = { 0x11, 0x70, 0x02 };
    for (int i = 0; i < 3; i++)
        dt_out(io, i ? 0x21 : 0x20, master[i]);
    dt_out(io, 0x21, icw4);
    for (int i = 0; i < 3; i++)
        dt_out(io, i ? 0xa1 : 0xa0, slave[i]);
    dt_out(io, 0xa1, icw4);
}

static void test_init_and_mask(void)
{
    dt_out(io, 0x21, 0x5a);
    init_pc(0x01);
    ok(dt_in(io, 0x21) == 0 && dt_in(io, 0xa1) == 0, "ICW1 clears both IMRs");
    dt_out(io, 0x21, 0xfb);
    dt_out(io, 0xa1, 0xff);
    ok(dt_in(io, 0x21) == 0xfb && dt_in(io, 0xa1) == 0xff, "OCW1 sets the masks");
    irq(3, 1);
    ok(!cpu_int(), "a masked request does not interrupt");
    is_u64(irr(0x20), 0x08, "but it shows in IRR");
    dt_out(io, 0x21, 0xf3);
    ok(cpu_int(), "unmasking delivers it");
    is_u64(iack(), 0x0b, "acknowledge returns vector 8 + 3");
    ok(!cpu_int(), "INT drops while IRQ 3 is in service");
    is_u64(isr(0x20), 0x08, "ISR bit 3 set");
    is_u64(irr(0x20), 0x00, "edge request consumed by the acknowledge");
    eoi(0x20);
    is_u64(isr(0x20), 0x00, "non-specific EOI clears it");
    ok(!cpu_int(), "a line held high is no new edge");
    irq(3, 0);
    irq(3, 1);
    ok(cpu_int(), "a new rising edge is");
    iack();
    eoi(0x20);
    irq(3, 0);
}

static void test_priorities(void)
{
    dt_out(io, 0x21, 0x00);
    irq(5, 1);
    irq(4, 1);
    is_u64(iack(), 0x0c, "of IRQ 4 and 5, 4 goes first");
    ok(!cpu_int(), "5 waits while 4 is in service");
    irq(1, 1);
    ok(cpu_int(), "a higher priority request nests");
    is_u64(iack(), 0x09, "IRQ 1 is taken");
    is_u64(isr(0x20), 0x12, "ISR holds 1 and 4");
    eoi(0x20);
    is_u64(isr(0x20), 0x10, "EOI clears the highest in service (1)");
    dt_out(io, 0x20, 0x64);   /* specific EOI for IRQ 4 */
    is_u64(isr(0x20), 0x00, "specific EOI clears IRQ 4");
    is_u64(iack(), 0x0d, "then IRQ 5");
    eoi(0x20);

    dt_out(io, 0x20, 0xc3);   /* set priority: IRQ 3 lowest, so 4 highest */
    irq(1, 0);
    irq(1, 1);
    irq(5, 0);
    irq(5, 1);
    is_u64(iack(), 0x0d, "after 'IRQ 3 lowest', IRQ 5 beats IRQ 1");
    dt_out(io, 0x20, 0xa0);   /* rotate on non-specific EOI: 5 becomes lowest */
    is_u64(iack(), 0x09, "then IRQ 1");
    eoi(0x20);
    irq(5, 0);
    irq(5, 1);
    irq(1, 0);
    irq(1, 1);
    is_u64(iack(), 0x09, "rotation made 5 the lowest: 1 comes first");
    eoi(0x20);
    iack();
    eoi(0x20);
    irq(1, 0);
    irq(4, 0);
    irq(5, 0);
    dt_out(io, 0x20, 0xc7);   /* back to IRQ 0 highest */
}

static void test_cascade_and_level(void)
{
    irq(12, 1);
    ok(!cpu_int(), "masked on the slave: nothing");
    dt_out(io, 0xa1, 0x00);
    ok(cpu_int(), "a slave request reaches the CPU through IR2");
    is_u64(iack(), 0x74, "vector 0x70 + 4");
    ok(isr(0x20) == 0x04 && isr(0xa0) == 0x10, "in service on both chips");
    eoi(0xa0);
    eoi(0x20);
    ok(isr(0x20) == 0 && isr(0xa0) == 0, "EOI to slave and master");
    irq(12, 0);

    dt_out(io, 0x4d1, 0xff);
    is_u64(dt_in(io, 0x4d1), 0xde, "ELCR: IRQ 8 and 13 stay edge");
    dt_out(io, 0x4d0, 0xff);
    is_u64(dt_in(io, 0x4d0), 0xf8, "ELCR: IRQ 0-2 stay edge");
    dt_out(io, 0x4d0, 0x00);
    dt_out(io, 0x4d1, 0x04);  /* IRQ 10 level */
    irq(10, 1);
    is_u64(iack(), 0x72, "level IRQ 10 through the slave");
    eoi(0xa0);
    eoi(0x20);
    ok(cpu_int(), "still asserted after EOI: a level request comes back");
    is_u64(iack(), 0x72, "and is taken again");
    irq(10, 0);
    eoi(0xa0);
    eoi(0x20);
    ok(!cpu_int(), "released: no more interrupts");
    is_u64(irr(0xa0), 0x00, "level request left IRR with the line");

    /* A level request that goes away before the acknowledge: spurious vectors. */
    dt_out(io, 0x4d0, 0x20);  /* IRQ 5 level */
    irq(5, 1);
    irq(5, 0);
    ok(!cpu_int(), "IRQ 5 came and went");
    is_u64(iack(), 0x0f, "acknowledge with nothing pending: spurious IRQ 7");
    is_u64(isr(0x20), 0x00, "spurious IRQ 7 sets no ISR bit");
    irq(10, 1);
    irq(10, 0);
    ok(cpu_int(), "the slave's edge on IR2 stays latched on the master");
    is_u64(iack(), 0x77, "the slave has nothing: spurious IRQ 15");
    ok(isr(0xa0) == 0 && isr(0x20) == 0x04, "only the master's cascade bit is in service");
    eoi(0x20);
    dt_out(io, 0x4d0, 0x00);
    dt_out(io, 0x4d1, 0x00);
}

static void test_modes(void)
{
    init_pc(0x03);             /* auto-EOI */
    irq(6, 1);
    is_u64(iack(), 0x0e, "auto-EOI: vector 0x0e");
    is_u64(isr(0x20), 0x00, "auto-EOI leaves nothing in service");
    irq(6, 0);

    init_pc(0x01);
    irq(3, 1);
    dt_out(io, 0x20, 0x0c);    /* OCW3: poll */
    is_u64(dt_in(io, 0x20), 0x83, "poll mode: bit 7 + IRQ 3");
    is_u64(isr(0x20), 0x08, "the poll read acknowledged it");
    dt_out(io, 0x20, 0x0c);
    is_u64(dt_in(io, 0x20), 0x00, "poll with nothing pending reads 0");
    eoi(0x20);
    irq(3, 0);

    irq(1, 1);
    iack();                    /* IRQ 1 in service */
    irq(3, 1);
    ok(!cpu_int(), "IRQ 3 blocked by IRQ 1 in service");
    dt_out(io, 0x21, 0x02);    /* mask IRQ 1 */
    dt_out(io, 0x20, 0x68);    /* OCW3: set special mask mode */
    ok(cpu_int(), "special mask mode: masking the in-service IRQ lets lower ones through");
    is_u64(iack(), 0x0b, "IRQ 3 taken while 1 is in service");
    dt_out(io, 0x20, 0x48);    /* reset special mask mode */
    dt_out(io, 0x20, 0x63);
    dt_out(io, 0x20, 0x61);
    dt_out(io, 0x21, 0x00);
    irq(1, 0);
    irq(3, 0);

    dt_out(io, 0x20, 0x19);    /* ICW1 with LTIM: the whole master level triggered */
    dt_out(io, 0x21, 0x08);
    dt_out(io, 0x21, 0x04);
    dt_out(io, 0x21, 0x01);
    irq(4, 1);
    iack();
    eoi(0x20);
    ok(cpu_int(), "LTIM: a held line interrupts again after EOI");
    irq(4, 0);
    ok(!cpu_int(), "and stops when released");
    init_pc(0x01);
}


static void all_low(void)
{
    for (unsigned i = 0; i < 16; i++)
        irq(i, 0);
}

/* ICW4 is optional; single mode skips ICW3; the vector base keeps only bits 7-3. */
static void test_init_sequences(void)
{
    all_low();
    dt_out(io, 0x20, 0x10);    /* ICW1: edge, cascade, no ICW4 */
    dt_out(io, 0x21, 0x20);    /* ICW2 */
    dt_out(io, 0x21, 0x04);    /* ICW3 */
    dt_out(io, 0x21, 0xfe);    /* no ICW4 expected: this is OCW1 */
    is_u64(dt_in(io, 0x21), 0xfe, "without IC4 the byte after ICW3 is already OCW1");
    dt_out(io, 0x21, 0x00);
    irq(0, 1);
    is_u64(iack(), 0x20, "vector base 0x20");
    is_u64(isr(0x20), 0x01, "no ICW4: not auto-EOI, IRQ 0 in service");
    eoi(0x20);
    irq(0, 0);

    dt_out(io, 0x20, 0x13);    /* ICW1: single, ICW4 */
    dt_out(io, 0x21, 0x47);    /* ICW2: low bits ignored */
    dt_out(io, 0x21, 0x03);    /* single mode: no ICW3, this is ICW4 (auto-EOI) */
    dt_out(io, 0x21, 0x00);    /* OCW1 */
    irq(2, 1);
    is_u64(iack(), 0x42, "single mode: IRQ 2 is an ordinary input (base 0x40 + 2)");
    is_u64(isr(0x20), 0x00, "ICW4 without ICW3 set auto-EOI");
    irq(2, 0);

    dt_out(io, 0x20, 0x12);    /* ICW1: single, no ICW4 */
    dt_out(io, 0x21, 0x50);
    dt_out(io, 0x21, 0xaa);    /* already OCW1 */
    is_u64(dt_in(io, 0x21), 0xaa, "single mode without ICW4: ICW2 alone");
    dt_out(io, 0x21, 0x00);

    irq(3, 1);
    dt_out(io, 0x20, 0x11);    /* ICW1 while a request is latched */
    is_u64(irr(0x20), 0x00, "ICW1 clears edge requests (the edge sense is reset)");
    dt_out(io, 0x21, 0x08);
    dt_out(io, 0x21, 0x04);
    dt_out(io, 0x21, 0x01);
    ok(!cpu_int(), "a line held high through ICW1 is no request afterwards");
    irq(3, 0);
    irq(3, 1);
    ok(cpu_int(), "a fresh edge is");
    iack();
    eoi(0x20);
    irq(3, 0);

    irq(6, 1);
    dt_out(io, 0x20, 0x19);    /* ICW1 with LTIM while IRQ 6 is held high */
    dt_out(io, 0x21, 0x08);
    dt_out(io, 0x21, 0x04);
    dt_out(io, 0x21, 0x01);
    ok(cpu_int(), "LTIM: a line already high requests at once");
    is_u64(iack(), 0x0e, "IRQ 6");
    eoi(0x20);
    irq(6, 0);
    init_pc(0x01);
}

/* Rotation in auto-EOI mode, and the OCW2 commands that change priority. */
static void test_rotation(void)
{
    init_pc(0x03);             /* auto-EOI */
    dt_out(io, 0x20, 0x80);    /* OCW2: set rotate in auto-EOI */
    irq(1, 1);
    irq(4, 1);
    is_u64(iack(), 0x09, "rotate in AEOI: IRQ 1 first");
    irq(1, 0);
    irq(1, 1);
    is_u64(iack(), 0x0c, "then IRQ 1 became the lowest: IRQ 4 beats its new request");
    is_u64(iack(), 0x09, "and IRQ 1 after");
    irq(1, 0);
    irq(4, 0);
    dt_out(io, 0x20, 0x00);    /* OCW2: clear rotate in auto-EOI */
    dt_out(io, 0x20, 0xc7);    /* IRQ 0 highest again */
    irq(1, 1);
    irq(4, 1);
    is_u64(iack(), 0x09, "rotation cleared: IRQ 1 first");
    irq(1, 0);
    irq(1, 1);
    is_u64(iack(), 0x09, "and first again");
    is_u64(iack(), 0x0c, "then 4");
    all_low();

    init_pc(0x01);
    irq(2 + 0, 0);
    irq(6, 1);
    irq(7, 1);
    iack();                    /* 6 */
    dt_out(io, 0x20, 0xe6);    /* rotate on specific EOI 6: 6 lowest, 7 highest */
    is_u64(isr(0x20), 0x00, "rotate on specific EOI clears the ISR bit named");
    irq(0, 1);
    is_u64(iack(), 0x0f, "IRQ 7 now beats IRQ 0");
    is_u64(iack(), 0x0f, "nothing nests above 7 while it is in service: spurious 7 again");
    dt_out(io, 0x20, 0x67);    /* specific EOI 7 */
    is_u64(iack(), 0x08, "then IRQ 0");
    dt_out(io, 0x20, 0x40);    /* OCW2 no-op */
    is_u64(isr(0x20), 0x01, "OCW2 'no operation' leaves ISR");
    eoi(0x20);
    dt_out(io, 0x20, 0xc7);
    all_low();
}

/* OCW3: the read register selection persists; poll; special mask mode off again. */
static void test_ocw3(void)
{
    init_pc(0x01);
    irq(5, 1);
    dt_out(io, 0x20, 0x0b);
    is_u64(dt_in(io, 0x20), 0x00, "read ISR: nothing in service yet");
    is_u64(dt_in(io, 0x20), 0x00, "the ISR selection stays for later reads");
    dt_out(io, 0x20, 0x08);    /* OCW3 without RR: selection unchanged */
    is_u64(dt_in(io, 0x20), 0x00, "an OCW3 without RR keeps reading ISR");
    dt_out(io, 0x20, 0x0a);
    is_u64(dt_in(io, 0x20), 0x20, "read IRR: IRQ 5");
    is_u64(dt_in(io, 0x21), 0x00, "the data port reads IMR");
    dt_out(io, 0xa0, 0x0c);    /* poll the slave: nothing */
    is_u64(dt_in(io, 0xa0), 0x00, "polling an idle slave reads 0");
    dt_out(io, 0x20, 0x0c);
    is_u64(dt_in(io, 0x21), 0x85, "a poll read at the data port works too (IRQ 5)");
    is_u64(dt_in(io, 0x21), 0x00, "poll lasts one read: IMR again");
    eoi(0x20);
    irq(5, 0);

    irq(12, 1);
    dt_out(io, 0xa0, 0x0c);
    is_u64(dt_in(io, 0xa0), 0x84, "polling the slave finds IRQ 12 (its input 4)");
    is_u64(isr(0xa0), 0x10, "and puts it in service there");
    eoi(0xa0);
    irq(12, 0);
    dt_in(io, IACK);           /* the master latched IR2 from the slave: take it */
    eoi(0x20);
}

/* Vanished requests: the INTA cycle still answers, with IRQ 7 of the chip concerned. */
static void test_spurious(void)
{
    init_pc(0x01);
    irq(4, 1);
    ok(cpu_int(), "IRQ 4 raises INT");
    dt_out(io, 0x21, 0x10);    /* masked before the CPU acknowledges */
    ok(!cpu_int(), "masking it drops INT");
    is_u64(iack(), 0x0f, "a late acknowledge gets spurious IRQ 7");
    is_u64(isr(0x20), 0x00, "without an ISR bit");
    dt_out(io, 0x21, 0x00);
    is_u64(iack(), 0x0c, "unmasked, the request is still there");
    eoi(0x20);
    irq(4, 0);

    irq(3, 1);
    dt_run_to(m, emu_clock_ns(m) + 1000);
    irq(3, 0);
    ok(!cpu_int(), "an edge request withdrawn before the acknowledge: INT drops");
    is_u64(irr(0x20), 0x00, "and IRR forgets it");
    is_u64(iack(), 0x0f, "a late acknowledge gets spurious IRQ 7");
    irq(3, 1);
    irq(3, 0);
    ok(cpu_int(), "a pulse within one instant stays a request");
    is_u64(iack(), 0x0b, "and is taken");
    eoi(0x20);
    irq(11, 1);
    dt_run_to(m, emu_clock_ns(m) + 1000);
    irq(11, 0);
    ok(!cpu_int(), "an edge request on the slave withdrawn: the cascade input falls too");
    is_u64(iack(), 0x0f, "the master has nothing: spurious IRQ 7");

    irq(7, 1);
    is_u64(iack(), 0x0f, "a real IRQ 7 has the same vector...");
    is_u64(isr(0x20), 0x80, "...but sets ISR bit 7 (how drivers tell them apart)");
    eoi(0x20);
    irq(7, 0);

    dt_out(io, 0x4d1, 0x04);   /* IRQ 10 level */
    irq(10, 1);
    ok(cpu_int(), "level IRQ 10 through the cascade");
    irq(10, 0);
    is_u64(iack(), 0x77, "gone before the acknowledge: spurious IRQ 15 from the slave");
    is_u64(isr(0xa0), 0x00, "no slave ISR bit");
    is_u64(isr(0x20), 0x04, "the master's cascade input is in service (needs its EOI)");
    eoi(0x20);
    dt_out(io, 0x4d1, 0x00);
}

/* ELCR: switching an input held high to level mode requests at once. */
static void test_elcr(void)
{
    init_pc(0x01);
    irq(11, 1);
    is_u64(iack(), 0x73, "edge IRQ 11");
    eoi(0xa0);
    eoi(0x20);
    ok(!cpu_int(), "edge: served once");
    dt_out(io, 0x4d1, 0x08);   /* IRQ 11 level, still held high */
    ok(cpu_int(), "switched to level with the line high: requests again");
    is_u64(iack(), 0x73, "IRQ 11 again");
    eoi(0xa0);
    eoi(0x20);
    dt_out(io, 0x4d1, 0x00);   /* back to edge */
    eoi(0xa0);
    irq(11, 0);
    dt_out(io, 0xa0, 0x0a);
    is_u64(dt_in(io, 0xa0), 0x00, "nothing left once the line falls");
    dt_out(io, 0x4d0, 0xff);
    dt_out(io, 0x4d1, 0xff);
    ok(dt_in(io, 0x4d0) == 0xf8 && dt_in(io, 0x4d1) == 0xde, "ELCR reserved bits stay 0");
    dt_out(io, 0x4d0, 0x00);
    dt_out(io, 0x4d1, 0x00);
    while (cpu_int()) {
        iack();
        eoi(0xa0);
        eoi(0x20);
    }
}


/* Random commands, lines and acknowledges: INT always agrees with what a poll finds,
   and nothing crashes. */

/* Special fully nested mode (ICW4.SFNM on the master): a higher slave request nests. */
static void test_sfnm(void)
{
    init_pc(0x01);
    irq(12, 1);
    is_u64(iack(), 0x74, "slave IRQ 12 in service");
    irq(9, 1);
    ok(!cpu_int(), "fully nested: the master's cascade input in service blocks slave IRQ 9");
    eoi(0xa0);
    eoi(0x20);
    is_u64(iack(), 0x71, "taken once both EOIs are done");
    eoi(0xa0);
    eoi(0x20);
    all_low();

    static const uint8_t master[] = { 0x11, 0x08, 0x04, 0x11 }, slave[] = { 0x11, 0x70, 0x02, 0x01 };
    for (int i = 0; i < 4; i++) {
        dt_out(io, i ? 0x21 : 0x20, master[i]);
        dt_out(io, i ? 0xa1 : 0xa0, slave[i]);
    }
    irq(12, 1);
    is_u64(iack(), 0x74, "SFNM: slave IRQ 12 in service");
    irq(9, 1);
    ok(cpu_int(), "a higher-priority request of the same slave reaches the CPU");
    is_u64(iack(), 0x71, "slave IRQ 9 nests");
    is_u64(isr(0xa0), 0x12, "both in service on the slave");
    irq(13, 1);
    ok(!cpu_int(), "a lower one of the slave still waits");
    dt_out(io, 0xa0, 0x20);
    dt_out(io, 0xa0, 0x20);
    dt_out(io, 0x20, 0x20);
    is_u64(iack(), 0x75, "after the EOIs, IRQ 13");
    dt_out(io, 0xa0, 0x20);
    dt_out(io, 0x20, 0x20);
    all_low();
    init_pc(0x01);
}

static void test_random(void)
{
    static const uint16_t ports[] = { 0x20, 0x21, 0xa0, 0xa1, 0x4d0, 0x4d1 };
    uint64_t st = 8259;
    unsigned bad = 0;
    for (int i = 0; i < 20000; i++) {
        st = st * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(st >> 33);
        switch (r % 5) {
        case 0:
            dt_out(io, ports[(r >> 3) % 6], (uint8_t)(r >> 8));
            break;
        case 1:
            dt_in(io, ports[(r >> 3) % 6]);
            break;
        case 2:
        case 3:
            irq((r >> 3) % 16, (r >> 8) & 1);
            break;
        default: {
            if ((r >> 3) & 1) {
                iack();
                break;
            }
            int line = cpu_int();
            dt_out(io, 0x20, 0x0c);
            bad += ((dt_in(io, 0x20) & 0x80) != 0) != line;
            break;
        }
        }
    }
    is_u64(bad, 0, "20000 random operations: INT high exactly when a poll finds a request");
    all_low();
    dt_out(io, 0x4d0, 0);
    dt_out(io, 0x4d1, 0);
    init_pc(0x01);
}

static void test_intack_interface(void)
{
    const emu_intack_ops *ia = emu_intack(pic);
    ok(ia != NULL, "the pair offers the 'intack' interface");
    irq(9, 1);
    is_u64(ia ? ia->acknowledge(pic) : 0, 0x71, "acknowledge through the interface: IRQ 9");
    eoi(0xa0);
    eoi(0x20);
    irq(9, 0);
    emu_device_reset(pic);
    ok(!cpu_int() && dt_in(io, 0x21) == 0, "device reset: quiet, unmasked");
}

int main(void)
{
    m = dt_machine(&io);
    pic = dt_device(m, "i8259", "pic", NULL);
    dt_map(pic, "master", io, 0x20);
    dt_map(pic, "slave", io, 0xa0);
    dt_map(pic, "elcr", io, 0x4d0);
    dt_map(pic, "iack", io, IACK);
    probe = dt_new_probe(m);
    for (unsigned i = 0; i < 16; i++)
        dt_connect(&probe->dev, "drive", i, pic, "irq", i);
    dt_connect(pic, "int", 0, &probe->dev, "in", 0);

    test_init_and_mask();
    test_priorities();
    test_cascade_and_level();
    test_modes();
    test_init_sequences();
    test_rotation();
    test_ocw3();
    test_spurious();
    test_elcr();
    test_sfnm();
    test_random();
    test_intack_interface();

    emu_machine_free(m);
    emu_plugins_shutdown();
    return tap_done();
}
