/* Unit tests of the virtual clock and timers: order, ties, re-arming and freeing from
 * callbacks, cancel, deterministic time, real-time monotonicity. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include "clock/clock.h"
#include "log.h"
#include "machine.h"
#include "../tap.h"

static char fired[64];
static size_t nfired;

typedef struct tinfo {
    char name;
    emu_machine *m;
    emu_timer *self, *other;
    uint64_t period;
    int remaining;
} tinfo;

static void record(void *opaque)
{
    tinfo *t = opaque;
    if (nfired < sizeof fired - 1)
        fired[nfired++] = t->name;
    fired[nfired] = 0;
}

static void reset_log(void)
{
    nfired = 0;
    fired[0] = 0;
}

static void periodic(void *opaque)
{
    tinfo *t = opaque;
    record(t);
    if (--t->remaining > 0)
        emu_timer_arm(t->self, emu_timer_deadline(t->self) + t->period);
}

static void arms_other_now(void *opaque)
{
    tinfo *t = opaque;
    record(t);
    emu_timer_arm(t->other, emu_clock_ns(t->m));
}

static void cancels_other(void *opaque)
{
    tinfo *t = opaque;
    record(t);
    emu_timer_cancel(t->other);
}

static void frees_self(void *opaque)
{
    tinfo *t = opaque;
    record(t);
    emu_timer_free(t->self);
    t->self = NULL;
}

static uint64_t executed;
static uint64_t insn_source(void *opaque)
{
    (void)opaque;
    return executed;
}


/* ---- a scenario run twice on fresh machines must fire identically ---- */

typedef struct scen {
    emu_machine *m;
    emu_timer *t[40];
    uint64_t state;             /* pseudo-random, seeded the same each run */
    char log[4096];
    size_t n;
    unsigned fires;
} scen;

typedef struct scen_timer {
    scen *s;
    unsigned id;
} scen_timer;

static uint64_t next_rand(scen *s)
{
    s->state = s->state * 6364136223846793005ull + 1442695040888963407ull;
    return s->state >> 33;
}

/* Each firing logs (time, id), then re-arms, arms or cancels timers chosen pseudo-randomly. */
static void scen_fire(void *opaque)
{
    scen_timer *st = opaque;
    scen *s = st->s;
    uint64_t now = emu_clock_ns(s->m);
    if (s->n < sizeof s->log - 32)
        s->n += (size_t)snprintf(s->log + s->n, sizeof s->log - s->n, "%llu:%u ",
                                 (unsigned long long)now, st->id);
    if (++s->fires > 300)
        return;
    uint64_t r = next_rand(s);
    emu_timer_arm(s->t[r % 40], now + (r >> 8) % 50);          /* 0: fires in this same call */
    emu_timer_arm(s->t[(r >> 12) % 40], now + 1 + (r >> 16) % 300);
    if (r & 0x100000)
        emu_timer_cancel(s->t[(r >> 4) % 40]);
}

static void run_scenario(scen *s, scen_timer *ids)
{
    s->m = emu_machine_new("scenario", NULL);
    s->state = 42;
    s->n = 0;
    s->fires = 0;
    for (unsigned i = 0; i < 40; i++) {
        ids[i] = (scen_timer){ s, i };
        s->t[i] = emu_timer_new(s->m, scen_fire, &ids[i]);
    }
    for (unsigned i = 0; i < 40; i++)
        emu_timer_arm(s->t[(i * 7) % 40], 100 + (i % 4) * 10);   /* many ties */
    for (uint64_t now = 0; now <= 2000; now += 37) {
        emu_clock_advance_to(s->m, now);
        emu_clock_run_due(s->m);
    }
    emu_machine_free(s->m);
}

static unsigned self_fires;
static void rearm_now(void *opaque)
{
    tinfo *t = opaque;
    self_fires++;
    emu_timer_arm(t->self, emu_clock_ns(t->m));
}

static void rearm_past_then_cancel(void *opaque)
{
    tinfo *t = opaque;
    record(t);
    if (--t->remaining > 0) {
        emu_timer_arm(t->self, 1);              /* long past: due at once */
    } else {
        emu_timer_arm(t->self, emu_clock_ns(t->m) + 10);
        emu_timer_cancel(t->self);              /* cancelled from its own callback */
    }
}

