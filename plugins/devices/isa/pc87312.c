/* National Semiconductor PC87312 Super I/O: its configuration registers behind an index port
 * and a data port (PReP: 0x398/0x399): FER (function enable), FAR (function address) and PTR
 * (power and test).  As on the chip, the first two reads of the index port after reset return
 * the identification bytes 0x88 and 0x00 (how firmware finds which base the chip strapped),
 * later reads return the index; data takes effect on the second of two data writes in a row
 * (any other access in between starts the count again).
 *
 * The functions themselves (UARTs, parallel port, floppy, IDE) are separate devices placed by
 * the machine file: this device holds and reports the configuration the machine was built
 * with, and logs a guest's attempt to move or switch a function, which is not carried out. */
#include <inttypes.h>
#include "emu/emu.h"
#include "../state-fields.h"

enum { REG_FER, REG_FAR, REG_PTR, NUM_REGS };
#define ID_BYTE 0x88

typedef struct pc87312 {
    emu_device dev;
    int64_t reset_value[NUM_REGS];    /* the strapped configuration */
    uint8_t reg[NUM_REGS];
    uint8_t index;
    uint8_t id_reads;                 /* identification bytes read since reset (0..2) */
    bool armed;                       /* the last access was a first data write */
} pc87312;

static const emu_prop_desc sio_props[] = {
    EMU_PROP_INT_DEF("fer", pc87312, reset_value[REG_FER], "0x0f", 0, 0xff,
                     "FER after reset: parallel port, both UARTs and the floppy enabled, IDE off "
                     "(the IBM 40p's strapping, QEMU's configuration 12)"),
    EMU_PROP_INT_DEF("far", pc87312, reset_value[REG_FAR], "0x10", 0, 0xff,
                     "FAR after reset: parallel port at 0x378, UART 1 at 0x3F8, UART 2 at 0x2F8"),
    EMU_PROP_INT_DEF("ptr", pc87312, reset_value[REG_PTR], "0x00", 0, 0xff,
                     "PTR after reset: powered up, parallel port on IRQ 5, configuration unlocked"),
    EMU_PROP_END,
};

static const emu_region_desc sio_regions[] = {
    { "config", "index (+0) and data (+1) ports, byte access (PReP: at 0x398)" },
    { NULL, NULL },
};

static const char *const reg_names[NUM_REGS] = { "FER", "FAR", "PTR" };

static uint64_t sio_read(void *opaque, uint64_t off, unsigned size)
{
    pc87312 *s = opaque;
    (void)size;
    s->armed = false;   /* a read between the two data writes breaks the sequence */
    if (off == 0) {
        if (s->id_reads < 2)
            return s->id_reads++ == 0 ? ID_BYTE : 0x00;
        return s->index;
    }
    if (s->index < NUM_REGS)
        return s->reg[s->index];
    emu_log(&s->dev, EMU_LOG_GUEST, "read of configuration register %u, which does not exist, "
            "answers 0 (as QEMU)", s->index);
    return 0;
}

static void sio_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    pc87312 *s = opaque;
    uint8_t v = (uint8_t)value;
    (void)size;
    if (off == 0) {
        s->index = v;
        s->id_reads = 2;   /* the identification bytes are only read before any index write */
        s->armed = false;
        return;
    }
    if (!s->armed) {   /* the first of the two writes */
        s->armed = true;
        return;
    }
    s->armed = false;
    if (s->index >= NUM_REGS) {
        emu_log(&s->dev, EMU_LOG_GUEST, "write of 0x%02x to configuration register %u, which "
                "does not exist", v, s->index);
        return;
    }
    if (s->reg[s->index] != v)
        emu_log(&s->dev, EMU_LOG_UNIMP, "%s 0x%02x -> 0x%02x: the functions stay where the "
                "machine file put them", reg_names[s->index], s->reg[s->index], v);
    s->reg[s->index] = v;
}

static const emu_mmio_ops sio_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = sio_read, .write = sio_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 1,
};

static int sio_realize(emu_device *dev, emu_error **err)
{
    if (!emu_device_mmio(dev, "config", 2, &sio_ops, dev)) {
        emu_error_set(err, "cannot create the configuration ports");
        return -1;
    }
    return 0;
}

static void sio_reset(emu_device *dev)
{
    pc87312 *s = (pc87312 *)dev;
    for (unsigned i = 0; i < NUM_REGS; i++)
        s->reg[i] = (uint8_t)s->reset_value[i];
    s->index = 0;
    s->id_reads = 0;
    s->armed = false;
}

static int sio_save(emu_device *dev, emu_state_writer *w)
{
    pc87312 *s = (pc87312 *)dev;
    emu_state_put_bytes(w, "registers", s->reg, sizeof s->reg);
    emu_state_put_u64(w, "index", s->index);
    emu_state_put_u64(w, "id-reads", s->id_reads);
    emu_state_put_u64(w, "armed", s->armed);
    return 0;
}

static int sio_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    pc87312 *s = (pc87312 *)dev;
    uint8_t reg[NUM_REGS];
    uint64_t index, id_reads, armed;
    if (state_get_bytes(r, dev, "registers", reg, sizeof reg, err) < 0 ||
        state_get(r, dev, "index", 0xff, &index, err) < 0 ||
        state_get(r, dev, "id-reads", 2, &id_reads, err) < 0 ||
        state_get(r, dev, "armed", 1, &armed, err) < 0)
        return -1;
    for (unsigned i = 0; i < NUM_REGS; i++)
        s->reg[i] = reg[i];
    s->index = (uint8_t)index;
    s->id_reads = (uint8_t)id_reads;
    s->armed = armed != 0;
    return 0;
}

static const emu_type sio_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "pc87312",
    .summary = "PC87312 Super I/O configuration registers (FER, FAR, PTR)",
    .instance_size = sizeof(pc87312),
    .props = sio_props,
    .regions = sio_regions,
    .realize = sio_realize,
    .reset = sio_reset,
    .save = sio_save,
    .load = sio_load,
};

static const emu_type *const sio_types[] = { &sio_type, NULL };

EMU_PLUGIN(pc87312) = {
    EMU_PLUGIN_HEADER, "pc87312", "1.0", "PC87312 Super I/O configuration", sio_types,
};
