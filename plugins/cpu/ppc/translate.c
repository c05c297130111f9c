/* 32-bit PowerPC translator: decodes one block of guest instructions into the core's IR.
 * Integer, branch, CR, load/store and system instructions are IR; floating point, string,
 * SPR and MMU instructions call helpers (helpers.c, fpu.c). */
#include <string.h>
#include "ppc-cpu.h"

typedef struct dc {
    emu_ir_block *b;
    ppc_env *env;
    uint32_t pc;          /* of the instruction being translated */
    uint32_t insn;
    uint32_t flags;
    bool user;            /* user mode (MSR[PR] in the block flags) */
    unsigned mmu;         /* data mmu_idx */
    bool done;            /* the block ended */
    /* the guest code already in the block, as address ranges [start, end): the first starts at
       the block's PC, each followed branch starts another (the last one ends at pc) */
    uint32_t run_start[8], run_end[8];
    unsigned nruns;
    /* return addresses of the calls (bl) the block followed, innermost last: a blr is
       expected to go back there (checked when it runs) */
    uint32_t ret[8];
    unsigned nret;
} dc;

#define B (d->b)

/* ---- mode ---- */
uint32_t ppc_tb_flags(void *envp)
{
    ppc_env *e = envp;
    return e->msr & (MSR_PR | MSR_FP | MSR_IR | MSR_DR | MSR_FE0 | MSR_FE1 | MSR_SE);
}

static unsigned data_mmu_idx(uint32_t flags)
{
    return ((flags & MSR_PR) ? 2u : 0u) | ((flags & MSR_DR) ? 1u : 0u);
}

unsigned ppc_code_mmu_idx(uint32_t flags)
{
    return 4u | ((flags & MSR_PR) ? 2u : 0u) | ((flags & MSR_IR) ? 1u : 0u);
}

/* ---- operands ---- */
static emu_ir_val gpr(dc *d, unsigned n) { return emu_ir_env(B, ENV_OFF(gpr[n & 31]), EMU_IR_I32); }
static emu_ir_val crf(dc *d, unsigned n) { return emu_ir_env(B, ENV_OFF(crf[n & 7]), EMU_IR_I32); }
static emu_ir_val fpr(dc *d, unsigned n) { return emu_ir_env(B, ENV_OFF(fpr[n & 31]), EMU_IR_I64); }
static emu_ir_val fld(dc *d, uint32_t off) { return emu_ir_env(B, off, EMU_IR_I32); }
static emu_ir_val tmp(dc *d) { return emu_ir_temp(B, EMU_IR_I32); }
static emu_ir_val tmp64(dc *d) { return emu_ir_temp(B, EMU_IR_I64); }
static emu_ir_val konst(dc *d, uint32_t v)
{
    emu_ir_val t = tmp(d);
    emu_ir_movi(B, t, v);
    return t;
}

#define RD ((d->insn >> 21) & 31)
#define RA ((d->insn >> 16) & 31)
#define RB ((d->insn >> 11) & 31)
#define RC ((d->insn >> 6) & 31)
#define SIMM ((int32_t)(int16_t)d->insn)
#define UIMM (d->insn & 0xffff)
#define RCBIT (d->insn & 1)
#define XO10 ((d->insn >> 1) & 0x3ff)

/* ---- exits ---- */
static void excp(dc *d, emu_excp_class c, uint32_t code)
{
    emu_ir_exit_excp(B, c, code, d->pc, false);
    d->done = true;
}

static void illegal(dc *d) { excp(d, EMU_EXCP_ILLEGAL, SRR1_ILLEGAL); }

static bool priv(dc *d)
{
    if (d->user) {
        excp(d, EMU_EXCP_PRIV, SRR1_PRIV);
        return false;
    }
    return true;
}

static bool fp_on(dc *d)
{
    if (!(d->flags & MSR_FP)) {
        excp(d, EMU_EXCP_FP_UNAVAIL, 0);
        return false;
    }
    return true;
}

static void goto_pc(dc *d, unsigned slot, uint32_t pc)
{
    if (d->flags & MSR_SE)   /* single step: trace interrupt before the next instruction */
        emu_ir_exit_excp(B, EMU_EXCP_DEBUG, 0, pc, true);
    else
        emu_ir_goto_tb(B, slot, pc);
}

static void goto_indirect(dc *d, emu_ir_val pc)
{
    if (d->flags & MSR_SE)
        emu_ir_exit_excp_at(B, EMU_EXCP_DEBUG, 0, pc);
    else
        emu_ir_exit_indirect(B, pc);
}

static void end_loop(dc *d)
{
    emu_ir_exit_loop(B, d->pc + 4);
    d->done = true;
}

/* An unconditional branch or call: the block goes on at the target (no block exit and entry)
   unless the target is already in the block (each instruction runs at most once per pass, so
   code stored by the block is never run stale from an earlier copy), single-stepping or block
   hooks are set.  The fetch ends the block when it is full or would span a third page. */
static bool may_follow(dc *d, uint32_t target)
{
    if ((d->flags & MSR_SE) || d->nruns == sizeof d->run_start / sizeof *d->run_start ||
        !emu_ir_may_follow_branch(d->b))
        return false;
    for (unsigned i = 0; i < d->nruns; i++) {
        uint32_t end = i == d->nruns - 1 ? d->pc + 4 : d->run_end[i];
        if (target - d->run_start[i] < end - d->run_start[i])
            return false;
    }
    return true;
}

/* Is pc in the code the block took before its current run?  (Going on into it would run an
   instruction twice in one pass.) */
static bool in_earlier_run(const dc *d, uint32_t pc)
{
    for (unsigned i = 0; i + 1 < d->nruns; i++)
        if (pc - d->run_start[i] < d->run_end[i] - d->run_start[i])
            return true;
    return false;
}

static bool follow_branch(dc *d, uint32_t target)
{
    if (!may_follow(d, target))
        return false;
    d->run_end[d->nruns - 1] = d->pc + 4;
    d->run_start[d->nruns++] = target;
    d->pc = target - 4;    /* the translation loop steps to the next instruction */
    return true;
}

/* ---- CR and XER ---- */
static void set_cr0(dc *d, emu_ir_val r)
{
    emu_ir_val c = crf(d, 0);
    emu_ir_cmp3_i(B, true, c, r, 0, 8, 4, 2);
    emu_ir_binop_rr(B, EMU_IR_OR, c, c, fld(d, ENV_OFF(so)));
}

static void set_ov(dc *d, emu_ir_val ov)
{
    emu_ir_mov(B, fld(d, ENV_OFF(ov)), ov);
    emu_ir_binop_rr(B, EMU_IR_OR, fld(d, ENV_OFF(so)), fld(d, ENV_OFF(so)), ov);
}

/* r = a + b + cin (cin: a value, or 0 for none); CA = the carry out when want_ca.
   r must not be a, b or cin (they are read after r is written). */
static void add_carry(dc *d, emu_ir_val r, emu_ir_val a, emu_ir_val b, emu_ir_val cin, bool want_ca)
{
    emu_ir_binop_rr(B, EMU_IR_ADD, r, a, b);
    if (!want_ca) {
        if (cin)
            emu_ir_binop_rr(B, EMU_IR_ADD, r, r, cin);
        return;
    }
    emu_ir_val ca = fld(d, ENV_OFF(ca));
    if (!cin) {
        emu_ir_setcond(B, EMU_IR_LTU, ca, r, a);
        return;
    }
    /* carry of a + b, then of adding the carry in: at most one of them is set */
    emu_ir_val c1 = tmp(d), t = tmp(d);
    emu_ir_setcond(B, EMU_IR_LTU, c1, r, a);
    emu_ir_mov(B, t, r);
    emu_ir_binop_rr(B, EMU_IR_ADD, r, r, cin);
    emu_ir_setcond(B, EMU_IR_LTU, ca, r, t);
    emu_ir_binop_rr(B, EMU_IR_OR, ca, ca, c1);
}

