/* example-wdt: a memory-mapped watchdog timer, the emu SDK's example device plugin.
 *
 * The counter runs at `clock-hz` and counts down from LOAD.  When it reaches
 * zero the watchdog sets STATUS.TIMEOUT (raising `irq` when CTRL.IRQ_EN is
 * set) and reloads.  If it reaches zero again while TIMEOUT is still set and
 * CTRL.RESET_EN is set, it pulses its `reset` output: the guest neither
 * kicked the watchdog nor handled its interrupt.  While the `freeze` input is
 * high (a debugger halting the system, say) the counter stands still.
 *
 * Registers (32-bit accesses only, little-endian):
 *   0x00 ID      read-only  0x57445401 ("WDT", version 1)
 *   0x04 CTRL    read/write bit 0 EN (count), bit 1 IRQ_EN, bit 2 RESET_EN
 *   0x08 LOAD    read/write reload value in ticks (1..0xffffffff); a write restarts the count
 *   0x0c VALUE   read-only  ticks left until the next timeout
 *   0x10 KICK    write-only write 0x4b49434b ("KICK") to reload the counter
 *   0x14 STATUS  read, write 1 to clear: bit 0 TIMEOUT, bit 1 BITE (reset was pulsed)
 *
 * Build it with the Makefile next to this file (only `pkg-config emu-sdk`
 * is needed); docs/plugin-sdk.md walks through it line by line.
 */
#include <emu/emu.h>
#include <inttypes.h>

#define WDT_ID            0x57445401u
#define WDT_KICK_KEY      0x4b49434bu

#define REG_ID            0x00
#define REG_CTRL          0x04
#define REG_LOAD          0x08
#define REG_VALUE         0x0c
#define REG_KICK          0x10
#define REG_STATUS        0x14
#define REGS_SIZE         0x20

#define CTRL_EN           (1u << 0)
#define CTRL_IRQ_EN       (1u << 1)
#define CTRL_RESET_EN     (1u << 2)
#define CTRL_MASK         (CTRL_EN | CTRL_IRQ_EN | CTRL_RESET_EN)

#define STATUS_TIMEOUT    (1u << 0)
#define STATUS_BITE       (1u << 1)
#define STATUS_MASK       (STATUS_TIMEOUT | STATUS_BITE)

#define NS_PER_S          1000000000ull
/* A period shorter than this would fire the timer so often that the guest
   could hardly run between two timeouts. */
#define MIN_PERIOD_NS     1000ull

/* The instance: the SDK's emu_device header first, then our own state. */
typedef struct wdt {
    emu_device dev;

    /* properties, set by the core from the machine file before realize */
    int64_t clock_hz;
    int64_t timeout;
    bool start_enabled;

    /* resources created by realize */
    emu_line *irq;
    emu_line *reset;
    emu_timer *timer;

    /* guest-visible state (saved and restored) */
    uint32_t ctrl, load, status;
    bool frozen;                  /* the `freeze` input is high */
    /* when counting: the virtual time of the next timeout; else the time
       that was left when the counter stopped */
    uint64_t deadline_ns;
    uint64_t left_ns;
    bool counting;
} wdt;

static wdt *to_wdt(emu_device *dev)
{
    return (wdt *)dev;
}

/* LOAD ticks as virtual nanoseconds (ticks < 2^32 and NS_PER_S < 2^30, so no overflow). */
static uint64_t period_ns(const wdt *w)
{
    uint64_t ns = (uint64_t)w->load * NS_PER_S / (uint64_t)w->clock_hz;
    return ns < MIN_PERIOD_NS ? MIN_PERIOD_NS : ns;
}

static uint64_t now_ns(const wdt *w)
{
    return emu_clock_ns(w->dev.machine);
}

static uint64_t ns_left(const wdt *w)
{
    if (!w->counting)
        return w->left_ns;
    uint64_t now = now_ns(w);
    return w->deadline_ns > now ? w->deadline_ns - now : 0;
}

