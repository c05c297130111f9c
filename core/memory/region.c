/* Memory regions: creation of each kind, placing them in containers (priorities, overlap and
 * cycle checks), unmapping, enabling. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "memory-private.h"

/* RAM of at least this size comes from mmap (zero pages on demand). */
#define RAM_MMAP_THRESHOLD (64u * 1024u)

static emu_region *region_new(emu_machine *m, const char *name, emu_region_kind kind, uint64_t size)
{
    struct emu_mem *mem = m->mem;
    emu_region *r = emu_xcalloc(1, sizeof *r);
    r->mem = mem;
    r->name = emu_xstrdup(name ? name : "(unnamed)");
    r->kind = kind;
    r->last = size - 1;   /* size 0 means 2^64 */
    r->enabled = true;
    EMU_PUSH(mem->regions, mem->nregions, mem->regions_cap, r);
    return r;
}

/* Host memory for RAM/ROM, zeroed.  false when the host cannot give it. */
static bool alloc_host(emu_region *r, uint64_t size)
{
    if (size > SIZE_MAX / 2)
        return false;
    if (size >= RAM_MMAP_THRESHOLD) {
        void *p = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED)
            return false;
        r->host = p;
        r->host_mmap = true;
    } else {
        r->host = calloc(1, (size_t)size);
        if (!r->host)
            return false;
    }
    r->host_len = (size_t)size;
    return true;
}

static emu_region *backed_region(emu_machine *m, const char *name, uint64_t size, emu_region_kind kind)
{
    if (!m || !m->mem || size == 0)
        return NULL;
    emu_region tmp = { 0 };
    if (!alloc_host(&tmp, size))
        return NULL;
    emu_region *r = region_new(m, name, kind, size);
    r->host = tmp.host;
    r->host_len = tmp.host_len;
    r->host_mmap = tmp.host_mmap;
    return r;
}

emu_region *emu_region_ram(emu_machine *m, const char *name, uint64_t size)
{
    return backed_region(m, name, size, EMU_REGION_RAM);
}

emu_region *emu_region_rom(emu_machine *m, const char *name, uint64_t size)
{
    return backed_region(m, name, size, EMU_REGION_ROM);
}

static bool size_ok(unsigned s)
{
    return s == 1 || s == 2 || s == 4 || s == 8;
}

emu_region *emu_region_mmio(emu_machine *m, const char *name, uint64_t size,
                            const emu_mmio_ops *ops, void *opaque)
{
    if (!m || !m->mem || size == 0 || !ops)
        return NULL;
    emu_mmio_ops o = { 0 };
    /* Plugins built against an older, shorter struct get zeros for the new fields. */
    size_t n = ops->struct_size && ops->struct_size < sizeof o ? ops->struct_size : sizeof o;
    memcpy(&o, ops, n);
    o.struct_size = sizeof o;
    if (!o.valid_min)
        o.valid_min = 1;
    if (!o.valid_max)
        o.valid_max = 8;
    if (!o.impl_min)
        o.impl_min = o.valid_min;
    if (!o.impl_max)
        o.impl_max = o.valid_max;
    if (!size_ok(o.valid_min) || !size_ok(o.valid_max) || !size_ok(o.impl_min) ||
        !size_ok(o.impl_max) || o.valid_min > o.valid_max || o.impl_min > o.impl_max) {
        emu_log(NULL, EMU_LOG_ERROR,
                "MMIO region '%s': bad access sizes (valid %u..%u, impl %u..%u; each must be "
                "1, 2, 4 or 8, min <= max)", name ? name : "(unnamed)", o.valid_min, o.valid_max,
                o.impl_min, o.impl_max);
        return NULL;
    }
    if (o.endian != EMU_LITTLE_ENDIAN && o.endian != EMU_BIG_ENDIAN) {
        emu_log(NULL, EMU_LOG_ERROR, "MMIO region '%s': bad endianness %d", name ? name : "(unnamed)",
                (int)o.endian);
        return NULL;
    }
    emu_region *r = region_new(m, name, EMU_REGION_MMIO, size);
    r->ops = o;
    r->opaque = opaque;
    return r;
}

emu_region *emu_region_alias(emu_machine *m, const char *name, emu_region *target,
                             uint64_t offset, uint64_t size)
{
    if (!m || !m->mem || !target || target->mem != m->mem)
        return NULL;
    /* The window [offset, offset+size) must lie inside the target. */
    uint64_t last = size - 1;
    if (offset > target->last || last > target->last - offset)
        return NULL;
    emu_region *r = region_new(m, name, EMU_REGION_ALIAS, size);
    r->target = target;
    r->target_offset = offset;
    return r;
}