/* OV of r = a + b (+cin): ((a ^ r) & (b ^ r)) >> 31 */
static void add_ov(dc *d, emu_ir_val r, emu_ir_val a, emu_ir_val b)
{
    emu_ir_val t1 = tmp(d), t2 = tmp(d);
    emu_ir_binop_rr(B, EMU_IR_XOR, t1, a, r);
    emu_ir_binop_rr(B, EMU_IR_XOR, t2, b, r);
    emu_ir_binop_rr(B, EMU_IR_AND, t1, t1, t2);
    emu_ir_binop_ri(B, EMU_IR_SHR, t1, t1, 31);
    set_ov(d, t1);
}

/* ---- integer arithmetic (opcode 31, XO form) ---- */
static bool arith31(dc *d, unsigned xo9, bool oe)
{
    emu_ir_val ra = gpr(d, RA), rb = gpr(d, RB), rd = gpr(d, RD);
    emu_ir_val na;
    /* the result goes straight to rD unless an overflow check reads the operands after */
    bool direct = (!oe && (xo9 == 266 || xo9 == 40 || xo9 == 104 || xo9 == 235 || xo9 == 75 ||
                           xo9 == 11 || xo9 == 491 || xo9 == 459)) ||
                  (RD != RA && RD != RB);   /* nothing read after the write can alias it */
    emu_ir_val r = direct ? rd : tmp(d);
    emu_ir_val ca = fld(d, ENV_OFF(ca));
    /* operands are copied first: rD may equal rA or rB */
    switch (xo9) {
    case 266: /* add */
        emu_ir_binop_rr(B, EMU_IR_ADD, r, ra, rb);
        if (oe) add_ov(d, r, ra, rb);
        break;
    case 10: /* addc */
        add_carry(d, r, ra, rb, 0, false);
        if (oe) add_ov(d, r, ra, rb);
        emu_ir_setcond(B, EMU_IR_LTU, ca, r, ra);
        break;
    case 138: { /* adde */
        emu_ir_val a = ra, b = rb;
        if (!direct) {
            a = tmp(d);
            b = tmp(d);
            emu_ir_mov(B, a, ra);
            emu_ir_mov(B, b, rb);
        }
        add_carry(d, r, a, b, ca, true);
        if (oe) add_ov(d, r, a, b);
        break;
    }
    case 202: case 234: { /* addze, addme */
        emu_ir_val a = ra, k = konst(d, xo9 == 234 ? 0xffffffffu : 0);
        if (!direct) {
            a = tmp(d);
            emu_ir_mov(B, a, ra);
        }
        add_carry(d, r, a, k, ca, true);
        if (oe) add_ov(d, r, a, k);
        break;
    }
    case 40: /* subf: rB - rA */
        emu_ir_binop_rr(B, EMU_IR_SUB, r, rb, ra);
        if (oe) {
            na = tmp(d);
            emu_ir_unop(B, EMU_IR_NOT, na, ra);
            add_ov(d, r, na, rb);
        }
        break;
    case 8: /* subfc */
        emu_ir_binop_rr(B, EMU_IR_SUB, r, rb, ra);
        if (oe) {
            na = tmp(d);
            emu_ir_unop(B, EMU_IR_NOT, na, ra);
            add_ov(d, r, na, rb);
        }
        emu_ir_setcond(B, EMU_IR_GEU, ca, rb, ra);
        break;
    case 136: { /* subfe: ~rA + rB + CA */
        emu_ir_val b = rb;
        na = tmp(d);
        emu_ir_unop(B, EMU_IR_NOT, na, ra);
        if (!direct) {
            b = tmp(d);
            emu_ir_mov(B, b, rb);
        }
        add_carry(d, r, na, b, ca, true);
        if (oe) add_ov(d, r, na, b);
        break;
    }
    case 200: case 232: { /* subfze, subfme */
        emu_ir_val k = konst(d, xo9 == 232 ? 0xffffffffu : 0);
        na = tmp(d);
        emu_ir_unop(B, EMU_IR_NOT, na, ra);
        add_carry(d, r, na, k, ca, true);
        if (oe) add_ov(d, r, na, k);
        break;
    }
    case 104: /* neg */
        emu_ir_unop(B, EMU_IR_NEG, r, ra);
        if (oe) {
            emu_ir_val t = tmp(d);
            emu_ir_setcond_i(B, EMU_IR_EQ, t, ra, 0x80000000u);
            set_ov(d, t);
        }
        break;
    case 235: /* mullw */
        if (oe)
            emu_ir_call(B, ppc_h_mullwo, EMU_HELPER_WRITES_STATE, r, ra, rb, 0);
        else
            emu_ir_binop_rr(B, EMU_IR_MUL, r, ra, rb);
        break;
    case 75: /* mulhw */
        if (oe)
            return false;
        emu_ir_binop_rr(B, EMU_IR_MULSH, r, ra, rb);
        break;
    case 11: /* mulhwu */
        if (oe)
            return false;
        emu_ir_binop_rr(B, EMU_IR_MULUH, r, ra, rb);
        break;
    case 491: case 459: /* divw, divwu (divisor 0 or overflow: result = dividend, as QEMU) */
        if (oe) {
            emu_ir_val s = konst(d, xo9 == 491);
            emu_ir_call(B, ppc_h_divwo, EMU_HELPER_WRITES_STATE, r, ra, rb, s);
        } else {
            emu_ir_binop_rr(B, xo9 == 491 ? EMU_IR_DIVS : EMU_IR_DIVU, r, ra, rb);
        }
        break;
    default:
        return false;
    }
    if (!direct)
        emu_ir_mov(B, rd, r);
    if (RCBIT)
        set_cr0(d, rd);
    return true;
}

static bool is_arith_xo(unsigned xo9)
{
    switch (xo9) {
    case 8: case 10: case 11: case 40: case 75: case 104: case 136: case 138: case 200: case 202:
    case 232: case 234: case 235: case 266: case 459: case 491:
        return true;
    }
    return false;
}

static uint32_t rot_mask(unsigned mb, unsigned me)
{
    uint32_t a = 0xffffffffu >> mb, b = 0xffffffffu << (31 - me);
    return mb <= me ? (a & b) : (a | b);
}

/* ---- memory ---- */
/* EA = (rA|0) + rB into a temp */
static emu_ir_val ea_x(dc *d)
{
    emu_ir_val t = tmp(d);
    if (RA == 0)
        emu_ir_mov(B, t, gpr(d, RB));
    else
        emu_ir_binop_rr(B, EMU_IR_ADD, t, gpr(d, RA), gpr(d, RB));
    return t;
}

static emu_ir_val base_d(dc *d)
{
    return RA == 0 ? fld(d, ENV_OFF(zero_word)) : gpr(d, RA);
}

/* Alignment exception when (ea & mask) != 0, for the accesses the 6xx do not split in
   hardware (system mode only: under Linux the kernel emulates them for the program) */
