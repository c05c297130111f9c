/* placeholder */
#include "machine.h"
#include "emu/memory.h"
int emu_mem_init(emu_machine *m, emu_error **err) { (void)m; (void)err; return 0; }
void emu_mem_fini(emu_machine *m) { (void)m; }
emu_region *emu_region_mmio(emu_machine *m, const char *name, uint64_t size, const emu_mmio_ops *ops, void *opaque) { (void)m; (void)name; (void)size; (void)ops; (void)opaque; return NULL; }
emu_region *emu_region_ram(emu_machine *m, const char *name, uint64_t size) { (void)m; (void)name; (void)size; return NULL; }
