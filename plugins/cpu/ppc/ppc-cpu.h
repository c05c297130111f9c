/* 32-bit PowerPC CPU plugin: the guest state (env), MSR/SPR numbers, and what the translator,
 * the helpers and the MMU share. */
#ifndef EMU_PPC_CPU_H
#define EMU_PPC_CPU_H

#include <stddef.h>
#include <stdint.h>
#include "emu/clock.h"
#include "emu/cpu-plugin.h"

/* MSR bits (32-bit numbering: value masks) */
#define MSR_POW (1u << 18)
#define MSR_TGPR (1u << 17)   /* 603e: GPR0-3 are the temporary TGPR0-3 (TLB miss handlers) */
#define MSR_ILE (1u << 16)
#define MSR_EE  (1u << 15)
#define MSR_PR  (1u << 14)
#define MSR_FP  (1u << 13)
#define MSR_ME  (1u << 12)
#define MSR_FE0 (1u << 11)
#define MSR_SE  (1u << 10)
#define MSR_BE  (1u << 9)
#define MSR_FE1 (1u << 8)
#define MSR_IP  (1u << 6)
#define MSR_IR  (1u << 5)
#define MSR_DR  (1u << 4)
#define MSR_RI  (1u << 1)
#define MSR_LE  (1u << 0)
#define MSR_MASK_6XX (MSR_POW | MSR_ILE | MSR_EE | MSR_PR | MSR_FP | MSR_ME | MSR_FE0 | MSR_SE | \
                      MSR_BE | MSR_FE1 | MSR_IP | MSR_IR | MSR_DR | MSR_RI | MSR_LE)

/* FPSCR bits (masks) */
#define FPSCR_FX     (1u << 31)
#define FPSCR_FEX    (1u << 30)
#define FPSCR_VX     (1u << 29)
#define FPSCR_OX     (1u << 28)
#define FPSCR_UX     (1u << 27)
#define FPSCR_ZX     (1u << 26)
#define FPSCR_XX     (1u << 25)
#define FPSCR_VXSNAN (1u << 24)
#define FPSCR_VXISI  (1u << 23)
#define FPSCR_VXIDI  (1u << 22)
#define FPSCR_VXZDZ  (1u << 21)
#define FPSCR_VXIMZ  (1u << 20)
#define FPSCR_VXVC   (1u << 19)
#define FPSCR_FR     (1u << 18)
#define FPSCR_FI     (1u << 17)
#define FPSCR_FPRF_SHIFT 12
#define FPSCR_FPRF   (0x1fu << 12)
#define FPSCR_VXSOFT (1u << 10)
#define FPSCR_VXSQRT (1u << 9)
#define FPSCR_VXCVI  (1u << 8)
#define FPSCR_VE     (1u << 7)
#define FPSCR_OE     (1u << 6)
#define FPSCR_UE     (1u << 5)
#define FPSCR_ZE     (1u << 4)
#define FPSCR_XE     (1u << 3)
#define FPSCR_NI     (1u << 2)
#define FPSCR_RN     3u
#define FPSCR_VX_ALL (FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | \
                      FPSCR_VXVC | FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI)

