/* The instrumentation hook registry: per-kind lists of hooks, the kind mask the engine tests,
 * range queries for the translator, and the firing functions (see hooks.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "hooks.h"

typedef struct hook {
    emu_hook_id id;
    uint64_t lo, hi;
    emu_device *device;
    emu_hook_fn fn;
    emu_hook_block_fn block_fn;  /* BLOCK: the argument form of fn, or NULL */
    void *opaque;
    void (*release)(void *opaque);
    bool dead;                 /* removed: never fires again, reclaimed at depth 0 */
} hook;

typedef struct hook_list {
    hook *v;
    size_t n, cap;
    size_t live;
} hook_list;

struct emu_hooks {
    pthread_mutex_t lock;      /* recursive: a callback may add, remove and fire */
    hook_list lists[EMU_HOOK_NKINDS];
    emu_hook_id next_id;
    unsigned depth;            /* callbacks running (firing nests: a callback may raise a line) */
    bool garbage;              /* some list holds dead records */
    bool exit_fired;
    emu_hooks_invalidate_fn invalidate;
    void *invalidate_opaque;
    /* BLOCK, fired on every block: the only live hook, when there is exactly
       one and it has a block_fn, so that firing walks no list (else NULL) */
    emu_hook_block_fn solo_fn;
    void *solo_opaque;
    uint64_t solo_lo, solo_hi;
    emu_hooks_wrap_fn wrap;    /* the owner's frame around runs, or NULL */
    void *wrap_opaque;
};

/* Is this host thread inside a wrapped run (emu_hooks_run)?  Its CPU runs
   alone: block hooks fire without the lock, so a callback leaving the run
   leaves no lock held. */
static __thread __attribute__((tls_model("initial-exec"))) bool in_wrapped_run;

/* Kinds whose hooks the engine compiles into code or caches in its TLB. */
#define INVALIDATING_KINDS (EMU_HOOK_BIT(EMU_HOOK_EXEC) | EMU_HOOK_BIT(EMU_HOOK_INSN) | \
                            EMU_HOOK_BIT(EMU_HOOK_BLOCK) | EMU_HOOK_BIT(EMU_HOOK_READ) | \
                            EMU_HOOK_BIT(EMU_HOOK_WRITE))

static void irq_observer(void *opaque, emu_device *dev, const char *line, unsigned index, int level);

/* The registry, created on first use (before any CPU thread runs). */
static struct emu_hooks *registry(emu_machine *m)
{
    if (!m->hooks) {
        struct emu_hooks *h = emu_xcalloc(1, sizeof *h);
        pthread_mutexattr_t attr;
        pthread_mutexattr_init(&attr);
        pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
        pthread_mutex_init(&h->lock, &attr);
        pthread_mutexattr_destroy(&attr);
        m->hooks = h;
    }
    return m->hooks;
}

void emu_hooks_lock(emu_machine *m)
{
    pthread_mutex_lock(&registry(m)->lock);
}

void emu_hooks_unlock(emu_machine *m)
{
    pthread_mutex_unlock(&m->hooks->lock);
}

static void update_solo_block(struct emu_hooks *h)
{
    const hook_list *l = &h->lists[EMU_HOOK_BLOCK];
    h->solo_fn = NULL;
    if (l->live != 1)
        return;
    for (size_t i = 0; i < l->n; i++) {
        const hook *r = &l->v[i];
        if (!r->dead) {
            h->solo_fn = r->block_fn;
            h->solo_opaque = r->opaque;
            h->solo_lo = r->lo;
            h->solo_hi = r->hi;
        }
    }
}

