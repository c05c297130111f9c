/* State of the virtual clock and its timers, shared by the files of core/clock/. */
#ifndef EMU_CORE_CLOCK_PRIVATE_H
#define EMU_CORE_CLOCK_PRIVATE_H

#include "clock.h"

struct emu_timer {
    struct emu_clock *clock;
    emu_timer_fn fn;
    void *opaque;
    uint64_t deadline;
    uint64_t seq;               /* arming order: ties fire in the order they were armed */
    size_t heap_index;          /* position in the heap, or NOT_ARMED */
    emu_timer *prev, *next;     /* every timer of the clock, freed at fini */
};

#define NOT_ARMED SIZE_MAX

struct emu_clock {
    emu_machine *m;
    uint64_t base_ns;           /* virtual time at the last advance */
    uint64_t high_ns;           /* largest value emu_clock_ns has returned (never go back) */
    uint64_t ns_per_insn;
    bool realtime;
    uint64_t host_offset;       /* realtime: virtual = host monotonic - host_offset */
    emu_clock_insn_fn insn_fn;
    void *insn_opaque;

    emu_timer **heap;           /* min-heap on (deadline, seq) */
    size_t nheap, heap_cap;
    uint64_t arm_seq;
    bool warned_runaway;        /* the "timers keep re-arming" warning was given */
    emu_timer *timers;          /* list of all timers */
};

/* timer.c */
void emu_timers_free_all(struct emu_clock *c);

#endif
