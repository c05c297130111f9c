/* emu SDK: address spaces and memory regions (RAM, ROM, MMIO, alias, container, stub). */
#ifndef EMU_MEMORY_H
#define EMU_MEMORY_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emu_space emu_space;

typedef enum emu_endian {
    EMU_LITTLE_ENDIAN = 0,
    EMU_BIG_ENDIAN = 1,
} emu_endian;

typedef enum emu_mem_result {
    EMU_MEM_OK = 0,
    EMU_MEM_UNASSIGNED,   /* nothing decodes the address (answered per the space's rule) */
    EMU_MEM_BAD_SIZE,     /* the region refuses an access of that size/alignment */
} emu_mem_result;

/*
 * MMIO callbacks.  Values are numbers: a device declaring EMU_LITTLE_ENDIAN
 * sees the value whose little-endian bytes are the bytes at offset..offset+size-1,
 * whatever the byte order of the access that reached it.
 *
 * valid_*: access sizes (1,2,4,8) the bus accepts; others get EMU_MEM_BAD_SIZE
 *          and a guest-error log. 0 means 1..8.
 * impl_*:  sizes the callbacks implement; the core splits wider accesses and
 *          widens narrower ones (read-modify of the containing unit for
 *          reads; writes are split, or widened with the other bytes 0).
 *          0 means the same as valid_*.
 *
 * Precisely: an access wider than impl_max becomes impl_max pieces, lowest
 * address first.  A read narrower than impl_min reads the impl_min-aligned
 * unit(s) holding it and keeps the bytes asked for; such a write writes
 * those unit(s) with the bytes not asked for set to 0 (never a
 * read-modify-write, since device reads have side effects).  An access not
 * aligned to its size is refused (EMU_MEM_BAD_SIZE + guest-error log) unless
 * unaligned_ok.  The part of an access that crosses into or out of the
 * region, and byte copies (emu_space_*_bytes), are cut into naturally
 * aligned power-of-two pieces of at most valid_max bytes, each checked as
 * above.  An access that reaches a region while one of its own callbacks is
 * running (a device DMAing into its own registers) is refused and logged.
 * Callbacks are only ever called with offset + size <= the region's size.
 */
struct emu_mmio_ops {
    uint32_t struct_size;   /* sizeof(emu_mmio_ops) */
    /* required unless the region is write-only (then reads return 0) */
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    /* optional: NULL means writes are ignored (ROM-like) */
    void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
    emu_endian endian;
    uint8_t valid_min, valid_max;
    uint8_t impl_min, impl_max;
    bool unaligned_ok;      /* accept accesses not aligned to their size */
};

/* ---- spaces ---- */
/* The space named `name` ("system" always exists), or NULL. */
EMU_API emu_space *emu_machine_space(emu_machine *m, const char *name);
/* Create a space of `size` bytes (0 = 2^64). */
EMU_API emu_space *emu_space_new(emu_machine *m, const char *name, uint64_t size, emu_error **err);
/* Its name. */
EMU_API const char *emu_space_name(const emu_space *s);
/* The value an unassigned read answers (default all ones), per space.  It also
   answers for holes of this space seen through a window (an alias of its root)
   from another space, and such accesses are logged with this space's address. */
EMU_API void emu_space_set_unassigned_value(emu_space *s, uint64_t value);

/* Accesses: `size` in 1,2,4,8 (others: EMU_MEM_BAD_SIZE); `e` is the byte
   order the accessor uses.  RAM holds bytes in address order.  An access
   crossing region boundaries is split so each part goes to its region.
   Bytes nothing answers (unassigned, refused) read as the space's
   unassigned value truncated to `size`; unassigned writes are dropped and
   logged under EMU_LOG_UNASSIGNED.  Addresses wrap at 2^64. */
EMU_API emu_mem_result emu_space_read(emu_space *s, uint64_t addr, unsigned size,
                                      emu_endian e, uint64_t *value);
EMU_API emu_mem_result emu_space_write(emu_space *s, uint64_t addr, unsigned size,
                                       emu_endian e, uint64_t value);
