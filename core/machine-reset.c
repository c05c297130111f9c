/* Machine-wide reset: a request any device, line or script may make, honoured by the run loop
 * between blocks the way a power-on reset is done, without the power going off (RAM and the
 * clock keep running). */
#include "exec/exec.h"
#include "machine.h"

void emu_machine_request_reset(emu_machine *m)
{
    m->reset_requested = 1;
    emu_exec_kick(m);   /* the CPUs leave their blocks: the run loop resets at its next turn */
}

void emu_machine_system_reset(emu_machine *m)
{
    emu_log(NULL, EMU_LOG_INFO, "machine reset");
    emu_machine_reset(m);
    emu_exec_reset(m);
}
