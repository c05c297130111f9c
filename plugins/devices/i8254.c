/* i8254: the 8254 programmable interval timer — three 16-bit down counters, modes 0-5, on virtual time.
 *
 * Region "io" (4 bytes): counters 0, 1, 2 at offsets 0-2, the control word at 3
 * (select counter / read-write mode / mode / BCD, the counter latch command
 * and the read-back command).  Counters are never ticked one by one: a
 * counter's value and OUT are computed from the virtual time elapsed since
 * the count was loaded, and a timer is armed for the next OUT edge only.
 *
 * Region "port61" (1 byte, optional to map): the PC's port 0x61 view of
 * counter 2 (bit 0 drives its GATE like the gate input line: the last change
 * of either wins; bit 5 reads its OUT; bit 4 toggles every 15.085 us of
 * virtual time like the DRAM refresh request; bits 1-3 read back as written).
 *
 * Modes (8254 data sheet): 0 interrupt on terminal count, 1 retriggerable
 * one-shot (GATE rising edge), 2 rate generator (OUT low for one clock per
 * period), 3 square wave, 4 software strobe, 5 hardware strobe.  GATE low
 * suspends counting in modes 0, 2, 3 and 4 (and holds OUT high in 2 and 3,
 * whose rising GATE restarts the count); GATE rising triggers modes 1, 5.
 * A count written after the control word takes effect at once in every
 * mode (the real part waits for the next clock; modes 1 and 5 then wait for
 * a trigger).  A count written again while the counter runs follows the
 * data sheet: modes 0 and 4 load it at once; modes 2 and 3 finish the
 * current period (mode 3: the current half-cycle) and go on with the new
 * count; modes 1 and 5 leave the running one-shot alone and take the new
 * count at the next GATE trigger.  Until then the status byte shows null
 * count.  BCD digits above 9 count as their binary value modulo 10000.
 */
#include <emu/emu.h>
#include <inttypes.h>
#include <stdio.h>

#define NS_PER_S 1000000000ull

/* Read/write access state, as programmed by RW in the control word. */
enum { RW_LATCH = 0, RW_LSB = 1, RW_MSB = 2, RW_WORD0 = 3, RW_WORD1 = 4 };

struct i8254;

typedef struct channel {
    struct i8254 *pit;
    unsigned index;
    emu_line *out;
    emu_timer *timer;

    /* programming */
    uint8_t mode_bits;            /* M2..M0 as written (6 and 7 act as 2 and 3) */
    uint8_t rw_mode;              /* RW_LSB, RW_MSB or RW_WORD0 */
    bool bcd;
    uint32_t count;               /* N in input clocks: 1..0x10000 (binary), 1..10000 (BCD) */
    bool null_count;              /* control word or count written, count not loaded yet */
    uint32_t cr;                  /* count register: a count written while counting ... */
    bool cr_pending;              /* ... not yet taken by the counter (modes 1, 2, 3, 5) */
    uint64_t switch_tick;         /* modes 2, 3: input clock at which cr is taken */
    uint64_t switch_load;         /* ... and the load_tick the new count then runs from */

    /* counting */
    bool armed;                   /* a count is loaded (else the value is `held`) */
    bool triggered;               /* modes 1, 5: a GATE rising edge started the count */
    bool gate;
    bool frozen;                  /* GATE low in modes 0, 2, 3, 4: counting suspended at frozen_d */
    uint64_t frozen_d;
    uint64_t load_tick;           /* absolute input clock at which elapsed = 0 */
    uint32_t held;                /* value shown while not counting */
    bool idle_out;                /* OUT while not armed */
    bool out_level;               /* what `out` is driven to */
    uint64_t next_edge;           /* elapsed clocks at the edge the timer waits for */

    /* the I/O port */
    uint8_t read_state, write_state, write_lsb;
    uint8_t count_latched;        /* 0, or the RW state of the pending latched read */
    uint16_t latched;
    bool status_latched;
    uint8_t status;
} channel;

