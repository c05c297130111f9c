/* The run loop: CPUs execute until the next timer deadline, timers fire, host input is delivered,
 * machine resets are done between blocks. */
#include <limits.h>
#include <stdint.h>
#include <time.h>
#include "backends/backends.h"
#include "clock/clock.h"
#include "exec/exec.h"
#include "run.h"

/* Longest stretch of guest time between two looks at host input. */
#define MAX_SLICE_NS 1000000ull   /* 1 ms */

int emu_machine_run(emu_machine *m)
{
    emu_backends_start(m);
    while (!m->quit_requested) {
        /* A reset asked for by a device, line or script since the last turn: the CPUs are
           between blocks here.  Guest time goes on. */
        if (m->reset_requested)
            emu_machine_system_reset(m);
        uint64_t now = emu_clock_ns(m);
        uint64_t deadline = emu_clock_next_deadline(m);
        uint64_t slice = deadline > now ? deadline - now : 0;
        if (slice > MAX_SLICE_NS)
            slice = MAX_SLICE_NS;
        uint64_t per = emu_clock_ns_per_insn(m);
        uint64_t budget = slice / per + 1;
        uint64_t executed = 0;
        emu_exec_status st = emu_exec_run(m, budget, &executed);
        if (st == EMU_EXEC_STOPPED || m->quit_requested)
            break;
        /* Nothing will ever happen unless the host sends input (in either time mode). */
        if (st == EMU_EXEC_IDLE && deadline == UINT64_MAX && !m->reset_requested &&
            !emu_backends_input_possible(m)) {
            emu_log(NULL, EMU_LOG_WARN, "the machine is idle: no CPU is running, nothing "
                    "is scheduled and no input can arrive; stopping");
            break;
        }
        if (emu_clock_is_realtime(m)) {
            if (st == EMU_EXEC_IDLE) {
                /* Sleep until the next deadline or host input. */
                uint64_t host = emu_clock_host_ns(m);
                uint64_t wait = deadline > host ? deadline - host : 0;
                /* poll() takes an int: a deadline weeks away is waited for in steps. */
                uint64_t wait_ms = wait / 1000000u;
                int ms = deadline == UINT64_MAX ? -1 : (int)(wait_ms > INT_MAX ? INT_MAX : wait_ms);
                emu_backends_poll(m, wait && ms == 0 ? 1 : ms);
            } else {
                emu_backends_poll(m, 0);
            }
            emu_clock_advance_to(m, emu_clock_host_ns(m));
        } else {
            if (st == EMU_EXEC_IDLE) {
                if (deadline == UINT64_MAX) {
                    emu_backends_poll(m, -1);
                    continue;
                }
                emu_clock_advance_to(m, deadline);
            } else {
                emu_clock_advance_to(m, now + executed * per);
            }
            emu_backends_poll(m, 0);
        }
        emu_clock_run_due(m);
    }
    emu_backends_flush_all(m);
    return m->exit_code;
}