static void clock_edges(emu_machine *m)
{
    /* Equal deadlines: arming order, whatever the heap does with 32 of them. */
    static tinfo many[32];
    emu_timer *mt[32];
    reset_log();
    for (int i = 0; i < 32; i++) {
        many[i] = (tinfo){ .name = (char)('A' + (i * 11) % 32), .m = m };
        mt[i] = emu_timer_new(m, record, &many[i]);
    }
    uint64_t at = emu_clock_ns(m) + 50;
    for (int i = 0; i < 32; i++)
        emu_timer_arm(mt[i], at);
    char want[33];
    for (int i = 0; i < 32; i++)
        want[i] = (char)('A' + (i * 11) % 32);
    want[32] = 0;
    emu_clock_advance_to(m, at);
    emu_clock_run_due(m);
    is_str(fired, want, "32 timers with one deadline fire in arming order");
    for (int i = 0; i < 32; i++)
        emu_timer_free(mt[i]);

    /* Re-armed into the past from its own callback, then cancelled from it. */
    reset_log();
    tinfo r = { .name = 'r', .m = m, .remaining = 3 };
    r.self = emu_timer_new(m, rearm_past_then_cancel, &r);
    emu_timer_arm(r.self, emu_clock_ns(m));
    emu_clock_run_due(m);
    is_str(fired, "rrr", "a deadline already past fires at once, in the same call");
    ok(!emu_timer_pending(r.self), "a timer cancelled inside its own callback stays cancelled");
    emu_timer_free(r.self);

    /* A timer that re-arms itself for now forever: the call still returns. */
    tinfo h = { .name = 'h', .m = m };
    h.self = emu_timer_new(m, rearm_now, &h);
    emu_timer_arm(h.self, emu_clock_ns(m));
    self_fires = 0;
    char *logtext = NULL;
    size_t loglen = 0;
    FILE *logf = open_memstream(&logtext, &loglen);
    emu_log_set_file(logf);
    emu_clock_run_due(m);
    emu_log_set_file(NULL);
    fclose(logf);
    ok(self_fires >= 1000 && emu_timer_pending(h.self),
       "a timer re-arming itself for now cannot hang the run loop (%u fired, then it returned)", self_fires);
    has_str(logtext, "timers keep re-arming for the current time", "and says so");
    free(logtext);
    emu_timer_free(h.self);

    /* Deadlines at the very end of time. */
    reset_log();
    tinfo e = { .name = 'e', .m = m }, g = { .name = 'g', .m = m };
    emu_timer *te = emu_timer_new(m, record, &e), *tg = emu_timer_new(m, record, &g);
    emu_timer_arm(te, UINT64_MAX - 1);
    emu_timer_arm(tg, UINT64_MAX);
    is_u64(emu_clock_next_deadline(m), UINT64_MAX - 1, "a deadline at 2^64 - 2 is the next one");
    ok(emu_timer_pending(tg) && emu_timer_deadline(tg) == UINT64_MAX, "one at 2^64 - 1 is armed");
    emu_clock_advance_to(m, UINT64_MAX - 1);
    emu_clock_run_due(m);
    is_str(fired, "e", "virtual time reaches 2^64 - 2 and fires it, no wrap-around");
    is_u64(emu_clock_ns(m), UINT64_MAX - 1, "time stands at 2^64 - 2");
    emu_timer_free(te);
    emu_timer_free(tg);
}