/* Exception vectors */
enum {
    PPC_VEC_RESET = 0x100, PPC_VEC_MCHECK = 0x200, PPC_VEC_DSI = 0x300, PPC_VEC_ISI = 0x400,
    PPC_VEC_EXT = 0x500, PPC_VEC_ALIGN = 0x600, PPC_VEC_PROGRAM = 0x700, PPC_VEC_FPU = 0x800,
    PPC_VEC_DEC = 0x900, PPC_VEC_SC = 0xc00, PPC_VEC_TRACE = 0xd00,
    /* 603e software table search */
    PPC_VEC_ITLB_MISS = 0x1000, PPC_VEC_DLTLB_MISS = 0x1100, PPC_VEC_DSTLB_MISS = 0x1200,
};
/* SRR1 bits of a 603e TLB miss (CR0 is in bits 0-3) */
#define SRR1_TLB_KEY   0x00080000u   /* the segment key of the access */
#define SRR1_TLB_INSN  0x00040000u   /* instruction (ITLB) miss */
#define SRR1_TLB_WAY   0x00020000u   /* the way tlbli/tlbld will replace */
#define SRR1_TLB_STORE 0x00010000u   /* the access was a store */
/* SRR1 bits of a machine check (750; the 603e and 604 clear SRR1[0-15]) */
#define SRR1_MC_MCP 0x00080000u
#define SRR1_MC_TEA 0x00040000u
#define HID0_EMCP 0x80000000u        /* MCP input enabled */
/* DSISR bits */
#define DSISR_NOTFOUND 0x40000000u
#define DSISR_PROT     0x08000000u
#define DSISR_DIRECT   0x04000000u
#define DSISR_STORE    0x02000000u
#define ISI_NOEXEC     0x10000000u
/* SRR1 reason bits of the program exception */
#define SRR1_FP_ENABLED 0x00100000u
#define SRR1_ILLEGAL    0x00080000u
#define SRR1_PRIV       0x00040000u
#define SRR1_TRAP       0x00020000u

typedef struct ppc_model {
    const char *name;
    uint32_t pvr;
    bool has_hid1;        /* 603e / 750 */
    bool has_l2cr;        /* 750 */
    bool soft_tlb;        /* 603e: TLB misses trap to software (tlbld/tlbli), TGPR */
    bool mc_srr1_bits;    /* 750: SRR1[12,13] say MCP / TEA on a machine check */
} ppc_model;

/* One entry of the 603e's instruction or data TLB: the compare word loaded from ICMP/DCMP
   (V, VSID, API), the RPA word (RPN, R, C, WIMG, PP) and the page's effective address. */
typedef struct ppc_tlb603_entry {
    uint32_t cmp, rpa, epn;
} ppc_tlb603_entry;

#define TLB603_SETS 32        /* 2 ways x 32 sets = 64 entries per TLB, set = EA[15-19] */

typedef struct ppc_env {
    uint32_t gpr[32];
    uint32_t pc;
    uint32_t lr, ctr;
    uint32_t crf[8];          /* one 4-bit field each: LT 8, GT 4, EQ 2, SO 1 */
    uint32_t so, ov, ca;      /* XER bits as 0/1 */
    uint32_t xer_rest;        /* the other XER bits (byte count in 0..6) */
    uint32_t fpscr;
    uint32_t msr;
    uint32_t zero_word;       /* always 0: the base of (rA|0) addressing */
    uint32_t pad_;
    uint64_t fpr[32];
    uint32_t reserve_addr;    /* lwarx reservation */
    uint32_t reserve_val;
    uint32_t reserve_valid;
    uint32_t srr0, srr1;
    uint32_t sprg[4];
    uint32_t dar, dsisr;
    uint32_t sdr1;
    uint32_t sr[16];
    uint32_t ibat[8], dbat[8];    /* [2n] upper, [2n+1] lower */
    uint32_t hid0, hid1, pir, pvr, iabr, dabr, ear, l2cr, thrm[3], ictc;
    uint32_t mmcr[2], pmc[4], sia, sda;
    uint32_t dec_base;        /* DEC value at dec_base_ns */
    uint64_t dec_base_ns;
    uint64_t tb_offset;       /* TB = ticks(now) + tb_offset */
    uint32_t excp_srr1;       /* SRR1 reason bits of the exception being raised */
    uint32_t int_level;       /* the "int" input line */
    uint32_t dec_pending;
    uint32_t fp_prog;         /* FPSCR cause bits of an enabled FP exception */
    /* 603e software TLB: TGPR0-3 (swapped with GPR0-3 while MSR[TGPR]), the miss registers,
       the TLBs [0] instruction / [1] data, and the way each set replaces next */
    uint32_t tgpr[4];
    uint32_t imiss, icmp, dmiss, dcmp, hash1, hash2, rpa;
    ppc_tlb603_entry tlb603[2][TLB603_SETS][2];
    uint8_t tlb603_next[2][TLB603_SETS];
    /* input lines and the pending events they cause (taken at the next block boundary) */
    uint32_t mcp_level, tea_level, sreset_level, hreset_level;
    uint32_t mc_pending;      /* SRR1_MC_* of a pending machine check */
    uint32_t sreset_pending, hreset_pending;
    uint32_t checkstop;       /* the processor stopped (machine check with MSR[ME] = 0) */
    uint32_t last_wimg;       /* WIMG of the last translation (BAT or PTE) */
    /* not guest state */
    const ppc_model *model;
    bool user_mode;           /* runs a Linux program (emu --user) */
    emu_machine *machine;
    emu_cpu *cpu;
    emu_timer *dec_timer;
    uint64_t tb_freq;
} ppc_env;