static void update_mask(emu_machine *m, emu_hook_kind kind)
{
    if (kind == EMU_HOOK_BLOCK)
        update_solo_block(m->hooks);
    /* Other CPU threads read the mask without the lock. */
    if (m->hooks->lists[kind].live)
        __atomic_or_fetch(&m->hook_mask, EMU_HOOK_BIT(kind), __ATOMIC_RELAXED);
    else
        __atomic_and_fetch(&m->hook_mask, ~EMU_HOOK_BIT(kind), __ATOMIC_RELAXED);
    if (kind != EMU_HOOK_IRQ)
        return;
    /* The registry is the line observer only while someone listens. */
    if (m->hook_mask & EMU_HOOK_BIT(EMU_HOOK_IRQ)) {
        m->line_observer = irq_observer;
        m->line_observer_opaque = m;
    } else if (m->line_observer == irq_observer) {
        m->line_observer = NULL;
        m->line_observer_opaque = NULL;
    }
}

static void invalidate(emu_machine *m, emu_hook_kind kind, uint64_t lo, uint64_t hi)
{
    struct emu_hooks *h = m->hooks;
    if ((INVALIDATING_KINDS & EMU_HOOK_BIT(kind)) && h->invalidate)
        h->invalidate(h->invalidate_opaque, kind, lo, hi);
}

emu_hook_id emu_hooks_add(emu_machine *m, const emu_hook_spec *spec, emu_error **err)
{
    if ((unsigned)spec->kind >= EMU_HOOK_NKINDS) {
        emu_error_set(err, "unknown hook kind %u", (unsigned)spec->kind);
        return 0;
    }
    if (!spec->fn) {
        emu_error_set(err, "a hook needs a callback");
        return 0;
    }
    uint64_t lo = spec->lo, hi = spec->hi;
    switch (spec->kind) {
    case EMU_HOOK_EXEC:
        if (lo != hi) {
            emu_error_set(err, "an exec hook is on one address (got 0x%llx..0x%llx)",
                          (unsigned long long)lo, (unsigned long long)hi);
            return 0;
        }
        break;
    case EMU_HOOK_INSN: case EMU_HOOK_BLOCK: case EMU_HOOK_READ: case EMU_HOOK_WRITE:
        if (lo > hi) {
            emu_error_set(err, "empty range 0x%llx..0x%llx (the low end is above the high end)",
                          (unsigned long long)lo, (unsigned long long)hi);
            return 0;
        }
        break;
    default:
        lo = 0, hi = UINT64_MAX;
        break;
    }
    struct emu_hooks *h = registry(m);
    pthread_mutex_lock(&h->lock);
    hook_list *l = &h->lists[spec->kind];
    bool takes_device = spec->kind == EMU_HOOK_IO || spec->kind == EMU_HOOK_IRQ;
    hook rec = {
        .id = ++h->next_id, .lo = lo, .hi = hi, .device = takes_device ? spec->device : NULL,
        .fn = spec->fn, .opaque = spec->opaque, .release = spec->release,
        .block_fn = spec->kind == EMU_HOOK_BLOCK ? spec->block_fn : NULL,
    };
    EMU_PUSH(l->v, l->n, l->cap, rec);
    l->live++;
    update_mask(m, spec->kind);
    invalidate(m, spec->kind, lo, hi);
    pthread_mutex_unlock(&h->lock);
    return rec.id;
}

/* Reclaim dead records (only when no callback runs, so none is in use). */
static void collect(emu_machine *m)
{
    struct emu_hooks *h = m->hooks;
    h->garbage = false;
    for (unsigned k = 0; k < EMU_HOOK_NKINDS; k++) {
        hook_list *l = &h->lists[k];
        size_t out = 0;
        for (size_t i = 0; i < l->n; i++) {
            if (!l->v[i].dead) {
                l->v[out++] = l->v[i];
                continue;
            }
            if (l->v[i].release)
                l->v[i].release(l->v[i].opaque);
        }
        l->n = out;
    }
}

int emu_hooks_remove(emu_machine *m, emu_hook_id id)
{
    struct emu_hooks *h = m->hooks;
    if (!h || id == 0)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&h->lock);
    for (unsigned k = 0; k < EMU_HOOK_NKINDS && rc < 0; k++) {
        hook_list *l = &h->lists[k];
        for (size_t i = 0; i < l->n; i++) {
            hook *r = &l->v[i];
            if (r->id != id)
                continue;
            if (!r->dead) {
                r->dead = true;
                l->live--;
                h->garbage = true;
                update_mask(m, (emu_hook_kind)k);
                invalidate(m, (emu_hook_kind)k, r->lo, r->hi);
                if (h->depth == 0)
                    collect(m);
                rc = 0;
            }
            break;
        }
    }
    pthread_mutex_unlock(&h->lock);
    return rc;
}

