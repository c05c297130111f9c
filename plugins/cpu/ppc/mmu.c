/* PowerPC 6xx memory management and exceptions (system mode): BATs, segment registers, the hashed
 * page table with referenced/changed bits, exception entry, and external/decrementer interrupts. */
#include "ppc-cpu.h"

#define DSISR_NOTFOUND 0x40000000u
#define DSISR_PROT     0x08000000u
#define DSISR_DIRECT   0x04000000u
#define DSISR_STORE    0x02000000u
#define ISI_NOEXEC     0x10000000u

static emu_excp_class fault(ppc_env *e, uint32_t vaddr, emu_access access, uint32_t why, bool probe,
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
static unsigned pp_prot(unsigned pp, bool key)
{
    if (!key)
        return pp == 3 ? EMU_PROT_READ : EMU_PROT_READ | EMU_PROT_WRITE;
    switch (pp) {
    case 0: return 0;
    case 2: return EMU_PROT_READ | EMU_PROT_WRITE;
    default: return EMU_PROT_READ;
    }
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
            return fault(e, vaddr, access, DSISR_PROT, probe, code);
        res->paddr = paddr;
        res->prot = prot;
        return EMU_EXCP_NONE;
    }
    uint32_t sr = e->sr[vaddr >> 28];
    if (sr & 0x80000000u)   /* direct-store segment: not supported by these processors' buses here */
        return fault(e, vaddr, access, is_code ? ISI_NOEXEC : DSISR_DIRECT, probe, code);
    if (is_code && (sr & 0x10000000u))
        return fault(e, vaddr, access, ISI_NOEXEC, probe, code);
    bool key = pr ? (sr >> 29) & 1 : (sr >> 30) & 1;
    uint32_t vsid = sr & 0xffffff;
    uint32_t pgidx = (vaddr >> 12) & 0xffff;
    uint32_t api = pgidx >> 10;
    uint32_t htaborg = e->sdr1 & 0xffff0000u, htabmask = e->sdr1 & 0x1ff;
    for (int h = 0; h < 2; h++) {
        uint32_t hash = (vsid & 0x7ffff) ^ pgidx;
        if (h)
            hash = ~hash;
        uint32_t pteg = (htaborg & 0xfe000000u) |
                        ((((htaborg >> 16) & 0x1ff) | ((hash >> 10) & htabmask)) << 16) |
                        ((hash & 0x3ff) << 6);
        for (int i = 0; i < 8; i++) {
            uint64_t w0, w1;
            uint32_t pa = pteg + 8 * i;
            if (emu_cpu_phys_read(e->cpu, pa, 4, &w0) < 0)
                continue;
            uint32_t want = 0x80000000u | vsid << 7 | (uint32_t)h << 6 | api;
            if ((uint32_t)w0 != want)
                continue;
            if (emu_cpu_phys_read(e->cpu, pa + 4, 4, &w1) < 0)
                continue;
            uint32_t pte1 = (uint32_t)w1;
            prot = pp_prot(pte1 & 3, key);
            if (!(sr & 0x10000000u))
                prot |= EMU_PROT_EXEC;
            if (is_code ? !(prot & EMU_PROT_READ) : !(prot & (1u << access)))
                return fault(e, vaddr, access, DSISR_PROT, probe, code);
            if (!probe) {
                uint32_t upd = pte1 | 0x100u | (access == EMU_ACCESS_WRITE ? 0x80u : 0);
                if (upd != pte1)
                    emu_cpu_phys_write(e->cpu, pa + 4, 4, upd);
                pte1 = upd;
            }
            /* writes are cached only once the changed bit is set */
            if (!(pte1 & 0x80u))
                prot &= ~EMU_PROT_WRITE;
            res->paddr = (pte1 & 0xfffff000u) | (vaddr & 0xfff);
            res->prot = prot;
            return EMU_EXCP_NONE;
        }
    }
    return fault(e, vaddr, access, DSISR_NOTFOUND, probe, code);
}

static void enter(ppc_env *e, uint32_t vec, uint32_t reason)
{
    e->srr0 = e->pc;
    e->srr1 = (e->msr & 0x87c0ffffu) | reason;
    e->msr &= MSR_ME | MSR_IP;
    e->pc = ((e->srr1 & MSR_IP) ? 0xfff00000u : 0) | vec;
    e->reserve_valid = 0;
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
        enter(e, code & 0xff00, code == PPC_VEC_ISI ? e->excp_srr1 : 0);
        break;
    default: /* EMU_EXCP_MEM from a probe never reaches here */
        enter(e, PPC_VEC_MCHECK, 0);
        break;
    }
}

bool ppc_check_interrupts(void *envp)
{
    ppc_env *e = envp;
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
