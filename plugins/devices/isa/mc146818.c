/* Motorola MC146818 real-time clock with 128 bytes of CMOS RAM (index port, data port):
 * calendar in BCD or binary, 12/24 hours, SET mode and divider reset, update-in-progress,
 * periodic, alarm and update-ended interrupts.  Time follows the machine's virtual clock. */
#include <inttypes.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/nvram.h"
#include "rtc-clock.h"
#include "../state-fields.h"

enum {
    R_SEC = 0x00, R_SEC_ALARM, R_MIN, R_MIN_ALARM, R_HOUR, R_HOUR_ALARM, R_WDAY, R_MDAY,
    R_MONTH, R_YEAR, R_A, R_B, R_C, R_D, R_CENTURY = 0x32,
};
#define A_UIP  0x80
#define A_DV   0x70
#define B_SET  0x80
#define B_PIE  0x40
#define B_AIE  0x20
#define B_UIE  0x10
#define B_SQWE 0x08
#define B_DM   0x04   /* binary, not BCD */
#define B_24H  0x02
#define C_IRQF 0x80
#define C_PF   0x40
#define C_AF   0x20
#define C_UF   0x10
#define C_MASK 0x70
#define UIP_NS 244000  /* UIP is set for the last 244 us of every second */

typedef struct mc146818 {
    emu_device dev;
    char *start;
    int64_t base_year;
    uint8_t cmos[128];
    uint8_t index;
    rtc_clock clock;
    emu_line *irq;
    emu_timer *update_timer, *periodic_timer;
    uint64_t next_tick;             /* next periodic interrupt, in 32768 Hz ticks */
} mc146818;

static const emu_prop_desc rtc_props[] = {
    EMU_PROP_STRING_DEF("start-time", mc146818, start, "2000-01-01T00:00:00",
                        "calendar time at power-on: 'host' or a UTC time YYYY-MM-DDTHH:MM:SS"),
    EMU_PROP_INT_DEF("base-year", mc146818, base_year, "0", 0, 2100,
                     "year register = (year - base-year) mod 100, century = (year - base-year) / 100 "
                     "(PReP, as QEMU's 40p: 1900)"),
    EMU_PROP_END,
};

static const emu_region_desc rtc_regions[] = {
    { "io", "index (+0; bit 7, the PC's NMI mask, is ignored) and data (+1) ports (PC: at 0x70)" },
    { NULL, NULL },
};

static const emu_line_desc rtc_outputs[] = {
    { "irq", 1, "interrupt request (IRQF), level" },
    { NULL, 0, NULL },
};

/* ---- calendar <-> registers ---- */

static bool running(const mc146818 *s)
{
    return !(s->cmos[R_B] & B_SET) && (s->cmos[R_A] & A_DV) <= 0x20;
}

static bool dividers_reset(const mc146818 *s)
{
    return (s->cmos[R_A] & 0x60) == 0x60;
}

static unsigned enc(const mc146818 *s, unsigned v)
{
    return s->cmos[R_B] & B_DM ? v : rtc_to_bcd(v);
}

static int dec(const mc146818 *s, unsigned v)
{
    return s->cmos[R_B] & B_DM ? (int)v : rtc_from_bcd(v);
}

static void regs_from_clock(mc146818 *s)
{
    struct tm tm;
    rtc_to_tm(rtc_clock_ns(&s->clock) / RTC_NS_PER_SEC, &tm);
    s->cmos[R_SEC] = (uint8_t)enc(s, (unsigned)tm.tm_sec);
    s->cmos[R_MIN] = (uint8_t)enc(s, (unsigned)tm.tm_min);
    if (s->cmos[R_B] & B_24H) {
        s->cmos[R_HOUR] = (uint8_t)enc(s, (unsigned)tm.tm_hour);
    } else {
        unsigned h = tm.tm_hour % 12 ? (unsigned)tm.tm_hour % 12 : 12;
        s->cmos[R_HOUR] = (uint8_t)(enc(s, h) | (tm.tm_hour >= 12 ? 0x80 : 0));
    }
    s->cmos[R_WDAY] = (uint8_t)enc(s, (unsigned)tm.tm_wday + 1);
    s->cmos[R_MDAY] = (uint8_t)enc(s, (unsigned)tm.tm_mday);
    s->cmos[R_MONTH] = (uint8_t)enc(s, (unsigned)tm.tm_mon + 1);
    int year = tm.tm_year + 1900 - (int)s->base_year;
    if (year < 0)
        year = 0;
    s->cmos[R_YEAR] = (uint8_t)enc(s, (unsigned)year % 100);
    s->cmos[R_CENTURY] = (uint8_t)enc(s, (unsigned)year / 100);
}

