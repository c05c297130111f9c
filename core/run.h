/* The run loop of a system machine. */
#ifndef EMU_CORE_RUN_H
#define EMU_CORE_RUN_H
#include "machine.h"
/* Run until the guest or the user stops the machine; returns the exit status. */
int emu_machine_run(emu_machine *m);
#endif
