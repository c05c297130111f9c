/* The virtual clock inside the core: what the run loop uses to advance time and fire timers. */
#ifndef EMU_CORE_CLOCK_H
#define EMU_CORE_CLOCK_H

#include "emu/clock.h"
#include "machine.h"

/* emu_timer_arm() calls emu_exec_kick() when the new deadline is earlier
   than every other armed one, so a running slice stops in time.  That also
   happens outside emu_exec_run (from timer callbacks, device setup): the
   engine should only honour kicks that arrive while it runs. */

/* Deadline of the earliest armed timer, or UINT64_MAX. */
uint64_t emu_clock_next_deadline(emu_machine *m);
/* Move virtual time forward to `ns` (never backwards). */
void emu_clock_advance_to(emu_machine *m, uint64_t ns);
/* Fire, in deadline order, every timer due at the current time (timers a
   callback arms for "now" or earlier fire in the same call). */
void emu_clock_run_due(emu_machine *m);
/* A snapshot is loaded: virtual time goes on from `ns` (in real-time mode too), or from now
   when the clock is already past it (it never goes back). */
void emu_clock_restore(emu_machine *m, uint64_t ns);
/* Deterministic mode: virtual nanoseconds per executed instruction (default 1). */
void emu_clock_set_ns_per_insn(emu_machine *m, uint64_t ns);
uint64_t emu_clock_ns_per_insn(emu_machine *m);
/* Real-time mode: virtual time follows CLOCK_MONOTONIC from now on. */
void emu_clock_set_realtime(emu_machine *m, bool on);
bool emu_clock_is_realtime(emu_machine *m);
/* Real-time mode: host time now, as virtual ns. */
uint64_t emu_clock_host_ns(emu_machine *m);

/* The execution engine tells the clock how many instructions the current
   emu_exec_run call has executed so far (0 outside emu_exec_run), so that in
   deterministic mode emu_clock_ns() read by a device in the middle of a
   slice is exact: time at the slice start + executed * ns_per_insn.  The
   run loop then advances the clock by the same amount.  NULL removes it. */
typedef uint64_t (*emu_clock_insn_fn)(void *opaque);
void emu_clock_set_insn_source(emu_machine *m, emu_clock_insn_fn fn, void *opaque);

#endif
