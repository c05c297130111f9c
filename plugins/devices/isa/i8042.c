/* Intel 8042 keyboard controller with a PS/2 keyboard and a PS/2 mouse behind it: status and
 * command port, data port, the command byte, self tests, output port (reset, A20), and the
 * devices' command replies (reset, identify, LEDs, rates...).  No host input reaches the
 * devices yet: they answer commands but never send key or motion data. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "emu/emu.h"
#include "../state-fields.h"

#define STAT_OBF     0x01
#define STAT_IBF     0x02
#define STAT_SYS     0x04
#define STAT_CMD     0x08   /* last write was to the command port */
#define STAT_UNLOCK  0x10   /* keyboard not inhibited by the keylock */
#define STAT_AUX_OBF 0x20
#define MODE_KBD_INT 0x01
#define MODE_AUX_INT 0x02
#define MODE_SYS     0x04
#define MODE_KBD_OFF 0x10
#define MODE_AUX_OFF 0x20
#define OUT_RESET    0x01   /* 0 holds the CPU in reset */
#define OUT_A20      0x02
#define OUT_OBF      0x10
#define OUT_AUX_OBF  0x20
#define OUT_ONES     0xcc
#define ACK          0xfa
#define RESEND       0xfe
#define QUEUE_LEN    16

typedef struct ps2 {
    uint8_t q[QUEUE_LEN];
    unsigned head, count;
    uint8_t pending_cmd;    /* a command waiting for its argument byte, or 0 */
    bool enabled;
    uint8_t scancode_set;   /* keyboard */
    uint8_t rate, resolution, scaling2;   /* mouse */
} ps2;

typedef enum { SRC_NONE, SRC_CTRL_KBD, SRC_CTRL_AUX, SRC_KBD, SRC_AUX } ob_source;

typedef struct i8042 {
    emu_device dev;
    uint8_t status, mode, outport;
    uint8_t write_cmd;      /* controller command whose data byte goes to port 0x60 next */
    bool ctrl_pending;      /* a controller reply waits */
    uint8_t ctrl_byte;
    bool ctrl_aux;
    uint8_t ob;             /* the output buffer */
    ps2 kbd, aux;
    emu_line *kbd_irq, *aux_irq, *reset, *a20;
} i8042;

static const emu_region_desc i8042_regions[] = {
    { "data", "data port, 1 byte (PC: at 0x60)" },
    { "command", "status (read) and command (write) port, 1 byte (PC: at 0x64)" },
    { NULL, NULL },
};

static const emu_line_desc i8042_outputs[] = {
    { "kbd-irq", 1, "keyboard output buffer full (PC: IRQ 1)" },
    { "mouse-irq", 1, "mouse output buffer full (PC: IRQ 12)" },
    { "reset", 1, "system reset, pulsed by command 0xFE or output port bit 0 low" },
    { "a20", 1, "output port bit 1 (x86 A20 gate)" },
    { NULL, 0, NULL },
};

/* ---- queues and the output buffer ---- */

static void ps2_put(ps2 *p, uint8_t b)
{
    if (p->count < QUEUE_LEN)
        p->q[(p->head + p->count++) % QUEUE_LEN] = b;
}

static uint8_t ps2_take(ps2 *p)
{
    uint8_t b = p->q[p->head];
    p->head = (p->head + 1) % QUEUE_LEN;
    p->count--;
    return b;
}

static void ps2_clear(ps2 *p)
{
    p->head = p->count = 0;
}

static void update_irqs(i8042 *s)
{
    bool full = s->status & STAT_OBF, aux = s->status & STAT_AUX_OBF;
    emu_line_set(s->kbd_irq, full && !aux && (s->mode & MODE_KBD_INT));
    emu_line_set(s->aux_irq, full && aux && (s->mode & MODE_AUX_INT));
}

/* Move the next waiting byte into the empty output buffer: controller replies first. */
static void refill(i8042 *s)
{
    if (s->status & STAT_OBF)
        return;
    bool aux;
    if (s->ctrl_pending) {
        s->ob = s->ctrl_byte;
        aux = s->ctrl_aux;
        s->ctrl_pending = false;
    } else if (s->kbd.count && !(s->mode & MODE_KBD_OFF)) {
        s->ob = ps2_take(&s->kbd);
        aux = false;
    } else if (s->aux.count && !(s->mode & MODE_AUX_OFF)) {
        s->ob = ps2_take(&s->aux);
        aux = true;
    } else {
        update_irqs(s);
        return;
    }
    s->status |= STAT_OBF;
    s->outport |= OUT_OBF;
    if (aux) {
        s->status |= STAT_AUX_OBF;
        s->outport |= OUT_AUX_OBF;
    }
    update_irqs(s);
}