void emu_hooks_free(emu_machine *m)
{
    struct emu_hooks *h = m->hooks;
    if (!h)
        return;
    for (unsigned k = 0; k < EMU_HOOK_NKINDS; k++) {
        hook_list *l = &h->lists[k];
        for (size_t i = 0; i < l->n; i++)
            l->v[i].dead = true;
        l->live = 0;
        update_mask(m, (emu_hook_kind)k);
    }
    collect(m);
    for (unsigned k = 0; k < EMU_HOOK_NKINDS; k++)
        free(h->lists[k].v);
    pthread_mutex_destroy(&h->lock);
    free(h);
    m->hooks = NULL;
    m->hook_mask = 0;
}

void emu_hooks_set_invalidator(emu_machine *m, emu_hooks_invalidate_fn fn, void *opaque)
{
    if (!m->hooks && !fn)
        return;
    struct emu_hooks *h = registry(m);
    pthread_mutex_lock(&h->lock);
    h->invalidate = fn;
    h->invalidate_opaque = fn ? opaque : NULL;
    pthread_mutex_unlock(&h->lock);
}

void emu_hooks_set_run_wrapper(emu_machine *m, emu_hooks_wrap_fn wrap, void *opaque)
{
    if (!m->hooks && !wrap)
        return;
    struct emu_hooks *h = registry(m);
    pthread_mutex_lock(&h->lock);
    h->wrap = wrap;
    h->wrap_opaque = wrap ? opaque : NULL;
    pthread_mutex_unlock(&h->lock);
}

bool emu_hooks_run(emu_machine *m, emu_cpu *cpu, void (*run)(void *arg), void *arg)
{
    struct emu_hooks *h = m->hooks;
    if (!h || !h->wrap || !emu_hooks_any(m, EMU_HOOK_BLOCK)) {
        run(arg);
        return true;
    }
    /* Held once: what other threads' callbacks did before is visible here. */
    pthread_mutex_lock(&h->lock);
    unsigned depth = h->depth;
    pthread_mutex_unlock(&h->lock);
    bool outer = !in_wrapped_run;
    in_wrapped_run = true;
    bool done = h->wrap(h->wrap_opaque, cpu, run, arg);
    if (outer)
        in_wrapped_run = false;
    if (done)
        return true;
    /* A callback left from inside a firing function, which did not count
       itself out: no callback runs any more. */
    pthread_mutex_lock(&h->lock);
    h->depth = depth;
    if (depth == 0 && h->garbage)
        collect(m);
    pthread_mutex_unlock(&h->lock);
    return false;
}

bool emu_hooks_exec_at(emu_machine *m, uint64_t pc)
{
    return emu_hooks_overlap(m, EMU_HOOK_EXEC, pc, pc);
}

bool emu_hooks_overlap(emu_machine *m, emu_hook_kind kind, uint64_t lo, uint64_t hi)
{
    if (!emu_hooks_any(m, kind))
        return false;
    struct emu_hooks *h = m->hooks;
    bool found = false;
    pthread_mutex_lock(&h->lock);
    const hook_list *l = &h->lists[kind];
    for (size_t i = 0; i < l->n && !found; i++) {
        const hook *r = &l->v[i];
        found = !r->dead && r->lo <= hi && lo <= r->hi;
    }
    pthread_mutex_unlock(&h->lock);
    return found;
}

/*
 * Call every live hook of ev->kind whose range overlaps [lo, hi] and whose
 * device filter accepts ev->device.  Hooks added by a callback wait for the
 * next event; hooks removed by a callback are skipped from then on.  The
 * list may move (a callback adding a hook grows it), so it is re-read by
 * index on each step.
 */
