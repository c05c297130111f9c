/* The memory system inside the core: what the execution engine, Lua and debug code use
 * beyond the public memory.h (region lookup, TLB fills, code-page and map-change tracking). */
#ifndef EMU_CORE_MEMORY_INTERNAL_H
#define EMU_CORE_MEMORY_INTERNAL_H

#include <stdio.h>
#include "emu/memory.h"
#include "machine.h"

/*
 * Pages.  Dirty and code tracking work on EMU_MEM_PAGE_SIZE pages of a
 * RAM/ROM region (counted from the region's first byte), and a TLB fill
 * answers for one EMU_MEM_PAGE_SIZE page of a space (aligned in the space).
 */
#define EMU_MEM_PAGE_BITS 12
#define EMU_MEM_PAGE_SIZE (1ull << EMU_MEM_PAGE_BITS)
#define EMU_MEM_PAGE_MASK (~(EMU_MEM_PAGE_SIZE - 1))

/* Limits that keep a hostile or broken memory map from exhausting the host:
   nesting of containers and aliases, and ranges one space may render to. */
#define EMU_MEM_MAX_DEPTH 32
#define EMU_MEM_MAX_RANGES (1u << 18)

typedef enum emu_region_kind {
    EMU_REGION_RAM = 1,
    EMU_REGION_ROM,
    EMU_REGION_MMIO,
    EMU_REGION_ALIAS,
    EMU_REGION_CONTAINER,
    EMU_REGION_STUB,
} emu_region_kind;

emu_region_kind emu_region_get_kind(const emu_region *r);
const char *emu_region_kind_name(emu_region_kind k);

/* Record which device created an MMIO region and under which region name,
   so I/O hooks can report accesses by device (the object model calls it). */
void emu_region_set_owner(emu_region *r, emu_device *owner, const char *region_name);

/* ---- RAM and ROM for machine snapshots (core/state.c) ---- */
/* The i-th RAM or ROM region of the machine in creation order, or NULL past the last. */
emu_region *emu_mem_backed_region(emu_machine *m, size_t i);
/* The host bytes of RAM/ROM region r were replaced wholesale (a snapshot was loaded):
   displays see every page dirty, and translated code from it is dropped. */
void emu_mem_region_replaced(emu_region *r);

/* ---- spaces of a machine (for Lua, debuggers, the machine builder) ---- */
size_t emu_mem_space_count(emu_machine *m);
emu_space *emu_mem_space_at(emu_machine *m, size_t i);
emu_machine *emu_space_machine(const emu_space *s);

/* Check that a space's map renders within EMU_MEM_MAX_DEPTH / EMU_MEM_MAX_RANGES
   (the machine builder calls it once everything is mapped).  0, or -1 with a message. */
int emu_space_check(emu_space *s, emu_error **err);

/* ---- what is at an address ---- */
typedef struct emu_mem_where {
    emu_region *region;     /* the leaf (RAM, ROM, MMIO or stub) answering, or NULL: unassigned */
    uint64_t offset;        /* of `addr` inside `region` */
    uint64_t start, last;   /* the flat range around `addr` (inclusive), in the space */
} emu_mem_where;

/* Fill *w for `addr` of space s.  Returns true when something decodes it;
   when not, w->region is NULL and start/last bound the hole. */
bool emu_mem_find(emu_space *s, uint64_t addr, emu_mem_where *w);

/* Print the region tree and the flat view of a space ("info mtree"). */
void emu_space_dump(emu_space *s, FILE *f);

