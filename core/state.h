/* Device state snapshots: every device's save hook written to one buffer, and read back. */
#ifndef EMU_CORE_STATE_H
#define EMU_CORE_STATE_H

#include "machine.h"

typedef struct emu_snapshot {
    uint8_t *data;
    size_t len, cap;
} emu_snapshot;

/* Save the state of every device that has a save hook, in machine order. */
int emu_machine_save_state(emu_machine *m, emu_snapshot *out, emu_error **err);
/* Restore into a machine built from the same description: each record must
   name the same device, type and fields in the same order. */
int emu_machine_load_state(emu_machine *m, const emu_snapshot *in, emu_error **err);
void emu_snapshot_free(emu_snapshot *s);

/* Snapshot files (--save-state, --load-state, emu.save_state, emu.load_state).
   A machine can be saved only when every device (CPUs included) supports
   snapshots; otherwise -1 with one message naming the devices that do not. */
int emu_machine_state_check(emu_machine *m, emu_error **err);
/* Whether a snapshot may be written at `path`: absent or a regular file (it is renamed over
   it, so a directory, FIFO or device there is refused with why). */
int emu_state_file_target_check(const char *path, emu_error **err);
/* Save to `path`: written to a temporary file beside it and renamed into
   place, so `path` is either left as it was or holds the whole snapshot. */
int emu_machine_save_state_file(emu_machine *m, const char *path, emu_error **err);
/* Load from `path` into a machine built from the same description.  When
   the file does not fit the machine, the machine keeps the state it had. */
int emu_machine_load_state_file(emu_machine *m, const char *path, emu_error **err);

#endif
