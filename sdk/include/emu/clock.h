/* emu SDK: the virtual clock and timers. */
#ifndef EMU_CLOCK_H
#define EMU_CLOCK_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * One virtual clock per machine, in nanoseconds.  By default it follows the
 * executed instruction count (deterministic); with --realtime it follows the
 * host's monotonic clock.  Timers fire in deadline order, between guest
 * instructions, never inside a device callback.
 */
typedef struct emu_timer emu_timer;
/* A timer's callback: runs when virtual time reaches the deadline; it may
   re-arm its own timer. */
typedef void (*emu_timer_fn)(void *opaque);

/* The machine's virtual time now. */
EMU_API uint64_t emu_clock_ns(emu_machine *m);
/* A new timer calling fn(opaque), not armed (create it in realize). */
EMU_API emu_timer *emu_timer_new(emu_machine *m, emu_timer_fn fn, void *opaque);
/* Fire at absolute virtual time `deadline_ns` (re-arming moves it; a
   deadline already past fires as soon as possible). */
EMU_API void emu_timer_arm(emu_timer *t, uint64_t deadline_ns);
/* Disarm (nothing when not armed). */
EMU_API void emu_timer_cancel(emu_timer *t);
/* Whether it is armed. */
EMU_API bool emu_timer_pending(const emu_timer *t);
/* The deadline it was last armed with. */
EMU_API uint64_t emu_timer_deadline(const emu_timer *t);
/* Cancel and free (from destroy; NULL is fine).  Timers left over are
   freed with the machine. */
EMU_API void emu_timer_free(emu_timer *t);

#ifdef __cplusplus
}
#endif
#endif