static void check_align(dc *d, emu_ir_val ea, uint32_t mask)
{
    if (d->env->user_mode)
        return;
    emu_ir_label aligned = emu_ir_new_label(B);
    emu_ir_brtest(B, ea, mask, false, aligned);
    emu_ir_call(B, ppc_h_align, EMU_HELPER_WRITES_STATE, 0, ea, konst(d, d->insn), 0);
    emu_ir_exit_excp(B, EMU_EXCP_ALIGN, 0, d->pc, false);
    emu_ir_set_label(B, aligned);
}

static void load_store(dc *d, bool load, unsigned memop, bool update, bool indexed)
{
    unsigned rt = RD, ra = RA;
    if (update && (ra == 0 || (load && ra == rt))) {
        illegal(d);
        return;
    }
    emu_ir_val addr;
    int32_t disp = 0;
    if (indexed) {
        addr = ea_x(d);
    } else if (update) {
        addr = tmp(d);
        emu_ir_binop_ri(B, EMU_IR_ADD, addr, gpr(d, ra), (uint32_t)SIMM);
    } else {
        addr = base_d(d);
        disp = SIMM;
    }
    if (load)
        emu_ir_load(B, gpr(d, rt), addr, disp, memop, d->mmu);
    else
        emu_ir_store(B, gpr(d, rt), addr, disp, memop, d->mmu);
    if (update)
        emu_ir_mov(B, gpr(d, ra), addr);
}

static void fp_load_store(dc *d, bool load, bool dbl, bool update, bool indexed)
{
    if (!fp_on(d))
        return;
    unsigned ft = RD, ra = RA;
    if (update && ra == 0) {
        illegal(d);
        return;
    }
    emu_ir_val addr;
    int32_t disp = 0;
    if (indexed) {
        addr = ea_x(d);
    } else if (update) {
        addr = tmp(d);
        emu_ir_binop_ri(B, EMU_IR_ADD, addr, gpr(d, ra), (uint32_t)SIMM);
    } else {
        addr = base_d(d);
        disp = SIMM;
    }
    if (disp) {
        emu_ir_val ea = tmp(d);
        emu_ir_binop_ri(B, EMU_IR_ADD, ea, addr, (uint32_t)disp);
        check_align(d, ea, 3);
    } else {
        check_align(d, addr, 3);
    }
    if (dbl) {
        if (load)
            emu_ir_load(B, fpr(d, ft), addr, disp, EMU_MO_64 | EMU_MO_BE, d->mmu);
        else
            emu_ir_store(B, fpr(d, ft), addr, disp, EMU_MO_64 | EMU_MO_BE, d->mmu);
    } else if (load) {
        emu_ir_val w = tmp(d);
        emu_ir_load(B, w, addr, disp, EMU_MO_32 | EMU_MO_BE, d->mmu);
        emu_ir_call(B, ppc_h_lfs, EMU_HELPER_PURE, fpr(d, ft), w, 0, 0);
    } else {
        emu_ir_val w = tmp(d);
        emu_ir_call(B, ppc_h_stfs, EMU_HELPER_PURE, w, fpr(d, ft), 0, 0);
        emu_ir_store(B, w, addr, disp, EMU_MO_32 | EMU_MO_BE, d->mmu);
    }
    if (update)
        emu_ir_mov(B, gpr(d, ra), addr);
}

/* ---- branches ---- */
static void branch_cond(dc *d, unsigned bo, unsigned bi, emu_ir_label not_taken)
{
    if (!(bo & 4)) {
        emu_ir_val ctr = fld(d, ENV_OFF(ctr));
        emu_ir_binop_ri(B, EMU_IR_SUB, ctr, ctr, 1);
        emu_ir_brcond_i(B, (bo & 2) ? EMU_IR_NE : EMU_IR_EQ, ctr, 0, not_taken);
    }
    if (!(bo & 16))
        emu_ir_brtest(B, crf(d, bi >> 2), 8u >> (bi & 3), !(bo & 8), not_taken);
}

static void do_bc(dc *d)
{
    unsigned bo = RD, bi = RA;
    uint32_t target = (uint32_t)(int32_t)(int16_t)(d->insn & 0xfffc) + ((d->insn & 2) ? 0 : d->pc);
    if (d->insn & 1)
        emu_ir_movi(B, fld(d, ENV_OFF(lr)), d->pc + 4);
    /* A backward branch on a CR bit alone (the end of a loop the block starts inside): the
       block leaves when it is not taken and goes on at the target when it is */
    if ((bo & 0x14) == 0x04 && target < d->pc && may_follow(d, target)) {
        emu_ir_label taken = emu_ir_new_label(B);
        emu_ir_brtest(B, crf(d, bi >> 2), 8u >> (bi & 3), (bo & 8) != 0, taken);
        goto_pc(d, 1, d->pc + 4);
        emu_ir_set_label(B, taken);
        follow_branch(d, target);
        return;
    }
    emu_ir_label nt = emu_ir_new_label(B);
    branch_cond(d, bo, bi, nt);
    goto_pc(d, 0, target);
    emu_ir_set_label(B, nt);
    /* A conditional branch leaves the block only when taken: the block goes on with the
       instruction after it (under the same conditions as following a branch) */
    if ((bo & 0x14) != 0x14 && !(d->flags & MSR_SE) && emu_ir_may_follow_branch(d->b))
        return;
    goto_pc(d, 1, d->pc + 4);
    d->done = true;
}

static void do_bclr_bcctr(dc *d, bool to_ctr)
{
    unsigned bo = RD, bi = RA;
    if (to_ctr && !(bo & 4)) {
        illegal(d);
        return;
    }
    emu_ir_val target = tmp(d);
    emu_ir_binop_ri(B, EMU_IR_AND, target, fld(d, to_ctr ? ENV_OFF(ctr) : ENV_OFF(lr)), ~3u);
    /* blr from a call the block followed: when LR still holds its return address, the block
       goes on there; otherwise it leaves for wherever LR points */
    if (!to_ctr && (bo & 0x14) == 0x14 && !(d->insn & 1) && d->nret &&
        may_follow(d, d->ret[d->nret - 1])) {
        uint32_t ret = d->ret[--d->nret];
        emu_ir_label back = emu_ir_new_label(B);
        emu_ir_brcond_i(B, EMU_IR_EQ, target, ret, back);
        goto_indirect(d, target);
        emu_ir_set_label(B, back);
        follow_branch(d, ret);
        return;
    }
    if (d->insn & 1)
        emu_ir_movi(B, fld(d, ENV_OFF(lr)), d->pc + 4);
    emu_ir_label nt = emu_ir_new_label(B);
    branch_cond(d, bo, bi, nt);
    goto_indirect(d, target);
    emu_ir_set_label(B, nt);
    goto_pc(d, 1, d->pc + 4);
    d->done = true;
}

/* ---- CR logic (opcode 19) ---- */
static emu_ir_val cr_bit(dc *d, unsigned bit)
{
    emu_ir_val t = tmp(d);
    emu_ir_binop_ri(B, EMU_IR_SHR, t, crf(d, bit >> 2), 3 - (bit & 3));
    emu_ir_binop_ri(B, EMU_IR_AND, t, t, 1);
    return t;
}

