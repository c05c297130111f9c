/* PowerPC helpers called from translated code: CR/XER images, SPRs, time base and decrementer,
 * MSR and segment registers, load/store multiple and string, reservations, dcbz. */
#include <string.h>
#include "emu/clock.h"
#include "ppc-cpu.h"

uint32_t ppc_get_xer(const ppc_env *e)
{
    return e->so << 31 | e->ov << 30 | e->ca << 29 | e->xer_rest;
}

void ppc_set_xer(ppc_env *e, uint32_t v)
{
    e->so = v >> 31 & 1;
    e->ov = v >> 30 & 1;
    e->ca = v >> 29 & 1;
    /* the other bits are kept as written (QEMU 7.2 does the same; the 604 leaves them undefined),
       except OV32/CA32 which these processors do not have */
    e->xer_rest = v & ~0xe00c0000u;
}

uint32_t ppc_get_cr(const ppc_env *e)
{
    uint32_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (e->crf[i] & 15) << (28 - 4 * i);
    return v;
}

void ppc_set_cr(ppc_env *e, uint32_t v)
{
    for (int i = 0; i < 8; i++)
        e->crf[i] = (v >> (28 - 4 * i)) & 15;
}

uint64_t ppc_h_mfcr(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    return ppc_get_cr(env);
}

uint64_t ppc_h_mtcrf(void *env, uint64_t v, uint64_t mask, uint64_t c)
{
    ppc_env *e = env;
    for (int i = 0; i < 8; i++)
        if (mask & (0x80u >> i))
            e->crf[i] = ((uint32_t)v >> (28 - 4 * i)) & 15;
    return 0;
}

uint64_t ppc_h_mfxer(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    return ppc_get_xer(env);
}

uint64_t ppc_h_mtxer(void *env, uint64_t v, uint64_t b, uint64_t c)
{
    ppc_set_xer(env, (uint32_t)v);
    return 0;
}

uint64_t ppc_h_divwo(void *env, uint64_t a64, uint64_t b64, uint64_t is_signed)
{
    ppc_env *e = env;
    uint32_t a = (uint32_t)a64, b = (uint32_t)b64;
    bool ov = b == 0 || (is_signed && a == 0x80000000u && b == 0xffffffffu);
    e->ov = ov;
    e->so |= ov;
    if (ov)
        return a;   /* QEMU 7.2 divides by 1 instead: the result is the dividend */
    return is_signed ? (uint32_t)((int32_t)a / (int32_t)b) : a / b;
}

uint64_t ppc_h_mullwo(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    ppc_env *e = env;
    int64_t p = (int64_t)(int32_t)a * (int32_t)b;
    bool ov = p != (int32_t)p;
    e->ov = ov;
    e->so |= ov;
    return (uint32_t)p;
}

/* ---- load/store multiple and string ---- */
static unsigned mmu_of(ppc_env *e)
{
    return ((e->msr & MSR_PR) ? 2u : 0u) | ((e->msr & MSR_DR) ? 1u : 0u);
}

uint64_t ppc_h_lsw(void *env, uint64_t ea, uint64_t arg, uint64_t c)
{
    ppc_env *e = env;
    unsigned rd = arg & 31, nb = (arg >> 8) & 0xff;
    uint32_t addr = (uint32_t)ea;
    /* load into a copy so a fault half way leaves registers unchanged */
    uint32_t regs[32];
    memcpy(regs, e->gpr, sizeof regs);
    unsigned r = rd;
    for (unsigned i = 0; i < nb; i++) {
        if (i % 4 == 0) {
            if (i)
                r = (r + 1) & 31;
            regs[r] = 0;
        }
        uint32_t byte = (uint32_t)emu_cpu_load(env, addr + i, EMU_MO_8, mmu_of(e));
        regs[r] |= byte << (24 - 8 * (i % 4));
    }
    memcpy(e->gpr, regs, sizeof regs);
    return 0;
}

