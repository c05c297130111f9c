/* The virtual clock: deterministic time that follows executed instructions, or real time
 * that follows the host's monotonic clock; never goes backwards. */
#include <stdlib.h>
#include <time.h>
#include "clock-private.h"

static uint64_t host_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int emu_clock_init(emu_machine *m, emu_error **err)
{
    (void)err;
    struct emu_clock *c = emu_xcalloc(1, sizeof *c);
    c->m = m;
    c->ns_per_insn = 1;
    m->clock = c;
    return 0;
}

void emu_clock_fini(emu_machine *m)
{
    struct emu_clock *c = m->clock;
    if (!c)
        return;
    emu_timers_free_all(c);
    free(c->heap);
    free(c);
    m->clock = NULL;
}

/* Raw reading before the never-backwards clamp. */
static uint64_t clock_now(struct emu_clock *c)
{
    if (c->realtime)
        return host_monotonic_ns() - c->host_offset;
    uint64_t t = c->base_ns;
    if (c->insn_fn)
        t += c->insn_fn(c->insn_opaque) * c->ns_per_insn;
    return t;
}

uint64_t emu_clock_ns(emu_machine *m)
{
    struct emu_clock *c = m->clock;
    uint64_t t = clock_now(c);
    if (t > c->high_ns)
        c->high_ns = t;
    return c->high_ns;
}

void emu_clock_advance_to(emu_machine *m, uint64_t ns)
{
    struct emu_clock *c = m->clock;
    if (ns > c->high_ns)
        c->high_ns = ns;
    c->base_ns = c->high_ns;
}

void emu_clock_restore(emu_machine *m, uint64_t ns)
{
    struct emu_clock *c = m->clock;
    if (ns <= emu_clock_ns(m))
        return;
    if (c->realtime)
        c->host_offset = host_monotonic_ns() - ns;
    emu_clock_advance_to(m, ns);
}

void emu_clock_set_ns_per_insn(emu_machine *m, uint64_t ns)
{
    m->clock->ns_per_insn = ns ? ns : 1;
}

uint64_t emu_clock_ns_per_insn(emu_machine *m)
{
    return m->clock->ns_per_insn;
}

void emu_clock_set_realtime(emu_machine *m, bool on)
{
    struct emu_clock *c = m->clock;
    if (c->realtime == on)
        return;
    /* Continue from the current virtual time in the new mode. */
    uint64_t now = emu_clock_ns(m);
    c->realtime = on;
    m->realtime = on;
    if (on)
        c->host_offset = host_monotonic_ns() - now;
    else
        c->base_ns = now;
}

bool emu_clock_is_realtime(emu_machine *m)
{
    return m->clock->realtime;
}

uint64_t emu_clock_host_ns(emu_machine *m)
{
    struct emu_clock *c = m->clock;
    if (!c->realtime)
        return emu_clock_ns(m);
    uint64_t t = host_monotonic_ns() - c->host_offset;
    return t > c->high_ns ? t : c->high_ns;
}

void emu_clock_set_insn_source(emu_machine *m, emu_clock_insn_fn fn, void *opaque)
{
    struct emu_clock *c = m->clock;
    /* Fold what the old source counted into the base before switching. */
    c->base_ns = emu_clock_ns(m);
    c->insn_fn = fn;
    c->insn_opaque = opaque;
}
