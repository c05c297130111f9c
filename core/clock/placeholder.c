/* placeholder */
#include "clock/clock.h"
int emu_clock_init(emu_machine *m, emu_error **err) { (void)m; (void)err; return 0; }
void emu_clock_fini(emu_machine *m) { (void)m; }
uint64_t emu_clock_ns(emu_machine *m) { (void)m; return 0; }
uint64_t emu_clock_next_deadline(emu_machine *m) { (void)m; return UINT64_MAX; }
void emu_clock_advance_to(emu_machine *m, uint64_t ns) { (void)m; (void)ns; }
void emu_clock_run_due(emu_machine *m) { (void)m; }
uint64_t emu_clock_ns_per_insn(emu_machine *m) { (void)m; return 1; }
void emu_clock_set_realtime(emu_machine *m, bool on) { (void)m; (void)on; }
bool emu_clock_is_realtime(emu_machine *m) { (void)m; return false; }
uint64_t emu_clock_host_ns(emu_machine *m) { (void)m; return 0; }
