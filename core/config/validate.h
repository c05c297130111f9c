/* Validation of a machine document, split by section; shared state of one validation. */
#ifndef EMU_CORE_CONFIG_VALIDATE_H
#define EMU_CORE_CONFIG_VALIDATE_H

#include "config/plan.h"

typedef struct mf_vctx {
    const mf_node *doc;
    mf_plan *plan;
    emu_error **err;
} mf_vctx;

/* The place names a space that exists and `size` bytes (0 = unknown) fit there. */
int mf_check_place(mf_vctx *v, const mf_place *pl, uint64_t size, const char *what);
/* memory: (validate-memory.c) */
int mf_check_memory(mf_vctx *v, const mf_node *memory);
/* cpus:, devices: and board: (validate-devices.c) */
int mf_check_devices(mf_vctx *v);

#endif
