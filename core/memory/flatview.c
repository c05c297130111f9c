/* Flat views: each space's region tree rendered into sorted, non-overlapping ranges, looked
 * up by binary search with a last-hit cache; also the "info mtree" dump. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "memory-private.h"

/*
 * Rendering.  A depth-first walk that visits each container's children in
 * ascending (priority, map order) emits leaf fragments in ascending
 * precedence: a fragment emitted later beats every earlier one it overlaps
 * (at the first container where their paths part, it is the higher
 * sibling).  A sweep over the fragments' end points with a max-heap of the
 * live fragment numbers then yields the winner of every stretch.
 * O(F log F) for F fragments, whatever the overlap pattern.
 */

typedef struct fragment {
    uint64_t start, last;
    emu_region *leaf;
    uint64_t offset;
    emu_space *hole;            /* a window's background: unassigned in this space */
} fragment;

typedef struct render_ctx {
    const emu_space *space;     /* the space being rendered */
    fragment *frags;
    size_t nfrags, cap;
    bool truncated;
    bool too_deep;
} render_ctx;

/* Render r, whose local offset x is space address x + delta, clipped to local [lo, hi]. */
static void render(emu_region *r, uint64_t delta, uint64_t lo, uint64_t hi, unsigned depth,
                   render_ctx *ctx)
{
    if (!r->enabled || ctx->truncated)
        return;
    if (depth > EMU_MEM_MAX_DEPTH) {
        ctx->too_deep = true;
        return;
    }
    switch (r->kind) {
    case EMU_REGION_CONTAINER:
        /* The root of another space seen through a window: what nothing in it decodes
           is unassigned in that space, answered by its rule.  Emitted before the
           children, so everything mapped in it beats this background. */
        if (r->root_of && r->root_of != ctx->space) {
            if (ctx->nfrags >= EMU_MEM_MAX_RANGES) {
                ctx->truncated = true;
                return;
            }
            EMU_PUSH(ctx->frags, ctx->nfrags, ctx->cap,
                     ((fragment){ lo + delta, hi + delta, NULL, lo, r->root_of }));
        }
        for (size_t i = 0; i < r->nchildren; i++) {
            emu_region *c = r->children[i];
            uint64_t cs = c->addr, cl = c->addr + c->last;
            if (cl < lo || cs > hi)
                continue;
            uint64_t ilo = cs > lo ? cs : lo, ihi = cl < hi ? cl : hi;
            render(c, delta + cs, ilo - cs, ihi - cs, depth + 1, ctx);
        }
        return;
    case EMU_REGION_ALIAS:
        render(r->target, delta - r->target_offset, lo + r->target_offset, hi + r->target_offset,
               depth + 1, ctx);
        return;
    default:
        if (ctx->nfrags >= EMU_MEM_MAX_RANGES) {
            ctx->truncated = true;
            return;
        }
        EMU_PUSH(ctx->frags, ctx->nfrags, ctx->cap,
                 ((fragment){ lo + delta, hi + delta, r, lo, NULL }));
        return;
    }
}

typedef struct event {
    uint64_t addr;
    size_t frag;
    bool open;
} event;

