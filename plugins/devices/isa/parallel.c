/* PC parallel port in compatible (SPP) mode, as in Super I/O chips: data, status and control
 * registers (PC: 0x378), a printer on a chardev taking the bytes the guest strobes out and
 * acknowledging each, and the acknowledge interrupt.
 *
 * Status bits read the port's input pins: with a printer (a chardev) it is ready, on line,
 * with paper and no error (0xD8); with nothing attached the pull-ups leave BUSY high (not
 * ready), ACK#, PE, SELECT and ERROR# high (0x78).  Bits 0-2 read 0 in compatible mode.
 * Control bits 6-7 are not implemented and read 1. */
#include <inttypes.h>
#include "emu/emu.h"
#include "../state-fields.h"

#define ST_ERROR_N 0x08
#define ST_SELECT  0x10
#define ST_PE      0x20
#define ST_ACK_N   0x40
#define ST_BUSY_N  0x80
#define CT_STROBE  0x01
#define CT_AUTOFD  0x02
#define CT_INIT_N  0x04
#define CT_SELIN   0x08
#define CT_IRQ_EN  0x10
#define CT_INPUT   0x20
#define CT_KEPT    0x3f
#define CT_UNUSED  0xc0

typedef struct parallel {
    emu_device dev;
    emu_chardev *chr;
    uint8_t data, control;
    emu_line *irq;
} parallel;

static const emu_prop_desc par_props[] = {
    EMU_PROP_CHARDEV_DEF("chardev", parallel, chr,
                         "the printer: bytes the guest strobes out (a name under chardevs:); "
                         "unset: no printer attached"),
    EMU_PROP_END,
};

static const emu_region_desc par_regions[] = {
    { "io", "data (+0), status (+1), control (+2), byte access, 4 bytes (PC: at 0x378)" },
    { NULL, NULL },
};

static const emu_line_desc par_outputs[] = {
    { "irq", 1, "pulsed when the printer acknowledges a byte and control bit 4 enables it "
                "(PC: IRQ 7, PReP: IRQ 5)" },
    { NULL, 0, NULL },
};

static uint8_t status_of(const parallel *p)
{
    if (!p->chr)
        return ST_ACK_N | ST_PE | ST_SELECT | ST_ERROR_N;   /* floating inputs */
    return ST_BUSY_N | ST_ACK_N | ST_SELECT | ST_ERROR_N;   /* a ready printer */
}

static uint64_t par_read(void *opaque, uint64_t off, unsigned size)
{
    parallel *p = opaque;
    (void)size;
    switch (off) {
    case 0:
        /* Input direction: nothing drives the data lines back. */
        return (p->control & CT_INPUT) ? 0xff : p->data;
    case 1:
        return status_of(p);
    case 2:
        return p->control | CT_UNUSED;
    default:
        emu_log(&p->dev, EMU_LOG_UNASSIGNED, "read of +%" PRIu64 " answers 0xFF (no EPP or ECP "
                "registers in compatible mode)", off);
        return 0xff;
    }
}

static void par_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    parallel *p = opaque;
    uint8_t v = (uint8_t)value;
    (void)size;
    switch (off) {
    case 0:
        p->data = v;
        break;
    case 1:
        break;   /* status: read-only pins */
    case 2: {
        bool strobe = (v & CT_STROBE) && !(p->control & CT_STROBE);
        p->control = v & CT_KEPT;
        /* A printer out of reset (INIT# high) takes the byte on STROBE# and acknowledges it. */
        if (strobe && p->chr && (v & CT_INIT_N) && !(v & CT_INPUT)) {
            emu_chardev_write(p->chr, &p->data, 1);
            if (p->control & CT_IRQ_EN)
                emu_line_pulse(p->irq);
        }
        break;
    }
    default:
        emu_log(&p->dev, EMU_LOG_UNASSIGNED, "write of 0x%02x to +%" PRIu64 " ignored", v, off);
        break;
    }
}

static const emu_mmio_ops par_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = par_read, .write = par_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 1,
};

static int par_realize(emu_device *dev, emu_error **err)
{
    parallel *p = (parallel *)dev;
    p->irq = emu_device_output(dev, "irq", 0);
    if (!emu_device_mmio(dev, "io", 4, &par_ops, p)) {
        emu_error_set(err, "cannot create the port's registers");
        return -1;
    }
    return 0;
}

/* Reset: data cleared, control 0 (strobe idle, INIT# low holds the printer in reset). */
static void par_reset(emu_device *dev)
{
    parallel *p = (parallel *)dev;
    p->data = 0;
    p->control = 0;
}

static int par_save(emu_device *dev, emu_state_writer *w)
{
    parallel *p = (parallel *)dev;
    emu_state_put_u64(w, "data", p->data);
    emu_state_put_u64(w, "control", p->control);
    return 0;
}

static int par_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    parallel *p = (parallel *)dev;
    uint64_t data, control;
    if (state_get(r, dev, "data", 0xff, &data, err) < 0 ||
        state_get(r, dev, "control", CT_KEPT, &control, err) < 0)
        return -1;
    p->data = (uint8_t)data;
    p->control = (uint8_t)control;
    return 0;
}

static const emu_type par_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "parallel",
    .summary = "PC parallel port (compatible mode) with a printer on a chardev",
    .instance_size = sizeof(parallel),
    .props = par_props,
    .regions = par_regions,
    .outputs = par_outputs,
    .realize = par_realize,
    .reset = par_reset,
    .save = par_save,
    .load = par_load,
};

static const emu_type *const par_types[] = { &par_type, NULL };

EMU_PLUGIN(parallel) = {
    EMU_PLUGIN_HEADER, "parallel", "1.0", "PC parallel port", par_types,
};
