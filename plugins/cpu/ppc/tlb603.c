/* The PowerPC 603e's software-loaded TLBs.  The 603e has no hardware table search: a
 * translation missing from its instruction or data TLB (two ways of 32 sets each, the set
 * chosen by EA[15-19]) raises an instruction TLB miss (0x1000), data load TLB miss (0x1100)
 * or data store TLB miss (0x1200) with IMISS/DMISS, ICMP/DCMP and HASH1/HASH2 filled in and
 * the key, the way to replace, instruction/data and load/store in SRR1; the handler, running
 * on TGPR0-3, loads the entry with tlbli/tlbld from ICMP/DCMP and RPA.  A store through an
 * entry whose C bit is clear also takes the data store miss, so software sets C.
 * The core's software TLB only ever holds what these TLBs translate: every entry replaced or
 * invalidated here is dropped from it.  Each set's replacement way (SRR1[WAY]) follows the
 * fills and the hits seen here; repeated hits the core's TLB serves do not move it, so a set
 * may name another way than the hardware's LRU bit would after many hits on one page. */
#include "ppc-cpu.h"

#define PTE_VALID 0x80000000u
#define PTE_H     0x00000040u
#define RPA_C     0x00000080u

static unsigned set_of(uint32_t ea)
{
    return (ea >> 12) & (TLB603_SETS - 1);
}

static void drop(ppc_env *e, ppc_tlb603_entry *t)
{
    if (t->cmp & PTE_VALID)
        emu_cpu_tlb_flush_page(e->cpu, t->epn);
    t->cmp = 0;
}

emu_excp_class ppc_tlb603_translate(ppc_env *e, uint32_t vaddr, emu_access access, uint32_t sr, bool key,
                                    emu_mmu_result *res, uint32_t *code)
{
    bool is_code = access == EMU_ACCESS_EXEC, store = access == EMU_ACCESS_WRITE;
    unsigned side = is_code ? 0 : 1, set = set_of(vaddr);
    uint32_t vsid = sr & 0xffffff, pgidx = (vaddr >> 12) & 0xffff;
    uint32_t want = PTE_VALID | vsid << 7 | pgidx >> 10;
    uint32_t epn = vaddr & ~0xfffu;
    for (unsigned way = 0; way < 2; way++) {
        ppc_tlb603_entry *t = &e->tlb603[side][set][way];
        if ((t->cmp & ~PTE_H) != want || t->epn != epn)
            continue;
        unsigned prot = ppc_pp_prot(t->rpa & 3, key);
        if (is_code && (prot & EMU_PROT_READ))
            prot |= EMU_PROT_EXEC;
        if (!(prot & (1u << access)))
            return ppc_mmu_fault(e, vaddr, access, DSISR_PROT, false, code);
        if (store && !(t->rpa & RPA_C))
            break;                      /* C must be set by software: data store miss */
        e->tlb603_next[side][set] = (uint8_t)(way ^ 1);
        if (!(t->rpa & RPA_C))
            prot &= ~EMU_PROT_WRITE;    /* the first store comes back here */
        res->paddr = (t->rpa & 0xfffff000u) | (vaddr & 0xfff);
        res->prot = prot;
        return EMU_EXCP_NONE;
    }
    /* miss: what the handler needs to search the page table itself */
    uint32_t hash = (vsid & 0x7ffff) ^ pgidx;
    e->hash1 = ppc_pteg_addr(e, hash);
    e->hash2 = ppc_pteg_addr(e, ~hash);
    if (is_code) {
        e->imiss = vaddr;
        e->icmp = want;
    } else {
        e->dmiss = vaddr;
        e->dcmp = want;
    }
    e->excp_srr1 = (key ? SRR1_TLB_KEY : 0) | (is_code ? SRR1_TLB_INSN : 0) |
                   (e->tlb603_next[side][set] ? SRR1_TLB_WAY : 0) | (store ? SRR1_TLB_STORE : 0);
    *code = is_code ? PPC_VEC_ITLB_MISS : store ? PPC_VEC_DSTLB_MISS : PPC_VEC_DLTLB_MISS;
    return EMU_EXCP_ARCH;
}

/* tlbld / tlbli: load the entry for EA into the way SRR1[WAY] names */
static void load(ppc_env *e, unsigned side, uint32_t ea)
{
    unsigned set = set_of(ea), way = (e->srr1 & SRR1_TLB_WAY) ? 1 : 0;
    uint32_t epn = ea & ~0xfffu;
    ppc_tlb603_entry *other = &e->tlb603[side][set][way ^ 1];
    if (other->epn == epn)
        drop(e, other);                 /* never two entries for one page */
    ppc_tlb603_entry *t = &e->tlb603[side][set][way];
    drop(e, t);
    t->cmp = side ? e->dcmp : e->icmp;
    t->rpa = e->rpa;
    t->epn = epn;
    emu_cpu_tlb_flush_page(e->cpu, epn);
    e->tlb603_next[side][set] = (uint8_t)(way ^ 1);
}

/* (the translator only decodes them for the 603e) */
uint64_t ppc_h_tlbld(void *env, uint64_t ea, uint64_t b, uint64_t c)
{
    load(env, 1, (uint32_t)ea);
    return 0;
}

uint64_t ppc_h_tlbli(void *env, uint64_t ea, uint64_t b, uint64_t c)
{
    load(env, 0, (uint32_t)ea);
    return 0;
}

/* tlbie: both ways of the set EA selects, in both TLBs, whatever their page */
void ppc_tlb603_invalidate_page(ppc_env *e, uint32_t ea)
{
    unsigned set = set_of(ea);
    for (unsigned side = 0; side < 2; side++)
        for (unsigned way = 0; way < 2; way++)
            drop(e, &e->tlb603[side][set][way]);
}