static int hour_of(const mc146818 *s, uint8_t reg)
{
    int h = dec(s, reg & 0x7f);
    if (h >= 0 && !(s->cmos[R_B] & B_24H))
        h = h % 12 + (reg & 0x80 ? 12 : 0);
    return h;
}

/* The calendar second the registers say (fields out of range are normalised, like mktime). */
static int64_t regs_seconds(const mc146818 *s)
{
    struct tm tm = { 0 };
    int v;
    tm.tm_sec = (v = dec(s, s->cmos[R_SEC])) < 0 ? 0 : v;
    tm.tm_min = (v = dec(s, s->cmos[R_MIN])) < 0 ? 0 : v;
    tm.tm_hour = (v = hour_of(s, s->cmos[R_HOUR])) < 0 ? 0 : v;
    tm.tm_mday = (v = dec(s, s->cmos[R_MDAY])) < 1 ? 1 : v;
    tm.tm_mon = (v = dec(s, s->cmos[R_MONTH])) < 1 ? 0 : v - 1;
    int year = (v = dec(s, s->cmos[R_YEAR])) < 0 ? 0 : v;
    int century = (v = dec(s, s->cmos[R_CENTURY])) < 0 ? 0 : v;
    tm.tm_year = (int)s->base_year + century * 100 + year - 1900;
    return rtc_from_tm(&tm);
}

/* ---- interrupts and timers ---- */

static void update_irq(mc146818 *s)
{
    if (s->cmos[R_B] & s->cmos[R_C] & C_MASK) {
        s->cmos[R_C] |= C_IRQF;
        emu_line_set(s->irq, 1);
    } else {
        s->cmos[R_C] &= (uint8_t)~C_IRQF;
        emu_line_set(s->irq, 0);
    }
}

static void raise_flags(mc146818 *s, uint8_t flags)
{
    s->cmos[R_C] |= flags;
    if (s->cmos[R_B] & flags & C_MASK) {
        s->cmos[R_C] |= C_IRQF;
        emu_line_set(s->irq, 1);
    }
}

/* 32768 Hz ticks per periodic interrupt for rate select rs (0: off). */
static unsigned period_ticks(unsigned rs)
{
    if (rs == 0)
        return 0;
    if (rs <= 2)
        rs += 7;
    return 1u << (rs - 1);
}

static uint64_t tick_to_ns(uint64_t tick)
{
    return tick / 32768 * RTC_NS_PER_SEC + (tick % 32768) * RTC_NS_PER_SEC / 32768;
}

static void arm_periodic(mc146818 *s, bool restart)
{
    unsigned period = period_ticks(s->cmos[R_A] & 0x0f);
    if (!(s->cmos[R_B] & B_PIE) || !period || dividers_reset(s)) {
        emu_timer_cancel(s->periodic_timer);
        return;
    }
    if (restart || !emu_timer_pending(s->periodic_timer)) {
        uint64_t now = emu_clock_ns(s->dev.machine);
        uint64_t now_tick = now / RTC_NS_PER_SEC * 32768 + (now % RTC_NS_PER_SEC) * 32768 / RTC_NS_PER_SEC;
        s->next_tick = (now_tick / period + 1) * period;
        emu_timer_arm(s->periodic_timer, tick_to_ns(s->next_tick));
    }
}

static void periodic_fire(void *opaque)
{
    mc146818 *s = opaque;
    unsigned period = period_ticks(s->cmos[R_A] & 0x0f);
    raise_flags(s, C_PF);
    if (period) {
        s->next_tick += period;
        emu_timer_arm(s->periodic_timer, tick_to_ns(s->next_tick));
    }
}

