/* Validation of a machine document, split by section; shared state of one validation. */
#ifndef EMU_CORE_CONFIG_VALIDATE_H
#define EMU_CORE_CONFIG_VALIDATE_H

#include <sys/stat.h>
#include "config/plan.h"

typedef struct mf_vctx {
    const mf_node *doc;
    mf_plan *plan;
    emu_error **err;
} mf_vctx;

enum { MF_ALLOW_DIR = 1, MF_ALLOW_BLOCK_DEVICE = 2 };
/* The path scalar `n` names, resolved against its base: a regular file (or
   what `allow` adds) that `access(mode)` accepts; its stat in *st (may be
   NULL).  NULL with the error set otherwise. */
char *mf_existing_file(mf_vctx *v, const mf_node *n, const char *what, unsigned allow, int mode,
                       struct stat *st);
/* The place names a space that exists and `size` bytes (0 = unknown) fit there. */
int mf_check_place(mf_vctx *v, const mf_place *pl, uint64_t size, const char *what);
/* memory: (validate-memory.c) */
int mf_check_memory(mf_vctx *v, const mf_node *memory);
/* cpus:, devices: and board: (validate-devices.c) */
int mf_check_devices(mf_vctx *v);

#endif