/*
 * ---- the CPU fast path (software TLB) ----
 *
 * A CPU keeps, per virtual page, the host pointer of the guest-physical page
 * and two permissions, filled from emu_mem_page_lookup():
 *
 *     emu_mem_page pg;
 *     emu_mem_page_lookup(space, paddr & EMU_MEM_PAGE_MASK, &pg);
 *     entry->host  = pg.host;             // NULL: every access takes the slow path
 *     entry->read  = pg.flags & EMU_PAGE_READ_FAST;
 *     entry->write = pg.flags & EMU_PAGE_WRITE_FAST;
 *
 * A TLB hit is then only "tag compare, flag test, host[addr & page offset]"
 * with a plain load/store (byte-swapped as the guest needs): RAM holds the
 * guest's bytes in address order.  Everything else goes through the slow
 * path, emu_space_read()/emu_space_write() on the same space, which handles
 * MMIO, ROM, unassigned addresses, dirty marking and code-page detection.
 *
 * EMU_PAGE_READ_FAST:  the whole page is RAM or ROM of one region.
 * EMU_PAGE_WRITE_FAST: the whole page is RAM of one region, holds no page
 *                      marked as code, and is not tracked-and-clean for a
 *                      display (a tracked page is write-fast once dirty).
 *
 * The permissions can be taken back later; the core then tells the CPUs:
 *  - map listeners: the space's layout changed (map, unmap, enable, disable
 *    anywhere in the machine).  Flush every TLB entry of that space.
 *    Called at the moment of the change, also from inside an MMIO callback
 *    (a device remapping a BAR while the CPU runs).  After one call, further
 *    changes to the same space are not reported until something has looked
 *    the space up again (a TLB fill, an access): until then no TLB can hold
 *    anything from the new layout, so a burst of maps costs one flush.
 *  - protect listeners: host bytes [host, host+len) lost EMU_PAGE_WRITE_FAST
 *    (a page was marked as code, or a display cleared its dirty bits).
 *    Drop write permission from every entry whose host page overlaps.
 * A listener must not map, unmap or access memory.
 */
#define EMU_PAGE_READ_FAST  1u
#define EMU_PAGE_WRITE_FAST 2u

typedef struct emu_mem_page {
    uint8_t *host;          /* host address of the page's first byte, or NULL */
    unsigned flags;         /* EMU_PAGE_READ_FAST | EMU_PAGE_WRITE_FAST, or 0 */
    emu_region *region;     /* leaf at the page's first byte, or NULL */
    uint64_t offset;        /* of the page's first byte inside `region` */
} emu_mem_page;

/* `page_addr` must be page aligned. */
void emu_mem_page_lookup(emu_space *s, uint64_t page_addr, emu_mem_page *pg);

typedef void (*emu_mem_map_fn)(void *opaque, emu_space *s);
typedef void (*emu_mem_protect_fn)(void *opaque, const uint8_t *host, size_t len);
void emu_mem_add_map_listener(emu_machine *m, emu_mem_map_fn fn, void *opaque);
void emu_mem_remove_map_listener(emu_machine *m, emu_mem_map_fn fn, void *opaque);
void emu_mem_add_protect_listener(emu_machine *m, emu_mem_protect_fn fn, void *opaque);
void emu_mem_remove_protect_listener(emu_machine *m, emu_mem_protect_fn fn, void *opaque);

/*
 * ---- translated code ----
 *
 * When the engine translates guest code read from space s at [addr, addr+len),
 * it marks the range; every RAM/ROM page it touches gets a code bit (and loses
 * EMU_PAGE_WRITE_FAST, so CPU stores to it take the slow path).  Returns 0, or
 * -1 when part of the range is not RAM/ROM (nothing to protect there: MMIO
 * code is never marked, the engine must not cache it or must re-check it).
 *
 * When any write through the memory API (emu_space_write, emu_space_write_bytes,
 * including loaders with force, DMA, and CPU slow-path stores) touches a page
 * with a code bit, the bytes are stored first, then the code bits of every
 * page touched are cleared, then each code-write handler is called with the
 * written range as seen from each (space, address) the page was marked
 * through: `addr` is in space `s`, `len` bytes.  The handler drops the
 * translations of the whole page(s) (their bits are now clear) or re-marks
 * what it keeps.  It must return normally (no longjmp): a CPU that wrote into
 * the block it is running sets a flag and leaves the block after the store.
 */
typedef void (*emu_mem_code_write_fn)(void *opaque, emu_space *s, uint64_t addr, uint64_t len);
int emu_mem_mark_code(emu_space *s, uint64_t addr, uint64_t len);
/* Clear code bits without calling handlers (the engine flushed everything). */
void emu_mem_unmark_code(emu_space *s, uint64_t addr, uint64_t len);
void emu_mem_add_code_write_handler(emu_machine *m, emu_mem_code_write_fn fn, void *opaque);
void emu_mem_remove_code_write_handler(emu_machine *m, emu_mem_code_write_fn fn, void *opaque);

#endif