#define ENV_OFF(f) ((uint32_t)offsetof(ppc_env, f))

/* ppc.c: hard reset (the HRESET line, machine reset) */
void ppc_hard_reset(ppc_env *e);

/* state.c: snapshots (the type's save and load) */
int ppc_state_save(ppc_env *e, emu_state_writer *w);
int ppc_state_load(ppc_env *e, emu_state_reader *r, emu_error **err);

/* translate.c */
void ppc_translate(emu_ir_block *b, void *env, uint64_t pc);
uint32_t ppc_tb_flags(void *env);
unsigned ppc_code_mmu_idx(uint32_t flags);

/* helpers.c: integer, CR, SPR, string and cache helpers (emu_ir_helper signature) */
uint64_t ppc_h_mfcr(void *env, uint64_t a, uint64_t b, uint64_t c);
uint64_t ppc_h_mtcrf(void *env, uint64_t v, uint64_t mask, uint64_t c);
uint64_t ppc_h_mfxer(void *env, uint64_t a, uint64_t b, uint64_t c);
uint64_t ppc_h_mtxer(void *env, uint64_t v, uint64_t b, uint64_t c);
uint64_t ppc_h_lmw(void *env, uint64_t ea, uint64_t rd, uint64_t c);
uint64_t ppc_h_stmw(void *env, uint64_t ea, uint64_t rs, uint64_t c);
uint64_t ppc_h_lsw(void *env, uint64_t ea, uint64_t rd_nb, uint64_t c);
uint64_t ppc_h_stsw(void *env, uint64_t ea, uint64_t rs_nb, uint64_t c);
uint64_t ppc_h_lswx(void *env, uint64_t ea, uint64_t rd_ra_rb, uint64_t c);
uint64_t ppc_h_stswx(void *env, uint64_t ea, uint64_t rs, uint64_t c);
uint64_t ppc_h_lwarx(void *env, uint64_t ea, uint64_t insn, uint64_t c);
uint64_t ppc_h_stwcx(void *env, uint64_t ea, uint64_t v, uint64_t insn);
uint64_t ppc_h_dcbz(void *env, uint64_t ea, uint64_t insn, uint64_t c);
uint64_t ppc_h_align(void *env, uint64_t ea, uint64_t insn, uint64_t c);
uint64_t ppc_h_eciwx(void *env, uint64_t ea, uint64_t insn, uint64_t c);
uint64_t ppc_h_ecowx(void *env, uint64_t ea, uint64_t insn, uint64_t v);
uint64_t ppc_h_mfspr(void *env, uint64_t spr, uint64_t b, uint64_t c);
uint64_t ppc_h_mtspr(void *env, uint64_t spr, uint64_t v, uint64_t c);
uint64_t ppc_h_mftb(void *env, uint64_t upper, uint64_t b, uint64_t c);
uint64_t ppc_h_mtmsr(void *env, uint64_t v, uint64_t b, uint64_t c);
uint64_t ppc_h_rfi(void *env, uint64_t a, uint64_t b, uint64_t c);
uint64_t ppc_h_mtsr(void *env, uint64_t n, uint64_t v, uint64_t c);
uint64_t ppc_h_mfsr(void *env, uint64_t n, uint64_t b, uint64_t c);
uint64_t ppc_h_tlbie(void *env, uint64_t ea, uint64_t b, uint64_t c);
uint64_t ppc_h_divwo(void *env, uint64_t a, uint64_t b, uint64_t is_signed);
uint64_t ppc_h_mullwo(void *env, uint64_t a, uint64_t b, uint64_t c);
uint32_t ppc_get_xer(const ppc_env *e);
void ppc_set_xer(ppc_env *e, uint32_t v);
uint32_t ppc_get_cr(const ppc_env *e);
void ppc_set_cr(ppc_env *e, uint32_t v);
uint32_t ppc_read_dec(ppc_env *e);
void ppc_write_dec(ppc_env *e, uint32_t v);
uint64_t ppc_read_tb(ppc_env *e);

