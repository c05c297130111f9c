/* CPUs in the core: creation from a CPU type, registers, memory access for debuggers and helpers,
 * exceptions raised from helpers, and the per-machine engine context. */
#include <stdlib.h>
#include <string.h>
#include "emu/memory.h"
#include "exec-internal.h"
#include "memory/memory-internal.h"
#include "util.h"

struct emu_exec *emu_exec_get(emu_machine *m)
{
    if (!m->exec) {
        struct emu_exec *ex = emu_xcalloc(1, sizeof *ex);
        ex->m = m;
        pthread_mutex_init(&ex->lock, NULL);
        m->exec = ex;
        hooks_attach(ex);
    }
    return m->exec;
}

void emu_exec_release(emu_machine *m)
{
    struct emu_exec *ex = m->exec;
    if (!ex || ex->ncpus)
        return;
    softmmu_detach(ex);
    hooks_detach(ex);
    for (size_t b = 0; ex->hash && b < ex->hash_size; b++) {
        for (tb *t = ex->hash[b], *n; t; t = n) {
            n = t->hash_next;
            tb_free(t);
        }
    }
    for (tb *t = ex->retired, *n; t; t = n) {
        n = t->retired_next;
        tb_free(t);
    }
    free(ex->hash);
    free(ex->cpus);
    free(ex->code_pages);
    pthread_mutex_destroy(&ex->lock);
    free(ex);
    m->exec = NULL;
}

emu_cpu *cpu_create(emu_device *dev, bool user, const emu_user_space *space, emu_error **err)
{
    const emu_cpu_ops *ops = dev->type->kind_ops;
    /* emu_cpu_ops has the same layout in ABI 1.0 and 1.1, so every CPU plugin of this major
       has the full struct.  When a minor version appends to it, adopt shorter ones into a
       zeroed copy (as core/user/runtime.c does for emu_linux_abi) instead of refusing them. */
    if (dev->type->kind != EMU_KIND_CPU || !ops || ops->struct_size < sizeof(emu_cpu_ops)) {
        emu_error_set(err, "type '%s' is not a CPU type with translator operations", dev->type->name);
        return NULL;
    }
    if (ops->addr_bits != 32 || !ops->translate || !ops->tb_flags || !ops->code_mmu_idx ||
        !ops->init_state || ops->state_size == 0 || ops->state_size > (1u << 24) ||
        ops->pc_offset + 4 > ops->state_size) {
        emu_error_set(err, "CPU type '%s': unsupported translator operations (32-bit guests only)",
                      dev->type->name);
        return NULL;
    }
    if (!user && (!ops->mmu_translate || !ops->do_interrupt || !ops->check_interrupts)) {
        emu_error_set(err, "CPU type '%s' has no system-mode support", dev->type->name);
        return NULL;
    }
    size_t state = (ops->state_size + 15) & ~(size_t)15;
    size_t env_size = state + (IR_MAX_TEMPS + 1) * TEMP_SLOT;
    emu_cpu *cpu;
    if (posix_memalign((void **)&cpu, 64, sizeof *cpu + env_size))
        abort();
    memset(cpu, 0, sizeof *cpu + env_size);
    cpu->dev = dev;
    cpu->ops = ops;
    cpu->env_size = env_size;
    cpu->user = user;
    cpu->last_gen = UINT64_MAX;
    struct emu_exec *ex = emu_exec_get(dev->machine);
    cpu->ex = ex;
    if (user) {
        cpu->space = space;
        cpu->host_base = space->host_base;
    } else {
        cpu->sys = emu_machine_space(dev->machine, "system");
        if (!cpu->sys) {
            emu_error_set(err, "CPU '%s': the machine has no system space", dev->id);
            free(cpu);
            return NULL;
        }
        tlb_flush_cpu(cpu);
    }
    ops->init_state(dev, cpu->env, user);
    pthread_mutex_lock(&ex->lock);
    EMU_PUSH(ex->cpus, ex->ncpus, ex->cpus_cap, cpu);
    pthread_mutex_unlock(&ex->lock);
    if (!user)
        softmmu_attach(ex);
    return cpu;
}

