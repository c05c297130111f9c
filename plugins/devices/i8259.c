/* i8259: a cascaded pair of 8259A interrupt controllers (master + slave on master input 2), PC/PReP style.
 *
 * Regions:
 *   master  2 bytes  0: ICW1 / OCW2 / OCW3 (write), IRR or ISR (read)   1: ICW2-4 / OCW1=IMR
 *   slave   2 bytes  the same for the slave
 *   elcr    2 bytes  edge/level control: bit n of byte 0 = IRQ n, of byte 1 = IRQ 8+n (1 = level)
 *   iack    4 bytes  a read of offset 0 is the interrupt acknowledge cycle: it returns the
 *                    vector of the highest-priority request (through the slave when it comes
 *                    from input 2) and marks it in service; with nothing to take it returns the
 *                    spurious vector, IRQ 7 of the controller concerned, without setting ISR
 *
 * The same acknowledge is offered to host bridges as the "intack" interface
 * (emu/intack.h), for a bridge that decodes the INTA address itself.
 *
 * Behaviour follows the 8259A data sheet: ICW1 starts initialization and
 * clears IMR, ISR, the priority rotation and special mask; edge-triggered
 * requests latch on a rising edge and clear when acknowledged, level ones
 * follow the input (per ELCR bit or for the whole chip with ICW1.LTIM);
 * fully nested priorities with rotation (rotate on non-specific EOI, set
 * priority, rotate in auto-EOI), specific EOI, read IRR/ISR, poll mode,
 * special mask mode and special fully nested mode (ICW4.SFNM on the master).
 * The ELCR bits for IRQ 0, 1, 2, 8 and 13 are reserved (always edge), as on
 * the PIIX and the 82378 SIO.  An input switched to level mode (ELCR, or
 * ICW1 with LTIM) requests at once when its line is already high; one
 * switched to edge mode waits for its next rising edge.
 *
 * An edge request whose line falls before the acknowledge vanishes from
 * IRR (the data sheet's "IR must stay high until the first INTA"; QEMU
 * keeps it), so a late acknowledge gets spurious IRQ 7 (15 on the slave), as
 * for a request masked or a level request whose line fell.  A pulse within
 * one instant of virtual time (emu_line_pulse) stands for a pulse long
 * enough to be acknowledged and stays a request.
 */
#include <emu/emu.h>
#include <emu/intack.h>
#include <inttypes.h>
#include <stdio.h>

enum { MASTER, SLAVE };
#define CASCADE_IRQ 2

typedef struct pic {
    uint8_t irr, imr, isr;
    uint8_t last_irr;             /* inputs seen high (edge detection) */
    uint64_t rise_ns[8];          /* virtual time of each input's last rising edge */
    uint8_t elcr, elcr_mask;
    uint8_t priority_add;         /* the IRQ with the highest priority */
    uint8_t irq_base;             /* ICW2: vector of IRQ 0 */
    uint8_t init_state;           /* 0 ready, 1-3: expecting ICW2, ICW3, ICW4 */
    uint8_t icw3;
    bool init4, single_mode, ltim;
    bool read_isr, poll, special_mask;
    bool auto_eoi, rotate_on_auto_eoi, special_fully_nested;
} pic;

typedef struct i8259 {
    emu_device dev;
    emu_line *int_out;
    pic chip[2];
    uint16_t inputs;              /* levels of the 16 input lines */
} i8259;

/* Priority 0 (highest) .. 7 of the highest-priority bit in mask, 8 when none. */
static int get_priority(const pic *p, uint8_t mask)
{
    if (!mask)
        return 8;
    int priority = 0;
    while (!(mask & (1u << ((priority + p->priority_add) & 7))))
        priority++;
    return priority;
}

/* The IRQ this chip would deliver now, or -1. */
static int pending_irq(const pic *p, bool master)
{
    int priority = get_priority(p, p->irr & ~p->imr);
    if (priority == 8)
        return -1;
    uint8_t in_service = p->isr;
    if (p->special_mask)
        in_service &= ~p->imr;    /* masked levels do not block lower ones */
    if (p->special_fully_nested && master)
        in_service &= ~(1u << CASCADE_IRQ);   /* more slave interrupts may nest */
    if (priority < get_priority(p, in_service))
        return (priority + p->priority_add) & 7;
    return -1;
}

