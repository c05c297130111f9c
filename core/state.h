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

#endif
