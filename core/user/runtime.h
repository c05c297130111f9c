/* emu --user: run one Linux program of another CPU (the entry point of the user-mode runtime). */
#ifndef EMU_CORE_USER_RUNTIME_H
#define EMU_CORE_USER_RUNTIME_H
#include "options.h"
/* Run o->user_program; returns only on a start-up error (exit status 2):
   the guest's own exit ends the process with its status or signal. */
int emu_user_run(const emu_options *o);
#endif
