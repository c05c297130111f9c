/* The translated-block cache: lookup by (physical PC, virtual PC, mode), translation, chaining,
 * invalidation, and deferred freeing of invalidated blocks (a block is freed only after every
 * running CPU has come back to its dispatch loop, so another thread may still be finishing it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exec-internal.h"
#include "emu/memory.h"
#include "memory/memory-internal.h"
#include "util.h"

#define MAX_TBS 65536

static size_t bucket(struct emu_exec *ex, uint64_t phys, uint32_t flags)
{
    uint64_t h = (phys >> 2) * 0x9e3779b97f4a7c15ull ^ flags;
    return (size_t)(h >> 20) & (ex->hash_size - 1);
}

void tb_free(tb *t)
{
    free(t->in);
    free(t->insn_pc);
    free(t->op_insn);
    free(t);
}

void tb_jc_clear(emu_cpu *cpu)
{
    memset(cpu->jc, 0, sizeof cpu->jc);
}

static void unlink_in(tb *target, tb *from, unsigned slot)
{
    for (size_t i = 0; i < target->nin; i++) {
        if (target->in[i].from == from && target->in[i].slot == slot) {
            target->in[i] = target->in[--target->nin];
            return;
        }
    }
}

/* Remove t from the cache (lock held). */
static void tb_remove(struct emu_exec *ex, tb *t)
{
    atomic_store(&t->valid, false);
    tb **pp = &ex->hash[bucket(ex, t->phys, t->flags)];
    while (*pp && *pp != t)
        pp = &(*pp)->hash_next;
    if (*pp)
        *pp = t->hash_next;
    ex->ntbs--;
    for (size_t i = 0; i < t->nin; i++)
        atomic_store(&t->in[i].from->next[t->in[i].slot], NULL);
    t->nin = 0;
    for (unsigned s = 0; s < t->nexits && s < TB_EXITS; s++) {
        tb *n = atomic_load(&t->next[s]);
        if (n)
            unlink_in(n, t, s);
        atomic_store(&t->next[s], NULL);
    }
    for (size_t i = 0; i < ex->ncpus; i++) {
        emu_cpu *c = ex->cpus[i];
        unsigned h = jc_hash(t->pc);
        if (c->jc[h] == t)
            c->jc[h] = NULL;
        if (c->cur_tb == t)
            c->smc_hit = true;
    }
    t->retired_gen = atomic_fetch_add(&ex->gen, 1) + 1;
    t->retired_next = ex->retired;
    ex->retired = t;
}

static bool tb_on_pages(const tb *t, uint64_t first, uint64_t last)
{
    for (int i = 0; i < 2; i++) {
        uint64_t p = t->page_p[i];
        if (p != ~0ull && p >= first && p <= last)
            return true;
    }
    return false;
}

void tb_invalidate_phys_range(struct emu_exec *ex, uint64_t start, uint64_t end)
{
    if (end <= start || !ex->hash)
        return;
    uint64_t first = start & ~0xfffull, last = (end - 1) & ~0xfffull;
    for (size_t b = 0; b < ex->hash_size; b++) {
        tb *t = ex->hash[b];
        while (t) {
            tb *nx = t->hash_next;
            if (tb_on_pages(t, first, last))
                tb_remove(ex, t);
            t = nx;
        }
    }
}

void tb_flush_all(struct emu_exec *ex, bool unmark)
{
    for (size_t b = 0; ex->hash && b < ex->hash_size; b++) {
        while (ex->hash[b])
            tb_remove(ex, ex->hash[b]);
    }
    if (unmark && !ex->space && ex->m->mem) {
        for (size_t i = 0; i < ex->ncpus; i++)
            if (ex->cpus[i]->sys)
                emu_mem_unmark_code(ex->cpus[i]->sys, 0, ~0ull);
    }
}

/* Free retired blocks no CPU can still be running (lock held). */
static void reap(struct emu_exec *ex)
{
    uint64_t min = UINT64_MAX;
    for (size_t i = 0; i < ex->ncpus; i++) {
        uint64_t g = ex->cpus[i]->last_gen;
        if (g < min)
            min = g;
    }
    tb **pp = &ex->retired;
    while (*pp) {
        tb *t = *pp;
        if (t->retired_gen <= min) {
            *pp = t->retired_next;
            tb_free(t);
        } else {
            pp = &t->retired_next;
        }
    }
}

void tb_quiescent(emu_cpu *cpu)
{
    struct emu_exec *ex = cpu->ex;
    cpu->last_gen = atomic_load(&ex->gen);
    if (ex->retired) {
        pthread_mutex_lock(&ex->lock);
        reap(ex);
        pthread_mutex_unlock(&ex->lock);
    }
}

/* Is every page of `to` one of `from`'s, with the same physical page? */
static bool pages_within(const tb *to, const tb *from)
{
    for (int i = 0; i < 2; i++) {
        if (to->page_v[i] == ~0ull)
            continue;
        if (!((from->page_v[0] == to->page_v[i] && from->page_p[0] == to->page_p[i]) ||
              (from->page_v[1] != ~0ull && from->page_v[1] == to->page_v[i] && from->page_p[1] == to->page_p[i])))
            return false;
    }
    return true;
}

