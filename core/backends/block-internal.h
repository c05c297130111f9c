/* Block device internals: opening and closing images for the backend registry. */
#ifndef EMU_CORE_BLOCK_INTERNAL_H
#define EMU_CORE_BLOCK_INTERNAL_H

#include "backends.h"

/* Open the raw image `path` in `mode`; errors name `name` and the path. */
emu_blockdev *emu_blockdev_open(const char *name, const char *path, emu_block_mode mode,
                                emu_error **err);
/* Flush (rw) and close; a snapshot's private copy disappears here. */
void emu_blockdev_close(emu_blockdev *b);

#endif