static void arm_update(mc146818 *s)
{
    if (dividers_reset(s) || s->clock.stopped) {
        emu_timer_cancel(s->update_timer);
        return;
    }
    int64_t now = rtc_clock_ns(&s->clock);
    int64_t next = (now / RTC_NS_PER_SEC + 1) * RTC_NS_PER_SEC;
    emu_timer_arm(s->update_timer, rtc_clock_when(&s->clock, next));
}

static bool alarm_matches(const mc146818 *s)
{
    static const uint8_t pairs[3][2] = { { R_SEC_ALARM, R_SEC }, { R_MIN_ALARM, R_MIN },
                                         { R_HOUR_ALARM, R_HOUR } };
    for (int i = 0; i < 3; i++) {
        uint8_t a = s->cmos[pairs[i][0]];
        if ((a & 0xc0) != 0xc0 && a != s->cmos[pairs[i][1]])
            return false;
    }
    return true;
}

/* End of an update cycle: the registers show the new second. */
static void update_fire(void *opaque)
{
    mc146818 *s = opaque;
    uint8_t flags = C_UF;
    if (running(s)) {
        regs_from_clock(s);
        if (alarm_matches(s))
            flags |= C_AF;
    }
    raise_flags(s, flags);
    arm_update(s);
}

/* ---- registers ---- */

static void write_a(mc146818 *s, uint8_t v)
{
    bool was_reset = dividers_reset(s);
    bool was_running = running(s);
    if ((v & 0x60) == 0x60 && was_running)
        regs_from_clock(s);
    s->cmos[R_A] = (uint8_t)((v & ~A_UIP) | (s->cmos[R_A] & A_UIP));
    if (dividers_reset(s)) {
        rtc_clock_stop(&s->clock);
    } else if (was_reset && running(s)) {
        /* Leaving divider reset: the first update comes half a second later. */
        rtc_clock_set(&s->clock, regs_seconds(s) * RTC_NS_PER_SEC + RTC_NS_PER_SEC / 2);
        rtc_clock_start(&s->clock);
    }
    arm_update(s);
    arm_periodic(s, true);
}

static void write_b(mc146818 *s, uint8_t v)
{
    bool was_running = running(s);
    bool pie_changed = (s->cmos[R_B] ^ v) & B_PIE;
    if (v & B_SET) {
        if (was_running)
            regs_from_clock(s);
        v &= (uint8_t)~B_UIE;
        rtc_clock_stop(&s->clock);
    }
    s->cmos[R_B] = v;
    if (!(v & B_SET) && !was_running && running(s)) {
        /* Leaving SET mode: the clock runs on from what the guest wrote, keeping its phase. */
        int64_t phase = s->clock.base_ns % RTC_NS_PER_SEC;
        rtc_clock_set(&s->clock, regs_seconds(s) * RTC_NS_PER_SEC + (phase < 0 ? 0 : phase));
        rtc_clock_start(&s->clock);
    }
    update_irq(s);
    arm_update(s);
    arm_periodic(s, pie_changed);
}

static uint64_t rtc_read(void *opaque, uint64_t off, unsigned size)
{
    mc146818 *s = opaque;
    (void)size;
    if (off == 0)
        return 0xff;
    uint8_t i = s->index, v;
    switch (i) {
    case R_SEC: case R_MIN: case R_HOUR: case R_WDAY: case R_MDAY: case R_MONTH: case R_YEAR:
    case R_CENTURY:
        if (running(s))
            regs_from_clock(s);
        return s->cmos[i];
    case R_A:
        v = s->cmos[R_A];
        if (running(s) && rtc_clock_ns(&s->clock) % RTC_NS_PER_SEC >= RTC_NS_PER_SEC - UIP_NS)
            v |= A_UIP;
        return v;
    case R_C:
        v = s->cmos[R_C];
        s->cmos[R_C] = 0;
        emu_line_set(s->irq, 0);
        return v;
    default:
        return s->cmos[i];
    }
}

