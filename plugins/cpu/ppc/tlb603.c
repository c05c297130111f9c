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

/* The compare word of a page: V, the segment's VSID, the API (EA[4-9]) */
static uint32_t cmp_word(uint32_t sr, uint32_t vaddr)
{
    return PTE_VALID | (sr & 0xffffff) << 7 | ((vaddr >> 22) & 0x3f);
}

/* The way of TLB `side` (0 instruction, 1 data) holding vaddr's page, or -1 */
static int find(const ppc_env *e, unsigned side, uint32_t vaddr, uint32_t sr)
{
    uint32_t want = cmp_word(sr, vaddr);
    for (int way = 0; way < 2; way++) {
        const ppc_tlb603_entry *t = &e->tlb603[side][set_of(vaddr)][way];
        if ((t->cmp & ~PTE_H) == want && t->epn == (vaddr & ~0xfffu))
            return way;
    }
    return -1;
}

emu_excp_class ppc_tlb603_translate(ppc_env *e, uint32_t vaddr, emu_access access, uint32_t sr, bool key,
                                    emu_mmu_result *res, uint32_t *code)
{
    bool is_code = access == EMU_ACCESS_EXEC, store = access == EMU_ACCESS_WRITE;
    unsigned side = is_code ? 0 : 1, set = set_of(vaddr);
    uint32_t vsid = sr & 0xffffff, pgidx = (vaddr >> 12) & 0xffff;
    int way = find(e, side, vaddr, sr);
    if (way >= 0) {
        ppc_tlb603_entry *t = &e->tlb603[side][set][way];
        unsigned prot = ppc_pp_prot(t->rpa & 3, key);
        if (is_code && (prot & EMU_PROT_READ))
            prot |= EMU_PROT_EXEC;
        if (!(prot & (1u << access)))
            return ppc_mmu_fault(e, vaddr, access, DSISR_PROT, false, code);
        /* a store through an entry with C clear is a data store miss: software sets C */
        if (!store || (t->rpa & RPA_C)) {
            e->tlb603_next[side][set] = (uint8_t)(way ^ 1);
            if (!(t->rpa & RPA_C))
                prot &= ~EMU_PROT_WRITE;    /* the first store comes back here */
            res->paddr = (t->rpa & 0xfffff000u) | (vaddr & 0xfff);
            res->prot = prot;
            return EMU_EXCP_NONE;
        }
    }
    /* miss: what the handler needs to search the page table itself */
    uint32_t hash = (vsid & 0x7ffff) ^ pgidx;
    e->hash1 = ppc_pteg_addr(e, hash);
    e->hash2 = ppc_pteg_addr(e, ~hash);
    if (is_code) {
        e->imiss = vaddr;
        e->icmp = cmp_word(sr, vaddr);
    } else {
        e->dmiss = vaddr;
        e->dcmp = cmp_word(sr, vaddr);
    }
    e->excp_srr1 = (key ? SRR1_TLB_KEY : 0) | (is_code ? SRR1_TLB_INSN : 0) |
                   (e->tlb603_next[side][set] ? SRR1_TLB_WAY : 0) | (store ? SRR1_TLB_STORE : 0);
    *code = is_code ? PPC_VEC_ITLB_MISS : store ? PPC_VEC_DSTLB_MISS : PPC_VEC_DLTLB_MISS;
    return EMU_EXCP_ARCH;
}

/* WIMG of the data TLB entry translating vaddr, 0 when there is none */
uint32_t ppc_tlb603_wimg(const ppc_env *e, uint32_t vaddr)
{
    int way = find(e, 1, vaddr, e->sr[vaddr >> 28]);
    return way < 0 ? 0 : (e->tlb603[1][set_of(vaddr)][way].rpa >> 3) & 15;
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
