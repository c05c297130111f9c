/* The software TLB of system-mode CPUs: fills from the CPU plugin's MMU walk and the memory
 * system's page lookup, the slow path of loads and stores (MMIO, ROM, page-crossing accesses),
 * and the memory-system listeners that take permissions back. */
#include <string.h>
#include "exec-internal.h"
#include "hooks.h"
#include "host-mem.h"
#include "memory/memory-internal.h"

static void entry_clear(tlb_entry *e)
{
    e->tag_read = e->tag_write = e->vpage = ~0ull;
}

void tlb_flush_cpu(emu_cpu *cpu)
{
    for (unsigned m = 0; m < EMU_IR_MMU_MODES; m++) {
        for (unsigned i = 0; i < TLB_SIZE; i++)
            entry_clear(&cpu->tlb[m][i]);
        for (unsigned i = 0; i < TLB_VICTIMS; i++)
            entry_clear(&cpu->victim[m][i]);
    }
    tb_jc_clear(cpu);
}

void tlb_flush_page(emu_cpu *cpu, uint64_t page)
{
    for (unsigned m = 0; m < EMU_IR_MMU_MODES; m++) {
        tlb_entry *e = &cpu->tlb[m][(page >> 12) & (TLB_SIZE - 1)];
        if (e->vpage == page)
            entry_clear(e);
        for (unsigned i = 0; i < TLB_VICTIMS; i++)
            if (cpu->victim[m][i].vpage == page)
                entry_clear(&cpu->victim[m][i]);
    }
}

/* The rest of entry e. */
static tlb_aux *aux_of(emu_cpu *cpu, const tlb_entry *e)
{
    return &cpu->tlb_aux[0][0] + (e - &cpu->tlb[0][0]);
}

/* The entry translating addr for `access`, or NULL with the exception recorded in cpu. */
static tlb_entry *tlb_fill(emu_cpu *cpu, uint64_t addr, emu_access access, unsigned idx)
{
    uint64_t page = addr & ~0xfffull;
    tlb_entry *e = &cpu->tlb[idx][(page >> 12) & (TLB_SIZE - 1)];
    tlb_aux *x = aux_of(cpu, e);
    if (e->vpage == page && (x->prot & (1u << access)))
        return e;
    for (unsigned i = 0; i < TLB_VICTIMS; i++) {
        tlb_entry *v = &cpu->victim[idx][i];
        tlb_aux *vx = &cpu->victim_aux[idx][i];
        if (v->vpage == page && (vx->prot & (1u << access))) {
            tlb_entry te = *e;
            tlb_aux tx = *x;
            *e = *v;
            *x = *vx;
            *v = te;
            *vx = tx;
            return e;
        }
    }
    emu_mmu_result r = { 0, 0 };
    uint32_t code = 0;
    emu_excp_class cls = cpu->ops->mmu_translate(cpu->env, addr, access, idx, false, &r, &code);
    if (cls != EMU_EXCP_NONE) {
        cpu->excp = cls;
        cpu->excp_code = code;
        cpu->excp_after = false;
        cpu->fault_addr = addr;
        cpu->fault_access = access;
        return NULL;
    }
    if (e->vpage != ~0ull && e->vpage != page) {
        unsigned n = cpu->victim_next[idx];
        cpu->victim[idx][n] = *e;
        cpu->victim_aux[idx][n] = *x;
        cpu->victim_next[idx] = (n + 1) % TLB_VICTIMS;
    }
    emu_mem_page pg;
    uint64_t ppage = r.paddr & ~0xfffull;
    emu_mem_page_lookup(cpu->sys, ppage, &pg);
    e->vpage = page;
    x->ppage = ppage;
    x->prot = r.prot | (1u << access);
    e->addend = pg.host ? (uintptr_t)pg.host - (uintptr_t)page : 0;
    e->tag_read = pg.host && (pg.flags & EMU_PAGE_READ_FAST) && (x->prot & EMU_PROT_READ) ? page : ~0ull;
    e->tag_write = pg.host && (pg.flags & EMU_PAGE_WRITE_FAST) && (x->prot & EMU_PROT_WRITE) ? page : ~0ull;
    /* pages watched by memory hooks take the slow path, which reports the accesses */
    emu_machine *m = cpu->dev->machine;
    if (emu_hooks_any(m, EMU_HOOK_READ) && emu_hooks_overlap(m, EMU_HOOK_READ, page, page + 0xfff))
        e->tag_read = ~0ull;
    if (emu_hooks_any(m, EMU_HOOK_WRITE) && emu_hooks_overlap(m, EMU_HOOK_WRITE, page, page + 0xfff))
        e->tag_write = ~0ull;
    return e;
}

bool sys_code_phys(emu_cpu *cpu, uint64_t pc, unsigned mmu_idx, uint64_t *phys)
{
    tlb_entry *e = tlb_fill(cpu, pc, EMU_ACCESS_EXEC, mmu_idx);
    if (!e)
        return false;
    *phys = aux_of(cpu, e)->ppage | (pc & 0xfff);
    return true;
}

static uint64_t sign_extend(uint64_t v, unsigned memop)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    if ((memop & EMU_MO_SIGN) && size < 8) {
        unsigned sh = 64 - 8 * size;
        v = (uint32_t)((int64_t)(v << sh) >> sh);
    }
    return v;
}