typedef struct i8254 {
    emu_device dev;
    int64_t clock_hz;
    int64_t gates;
    channel ch[3];
    uint8_t port61;               /* bits 0-3 of the PC's port 0x61 as last written */
} i8254;

/* ---- time ---- */

static uint64_t now_tick(const i8254 *p)
{
    return (uint64_t)((unsigned __int128)emu_clock_ns(p->dev.machine) * (uint64_t)p->clock_hz / NS_PER_S);
}

/* The first virtual nanosecond at which input clock `tick` has happened. */
static uint64_t tick_ns(const i8254 *p, uint64_t tick)
{
    unsigned __int128 ns = ((unsigned __int128)tick * NS_PER_S + (uint64_t)p->clock_hz - 1) /
                           (uint64_t)p->clock_hz;
    return ns > UINT64_MAX ? UINT64_MAX : (uint64_t)ns;
}

static unsigned mode(const channel *c)
{
    return c->mode_bits >= 6 ? c->mode_bits - 4u : c->mode_bits;
}

static uint32_t modulus(const channel *c)
{
    return c->bcd ? 10000 : 0x10000;
}

/* The period of the periodic modes; a count of 1 is illegal there and acts as 2. */
static uint64_t period(const channel *c)
{
    return c->count < 2 ? 2 : c->count;
}

/* Clocks counted since the load, or false when the counter does not count. */
static bool elapsed(const channel *c, uint64_t tick, uint64_t *d)
{
    if (!c->armed)
        return false;
    unsigned m = mode(c);
    if ((m == 1 || m == 5) && !c->triggered)
        return false;
    *d = c->frozen ? c->frozen_d : tick - c->load_tick;
    return true;
}

/* Modes 2 and 3: the count written while counting is taken at the end of
   the period (half-cycle) it was written in, once `tick` has reached it. */
static void settle(channel *c, uint64_t tick)
{
    if (!c->cr_pending || c->frozen || !c->armed || (mode(c) != 2 && mode(c) != 3) ||
        tick < c->switch_tick)
        return;
    c->count = c->cr;
    c->load_tick = c->switch_load;
    c->cr_pending = false;
    c->null_count = false;
}

/* A trigger (GATE rising) loads the count register into the counter. */
static void take_cr(channel *c)
{
    if (!c->cr_pending)
        return;
    c->count = c->cr;
    c->cr_pending = false;
    c->null_count = false;
}

/* OUT after `d` clocks of counting. */
static bool out_at(const channel *c, uint64_t d)
{
    uint64_t n = c->count;
    switch (mode(c)) {
    case 0:
    case 1:
        return d >= n;
    case 2:
        return d % period(c) != period(c) - 1;
    case 3:
        return d % period(c) < (period(c) + 1) / 2;
    default: /* 4, 5 */
        return d != n;
    }
}

static bool current_out(const channel *c, uint64_t tick)
{
    uint64_t d;
    if (!elapsed(c, tick, &d))
        return c->armed ? true : c->idle_out;   /* modes 1/5 before the trigger: high */
    if (c->frozen && (mode(c) == 2 || mode(c) == 3))
        return true;                            /* GATE low holds OUT high */
    return out_at(c, d);
}

/* The counter's value (binary, before any BCD encoding). */
static uint32_t current_value(const channel *c, uint64_t tick)
{
    uint64_t d;
    if (!elapsed(c, tick, &d))
        return c->held;
    uint64_t mod = modulus(c), n = c->count;
    switch (mode(c)) {
    case 2:
        return (uint32_t)((n - d % n) % mod);
    case 3: {
        /* Down by two each clock through each half; an odd count loads N - 1 and its
           high half (one clock longer) ends at 0, its low half at 2 (8254 data sheet). */
        uint64_t p = period(c), high = (p + 1) / 2, phase = d % p;
        uint64_t in_half = phase < high ? phase : phase - high;
        return (uint32_t)(((p & ~1ull) - 2 * in_half) % mod);
    }
    default:
        return (uint32_t)((n + mod - d % mod) % mod);
    }
}

