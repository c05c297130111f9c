/* Timers: a binary min-heap on (deadline, arming order), fired in order by the run loop. */
#include <stdlib.h>
#include "clock-private.h"
#include "exec/exec.h"

/* Most timers one emu_clock_run_due call fires: a timer that keeps re-arming
   itself for "now" must not hang the host; the rest fire on the next call. */
#define MAX_FIRES_PER_CALL 1000000u

static bool before(const emu_timer *a, const emu_timer *b)
{
    return a->deadline < b->deadline || (a->deadline == b->deadline && a->seq < b->seq);
}

static void heap_set(struct emu_clock *c, size_t i, emu_timer *t)
{
    c->heap[i] = t;
    t->heap_index = i;
}

static void sift_up(struct emu_clock *c, size_t i)
{
    emu_timer *t = c->heap[i];
    while (i > 0 && before(t, c->heap[(i - 1) / 2])) {
        heap_set(c, i, c->heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(c, i, t);
}

static void sift_down(struct emu_clock *c, size_t i)
{
    emu_timer *t = c->heap[i];
    for (;;) {
        size_t k = 2 * i + 1;
        if (k >= c->nheap)
            break;
        if (k + 1 < c->nheap && before(c->heap[k + 1], c->heap[k]))
            k++;
        if (!before(c->heap[k], t))
            break;
        heap_set(c, i, c->heap[k]);
        i = k;
    }
    heap_set(c, i, t);
}

static void heap_remove(struct emu_clock *c, emu_timer *t)
{
    size_t i = t->heap_index;
    t->heap_index = NOT_ARMED;
    emu_timer *last = c->heap[--c->nheap];
    if (i == c->nheap)
        return;
    heap_set(c, i, last);
    sift_up(c, i);
    sift_down(c, last->heap_index);
}

emu_timer *emu_timer_new(emu_machine *m, emu_timer_fn fn, void *opaque)
{
    struct emu_clock *c = m->clock;
    emu_timer *t = emu_xcalloc(1, sizeof *t);
    t->clock = c;
    t->fn = fn;
    t->opaque = opaque;
    t->heap_index = NOT_ARMED;
    t->next = c->timers;
    if (c->timers)
        c->timers->prev = t;
    c->timers = t;
    return t;
}

void emu_timer_arm(emu_timer *t, uint64_t deadline_ns)
{
    struct emu_clock *c = t->clock;
    uint64_t earliest = c->nheap ? c->heap[0]->deadline : UINT64_MAX;
    if (t->heap_index != NOT_ARMED)
        heap_remove(c, t);
    t->deadline = deadline_ns;
    t->seq = ++c->arm_seq;
    emu_grow((void **)&c->heap, &c->heap_cap, c->nheap + 1, sizeof *c->heap);
    c->heap[c->nheap++] = t;
    sift_up(c, c->nheap - 1);
    /* A CPU running a slice that ends at the old earliest deadline must stop sooner. */
    if (deadline_ns < earliest)
        emu_exec_kick(c->m);
}

void emu_timer_cancel(emu_timer *t)
{
    if (t && t->heap_index != NOT_ARMED)
        heap_remove(t->clock, t);
}

bool emu_timer_pending(const emu_timer *t)
{
    return t && t->heap_index != NOT_ARMED;
}

uint64_t emu_timer_deadline(const emu_timer *t)
{
    return t ? t->deadline : UINT64_MAX;
}

void emu_timer_free(emu_timer *t)
{
    if (!t)
        return;
    struct emu_clock *c = t->clock;
    emu_timer_cancel(t);
    if (t->prev)
        t->prev->next = t->next;
    else
        c->timers = t->next;
    if (t->next)
        t->next->prev = t->prev;
    free(t);
}

void emu_timers_free_all(struct emu_clock *c)
{
    while (c->timers)
        emu_timer_free(c->timers);
}

uint64_t emu_clock_next_deadline(emu_machine *m)
{
    struct emu_clock *c = m->clock;
    return c->nheap ? c->heap[0]->deadline : UINT64_MAX;
}

void emu_clock_run_due(emu_machine *m)
{
    struct emu_clock *c = m->clock;
    uint64_t now = emu_clock_ns(m);
    for (unsigned fired = 0; c->nheap && c->heap[0]->deadline <= now; fired++) {
        if (fired == MAX_FIRES_PER_CALL) {
            if (!c->warned_runaway)
                emu_log(NULL, EMU_LOG_WARN, "timers keep re-arming for the current time (%u fired "
                        "at %llu ns); the rest fire later", fired, (unsigned long long)now);
            c->warned_runaway = true;
            return;
        }
        emu_timer *t = c->heap[0];
        heap_remove(c, t);
        /* t may be freed, re-armed or cancel others from here on. */
        t->fn(t->opaque);
    }
}
