/* Unit tests of the virtual clock and timers: order, ties, re-arming and freeing from
 * callbacks, cancel, deterministic time, real-time monotonicity. */
#include "clock/clock.h"
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

    /* timers left armed are freed with the machine */
    emu_timer_arm(ta, UINT64_MAX - 1);
    emu_timer_free(tk);
    emu_machine_free(m);
    return tap_done();
}