emu_cpu *emu_cpu_realize(emu_device *dev, emu_error **err)
{
    struct emu_exec *ex = emu_exec_get(dev->machine);
    emu_cpu *cpu = cpu_create(dev, ex->space != NULL, ex->space, err);
    if (!cpu && !ex->ncpus)
        emu_exec_release(dev->machine);
    return cpu;
}

void emu_cpu_unrealize(emu_device *dev)
{
    struct emu_exec *ex = dev->machine->exec;
    if (!ex)
        return;
    pthread_mutex_lock(&ex->lock);
    emu_cpu *found = NULL;
    for (size_t i = 0; i < ex->ncpus; i++) {
        if (ex->cpus[i]->dev == dev) {
            found = ex->cpus[i];
            memmove(&ex->cpus[i], &ex->cpus[i + 1], (ex->ncpus - i - 1) * sizeof *ex->cpus);
            ex->ncpus--;
            break;
        }
    }
    pthread_mutex_unlock(&ex->lock);
    free(found);
    emu_exec_release(dev->machine);
}

/* ---- the public CPU interface (cpu.h) ---- */
emu_cpu *emu_cpu_from_device(emu_device *dev)
{
    struct emu_exec *ex = dev ? dev->machine->exec : NULL;
    for (size_t i = 0; ex && i < ex->ncpus; i++)
        if (ex->cpus[i]->dev == dev)
            return ex->cpus[i];
    return NULL;
}

emu_device *emu_cpu_device(emu_cpu *cpu)
{
    return cpu->dev;
}

emu_cpu *emu_machine_cpu(emu_machine *m, unsigned i)
{
    struct emu_exec *ex = m->exec;
    return ex && i < ex->ncpus ? ex->cpus[i] : NULL;
}

unsigned emu_cpu_reg_count(emu_cpu *cpu)
{
    return cpu->ops->nregs;
}

const emu_reg_info *emu_cpu_reg_info(emu_cpu *cpu, unsigned i)
{
    return i < cpu->ops->nregs ? &cpu->ops->regs[i] : NULL;
}

int emu_cpu_reg_find(emu_cpu *cpu, const char *name)
{
    for (unsigned i = 0; i < cpu->ops->nregs; i++)
        if (!strcmp(cpu->ops->regs[i].name, name))
            return (int)i;
    return -1;
}

uint64_t emu_cpu_reg_read(emu_cpu *cpu, unsigned i)
{
    return i < cpu->ops->nregs ? cpu->ops->reg_read(cpu->env, i) : 0;
}

void emu_cpu_reg_write(emu_cpu *cpu, unsigned i, uint64_t value)
{
    if (i < cpu->ops->nregs)
        cpu->ops->reg_write(cpu->env, i, value);
    /* A register may be part of the translation mode (MSR...): look again. */
    atomic_store(&cpu->exit_request, 1);
}

uint64_t emu_cpu_pc(emu_cpu *cpu)
{
    return cpu_get_pc(cpu);
}

void emu_cpu_set_pc(emu_cpu *cpu, uint64_t pc)
{
    cpu_set_pc(cpu, pc);
    cpu->halted = false;
    atomic_store(&cpu->exit_request, 1);
}

uint64_t emu_cpu_icount(emu_cpu *cpu)
{
    /* A run settles the count when it ends; asked during one (from a hook callback), add the
       instructions it has completed, up to the current one inside a block. */
    if (!cpu->in_run)
        return cpu->icount;
    if (!cpu->in_exec)     /* between blocks: cur_tb/cur_op may be left from the last one */
        return cpu->icount + (uint64_t)(cpu->run_start - cpu->budget);
    return cpu->icount + (uint64_t)run_position(cpu);
}