/* Elapsed clocks of the next OUT edge after `d`, or false when OUT will not change. */
static bool next_edge_after(const channel *c, uint64_t d, uint64_t *edge)
{
    uint64_t n = c->count, p = period(c), base = d - d % p;
    switch (mode(c)) {
    case 0:
    case 1:
        *edge = n;
        return d < n;
    case 2:
        *edge = d % p < p - 1 ? base + p - 1 : base + p;
        return true;
    case 3:
        *edge = d % p < (p + 1) / 2 ? base + (p + 1) / 2 : base + p;
        return true;
    default: /* 4, 5: low for the one clock at n */
        *edge = d < n ? n : n + 1;
        return d <= n;
    }
}

/* Drive OUT for the present and arm the timer for its next edge. */
static void update_output(channel *c)
{
    i8254 *p = c->pit;
    uint64_t tick = now_tick(p), d, edge;
    settle(c, tick);
    c->out_level = current_out(c, tick);
    emu_line_set(c->out, c->out_level);
    bool counting = elapsed(c, tick, &d) && !c->frozen;
    if (counting && next_edge_after(c, d, &edge)) {
        c->next_edge = edge;
        emu_timer_arm(c->timer, tick_ns(p, c->load_tick + edge));
    } else {
        emu_timer_cancel(c->timer);
    }
}

/* The edge the timer was armed for has come: show it even when the timer
   runs late and the output has already moved on (a pulse is never lost). */
static void edge_due(void *opaque)
{
    channel *c = opaque;
    c->out_level = out_at(c, c->next_edge);
    emu_line_set(c->out, c->out_level);
    update_output(c);
}

/* ---- programming ---- */