static int event_cmp(const void *a, const void *b)
{
    const event *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Max-heap of fragment numbers. */
typedef struct heap {
    size_t *v;
    size_t n;
} heap;

static void heap_push(heap *h, size_t x)
{
    size_t i = h->n++;
    while (i > 0 && h->v[(i - 1) / 2] < x) {
        h->v[i] = h->v[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->v[i] = x;
}

static void heap_pop(heap *h)
{
    size_t x = h->v[--h->n], i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && h->v[c + 1] > h->v[c])
            c++;
        if (h->v[c] <= x)
            break;
        h->v[i] = h->v[c];
        i = c;
    }
    if (h->n)
        h->v[i] = x;
}

typedef struct flat_out {
    flat_range *v;
    size_t n, cap;
} flat_out;

static void emit(flat_out *o, uint64_t start, uint64_t last, const fragment *f)
{
    uint64_t off = f->offset + (start - f->start);
    if (o->n) {
        flat_range *p = &o->v[o->n - 1];
        if (p->leaf == f->leaf && p->hole == f->hole && p->last + 1 == start &&
            p->offset + (start - p->start) == off) {
            p->last = last;
            return;
        }
    }
    EMU_PUSH(o->v, o->n, o->cap, ((flat_range){ start, last, f->leaf, off, f->hole }));
}

static void sweep(render_ctx *ctx, flat_out *out)
{
    size_t nf = ctx->nfrags;
    event *ev = emu_xmalloc((2 * nf + 1) * sizeof *ev);
    size_t ne = 0;
    for (size_t i = 0; i < nf; i++) {
        ev[ne++] = (event){ ctx->frags[i].start, i, true };
        if (ctx->frags[i].last != UINT64_MAX)
            ev[ne++] = (event){ ctx->frags[i].last + 1, i, false };
    }
    qsort(ev, ne, sizeof *ev, event_cmp);
    bool *closed = emu_xcalloc(nf + 1, sizeof *closed);
    heap h = { emu_xmalloc((nf + 1) * sizeof *h.v), 0 };
    for (size_t i = 0; i < ne;) {
        uint64_t a = ev[i].addr;
        for (; i < ne && ev[i].addr == a; i++) {
            if (ev[i].open)
                heap_push(&h, ev[i].frag);
            else
                closed[ev[i].frag] = true;
        }
        while (h.n && closed[h.v[0]])
            heap_pop(&h);
        if (!h.n)
            continue;
        uint64_t last = i < ne ? ev[i].addr - 1 : UINT64_MAX;
        emit(out, a, last, &ctx->frags[h.v[0]]);
    }
    free(h.v);
    free(closed);
    free(ev);
}

void emu_flat_render(emu_space *s)
{
    render_ctx ctx = { .space = s };
    render(s->root, 0, 0, s->root->last, 0, &ctx);
    flat_out out = { 0 };
    sweep(&ctx, &out);
    free(ctx.frags);
    free(s->ranges);
    s->ranges = out.v;
    s->nranges = out.n;
    s->hit = 0;
    s->valid = true;
    free(s->render_error);
    s->render_error = NULL;
    if (ctx.too_deep || ctx.truncated) {
        s->render_error = ctx.too_deep
            ? emu_asprintf("space '%s': containers and aliases nest more than %d levels deep; "
                           "the deeper parts are left unassigned", s->name, EMU_MEM_MAX_DEPTH)
            : emu_asprintf("space '%s': the memory map expands to more than %u ranges; the rest "
                           "is left unassigned", s->name, EMU_MEM_MAX_RANGES);
        emu_log(NULL, EMU_LOG_ERROR, "%s", s->render_error);
    }
}

void emu_flat_lookup(emu_space *s, uint64_t addr, flat_range *out)
{
    if (!s->valid)
        emu_flat_render(s);
    const flat_range *r = s->ranges;
    size_t n = s->nranges;
    if (s->hit < n && r[s->hit].start <= addr && addr <= r[s->hit].last) {
        *out = r[s->hit];
        return;
    }
    /* First range whose start is above addr. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r[mid].start <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && addr <= r[lo - 1].last) {
        s->hit = lo - 1;
        *out = r[lo - 1];
        return;
    }
    out->leaf = NULL;
    out->offset = 0;
    out->hole = NULL;
    out->start = lo > 0 ? r[lo - 1].last + 1 : 0;
    out->last = lo < n ? r[lo].start - 1 : UINT64_MAX;
}

void emu_flat_invalidate_all(struct emu_mem *mem)
{
    for (size_t i = 0; i < mem->nspaces; i++) {
        emu_space *s = mem->spaces[i];
        if (!s->valid)
            continue;   /* nobody can hold anything from a view not rendered since the last change */
        s->valid = false;
        for (size_t k = 0; k < mem->nmap; k++)
            ((emu_mem_map_fn)mem->map_listeners[k].fn)(mem->map_listeners[k].opaque, s);
    }
}

bool emu_mem_find(emu_space *s, uint64_t addr, emu_mem_where *w)
{
    flat_range fr;
    emu_flat_lookup(s, addr, &fr);
    w->region = fr.leaf;
    w->offset = fr.leaf ? fr.offset + (addr - fr.start) : 0;
    w->start = fr.start;
    w->last = fr.last;
    return fr.leaf != NULL;
}

int emu_space_check(emu_space *s, emu_error **err)
{
    if (!s->valid)
        emu_flat_render(s);
    if (s->render_error) {
        emu_error_set(err, "%s", s->render_error);
        return -1;
    }
    return 0;
}

/* ---- dump ---- */

static void dump_tree(FILE *f, const emu_region *r, uint64_t base, unsigned depth)
{
    fprintf(f, "%*s%016" PRIx64 "-%016" PRIx64 " (prio %d, %s%s) %s", 2 + 2 * (int)depth, "",
            base, base + r->last, r->priority, emu_region_kind_name(r->kind),
            r->enabled ? "" : ", disabled", r->name);
    if (r->kind == EMU_REGION_ALIAS)
        fprintf(f, " @%s %016" PRIx64 "-%016" PRIx64, r->target->name, r->target_offset,
                r->target_offset + r->last);
    fputc('\n', f);
    if (r->kind != EMU_REGION_CONTAINER)
        return;
    if (depth >= EMU_MEM_MAX_DEPTH) {
        fprintf(f, "%*s...\n", 4 + 2 * (int)depth, "");
        return;
    }
    /* Highest precedence first, as "info mtree" prints. */
    for (size_t i = r->nchildren; i-- > 0;)
        dump_tree(f, r->children[i], base + r->children[i]->addr, depth + 1);
}

void emu_space_dump(emu_space *s, FILE *f)
{
    fprintf(f, "address-space: %s\n", s->name);
    dump_tree(f, s->root, 0, 0);
    if (!s->valid)
        emu_flat_render(s);
    fprintf(f, "flat view of %s (%zu ranges):\n", s->name, s->nranges);
    for (size_t i = 0; i < s->nranges; i++) {
        const flat_range *r = &s->ranges[i];
        if (!r->leaf) {
            fprintf(f, "  %016" PRIx64 "-%016" PRIx64 " unassigned in space %s @%016" PRIx64 "\n",
                    r->start, r->last, r->hole->name, r->offset);
            continue;
        }
        fprintf(f, "  %016" PRIx64 "-%016" PRIx64 " %-4s %s", r->start, r->last,
                emu_region_kind_name(r->leaf->kind), r->leaf->name);
        if (r->offset)
            fprintf(f, " @%016" PRIx64, r->offset);
        fputc('\n', f);
    }
}