static int debug_access(emu_cpu *cpu, uint64_t vaddr, void *buf, size_t len, bool write)
{
    uint8_t *p = buf;
    while (len) {
        size_t chunk = 0x1000 - (vaddr & 0xfff);
        if (chunk > len)
            chunk = len;
        if (cpu->user) {
            const emu_user_space *s = cpu->space;
            uint64_t pg = vaddr >> EMU_USER_PAGE_BITS;
            if (vaddr >= s->size || !(s->page_flags[pg] & EMU_USER_PAGE_READ))
                return -1;
            if (write) {
                if (!(s->page_flags[pg] & EMU_USER_PAGE_WRITE))
                    return -1;
                emu_user_flush_range(cpu->dev->machine, vaddr, chunk);
                memcpy(s->host_base + vaddr, p, chunk);
            } else {
                memcpy(p, s->host_base + vaddr, chunk);
            }
        } else {
            emu_mmu_result r;
            uint32_t code;
            unsigned idx = cpu->ops->code_mmu_idx(cpu->ops->tb_flags(cpu->env));
            if (cpu->ops->mmu_translate(cpu->env, vaddr, write ? EMU_ACCESS_WRITE : EMU_ACCESS_READ, idx,
                                        true, &r, &code) != EMU_EXCP_NONE)
                return -1;
            int rc = write ? emu_space_write_bytes(cpu->sys, r.paddr, p, chunk, true)
                           : emu_space_read_bytes(cpu->sys, r.paddr, p, chunk);
            if (rc < 0)
                return -1;
        }
        vaddr += chunk;
        p += chunk;
        len -= chunk;
    }
    return 0;
}

int emu_cpu_read_mem(emu_cpu *cpu, uint64_t vaddr, void *buf, size_t len)
{
    return debug_access(cpu, vaddr, buf, len, false);
}

int emu_cpu_write_mem(emu_cpu *cpu, uint64_t vaddr, const void *buf, size_t len)
{
    return debug_access(cpu, vaddr, (void *)buf, len, true);
}

void emu_machine_invalidate_code(emu_machine *m, uint64_t addr, uint64_t len)
{
    struct emu_exec *ex = m->exec;
    if (!ex)
        return;
    if (ex->space) {
        emu_user_flush_range(m, addr, len);
        return;
    }
    pthread_mutex_lock(&ex->lock);
    tb_invalidate_phys_range(ex, addr, addr + len);
    pthread_mutex_unlock(&ex->lock);
}

/* ---- for plugins and helpers (cpu-plugin.h) ---- */
emu_cpu *emu_cpu_of_env(void *env)
{
    return (emu_cpu *)((uint8_t *)env - offsetof(emu_cpu, env));
}

void *emu_cpu_env(emu_cpu *cpu)
{
    return cpu->env;
}

bool emu_cpu_is_user_mode(emu_cpu *cpu)
{
    return cpu->user;
}

void cpu_unwind(emu_cpu *cpu)
{
    siglongjmp(cpu->jmp, 1);
}

void emu_cpu_raise(void *env, emu_excp_class cls, uint32_t code, bool after)
{
    emu_cpu *cpu = emu_cpu_of_env(env);
    cpu->excp = cls;
    cpu->excp_code = code;
    cpu->excp_after = after;
    cpu_unwind(cpu);
}

void cpu_restore_state(emu_cpu *cpu)
{
    tb *t = cpu->cur_tb;
    if (!t || !cpu->cur_op)
        return;
    size_t idx = (size_t)(cpu->cur_op - t->ops);
    if (idx >= t->nops)
        return;
    unsigned insn = t->op_insn[idx];
    if (cpu->excp_after)
        insn++;
    cpu->budget -= insn;
    if (!cpu->keep_pc)
        cpu_set_pc(cpu, t->insn_pc[insn]);
    cpu->keep_pc = false;
    cpu->cur_tb = NULL;
    cpu->cur_op = NULL;
}