static bool is_level(const pic *p, int irq)
{
    return p->ltim || (p->elcr & (1u << irq));
}

/* An input of one chip changes level at virtual time `now`. */
static void chip_set_input(pic *p, int irq, int level, uint64_t now)
{
    uint8_t mask = (uint8_t)(1u << irq);
    if (is_level(p, irq)) {
        if (level)
            p->irr |= mask;
        else
            p->irr &= ~mask;
    } else if (level && !(p->last_irr & mask)) {
        p->irr |= mask;   /* rising edge */
        p->rise_ns[irq] = now;
    } else if (!level && (p->last_irr & mask) && now != p->rise_ns[irq]) {
        /* Withdrawn before the acknowledge: the request vanishes (the 8259A needs IR
           high until the first INTA).  A pulse within one instant is a request. */
        p->irr &= (uint8_t)~mask;
    }
    if (level)
        p->last_irr |= mask;
    else
        p->last_irr &= ~mask;
}

/* The level on each input of one chip (master input 2: the slave's INT or the external IRQ 2). */
static uint8_t chip_inputs(const i8259 *d, const pic *p)
{
    if (p == &d->chip[SLAVE])
        return (uint8_t)(d->inputs >> 8);
    uint8_t in = (uint8_t)d->inputs;
    if (pending_irq(&d->chip[SLAVE], false) >= 0)
        in |= 1u << CASCADE_IRQ;
    return in;
}

/* Level-triggered requests follow their input: after ICW1 with LTIM or an ELCR
   write, a line already held high requests at once. */
static void resample_levels(i8259 *d, pic *p)
{
    uint8_t in = chip_inputs(d, p);
    for (int irq = 0; irq < 8; irq++) {
        uint8_t mask = (uint8_t)(1u << irq);
        if (!is_level(p, irq))
            continue;
        if (in & mask)
            p->irr |= mask;
        else
            p->irr &= (uint8_t)~mask;
    }
}

/* Propagate: slave output -> master input 2 (ORed with the external IRQ 2 line) -> INT. */
static void update(i8259 *d)
{
    int slave_int = pending_irq(&d->chip[SLAVE], false) >= 0;
    chip_set_input(&d->chip[MASTER], CASCADE_IRQ, slave_int || (d->inputs & (1u << CASCADE_IRQ)),
                   emu_clock_ns(d->dev.machine));
    emu_line_set(d->int_out, pending_irq(&d->chip[MASTER], true) >= 0);
}

/* The acknowledge of `irq` on one chip: in service (unless auto-EOI), edge request consumed. */
static void chip_ack(pic *p, int irq)
{
    if (p->auto_eoi) {
        if (p->rotate_on_auto_eoi)
            p->priority_add = (uint8_t)((irq + 1) & 7);
    } else {
        p->isr |= (uint8_t)(1u << irq);
    }
    if (!is_level(p, irq))
        p->irr &= (uint8_t)~(1u << irq);
}

/* The INTA cycle: vector of the interrupt taken. */
static uint8_t acknowledge(i8259 *d)
{
    pic *m = &d->chip[MASTER], *s = &d->chip[SLAVE];
    int irq = pending_irq(m, true);
    uint8_t vector;
    if (irq < 0) {
        vector = (uint8_t)(m->irq_base + 7);   /* spurious on the master: ISR untouched */
    } else if (irq == CASCADE_IRQ && !m->single_mode) {
        int irq2 = pending_irq(s, false);
        if (irq2 >= 0) {
            chip_ack(s, irq2);
            vector = (uint8_t)(s->irq_base + irq2);
        } else {
            vector = (uint8_t)(s->irq_base + 7);   /* spurious on the slave */
        }
        chip_ack(m, irq);
    } else {
        chip_ack(m, irq);
        vector = (uint8_t)(m->irq_base + irq);
    }
    update(d);
    return vector;
}

/* Reset by ICW1: everything but ELCR (and requests held by level inputs). */
static void chip_init_reset(pic *p)
{
    p->last_irr = 0;
    p->irr &= p->elcr;
    p->imr = p->isr = 0;
    p->priority_add = 0;
    p->irq_base = 0;
    p->init_state = 0;
    p->icw3 = 0;
    p->init4 = p->single_mode = p->ltim = false;
    p->read_isr = p->poll = p->special_mask = false;
    p->auto_eoi = p->rotate_on_auto_eoi = p->special_fully_nested = false;
}