static void fire(emu_machine *m, emu_hook_event *ev, uint64_t lo, uint64_t hi)
{
    struct emu_hooks *h = m->hooks;
    pthread_mutex_lock(&h->lock);
    hook_list *l = &h->lists[ev->kind];
    size_t n = l->n;
    h->depth++;
    for (size_t i = 0; i < n; i++) {
        hook *r = &l->v[i];
        if (r->dead || r->hi < lo || hi < r->lo || (r->device && r->device != ev->device))
            continue;
        r->fn(r->opaque, ev);
    }
    if (--h->depth == 0 && h->garbage)
        collect(m);
    pthread_mutex_unlock(&h->lock);
}

static uint64_t access_end(uint64_t addr, unsigned size)
{
    uint64_t end = addr + (size ? size - 1 : 0);
    return end < addr ? UINT64_MAX : end;   /* an access wrapping the top covers the rest */
}

void emu_hooks_fire_exec(emu_machine *m, emu_cpu *cpu, uint64_t pc)
{
    emu_hook_event ev = { .kind = EMU_HOOK_EXEC, .cpu = cpu, .pc = pc };
    if (emu_hooks_any(m, EMU_HOOK_EXEC))
        fire(m, &ev, pc, pc);
    if (emu_hooks_any(m, EMU_HOOK_INSN)) {
        ev.kind = EMU_HOOK_INSN;
        fire(m, &ev, pc, pc);
    }
}

/* fire() for the most frequent event: hooks with a block_fn get the event's
   fields as arguments, so no event is built (and zeroed) for them. */
static inline __attribute__((always_inline)) void fire_block(emu_machine *m, emu_cpu *cpu,
                                                            uint64_t pc, unsigned ninsns)
{
    struct emu_hooks *h = m->hooks;
    h->depth++;
    if (h->solo_fn) {
        if (h->solo_lo <= pc && pc <= h->solo_hi)
            h->solo_fn(h->solo_opaque, cpu, pc, ninsns);
        if (--h->depth == 0 && h->garbage)
            collect(m);
        return;
    }
    hook_list *l = &h->lists[EMU_HOOK_BLOCK];
    size_t n = l->n;
    for (size_t i = 0; i < n; i++) {
        hook *r = &l->v[i];
        if (r->dead || r->hi < pc || pc < r->lo)
            continue;
        if (r->block_fn) {
            r->block_fn(r->opaque, cpu, pc, ninsns);
        } else {
            emu_hook_event ev = { .kind = EMU_HOOK_BLOCK, .cpu = cpu, .pc = pc, .size = ninsns };
            r->fn(r->opaque, &ev);
        }
    }
    if (--h->depth == 0 && h->garbage)
        collect(m);
}

void emu_hooks_fire_block(emu_machine *m, emu_cpu *cpu, uint64_t pc, unsigned ninsns)
{
    if (!emu_hooks_any(m, EMU_HOOK_BLOCK))
        return;
    if (in_wrapped_run) {
        fire_block(m, cpu, pc, ninsns);
        return;
    }
    pthread_mutex_lock(&m->hooks->lock);
    fire_block(m, cpu, pc, ninsns);
    pthread_mutex_unlock(&m->hooks->lock);
}

void emu_hooks_fire_block_alone(emu_machine *m, emu_cpu *cpu, uint64_t pc, unsigned ninsns)
{
    if (emu_hooks_any(m, EMU_HOOK_BLOCK))
        fire_block(m, cpu, pc, ninsns);
}

uint64_t emu_hooks_fire_read(emu_machine *m, emu_cpu *cpu, uint64_t pc, uint64_t addr,
                             unsigned size, uint64_t value)
{
    if (!emu_hooks_any(m, EMU_HOOK_READ))
        return value;
    emu_hook_event ev = { .kind = EMU_HOOK_READ, .cpu = cpu, .pc = pc, .addr = addr,
                          .size = size, .value = value };
    fire(m, &ev, addr, access_end(addr, size));
    if (!ev.replace)
        return value;
    /* The instruction sees `size` bytes: a replacement wider than that is cut. */
    return size >= 8 ? ev.value : ev.value & ((1ull << (size * 8)) - 1);
}