uint64_t ppc_h_stsw(void *env, uint64_t ea, uint64_t arg, uint64_t c)
{
    ppc_env *e = env;
    unsigned rs = arg & 31, nb = (arg >> 8) & 0xff;
    uint32_t addr = (uint32_t)ea;
    unsigned r = rs;
    for (unsigned i = 0; i < nb; i++) {
        if (i && i % 4 == 0)
            r = (r + 1) & 31;
        emu_cpu_store(env, addr + i, (e->gpr[r] >> (24 - 8 * (i % 4))) & 0xff, EMU_MO_8, mmu_of(e));
    }
    return 0;
}

uint64_t ppc_h_lswx(void *env, uint64_t ea, uint64_t arg, uint64_t c)
{
    ppc_env *e = env;
    unsigned rd = arg & 31, ra = (arg >> 8) & 31, rb = (arg >> 16) & 31;
    bool ra0 = arg & 0x1000000u;
    unsigned nb = e->xer_rest & 0x7f;
    if (nb == 0)
        return 0;
    /* invalid form: rD range covers rA or rB (QEMU raises an illegal instruction) */
    unsigned nregs = (nb + 3) / 4;
    for (unsigned i = 0; i < nregs; i++) {
        unsigned r = (rd + i) & 31;
        if ((!ra0 && r == ra) || r == rb)
            emu_cpu_raise(env, EMU_EXCP_ILLEGAL, SRR1_ILLEGAL, false);
    }
    return ppc_h_lsw(env, ea, rd | nb << 8, 0);
}

uint64_t ppc_h_stswx(void *env, uint64_t ea, uint64_t arg, uint64_t c)
{
    ppc_env *e = env;
    unsigned nb = e->xer_rest & 0x7f;
    return ppc_h_stsw(env, ea, (arg & 31) | nb << 8, 0);
}

/* ---- alignment exceptions ---- */
/* DSISR of an alignment exception: from the instruction, as the 603e, 604 and 750 manuals give
   it (indexed forms: bits 29-30, 25 and 21-24 of the instruction in DSISR 15-21; immediate
   forms: bits 5 and 1-4 in DSISR 17-21; then rD/rS and rA) */
static uint32_t align_dsisr(uint32_t insn)
{
    uint32_t v = ((insn >> 21) & 31) << 5 | ((insn >> 16) & 31);
    if ((insn >> 26) == 31)
        v |= ((insn >> 1) & 3) << 15 | ((insn >> 6) & 1) << 14 | ((insn >> 7) & 15) << 10;
    else
        v |= ((insn >> 26) & 1) << 14 | ((insn >> 27) & 15) << 10;
    return v;
}

/* DAR and DSISR of an alignment exception the translated code then raises */
uint64_t ppc_h_align(void *env, uint64_t ea, uint64_t insn, uint64_t c)
{
    ppc_env *e = env;
    e->dar = (uint32_t)ea;
    e->dsisr = align_dsisr((uint32_t)insn);
    return 0;
}

static void __attribute__((noreturn)) raise_align(void *env, uint32_t ea, uint32_t insn)
{
    ppc_h_align(env, ea, insn, 0);
    emu_cpu_raise(env, EMU_EXCP_ALIGN, ea, false);
}

/* eciwx / ecowx: a word to or from the device EAR[RID] names; the external control facility
   must be enabled (EAR[E], else a DSI) and the word aligned.  No device here answers by
   ID: the access goes to memory like lwz / stw. */
static uint32_t ext_control_ea(void *env, uint64_t ea, uint64_t insn, bool store)
{
    ppc_env *e = env;
    uint32_t addr = (uint32_t)ea;
    if (!(e->ear & 0x80000000u)) {
        e->dar = addr;
        e->dsisr = 0x00100000u | (store ? DSISR_STORE : 0);
        emu_cpu_raise(env, EMU_EXCP_ARCH, PPC_VEC_DSI, false);
    }
    if (addr & 3)
        raise_align(env, addr, (uint32_t)insn);
    return addr;
}

uint64_t ppc_h_eciwx(void *env, uint64_t ea, uint64_t insn, uint64_t c)
{
    uint32_t addr = ext_control_ea(env, ea, insn, false);
    return (uint32_t)emu_cpu_load(env, addr, EMU_MO_32 | EMU_MO_BE, mmu_of(env));
}