static uint32_t from_bcd(uint32_t v)
{
    return ((v >> 12) & 0xf) * 1000 + ((v >> 8) & 0xf) * 100 + ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

static uint16_t to_bcd(uint32_t v)
{
    return (uint16_t)((v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10);
}

static uint16_t encoded_value(const channel *c, uint64_t tick)
{
    uint32_t v = current_value(c, tick);
    return c->bcd ? to_bcd(v) : (uint16_t)v;
}

/* A count written while the counter runs in mode 2 or 3: taken at the end of the
   current period (mode 2) or half-cycle (mode 3); with GATE low, at its rising edge. */
static void defer_periodic(channel *c, uint32_t n, uint64_t tick)
{
    c->cr = n;
    c->cr_pending = true;
    c->null_count = true;
    if (c->frozen) {
        c->switch_tick = UINT64_MAX;
        return;
    }
    uint64_t d = tick - c->load_tick, p = period(c), base = d - d % p;
    uint64_t high = (p + 1) / 2;
    if (mode(c) == 3 && d % p < high) {
        /* End of the high half: the new count goes on with its low half. */
        uint64_t np = n < 2 ? 2 : n;
        c->switch_tick = c->load_tick + base + high;
        c->switch_load = c->switch_tick - (np + 1) / 2;
    } else {
        c->switch_tick = c->load_tick + base + p;
        c->switch_load = c->switch_tick;
    }
}

static void load_count(channel *c, uint32_t written)
{
    uint32_t n = c->bcd ? from_bcd(written) % 10000 : written;
    if (n == 0)
        n = modulus(c);
    unsigned m = mode(c);
    uint64_t tick = now_tick(c->pit);
    settle(c, tick);
    if (c->armed && (m == 1 || m == 5)) {
        /* The running one-shot goes on; the next trigger takes the new count. */
        c->cr = n;
        c->cr_pending = true;
        c->null_count = true;
        update_output(c);
        return;
    }
    if (c->armed && (m == 2 || m == 3)) {
        defer_periodic(c, n, tick);
        update_output(c);
        return;
    }
    c->count = c->cr = n;
    c->cr_pending = m == 1 || m == 5;   /* taken by the first trigger */
    c->null_count = c->cr_pending;
    c->armed = true;
    c->triggered = false;
    c->load_tick = tick;
    c->held = n % modulus(c);
    /* With GATE low, modes 0, 2, 3 and 4 wait at the full count. */
    c->frozen = !c->gate && m != 1 && m != 5;
    c->frozen_d = 0;
    update_output(c);
}

/* Stop the counter where it is; OUT becomes `out` until a count is loaded. */
static void stop_counting(channel *c, bool out)
{
    uint64_t tick = now_tick(c->pit);
    settle(c, tick);
    c->held = current_value(c, tick);
    c->armed = false;
    c->cr_pending = false;
    c->frozen = false;
    c->idle_out = out;
}

static void latch_count(channel *c)
{
    if (c->count_latched)
        return;   /* a second latch before the first is read is ignored */
    uint64_t tick = now_tick(c->pit);
    settle(c, tick);
    c->latched = encoded_value(c, tick);
    c->count_latched = c->rw_mode;
}

static void latch_status(channel *c)
{
    if (c->status_latched)
        return;
    uint64_t tick = now_tick(c->pit);
    settle(c, tick);
    c->status = (uint8_t)(current_out(c, tick) << 7 | c->null_count << 6 |
                          c->rw_mode << 4 | c->mode_bits << 1 | c->bcd);
    c->status_latched = true;
}

static void write_control(i8254 *p, uint8_t val)
{
    unsigned sc = val >> 6;
    if (sc == 3) {                                   /* read-back */
        for (unsigned i = 0; i < 3; i++) {
            if (!(val & (2u << i)))
                continue;
            if (!(val & 0x20))
                latch_count(&p->ch[i]);
            if (!(val & 0x10))
                latch_status(&p->ch[i]);
        }
        return;
    }
    channel *c = &p->ch[sc];
    unsigned rw = (val >> 4) & 3;
    if (rw == RW_LATCH) {
        latch_count(c);
        return;
    }
    /* A control word stops the counter until a count is written; OUT starts low in mode 0. */
    unsigned new_mode = (val >> 1) & 7;
    stop_counting(c, new_mode != 0);
    c->rw_mode = (uint8_t)rw;
    c->read_state = c->write_state = (uint8_t)rw;
    c->mode_bits = (uint8_t)new_mode;
    c->bcd = val & 1;
    c->null_count = true;
    c->count_latched = 0;
    c->status_latched = false;
    update_output(c);
}

static void write_counter(channel *c, uint8_t val)
{
    switch (c->write_state) {
    case RW_LSB:
        load_count(c, val);
        break;
    case RW_MSB:
        load_count(c, (uint32_t)val << 8);
        break;
    case RW_WORD0:
        c->write_lsb = val;
        c->write_state = RW_WORD1;
        if (mode(c) == 0) {
            stop_counting(c, false);   /* mode 0: the first byte stops the count, OUT low */
            update_output(c);
        }
        break;
    default:
        load_count(c, c->write_lsb | (uint32_t)val << 8);
        c->write_state = RW_WORD0;
        break;
    }
}

static uint8_t read_counter(channel *c)
{
    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->count_latched) {
        switch (c->count_latched) {
        case RW_LSB:
            c->count_latched = 0;
            return (uint8_t)c->latched;
        case RW_MSB:
            c->count_latched = 0;
            return (uint8_t)(c->latched >> 8);
        case RW_WORD0:
            c->count_latched = RW_MSB;
            return (uint8_t)c->latched;
        }
    }
    uint64_t tick = now_tick(c->pit);
    settle(c, tick);
    uint16_t v = encoded_value(c, tick);
    switch (c->read_state) {
    case RW_LSB:
        return (uint8_t)v;
    case RW_MSB:
        return (uint8_t)(v >> 8);
    case RW_WORD0:
        c->read_state = RW_WORD1;
        return (uint8_t)v;
    default:
        c->read_state = RW_WORD0;
        return (uint8_t)(v >> 8);
    }
}

static uint64_t pit_read(void *opaque, uint64_t offset, unsigned size)
{
    i8254 *p = opaque;
    if (offset == 3) {
        emu_log(&p->dev, EMU_LOG_GUEST, "read of the write-only control word register");
        return 0xff;
    }
    return read_counter(&p->ch[offset]);
}

static void pit_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8254 *p = opaque;
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&p->dev, EMU_LOG_TRACE, "write %" PRIu64 " <- 0x%02x", offset, (unsigned)(uint8_t)value);
    if (offset == 3)
        write_control(p, (uint8_t)value);
    else
        write_counter(&p->ch[offset], (uint8_t)value);
}

