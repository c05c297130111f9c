/* ST M48T59: 8 KiB battery-backed SRAM whose top 16 bytes are a BCD clock (0x1FF8-0x1FFF),
 * alarm (0x1FF2-0x1FF6, AF in the flags at 0x1FF0) and watchdog (0x1FF7).  Reached through
 * ISA ports (address low, address high, data: PReP 0x74/0x75/0x77) or as 8 KiB of memory;
 * optionally kept in an image file.  Time follows the machine's virtual clock. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/nvram.h"
#include "rtc-clock.h"
#include "../state-fields.h"

#define NVRAM_SIZE 0x2000u
enum {
    R_FLAGS = 0x1ff0, R_CENTURY, R_ALARM_SEC, R_ALARM_MIN, R_ALARM_HOUR, R_ALARM_DATE,
    R_INTR, R_WATCHDOG, R_CONTROL, R_SEC, R_MIN, R_HOUR, R_DAY, R_DATE, R_MONTH, R_YEAR,
};
#define FLAG_WDF 0x80
#define FLAG_AF  0x40
#define CTL_W    0x80   /* write: registers are held, the clock is set when W clears */
#define CTL_R    0x40   /* read: registers are frozen for reading */
#define SEC_ST   0x80   /* stop the oscillator */
#define INTR_AFE 0x80

typedef struct m48t59 {
    emu_device dev;
    char *start;
    int64_t base_year;
    emu_blockdev *image;
    uint8_t mem[NVRAM_SIZE];
    uint16_t addr;                /* ISA address latch */
    rtc_clock clock;
    emu_line *irq, *reset_out;
    emu_timer *alarm_timer, *watchdog_timer;
    bool image_failed_logged;
} m48t59;

static const emu_prop_desc m48t59_props[] = {
    EMU_PROP_STRING_DEF("start-time", m48t59, start, "2000-01-01T00:00:00",
                        "calendar time at power-on: 'host' or a UTC time YYYY-MM-DDTHH:MM:SS"),
    EMU_PROP_INT_DEF("base-year", m48t59, base_year, "1900", 0, 2100,
                     "the year register counts from here (mod 100)"),
    EMU_PROP_BLOCK_DEF("image", m48t59, image,
                       "optional 8 KiB image the SRAM is loaded from and written back to"),
    EMU_PROP_END,
};

static const emu_region_desc m48t59_regions[] = {
    { "io", "ISA ports: address low (+0), address high (+1), data (+3) (PReP: at 0x74)" },
    { "mem", "the 8 KiB as memory" },
    { NULL, NULL },
};

static const emu_line_desc m48t59_outputs[] = {
    { "irq", 1, "alarm and watchdog interrupt (pulsed)" },
    { "reset", 1, "watchdog reset (pulsed)" },
    { NULL, 0, NULL },
};

/* ---- clock registers ---- */

static bool held(const m48t59 *s)
{
    return s->mem[R_CONTROL] & (CTL_W | CTL_R);
}

/* Copy the calendar into the clock registers. */
static void regs_from_clock(m48t59 *s)
{
    struct tm tm;
    rtc_to_tm(rtc_clock_ns(&s->clock) / RTC_NS_PER_SEC, &tm);
    s->mem[R_SEC] = (uint8_t)((s->mem[R_SEC] & SEC_ST) | rtc_to_bcd((unsigned)tm.tm_sec));
    s->mem[R_MIN] = (uint8_t)rtc_to_bcd((unsigned)tm.tm_min);
    s->mem[R_HOUR] = (uint8_t)rtc_to_bcd((unsigned)tm.tm_hour);
    s->mem[R_DAY] = (uint8_t)((s->mem[R_DAY] & 0x40) | (tm.tm_wday ? tm.tm_wday : 7));
    s->mem[R_DATE] = (uint8_t)rtc_to_bcd((unsigned)tm.tm_mday);
    s->mem[R_MONTH] = (uint8_t)rtc_to_bcd((unsigned)tm.tm_mon + 1);
    int year = tm.tm_year + 1900 - (int)s->base_year;
    s->mem[R_YEAR] = (uint8_t)rtc_to_bcd((unsigned)(year < 0 ? 0 : year) % 100);
}