/* VALUE: whole ticks left, rounded up so it reads 0 only at the timeout. */
static uint32_t ticks_left(const wdt *w)
{
    uint64_t ticks = (ns_left(w) * (uint64_t)w->clock_hz + NS_PER_S - 1) / NS_PER_S;
    return ticks > UINT32_MAX ? UINT32_MAX : (uint32_t)ticks;
}

static void update_irq(wdt *w)
{
    emu_line_set(w->irq, (w->status & STATUS_TIMEOUT) && (w->ctrl & CTRL_IRQ_EN));
}

/* Start or stop the timer so that it runs exactly when CTRL.EN is set and freeze is low. */
static void update_counting(wdt *w)
{
    bool run = (w->ctrl & CTRL_EN) && !w->frozen;
    if (run && !w->counting) {
        w->deadline_ns = now_ns(w) + w->left_ns;
        emu_timer_arm(w->timer, w->deadline_ns);
        w->counting = true;
    } else if (!run && w->counting) {
        w->left_ns = ns_left(w);
        emu_timer_cancel(w->timer);
        w->counting = false;
    }
}

/* Start a new period from now (a kick, a new LOAD, the counter enabled). */
static void reload(wdt *w)
{
    w->left_ns = period_ns(w);
    if (w->counting) {
        w->deadline_ns = now_ns(w) + w->left_ns;
        emu_timer_arm(w->timer, w->deadline_ns);
    }
}

/* The timer callback: the counter reached zero. */
static void wdt_expired(void *opaque)
{
    wdt *w = opaque;
    if ((w->status & STATUS_TIMEOUT) && (w->ctrl & CTRL_RESET_EN)) {
        emu_log(&w->dev, EMU_LOG_INFO, "second timeout without a kick: pulsing reset");
        w->status |= STATUS_BITE;
        emu_line_pulse(w->reset);
    }
    w->status |= STATUS_TIMEOUT;
    update_irq(w);
    /* The next period starts at this deadline, not at "now", so timeouts
       do not drift when the timer is served late. */
    w->left_ns = period_ns(w);
    w->deadline_ns += w->left_ns;
    emu_timer_arm(w->timer, w->deadline_ns);
}

static uint64_t wdt_read(void *opaque, uint64_t offset, unsigned size)
{
    wdt *w = opaque;
    uint32_t v;
    (void)size; /* the core only lets 4-byte accesses through (valid_min/max) */
    switch (offset) {
    case REG_ID:     v = WDT_ID; break;
    case REG_CTRL:   v = w->ctrl; break;
    case REG_LOAD:   v = w->load; break;
    case REG_VALUE:  v = ticks_left(w); break;
    case REG_STATUS: v = w->status; break;
    case REG_KICK:
        emu_log(&w->dev, EMU_LOG_GUEST, "read of write-only register KICK");
        v = 0;
        break;
    default:
        emu_log(&w->dev, EMU_LOG_GUEST, "read of unknown register 0x%02" PRIx64, offset);
        v = 0;
        break;
    }
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&w->dev, EMU_LOG_TRACE, "read  0x%02" PRIx64 " -> 0x%08" PRIx32, offset, v);
    return v;
}

