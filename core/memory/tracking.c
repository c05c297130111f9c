/* Page tracking of RAM/ROM: dirty bits for displays, code bits for the execution engine,
 * the software-TLB page lookup, and the listeners told when fast access is taken back. */
#include <stdlib.h>
#include <string.h>
#include "memory-private.h"

/* ---- listeners ---- */

static void listener_add(listener **v, size_t *n, size_t *cap, void (*fn)(void), void *opaque)
{
    EMU_PUSH(*v, *n, *cap, ((listener){ fn, opaque }));
}

static void listener_remove(listener *v, size_t *n, void (*fn)(void), void *opaque)
{
    for (size_t i = 0; i < *n; i++) {
        if (v[i].fn == fn && v[i].opaque == opaque) {
            memmove(v + i, v + i + 1, (*n - i - 1) * sizeof *v);
            (*n)--;
            return;
        }
    }
}

void emu_mem_add_map_listener(emu_machine *m, emu_mem_map_fn fn, void *opaque)
{
    struct emu_mem *mem = m->mem;
    listener_add(&mem->map_listeners, &mem->nmap, &mem->map_cap, (void (*)(void))fn, opaque);
}

void emu_mem_remove_map_listener(emu_machine *m, emu_mem_map_fn fn, void *opaque)
{
    listener_remove(m->mem->map_listeners, &m->mem->nmap, (void (*)(void))fn, opaque);
}

void emu_mem_add_protect_listener(emu_machine *m, emu_mem_protect_fn fn, void *opaque)
{
    struct emu_mem *mem = m->mem;
    listener_add(&mem->protect_listeners, &mem->nprotect, &mem->protect_cap, (void (*)(void))fn,
                 opaque);
}

void emu_mem_remove_protect_listener(emu_machine *m, emu_mem_protect_fn fn, void *opaque)
{
    listener_remove(m->mem->protect_listeners, &m->mem->nprotect, (void (*)(void))fn, opaque);
}

void emu_mem_add_code_write_handler(emu_machine *m, emu_mem_code_write_fn fn, void *opaque)
{
    struct emu_mem *mem = m->mem;
    listener_add(&mem->code_handlers, &mem->ncode, &mem->code_cap, (void (*)(void))fn, opaque);
}

void emu_mem_remove_code_write_handler(emu_machine *m, emu_mem_code_write_fn fn, void *opaque)
{
    listener_remove(m->mem->code_handlers, &m->mem->ncode, (void (*)(void))fn, opaque);
}

/* Region pages [first, last] lost fast writes: tell the TLBs. */
static void protect_pages(emu_region *r, uint64_t first, uint64_t last)
{
    struct emu_mem *mem = r->mem;
    if (r->kind != EMU_REGION_RAM || !mem->nprotect)
        return;
    uint64_t start = first << EMU_MEM_PAGE_BITS;
    uint64_t end = (last + 1) << EMU_MEM_PAGE_BITS;
    if (end > r->host_len || end == 0)
        end = r->host_len;
    for (size_t i = 0; i < mem->nprotect; i++)
        ((emu_mem_protect_fn)mem->protect_listeners[i].fn)(mem->protect_listeners[i].opaque,
                                                          r->host + start, (size_t)(end - start));
}

/* ---- after a write through the memory API ---- */

void emu_track_write(emu_region *r, uint64_t offset, uint64_t len)
{
    uint64_t first = region_page(offset), last = region_page(offset + len - 1);
    if (r->dirty)
        for (uint64_t p = first; p <= last; p++)
            bit_set(r->dirty, p);
    if (!r->code)
        return;
    bool hit = false;
    for (uint64_t p = first; p <= last; p++) {
        if (bit_test(r->code, p)) {
            bit_clear(r->code, p);
            hit = true;
        }
    }
    if (!hit)
        return;
    struct emu_mem *mem = r->mem;
    for (size_t v = 0; v < r->nviews; v++)
        for (size_t i = 0; i < mem->ncode; i++)
            ((emu_mem_code_write_fn)mem->code_handlers[i].fn)(mem->code_handlers[i].opaque,
                                                              r->views[v].space,
                                                              offset + r->views[v].delta, len);
}

void emu_track_free(emu_region *r)
{
    free(r->dirty);
    free(r->code);
    free(r->views);
    r->dirty = r->code = NULL;
    r->views = NULL;
    r->nviews = r->views_cap = 0;
}

/* ---- dirty tracking for displays ---- */