uint64_t ppc_h_ecowx(void *env, uint64_t ea, uint64_t insn, uint64_t v)
{
    uint32_t addr = ext_control_ea(env, ea, insn, true);
    emu_cpu_store(env, addr, (uint32_t)v, EMU_MO_32 | EMU_MO_BE, mmu_of(env));
    return 0;
}

uint64_t ppc_h_lwarx(void *env, uint64_t ea, uint64_t insn, uint64_t c)
{
    ppc_env *e = env;
    uint32_t addr = (uint32_t)ea;
    if (addr & 3)
        raise_align(env, addr, (uint32_t)insn);
    uint32_t v = (uint32_t)emu_cpu_load(env, addr, EMU_MO_32 | EMU_MO_BE, mmu_of(e));
    e->reserve_addr = addr;
    e->reserve_val = v;
    e->reserve_valid = 1;
    return v;
}

uint64_t ppc_h_stwcx(void *env, uint64_t ea, uint64_t v, uint64_t insn)
{
    ppc_env *e = env;
    uint32_t addr = (uint32_t)ea;
    if (addr & 3)
        raise_align(env, addr, (uint32_t)insn);
    bool ok = false;
    if (e->reserve_valid && e->reserve_addr == addr) {
        /* Other threads' stores are not tracked: succeed when memory still holds the value
           lwarx read, compared and swapped atomically (as QEMU does). */
        ok = emu_cpu_cmpxchg(env, addr, e->reserve_val, (uint32_t)v, EMU_MO_32 | EMU_MO_BE, mmu_of(e));
    }
    e->reserve_valid = 0;
    e->crf[0] = (ok ? 2u : 0u) | e->so;
    return 0;
}

uint64_t ppc_h_dcbz(void *env, uint64_t ea, uint64_t insn, uint64_t c)
{
    ppc_env *e = env;
    /* a block can only be zeroed in the cache: write-through (W) or caching-inhibited (I)
       storage takes an alignment exception instead */
    if (!e->user_mode && (ppc_mmu_wimg(e, (uint32_t)ea) & 0xc))
        raise_align(env, (uint32_t)ea, (uint32_t)insn);
    uint32_t addr = (uint32_t)ea & ~31u;
    for (unsigned i = 0; i < 32; i += 4)
        emu_cpu_store(env, addr + i, 0, EMU_MO_32 | EMU_MO_BE, mmu_of(e));
    return 0;
}

/* ---- time base and decrementer (virtual clock, tb_freq ticks per second) ---- */
static uint64_t ticks_now(ppc_env *e)
{
    uint64_t ns = emu_clock_ns(e->machine);
    return (uint64_t)((unsigned __int128)ns * e->tb_freq / 1000000000u);
}

uint64_t ppc_read_tb(ppc_env *e)
{
    return ticks_now(e) + e->tb_offset;
}

static void write_tb(ppc_env *e, uint64_t v)
{
    e->tb_offset = v - ticks_now(e);
}

uint32_t ppc_read_dec(ppc_env *e)
{
    uint64_t now = emu_clock_ns(e->machine);
    uint64_t elapsed = (uint64_t)((unsigned __int128)(now - e->dec_base_ns) * e->tb_freq / 1000000000u);
    return e->dec_base - (uint32_t)elapsed;
}

void ppc_write_dec(ppc_env *e, uint32_t v)
{
    uint32_t old = ppc_read_dec(e);
    e->dec_base = v;
    e->dec_base_ns = emu_clock_ns(e->machine);
    /* the interrupt is signalled when bit 0 goes from 0 to 1 */
    if ((v & 0x80000000u) && !(old & 0x80000000u)) {
        e->dec_pending = 1;
        emu_cpu_interrupt_request(e->cpu);
    }
    if (e->dec_timer) {
        if (v & 0x80000000u) {
            emu_timer_cancel(e->dec_timer);
        } else {
            uint64_t ticks = (uint64_t)v + 1;
            uint64_t ns = (uint64_t)((unsigned __int128)ticks * 1000000000u / e->tb_freq);
            emu_timer_arm(e->dec_timer, e->dec_base_ns + ns + 1);
        }
    }
}