int main(void)
{
    emu_machine *m = emu_machine_new("clock", NULL);
    ok(m != NULL, "machine created");
    if (!m)
        return tap_done();

    is_u64(emu_clock_ns(m), 0, "time starts at 0");
    is_u64(emu_clock_next_deadline(m), UINT64_MAX, "no deadline without timers");

    /* deadline order */
    tinfo a = { .name = 'a', .m = m }, b = { .name = 'b', .m = m }, c = { .name = 'c', .m = m };
    emu_timer *ta = emu_timer_new(m, record, &a), *tb = emu_timer_new(m, record, &b),
              *tc = emu_timer_new(m, record, &c);
    emu_timer_arm(ta, 300);
    emu_timer_arm(tb, 100);
    emu_timer_arm(tc, 200);
    is_u64(emu_clock_next_deadline(m), 100, "next deadline is the earliest");
    ok(emu_timer_pending(ta) && emu_timer_deadline(ta) == 300, "armed timer pending with its deadline");
    emu_clock_advance_to(m, 250);
    emu_clock_run_due(m);
    is_str(fired, "bc", "only due timers fire, in deadline order");
    ok(!emu_timer_pending(tb), "fired timer no longer pending");
    emu_clock_advance_to(m, 1000);
    emu_clock_run_due(m);
    is_str(fired, "bca", "the rest fires later");

    /* ties fire in arming order; re-arming moves a timer behind */
    reset_log();
    emu_timer_arm(ta, 2000);
    emu_timer_arm(tb, 2000);
    emu_timer_arm(tc, 2000);
    emu_timer_arm(ta, 2000);
    emu_clock_advance_to(m, 2000);
    emu_clock_run_due(m);
    is_str(fired, "bca", "equal deadlines fire in arming order");

    /* cancel */
    reset_log();
    emu_timer_arm(ta, 2500);
    emu_timer_cancel(ta);
    ok(!emu_timer_pending(ta), "cancelled timer not pending");
    emu_clock_advance_to(m, 3000);
    emu_clock_run_due(m);
    is_str(fired, "", "cancelled timer does not fire");

    /* a periodic timer re-arms itself inside its callback: all due periods fire in one call */
    reset_log();
    tinfo p = { .name = 'p', .m = m, .period = 100, .remaining = 20 };
    p.self = emu_timer_new(m, periodic, &p);
    emu_timer_arm(p.self, 3100);
    emu_clock_advance_to(m, 3500);
    emu_clock_run_due(m);
    is_str(fired, "ppppp", "re-armed timer fires each due period in the same call");
    is_u64(emu_timer_deadline(p.self), 3600, "and waits for the next one");

    /* a callback arms another timer for now, or cancels one due now */
    reset_log();
    emu_timer_cancel(p.self);
    tinfo x = { .name = 'x', .m = m }, y = { .name = 'y', .m = m }, z = { .name = 'z', .m = m };
    emu_timer *ty = emu_timer_new(m, record, &y), *tz = emu_timer_new(m, record, &z);
    x.other = ty;
    emu_timer *tx = emu_timer_new(m, arms_other_now, &x);
    emu_timer_arm(tx, 3500);
    emu_clock_run_due(m);
    is_str(fired, "xy", "timer armed for now by a callback fires in the same call");
    reset_log();
    tinfo k = { .name = 'k', .m = m, .other = tz };
    emu_timer *tk = emu_timer_new(m, cancels_other, &k);
    emu_timer_arm(tk, 4000);
    emu_timer_arm(tz, 4000);
    emu_clock_advance_to(m, 4000);
    emu_clock_run_due(m);
    is_str(fired, "k", "a timer cancelled by an earlier callback does not fire");

    /* free from its own callback; free of an armed timer cancels it */
    reset_log();
    tinfo f = { .name = 'f', .m = m };
    f.self = emu_timer_new(m, frees_self, &f);
    emu_timer_arm(f.self, 4100);
    emu_timer_arm(tc, 4100);
    emu_timer_arm(tb, 4200);
    emu_timer_free(tb);
    emu_clock_advance_to(m, 5000);
    emu_clock_run_due(m);
    is_str(fired, "fc", "timer freed in its callback; freed armed timer never fires");
    ok(f.self == NULL, "self-freeing callback ran");

    /* deterministic time: only advance moves it, never backwards, in-slice count */
    emu_clock_advance_to(m, 100);
    is_u64(emu_clock_ns(m), 5000, "advance never goes backwards");
    emu_clock_set_ns_per_insn(m, 3);
    is_u64(emu_clock_ns_per_insn(m), 3, "ns per instruction set");
    emu_clock_set_insn_source(m, insn_source, NULL);
    executed = 10;
    is_u64(emu_clock_ns(m), 5030, "time inside a slice counts executed instructions");
    executed = 0;
    emu_clock_advance_to(m, 5030);
    is_u64(emu_clock_ns(m), 5030, "the run loop's advance matches");
    emu_clock_set_insn_source(m, NULL, NULL);
    is_u64(emu_clock_ns(m), 5030, "time stands still without execution");

    /* real time: continues from the virtual time and never goes back */
    emu_clock_advance_to(m, 7000000000ull);
    emu_clock_set_realtime(m, true);
    ok(emu_clock_is_realtime(m) && m->realtime, "real-time mode on");
    uint64_t t0 = emu_clock_ns(m), prev = t0;
    bool mono = true;
    for (int i = 0; i < 10000; i++) {
        uint64_t t = emu_clock_ns(m);
        if (t < prev)
            mono = false;
        prev = t;
    }
    ok(t0 >= 7000000000ull && t0 < 8000000000ull, "real time continues from the virtual time");
    ok(mono && prev >= t0, "real time is monotonic");
    ok(emu_clock_host_ns(m) >= prev, "host time as virtual time is not behind");
    emu_clock_set_realtime(m, false);
    uint64_t t1 = emu_clock_ns(m);
    ok(t1 >= prev && emu_clock_ns(m) == t1, "back to deterministic: time holds");

    /* the same scenario on two fresh machines: the same firings at the same times */
    static scen s1, s2;
    static scen_timer ids1[40], ids2[40];
    run_scenario(&s1, ids1);
    run_scenario(&s2, ids2);
    ok(s1.fires > 200, "the scenario fired %u timers (ties, re-arms for now, cancels)", s1.fires);
    ok(s1.n == s2.n && !memcmp(s1.log, s2.log, s1.n), "deterministic mode: a second run fires identically");

    /* real time: a timer armed 3 ms ahead is due once 3 ms of host time have passed */
    emu_machine *rt = emu_machine_new("realtime", NULL);
    emu_clock_set_realtime(rt, true);
    tinfo w = { .name = 'w', .m = rt };
    emu_timer *tw = emu_timer_new(rt, record, &w);
    reset_log();
    uint64_t start = emu_clock_ns(rt);
    emu_timer_arm(tw, start + 3000000);
    emu_clock_run_due(rt);
    is_str(fired, "", "real time: not due at once");
    struct timespec nap = { 0, 4000000 };
    nanosleep(&nap, NULL);
    emu_clock_advance_to(rt, emu_clock_host_ns(rt));
    emu_clock_run_due(rt);
    is_str(fired, "w", "due after 4 ms of host time");
    ok(emu_clock_ns(rt) - start >= 4000000 && emu_clock_ns(rt) - start < 2000000000ull,
       "virtual time followed the host clock");
    emu_machine_free(rt);

    clock_edges(m);

    /* timers left armed are freed with the machine */
    emu_timer_arm(ta, UINT64_MAX - 1);
    emu_timer_free(tk);
    emu_machine_free(m);
    return tap_done();
}
