/* emu --user: run one Linux program of another CPU (the entry point of the user-mode runtime). */
#ifndef EMU_CORE_USER_RUNTIME_H
#define EMU_CORE_USER_RUNTIME_H
#include <stdbool.h>
#include "emu/linux-abi.h"
#include "options.h"
/* Run o->user_program; returns only on a start-up error (exit status 2):
   the guest's own exit ends the process with its status or signal. */
int emu_user_run(const emu_options *o);
/* The ABI policy for an ABI plugin's emu_linux_abi: copy into *out (zeroed, full size) the
   fields of the ABI version its struct_size covers; later fields stay 0/NULL.  False (and *out
   zeroed) when it is smaller than the ABI 1.0 layout. */
bool emu_user_abi_adopt(const emu_linux_abi *abi, emu_linux_abi *out);
#endif
