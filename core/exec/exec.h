/* The execution engine as the run loop sees it: run every CPU of a machine for a slice of time. */
#ifndef EMU_CORE_EXEC_H
#define EMU_CORE_EXEC_H

#include "machine.h"

typedef enum emu_exec_status {
    EMU_EXEC_RAN,         /* used up the budget or was kicked */
    EMU_EXEC_IDLE,        /* no CPU, or every CPU is halted waiting for an interrupt */
    EMU_EXEC_STOPPED,     /* a CPU stopped the machine (guest power-off, fatal state, quit) */
} emu_exec_status;

/* Run the machine's CPUs for at most `budget` instructions in total;
   *executed receives the number actually executed. */
emu_exec_status emu_exec_run(emu_machine *m, uint64_t budget, uint64_t *executed);
/* Make emu_exec_run return soon (from a device callback or timer). */
void emu_exec_kick(emu_machine *m);

#endif
