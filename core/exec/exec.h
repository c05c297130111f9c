/* The execution engine as the run loop and the command line see it: run every CPU of a machine
 * for a slice of time, kick, debug output.  User mode: see user-exec.h. */
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
/* After a machine reset (the CPU plugins reset their state): every CPU runs again, nothing
   left of its software TLB, lookup cache or a pending exception. */
void emu_exec_reset(emu_machine *m);

/* Debug output (to the log file, category-independent):
   EMU_EXEC_TRACE_INSNS  each translated block disassembled (Capstone) and
                         each executed block's address (--trace-insns);
   EMU_EXEC_TRACE_IR     the IR of each translated block (--trace-ir).
   Blocks executed are also logged under EMU_LOG_EXEC when that is on. */
#define EMU_EXEC_TRACE_INSNS 1u
#define EMU_EXEC_TRACE_IR    2u
void emu_exec_set_trace(unsigned flags);

#endif
