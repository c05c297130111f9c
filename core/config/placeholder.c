/* placeholder */
#include "config/machine-file.h"
emu_machine *emu_machine_load(const char *path, const char *const *sets, size_t nsets, emu_error **err) { (void)sets; (void)nsets; emu_error_set(err, "%s: machine files are not supported yet", path); return NULL; }