static void write_ocw2(pic *p, uint8_t val)
{
    int irq;
    switch (val >> 5) {
    case 0: /* clear rotate in auto-EOI */
    case 4: /* set rotate in auto-EOI */
        p->rotate_on_auto_eoi = val >> 7;
        break;
    case 1: /* non-specific EOI */
    case 5: /* rotate on non-specific EOI */
        irq = get_priority(p, p->isr);
        if (irq != 8) {
            irq = (irq + p->priority_add) & 7;
            p->isr &= (uint8_t)~(1u << irq);
            if (val >> 5 == 5)
                p->priority_add = (uint8_t)((irq + 1) & 7);
        }
        break;
    case 3: /* specific EOI */
        p->isr &= (uint8_t)~(1u << (val & 7));
        break;
    case 6: /* set priority: IRQ val&7 becomes the lowest */
        p->priority_add = (uint8_t)((val + 1) & 7);
        break;
    case 7: /* rotate on specific EOI */
        p->isr &= (uint8_t)~(1u << (val & 7));
        p->priority_add = (uint8_t)((val + 1) & 7);
        break;
    default: /* 2: no operation */
        break;
    }
}

static void chip_write(i8259 *d, pic *p, uint64_t addr, uint8_t val)
{
    if (addr == 0) {
        if (val & 0x10) {                    /* ICW1 */
            chip_init_reset(p);
            p->init_state = 1;
            p->init4 = val & 0x01;
            p->single_mode = val & 0x02;
            p->ltim = val & 0x08;
            resample_levels(d, p);
            if (val & 0x04)
                emu_log(&d->dev, EMU_LOG_UNIMP, "ICW1 call address interval 4 (8080 mode) ignored");
        } else if (val & 0x08) {             /* OCW3 */
            if (val & 0x04)
                p->poll = true;
            if (val & 0x02)
                p->read_isr = val & 0x01;
            if (val & 0x40)
                p->special_mask = (val >> 5) & 1;
        } else {                             /* OCW2 */
            write_ocw2(p, val);
        }
    } else {
        switch (p->init_state) {
        case 0:                              /* OCW1 */
            p->imr = val;
            break;
        case 1:                              /* ICW2 */
            p->irq_base = val & 0xf8;
            p->init_state = p->single_mode ? (p->init4 ? 3 : 0) : 2;
            break;
        case 2:                              /* ICW3 */
            p->icw3 = val;
            p->init_state = p->init4 ? 3 : 0;
            break;
        default:                             /* ICW4 */
            p->special_fully_nested = (val >> 4) & 1;
            p->auto_eoi = (val >> 1) & 1;
            if (!(val & 0x01))
                emu_log(&d->dev, EMU_LOG_UNIMP, "ICW4 without 8086 mode: 8080 mode is not modelled");
            p->init_state = 0;
            break;
        }
    }
    update(d);
}

static uint8_t chip_read(i8259 *d, pic *p, uint64_t addr)
{
    if (p->poll) {
        /* Poll mode: the read is the acknowledge; bit 7 = a request was taken. */
        p->poll = false;
        int irq = pending_irq(p, p == &d->chip[MASTER]);
        if (irq < 0)
            return 0;
        chip_ack(p, irq);
        update(d);
        return (uint8_t)(0x80 | irq);
    }
    if (addr == 0)
        return p->read_isr ? p->isr : p->irr;
    return p->imr;
}

static uint64_t master_read(void *opaque, uint64_t offset, unsigned size)
{
    i8259 *d = opaque;
    return chip_read(d, &d->chip[MASTER], offset);
}

static void master_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8259 *d = opaque;
    chip_write(d, &d->chip[MASTER], offset, (uint8_t)value);
}

static uint64_t slave_read(void *opaque, uint64_t offset, unsigned size)
{
    i8259 *d = opaque;
    return chip_read(d, &d->chip[SLAVE], offset);
}

static void slave_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8259 *d = opaque;
    chip_write(d, &d->chip[SLAVE], offset, (uint8_t)value);
}

static uint64_t elcr_read(void *opaque, uint64_t offset, unsigned size)
{
    i8259 *d = opaque;
    return d->chip[offset & 1].elcr;
}

