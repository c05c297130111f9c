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
    test_intack_interface();

    emu_machine_free(m);
    emu_plugins_shutdown();
    return tap_done();
}