static void rtc_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    mc146818 *s = opaque;
    uint8_t v = (uint8_t)value;
    (void)size;
    if (off == 0) {
        s->index = v & 0x7f;   /* bit 7 masks NMI on PCs; nothing to mask here */
        return;
    }
    switch (s->index) {
    case R_SEC: case R_MIN: case R_HOUR: case R_WDAY: case R_MDAY: case R_MONTH: case R_YEAR:
    case R_CENTURY:
        s->cmos[s->index] = v;
        if (running(s)) {
            rtc_clock_set(&s->clock, regs_seconds(s) * RTC_NS_PER_SEC);
            arm_update(s);
        }
        break;
    case R_A:
        write_a(s, v);
        break;
    case R_B:
        write_b(s, v);
        break;
    case R_C:
    case R_D:
        emu_log(&s->dev, EMU_LOG_GUEST, "write of 0x%02x to read-only register %c ignored", v,
                s->index == R_C ? 'C' : 'D');
        break;
    default:
        s->cmos[s->index] = v;
        break;
    }
}

static const emu_mmio_ops rtc_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = rtc_read, .write = rtc_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 2,
    .impl_min = 1, .impl_max = 1,
};

/* ---- board interface: raw CMOS bytes ---- */

static uint64_t nv_size(emu_device *dev)
{
    (void)dev;
    return 128;
}

static int nv_read(emu_device *dev, uint64_t off, void *buf, size_t len)
{
    mc146818 *s = (mc146818 *)dev;
    if (off > 128 || len > 128 - off)
        return -1;
    memcpy(buf, s->cmos + off, len);
    return 0;
}

static int nv_write(emu_device *dev, uint64_t off, const void *buf, size_t len)
{
    mc146818 *s = (mc146818 *)dev;
    if (off > 128 || len > 128 - off)
        return -1;
    memcpy(s->cmos + off, buf, len);
    return 0;
}

static const emu_nvram_ops nv_ops = { sizeof(emu_nvram_ops), nv_size, nv_read, nv_write };
static const emu_iface rtc_ifaces[] = { { EMU_NVRAM_IFACE, &nv_ops }, { NULL, NULL } };

/* ---- lifecycle ---- */

static int rtc_realize(emu_device *dev, emu_error **err)
{
    mc146818 *s = (mc146818 *)dev;
    if (rtc_clock_init(&s->clock, dev->machine, s->start, "start-time", err) < 0)
        return -1;
    s->cmos[R_A] = 0x26;
    s->cmos[R_B] = B_24H;
    s->cmos[R_D] = 0x80;   /* valid RAM and time */
    regs_from_clock(s);
    s->irq = emu_device_output(dev, "irq", 0);
    s->update_timer = emu_timer_new(dev->machine, update_fire, s);
    s->periodic_timer = emu_timer_new(dev->machine, periodic_fire, s);
    if (!emu_device_mmio(dev, "io", 2, &rtc_ops, s)) {
        emu_error_set(err, "cannot create the RTC's registers");
        return -1;
    }
    return 0;
}

/* The RESET pin: interrupt enables and flags clear; time and RAM are kept. */
static void rtc_reset(emu_device *dev)
{
    mc146818 *s = (mc146818 *)dev;
    s->cmos[R_B] &= (uint8_t)~(B_PIE | B_AIE | B_UIE | B_SQWE);
    s->cmos[R_C] = 0;
    emu_line_set(s->irq, 0);
    arm_update(s);
    arm_periodic(s, true);
}

static void rtc_destroy(emu_device *dev)
{
    mc146818 *s = (mc146818 *)dev;
    if (s->update_timer)
        emu_timer_free(s->update_timer);
    if (s->periodic_timer)
        emu_timer_free(s->periodic_timer);
}

/* ---- snapshots ---- */

#define CALENDAR_LIMIT (INT64_C(1) << 62)   /* ns either side of 1970 a saved calendar may be */

static int rtc_save(emu_device *dev, emu_state_writer *w)
{
    mc146818 *s = (mc146818 *)dev;
    emu_state_put_bytes(w, "cmos", s->cmos, sizeof s->cmos);
    emu_state_put_u64(w, "index", s->index);
    emu_state_put_u64(w, "calendar-ns", (uint64_t)rtc_clock_ns(&s->clock));
    emu_state_put_u64(w, "clock-stopped", s->clock.stopped);
    emu_state_put_u64(w, "periodic-ns-left", state_timer_left(dev, s->periodic_timer));
    return 0;
}

