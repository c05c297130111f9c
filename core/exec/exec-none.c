/* Placeholder engine for machines without CPUs; replaced by the translator engine. */
#include "exec.h"

emu_exec_status emu_exec_run(emu_machine *m, uint64_t budget, uint64_t *executed)
{
    (void)m;
    (void)budget;
    *executed = 0;
    return EMU_EXEC_IDLE;
}

void emu_exec_kick(emu_machine *m)
{
    (void)m;
}