emu_region *emu_region_container(emu_machine *m, const char *name, uint64_t size)
{
    if (!m || !m->mem)
        return NULL;
    return region_new(m, name, EMU_REGION_CONTAINER, size);
}

emu_region *emu_region_stub(emu_machine *m, const char *name, uint64_t size, bool log)
{
    if (!m || !m->mem || size == 0)
        return NULL;
    emu_region *r = region_new(m, name, EMU_REGION_STUB, size);
    r->log = log;
    return r;
}

void emu_region_free_all(struct emu_mem *mem)
{
    for (size_t i = 0; i < mem->nregions; i++) {
        emu_region *r = mem->regions[i];
        if (r->host_mmap)
            munmap(r->host, r->host_len);
        else
            free(r->host);
        emu_track_free(r);
        free(r->children);
        free(r->name);
        free(r);
    }
    free(mem->regions);
    mem->regions = NULL;
    mem->nregions = mem->regions_cap = 0;
}

/* ---- accessors ---- */

uint64_t emu_region_size(const emu_region *r)
{
    return r ? r->last + 1 : 0;
}

const char *emu_region_name(const emu_region *r)
{
    return r ? r->name : NULL;
}

bool emu_region_is_mapped(const emu_region *r)
{
    return r && r->parent;
}

uint8_t *emu_region_ram_ptr(emu_region *r)
{
    return r ? r->host : NULL;
}

emu_region *emu_mem_backed_region(emu_machine *m, size_t i)
{
    struct emu_mem *mem = m->mem;
    for (size_t k = 0; mem && k < mem->nregions; k++) {
        emu_region *r = mem->regions[k];
        if ((r->kind == EMU_REGION_RAM || r->kind == EMU_REGION_ROM) && i-- == 0)
            return r;
    }
    return NULL;
}

emu_region_kind emu_region_get_kind(const emu_region *r)
{
    return r->kind;
}

const char *emu_region_kind_name(emu_region_kind k)
{
    switch (k) {
    case EMU_REGION_RAM: return "ram";
    case EMU_REGION_ROM: return "rom";
    case EMU_REGION_MMIO: return "mmio";
    case EMU_REGION_ALIAS: return "alias";
    case EMU_REGION_CONTAINER: return "container";
    case EMU_REGION_STUB: return "stub";
    }
    return "?";
}

/* ---- mapping ---- */

typedef struct walk {
    uint64_t gen;
    const emu_region *find;     /* report whether this region is reachable */
    bool found;
    bool too_deep;
} walk;

/* Height (levels of containers/aliases) and leaf count of the tree under r,
   memoised per walk so shared subtrees (alias bombs) cost one visit each.
   Leaf counts saturate above EMU_MEM_MAX_RANGES. */
static void walk_region(emu_region *r, unsigned depth, walk *w)
{
    if (r == w->find)
        w->found = true;
    if (r->walk_gen == w->gen)
        return;
    if (depth > EMU_MEM_MAX_DEPTH) {
        w->too_deep = true;
        return;
    }
    uint64_t leaves = r->root_of ? 1 : 0;   /* a space's root seen through a window: its hole range */
    unsigned height = 0;
    if (r->kind == EMU_REGION_CONTAINER) {
        for (size_t i = 0; i < r->nchildren && !w->too_deep; i++) {
            emu_region *c = r->children[i];
            walk_region(c, depth + 1, w);
            leaves += c->walk_leaves;
            if (leaves > EMU_MEM_MAX_RANGES)
                leaves = EMU_MEM_MAX_RANGES + 1ull;
            if (c->walk_height + 1 > height)
                height = c->walk_height + 1;
        }
    } else if (r->kind == EMU_REGION_ALIAS) {
        walk_region(r->target, depth + 1, w);
        leaves = r->target->walk_leaves;
        height = r->target->walk_height + 1;
    } else {
        leaves = 1;
    }
    r->walk_gen = w->gen;
    r->walk_leaves = leaves;
    r->walk_height = height;
}

static bool is_backed(const emu_region *r)
{
    return r->kind == EMU_REGION_RAM || r->kind == EMU_REGION_ROM;
}

/* Index where a child of (priority, seq) goes to keep children sorted. */
static size_t child_slot(const emu_region *c, int priority)
{
    size_t i = c->nchildren;
    /* New maps have the largest seq, so the slot is after every equal priority. */
    while (i > 0 && c->children[i - 1]->priority > priority)
        i--;
    return i;
}