static void ctrl_reply(i8042 *s, uint8_t b, bool aux)
{
    s->ctrl_byte = b;
    s->ctrl_aux = aux;
    s->ctrl_pending = true;
    refill(s);
}

/* ---- the devices ---- */

static void kbd_defaults(ps2 *k)
{
    k->scancode_set = 2;
    k->pending_cmd = 0;
}

static void kbd_command(i8042 *s, uint8_t b)
{
    ps2 *k = &s->kbd;
    if (k->pending_cmd) {
        uint8_t cmd = k->pending_cmd;
        k->pending_cmd = 0;
        if (cmd == 0xf0 && b == 0) {
            ps2_put(k, ACK);
            ps2_put(k, k->scancode_set);
            return;
        }
        if (cmd == 0xf0 && b <= 3)
            k->scancode_set = b;
        ps2_put(k, ACK);   /* LED state (0xED), typematic rate (0xF3) need nothing more */
        return;
    }
    switch (b) {
    case 0xff:   /* reset and self test */
        ps2_clear(k);
        kbd_defaults(k);
        k->enabled = true;
        ps2_put(k, ACK);
        ps2_put(k, 0xaa);
        break;
    case 0xf2:   /* identify: an MF2 keyboard, translated id when the controller translates */
        ps2_put(k, ACK);
        ps2_put(k, 0xab);
        ps2_put(k, s->mode & 0x40 ? 0x41 : 0x83);
        break;
    case 0xee:
        ps2_put(k, 0xee);
        break;
    case 0xed: case 0xf0: case 0xf3:
        k->pending_cmd = b;
        ps2_put(k, ACK);
        break;
    case 0xf4:
        k->enabled = true;
        ps2_put(k, ACK);
        break;
    case 0xf5:
        kbd_defaults(k);
        k->enabled = false;
        ps2_put(k, ACK);
        break;
    case 0xf6:
        kbd_defaults(k);
        ps2_put(k, ACK);
        break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
        ps2_put(k, ACK);   /* scancode set 3 key attributes: accepted, no effect */
        break;
    default:
        emu_log(&s->dev, EMU_LOG_GUEST, "keyboard command 0x%02x unknown; answering resend", b);
        ps2_put(k, RESEND);
        break;
    }
}

static void aux_defaults(ps2 *m)
{
    m->rate = 100;
    m->resolution = 2;
    m->scaling2 = 0;
    m->pending_cmd = 0;
}

static void aux_command(i8042 *s, uint8_t b)
{
    ps2 *m = &s->aux;
    if (m->pending_cmd) {
        uint8_t cmd = m->pending_cmd;
        m->pending_cmd = 0;
        if (cmd == 0xf3)
            m->rate = b;
        else if (cmd == 0xe8)
            m->resolution = b & 3;
        ps2_put(m, ACK);
        return;
    }
    switch (b) {
    case 0xff:
        ps2_clear(m);
        aux_defaults(m);
        m->enabled = false;
        ps2_put(m, ACK);
        ps2_put(m, 0xaa);
        ps2_put(m, 0x00);
        break;
    case 0xf2:   /* identify: a standard PS/2 mouse */
        ps2_put(m, ACK);
        ps2_put(m, 0x00);
        break;
    case 0xf3: case 0xe8:
        m->pending_cmd = b;
        ps2_put(m, ACK);
        break;
    case 0xe6: case 0xe7:
        m->scaling2 = b == 0xe7;
        ps2_put(m, ACK);
        break;
    case 0xe9:   /* status request: mode/enable/scaling, resolution, rate */
        ps2_put(m, ACK);
        ps2_put(m, (uint8_t)((m->enabled ? 0x20 : 0) | (m->scaling2 ? 0x10 : 0)));
        ps2_put(m, m->resolution);
        ps2_put(m, m->rate);
        break;
    case 0xeb:   /* read data: no motion, no buttons */
        ps2_put(m, ACK);
        ps2_put(m, 0x08);
        ps2_put(m, 0x00);
        ps2_put(m, 0x00);
        break;
    case 0xea: case 0xf0: case 0xec:
        ps2_put(m, ACK);
        break;
    case 0xf4:
        m->enabled = true;
        ps2_put(m, ACK);
        break;
    case 0xf5:
        m->enabled = false;
        ps2_put(m, ACK);
        break;
    case 0xf6:
        aux_defaults(m);
        ps2_put(m, ACK);
        break;
    default:
        emu_log(&s->dev, EMU_LOG_GUEST, "mouse command 0x%02x unknown; answering resend", b);
        ps2_put(m, RESEND);
        break;
    }
}