static void cr_logic(dc *d, emu_ir_binop_kind op)
{
    unsigned bt = RD;
    emu_ir_val a = cr_bit(d, RA), b = cr_bit(d, RB), r = tmp(d);
    emu_ir_binop_rr(B, op, r, a, b);
    emu_ir_binop_ri(B, EMU_IR_AND, r, r, 1);
    unsigned sh = 3 - (bt & 3);
    if (sh)
        emu_ir_binop_ri(B, EMU_IR_SHL, r, r, sh);
    emu_ir_val f = crf(d, bt >> 2);
    emu_ir_binop_ri(B, EMU_IR_AND, f, f, ~(1u << sh) & 0xf);
    emu_ir_binop_rr(B, EMU_IR_OR, f, f, r);
}

/* ---- traps ---- */
static void trap(dc *d, emu_ir_val a, emu_ir_val b)
{
    unsigned to = RD;
    if (to == 0)
        return;   /* never traps */
    emu_ir_label hit = emu_ir_new_label(B), miss = emu_ir_new_label(B);
    if (to == 31) {
        excp(d, EMU_EXCP_TRAP, SRR1_TRAP);
        return;
    }
    if (to & 16) emu_ir_brcond(B, EMU_IR_LT, a, b, hit);
    if (to & 8) emu_ir_brcond(B, EMU_IR_GT, a, b, hit);
    if (to & 4) emu_ir_brcond(B, EMU_IR_EQ, a, b, hit);
    if (to & 2) emu_ir_brcond(B, EMU_IR_LTU, a, b, hit);
    if (to & 1) emu_ir_brcond(B, EMU_IR_GTU, a, b, hit);
    emu_ir_br(B, miss);
    emu_ir_set_label(B, hit);
    emu_ir_exit_excp(B, EMU_EXCP_TRAP, SRR1_TRAP, d->pc, false);
    emu_ir_set_label(B, miss);
}

/* ---- floating point ---- */
/* FP arithmetic kinds for ppc_h_farith (the same numbers fpu.c switches on) */
enum { FA_ADD, FA_SUB, FA_MUL, FA_DIV, FA_SQRT, FA_MADD, FA_MSUB, FA_NMADD, FA_NMSUB, FA_SEL,
       FA_RES, FA_RSQRTE, FA_RSP, FA_CTIW, FA_CTIWZ };

static void farith(dc *d, unsigned kind, bool single, unsigned ft, unsigned fa, unsigned fb, unsigned fc)
{
    static const emu_ir_helper fast[2][FA_NMSUB + 1] = {
        { ppc_h_fadd, ppc_h_fsub, ppc_h_fmul, ppc_h_fdiv, NULL, ppc_h_fmadd, ppc_h_fmsub, ppc_h_fnmadd,
          ppc_h_fnmsub },
        { ppc_h_fadds, ppc_h_fsubs, ppc_h_fmuls, ppc_h_fdivs },
    };
    uint32_t regs = ft | fa << 8 | fb << 16 | fc << 24;
    if (kind <= FA_NMSUB && fast[single][kind]) {
        emu_ir_call_const(B, fast[single][kind],
                          EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES, 0, RCBIT, regs);
        return;
    }
    emu_ir_call_const(B, ppc_h_farith, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES,
                      0, kind | (single ? 0x100u : 0) | (RCBIT ? 0x200u : 0), ft | fa << 8 | fb << 16 | fc << 24);
}

static bool fp_a_form(dc *d, bool single)
{
    unsigned xo = (d->insn >> 1) & 31;
    unsigned ft = RD, fa = RA, fb = RB, fc = RC;
    switch (xo) {
    case 18: case 20: case 21:
        if (fc) return false;
        farith(d, xo == 18 ? FA_DIV : xo == 20 ? FA_SUB : FA_ADD, single, ft, fa, fb, 0);
        return true;
    case 25:
        if (fb) return false;
        farith(d, FA_MUL, single, ft, fa, 0, fc);
        return true;
    case 24:
        if (!single || fa || fc) return false;
        farith(d, FA_RES, true, ft, 0, fb, 0);
        return true;
    case 26:
        if (single || fa || fc) return false;
        farith(d, FA_RSQRTE, false, ft, 0, fb, 0);
        return true;
    case 23:
        if (single) return false;
        farith(d, FA_SEL, false, ft, fa, fb, fc);
        return true;
    case 28: farith(d, FA_MSUB, single, ft, fa, fb, fc); return true;
    case 29: farith(d, FA_MADD, single, ft, fa, fb, fc); return true;
    case 30: farith(d, FA_NMSUB, single, ft, fa, fb, fc); return true;
    case 31: farith(d, FA_NMADD, single, ft, fa, fb, fc); return true;
    }
    return false;   /* fsqrt(s) is not on the 603e/604/750 */
}

static bool fp_63_x(dc *d)
{
    unsigned ft = RD, fa = RA, fb = RB;
    switch (XO10) {
    case 0: case 32: { /* fcmpu, fcmpo */
        if ((d->insn >> 21) & 3 || RCBIT) return false;
        emu_ir_call_const(B, ppc_h_fcmp, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES,
                          0, (ft >> 2) | (XO10 == 32 ? 0x100u : 0), fa | fb << 8);
        return true;
    }
    case 12: if (fa) return false; farith(d, FA_RSP, true, ft, 0, fb, 0); return true;
    case 14: if (fa) return false; farith(d, FA_CTIW, false, ft, 0, fb, 0); return true;
    case 15: if (fa) return false; farith(d, FA_CTIWZ, false, ft, 0, fb, 0); return true;
    case 40: case 72: case 136: case 264: /* fneg, fmr, fnabs, fabs */
        if (fa) return false;
        if (XO10 == 72)
            emu_ir_mov(B, fpr(d, ft), fpr(d, fb));
        else if (XO10 == 40)
            emu_ir_fop(B, EMU_IR_FNEG, fpr(d, ft), fpr(d, fb), 0);
        else if (XO10 == 264)
            emu_ir_fop(B, EMU_IR_FABS, fpr(d, ft), fpr(d, fb), 0);
        else {
            emu_ir_fop(B, EMU_IR_FABS, fpr(d, ft), fpr(d, fb), 0);
            emu_ir_fop(B, EMU_IR_FNEG, fpr(d, ft), fpr(d, ft), 0);
        }
        if (RCBIT)
            emu_ir_call(B, ppc_h_fcheck, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE, 0, 0, 0, 0);
        return true;
    case 583: /* mffs; processors before ISA 3.0 execute its later forms (mffsl, mffsce,
                 mffscrn[i], mffscdrn[i]: nonzero bits 11-20) as mffs, which glibc relies on */
        emu_ir_call(B, ppc_h_mffs, EMU_HELPER_READS_STATE, fpr(d, ft), 0, 0, 0);
        if (RCBIT)
            emu_ir_call(B, ppc_h_fcheck, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE, 0, 0, 0, 0);
        return true;
    case 711: { /* mtfsf */
        unsigned fm = (d->insn >> 17) & 0xff;
        if (d->insn & (1u << 25) || d->insn & (1u << 16)) return false;
        emu_ir_val m = konst(d, fm | (RCBIT ? 0x100u : 0));
        emu_ir_call(B, ppc_h_mtfsf, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES,
                    0, m, fpr(d, fb), 0);
        return true;
    }
    case 134: { /* mtfsfi */
        unsigned bf = ft >> 2, u = (d->insn >> 12) & 15;
        if ((d->insn >> 21) & 3 || fa || (d->insn >> 11) & 1) return false;
        emu_ir_val m = konst(d, (0x80u >> bf) | (RCBIT ? 0x100u : 0));
        emu_ir_val v = tmp64(d);
        emu_ir_movi(B, v, (uint64_t)u << (4 * (7 - bf)));
        emu_ir_call(B, ppc_h_mtfsf, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES,
                    0, m, v, 0);
        return true;
    }
    case 38: case 70: { /* mtfsb1, mtfsb0 */
        if (fa || fb) return false;
        emu_ir_val bit = konst(d, ft | (RCBIT ? 0x100u : 0));
        emu_ir_val set = konst(d, XO10 == 38);
        emu_ir_call(B, ppc_h_mtfsb, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES,
                    0, bit, set, 0);
        return true;
    }
    case 64: { /* mcrfs */
        if ((d->insn >> 21) & 3 || fa & 3 || fb || RCBIT) return false;
        emu_ir_val a = konst(d, ft >> 2), b2 = konst(d, fa >> 2);
        emu_ir_call(B, ppc_h_mcrfs, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES,
                    0, a, b2, 0);
        return true;
    }
    }
    return false;
}