uint64_t emu_cpu_load(void *env, uint64_t vaddr, unsigned memop, unsigned mmu_idx)
{
    emu_cpu *cpu = emu_cpu_of_env(env);
    vaddr = (uint32_t)vaddr;
    if (cpu->user && user_watching(cpu))
        return user_load_checked(cpu, (uint32_t)vaddr, memop);
    if (cpu->user) {
        uint8_t buf[8];
        unsigned size = 1u << (memop & EMU_MO_SIZE);
        memcpy(buf, cpu->host_base + vaddr, size);   /* a fault unwinds through the signal handler */
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= (uint64_t)buf[(memop & EMU_MO_BE) ? i : size - 1 - i] << (8 * (size - 1 - i));
        if (memop & EMU_MO_SIGN) {
            unsigned sh = 64 - 8 * size;
            v = (uint64_t)((int64_t)(v << sh) >> sh);
            if (size < 8)
                v = (uint32_t)v;
        }
        return v;
    }
    return sys_load_slow(cpu, vaddr, memop, mmu_idx & (EMU_IR_MMU_MODES - 1));
}

void emu_cpu_store(void *env, uint64_t vaddr, uint64_t value, unsigned memop, unsigned mmu_idx)
{
    emu_cpu *cpu = emu_cpu_of_env(env);
    vaddr = (uint32_t)vaddr;
    if (cpu->user && user_watching(cpu)) {
        user_store_checked(cpu, (uint32_t)vaddr, value, memop);
        return;
    }
    if (cpu->user) {
        uint8_t buf[8];
        unsigned size = 1u << (memop & EMU_MO_SIZE);
        for (unsigned i = 0; i < size; i++)
            buf[(memop & EMU_MO_BE) ? i : size - 1 - i] = (uint8_t)(value >> (8 * (size - 1 - i)));
        memcpy(cpu->host_base + vaddr, buf, size);
        return;
    }
    sys_store_slow(cpu, vaddr, value, memop, mmu_idx & (EMU_IR_MMU_MODES - 1));
}

bool emu_cpu_cmpxchg(void *env, uint64_t vaddr, uint64_t expected, uint64_t desired, unsigned memop,
                     unsigned mmu_idx)
{
    emu_cpu *cpu = emu_cpu_of_env(env);
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    vaddr = (uint32_t)vaddr;
    if (cpu->user && size == 4 && !(vaddr & 3)) {
        /* a fault unwinds through the signal handler; a code page is unprotected and retried */
        uint32_t *p = (uint32_t *)(cpu->host_base + vaddr);
        uint32_t exp = (uint32_t)expected, des = (uint32_t)desired;
        if (memop & EMU_MO_BE) {
            exp = __builtin_bswap32(exp);
            des = __builtin_bswap32(des);
        }
        return __atomic_compare_exchange_n(p, &exp, des, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
    /* system mode runs one CPU at a time: a plain read, compare and write is atomic */
    if (emu_cpu_load(env, vaddr, memop, mmu_idx) != (expected & (size == 8 ? ~0ull : (1ull << 8 * size) - 1)))
        return false;
    emu_cpu_store(env, vaddr, desired, memop, mmu_idx);
    return true;
}

int emu_cpu_phys_read(emu_cpu *cpu, uint64_t paddr, unsigned size, uint64_t *value)
{
    if (!cpu->sys)
        return -1;
    emu_endian e = cpu->ops->big_endian ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN;
    return emu_space_read(cpu->sys, paddr, size, e, value) == EMU_MEM_OK ? 0 : -1;
}

int emu_cpu_phys_write(emu_cpu *cpu, uint64_t paddr, unsigned size, uint64_t value)
{
    if (!cpu->sys)
        return -1;
    emu_endian e = cpu->ops->big_endian ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN;
    return emu_space_write(cpu->sys, paddr, size, e, value) == EMU_MEM_OK ? 0 : -1;
}

void emu_cpu_tlb_flush(emu_cpu *cpu)
{
    if (!cpu->user)
        tlb_flush_cpu(cpu);
}

void emu_cpu_tlb_flush_page(emu_cpu *cpu, uint64_t vaddr)
{
    if (cpu->user)
        return;
    tlb_flush_page(cpu, vaddr & ~0xfffull);
    tb_jc_clear(cpu);
}

void emu_cpu_interrupt_request(emu_cpu *cpu)
{
    atomic_store(&cpu->exit_request, 1);
}
