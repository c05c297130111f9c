/* One run of emu: a system machine or a user-mode program, from parsed options to exit status. */
#ifndef EMU_CORE_SESSION_H
#define EMU_CORE_SESSION_H
#include "options.h"
int emu_session_machine(const emu_options *o);
int emu_session_user(const emu_options *o);
#endif