static const emu_mmio_ops pit_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = pit_read,
    .write = pit_write,
    .endian = EMU_LITTLE_ENDIAN,
    .impl_min = 1, .impl_max = 1,
    .unaligned_ok = true,
};

/* ---- GATE inputs ---- */

static void set_gate(i8254 *p, unsigned index, int level)
{
    channel *c = &p->ch[index];
    bool rising = level && !c->gate, falling = !level && c->gate;
    c->gate = level;
    if (!c->armed || (!rising && !falling))
        return;
    uint64_t tick = now_tick(p), d;
    settle(c, tick);
    switch (mode(c)) {
    case 0:
    case 4:                                  /* GATE suspends and resumes the count */
        if (falling && elapsed(c, tick, &d)) {
            c->frozen_d = d;
            c->frozen = true;
        } else if (rising && c->frozen) {
            c->load_tick = tick - c->frozen_d;
            c->frozen = false;
        }
        break;
    case 2:
    case 3:                                  /* low: hold; rising: start a new period */
        if (falling && elapsed(c, tick, &d)) {
            c->frozen_d = d;
            c->frozen = true;
            c->switch_tick = UINT64_MAX;     /* a count waiting for the period's end waits for GATE */
        } else if (rising) {
            c->load_tick = tick;
            c->frozen = false;
            take_cr(c);
        }
        break;
    default:                                 /* 1, 5: a rising edge (re)triggers */
        if (rising) {
            c->load_tick = tick;
            c->triggered = true;
            take_cr(c);
        }
        break;
    }
    update_output(c);
}

static void pit_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    if (index < 3)
        set_gate((i8254 *)dev, index, level);
}

/* ---- the PC's port 0x61 (NMI status and control): counter 2's GATE and OUT ---- */

/* The DRAM refresh request seen in bit 4 toggles every 15.085 us (PC/AT timing). */
#define REFRESH_NS 15085u

static uint64_t port61_read(void *opaque, uint64_t offset, unsigned size)
{
    i8254 *p = opaque;
    channel *c = &p->ch[2];
    uint64_t tick = now_tick(p);
    settle(c, tick);
    unsigned refresh = (unsigned)(emu_clock_ns(p->dev.machine) / REFRESH_NS) & 1;
    return (p->port61 & 0x0f) | refresh << 4 | (unsigned)current_out(c, tick) << 5;
}

static void port61_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    i8254 *p = opaque;
    p->port61 = (uint8_t)(value & 0x0f);
    set_gate(p, 2, (int)(value & 1));
}

static const emu_mmio_ops port61_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = port61_read,
    .write = port61_write,
    .endian = EMU_LITTLE_ENDIAN,
    .impl_min = 1, .impl_max = 1,
};

/* ---- lifecycle ---- */

static void pit_reset(emu_device *dev)
{
    i8254 *p = (i8254 *)dev;
    p->port61 = (uint8_t)((p->gates >> 2) & 1);
    for (unsigned i = 0; i < 3; i++) {
        channel *c = &p->ch[i];
        c->gate = (p->gates >> i) & 1;
        /* Running in mode 3 with the full count, as firmware expects to find it. */
        c->mode_bits = 3;
        c->rw_mode = c->read_state = c->write_state = RW_WORD0;
        c->bcd = false;
        c->count_latched = 0;
        c->status_latched = false;
        c->armed = c->cr_pending = false;
        load_count(c, 0);
    }
}