/* Byte copies, e.g. DMA and loaders.  ROM is written by loaders only when
   `force` is set.  Returns 0, or -1 when part of the range is unassigned
   (the assigned parts are still copied; unassigned bytes read as the low
   byte of the space's unassigned value). */
EMU_API int emu_space_read_bytes(emu_space *s, uint64_t addr, void *buf, size_t len);
EMU_API int emu_space_write_bytes(emu_space *s, uint64_t addr, const void *buf, size_t len, bool force);

/* ---- regions ---- */
/* Regions are owned by the machine and freed with it.  The constructors
   return NULL for size 0, when the host cannot allocate RAM/ROM, for MMIO
   ops with bad sizes (logged), and for an alias whose window
   [offset, offset+size) is not inside `target`.  A container of size 0
   spans 2^64 bytes. */
/* RAM, zeroed. */
EMU_API emu_region *emu_region_ram(emu_machine *m, const char *name, uint64_t size);
/* ROM: the guest cannot write it; loaders do with `force`. */
EMU_API emu_region *emu_region_rom(emu_machine *m, const char *name, uint64_t size);
/* MMIO not owned by a device: `ops` are called with `opaque`. */
EMU_API emu_region *emu_region_mmio(emu_machine *m, const char *name, uint64_t size,
                                    const emu_mmio_ops *ops, void *opaque);
/* A window on [offset, offset+size) of `target`. */
EMU_API emu_region *emu_region_alias(emu_machine *m, const char *name, emu_region *target,
                                     uint64_t offset, uint64_t size);
/* An empty region to map others into (a sub-bus). */
EMU_API emu_region *emu_region_container(emu_machine *m, const char *name, uint64_t size);
/* A stub answers reads with 0 and ignores writes; with `log` set each
   access is logged under EMU_LOG_UNIMP. */
EMU_API emu_region *emu_region_stub(emu_machine *m, const char *name, uint64_t size, bool log);

/* The root container of a space (map into it to place things in the space). */
EMU_API emu_region *emu_space_root(emu_space *s);

/* Place `r` at `addr` inside `container`.  On overlap the higher priority
   wins; among equal priorities the region mapped last wins.  Overlapping
   RAM/ROM at equal priority is refused.  A region is mapped in one place.
   Also refused: not fitting in the container, cycles (an alias of a
   container mapped inside it), nesting deeper than 32 levels, and maps
   that expand to too many ranges (aliases of aliases).  A disabled region
   is transparent: what it covers shows through. */
EMU_API int emu_region_map(emu_region *container, uint64_t addr, emu_region *r,
                           int priority, emu_error **err);
/* Remove `r` from its container (nothing when it is not mapped). */
EMU_API void emu_region_unmap(emu_region *r);
/* Hide or show a mapped region without unmapping it. */
EMU_API void emu_region_set_enabled(emu_region *r, bool enabled);
/* Its size and name. */
EMU_API uint64_t emu_region_size(const emu_region *r);
EMU_API const char *emu_region_name(const emu_region *r);
/* Since ABI 1.2: whether it is mapped in a container (by a machine file, a device or a bus). */
EMU_API bool emu_region_is_mapped(const emu_region *r);
/* RAM/ROM host memory of the region (NULL for others).  Writes through the
   pointer bypass dirty and code tracking: use emu_space_write_bytes, or
   call emu_machine_invalidate_code after patching guest code. */
EMU_API uint8_t *emu_region_ram_ptr(emu_region *r);

/* ---- dirty tracking (framebuffers) ---- */
/* Start tracking writes to a RAM region for a display.  Tracking is per
   4 KiB page of the region and starts clean; every write through the
   memory API and the CPUs marks the pages it touches. */
EMU_API void emu_region_track_dirty(emu_region *r, bool on);
/* true if any byte in [offset, offset+len) was written since the last
   call for that range; clears the range (whole pages).  Always true for a
   region that is not tracked. */
EMU_API bool emu_region_test_and_clear_dirty(emu_region *r, uint64_t offset, uint64_t len);

#ifdef __cplusplus
}
#endif
#endif