/* ---- the controller ---- */

static void write_outport(i8042 *s, uint8_t v)
{
    s->outport = v;
    emu_line_set(s->a20, (v & OUT_A20) != 0);
    if (!(v & OUT_RESET))
        emu_line_pulse(s->reset);
}

static void controller_command(i8042 *s, uint8_t cmd)
{
    /* 0xF0-0xFF pulse output port bits 0-3 low where the command's bit is 0. */
    if ((cmd & 0xf0) == 0xf0) {
        if (!(cmd & 1))
            emu_line_pulse(s->reset);
        return;
    }
    switch (cmd) {
    case 0x20:
        ctrl_reply(s, s->mode, false);
        break;
    case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4:
        s->write_cmd = cmd;
        break;
    case 0xa7:
        s->mode |= MODE_AUX_OFF;
        break;
    case 0xa8:
        s->mode &= (uint8_t)~MODE_AUX_OFF;
        refill(s);
        break;
    case 0xa9:   /* mouse interface test: no error */
        ctrl_reply(s, 0x00, false);
        break;
    case 0xaa:   /* controller self test */
        s->status |= STAT_SYS;
        ctrl_reply(s, 0x55, false);
        break;
    case 0xab:   /* keyboard interface test */
        ctrl_reply(s, 0x00, false);
        break;
    case 0xad:
        s->mode |= MODE_KBD_OFF;
        break;
    case 0xae:
        s->mode &= (uint8_t)~MODE_KBD_OFF;
        refill(s);
        break;
    case 0xc0:   /* input port: keyboard not inhibited */
        ctrl_reply(s, 0x80, false);
        break;
    case 0xd0:
        ctrl_reply(s, s->outport, false);
        break;
    case 0xdd:
        write_outport(s, s->outport & (uint8_t)~OUT_A20);
        break;
    case 0xdf:
        write_outport(s, s->outport | OUT_A20);
        break;
    default:
        emu_log(&s->dev, EMU_LOG_GUEST, "controller command 0x%02x unknown; ignored", cmd);
        break;
    }
}

static void data_written(i8042 *s, uint8_t v)
{
    uint8_t cmd = s->write_cmd;
    s->write_cmd = 0;
    switch (cmd) {
    case 0:
        s->mode &= (uint8_t)~MODE_KBD_OFF;   /* talking to the keyboard enables its interface */
        kbd_command(s, v);
        break;
    case 0x60:
        s->mode = v;
        s->status = (uint8_t)((s->status & ~STAT_SYS) | (v & MODE_SYS));
        update_irqs(s);
        break;
    case 0xd1:
        write_outport(s, v);
        break;
    case 0xd2:
        ctrl_reply(s, v, false);
        break;
    case 0xd3:
        ctrl_reply(s, v, true);
        break;
    case 0xd4:
        s->mode &= (uint8_t)~MODE_AUX_OFF;
        aux_command(s, v);
        break;
    }
    refill(s);
}

static uint64_t data_read(void *opaque, uint64_t off, unsigned size)
{
    i8042 *s = opaque;
    (void)off, (void)size;
    uint8_t v = s->ob;
    if (s->status & STAT_OBF) {
        s->status &= (uint8_t)~(STAT_OBF | STAT_AUX_OBF);
        s->outport &= (uint8_t)~(OUT_OBF | OUT_AUX_OBF);
        refill(s);
    }
    return v;
}