uint64_t ppc_h_mftb(void *env, uint64_t upper, uint64_t b, uint64_t c)
{
    uint64_t tb = ppc_read_tb(env);
    return upper ? tb >> 32 : (uint32_t)tb;
}

/* ---- SPRs ---- */
static uint32_t *bat(ppc_env *e, unsigned spr)
{
    if (spr >= 528 && spr <= 535)
        return &e->ibat[spr - 528];
    if (spr >= 536 && spr <= 543)
        return &e->dbat[spr - 536];
    return NULL;
}

static void bad_spr(void *env, ppc_env *e, unsigned spr)
{
    /* SPRs numbered 16 and up are privileged; unknown ones are invalid */
    if ((spr & 0x10) && (e->msr & MSR_PR))
        emu_cpu_raise(env, EMU_EXCP_PRIV, SRR1_PRIV, false);
    emu_cpu_raise(env, EMU_EXCP_ILLEGAL, SRR1_ILLEGAL, false);
}

uint64_t ppc_h_mfspr(void *env, uint64_t sprn, uint64_t b, uint64_t c)
{
    ppc_env *e = env;
    unsigned spr = (unsigned)sprn;
    if ((spr & 0x10) && (e->msr & MSR_PR))
        emu_cpu_raise(env, EMU_EXCP_PRIV, SRR1_PRIV, false);
    uint32_t *p = bat(e, spr);
    if (p)
        return *p;
    switch (spr) {
    case 18: return e->dsisr;
    case 19: return e->dar;
    case 22: return ppc_read_dec(e);
    case 25: return e->sdr1;
    case 26: return e->srr0;
    case 27: return e->srr1;
    case 272: case 273: case 274: case 275: return e->sprg[spr - 272];
    case 282: return e->ear;
    case 287: return e->pvr;
    case 268: return (uint32_t)ppc_read_tb(e);
    case 269: return ppc_read_tb(e) >> 32;
    case 1008: return e->hid0;
    case 1009: if (e->model->has_hid1) return e->hid1; break;
    case 1010: return e->iabr;
    case 1013: return e->dabr;
    case 1017: if (e->model->has_l2cr) return e->l2cr; break;
    case 1019: if (e->model->has_l2cr) return e->ictc; break;
    case 1020: case 1021: case 1022: if (e->model->has_l2cr) return e->thrm[spr - 1020]; break;
    case 1023: return e->pir;
    case 976: if (e->model->soft_tlb) return e->dmiss; break;
    case 977: if (e->model->soft_tlb) return e->dcmp; break;
    case 978: if (e->model->soft_tlb) return e->hash1; break;
    case 979: if (e->model->soft_tlb) return e->hash2; break;
    case 980: if (e->model->soft_tlb) return e->imiss; break;
    case 981: if (e->model->soft_tlb) return e->icmp; break;
    case 982: if (e->model->soft_tlb) return e->rpa; break;
    case 952: case 956: return e->mmcr[spr == 956];
    case 953: case 954: return e->pmc[spr - 953];
    case 957: case 958: return e->pmc[spr - 955];
    case 955: return e->sia;
    case 959: return e->sda;
    }
    bad_spr(env, e, spr);
    return 0;
}