int emu_region_map(emu_region *container, uint64_t addr, emu_region *r, int priority, emu_error **err)
{
    if (!container || !r) {
        emu_error_set(err, "cannot map: no %s", container ? "region" : "container");
        return -1;
    }
    if (container->kind != EMU_REGION_CONTAINER) {
        emu_error_set(err, "cannot map '%s' into '%s': '%s' is a %s region, not a container",
                      r->name, container->name, container->name, emu_region_kind_name(container->kind));
        return -1;
    }
    if (r->mem != container->mem) {
        emu_error_set(err, "cannot map '%s' into '%s': they belong to different machines", r->name,
                      container->name);
        return -1;
    }
    if (r->parent) {
        emu_error_set(err, "cannot map '%s' into '%s': it is already mapped in '%s' at 0x%llx "
                      "(a region is mapped in one place; use an alias for a second view)",
                      r->name, container->name, r->parent->name, (unsigned long long)r->addr);
        return -1;
    }
    if (addr > container->last || r->last > container->last - addr) {
        emu_error_set(err, "cannot map '%s' (size 0x%llx) at 0x%llx: it does not fit in '%s' "
                      "(size 0x%llx)", r->name, (unsigned long long)r->last + 1,
                      (unsigned long long)addr, container->name,
                      (unsigned long long)container->last + 1);
        return -1;
    }
    walk w = { .gen = ++r->mem->walk_gen, .find = container };
    walk_region(r, 0, &w);
    if (w.found) {
        emu_error_set(err, "cannot map '%s' into '%s': '%s' is (or contains, or aliases) '%s', "
                      "which would make a cycle", r->name, container->name, r->name, container->name);
        return -1;
    }
    if (w.too_deep || r->walk_height >= EMU_MEM_MAX_DEPTH) {
        emu_error_set(err, "cannot map '%s' into '%s': containers and aliases nest more than %d "
                      "levels deep", r->name, container->name, EMU_MEM_MAX_DEPTH);
        return -1;
    }
    if (r->walk_leaves > EMU_MEM_MAX_RANGES) {
        emu_error_set(err, "cannot map '%s' into '%s': it expands to more than %u ranges "
                      "(aliases of aliases?)", r->name, container->name, EMU_MEM_MAX_RANGES);
        return -1;
    }
    if (is_backed(r)) {
        uint64_t last = addr + r->last;
        for (size_t i = 0; i < container->nchildren; i++) {
            emu_region *o = container->children[i];
            if (!is_backed(o) || o->priority != priority)
                continue;
            if (addr <= o->addr + o->last && o->addr <= last) {
                emu_error_set(err, "cannot map %s '%s' at 0x%llx-0x%llx in '%s': it overlaps %s '%s' "
                              "at 0x%llx-0x%llx with the same priority %d (give one a higher "
                              "priority, or move it)", emu_region_kind_name(r->kind), r->name,
                              (unsigned long long)addr, (unsigned long long)last, container->name,
                              emu_region_kind_name(o->kind), o->name, (unsigned long long)o->addr,
                              (unsigned long long)(o->addr + o->last), priority);
                return -1;
            }
        }
    }
    r->parent = container;
    r->addr = addr;
    r->priority = priority;
    r->seq = ++r->mem->map_seq;
    size_t slot = child_slot(container, priority);
    emu_grow((void **)&container->children, &container->children_cap, container->nchildren + 1,
             sizeof *container->children);
    memmove(container->children + slot + 1, container->children + slot,
            (container->nchildren - slot) * sizeof *container->children);
    container->children[slot] = r;
    container->nchildren++;
    if (r->enabled)
        emu_flat_invalidate_all(r->mem);
    return 0;
}

void emu_region_unmap(emu_region *r)
{
    if (!r || !r->parent)
        return;
    emu_region *c = r->parent;
    for (size_t i = 0; i < c->nchildren; i++) {
        if (c->children[i] == r) {
            memmove(c->children + i, c->children + i + 1, (c->nchildren - i - 1) * sizeof *c->children);
            c->nchildren--;
            break;
        }
    }
    r->parent = NULL;
    if (r->enabled)
        emu_flat_invalidate_all(r->mem);
}

void emu_region_set_enabled(emu_region *r, bool enabled)
{
    if (!r || r->enabled == enabled)
        return;
    r->enabled = enabled;
    emu_flat_invalidate_all(r->mem);
}

void emu_region_set_owner(emu_region *r, emu_device *owner, const char *region_name)
{
    r->owner = owner;
    r->owner_region = region_name;
}