static void data_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    i8042 *s = opaque;
    (void)off, (void)size;
    s->status &= (uint8_t)~STAT_CMD;
    data_written(s, (uint8_t)value);
}

static uint64_t status_read(void *opaque, uint64_t off, unsigned size)
{
    (void)off, (void)size;
    return ((i8042 *)opaque)->status;
}

static void command_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    i8042 *s = opaque;
    (void)off, (void)size;
    s->status |= STAT_CMD;
    controller_command(s, (uint8_t)value);
}

static const emu_mmio_ops data_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = data_read, .write = data_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 1,
};

static const emu_mmio_ops command_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = status_read, .write = command_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 1,
};

static int i8042_realize(emu_device *dev, emu_error **err)
{
    i8042 *s = (i8042 *)dev;
    s->kbd_irq = emu_device_output(dev, "kbd-irq", 0);
    s->aux_irq = emu_device_output(dev, "mouse-irq", 0);
    s->reset = emu_device_output(dev, "reset", 0);
    s->a20 = emu_device_output(dev, "a20", 0);
    if (!emu_device_mmio(dev, "data", 1, &data_ops, s) ||
        !emu_device_mmio(dev, "command", 1, &command_ops, s)) {
        emu_error_set(err, "cannot create the controller's ports");
        return -1;
    }
    return 0;
}

static void i8042_reset(emu_device *dev)
{
    i8042 *s = (i8042 *)dev;
    s->mode = MODE_KBD_INT | MODE_AUX_INT;
    s->status = STAT_CMD | STAT_UNLOCK;
    s->outport = OUT_RESET | OUT_A20 | OUT_ONES;
    s->write_cmd = 0;
    s->ctrl_pending = false;
    s->ob = 0;
    memset(&s->kbd, 0, sizeof s->kbd);
    memset(&s->aux, 0, sizeof s->aux);
    kbd_defaults(&s->kbd);
    s->kbd.enabled = true;
    aux_defaults(&s->aux);
    update_irqs(s);
    emu_line_set(s->a20, 1);
}

/* ---- snapshots ---- */

#define STAT_KEPT (STAT_OBF | STAT_SYS | STAT_CMD | STAT_UNLOCK | STAT_AUX_OBF)

static void ps2_save(emu_state_writer *w, const char *who, const ps2 *p)
{
    char name[32];
    uint64_t v[7] = { p->head, p->count, p->pending_cmd, p->enabled, p->scancode_set, p->rate,
                      p->resolution | (unsigned)p->scaling2 << 2 };
    static const char *const fields[7] = { "head", "count", "pending", "enabled", "scancode-set",
                                           "rate", "resolution-scaling" };
    snprintf(name, sizeof name, "%s.queue", who);
    emu_state_put_bytes(w, name, p->q, sizeof p->q);
    for (int i = 0; i < 7; i++) {
        snprintf(name, sizeof name, "%s.%s", who, fields[i]);
        emu_state_put_u64(w, name, v[i]);
    }
}

/* Read a PS/2 device; `pending` lists the commands that can wait for an argument. */
static int ps2_load(emu_state_reader *r, const emu_device *dev, const char *who, ps2 *out,
                    const char *pending, emu_error **err)
{
    char name[32];
    uint64_t v[7];
    static const char *const fields[7] = { "head", "count", "pending", "enabled", "scancode-set",
                                           "rate", "resolution-scaling" };
    static const uint64_t max[7] = { QUEUE_LEN - 1, QUEUE_LEN, 0xff, 1, 3, 0xff, 7 };
    snprintf(name, sizeof name, "%s.queue", who);
    if (state_get_bytes(r, dev, name, out->q, sizeof out->q, err) < 0)
        return -1;
    for (int i = 0; i < 7; i++) {
        snprintf(name, sizeof name, "%s.%s", who, fields[i]);
        if (state_get(r, dev, name, max[i], &v[i], err) < 0)
            return -1;
    }
    if (v[2] && !strchr(pending, (int)v[2])) {
        emu_error_set(err, "i8042 state: %s waits for the argument of 0x%02x, which takes none", who,
                      (unsigned)v[2]);
        return -1;
    }
    out->head = (unsigned)v[0];
    out->count = (unsigned)v[1];
    out->pending_cmd = (uint8_t)v[2];
    out->enabled = v[3] != 0;
    out->scancode_set = (uint8_t)v[4];
    out->rate = (uint8_t)v[5];
    out->resolution = (uint8_t)(v[6] & 3);
    out->scaling2 = (uint8_t)(v[6] >> 2);
    return 0;
}