uint64_t ppc_h_mtspr(void *env, uint64_t sprn, uint64_t v64, uint64_t c)
{
    ppc_env *e = env;
    unsigned spr = (unsigned)sprn;
    uint32_t v = (uint32_t)v64;
    if ((spr & 0x10) && (e->msr & MSR_PR))
        emu_cpu_raise(env, EMU_EXCP_PRIV, SRR1_PRIV, false);
    uint32_t *p = bat(e, spr);
    if (p) {
        *p = v;
        emu_cpu_tlb_flush(e->cpu);
        return 0;
    }
    switch (spr) {
    case 18: e->dsisr = v; return 0;
    case 19: e->dar = v; return 0;
    case 22: ppc_write_dec(e, v); return 0;
    case 25: e->sdr1 = v; emu_cpu_tlb_flush(e->cpu); return 0;
    case 26: e->srr0 = v; return 0;
    case 27: e->srr1 = v; return 0;
    case 272: case 273: case 274: case 275: e->sprg[spr - 272] = v; return 0;
    case 282: e->ear = v; return 0;
    case 284: write_tb(e, (ppc_read_tb(e) & 0xffffffff00000000ull) | v); return 0;
    case 285: write_tb(e, (ppc_read_tb(e) & 0xffffffffull) | (uint64_t)v << 32); return 0;
    case 1008: e->hid0 = v; return 0;
    case 1009: if (e->model->has_hid1) { e->hid1 = v; return 0; } break;
    case 1010: e->iabr = v; return 0;
    case 1013: e->dabr = v; return 0;
    case 1017: if (e->model->has_l2cr) { e->l2cr = v; return 0; } break;
    case 1019: if (e->model->has_l2cr) { e->ictc = v; return 0; } break;
    case 1020: case 1021: case 1022: if (e->model->has_l2cr) { e->thrm[spr - 1020] = v; return 0; } break;
    case 1023: return 0;   /* PIR is read-only here */
    /* 603e: the miss registers are read-only (writes ignored), RPA is written by the handlers */
    case 976: case 977: case 978: case 979: case 980: case 981: if (e->model->soft_tlb) return 0; break;
    case 982: if (e->model->soft_tlb) { e->rpa = v; return 0; } break;
    case 952: case 956: e->mmcr[spr == 956] = v; return 0;
    case 953: case 954: e->pmc[spr - 953] = v; return 0;
    case 957: case 958: e->pmc[spr - 955] = v; return 0;
    case 955: e->sia = v; return 0;
    case 959: e->sda = v; return 0;
    }
    bad_spr(env, e, spr);
    return 0;
}

/* ---- MSR, segments, TLB ---- */
static void set_msr(ppc_env *e, uint32_t v)
{
    /* TLB entries are kept per translation regime (mmu_idx): no flush needed */
    ppc_store_msr(e, v);
    if (e->msr & MSR_EE)
        emu_cpu_interrupt_request(e->cpu);
}

uint64_t ppc_h_mtmsr(void *env, uint64_t v, uint64_t b, uint64_t c)
{
    ppc_env *e = env;
    set_msr(e, (uint32_t)v);
    if (e->msr & MSR_POW)
        emu_cpu_raise(env, EMU_EXCP_HALT, 0, true);   /* doze until an interrupt */
    return 0;
}

uint64_t ppc_h_rfi(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    ppc_env *e = env;
    /* rfi always leaves the TGPR bank (the 603e's miss handlers return with it) */
    set_msr(e, (e->msr & ~(0x87c0ffffu | MSR_TGPR)) | (e->srr1 & 0x87c0ffffu));
    e->pc = e->srr0 & ~3u;
    emu_cpu_interrupt_request(e->cpu);   /* back to the loop: mode and EE may have changed */
    return 0;
}

uint64_t ppc_h_mtsr(void *env, uint64_t n, uint64_t v, uint64_t c)
{
    ppc_env *e = env;
    e->sr[n & 15] = (uint32_t)v;
    emu_cpu_tlb_flush(e->cpu);
    return 0;
}

uint64_t ppc_h_mfsr(void *env, uint64_t n, uint64_t b, uint64_t c)
{
    return ((ppc_env *)env)->sr[n & 15];
}

uint64_t ppc_h_tlbie(void *env, uint64_t ea, uint64_t b, uint64_t c)
{
    ppc_env *e = env;
    /* tlbie drops every entry of that page index, whatever the segment (like the 6xx TLB) */
    if (e->model->soft_tlb)
        ppc_tlb603_invalidate_page(e, (uint32_t)ea);
    emu_cpu_tlb_flush(e->cpu);
    return 0;
}