static int field(uint8_t v, uint8_t mask, int lo, int hi, int dflt)
{
    int x = rtc_from_bcd(v & mask);
    return x < lo || x > hi ? dflt : x;
}

/* Set the calendar from the clock registers (out-of-range fields count as their minimum). */
static void clock_from_regs(m48t59 *s)
{
    struct tm tm = { 0 };
    tm.tm_sec = field(s->mem[R_SEC], 0x7f, 0, 59, 0);
    tm.tm_min = field(s->mem[R_MIN], 0x7f, 0, 59, 0);
    tm.tm_hour = field(s->mem[R_HOUR], 0x3f, 0, 23, 0);
    tm.tm_mday = field(s->mem[R_DATE], 0x3f, 1, 31, 1);
    tm.tm_mon = field(s->mem[R_MONTH], 0x1f, 1, 12, 1) - 1;
    tm.tm_year = (int)s->base_year + field(s->mem[R_YEAR], 0xff, 0, 99, 0) - 1900;
    int64_t phase = rtc_clock_ns(&s->clock) % RTC_NS_PER_SEC;
    rtc_clock_set(&s->clock, rtc_from_tm(&tm) * RTC_NS_PER_SEC + (phase < 0 ? 0 : phase));
}

/* ---- alarm and watchdog ---- */

static void pulse_irq(m48t59 *s)
{
    emu_line_set(s->irq, 1);
    emu_line_set(s->irq, 0);
}

/* The next calendar second matching the alarm registers (bit 7 of each = don't care). */
static void arm_alarm(m48t59 *s)
{
    emu_timer_cancel(s->alarm_timer);
    if (!(s->mem[R_INTR] & INTR_AFE) || s->clock.stopped)
        return;
    int64_t now = rtc_clock_ns(&s->clock) / RTC_NS_PER_SEC;
    /* Search forward second by second within a month and a day, coarse steps first. */
    for (int64_t t = now + 1; t <= now + 32 * 86400; t++) {
        struct tm tm;
        rtc_to_tm(t, &tm);
        uint8_t a[4] = { s->mem[R_ALARM_SEC], s->mem[R_ALARM_MIN], s->mem[R_ALARM_HOUR],
                         s->mem[R_ALARM_DATE] };
        int want[4] = { tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday };
        uint8_t mask[4] = { 0x7f, 0x7f, 0x3f, 0x3f };
        int miss = -1;
        for (int i = 3; i >= 0; i--)
            if (!(a[i] & 0x80) && rtc_from_bcd(a[i] & mask[i]) != want[i]) {
                miss = i;
                break;
            }
        if (miss < 0) {
            emu_timer_arm(s->alarm_timer, rtc_clock_when(&s->clock, t * RTC_NS_PER_SEC));
            return;
        }
        /* Skip to the end of the unit that cannot match. */
        static const int64_t unit[4] = { 1, 60, 3600, 86400 };
        t += unit[miss] - 1 - (miss >= 1 ? tm.tm_sec : 0) - (miss >= 2 ? 60 * tm.tm_min : 0) -
             (miss >= 3 ? 3600 * tm.tm_hour : 0);
    }
}

static void alarm_fire(void *opaque)
{
    m48t59 *s = opaque;
    s->mem[R_FLAGS] |= FLAG_AF;
    pulse_irq(s);
    arm_alarm(s);
}

/* Watchdog: multiplier (bits 2-6) x resolution (bits 0-1: 1/16, 1/4, 1, 4 s). */
static void arm_watchdog(m48t59 *s)
{
    uint8_t v = s->mem[R_WATCHDOG];
    unsigned mult = (v >> 2) & 0x1f;
    emu_timer_cancel(s->watchdog_timer);
    if (!mult)
        return;
    uint64_t sixteenths = (uint64_t)mult << (2 * (v & 3));
    emu_timer_arm(s->watchdog_timer,
                  emu_clock_ns(s->dev.machine) + sixteenths * (RTC_NS_PER_SEC / 16));
}