/* What the registers of a saved chip must satisfy (the chip itself never gets into any other
   state); NULL when they do. */
static const char *cmos_problem(const uint8_t *cmos, bool stopped, uint64_t periodic_left)
{
    const mc146818 probe = { .cmos[R_A] = cmos[R_A], .cmos[R_B] = cmos[R_B] };
    if (cmos[R_A] & A_UIP)
        return "register A has UIP set (it is computed on each read)";
    if (cmos[R_C] & 0x0f)
        return "register C has bits 0-3 set (they always read 0)";
    if (!(cmos[R_C] & C_IRQF) != !(cmos[R_B] & cmos[R_C] & C_MASK))
        return "register C's IRQF disagrees with its flags and register B's enables";
    if (cmos[R_D] != 0x80)
        return "register D is not 0x80 (valid RAM and time)";
    if ((cmos[R_B] & B_SET) && (cmos[R_B] & B_UIE))
        return "register B has both SET and UIE (SET clears UIE)";
    if (((cmos[R_B] & B_SET) || dividers_reset(&probe)) && !stopped)
        return "the clock runs while SET or the divider reset holds it";
    if (periodic_left > RTC_NS_PER_SEC)
        return "the next periodic interrupt is more than a period away";
    if (periodic_left && (!(cmos[R_B] & B_PIE) || !period_ticks(cmos[R_A] & 0x0f) ||
                          dividers_reset(&probe)))
        return "a periodic interrupt is pending while periodic interrupts are off";
    return NULL;
}

static int rtc_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    mc146818 *s = (mc146818 *)dev;
    uint8_t cmos[128];
    uint64_t index, cal, stopped, left;
    if (state_get_bytes(r, dev, "cmos", cmos, sizeof cmos, err) < 0 ||
        state_get(r, dev, "index", 0x7f, &index, err) < 0 ||
        state_get(r, dev, "calendar-ns", UINT64_MAX, &cal, err) < 0 ||
        state_get(r, dev, "clock-stopped", 1, &stopped, err) < 0 ||
        state_get(r, dev, "periodic-ns-left", UINT64_MAX, &left, err) < 0)
        return -1;
    if ((int64_t)cal >= CALENDAR_LIMIT || (int64_t)cal <= -CALENDAR_LIMIT) {
        emu_error_set(err, "mc146818 state: calendar-ns is out of range");
        return -1;
    }
    const char *problem = cmos_problem(cmos, stopped != 0, left);
    if (problem) {
        emu_error_set(err, "mc146818 state: %s", problem);
        return -1;
    }
    memcpy(s->cmos, cmos, sizeof cmos);
    s->index = (uint8_t)index;
    s->clock.base_ns = (int64_t)cal;
    s->clock.at = emu_clock_ns(dev->machine);
    s->clock.stopped = stopped != 0;
    emu_line_set(s->irq, (s->cmos[R_C] & C_IRQF) != 0);
    arm_update(s);
    emu_timer_cancel(s->periodic_timer);
    if (left) {
        uint64_t at = emu_clock_ns(dev->machine) + left;
        s->next_tick = at / RTC_NS_PER_SEC * 32768 + (at % RTC_NS_PER_SEC) * 32768 / RTC_NS_PER_SEC;
        emu_timer_arm(s->periodic_timer, at);
    } else {
        arm_periodic(s, false);
    }
    return 0;
}

static const emu_type mc146818_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "mc146818",
    .summary = "MC146818 real-time clock and 128 bytes of CMOS RAM",
    .instance_size = sizeof(mc146818),
    .props = rtc_props,
    .regions = rtc_regions,
    .outputs = rtc_outputs,
    .realize = rtc_realize,
    .reset = rtc_reset,
    .destroy = rtc_destroy,
    .save = rtc_save,
    .load = rtc_load,
    .kind_ops = rtc_ifaces,
};

static const emu_type *const mc146818_types[] = { &mc146818_type, NULL };

EMU_PLUGIN(mc146818) = {
    EMU_PLUGIN_HEADER, "mc146818", "1.0", "MC146818 real-time clock", mc146818_types,
};