static void elcr_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8259 *d = opaque;
    pic *p = &d->chip[offset & 1];
    uint8_t to_edge = (uint8_t)(p->elcr & ~value);
    p->elcr = (uint8_t)value & p->elcr_mask;
    /* A level request is not latched: an input turned edge-triggered waits for its next edge. */
    if (!p->ltim)
        p->irr &= (uint8_t)~to_edge;
    resample_levels(d, p);
    update(d);
}

static uint64_t iack_read(void *opaque, uint64_t offset, unsigned size)
{
    i8259 *d = opaque;
    return offset == 0 ? acknowledge(d) : 0;
}

#define BYTE_OPS(rd, wr) { \
    .struct_size = sizeof(emu_mmio_ops), .read = rd, .write = wr, \
    .endian = EMU_LITTLE_ENDIAN, .impl_min = 1, .impl_max = 1, .unaligned_ok = true }

static const emu_mmio_ops master_ops = BYTE_OPS(master_read, master_write);
static const emu_mmio_ops slave_ops = BYTE_OPS(slave_read, slave_write);
static const emu_mmio_ops elcr_ops = BYTE_OPS(elcr_read, elcr_write);
/* One acknowledge per read, whatever its width: the vector is in byte 0. */
static const emu_mmio_ops iack_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = iack_read, .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 4, .impl_min = 1, .impl_max = 4,
};

/* ---- lines and lifecycle ---- */

static void i8259_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    i8259 *d = (i8259 *)dev;
    if (index >= 16)
        return;
    if (level)
        d->inputs |= (uint16_t)(1u << index);
    else
        d->inputs &= (uint16_t)~(1u << index);
    if (index != CASCADE_IRQ)
        chip_set_input(&d->chip[index >> 3], (int)(index & 7), level, emu_clock_ns(dev->machine));
    update(d);
}

static void i8259_reset(emu_device *dev)
{
    i8259 *d = (i8259 *)dev;
    for (int i = 0; i < 2; i++) {
        pic *p = &d->chip[i];
        p->elcr = 0;
        p->irr = 0;
        chip_init_reset(p);
        /* Inputs held high stay seen, so they do not count as a new edge. */
        p->last_irr = (uint8_t)(d->inputs >> (8 * i));
    }
    update(d);
}

static int i8259_realize(emu_device *dev, emu_error **err)
{
    i8259 *d = (i8259 *)dev;
    if (!emu_device_mmio(dev, "master", 2, &master_ops, d) ||
        !emu_device_mmio(dev, "slave", 2, &slave_ops, d) ||
        !emu_device_mmio(dev, "elcr", 2, &elcr_ops, d) ||
        !emu_device_mmio(dev, "iack", 4, &iack_ops, d)) {
        emu_error_set(err, "cannot create the register regions");
        return -1;
    }
    d->int_out = emu_device_output(dev, "int", 0);
    d->chip[MASTER].elcr_mask = 0xf8;   /* IRQ 0, 1, 2 are always edge */
    d->chip[SLAVE].elcr_mask = 0xde;    /* IRQ 8 and 13 are always edge */
    i8259_reset(dev);
    return 0;
}

static const char *const chip_names[] = { "master", "slave" };
static const char *const chip_fields[] = {
    "irr", "imr", "isr", "last_irr", "elcr", "priority_add", "irq_base", "init_state", "icw3",
    "flags",
};

static uint64_t chip_flags(const pic *p)
{
    return (uint64_t)p->init4 | (uint64_t)p->single_mode << 1 | (uint64_t)p->ltim << 2 |
           (uint64_t)p->read_isr << 3 | (uint64_t)p->poll << 4 | (uint64_t)p->special_mask << 5 |
           (uint64_t)p->auto_eoi << 6 | (uint64_t)p->rotate_on_auto_eoi << 7 |
           (uint64_t)p->special_fully_nested << 8;
}

static int i8259_save(emu_device *dev, emu_state_writer *w)
{
    i8259 *d = (i8259 *)dev;
    for (int i = 0; i < 2; i++) {
        const pic *p = &d->chip[i];
        uint64_t v[] = { p->irr, p->imr, p->isr, p->last_irr, p->elcr, p->priority_add,
                         p->irq_base, p->init_state, p->icw3, chip_flags(p) };
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) {
            char name[32];
            snprintf(name, sizeof name, "%s.%s", chip_names[i], chip_fields[k]);
            emu_state_put_u64(w, name, v[k]);
        }
    }
    emu_state_put_u64(w, "inputs", d->inputs);
    return 0;
}