void emu_region_track_dirty(emu_region *r, bool on)
{
    if (!r || !r->host)
        return;
    if (!on) {
        free(r->dirty);
        r->dirty = NULL;
        return;
    }
    if (r->dirty)
        return;
    r->dirty = emu_xcalloc(bitmap_words(r), sizeof *r->dirty);
    protect_pages(r, 0, region_page(r->last));
}

bool emu_region_test_and_clear_dirty(emu_region *r, uint64_t offset, uint64_t len)
{
    if (!r || !len || offset > r->last)
        return false;
    if (!r->dirty)
        return true;   /* not tracked: nothing says it is clean */
    uint64_t lastbyte = len - 1 > r->last - offset ? r->last : offset + len - 1;
    uint64_t first = region_page(offset), last = region_page(lastbyte);
    uint64_t lo = UINT64_MAX, hi = 0;
    for (uint64_t p = first; p <= last; p++) {
        if (bit_test(r->dirty, p)) {
            bit_clear(r->dirty, p);
            if (lo == UINT64_MAX)
                lo = p;
            hi = p;
        }
    }
    if (lo == UINT64_MAX)
        return false;
    protect_pages(r, lo, hi);
    return true;
}

/* ---- code pages ---- */

static void add_view(emu_region *r, emu_space *s, uint64_t delta)
{
    for (size_t i = 0; i < r->nviews; i++)
        if (r->views[i].space == s && r->views[i].delta == delta)
            return;
    EMU_PUSH(r->views, r->nviews, r->views_cap, ((code_view){ s, delta }));
}

/* Apply `fn` to every RAM/ROM part of [addr, addr+len) of s; -1 if some part is not RAM/ROM. */
static int for_backed(emu_space *s, uint64_t addr, uint64_t len,
                      void (*fn)(emu_space *s, emu_region *r, uint64_t addr, uint64_t off, uint64_t n))
{
    int rc = 0;
    while (len) {
        flat_range fr;
        emu_flat_lookup(s, addr, &fr);
        uint64_t room = fr.last - addr;
        uint64_t n = room >= len - 1 ? len : room + 1;
        if (fr.leaf && fr.leaf->host)
            fn(s, fr.leaf, addr, fr.offset + (addr - fr.start), n);
        else
            rc = -1;
        addr += n;
        len -= n;
    }
    return rc;
}

static void mark_part(emu_space *s, emu_region *r, uint64_t addr, uint64_t off, uint64_t n)
{
    if (!r->code)
        r->code = emu_xcalloc(bitmap_words(r), sizeof *r->code);
    add_view(r, s, addr - off);
    uint64_t first = region_page(off), last = region_page(off + n - 1);
    for (uint64_t p = first; p <= last; p++) {
        if (!bit_test(r->code, p)) {
            bit_set(r->code, p);
            protect_pages(r, p, p);
        }
    }
}

static void unmark_part(emu_space *s, emu_region *r, uint64_t addr, uint64_t off, uint64_t n)
{
    (void)s;
    (void)addr;
    if (!r->code)
        return;
    for (uint64_t p = region_page(off); p <= region_page(off + n - 1); p++)
        bit_clear(r->code, p);
}

int emu_mem_mark_code(emu_space *s, uint64_t addr, uint64_t len)
{
    return for_backed(s, addr, len, mark_part);
}

void emu_mem_unmark_code(emu_space *s, uint64_t addr, uint64_t len)
{
    for_backed(s, addr, len, unmark_part);
}

/* ---- software TLB fills ---- */

static bool write_fast(const emu_region *r, uint64_t off)
{
    for (uint64_t p = region_page(off); p <= region_page(off + EMU_MEM_PAGE_SIZE - 1); p++) {
        if (r->code && bit_test(r->code, p))
            return false;
        if (r->dirty && !bit_test(r->dirty, p))
            return false;
    }
    return true;
}

void emu_mem_page_lookup(emu_space *s, uint64_t page_addr, emu_mem_page *pg)
{
    flat_range fr;
    emu_flat_lookup(s, page_addr, &fr);
    memset(pg, 0, sizeof *pg);
    if (!fr.leaf)
        return;
    pg->region = fr.leaf;
    pg->offset = fr.offset + (page_addr - fr.start);
    if (!fr.leaf->host || fr.last - page_addr < EMU_MEM_PAGE_SIZE - 1)
        return;
    pg->host = fr.leaf->host + pg->offset;
    pg->flags = EMU_PAGE_READ_FAST;
    if (fr.leaf->kind == EMU_REGION_RAM && write_fast(fr.leaf, pg->offset))
        pg->flags |= EMU_PAGE_WRITE_FAST;
}

void emu_mem_region_replaced(emu_region *r)
{
    if (r->host_len)
        emu_track_write(r, 0, r->host_len);
}
