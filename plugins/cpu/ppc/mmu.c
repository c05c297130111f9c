/* PowerPC 6xx memory management and exceptions (system mode): BATs, segment registers, the hashed
 * page table with referenced/changed bits (the 603e's software TLB is tlb603.c), the MSR with
 * the 603e's TGPR bank, exception entry, machine check and checkstop, and the asynchronous
 * events: hard and soft reset, machine check input, external and decrementer interrupts. */
#include "ppc-cpu.h"

/* Write the MSR: only the model's bits, and on the 603e GPR0-3 trade places with TGPR0-3
   whenever MSR[TGPR] changes, so translated code always finds the live bank in gpr[0..3]. */
uint32_t ppc_msr_mask(const ppc_env *e)
{
    return MSR_MASK_6XX | (e->model->soft_tlb ? MSR_TGPR : 0);
}

void ppc_store_msr(ppc_env *e, uint32_t v)
{
    v &= ppc_msr_mask(e);
    if ((v ^ e->msr) & MSR_TGPR)
        for (int i = 0; i < 4; i++) {
            uint32_t t = e->gpr[i];
            e->gpr[i] = e->tgpr[i];
            e->tgpr[i] = t;
        }
    e->msr = v;
}

emu_excp_class ppc_mmu_fault(ppc_env *e, uint32_t vaddr, emu_access access, uint32_t why, bool probe,
                             uint32_t *code)
{
    if (probe)
        return EMU_EXCP_MEM;
    if (access == EMU_ACCESS_EXEC) {
        e->excp_srr1 = why;
        *code = PPC_VEC_ISI;
    } else {
        e->dar = vaddr;
        e->dsisr = why | (access == EMU_ACCESS_WRITE ? DSISR_STORE : 0);
        *code = PPC_VEC_DSI;
    }
    return EMU_EXCP_ARCH;
}

/* PP bits and key -> permissions (EMU_PROT_READ/WRITE) */
unsigned ppc_pp_prot(unsigned pp, bool key)
{
    if (!key)
        return pp == 3 ? EMU_PROT_READ : EMU_PROT_READ | EMU_PROT_WRITE;
    switch (pp) {
    case 0: return 0;
    case 2: return EMU_PROT_READ | EMU_PROT_WRITE;
    default: return EMU_PROT_READ;
    }
}

/* Physical address of the PTE group for a primary (hash) or secondary (~hash) hash */
uint32_t ppc_pteg_addr(const ppc_env *e, uint32_t hash)
{
    uint32_t htaborg = e->sdr1 & 0xffff0000u, htabmask = e->sdr1 & 0x1ff;
    return (htaborg & 0xfe000000u) | ((((htaborg >> 16) & 0x1ff) | ((hash >> 10) & htabmask)) << 16) |
           ((hash & 0x3ff) << 6);
}

/* A table search read or wrote where nothing answers: the bus signals TEA (machine check) */
static emu_excp_class bus_error(ppc_env *e, bool probe, uint32_t *code)
{
    if (probe)
        return EMU_EXCP_MEM;
    e->excp_srr1 = SRR1_MC_TEA;
    *code = PPC_VEC_MCHECK;
    return EMU_EXCP_ARCH;
}

static int bat_lookup(ppc_env *e, uint32_t vaddr, bool code, bool pr, uint32_t *paddr, unsigned *prot)
{
    const uint32_t *bats = code ? e->ibat : e->dbat;
    for (int i = 0; i < 4; i++) {
        uint32_t u = bats[2 * i], l = bats[2 * i + 1];
        if (!(u & (pr ? 1u : 2u)))
            continue;
        uint32_t bl = (u >> 2) & 0x7ff;
        uint32_t mask = ~((bl << 17) | 0x1ffffu);
        if ((vaddr & mask) != (u & mask))
            continue;
        *paddr = (l & mask) | (vaddr & ~mask);
        e->last_wimg = (l >> 3) & 15;
        unsigned pp = l & 3;
        *prot = pp == 0 ? 0 : pp == 2 ? (EMU_PROT_READ | EMU_PROT_WRITE) : EMU_PROT_READ;
        if (code && *prot)
            *prot |= EMU_PROT_EXEC;
        return 1;
    }
    return 0;
}