/* ---- SPRs ---- */
static unsigned spr_num(dc *d)
{
    unsigned f = (d->insn >> 11) & 0x3ff;
    return ((f & 31) << 5) | (f >> 5);
}

static void do_mfspr(dc *d)
{
    unsigned spr = spr_num(d);
    switch (spr) {
    case 8: emu_ir_mov(B, gpr(d, RD), fld(d, ENV_OFF(lr))); return;
    case 9: emu_ir_mov(B, gpr(d, RD), fld(d, ENV_OFF(ctr))); return;
    case 1: emu_ir_call(B, ppc_h_mfxer, EMU_HELPER_READS_STATE, gpr(d, RD), 0, 0, 0); return;
    }
    emu_ir_call(B, ppc_h_mfspr, EMU_HELPER_READS_STATE | EMU_HELPER_RAISES, gpr(d, RD), konst(d, spr), 0, 0);
}

static void do_mtspr(dc *d)
{
    unsigned spr = spr_num(d);
    switch (spr) {
    case 8: emu_ir_mov(B, fld(d, ENV_OFF(lr)), gpr(d, RD)); return;
    case 9: emu_ir_mov(B, fld(d, ENV_OFF(ctr)), gpr(d, RD)); return;
    case 1: emu_ir_call(B, ppc_h_mtxer, EMU_HELPER_WRITES_STATE, 0, gpr(d, RD), 0, 0); return;
    }
    emu_ir_call(B, ppc_h_mtspr, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES |
                EMU_HELPER_ENDS_BLOCK, 0, konst(d, spr), gpr(d, RD), 0);
    /* BATs, SDR1, HID0, DEC... may change translation or interrupts: back to the loop */
    if (!d->user)
        end_loop(d);
}