static int pit_realize(emu_device *dev, emu_error **err)
{
    i8254 *p = (i8254 *)dev;
    if (!emu_device_mmio(dev, "io", 4, &pit_ops, p) ||
        !emu_device_mmio(dev, "port61", 1, &port61_ops, p)) {
        emu_error_set(err, "cannot create the register region");
        return -1;
    }
    for (unsigned i = 0; i < 3; i++) {
        channel *c = &p->ch[i];
        c->pit = p;
        c->index = i;
        c->out = emu_device_output(dev, "out", i);
        c->timer = emu_timer_new(dev->machine, edge_due, c);
    }
    pit_reset(dev);
    return 0;
}

static void pit_destroy(emu_device *dev)
{
    i8254 *p = (i8254 *)dev;
    for (unsigned i = 0; i < 3; i++)
        emu_timer_free(p->ch[i].timer);
}

#define CHANNEL_FIELDS 24
/* Fields after these were added later: a snapshot without them has no count waiting. */
#define CHANNEL_FIELDS_REQUIRED 20

/* The load time is saved as clocks before the save (modulo 2^64, like the
   elapsed count computed from it), so a snapshot restored at another
   emulated time goes on counting from where it stood; so are the moment a
   waiting count is taken (clocks after the save) and the load time it
   then runs from. */
static void channel_fields(channel *c, uint64_t v[CHANNEL_FIELDS])
{
    uint64_t now = now_tick(c->pit);
    settle(c, now);
    bool waits = c->cr_pending && c->switch_tick != UINT64_MAX;
    uint64_t f[CHANNEL_FIELDS] = {
        c->mode_bits, c->rw_mode, c->bcd, c->count, c->null_count, c->armed, c->triggered,
        c->gate, c->frozen, c->frozen_d, now_tick(c->pit) - c->load_tick, c->held, c->idle_out, c->read_state,
        c->write_state, c->write_lsb, c->count_latched, c->latched, c->status_latched, c->status,
        c->cr, c->cr_pending, waits ? c->switch_tick - now : UINT64_MAX,
        waits ? now - c->switch_load : 0,
    };
    for (int i = 0; i < CHANNEL_FIELDS; i++)
        v[i] = f[i];
}

static const char *const field_names[CHANNEL_FIELDS] = {
    "mode", "rw_mode", "bcd", "count", "null_count", "armed", "triggered", "gate", "frozen",
    "frozen_d", "since_load", "held", "idle_out", "read_state", "write_state", "write_lsb",
    "count_latched", "latched", "status_latched", "status", "cr", "cr_pending", "switch_in",
    "switch_load_ago",
};

static int pit_save(emu_device *dev, emu_state_writer *w)
{
    i8254 *p = (i8254 *)dev;
    for (unsigned i = 0; i < 3; i++) {
        uint64_t v[CHANNEL_FIELDS];
        channel_fields(&p->ch[i], v);
        for (int k = 0; k < CHANNEL_FIELDS; k++) {
            char name[32];
            snprintf(name, sizeof name, "ch%u.%s", i, field_names[k]);
            emu_state_put_u64(w, name, v[k]);
        }
    }
    emu_state_put_u64(w, "port61", p->port61);
    return 0;
}