/* fpu.c: floating point on the host FPU with exact FPSCR */
uint64_t ppc_h_farith(void *env, uint64_t op_rt, uint64_t ab, uint64_t c);
/* fast-path helpers: (env, Rc, ft | fa << 8 | fb << 16 | fc << 24) */
uint64_t ppc_h_fadd(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fsub(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fmul(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fdiv(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fmadd(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fmsub(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fnmadd(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fnmsub(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fadds(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fsubs(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fmuls(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fdivs(void *env, uint64_t rc, uint64_t regs, uint64_t c);
uint64_t ppc_h_fcmp(void *env, uint64_t crf_ordered, uint64_t ab, uint64_t c);
uint64_t ppc_h_mffs(void *env, uint64_t a, uint64_t b, uint64_t c);
uint64_t ppc_h_mtfsf(void *env, uint64_t mask, uint64_t v, uint64_t c);
uint64_t ppc_h_mtfsb(void *env, uint64_t bit, uint64_t set, uint64_t c);
uint64_t ppc_h_mcrfs(void *env, uint64_t crfd, uint64_t crfs, uint64_t c);
uint64_t ppc_h_fcheck(void *env, uint64_t rc, uint64_t b, uint64_t c);
uint64_t ppc_h_lfs(void *env, uint64_t bits, uint64_t b, uint64_t c);
uint64_t ppc_h_stfs(void *env, uint64_t bits, uint64_t b, uint64_t c);

/* mmu.c: address translation, exceptions and interrupts (system mode) */
void ppc_store_msr(ppc_env *e, uint32_t v);
uint32_t ppc_msr_mask(const ppc_env *e);
unsigned ppc_pp_prot(unsigned pp, bool key);
uint32_t ppc_pteg_addr(const ppc_env *e, uint32_t hash);
uint32_t ppc_mmu_wimg(ppc_env *e, uint32_t vaddr);
emu_excp_class ppc_mmu_fault(ppc_env *e, uint32_t vaddr, emu_access access, uint32_t why, bool probe,
                             uint32_t *code);

/* tlb603.c: the 603e's software-loaded TLBs */
emu_excp_class ppc_tlb603_translate(ppc_env *e, uint32_t vaddr, emu_access access, uint32_t sr, bool key,
                                    emu_mmu_result *res, uint32_t *code);
void ppc_tlb603_invalidate_page(ppc_env *e, uint32_t ea);
uint32_t ppc_tlb603_wimg(const ppc_env *e, uint32_t vaddr);
uint64_t ppc_h_tlbld(void *env, uint64_t ea, uint64_t b, uint64_t c);
uint64_t ppc_h_tlbli(void *env, uint64_t ea, uint64_t b, uint64_t c);
emu_excp_class ppc_mmu_translate(void *env, uint64_t vaddr, emu_access access, unsigned mmu_idx,
                                 bool probe, emu_mmu_result *res, uint32_t *code);
void ppc_do_interrupt(void *env, emu_excp_class cls, uint32_t code);
bool ppc_check_interrupts(void *env);

#endif