/* ---- opcode 31 ---- */
static bool op31(dc *d)
{
    unsigned xo = XO10;
    unsigned rd = RD, ra = RA, rb = RB;
    if (is_arith_xo(xo & 0x1ff) && (xo < 512 || (xo & 0x1ff) != 11))
        return arith31(d, xo & 0x1ff, xo >> 9);
    emu_ir_val r;
    switch (xo) {
    case 0: case 32: { /* cmp, cmpl */
        if (d->insn & (1u << 22) || RCBIT) return false;   /* L=1 is 64-bit */
        emu_ir_val c = crf(d, rd >> 2);
        emu_ir_cmp3(B, xo == 0, c, gpr(d, ra), gpr(d, rb), 8, 4, 2);
        emu_ir_binop_rr(B, EMU_IR_OR, c, c, fld(d, ENV_OFF(so)));
        return true;
    }
    case 4: if (RCBIT) return false; trap(d, gpr(d, ra), gpr(d, rb)); return true;
    /* logical, X form: rA = rS op rB */
    case 28: case 60: case 124: case 284: case 316: case 412: case 444: case 476: {
        static const struct { unsigned xo; emu_ir_binop_kind op; } t[] = {
            { 28, EMU_IR_AND }, { 60, EMU_IR_ANDC }, { 124, EMU_IR_NOR }, { 284, EMU_IR_EQV },
            { 316, EMU_IR_XOR }, { 412, EMU_IR_ORC }, { 444, EMU_IR_OR }, { 476, EMU_IR_NAND },
        };
        for (unsigned i = 0; i < 8; i++)
            if (t[i].xo == xo) {
                if (t[i].op == EMU_IR_OR && rd == rb)
                    emu_ir_mov(B, gpr(d, ra), gpr(d, rd));   /* mr */
                else
                    emu_ir_binop_rr(B, t[i].op, gpr(d, ra), gpr(d, rd), gpr(d, rb));
            }
        if (RCBIT) set_cr0(d, gpr(d, ra));
        return true;
    }
    case 24: case 536: case 792: { /* slw, srw, sraw: 6-bit count */
        emu_ir_val n = tmp(d);
        emu_ir_binop_ri(B, EMU_IR_AND, n, gpr(d, rb), 0x3f);
        if (xo == 792) {
            /* CA = negative and any 1 bits shifted out */
            emu_ir_val s = tmp(d), lost = tmp(d), ca = fld(d, ENV_OFF(ca));
            emu_ir_val res = tmp(d);
            emu_ir_binop_rr(B, EMU_IR_SAR, res, gpr(d, rd), n);
            emu_ir_binop_rr(B, EMU_IR_SHL, lost, res, n);                  /* bits kept, shifted back */
            emu_ir_binop_rr(B, EMU_IR_XOR, lost, lost, gpr(d, rd));       /* != 0: bits lost */
            emu_ir_setcond_i(B, EMU_IR_NE, lost, lost, 0);
            emu_ir_binop_ri(B, EMU_IR_SHR, s, gpr(d, rd), 31);
            emu_ir_binop_rr(B, EMU_IR_AND, ca, s, lost);
            emu_ir_mov(B, gpr(d, ra), res);
        } else {
            emu_ir_binop_rr(B, xo == 24 ? EMU_IR_SHL : EMU_IR_SHR, gpr(d, ra), gpr(d, rd), n);
        }
        if (RCBIT) set_cr0(d, gpr(d, ra));
        return true;
    }
    case 824: { /* srawi */
        unsigned sh = rb;
        emu_ir_val ca = fld(d, ENV_OFF(ca));
        if (sh == 0) {
            emu_ir_movi(B, ca, 0);
            emu_ir_mov(B, gpr(d, ra), gpr(d, rd));
        } else {
            emu_ir_val lost = tmp(d), s = tmp(d);
            emu_ir_binop_ri(B, EMU_IR_AND, lost, gpr(d, rd), (1u << sh) - 1);
            emu_ir_setcond_i(B, EMU_IR_NE, lost, lost, 0);
            emu_ir_binop_ri(B, EMU_IR_SHR, s, gpr(d, rd), 31);
            emu_ir_binop_rr(B, EMU_IR_AND, ca, s, lost);
            emu_ir_binop_ri(B, EMU_IR_SAR, gpr(d, ra), gpr(d, rd), sh);
        }
        if (RCBIT) set_cr0(d, gpr(d, ra));
        return true;
    }
    case 26: case 922: case 954: /* cntlzw, extsh, extsb */
        if (rb) return false;
        emu_ir_unop(B, xo == 26 ? EMU_IR_CLZ : xo == 922 ? EMU_IR_EXT16S : EMU_IR_EXT8S, gpr(d, ra), gpr(d, rd));
        if (RCBIT) set_cr0(d, gpr(d, ra));
        return true;
    case 19: /* mfcr */
        if (ra || rb || RCBIT) return false;
        emu_ir_call(B, ppc_h_mfcr, EMU_HELPER_READS_STATE, gpr(d, rd), 0, 0, 0);
        return true;
    case 144: { /* mtcrf */
        unsigned crm = (d->insn >> 12) & 0xff;
        if (RCBIT || d->insn & (1u << 20) || d->insn & (1u << 11)) return false;
        if (crm == 0) return true;
        emu_ir_call(B, ppc_h_mtcrf, EMU_HELPER_WRITES_STATE, 0, gpr(d, rd), konst(d, crm), 0);
        return true;
    }
    case 512: { /* mcrxr */
        if (d->insn & 0x007ff801) return false;
        emu_ir_val c = crf(d, rd >> 2), t = tmp(d);
        emu_ir_binop_ri(B, EMU_IR_SHL, c, fld(d, ENV_OFF(so)), 3);
        emu_ir_binop_ri(B, EMU_IR_SHL, t, fld(d, ENV_OFF(ov)), 2);
        emu_ir_binop_rr(B, EMU_IR_OR, c, c, t);
        emu_ir_binop_ri(B, EMU_IR_SHL, t, fld(d, ENV_OFF(ca)), 1);
        emu_ir_binop_rr(B, EMU_IR_OR, c, c, t);
        emu_ir_movi(B, fld(d, ENV_OFF(so)), 0);
        emu_ir_movi(B, fld(d, ENV_OFF(ov)), 0);
        emu_ir_movi(B, fld(d, ENV_OFF(ca)), 0);
        return true;
    }
    /* loads and stores, indexed */
    case 23: load_store(d, true, EMU_MO_32 | EMU_MO_BE, false, true); return true;
    case 55: load_store(d, true, EMU_MO_32 | EMU_MO_BE, true, true); return true;
    case 87: load_store(d, true, EMU_MO_8, false, true); return true;
    case 119: load_store(d, true, EMU_MO_8, true, true); return true;
    case 279: load_store(d, true, EMU_MO_16 | EMU_MO_BE, false, true); return true;
    case 311: load_store(d, true, EMU_MO_16 | EMU_MO_BE, true, true); return true;
    case 343: load_store(d, true, EMU_MO_16 | EMU_MO_BE | EMU_MO_SIGN, false, true); return true;
    case 375: load_store(d, true, EMU_MO_16 | EMU_MO_BE | EMU_MO_SIGN, true, true); return true;
    case 151: load_store(d, false, EMU_MO_32 | EMU_MO_BE, false, true); return true;
    case 183: load_store(d, false, EMU_MO_32 | EMU_MO_BE, true, true); return true;
    case 215: load_store(d, false, EMU_MO_8, false, true); return true;
    case 247: load_store(d, false, EMU_MO_8, true, true); return true;
    case 407: load_store(d, false, EMU_MO_16 | EMU_MO_BE, false, true); return true;
    case 439: load_store(d, false, EMU_MO_16 | EMU_MO_BE, true, true); return true;
    case 534: load_store(d, true, EMU_MO_32, false, true); return true;     /* lwbrx */
    case 790: load_store(d, true, EMU_MO_16, false, true); return true;     /* lhbrx */
    case 662: load_store(d, false, EMU_MO_32, false, true); return true;    /* stwbrx */
    case 918: load_store(d, false, EMU_MO_16, false, true); return true;    /* sthbrx */
    case 535: fp_load_store(d, true, false, false, true); return true;
    case 567: fp_load_store(d, true, false, true, true); return true;
    case 599: fp_load_store(d, true, true, false, true); return true;
    case 631: fp_load_store(d, true, true, true, true); return true;
    case 663: fp_load_store(d, false, false, false, true); return true;
    case 695: fp_load_store(d, false, false, true, true); return true;
    case 727: fp_load_store(d, false, true, false, true); return true;
    case 759: fp_load_store(d, false, true, true, true); return true;
    case 983: { /* stfiwx */
        if (!fp_on(d)) return true;
        emu_ir_val w = tmp(d);
        emu_ir_unop(B, EMU_IR_TRUNC32, w, fpr(d, rd));
        emu_ir_store(B, w, ea_x(d), 0, EMU_MO_32 | EMU_MO_BE, d->mmu);
        return true;
    }
    case 20: /* lwarx */
        if (RCBIT) return false;
        emu_ir_call(B, ppc_h_lwarx, EMU_HELPER_WRITES_STATE | EMU_HELPER_MEMORY | EMU_HELPER_RAISES,
                    gpr(d, rd), ea_x(d), konst(d, d->insn), 0);
        return true;
    case 150: /* stwcx. */
        if (!RCBIT) return false;
        emu_ir_call(B, ppc_h_stwcx, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_MEMORY |
                    EMU_HELPER_RAISES, 0, ea_x(d), gpr(d, rd), konst(d, d->insn));
        return true;
    case 597: case 725: { /* lswi, stswi */
        unsigned nb = rb ? rb : 32;
        emu_ir_val ea = tmp(d);
        if (ra == 0) emu_ir_movi(B, ea, 0); else emu_ir_mov(B, ea, gpr(d, ra));
        emu_ir_call(B, xo == 597 ? ppc_h_lsw : ppc_h_stsw,
                    EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_MEMORY | EMU_HELPER_RAISES,
                    0, ea, konst(d, rd | nb << 8 | ra << 16 | (ra == 0 ? 0x1000000u : 0)), 0);
        return true;
    }
    case 533: case 661: /* lswx, stswx */
        emu_ir_call(B, xo == 533 ? ppc_h_lswx : ppc_h_stswx,
                    EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_MEMORY | EMU_HELPER_RAISES,
                    0, ea_x(d), konst(d, rd | ra << 8 | rb << 16 | (ra == 0 ? 0x1000000u : 0)), 0);
        return true;
    case 310: case 438: /* eciwx, ecowx */
        if (RCBIT) return false;
        emu_ir_call(B, xo == 310 ? ppc_h_eciwx : ppc_h_ecowx, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE |
                    EMU_HELPER_MEMORY | EMU_HELPER_RAISES, xo == 310 ? gpr(d, rd) : 0, ea_x(d),
                    konst(d, d->insn), xo == 310 ? 0 : gpr(d, rd));
        return true;
    case 1014: /* dcbz */
        if (rd) return false;
        emu_ir_call(B, ppc_h_dcbz, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_MEMORY |
                    EMU_HELPER_RAISES, 0, ea_x(d), konst(d, d->insn), 0);
        return true;
    case 54: case 86: case 246: case 278: case 982: /* dcbst dcbf dcbtst dcbt icbi: no caches */
        if (rd || RCBIT) return false;
        return true;
    case 470: /* dcbi */
        if (rd || RCBIT) return false;
        priv(d);
        return true;
    case 598: case 854: /* sync, eieio */
        if (rd || ra || rb || RCBIT) return false;
        return true;
    case 339: if (RCBIT) return false; do_mfspr(d); return true;
    case 467: if (RCBIT) return false; do_mtspr(d); return true;
    case 371: { /* mftb */
        unsigned tbr = spr_num(d);
        if (RCBIT || (tbr != 268 && tbr != 269)) return false;
        r = konst(d, tbr == 269);
        emu_ir_call(B, ppc_h_mftb, EMU_HELPER_READS_STATE, gpr(d, rd), r, 0, 0);
        return true;
    }
    case 83: /* mfmsr */
        if (ra || rb || RCBIT) return false;
        if (priv(d)) emu_ir_mov(B, gpr(d, rd), fld(d, ENV_OFF(msr)));
        return true;
    case 146: /* mtmsr */
        if (ra || rb || RCBIT) return false;
        if (!priv(d)) return true;
        emu_ir_call(B, ppc_h_mtmsr, EMU_HELPER_WRITES_STATE | EMU_HELPER_ENDS_BLOCK, 0, gpr(d, rd), 0, 0);
        end_loop(d);
        return true;
    case 210: case 242: /* mtsr, mtsrin */
        if (RCBIT || (xo == 210 ? rb != 0 : ra != 0)) return false;
        if (!priv(d)) return true;
        if (xo == 210)
            r = konst(d, (d->insn >> 16) & 15);
        else {
            r = tmp(d);
            emu_ir_binop_ri(B, EMU_IR_SHR, r, gpr(d, rb), 28);
        }
        emu_ir_call(B, ppc_h_mtsr, EMU_HELPER_WRITES_STATE | EMU_HELPER_ENDS_BLOCK, 0, r, gpr(d, rd), 0);
        end_loop(d);
        return true;
    case 595: case 659: /* mfsr, mfsrin */
        if (RCBIT || (xo == 595 ? rb != 0 : ra != 0)) return false;
        if (!priv(d)) return true;
        if (xo == 595)
            r = konst(d, (d->insn >> 16) & 15);
        else {
            r = tmp(d);
            emu_ir_binop_ri(B, EMU_IR_SHR, r, gpr(d, rb), 28);
        }
        emu_ir_call(B, ppc_h_mfsr, EMU_HELPER_READS_STATE, gpr(d, rd), r, 0, 0);
        return true;
    case 306: /* tlbie */
        if (rd || ra || RCBIT) return false;
        if (!priv(d)) return true;
        emu_ir_call(B, ppc_h_tlbie, EMU_HELPER_ENDS_BLOCK, 0, gpr(d, rb), 0, 0);
        end_loop(d);
        return true;
    /* tlbia (370) is optional and none of the 603e, 604 and 750 has it: illegal */
    case 978: case 1010: /* tlbld, tlbli (603e) */
        if (rd || ra || RCBIT || !d->env->model->soft_tlb) return false;
        if (!priv(d)) return true;
        emu_ir_call(B, xo == 978 ? ppc_h_tlbld : ppc_h_tlbli, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE |
                    EMU_HELPER_ENDS_BLOCK, 0, gpr(d, rb), 0, 0);
        end_loop(d);
        return true;
    case 566: /* tlbsync */
        if (rd || ra || rb || RCBIT) return false;
        priv(d);
        return true;
    }
    return false;
}