static int i8042_save(emu_device *dev, emu_state_writer *w)
{
    i8042 *s = (i8042 *)dev;
    emu_state_put_u64(w, "status", s->status);
    emu_state_put_u64(w, "mode", s->mode);
    emu_state_put_u64(w, "outport", s->outport);
    emu_state_put_u64(w, "write-command", s->write_cmd);
    emu_state_put_u64(w, "reply-pending", s->ctrl_pending);
    emu_state_put_u64(w, "reply", s->ctrl_byte);
    emu_state_put_u64(w, "reply-aux", s->ctrl_aux);
    emu_state_put_u64(w, "output-buffer", s->ob);
    ps2_save(w, "kbd", &s->kbd);
    ps2_save(w, "aux", &s->aux);
    return 0;
}

static int i8042_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    i8042 *s = (i8042 *)dev;
    uint64_t status, mode, outport, wcmd, pending, reply, reply_aux, ob;
    ps2 kbd = { 0 }, aux = { 0 };
    if (state_get(r, dev, "status", STAT_KEPT, &status, err) < 0 ||
        state_get(r, dev, "mode", 0xff, &mode, err) < 0 ||
        state_get(r, dev, "outport", 0xff, &outport, err) < 0 ||
        state_get(r, dev, "write-command", 0xff, &wcmd, err) < 0 ||
        state_get(r, dev, "reply-pending", 1, &pending, err) < 0 ||
        state_get(r, dev, "reply", 0xff, &reply, err) < 0 ||
        state_get(r, dev, "reply-aux", 1, &reply_aux, err) < 0 ||
        state_get(r, dev, "output-buffer", 0xff, &ob, err) < 0 ||
        ps2_load(r, dev, "kbd", &kbd, "\xed\xf0\xf3", err) < 0 ||
        ps2_load(r, dev, "aux", &aux, "\xe8\xf3", err) < 0)
        return -1;
    const char *problem = NULL;
    if ((status & ~(uint64_t)STAT_KEPT) != 0)
        problem = "status has bits the controller never sets";
    else if ((status & STAT_AUX_OBF) && !(status & STAT_OBF))
        problem = "status says the mouse filled an empty output buffer";
    else if (pending && !(status & STAT_OBF))
        problem = "a controller reply waits while the output buffer is empty";
    else if (!(outport & OUT_OBF) != !(status & STAT_OBF) ||
             !(outport & OUT_AUX_OBF) != !(status & STAT_AUX_OBF))
        problem = "the output port's buffer-full bits disagree with the status";
    else if (wcmd && wcmd != 0x60 && (wcmd < 0xd1 || wcmd > 0xd4))
        problem = "write-command is not a command that takes a data byte";
    else if (kbd.scancode_set < 1)
        problem = "the keyboard's scancode set is 0";
    if (problem) {
        emu_error_set(err, "i8042 state: %s", problem);
        return -1;
    }
    s->status = (uint8_t)status;
    s->mode = (uint8_t)mode;
    s->outport = (uint8_t)outport;
    s->write_cmd = (uint8_t)wcmd;
    s->ctrl_pending = pending != 0;
    s->ctrl_byte = (uint8_t)reply;
    s->ctrl_aux = reply_aux != 0;
    s->ob = (uint8_t)ob;
    s->kbd = kbd;
    s->aux = aux;
    update_irqs(s);
    emu_line_set(s->a20, (s->outport & OUT_A20) != 0);
    return 0;
}

static const emu_type i8042_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "i8042",
    .summary = "8042 keyboard controller with PS/2 keyboard and mouse (no host input yet)",
    .instance_size = sizeof(i8042),
    .regions = i8042_regions,
    .outputs = i8042_outputs,
    .realize = i8042_realize,
    .reset = i8042_reset,
    .save = i8042_save,
    .load = i8042_load,
};

static const emu_type *const i8042_types[] = { &i8042_type, NULL };

EMU_PLUGIN(i8042) = {
    EMU_PLUGIN_HEADER, "i8042", "1.0", "8042 keyboard controller", i8042_types,
};