void tb_link(emu_cpu *cpu, tb *from, unsigned slot, tb *to)
{
    struct emu_exec *ex = cpu->ex;
    pthread_mutex_lock(&ex->lock);
    /* System mode chains only inside the virtual pages of the block: a jump to a block with
       a page outside them (its second one too) must look the mapping up again (the MMU may
       have changed it). */
    bool same_page = cpu->user || pages_within(to, from);
    if (!same_page && slot < 32)
        atomic_fetch_or(&from->cross, 1u << slot);
    if (same_page && slot < from->nexits && slot < TB_EXITS && atomic_load(&from->valid) && atomic_load(&to->valid) &&
        !atomic_load(&from->next[slot]) && from->flags == to->flags) {
        EMU_PUSH(to->in, to->nin, to->in_cap, ((tb_inlink){ from, slot }));
        atomic_store_explicit(&from->next[slot], to, memory_order_release);
    }
    pthread_mutex_unlock(&ex->lock);
}

/* Is the block still the code at its second page (system mode: the mapping may differ)? */
static bool second_page_matches(emu_cpu *cpu, tb *t)
{
    if (t->page_v[1] == ~0ull || cpu->user)
        return true;
    uint64_t phys;
    if (!sys_code_phys(cpu, t->page_v[1], cpu->ops->code_mmu_idx(t->flags), &phys)) {
        cpu->excp = EMU_EXCP_NONE;
        return false;
    }
    return (phys & ~0xfffull) == t->page_p[1];
}

static tb *translate(emu_cpu *cpu, uint64_t pc, uint64_t phys, uint32_t flags)
{
    struct emu_exec *ex = cpu->ex;
    emu_ir_block *b = emu_xmalloc(sizeof *b);
    ir_block_init(b, cpu, pc, flags);
    b->page0_v = pc & ~0xfffull;
    b->page0_p = phys & ~0xfffull;
    cpu->ops->translate(b, cpu->env, pc);
    hooks_block_done(b);
    if (b->overflow || b->ninsns == 0 || b->nops == 0) {
        fprintf(stderr, "emu: CPU plugin '%s' produced a bad block at 0x%llx (%u ops, %u insns)\n",
                cpu->ops->arch, (unsigned long long)pc, b->nops, b->ninsns);
        abort();
    }
    tb *t = interp_compile(cpu, b);
    if (!t) {
        fprintf(stderr, "emu: CPU plugin '%s': the block at 0x%llx uses IR the backend rejects\n",
                cpu->ops->arch, (unsigned long long)pc);
        abort();
    }
    t->pc = pc;
    t->phys = phys;
    t->flags = flags;
    t->ninsns = (uint16_t)b->ninsns;
    t->page_v[0] = b->page0_v;
    t->page_p[0] = b->page0_p;
    t->page_v[1] = b->page1_v;
    t->page_p[1] = b->page1_p;
    t->insn_pc = emu_xmalloc((b->ninsns + 1) * sizeof *t->insn_pc);
    memcpy(t->insn_pc, b->insn_pc, b->ninsns * sizeof *t->insn_pc);
    t->insn_pc[b->ninsns] = b->code_end;
    if (emu_exec_trace_flags)
        trace_block(cpu, b);
    atomic_store(&t->valid, true);
    /* Watch the code for writes. */
    for (int i = 0; i < 2; i++) {
        if (t->page_v[i] == ~0ull)
            continue;
        if (cpu->user)
            user_protect_code(cpu, t->page_v[i]);
        else
            emu_mem_mark_code(cpu->sys, t->page_p[i], 0x1000);
    }
    ir_block_fini(b);
    free(b);
    if (ex->ntbs >= MAX_TBS)
        tb_flush_all(ex, true);
    size_t h = bucket(ex, phys, flags);
    t->hash_next = ex->hash[h];
    ex->hash[h] = t;
    ex->ntbs++;
    return t;
}

tb *tb_find(emu_cpu *cpu, uint64_t pc, uint32_t flags)
{
    unsigned j = jc_hash(pc);
    tb *t = cpu->jc[j];
    if (t && t->pc == pc && t->flags == flags && atomic_load_explicit(&t->valid, memory_order_relaxed))
        return t;
    uint64_t phys = pc;
    if (cpu->user) {
        if (!user_code_readable(cpu, pc)) {
            cpu->excp = EMU_EXCP_MEM;
            cpu->fault_addr = pc;
            cpu->fault_access = EMU_ACCESS_EXEC;
            return NULL;
        }
    } else if (!sys_code_phys(cpu, pc, cpu->ops->code_mmu_idx(flags), &phys)) {
        return NULL;
    }
    struct emu_exec *ex = cpu->ex;
    pthread_mutex_lock(&ex->lock);
    if (!ex->hash) {
        ex->hash_size = 1 << 14;
        ex->hash = emu_xcalloc(ex->hash_size, sizeof *ex->hash);
    }
    for (t = ex->hash[bucket(ex, phys, flags)]; t; t = t->hash_next) {
        if (t->phys == phys && t->pc == pc && t->flags == flags && second_page_matches(cpu, t))
            break;
    }
    if (!t)
        t = translate(cpu, pc, phys, flags);
    /* Under the lock: a block another thread retires after this is cleared from every jump
       cache by tb_remove; set after unlocking, the entry could outlive the block's reaping. */
    cpu->jc[j] = t;
    pthread_mutex_unlock(&ex->lock);
    return t;
}
