/* A calendar clock for RTC chips, following the machine's virtual clock (see rtc-clock.h). */
#include <stdio.h>
#include <string.h>
#include "rtc-clock.h"

int rtc_clock_init(rtc_clock *c, emu_machine *m, const char *start, const char *prop,
                   emu_error **err)
{
    c->m = m;
    c->at = emu_clock_ns(m);
    c->stopped = false;
    if (!strcmp(start, "host")) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        c->base_ns = (int64_t)ts.tv_sec * RTC_NS_PER_SEC;
        return 0;
    }
    struct tm tm = { 0 };
    char extra;
    if (sscanf(start, "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &extra) != 6 || tm.tm_year < 1970 ||
        tm.tm_year > 2199 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
        tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59) {
        emu_error_set(err, "%s: '%s' is neither 'host' nor a UTC time like 2000-01-01T00:00:00 "
                      "(years 1970..2199)", prop, start);
        return -1;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    c->base_ns = rtc_from_tm(&tm) * RTC_NS_PER_SEC;
    return 0;
}

int64_t rtc_clock_ns(const rtc_clock *c)
{
    if (c->stopped)
        return c->base_ns;
    return c->base_ns + (int64_t)(emu_clock_ns(c->m) - c->at);
}

uint64_t rtc_clock_when(const rtc_clock *c, int64_t cal_ns)
{
    int64_t now = rtc_clock_ns(c);
    uint64_t vnow = emu_clock_ns(c->m);
    return cal_ns <= now ? vnow : vnow + (uint64_t)(cal_ns - now);
}

void rtc_clock_set(rtc_clock *c, int64_t cal_ns)
{
    c->base_ns = cal_ns;
    c->at = emu_clock_ns(c->m);
}

void rtc_clock_stop(rtc_clock *c)
{
    if (!c->stopped) {
        c->base_ns = rtc_clock_ns(c);
        c->stopped = true;
    }
}

void rtc_clock_start(rtc_clock *c)
{
    if (c->stopped) {
        c->stopped = false;
        c->at = emu_clock_ns(c->m);
    }
}

void rtc_to_tm(int64_t sec, struct tm *tm)
{
    time_t t = (time_t)sec;
    gmtime_r(&t, tm);
}

int64_t rtc_from_tm(const struct tm *tm)
{
    struct tm copy = *tm;
    return (int64_t)timegm(&copy);
}
