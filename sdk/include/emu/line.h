/* emu SDK: named, level-triggered lines (interrupts, resets, GPIO) between devices and CPUs. */
#ifndef EMU_LINE_H
#define EMU_LINE_H

#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Drive an output line.  The core fans it out to every connected input;
   an input with several drivers sees their OR.  Setting the same level
   again is a no-op; a NULL line does nothing. */
EMU_API void emu_line_set(emu_line *line, int level);
/* The level the output line is driven at (0 for NULL). */
EMU_API int emu_line_level(const emu_line *line);
/* Drive 1 then 0: an edge for edge-triggered inputs. */
static inline void emu_line_pulse(emu_line *line)
{
    emu_line_set(line, 1);
    emu_line_set(line, 0);
}

#ifdef __cplusplus
}
#endif
#endif