/* ---- one instruction ---- */
static void translate_one(dc *d)
{
    uint32_t insn = d->insn;
    unsigned op = insn >> 26;
    unsigned rd = RD, ra = RA;
    switch (op) {
    case 3: trap(d, gpr(d, ra), konst(d, (uint32_t)SIMM)); return;
    case 7: emu_ir_binop_ri(B, EMU_IR_MUL, gpr(d, rd), gpr(d, ra), (uint32_t)SIMM); return;
    case 8: { /* subfic */
        emu_ir_val a = tmp(d);
        emu_ir_mov(B, a, gpr(d, ra));
        emu_ir_val k = konst(d, (uint32_t)SIMM);
        emu_ir_binop_rr(B, EMU_IR_SUB, gpr(d, rd), k, a);
        emu_ir_setcond(B, EMU_IR_LEU, fld(d, ENV_OFF(ca)), a, k);
        return;
    }
    case 10: case 11: { /* cmpli, cmpi */
        if (insn & (1u << 22)) break;
        emu_ir_val c = crf(d, rd >> 2);
        emu_ir_cmp3_i(B, op == 11, c, gpr(d, ra), op == 11 ? (uint32_t)SIMM : UIMM, 8, 4, 2);
        emu_ir_binop_rr(B, EMU_IR_OR, c, c, fld(d, ENV_OFF(so)));
        return;
    }
    case 12: case 13: { /* addic, addic. */
        emu_ir_val a = tmp(d);
        emu_ir_mov(B, a, gpr(d, ra));
        emu_ir_binop_ri(B, EMU_IR_ADD, gpr(d, rd), a, (uint32_t)SIMM);
        emu_ir_setcond(B, EMU_IR_LTU, fld(d, ENV_OFF(ca)), gpr(d, rd), a);
        if (op == 13) set_cr0(d, gpr(d, rd));
        return;
    }
    case 14: case 15: { /* addi, addis */
        uint32_t imm = op == 14 ? (uint32_t)SIMM : (uint32_t)SIMM << 16;
        if (ra == 0)
            emu_ir_movi(B, gpr(d, rd), imm);
        else
            emu_ir_binop_ri(B, EMU_IR_ADD, gpr(d, rd), gpr(d, ra), imm);
        return;
    }
    case 16: do_bc(d); return;
    case 17: /* sc */
        if ((insn & 0x03fffffd) != 0) break;
        emu_ir_exit_excp(B, EMU_EXCP_SYSCALL, 0, d->pc + 4, true);
        d->done = true;
        return;
    case 18: { /* b, ba, bl, bla */
        uint32_t li = insn & 0x03fffffc;
        if (li & 0x02000000) li |= 0xfc000000;
        uint32_t target = li + ((insn & 2) ? 0 : d->pc);
        uint32_t next = d->pc + 4;
        if (insn & 1) emu_ir_movi(B, fld(d, ENV_OFF(lr)), next);
        if (follow_branch(d, target)) {
            if ((insn & 1) && d->nret < sizeof d->ret / sizeof *d->ret)
                d->ret[d->nret++] = next;
            return;
        }
        goto_pc(d, 0, target);
        d->done = true;
        return;
    }
    case 19:
        switch (XO10) {
        case 0: { /* mcrf */
            if ((insn & 0x0063f801) != 0) break;
            emu_ir_mov(B, crf(d, rd >> 2), crf(d, ra >> 2));
            return;
        }
        case 16: if (insn & 0xf800) break; do_bclr_bcctr(d, false); return;
        case 528: if (insn & 0xf800) break; do_bclr_bcctr(d, true); return;
        case 33: cr_logic(d, EMU_IR_NOR); return;
        case 129: cr_logic(d, EMU_IR_ANDC); return;
        case 193: cr_logic(d, EMU_IR_XOR); return;
        case 225: cr_logic(d, EMU_IR_NAND); return;
        case 257: cr_logic(d, EMU_IR_AND); return;
        case 289: cr_logic(d, EMU_IR_EQV); return;
        case 417: cr_logic(d, EMU_IR_ORC); return;
        case 449: cr_logic(d, EMU_IR_OR); return;
        case 150: /* isync */
            if (insn & 0x03fff801) break;
            end_loop(d);
            return;
        case 50: /* rfi */
            if (insn & 0x03fff801) break;
            if (!priv(d)) return;
            emu_ir_call(B, ppc_h_rfi, EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_ENDS_BLOCK,
                        0, 0, 0, 0);
            emu_ir_exit_indirect(B, fld(d, ENV_OFF(pc)));
            d->done = true;
            return;
        }
        break;
    case 20: case 21: case 23: { /* rlwimi, rlwinm, rlwnm */
        unsigned mb = (insn >> 6) & 31, me = (insn >> 1) & 31, sh = RB;
        uint32_t mask = rot_mask(mb, me);
        emu_ir_val r = tmp(d);
        if (op == 23) {
            emu_ir_binop_rr(B, EMU_IR_ROTL, r, gpr(d, rd), gpr(d, RB));
        } else if (op == 21 && sh == 0) {
            emu_ir_binop_ri(B, EMU_IR_AND, gpr(d, ra), gpr(d, rd), mask);   /* clrlwi, clrrwi */
            goto rc;
        } else if (sh == 0) {
            emu_ir_mov(B, r, gpr(d, rd));
        } else if (op == 21 && mask == 0xffffffffu) {
            emu_ir_binop_ri(B, EMU_IR_ROTL, gpr(d, ra), gpr(d, rd), sh);   /* rotlwi */
            goto rc;
        } else if (op == 21 && mask == (0xffffffffu << sh)) {
            emu_ir_binop_ri(B, EMU_IR_SHL, gpr(d, ra), gpr(d, rd), sh);   /* slwi */
            goto rc;
        } else if (op == 21 && sh && mask == (0xffffffffu >> (32 - sh))) {
            emu_ir_binop_ri(B, EMU_IR_SHR, gpr(d, ra), gpr(d, rd), 32 - sh);   /* srwi */
            goto rc;
        } else {
            emu_ir_binop_ri(B, EMU_IR_ROTL, r, gpr(d, rd), sh);
        }
        if (op == 20) {
            emu_ir_binop_ri(B, EMU_IR_AND, r, r, mask);
            emu_ir_val o = tmp(d);
            emu_ir_binop_ri(B, EMU_IR_AND, o, gpr(d, ra), ~mask);
            emu_ir_binop_rr(B, EMU_IR_OR, gpr(d, ra), o, r);
        } else {
            emu_ir_binop_ri(B, EMU_IR_AND, gpr(d, ra), r, mask);
        }
    rc:
        if (RCBIT) set_cr0(d, gpr(d, ra));
        return;
    }
    case 24: case 25: case 26: case 27: { /* ori oris xori xoris */
        uint32_t imm = (op & 1) ? UIMM << 16 : UIMM;
        if (op == 24 && rd == 0 && ra == 0 && imm == 0)
            return;   /* nop */
        emu_ir_binop_ri(B, op < 26 ? EMU_IR_OR : EMU_IR_XOR, gpr(d, ra), gpr(d, rd), imm);
        return;
    }
    case 28: case 29: /* andi. andis. */
        emu_ir_binop_ri(B, EMU_IR_AND, gpr(d, ra), gpr(d, rd), op == 28 ? UIMM : UIMM << 16);
        set_cr0(d, gpr(d, ra));
        return;
    case 31:
        if (op31(d)) return;
        break;
    case 32: load_store(d, true, EMU_MO_32 | EMU_MO_BE, false, false); return;
    case 33: load_store(d, true, EMU_MO_32 | EMU_MO_BE, true, false); return;
    case 34: load_store(d, true, EMU_MO_8, false, false); return;
    case 35: load_store(d, true, EMU_MO_8, true, false); return;
    case 36: load_store(d, false, EMU_MO_32 | EMU_MO_BE, false, false); return;
    case 37: load_store(d, false, EMU_MO_32 | EMU_MO_BE, true, false); return;
    case 38: load_store(d, false, EMU_MO_8, false, false); return;
    case 39: load_store(d, false, EMU_MO_8, true, false); return;
    case 40: load_store(d, true, EMU_MO_16 | EMU_MO_BE, false, false); return;
    case 41: load_store(d, true, EMU_MO_16 | EMU_MO_BE, true, false); return;
    case 42: load_store(d, true, EMU_MO_16 | EMU_MO_BE | EMU_MO_SIGN, false, false); return;
    case 43: load_store(d, true, EMU_MO_16 | EMU_MO_BE | EMU_MO_SIGN, true, false); return;
    case 44: load_store(d, false, EMU_MO_16 | EMU_MO_BE, false, false); return;
    case 45: load_store(d, false, EMU_MO_16 | EMU_MO_BE, true, false); return;
    case 46: case 47: { /* lmw, stmw: one access per register, restartable */
        if (op == 46 && ra >= rd && ra != 0) break;    /* rA in the range loaded: invalid */
        emu_ir_val ea = tmp(d);
        if (ra == 0) emu_ir_movi(B, ea, (uint32_t)SIMM);
        else emu_ir_binop_ri(B, EMU_IR_ADD, ea, gpr(d, ra), (uint32_t)SIMM);
        check_align(d, ea, 3);
        for (unsigned r = rd; r < 32; r++) {
            if (op == 46)
                emu_ir_load(B, gpr(d, r), ea, (int32_t)(4 * (r - rd)), EMU_MO_32 | EMU_MO_BE, d->mmu);
            else
                emu_ir_store(B, gpr(d, r), ea, (int32_t)(4 * (r - rd)), EMU_MO_32 | EMU_MO_BE, d->mmu);
        }
        return;
    }
    case 48: fp_load_store(d, true, false, false, false); return;
    case 49: fp_load_store(d, true, false, true, false); return;
    case 50: fp_load_store(d, true, true, false, false); return;
    case 51: fp_load_store(d, true, true, true, false); return;
    case 52: fp_load_store(d, false, false, false, false); return;
    case 53: fp_load_store(d, false, false, true, false); return;
    case 54: fp_load_store(d, false, true, false, false); return;
    case 55: fp_load_store(d, false, true, true, false); return;
    case 59:
        if (!fp_on(d)) return;
        if (fp_a_form(d, true)) return;
        break;
    case 63:
        if (!fp_on(d)) return;
        if ((insn >> 1) & 16) {
            if (fp_a_form(d, false)) return;
        } else if (fp_63_x(d)) {
            return;
        }
        break;
    }
    illegal(d);
}