uint64_t sys_load_slow(emu_cpu *cpu, uint64_t addr, unsigned memop, unsigned idx)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    addr = (uint32_t)addr;
    if ((addr & 0xfff) + size > 0x1000) {
        /* crosses a page: byte by byte, each translated on its own */
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++) {
            uint64_t byte = sys_load_slow(cpu, (uint32_t)(addr + i), EMU_MO_8, idx);
            unsigned sh = (memop & EMU_MO_BE) ? 8 * (size - 1 - i) : 8 * i;
            v |= byte << sh;
        }
        return sign_extend(v, memop);
    }
    tlb_entry *e = tlb_fill(cpu, addr, EMU_ACCESS_READ, idx);
    if (!e)
        cpu_unwind(cpu);
    if (e->tag_read == (addr & ~0xfffull))   /* plain memory now (a refill or a victim swap) */
        return ram_load((const uint8_t *)(uintptr_t)(e->addend + addr), memop);
    uint64_t v = 0;
    emu_space_read(cpu->sys, aux_of(cpu, e)->ppage | (addr & 0xfff), size,
                   (memop & EMU_MO_BE) ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN, &v);
    emu_machine *m = cpu->dev->machine;
    if (emu_hooks_any(m, EMU_HOOK_READ) && emu_hooks_overlap(m, EMU_HOOK_READ, addr, addr + size - 1)) {
        v = emu_hooks_fire_read(m, cpu, current_insn_pc(cpu), addr, size, v);
        atomic_store(&cpu->exit_request, 1);   /* a callback may have moved the PC or quit */
    }
    return sign_extend(v, memop);
}

void sys_store_slow(emu_cpu *cpu, uint64_t addr, uint64_t v, unsigned memop, unsigned idx)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    addr = (uint32_t)addr;
    if ((addr & 0xfff) + size > 0x1000) {
        /* check both pages first so a fault leaves memory unchanged */
        if (!tlb_fill(cpu, addr, EMU_ACCESS_WRITE, idx) ||
            !tlb_fill(cpu, (uint32_t)(addr + size - 1), EMU_ACCESS_WRITE, idx))
            cpu_unwind(cpu);
        for (unsigned i = 0; i < size; i++) {
            unsigned sh = (memop & EMU_MO_BE) ? 8 * (size - 1 - i) : 8 * i;
            sys_store_slow(cpu, (uint32_t)(addr + i), (v >> sh) & 0xff, EMU_MO_8, idx);
        }
        return;
    }
    tlb_entry *e = tlb_fill(cpu, addr, EMU_ACCESS_WRITE, idx);
    if (!e)
        cpu_unwind(cpu);
    if (e->tag_write == (addr & ~0xfffull)) {   /* plain memory, no code, no watch */
        ram_store((uint8_t *)(uintptr_t)(e->addend + addr), v, memop);
        return;
    }
    emu_machine *m = cpu->dev->machine;
    if (emu_hooks_any(m, EMU_HOOK_WRITE) && emu_hooks_overlap(m, EMU_HOOK_WRITE, addr, addr + size - 1)) {
        emu_hooks_fire_write(m, cpu, current_insn_pc(cpu), addr, size,
                             size == 8 ? v : v & ((1ull << (8 * size)) - 1));
        atomic_store(&cpu->exit_request, 1);
    }
    emu_space_write(cpu->sys, aux_of(cpu, e)->ppage | (addr & 0xfff), size,
                    (memop & EMU_MO_BE) ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN, v);
}

/* ---- memory-system listeners ---- */
static void on_map(void *opaque, emu_space *s)
{
    struct emu_exec *ex = opaque;
    for (size_t i = 0; i < ex->ncpus; i++)
        if (ex->cpus[i]->sys == s)
            tlb_flush_cpu(ex->cpus[i]);
    /* Blocks translated from what was there (ROM, or nothing) may be stale now. */
    pthread_mutex_lock(&ex->lock);
    tb_flush_all(ex, false);
    pthread_mutex_unlock(&ex->lock);
}

static void on_protect(void *opaque, const uint8_t *host, size_t len)
{
    struct emu_exec *ex = opaque;
    uintptr_t lo = (uintptr_t)host, hi = lo + len;
    for (size_t i = 0; i < ex->ncpus; i++) {
        emu_cpu *cpu = ex->cpus[i];
        for (unsigned m = 0; m < EMU_IR_MMU_MODES; m++)
            for (unsigned j = 0; j < TLB_SIZE + TLB_VICTIMS; j++) {
                tlb_entry *e = j < TLB_SIZE ? &cpu->tlb[m][j] : &cpu->victim[m][j - TLB_SIZE];
                if (e->tag_write == ~0ull)
                    continue;
                uintptr_t h = e->addend + (uintptr_t)e->tag_write;
                if (h < hi && h + 0x1000 > lo)
                    e->tag_write = ~0ull;
            }
    }
}

static void on_code_write(void *opaque, emu_space *s, uint64_t addr, uint64_t len)
{
    struct emu_exec *ex = opaque;
    (void)s;
    pthread_mutex_lock(&ex->lock);
    tb_invalidate_phys_range(ex, addr, addr + len);
    pthread_mutex_unlock(&ex->lock);
}

void softmmu_attach(struct emu_exec *ex)
{
    if (ex->listeners)
        return;
    ex->listeners = true;
    emu_mem_add_map_listener(ex->m, on_map, ex);
    emu_mem_add_protect_listener(ex->m, on_protect, ex);
    emu_mem_add_code_write_handler(ex->m, on_code_write, ex);
}

void softmmu_detach(struct emu_exec *ex)
{
    if (!ex->listeners)
        return;
    emu_mem_remove_map_listener(ex->m, on_map, ex);
    emu_mem_remove_protect_listener(ex->m, on_protect, ex);
    emu_mem_remove_code_write_handler(ex->m, on_code_write, ex);
    ex->listeners = false;
}