static int pit_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    i8254 *p = (i8254 *)dev;
    for (unsigned i = 0; i < 3; i++) {
        uint64_t v[CHANNEL_FIELDS];
        for (int k = 0; k < CHANNEL_FIELDS; k++) {
            char name[32];
            snprintf(name, sizeof name, "ch%u.%s", i, field_names[k]);
            if (emu_state_get_u64(r, name, &v[k]) < 0) {
                if (k >= CHANNEL_FIELDS_REQUIRED) {
                    uint64_t none[CHANNEL_FIELDS] = { [20] = v[3], [21] = 0, [22] = UINT64_MAX };
                    v[k] = none[k];
                    continue;
                }
                emu_error_set(err, "i8254 state: missing field '%s'", name);
                return -1;
            }
        }
        if (v[3] < 1 || v[3] > 0x10000 || v[20] < 1 || v[20] > 0x10000 || v[21] > 1 || v[1] < RW_LSB || v[1] > RW_WORD0 || v[13] < RW_LSB ||
            v[13] > RW_WORD1 || v[14] < RW_LSB || v[14] > RW_WORD1 || v[16] > RW_WORD0) {
            emu_error_set(err, "i8254 state: channel %u has values out of range", i);
            return -1;
        }
        channel *c = &p->ch[i];
        c->mode_bits = (uint8_t)(v[0] & 7);
        c->rw_mode = (uint8_t)v[1];
        c->bcd = v[2] & 1;
        c->count = (uint32_t)v[3];
        c->null_count = v[4] & 1;
        c->armed = v[5] & 1;
        c->triggered = v[6] & 1;
        c->gate = v[7] & 1;
        c->frozen = v[8] & 1;
        c->frozen_d = v[9];
        c->load_tick = now_tick(p) - v[10];
        c->held = (uint32_t)(v[11] & 0xffff);
        c->idle_out = v[12] & 1;
        c->read_state = (uint8_t)v[13];
        c->write_state = (uint8_t)v[14];
        c->write_lsb = (uint8_t)v[15];
        c->count_latched = (uint8_t)v[16];
        c->latched = (uint16_t)v[17];
        c->status_latched = v[18] & 1;
        c->status = (uint8_t)v[19];
        uint64_t now = now_tick(p);
        c->cr = (uint32_t)v[20];
        c->cr_pending = v[21] != 0;
        c->switch_tick = v[22] == UINT64_MAX ? UINT64_MAX : now + v[22];
        c->switch_load = now - v[23];
        update_output(c);
    }
    uint64_t port61;
    if (emu_state_get_u64(r, "port61", &port61) < 0)
        port61 = p->ch[2].gate;   /* saved before port 0x61 existed */
    p->port61 = (uint8_t)(port61 & 0x0f);
    return 0;
}

static const emu_prop_desc pit_props[] = {
    EMU_PROP_INT_DEF("clock-hz", i8254, clock_hz, "1193182", 1, 1000000000,
                     "input clock of the three counters"),
    EMU_PROP_INT_DEF("gates", i8254, gates, "3", 0, 7,
                     "GATE levels at reset, bit n = counter n (PC: 0 and 1 tied high, 2 from port 0x61); "
                     "the gate input lines change them"),
    EMU_PROP_END,
};

static const emu_region_desc pit_regions[] = {
    { "io", "counters 0-2 at offsets 0-2, control word at 3 (PC: 0x40-0x43), byte access" },
    { "port61", "PC port 0x61 (NMI status and control): bit 0 GATE of counter 2, bit 1 speaker "
                "data enable, bits 2-3 kept, bit 4 refresh toggle (15 us), bit 5 OUT of counter 2" },
    { NULL, NULL },
};

static const emu_line_desc pit_inputs[] = {
    { "gate", 3, "GATE of each counter (suspends modes 0/2/3/4, triggers modes 1/5 on a rising edge)" },
    { NULL, 0, NULL },
};

static const emu_line_desc pit_outputs[] = {
    { "out", 3, "OUT of each counter (PC: 0 to IRQ 0, 2 to the speaker)" },
    { NULL, 0, NULL },
};

static const emu_type pit_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "i8254",
    .summary = "8254 programmable interval timer, 3 counters, modes 0-5",
    .instance_size = sizeof(i8254),
    .props = pit_props,
    .regions = pit_regions,
    .inputs = pit_inputs,
    .outputs = pit_outputs,
    .realize = pit_realize,
    .reset = pit_reset,
    .destroy = pit_destroy,
    .set_input = pit_set_input,
    .save = pit_save,
    .load = pit_load,
};

static const emu_type *const types[] = { &pit_type, NULL };

EMU_PLUGIN(i8254) = {
    EMU_PLUGIN_HEADER, "i8254", "1.0", "8254 PIT", types,
};
