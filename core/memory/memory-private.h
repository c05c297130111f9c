/* Data structures shared by the files of core/memory/ (not used outside it). */
#ifndef EMU_CORE_MEMORY_PRIVATE_H
#define EMU_CORE_MEMORY_PRIVATE_H

#include "memory-internal.h"

/* One piece of a space's flat view: [start, last] answered by `leaf` from `offset` on.
   A range with no leaf is a hole inside a window onto another space: it is unassigned
   there, `hole` is that space and `offset` the address in it (answered by its rule). */
typedef struct flat_range {
    uint64_t start, last;
    emu_region *leaf;
    uint64_t offset;
    emu_space *hole;
} flat_range;

/* A (space, delta) through which code of a RAM/ROM region was marked:
   space address = region offset + delta. */
typedef struct code_view {
    emu_space *space;
    uint64_t delta;
} code_view;

struct emu_region {
    struct emu_mem *mem;
    char *name;
    emu_region_kind kind;
    uint64_t last;              /* size - 1 (UINT64_MAX: the whole 2^64) */

    /* where it is mapped */
    emu_region *parent;         /* container, or NULL when not mapped */
    uint64_t addr;              /* offset inside the parent */
    int priority;
    uint64_t seq;               /* map order, for "last mapped wins" */
    bool enabled;
    emu_space *root_of;         /* the space whose root this is, or NULL */

    /* container: children sorted by (priority, seq) ascending */
    emu_region **children;
    size_t nchildren, children_cap;

    /* RAM / ROM */
    uint8_t *host;
    size_t host_len;            /* bytes allocated (mmap length when host_mmap) */
    bool host_mmap;
    uint64_t *dirty;            /* page bitmap while tracked for a display, else NULL */
    uint64_t *code;             /* page bitmap of translated code, allocated on first mark */
    code_view *views;
    size_t nviews, views_cap;

    /* MMIO (ops normalised: valid/impl filled in) */
    emu_mmio_ops ops;
    void *opaque;
    bool busy;                  /* a callback of this region is running (re-entrancy guard) */
    emu_device *owner;          /* the device that created it (for I/O hooks), or NULL */
    const char *owner_region;   /* its name in the owner's region table */

    /* alias */
    emu_region *target;
    uint64_t target_offset;

    /* stub */
    bool log;

    /* scratch for graph walks at map time (valid when walk_gen matches) */
    uint64_t walk_gen;
    uint64_t walk_leaves;
    unsigned walk_height;
};

struct emu_space {
    struct emu_mem *mem;
    char *name;
    emu_region *root;
    uint64_t unassigned;
    /* flat view, rebuilt lazily when !valid */
    flat_range *ranges;
    size_t nranges;
    bool valid;
    char *render_error;         /* why the last render was truncated, or NULL */
    size_t hit;                 /* index of the last range found (lookup cache) */
};

typedef struct listener {
    void (*fn)(void);           /* cast to the listener's real type when called */
    void *opaque;
} listener;

struct emu_mem {
    emu_machine *m;
    emu_space **spaces;
    size_t nspaces, spaces_cap;
    emu_region **regions;       /* every region, freed at fini */
    size_t nregions, regions_cap;
    uint64_t map_seq;
    uint64_t walk_gen;
    listener *map_listeners, *protect_listeners, *code_handlers;
    size_t nmap, map_cap, nprotect, protect_cap, ncode, code_cap;
};

/* region.c: free every region of the machine (at fini) */
void emu_region_free_all(struct emu_mem *mem);

/* flatview.c */
void emu_flat_render(emu_space *s);
/* Find the range holding addr (copied to *out), or a hole: out->leaf NULL,
   [start, last] the hole's extent, out->hole the space it belongs to when it lies
   inside a window onto another space (else NULL: the looked-up space's own hole). */
void emu_flat_lookup(emu_space *s, uint64_t addr, flat_range *out);
/* The map changed: drop every rendered view and tell the map listeners. */
void emu_flat_invalidate_all(struct emu_mem *mem);

/* tracking.c: after host bytes of a RAM/ROM region changed through the memory API */
void emu_track_write(emu_region *r, uint64_t offset, uint64_t len);
void emu_track_free(emu_region *r);

/* helpers */
static inline uint64_t region_page(uint64_t offset)
{
    return offset >> EMU_MEM_PAGE_BITS;
}

static inline bool bit_test(const uint64_t *map, uint64_t i)
{
    return (map[i / 64] >> (i % 64)) & 1;
}

static inline void bit_set(uint64_t *map, uint64_t i)
{
    map[i / 64] |= 1ull << (i % 64);
}

static inline void bit_clear(uint64_t *map, uint64_t i)
{
    map[i / 64] &= ~(1ull << (i % 64));
}

/* Words of a page bitmap for a region of last+1 bytes. */
static inline size_t bitmap_words(const emu_region *r)
{
    return (size_t)(region_page(r->last) / 64 + 1);
}

#endif