static int i8259_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    i8259 *d = (i8259 *)dev;
    for (int i = 0; i < 2; i++) {
        pic *p = &d->chip[i];
        uint64_t v[10];
        for (size_t k = 0; k < 10; k++) {
            char name[32];
            snprintf(name, sizeof name, "%s.%s", chip_names[i], chip_fields[k]);
            if (emu_state_get_u64(r, name, &v[k]) < 0) {
                emu_error_set(err, "i8259 state: missing field '%s'", name);
                return -1;
            }
        }
        p->irr = (uint8_t)v[0];
        p->imr = (uint8_t)v[1];
        p->isr = (uint8_t)v[2];
        p->last_irr = (uint8_t)v[3];
        p->elcr = (uint8_t)v[4] & p->elcr_mask;
        p->priority_add = (uint8_t)(v[5] & 7);
        p->irq_base = (uint8_t)v[6] & 0xf8;
        p->init_state = (uint8_t)(v[7] & 3);
        p->icw3 = (uint8_t)v[8];
        p->init4 = v[9] & 1;
        p->single_mode = v[9] >> 1 & 1;
        p->ltim = v[9] >> 2 & 1;
        p->read_isr = v[9] >> 3 & 1;
        p->poll = v[9] >> 4 & 1;
        p->special_mask = v[9] >> 5 & 1;
        p->auto_eoi = v[9] >> 6 & 1;
        p->rotate_on_auto_eoi = v[9] >> 7 & 1;
        p->special_fully_nested = v[9] >> 8 & 1;
    }
    uint64_t inputs;
    if (emu_state_get_u64(r, "inputs", &inputs) < 0) {
        emu_error_set(err, "i8259 state: missing field 'inputs'");
        return -1;
    }
    d->inputs = (uint16_t)inputs;
    update(d);
    return 0;
}

static unsigned i8259_intack(emu_device *dev)
{
    return acknowledge((i8259 *)dev);
}

static const emu_intack_ops i8259_intack_ops = {
    .struct_size = sizeof(emu_intack_ops),
    .acknowledge = i8259_intack,
};

static const emu_iface i8259_ifaces[] = {
    { EMU_INTACK_IFACE, &i8259_intack_ops },
    { NULL, NULL },
};

static const emu_region_desc i8259_regions[] = {
    { "master", "master 8259A command/data ports (PC: 0x20-0x21)" },
    { "slave", "slave 8259A command/data ports (PC: 0xa0-0xa1)" },
    { "elcr", "edge/level control registers, 1 = level (PC: 0x4d0-0x4d1)" },
    { "iack", "interrupt acknowledge: reading offset 0 returns the vector and acknowledges "
              "(for boards whose bridge does not decode the acknowledge cycle itself; on PReP "
              "the raven's intack does)" },
    { NULL, NULL },
};

static const emu_line_desc i8259_inputs[] = {
    { "irq", 16, "interrupt requests: 0-7 on the master, 8-15 on the slave (2 is the cascade, "
                 "ORed with the slave's output)" },
    { NULL, 0, NULL },
};

static const emu_line_desc i8259_outputs[] = {
    { "int", 1, "INT to the CPU: high while the master has a request to deliver" },
    { NULL, 0, NULL },
};

static const emu_type i8259_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "i8259",
    .summary = "cascaded pair of 8259A interrupt controllers with ELCR (PC/PReP)",
    .instance_size = sizeof(i8259),
    .regions = i8259_regions,
    .inputs = i8259_inputs,
    .outputs = i8259_outputs,
    .realize = i8259_realize,
    .reset = i8259_reset,
    .set_input = i8259_set_input,
    .save = i8259_save,
    .load = i8259_load,
    .kind_ops = i8259_ifaces,
};

static const emu_type *const types[] = { &i8259_type, NULL };

EMU_PLUGIN(i8259) = {
    EMU_PLUGIN_HEADER, "i8259", "1.0", "8259A PIC pair", types,
};