static void wdt_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    wdt *w = opaque;
    uint32_t v = (uint32_t)value;
    (void)size;
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&w->dev, EMU_LOG_TRACE, "write 0x%02" PRIx64 " <- 0x%08" PRIx32, offset, v);
    switch (offset) {
    case REG_CTRL: {
        if (v & ~CTRL_MASK)
            emu_log(&w->dev, EMU_LOG_GUEST, "CTRL bits 0x%" PRIx32 " are reserved", v & ~CTRL_MASK);
        uint32_t was = w->ctrl;
        w->ctrl = v & CTRL_MASK;
        if (!(was & CTRL_EN) && (w->ctrl & CTRL_EN))
            w->left_ns = period_ns(w);     /* enabling starts a full period */
        update_counting(w);
        update_irq(w);
        break;
    }
    case REG_LOAD:
        if (v == 0) {
            emu_log(&w->dev, EMU_LOG_GUEST, "LOAD 0 ignored (the smallest period is 1 tick)");
            break;
        }
        w->load = v;
        if ((uint64_t)v * NS_PER_S / (uint64_t)w->clock_hz < MIN_PERIOD_NS)
            emu_log(&w->dev, EMU_LOG_GUEST, "LOAD %" PRIu32 " at %" PRId64 " Hz is shorter than "
                    "%llu ns; counting %llu ns", v, w->clock_hz, MIN_PERIOD_NS, MIN_PERIOD_NS);
        reload(w);
        break;
    case REG_KICK:
        if (v == WDT_KICK_KEY)
            reload(w);
        else
            emu_log(&w->dev, EMU_LOG_GUEST, "KICK written with 0x%08" PRIx32 ", not the key 0x%08x",
                    v, WDT_KICK_KEY);
        break;
    case REG_STATUS:
        w->status &= ~(v & STATUS_MASK);
        update_irq(w);
        break;
    case REG_ID:
    case REG_VALUE:
        emu_log(&w->dev, EMU_LOG_GUEST, "write of read-only register 0x%02" PRIx64, offset);
        break;
    default:
        emu_log(&w->dev, EMU_LOG_GUEST, "write of unknown register 0x%02" PRIx64, offset);
        break;
    }
}

static const emu_mmio_ops wdt_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = wdt_read,
    .write = wdt_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 4, .valid_max = 4,
};

static int wdt_realize(emu_device *dev, emu_error **err)
{
    wdt *w = to_wdt(dev);
    /* Ranges were checked by the core (min/max in the property table); what
       depends on two properties at once is ours to check. */
    uint64_t ns = (uint64_t)w->timeout * NS_PER_S / (uint64_t)w->clock_hz;
    if (ns < MIN_PERIOD_NS) {
        emu_error_set(err, "timeout of %" PRId64 " ticks at clock-hz %" PRId64 " is %" PRIu64
                      " ns; the shortest period is %llu ns (raise timeout or lower clock-hz)",
                      w->timeout, w->clock_hz, ns, MIN_PERIOD_NS);
        return -1;
    }
    if (!emu_device_mmio(dev, "regs", REGS_SIZE, &wdt_ops, w)) {
        emu_error_set(err, "cannot create the register region");
        return -1;
    }
    w->irq = emu_device_output(dev, "irq", 0);
    w->reset = emu_device_output(dev, "reset", 0);
    w->timer = emu_timer_new(dev->machine, wdt_expired, w);
    return 0;
}

/* Power-on state: also what the machine's reset gives. */
static void wdt_reset(emu_device *dev)
{
    wdt *w = to_wdt(dev);
    emu_timer_cancel(w->timer);
    w->counting = false;
    w->load = (uint32_t)w->timeout;
    w->status = 0;
    w->ctrl = w->start_enabled ? CTRL_EN | CTRL_IRQ_EN | CTRL_RESET_EN : 0;
    w->left_ns = period_ns(w);
    update_counting(w);
    update_irq(w);
}

static void wdt_destroy(emu_device *dev)
{
    wdt *w = to_wdt(dev);
    if (w->timer)
        emu_timer_free(w->timer);
}

static void wdt_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    wdt *w = to_wdt(dev);
    (void)line;   /* `freeze` is our only input */
    (void)index;
    w->frozen = level != 0;
    update_counting(w);
}