static void watchdog_fire(void *opaque)
{
    m48t59 *s = opaque;
    s->mem[R_FLAGS] |= FLAG_WDF;
    if (s->mem[R_WATCHDOG] & 0x80) {
        s->mem[R_WATCHDOG] = 0;
        emu_line_set(s->reset_out, 1);
        emu_line_set(s->reset_out, 0);
    } else {
        pulse_irq(s);
    }
}

/* ---- the SRAM ---- */

static void persist(m48t59 *s, unsigned addr)
{
    if (!s->image || addr >= R_FLAGS)
        return;
    if (emu_block_write(s->image, addr, &s->mem[addr], 1) < 0 && !s->image_failed_logged) {
        emu_log(&s->dev, EMU_LOG_WARN, "cannot write the NVRAM image '%s'; changes stay in memory",
                emu_block_name(s->image));
        s->image_failed_logged = true;
    }
}

static uint8_t chip_read(m48t59 *s, unsigned addr)
{
    if (addr >= NVRAM_SIZE)
        return 0xff;
    if (addr >= R_SEC && addr <= R_YEAR && !held(s))
        regs_from_clock(s);
    uint8_t v = s->mem[addr];
    if (addr == R_FLAGS)
        s->mem[R_FLAGS] &= (uint8_t)~(FLAG_AF | FLAG_WDF);   /* flags clear when read */
    if (addr == R_WATCHDOG)
        arm_watchdog(s);   /* reading restarts the watchdog too */
    return v;
}

static void chip_write(m48t59 *s, unsigned addr, uint8_t v)
{
    if (addr >= NVRAM_SIZE) {
        emu_log(&s->dev, EMU_LOG_GUEST, "write of 0x%02x beyond the 8 KiB at 0x%x ignored", v, addr);
        return;
    }
    switch (addr) {
    case R_FLAGS:
        return;   /* read-only */
    case R_WATCHDOG:
        s->mem[addr] = v;
        arm_watchdog(s);
        return;
    case R_ALARM_SEC: case R_ALARM_MIN: case R_ALARM_HOUR: case R_ALARM_DATE: case R_INTR:
        s->mem[addr] = v;
        arm_alarm(s);
        return;
    case R_CONTROL: {
        bool was_w = s->mem[R_CONTROL] & CTL_W;
        if ((v & (CTL_W | CTL_R)) && !held(s))
            regs_from_clock(s);
        s->mem[R_CONTROL] = v;
        if (was_w && !(v & CTL_W)) {
            clock_from_regs(s);
            arm_alarm(s);
        }
        return;
    }
    case R_SEC:
        if ((v ^ s->mem[R_SEC]) & SEC_ST) {
            if (!held(s))
                regs_from_clock(s);
            if (v & SEC_ST)
                rtc_clock_stop(&s->clock);
            else
                rtc_clock_start(&s->clock);
        }
        /* fall through */
    case R_MIN: case R_HOUR: case R_DAY: case R_DATE: case R_MONTH: case R_YEAR:
        if (!held(s))
            regs_from_clock(s);
        s->mem[addr] = v;
        if (!held(s)) {
            clock_from_regs(s);   /* without W, a write sets that field at once (as QEMU) */
            arm_alarm(s);
        }
        return;
    default:
        s->mem[addr] = v;
        persist(s, addr);
    }
}

static uint64_t io_read(void *opaque, uint64_t off, unsigned size)
{
    m48t59 *s = opaque;
    (void)size;
    return off == 3 ? chip_read(s, s->addr) : 0xff;
}

