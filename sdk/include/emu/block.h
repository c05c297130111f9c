/* emu SDK: block devices (disk and CD images). */
#ifndef EMU_BLOCK_H
#define EMU_BLOCK_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Size in bytes. */
EMU_API uint64_t emu_block_size(const emu_blockdev *b);
/* true when the guest may not write (mode `ro`). A `snapshot` image is
   writable; its writes go to a private copy and vanish at exit. */
EMU_API bool emu_block_read_only(const emu_blockdev *b);
/* Read / write len bytes at offset.  0 on success, or a negative errno
   (-EINVAL when out of range, -EROFS when read-only). */
EMU_API int emu_block_read(emu_blockdev *b, uint64_t offset, void *buf, size_t len);
EMU_API int emu_block_write(emu_blockdev *b, uint64_t offset, const void *buf, size_t len);
/* Make written data durable (the guest's FLUSH CACHE). */
EMU_API int emu_block_flush(emu_blockdev *b);
/* Its name in the machine's `blockdevs:`. */
EMU_API const char *emu_block_name(const emu_blockdev *b);

#ifdef __cplusplus
}
#endif
#endif
