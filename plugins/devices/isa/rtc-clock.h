/* A calendar clock for RTC chips: seconds since 1970 (UTC) that advance with the machine's
 * virtual clock, can be stopped and set, and BCD helpers.  Linked into each RTC plugin. */
#ifndef EMU_PLUGINS_RTC_CLOCK_H
#define EMU_PLUGINS_RTC_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "emu/emu.h"

#define RTC_NS_PER_SEC 1000000000ll

typedef struct rtc_clock {
    emu_machine *m;
    int64_t base_ns;       /* calendar time (ns since 1970) at virtual time `at` */
    uint64_t at;
    bool stopped;          /* then the calendar stays at base_ns */
} rtc_clock;

/* Start at `start`: "host" (the host's UTC time now) or "YYYY-MM-DDTHH:MM:SS" (UTC).
   -1 with a message naming the property on a bad value. */
int rtc_clock_init(rtc_clock *c, emu_machine *m, const char *start, const char *prop,
                   emu_error **err);
int64_t rtc_clock_ns(const rtc_clock *c);
/* Virtual time at which the calendar will reach `cal_ns` (running clock; never in the past). */
uint64_t rtc_clock_when(const rtc_clock *c, int64_t cal_ns);
void rtc_clock_set(rtc_clock *c, int64_t cal_ns);
void rtc_clock_stop(rtc_clock *c);
void rtc_clock_start(rtc_clock *c);

/* Broken-down UTC time of a calendar second, and back. */
void rtc_to_tm(int64_t sec, struct tm *tm);
int64_t rtc_from_tm(const struct tm *tm);

static inline unsigned rtc_to_bcd(unsigned v)
{
    return ((v / 10) % 10) << 4 | v % 10;
}
/* -1 when either digit is not 0-9. */
static inline int rtc_from_bcd(unsigned v)
{
    if ((v & 0x0f) > 9 || (v >> 4) > 9)
        return -1;
    return (int)((v >> 4) * 10 + (v & 0x0f));
}

#endif