static void io_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    m48t59 *s = opaque;
    (void)size;
    switch (off) {
    case 0:
        s->addr = (uint16_t)((s->addr & 0xff00) | (value & 0xff));
        break;
    case 1:
        s->addr = (uint16_t)((s->addr & 0x00ff) | (value & 0xff) << 8);
        break;
    case 3:
        chip_write(s, s->addr, (uint8_t)value);
        s->addr = 0;   /* as QEMU: the latch clears after a data write */
        break;
    default:
        break;
    }
}

static const emu_mmio_ops io_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = io_read, .write = io_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 4,
    .impl_min = 1, .impl_max = 1,
};

static uint64_t mem_read(void *opaque, uint64_t off, unsigned size)
{
    (void)size;
    return chip_read(opaque, (unsigned)off);
}

static void mem_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)size;
    chip_write(opaque, (unsigned)off, (uint8_t)value);
}

static const emu_mmio_ops mem_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = mem_read, .write = mem_write,
    .endian = EMU_BIG_ENDIAN,
    .valid_min = 1, .valid_max = 4,
    .impl_min = 1, .impl_max = 1,
};

/* ---- board interface ---- */

static uint64_t nv_size(emu_device *dev)
{
    (void)dev;
    return NVRAM_SIZE;
}

static int nv_read(emu_device *dev, uint64_t off, void *buf, size_t len)
{
    m48t59 *s = (m48t59 *)dev;
    if (off > NVRAM_SIZE || len > NVRAM_SIZE - off)
        return -1;
    memcpy(buf, s->mem + off, len);
    return 0;
}

static int nv_write(emu_device *dev, uint64_t off, const void *buf, size_t len)
{
    m48t59 *s = (m48t59 *)dev;
    if (off > NVRAM_SIZE || len > NVRAM_SIZE - off)
        return -1;
    memcpy(s->mem + off, buf, len);
    for (size_t i = 0; i < len; i++)
        persist(s, (unsigned)(off + i));
    return 0;
}

static const emu_nvram_ops nv_ops = { sizeof(emu_nvram_ops), nv_size, nv_read, nv_write };
static const emu_iface m48t59_ifaces[] = { { EMU_NVRAM_IFACE, &nv_ops }, { NULL, NULL } };

/* ---- lifecycle ---- */

static int m48t59_realize(emu_device *dev, emu_error **err)
{
    m48t59 *s = (m48t59 *)dev;
    if (rtc_clock_init(&s->clock, dev->machine, s->start, "start-time", err) < 0)
        return -1;
    if (s->image) {
        if (emu_block_size(s->image) != NVRAM_SIZE) {
            emu_error_set(err, "image: '%s' has %" PRIu64 " bytes; an M48T59 image has %u",
                          emu_block_name(s->image), emu_block_size(s->image), NVRAM_SIZE);
            return -1;
        }
        if (emu_block_read(s->image, 0, s->mem, R_FLAGS) < 0) {
            emu_error_set(err, "image: cannot read '%s'", emu_block_name(s->image));
            return -1;
        }
    }
    regs_from_clock(s);
    s->irq = emu_device_output(dev, "irq", 0);
    s->reset_out = emu_device_output(dev, "reset", 0);
    s->alarm_timer = emu_timer_new(dev->machine, alarm_fire, s);
    s->watchdog_timer = emu_timer_new(dev->machine, watchdog_fire, s);
    if (!emu_device_mmio(dev, "io", 4, &io_ops, s) ||
        !emu_device_mmio(dev, "mem", NVRAM_SIZE, &mem_ops, s)) {
        emu_error_set(err, "cannot create the NVRAM's regions");
        return -1;
    }
    return 0;
}

static void m48t59_reset(emu_device *dev)
{
    m48t59 *s = (m48t59 *)dev;
    s->addr = 0;
    emu_timer_cancel(s->watchdog_timer);
    s->mem[R_WATCHDOG] = 0;
    arm_alarm(s);
}

static void m48t59_destroy(emu_device *dev)
{
    m48t59 *s = (m48t59 *)dev;
    if (s->alarm_timer)
        emu_timer_free(s->alarm_timer);
    if (s->watchdog_timer)
        emu_timer_free(s->watchdog_timer);
}

