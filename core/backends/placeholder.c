/* placeholder */
#include "backends/backends.h"
int emu_backends_init(emu_machine *m, emu_error **err) { (void)m; (void)err; return 0; }
void emu_backends_fini(emu_machine *m) { (void)m; }
emu_chardev *emu_backends_chardev(emu_machine *m, const char *name) { (void)m; (void)name; return NULL; }
emu_blockdev *emu_backends_blockdev(emu_machine *m, const char *name) { (void)m; (void)name; return NULL; }
const char *emu_chardev_name(const emu_chardev *c) { (void)c; return ""; }
const char *emu_block_name(const emu_blockdev *b) { (void)b; return ""; }
void emu_backends_poll(emu_machine *m, int t) { (void)m; (void)t; }
void emu_backends_restore_terminal(void) {}
void emu_backends_flush_all(emu_machine *m) { (void)m; }