emu_excp_class ppc_mmu_translate(void *envp, uint64_t va, emu_access access, unsigned idx, bool probe,
                                 emu_mmu_result *res, uint32_t *code)
{
    ppc_env *e = envp;
    uint32_t vaddr = (uint32_t)va;
    bool pr = idx & 2, on = idx & 1, is_code = access == EMU_ACCESS_EXEC;
    if (!on) {
        res->paddr = vaddr;
        res->prot = EMU_PROT_READ | EMU_PROT_WRITE | EMU_PROT_EXEC;
        return EMU_EXCP_NONE;
    }
    uint32_t paddr;
    unsigned prot;
    if (bat_lookup(e, vaddr, is_code, pr, &paddr, &prot)) {
        if (!(prot & (1u << access)))
            return ppc_mmu_fault(e, vaddr, access, DSISR_PROT, probe, code);
        res->paddr = paddr;
        res->prot = prot;
        return EMU_EXCP_NONE;
    }
    uint32_t sr = e->sr[vaddr >> 28];
    if (sr & 0x80000000u)   /* direct-store segment: not supported by these processors' buses here */
        return ppc_mmu_fault(e, vaddr, access, is_code ? ISI_NOEXEC : DSISR_DIRECT, probe, code);
    if (is_code && (sr & 0x10000000u))
        return ppc_mmu_fault(e, vaddr, access, ISI_NOEXEC, probe, code);
    bool key = pr ? (sr >> 29) & 1 : (sr >> 30) & 1;
    /* the 603e searches its TLBs and leaves the page table to software (debugger probes,
       which must not raise anything, still read the table) */
    if (e->model->soft_tlb && !probe)
        return ppc_tlb603_translate(e, vaddr, access, sr, key, res, code);
    uint32_t vsid = sr & 0xffffff;
    uint32_t pgidx = (vaddr >> 12) & 0xffff;
    uint32_t api = pgidx >> 10;
    for (int h = 0; h < 2; h++) {
        uint32_t hash = (vsid & 0x7ffff) ^ pgidx;
        if (h)
            hash = ~hash;
        uint32_t pteg = ppc_pteg_addr(e, hash);
        for (int i = 0; i < 8; i++) {
            uint64_t w0, w1;
            uint32_t pa = pteg + 8 * i;
            if (emu_cpu_phys_read(e->cpu, pa, 4, &w0) < 0)
                return bus_error(e, probe, code);
            uint32_t want = 0x80000000u | vsid << 7 | (uint32_t)h << 6 | api;
            if ((uint32_t)w0 != want)
                continue;
            if (emu_cpu_phys_read(e->cpu, pa + 4, 4, &w1) < 0)
                return bus_error(e, probe, code);
            uint32_t pte1 = (uint32_t)w1;
            prot = ppc_pp_prot(pte1 & 3, key);
            if (!(sr & 0x10000000u))
                prot |= EMU_PROT_EXEC;
            if (is_code ? !(prot & EMU_PROT_READ) : !(prot & (1u << access)))
                return ppc_mmu_fault(e, vaddr, access, DSISR_PROT, probe, code);
            if (!probe) {
                uint32_t upd = pte1 | 0x100u | (access == EMU_ACCESS_WRITE ? 0x80u : 0);
                if (upd != pte1 && emu_cpu_phys_write(e->cpu, pa + 4, 4, upd) < 0)
                    return bus_error(e, probe, code);
                pte1 = upd;
            }
            /* writes are cached only once the changed bit is set */
            if (!(pte1 & 0x80u))
                prot &= ~EMU_PROT_WRITE;
            e->last_wimg = (pte1 >> 3) & 15;
            res->paddr = (pte1 & 0xfffff000u) | (vaddr & 0xfff);
            res->prot = prot;
            return EMU_EXCP_NONE;
        }
    }
    return ppc_mmu_fault(e, vaddr, access, DSISR_NOTFOUND, probe, code);
}

/* WIMG of the data page holding vaddr: real mode is cached (0b0011 on these processors);
   otherwise the BAT, the 603e's TLB entry or the page table entry, looked up without side
   effects (0 when nothing translates it: the access itself then faults or misses). */
uint32_t ppc_mmu_wimg(ppc_env *e, uint32_t vaddr)
{
    if (!(e->msr & MSR_DR))
        return 3;
    uint32_t paddr;
    unsigned prot;
    if (bat_lookup(e, vaddr, false, e->msr & MSR_PR, &paddr, &prot))
        return e->last_wimg;
    if (e->model->soft_tlb)
        return ppc_tlb603_wimg(e, vaddr);
    emu_mmu_result res;
    uint32_t code;
    unsigned idx = ((e->msr & MSR_PR) ? 2u : 0u) | 1u;
    if (ppc_mmu_translate(e, vaddr, EMU_ACCESS_READ, idx, true, &res, &code) != EMU_EXCP_NONE)
        return 0;    /* no translation: the access itself faults */
    return e->last_wimg;
}

/* Exception entry: SRR0/SRR1, the new MSR (ME and IP kept, TGPR only for TLB misses) and the
   vector, at 0xfff00000 when MSR[IP] */