void ppc_translate(emu_ir_block *b, void *envp, uint64_t pc)
{
    dc dd, *d = &dd;
    memset(d, 0, sizeof *d);
    d->b = b;
    d->env = envp;
    d->flags = emu_ir_block_flags(b);
    d->user = (d->flags & MSR_PR) != 0;
    d->mmu = data_mmu_idx(d->flags);
    d->pc = (uint32_t)pc;
    d->run_start[0] = (uint32_t)pc;
    d->nruns = 1;
    for (;;) {
        uint32_t insn;
        if (emu_ir_insn_count(b) > 0 &&
            (emu_ir_block_full(b) || in_earlier_run(d, d->pc) || !emu_ir_fetch32(b, d->pc, &insn))) {
            emu_ir_goto_tb(b, 0, d->pc);
            return;
        }
        if (emu_ir_insn_count(b) == 0 && !emu_ir_fetch32(b, d->pc, &insn)) {
            /* an odd PC, or no memory answers the fetch */
            emu_ir_insn_start(b, d->pc);
            excp(d, EMU_EXCP_ILLEGAL, SRR1_ILLEGAL);
            return;
        }
        emu_ir_insn_start(b, d->pc);
        d->insn = insn;
        translate_one(d);
        if (d->done)
            return;
        d->pc += 4;
        if (d->flags & MSR_SE) {
            /* single step: a trace exception after every instruction */
            emu_ir_exit_excp(b, EMU_EXCP_DEBUG, 0, d->pc, true);
            return;
        }
    }
}