void emu_hooks_fire_write(emu_machine *m, emu_cpu *cpu, uint64_t pc, uint64_t addr,
                          unsigned size, uint64_t value)
{
    if (!emu_hooks_any(m, EMU_HOOK_WRITE))
        return;
    emu_hook_event ev = { .kind = EMU_HOOK_WRITE, .cpu = cpu, .pc = pc, .addr = addr,
                          .size = size, .value = value };
    fire(m, &ev, addr, access_end(addr, size));
}

bool emu_hooks_fire_syscall(emu_machine *m, emu_cpu *cpu, uint64_t pc, int64_t nr,
                            const char *sysname, const uint64_t args[6], int64_t *result)
{
    if (!emu_hooks_any(m, EMU_HOOK_SYSCALL))
        return false;
    emu_hook_event ev = { .kind = EMU_HOOK_SYSCALL, .cpu = cpu, .pc = pc, .nr = nr,
                          .sysname = sysname };
    memcpy(ev.args, args, sizeof ev.args);
    fire(m, &ev, 0, UINT64_MAX);
    if (ev.skip)
        *result = ev.result;
    return ev.skip;
}

void emu_hooks_fire_syscall_ret(emu_machine *m, emu_cpu *cpu, uint64_t pc, int64_t nr,
                                const char *sysname, const uint64_t args[6], int64_t result)
{
    if (!emu_hooks_any(m, EMU_HOOK_SYSCALL_RET))
        return;
    emu_hook_event ev = { .kind = EMU_HOOK_SYSCALL_RET, .cpu = cpu, .pc = pc, .nr = nr,
                          .sysname = sysname, .result = result };
    memcpy(ev.args, args, sizeof ev.args);
    fire(m, &ev, 0, UINT64_MAX);
}

void emu_hooks_fire_io(emu_machine *m, emu_cpu *cpu, emu_device *dev, const char *region,
                       uint64_t offset, unsigned size, uint64_t value, bool is_write)
{
    if (!emu_hooks_any(m, EMU_HOOK_IO))
        return;
    emu_hook_event ev = { .kind = EMU_HOOK_IO, .cpu = cpu, .device = dev, .region = region,
                          .addr = offset, .size = size, .value = value, .is_write = is_write };
    fire(m, &ev, 0, UINT64_MAX);
}

static void irq_observer(void *opaque, emu_device *dev, const char *line, unsigned index, int level)
{
    emu_machine *m = opaque;
    if (!emu_hooks_any(m, EMU_HOOK_IRQ))
        return;
    emu_hook_event ev = { .kind = EMU_HOOK_IRQ, .device = dev, .line = line, .index = index,
                          .level = level };
    fire(m, &ev, 0, UINT64_MAX);
}

void emu_hooks_fire_exception(emu_machine *m, emu_cpu *cpu, emu_excp_class excp, uint32_t code,
                              uint64_t pc)
{
    if (!emu_hooks_any(m, EMU_HOOK_EXCEPTION))
        return;
    emu_hook_event ev = { .kind = EMU_HOOK_EXCEPTION, .cpu = cpu, .excp = excp, .code = code,
                          .pc = pc };
    fire(m, &ev, 0, UINT64_MAX);
}

void emu_hooks_fire_exit(emu_machine *m, int code)
{
    if (!emu_hooks_any(m, EMU_HOOK_EXIT))
        return;
    struct emu_hooks *h = m->hooks;
    pthread_mutex_lock(&h->lock);
    bool first = !h->exit_fired;
    h->exit_fired = true;
    if (first) {
        emu_hook_event ev = { .kind = EMU_HOOK_EXIT, .exit_code = code };
        fire(m, &ev, 0, UINT64_MAX);
    }
    pthread_mutex_unlock(&h->lock);
}