static void enter_msr(ppc_env *e, uint32_t vec, uint32_t srr1, uint32_t new_msr)
{
    e->srr0 = e->pc;
    e->srr1 = srr1;
    ppc_store_msr(e, new_msr);
    e->pc = ((e->msr & MSR_IP) ? 0xfff00000u : 0) | vec;
    e->reserve_valid = 0;
}

static void enter(ppc_env *e, uint32_t vec, uint32_t reason)
{
    enter_msr(e, vec, (e->msr & 0x87c0ffffu) | reason, e->msr & (MSR_ME | MSR_IP));
}

/* The processor stops for good: the run ends with a message, never a host abort */
static void checkstop(ppc_env *e, const char *why)
{
    e->checkstop = 1;
    emu_log(emu_cpu_device(e->cpu), EMU_LOG_ERROR,
            "checkstop: %s with MSR[ME] = 0 at pc 0x%08x (MSR 0x%08x); the processor stopped",
            why, e->pc, e->msr);
    emu_machine_request_quit(e->machine, 1);
}

/* Machine check (0x200): SRR1[16-31] from the MSR, the MCP/TEA cause bits on the 750 (the
   603e and 604 clear SRR1[0-15]); the handler runs with ME cleared, so a second one checkstops */
static void machine_check(ppc_env *e, uint32_t cause)
{
    if (!(e->msr & MSR_ME)) {
        checkstop(e, (cause & SRR1_MC_MCP) ? "machine check (MCP)" : "machine check (bus error, TEA)");
        return;
    }
    uint32_t srr1 = (e->msr & 0xffffu) | (e->model->mc_srr1_bits ? cause : 0);
    enter_msr(e, PPC_VEC_MCHECK, srr1, e->msr & MSR_IP);
}

void ppc_do_interrupt(void *envp, emu_excp_class cls, uint32_t code)
{
    ppc_env *e = envp;
    switch (cls) {
    case EMU_EXCP_SYSCALL: enter(e, PPC_VEC_SC, 0); break;
    case EMU_EXCP_ILLEGAL: enter(e, PPC_VEC_PROGRAM, SRR1_ILLEGAL); break;
    case EMU_EXCP_PRIV: enter(e, PPC_VEC_PROGRAM, SRR1_PRIV); break;
    case EMU_EXCP_TRAP: enter(e, PPC_VEC_PROGRAM, SRR1_TRAP); break;
    case EMU_EXCP_FP: enter(e, PPC_VEC_PROGRAM, SRR1_FP_ENABLED); break;
    case EMU_EXCP_FP_UNAVAIL: enter(e, PPC_VEC_FPU, 0); break;
    case EMU_EXCP_ALIGN: enter(e, PPC_VEC_ALIGN, 0); break;
    case EMU_EXCP_DEBUG: enter(e, PPC_VEC_TRACE, 0); break;
    case EMU_EXCP_ARCH:
        switch (code) {
        case PPC_VEC_ISI:
            enter(e, PPC_VEC_ISI, e->excp_srr1);
            break;
        case PPC_VEC_MCHECK:
            machine_check(e, e->excp_srr1);
            break;
        case PPC_VEC_ITLB_MISS: case PPC_VEC_DLTLB_MISS: case PPC_VEC_DSTLB_MISS:
            /* SRR1: CR0, key, way, I/D, S/L and MSR[16-31]; the handler runs on TGPR0-3 */
            enter_msr(e, code, (e->crf[0] & 15) << 28 | e->excp_srr1 | (e->msr & 0xffffu),
                      (e->msr & (MSR_ME | MSR_IP)) | MSR_TGPR);
            break;
        default:
            enter(e, code & 0xff00, 0);
            break;
        }
        break;
    default: /* EMU_EXCP_MEM from a probe never reaches here */
        machine_check(e, SRR1_MC_TEA);
        break;
    }
}

bool ppc_check_interrupts(void *envp)
{
    ppc_env *e = envp;
    if (e->hreset_pending) {
        /* hard reset: the power-on state, fetching from 0xfff00100 (MSR[IP] set) */
        ppc_hard_reset(e);
        return true;
    }
    if (e->checkstop)
        return false;
    if (e->sreset_pending) {
        /* soft reset (0x100): an exception that keeps the registers; SRR0 is the next
           instruction, MSR[ME] and MSR[IP] are kept */
        e->sreset_pending = 0;
        enter(e, PPC_VEC_RESET, 0);
        return true;
    }
    if (e->mc_pending) {
        uint32_t cause = e->mc_pending;
        e->mc_pending = 0;
        machine_check(e, cause);
        return true;
    }
    if (!(e->msr & MSR_EE))
        return false;
    if (e->int_level) {
        enter(e, PPC_VEC_EXT, 0);
        return true;
    }
    if (e->dec_pending) {
        e->dec_pending = 0;
        enter(e, PPC_VEC_DEC, 0);
        return true;
    }
    return false;
}