/* ---- snapshots ---- */

#define CALENDAR_LIMIT (INT64_C(1) << 62)   /* ns either side of 1970 a saved calendar may be */

static int m48t59_save(emu_device *dev, emu_state_writer *w)
{
    m48t59 *s = (m48t59 *)dev;
    emu_state_put_bytes(w, "sram", s->mem, sizeof s->mem);
    emu_state_put_u64(w, "address", s->addr);
    emu_state_put_u64(w, "calendar-ns", (uint64_t)rtc_clock_ns(&s->clock));
    emu_state_put_u64(w, "clock-stopped", s->clock.stopped);
    emu_state_put_u64(w, "watchdog-ns-left", state_timer_left(dev, s->watchdog_timer));
    return 0;
}

static int m48t59_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    m48t59 *s = (m48t59 *)dev;
    uint8_t *mem = malloc(NVRAM_SIZE);
    uint64_t addr, cal, stopped, left;
    if (!mem) {
        emu_error_set(err, "out of memory");
        return -1;
    }
    if (state_get_bytes(r, dev, "sram", mem, NVRAM_SIZE, err) < 0 ||
        state_get(r, dev, "address", UINT16_MAX, &addr, err) < 0 ||
        state_get(r, dev, "calendar-ns", UINT64_MAX, &cal, err) < 0 ||
        state_get(r, dev, "clock-stopped", 1, &stopped, err) < 0 ||
        state_get(r, dev, "watchdog-ns-left", UINT64_MAX, &left, err) < 0)
        goto refused;
    if ((int64_t)cal >= CALENDAR_LIMIT || (int64_t)cal <= -CALENDAR_LIMIT) {
        emu_error_set(err, "m48t59 state: calendar-ns is out of range");
        goto refused;
    }
    /* The longest watchdog period is 31 x 4 s; none runs while the multiplier is 0. */
    unsigned mult = (mem[R_WATCHDOG] >> 2) & 0x1f;
    uint64_t longest = ((uint64_t)mult << (2 * (mem[R_WATCHDOG] & 3))) * (RTC_NS_PER_SEC / 16);
    if (left > longest) {
        emu_error_set(err, "m48t59 state: watchdog-ns-left exceeds the period the watchdog "
                      "register 0x%02x sets", mem[R_WATCHDOG]);
        goto refused;
    }
    /* Bytes that change reach the image too, as a guest write would. */
    for (unsigned i = 0; i < NVRAM_SIZE; i++)
        if (s->mem[i] != mem[i]) {
            s->mem[i] = mem[i];
            persist(s, i);
        }
    free(mem);
    s->addr = (uint16_t)addr;
    s->clock.base_ns = (int64_t)cal;
    s->clock.at = emu_clock_ns(dev->machine);
    s->clock.stopped = stopped != 0;
    emu_timer_cancel(s->watchdog_timer);
    if (left)
        emu_timer_arm(s->watchdog_timer, emu_clock_ns(dev->machine) + left);
    arm_alarm(s);
    return 0;
refused:
    free(mem);
    return -1;
}

static const emu_type m48t59_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "m48t59",
    .summary = "M48T59 8 KiB NVRAM with clock, alarm and watchdog",
    .instance_size = sizeof(m48t59),
    .props = m48t59_props,
    .regions = m48t59_regions,
    .outputs = m48t59_outputs,
    .realize = m48t59_realize,
    .reset = m48t59_reset,
    .destroy = m48t59_destroy,
    .save = m48t59_save,
    .load = m48t59_load,
    .kind_ops = m48t59_ifaces,
};

static const emu_type *const m48t59_types[] = { &m48t59_type, NULL };

EMU_PLUGIN(m48t59) = {
    EMU_PLUGIN_HEADER, "m48t59", "1.0", "M48T59 NVRAM and clock", m48t59_types,
};