static int wdt_save(emu_device *dev, emu_state_writer *sw)
{
    wdt *w = to_wdt(dev);
    emu_state_put_u64(sw, "ctrl", w->ctrl);
    emu_state_put_u64(sw, "load", w->load);
    emu_state_put_u64(sw, "status", w->status);
    emu_state_put_u64(sw, "frozen", w->frozen);
    emu_state_put_u64(sw, "ns-left", ns_left(w));
    return 0;
}

/* Read one saved field that must be at most `max`. */
static int get_field(emu_state_reader *sr, const char *name, uint64_t max, uint64_t *v,
                     emu_error **err)
{
    if (emu_state_get_u64(sr, name, v) < 0) {
        emu_error_set(err, "saved state has no field '%s'", name);
        return -1;
    }
    if (*v > max) {
        emu_error_set(err, "saved %s 0x%" PRIx64 " is out of range (at most 0x%" PRIx64 ")",
                      name, *v, max);
        return -1;
    }
    return 0;
}

static int wdt_load(emu_device *dev, emu_state_reader *sr, emu_error **err)
{
    wdt *w = to_wdt(dev);
    uint64_t ctrl, load, status, frozen, left;
    if (get_field(sr, "ctrl", CTRL_MASK, &ctrl, err) < 0 ||
        get_field(sr, "load", UINT32_MAX, &load, err) < 0 ||
        get_field(sr, "status", STATUS_MASK, &status, err) < 0 ||
        get_field(sr, "frozen", 1, &frozen, err) < 0 ||
        get_field(sr, "ns-left", UINT64_MAX, &left, err) < 0)
        return -1;
    if (load == 0) {
        emu_error_set(err, "saved load is 0 (the smallest period is 1 tick)");
        return -1;
    }
    /* Stop, take the saved values, then restart from the time that was left. */
    emu_timer_cancel(w->timer);
    w->counting = false;
    w->ctrl = (uint32_t)ctrl;
    w->load = (uint32_t)load;
    w->status = (uint32_t)status;
    w->frozen = frozen != 0;
    w->left_ns = left < period_ns(w) ? left : period_ns(w);
    update_counting(w);
    update_irq(w);
    return 0;
}

static const emu_prop_desc wdt_props[] = {
    EMU_PROP_INT_DEF("clock-hz", wdt, clock_hz, "32768", 1, 1000000000,
                     "counter clock in Hz"),
    EMU_PROP_INT_DEF("timeout", wdt, timeout, "65536", 1, 0xffffffff,
                     "LOAD after reset, in ticks"),
    EMU_PROP_BOOL_DEF("start-enabled", wdt, start_enabled, "false",
                      "count from reset with IRQ and reset enabled (as if strapped on)"),
    EMU_PROP_END,
};

static const emu_region_desc wdt_regions[] = {
    { "regs", "the registers (0x20 bytes, 32-bit accesses)" },
    { NULL, NULL },
};

static const emu_line_desc wdt_outputs[] = {
    { "irq", 1, "high while STATUS.TIMEOUT and CTRL.IRQ_EN are set" },
    { "reset", 1, "pulsed on the second timeout without a kick (CTRL.RESET_EN)" },
    { NULL, 0, NULL },
};

static const emu_line_desc wdt_inputs[] = {
    { "freeze", 1, "the counter stands still while high" },
    { NULL, 0, NULL },
};

static const emu_type wdt_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "example-wdt",
    .summary = "example watchdog timer (emu SDK example)",
    .instance_size = sizeof(wdt),
    .props = wdt_props,
    .regions = wdt_regions,
    .inputs = wdt_inputs,
    .outputs = wdt_outputs,
    .realize = wdt_realize,
    .reset = wdt_reset,
    .destroy = wdt_destroy,
    .set_input = wdt_set_input,
    .save = wdt_save,
    .load = wdt_load,
};

static const emu_type *const wdt_types[] = { &wdt_type, NULL };

EMU_PLUGIN(example_wdt) = {
    EMU_PLUGIN_HEADER,
    "example_wdt", "1.0", "example watchdog timer", wdt_types,
};
