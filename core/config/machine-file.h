/* Machine files: parse, merge, validate and build a machine from YAML. */
#ifndef EMU_CORE_MACHINE_FILE_H
#define EMU_CORE_MACHINE_FILE_H

#include "machine.h"

/*
 * Read `path` (and its includes), apply the `sets` ("KEY=VALUE" strings
 * from --set), validate everything, then build the machine: spaces,
 * memory, chardevs, blockdevs, plugins, cpus and devices (created, props
 * set, realized in file order), regions mapped, lines wired, board hooks
 * run, machine reset.  On any error returns NULL with a message of the
 * form "FILE:LINE:COL: what was expected (valid choices)" and nothing
 * built is left behind.
 */
emu_machine *emu_machine_load(const char *path, const char *const *sets, size_t nsets,
                              emu_error **err);

/*
 * Everything emu_machine_load does before building (read, merge, --set,
 * variables, validation, plugins of the types loaded), nothing built: no
 * memory allocated for the guest, no file, terminal or socket opened.
 * Returns 0, or -1 with the same message emu_machine_load would give.
 */
int emu_machine_check(const char *path, const char *const *sets, size_t nsets, emu_error **err);

#endif
