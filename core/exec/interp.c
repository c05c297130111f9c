/* The first backend: IR compiled to pre-decoded records run by a threaded interpreter
 * (computed goto).  Operands are byte offsets from the CPU state; temporaries live right
 * after the plugin's state, so guest registers and temporaries are reached the same way. */
#include <fenv.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "exec-internal.h"
#include "hooks.h"
#include "host-mem.h"
#include "util.h"

/* Handler indices.  The order of the binop/cond groups follows the IR enums. */
enum {
#define B(n) H_##n##_RR, H_##n##_RI,
    B(ADD) B(SUB) B(MUL) B(MULUH) B(MULSH) B(DIVS) B(DIVU) B(REMS) B(REMU)
    B(AND) B(OR) B(XOR) B(ANDC) B(ORC) B(NAND) B(NOR) B(EQV) B(SHL) B(SHR) B(SAR) B(ROTL)
#undef B
    /* the same operations with the destination as first operand (d = d op b) */
#define B(n) H_##n##_DR, H_##n##_DI,
    B(ADD) B(SUB) B(MUL) B(MULUH) B(MULSH) B(DIVS) B(DIVU) B(REMS) B(REMU)
    B(AND) B(OR) B(XOR) B(ANDC) B(ORC) B(NAND) B(NOR) B(EQV) B(SHL) B(SHR) B(SAR) B(ROTL)
#undef B
#define C(n) H_SET_##n##_RR, H_SET_##n##_RI, H_BR_##n##_RR, H_BR_##n##_RI,
    C(EQ) C(NE) C(LT) C(LE) C(GT) C(GE) C(LTU) C(LEU) C(GTU) C(GEU)
#undef C
    H_NOT, H_NEG, H_CLZ, H_CTZ, H_BSWAP16, H_BSWAP32, H_BSWAP64_X, H_EXT8S, H_EXT16S, H_EXT8U,
    H_EXT16U, H_EXT32S, H_EXT32U, H_TRUNC32,
    H_MOV32, H_MOV64, H_MOVI32, H_MOVI64,
    H_BIN64, H_UN64, H_SET64, H_BR64, H_SEL32, H_SEL64,
    H_CMP3S_RR, H_CMP3S_RI, H_CMP3U_RR, H_CMP3U_RI, H_CMP3_64,
    H_CMP3S_RR_OR, H_CMP3S_RI_OR, H_CMP3U_RR_OR, H_CMP3U_RI_OR,
    H_CMP3S_RR_OR_BR, H_CMP3S_RI_OR_BR, H_CMP3U_RR_OR_BR, H_CMP3U_RI_OR_BR,
    H_SHLI, H_SHRI, H_SARI,
    H_ULD32B_X, H_UST32B_X, H_ULD32B_U, H_UST32B_U, H_ROTL_AND, H_ADDI_BR_EQ, H_ADDI_BR_NE,
    H_FADD, H_FSUB, H_FMUL, H_FDIV, H_FSQRT, H_FNEG, H_FABS, H_F32TO64, H_F64TO32, H_FMA,
    H_ULD8U, H_ULD8S, H_ULD16BU, H_ULD16BS, H_ULD16LU, H_ULD16LS, H_ULD32B, H_ULD32L,
    H_ULD64B, H_ULD64L,
    H_UST8, H_UST16B, H_UST16L, H_UST32B, H_UST32L, H_UST64B, H_UST64L,
    H_SLD, H_SST, H_WLD, H_WST,
    H_SLD8U, H_SLD16BU, H_SLD16BS, H_SLD32B, H_SST8, H_SST16B, H_SST32B,
    H_SLDA8U, H_SLDA16BU, H_SLDA16BS, H_SLDA32B, H_SSTA8, H_SSTA16B, H_SSTA32B,
    H_MOVI_SLDA32B, H_MOVI_SSTA32B, H_SLD32B_X, H_SST32B_X, H_SLD32B_U, H_SST32B_U,
    H_EXIT_IND_M, H_RET_CHECK, H_EXIT_IND_MV, H_SLD32B_XS2, H_SSTA32B_MOVI, H_SST32B_MOVI,
    H_CALL, H_CALLC, H_BR, H_BRTEST_SET, H_BRTEST_CLR, H_BRTEST64,
    H_GOTO_TB, H_GOTO_TB_FWD, H_GOTO_TB_SELF, H_EXIT_IND, H_EXIT_LOOP, H_EXIT_EXCP, H_EXIT_EXCP_AT, H_SMC_CHECK,
    H_COUNT
};

static const void *const *handlers;

/* Guest-state and temporary operands: offset from env. */
static uint32_t opnd(const emu_cpu *cpu, emu_ir_val v)
{
    if (v & EMU_IR_ENV_BIT)
        return v & 0x0fffffffu;
    return (uint32_t)(cpu->env_size - (IR_MAX_TEMPS + 1) * TEMP_SLOT + v * TEMP_SLOT);
}

static unsigned optype(const emu_ir_block *b, emu_ir_val v)
{
    if (v & EMU_IR_ENV_BIT)
        return (v >> 28) & 3;
    return b->temp_type[v];
}

typedef struct compiler {
    emu_cpu *cpu;
    const emu_ir_block *b;
    iop *out;
    uint8_t *insn_of;
    unsigned n, cap;
    uint32_t label_at[IR_MAX_LABELS];
    unsigned *fix;                /* iops whose c (or b) field holds a label to resolve */
    size_t nfix, fix_cap;
    uint32_t scratch;             /* a temp slot for lowering */
    bool watch;                   /* user mode with memory hooks: checked accesses */
    unsigned nexits;              /* goto_tb exits so far */
    bool *abs_has;                /* system mode: accesses at an address known now (ir-const.c) */
    uint32_t *abs_addr;
    unsigned cur;                 /* index of the IR op being lowered */
    bool ok;                      /* fuse_sys: the lowering worked */
} compiler;

static iop *put(compiler *k, unsigned h, uint16_t insn)
{
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 64;
        k->out = emu_xrealloc(k->out, k->cap * sizeof *k->out);
        k->insn_of = emu_xrealloc(k->insn_of, k->cap);
    }
    iop *o = &k->out[k->n];
    memset(o, 0, sizeof *o);
    o->h = (const void *)(uintptr_t)h;   /* index now; turned into an address at the end */
    k->insn_of[k->n] = (uint8_t)insn;
    k->n++;
    return o;
}

static void want_fix(compiler *k)
{
    EMU_PUSH(k->fix, k->nfix, k->fix_cap, k->n - 1);
}

/* System-mode store records: the store ends its guest instruction, so a store that hit code of
   the running block leaves it right after (the check sits on the slow path, the only one a
   write to code takes: code pages are never on the write fast path). */
#define SST_INSN_END 0x100u
/* System-mode update forms (lwzu, stwu): the access, then a = the address (on the slow path too). */
#define SMEM_UPDATE 0x200u
/* A system-mode store record followed by a data record (d = register, b = constant) with the
   next instruction's move of a constant (li, lis, or lis + addi/ori folded), made once the store
   is done and did not hit the block's code. */
#define SST_THEN_MOVI 0x400u

static unsigned ld_handler(unsigned memop, bool user)
{
    if (!user) {
        switch (memop) {
        case EMU_MO_8: return H_SLD8U;
        case EMU_MO_16 | EMU_MO_BE: return H_SLD16BU;
        case EMU_MO_16 | EMU_MO_BE | EMU_MO_SIGN: return H_SLD16BS;
        case EMU_MO_32 | EMU_MO_BE: case EMU_MO_32 | EMU_MO_BE | EMU_MO_SIGN: return H_SLD32B;
        default: return H_SLD;
        }
    }
    bool be = memop & EMU_MO_BE, s = memop & EMU_MO_SIGN;
    switch (memop & EMU_MO_SIZE) {
    case EMU_MO_8: return s ? H_ULD8S : H_ULD8U;
    case EMU_MO_16: return be ? (s ? H_ULD16BS : H_ULD16BU) : (s ? H_ULD16LS : H_ULD16LU);
    case EMU_MO_32: return be ? H_ULD32B : H_ULD32L;
    default: return be ? H_ULD64B : H_ULD64L;
    }
}

static unsigned st_handler(unsigned memop, bool user)
{
    if (!user) {
        switch (memop & (EMU_MO_SIZE | EMU_MO_BE)) {
        case EMU_MO_8: case EMU_MO_8 | EMU_MO_BE: return H_SST8;
        case EMU_MO_16 | EMU_MO_BE: return H_SST16B;
        case EMU_MO_32 | EMU_MO_BE: return H_SST32B;
        default: return H_SST;
        }
    }
    bool be = memop & EMU_MO_BE;
    switch (memop & EMU_MO_SIZE) {
    case EMU_MO_8: return H_UST8;
    case EMU_MO_16: return be ? H_UST16B : H_UST16L;
    case EMU_MO_32: return be ? H_UST32B : H_UST32L;
    default: return be ? H_UST64B : H_UST64L;
    }
}

static void put_imm64(iop *o, uint64_t v)
{
    o->b = (uint32_t)v;
    o->c = (uint32_t)(v >> 32);
}

/* Lower one IR op.  Returns false on an op the backend cannot express. */
static bool lower(compiler *k, const ir_op *o)
{
    emu_cpu *cpu = k->cpu;
    const emu_ir_block *b = k->b;
    uint16_t in = o->insn;
    bool is64 = o->type == EMU_IR_I64 || o->type == EMU_IR_F64;
    iop *x;
    switch (o->opc) {
    case IR_NOP:
    case IR_INSN_START:
        return true;
    case IR_LABEL:
        k->label_at[o->imm] = k->n;
        return true;
    case IR_MOV:
        x = put(k, optype(b, o->d) == EMU_IR_I32 ? H_MOV32 : H_MOV64, in);
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        return true;
    case IR_MOVI:
        if (optype(b, o->d) == EMU_IR_I32) {
            x = put(k, H_MOVI32, in);
            x->b = (uint32_t)o->imm;
        } else {
            x = put(k, H_MOVI64, in);
            put_imm64(x, o->imm);
        }
        x->d = opnd(cpu, o->d);
        return true;
    case IR_BINOP:
        if (o->sub >= EMU_IR_BINOP_COUNT)
            return false;
        if (!is64 && (o->flags & IR_F_IMM) && o->imm2 < 32 &&
            (o->sub == EMU_IR_SHL || o->sub == EMU_IR_SHR || o->sub == EMU_IR_SAR)) {
            x = put(k, o->sub == EMU_IR_SHL ? H_SHLI : o->sub == EMU_IR_SHR ? H_SHRI : H_SARI, in);
            x->d = opnd(cpu, o->d);
            x->a = opnd(cpu, o->a);
            x->b = (uint32_t)o->imm2;
            return true;
        }
        if (!is64) {
            unsigned base = o->d == o->a ? H_ADD_DR : H_ADD_RR;
            x = put(k, base + o->sub * 2 + ((o->flags & IR_F_IMM) ? 1 : 0), in);
            x->d = opnd(cpu, o->d);
            x->a = opnd(cpu, o->a);
            x->b = (o->flags & IR_F_IMM) ? (uint32_t)o->imm2 : opnd(cpu, o->c);
            return true;
        }
        if (o->flags & IR_F_IMM) {
            x = put(k, H_MOVI64, in);
            x->d = k->scratch;
            put_imm64(x, o->imm2);
        }
        x = put(k, H_BIN64, in);
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        x->b = (o->flags & IR_F_IMM) ? k->scratch : opnd(cpu, o->c);
        x->c = o->sub;
        return true;
    case IR_UNOP: {
        static const unsigned map[EMU_IR_UNOP_COUNT] = {
            [EMU_IR_NOT] = H_NOT, [EMU_IR_NEG] = H_NEG, [EMU_IR_CLZ] = H_CLZ, [EMU_IR_CTZ] = H_CTZ,
            [EMU_IR_BSWAP16] = H_BSWAP16, [EMU_IR_BSWAP32] = H_BSWAP32, [EMU_IR_BSWAP64] = H_BSWAP64_X,
            [EMU_IR_EXT8S] = H_EXT8S, [EMU_IR_EXT16S] = H_EXT16S, [EMU_IR_EXT8U] = H_EXT8U,
            [EMU_IR_EXT16U] = H_EXT16U, [EMU_IR_EXT32S] = H_EXT32S, [EMU_IR_EXT32U] = H_EXT32U,
            [EMU_IR_TRUNC32] = H_TRUNC32,
        };
        if (o->sub >= EMU_IR_UNOP_COUNT)
            return false;
        bool conv = o->sub == EMU_IR_EXT32S || o->sub == EMU_IR_EXT32U || o->sub == EMU_IR_TRUNC32;
        if (is64 && !conv) {
            x = put(k, H_UN64, in);
            x->c = o->sub;
        } else {
            if (o->sub == EMU_IR_BSWAP64)
                return false;
            x = put(k, map[o->sub], in);
        }
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        return true;
    }
    case IR_SETCOND:
    case IR_BRCOND:
        if (o->sub > EMU_IR_GEU)
            return false;
        if (!is64) {
            unsigned h = o->sub * 4 + H_SET_EQ_RR + (o->opc == IR_BRCOND ? 2 : 0) +
                         ((o->flags & IR_F_IMM) ? 1 : 0);
            x = put(k, h, in);
            x->d = opnd(cpu, o->d);
            x->a = opnd(cpu, o->a);
            x->b = (o->flags & IR_F_IMM) ? (uint32_t)o->imm2 : opnd(cpu, o->c);
            if (o->opc == IR_BRCOND) {
                x->c = (uint32_t)o->imm;
                want_fix(k);
            }
            return true;
        }
        if (o->flags & IR_F_IMM) {
            x = put(k, H_MOVI64, in);
            x->d = k->scratch;
            put_imm64(x, o->imm2);
        }
        x = put(k, o->opc == IR_BRCOND ? H_BR64 : H_SET64, in);
        x->a = opnd(cpu, o->a);
        x->b = (o->flags & IR_F_IMM) ? k->scratch : opnd(cpu, o->c);
        if (o->opc == IR_BRCOND) {
            x->d = o->sub;
            x->c = (uint32_t)o->imm;
            want_fix(k);
        } else {
            x->d = opnd(cpu, o->d);
            x->c = o->sub;
        }
        return true;
    case IR_SELECT:
        if (o->sub > EMU_IR_GEU)
            return false;
        /* scratch(i32) = cond; d = scratch ? t : f */
        if (!is64) {
            x = put(k, o->sub * 4 + H_SET_EQ_RR, in);
            x->d = k->scratch;
            x->a = opnd(cpu, o->a);
            x->b = opnd(cpu, o->c);
        } else {
            x = put(k, H_SET64, in);
            x->d = k->scratch;
            x->a = opnd(cpu, o->a);
            x->b = opnd(cpu, o->c);
            x->c = o->sub;
        }
        x = put(k, o->pad == EMU_IR_I32 ? H_SEL32 : H_SEL64, in);
        x->d = opnd(cpu, o->d);
        x->a = k->scratch;
        x->b = opnd(cpu, (emu_ir_val)o->imm);
        x->c = opnd(cpu, (emu_ir_val)o->imm2);
        return true;
    case IR_CMP3:
        if (!is64) {
            x = put(k, (o->sub ? H_CMP3S_RR : H_CMP3U_RR) + ((o->flags & IR_F_IMM) ? 1 : 0), in);
            x->d = opnd(cpu, o->d);
            x->a = opnd(cpu, o->a);
            x->b = (o->flags & IR_F_IMM) ? (uint32_t)o->imm2 : opnd(cpu, o->c);
            x->c = (uint32_t)o->imm;
            return true;
        }
        if (o->flags & IR_F_IMM) {
            x = put(k, H_MOVI64, in);
            x->d = k->scratch;
            put_imm64(x, o->imm2);
        }
        x = put(k, H_CMP3_64, in);
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        x->b = (o->flags & IR_F_IMM) ? k->scratch : opnd(cpu, o->c);
        x->c = (uint32_t)o->imm | (o->sub ? 1u << 24 : 0);
        return true;
    case IR_FOP:
        if (o->sub >= EMU_IR_FOP_COUNT)
            return false;
        x = put(k, H_FADD + o->sub, in);
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        x->b = o->c ? opnd(cpu, o->c) : 0;
        return true;
    case IR_FMA:
        x = put(k, H_FMA, in);
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        x->b = opnd(cpu, o->c);
        x->c = opnd(cpu, o->e);
        return true;
    case IR_LOAD:
    case IR_STORE: {
        if (optype(b, o->a) != (cpu->ops->addr_bits == 64 ? EMU_IR_I64 : EMU_IR_I32) ||
            cpu->ops->addr_bits != 32)
            return false;
        /* 8/16/32-bit accesses use i32 values, 64-bit ones i64/f64 */
        bool wide = (o->sub & EMU_MO_SIZE) == EMU_MO_64;
        if (wide != (optype(b, o->d) != EMU_IR_I32))
            return false;
        unsigned h = o->opc == IR_LOAD ? ld_handler(o->sub, cpu->user) : st_handler(o->sub, cpu->user);
        if (cpu->user && k->watch)   /* memory hooks exist: accesses check the watched pages */
            h = o->opc == IR_LOAD ? H_WLD : H_WST;
        x = put(k, h, in);
        x->d = opnd(cpu, o->d);
        x->a = opnd(cpu, o->a);
        x->b = (uint32_t)o->imm;
        x->c = (o->sub & 15) | (cpu->user ? o->e << 4 : o->e << TLB_MODE_SHIFT);
        if (h >= H_SLD8U && h <= H_SST32B && k->abs_has && k->abs_has[k->cur] && o->e < EMU_IR_MMU_MODES) {
            /* the address is a constant: its TLB entry too (as an offset from env, the same
               in every CPU) */
            uint32_t addr = k->abs_addr[k->cur];
            const tlb_entry *e = &cpu->tlb[o->e][(addr >> 12) & (TLB_SIZE - 1)];
            x->h = (const void *)(uintptr_t)(h - H_SLD8U + H_SLDA8U);
            x->a = (uint32_t)(int32_t)((const uint8_t *)e - cpu->env);
            x->b = addr;
        }
        return true;
    }
    case IR_CALL: {
        x = put(k, H_CALL, in);
        x->a = o->a ? opnd(cpu, o->a) : 0;
        x->b = o->c ? opnd(cpu, o->c) : 0;
        x->c = o->e ? opnd(cpu, o->e) : 0;
        uint32_t types = (o->a ? optype(b, o->a) + 1 : 0) | (o->c ? optype(b, o->c) + 1 : 0) << 2 |
                         (o->e ? optype(b, o->e) + 1 : 0) << 4;
        iop *y = put(k, 0, in);
        y->h = (const void *)o->fn;
        y->d = o->d ? opnd(cpu, o->d) : 0;
        y->a = o->d ? optype(b, o->d) + 1 : 0;    /* 0: no destination */
        y->b = types;
        y->c = o->sub;
        return true;
    }
    case IR_CALL_CONST: {
        x = put(k, H_CALLC, in);
        x->a = (uint32_t)o->imm;
        x->b = (uint32_t)o->imm2;
        x->d = o->d ? opnd(cpu, o->d) : 0;
        x->c = o->d ? optype(b, o->d) + 1 : 0;
        iop *y = put(k, 0, in);
        y->h = (const void *)o->fn;
        return true;
    }
    case IR_BR:
        x = put(k, H_BR, in);
        x->c = (uint32_t)o->imm;
        want_fix(k);
        return true;
    case IR_BRTEST:
        if (is64) {
            x = put(k, H_MOVI64, in);
            x->d = k->scratch;
            put_imm64(x, o->imm2);
            x = put(k, H_BRTEST64, in);
            x->a = opnd(cpu, o->a);
            x->b = k->scratch;
            x->d = o->sub;
        } else {
            x = put(k, o->sub ? H_BRTEST_SET : H_BRTEST_CLR, in);
            x->a = opnd(cpu, o->a);
            x->b = (uint32_t)o->imm2;
        }
        x->c = (uint32_t)o->imm;
        want_fix(k);
        return true;
    case IR_GOTO_TB:
        /* user mode: a jump forward needs no budget or exit-request test (every cycle of
           blocks has a jump back, which tests), so the budget is overrun by at most one
           forward path */
        x = put(k, !cpu->user ? H_GOTO_TB : o->imm > b->pc ? H_GOTO_TB_FWD :
                   o->imm == b->pc ? H_GOTO_TB_SELF : H_GOTO_TB, in);
        x->d = in + 1u;
        x->a = k->nexits++;     /* each exit its own chaining slot (the IR's slot number aside) */
        put_imm64(x, o->imm);
        return true;
    case IR_EXIT_INDIRECT:
        x = put(k, H_EXIT_IND, in);
        x->d = in + 1u;
        x->a = opnd(cpu, o->a);
        return true;
    case IR_EXIT_LOOP:
        x = put(k, H_EXIT_LOOP, in);
        x->d = in + 1u;
        put_imm64(x, o->imm);
        return true;
    case IR_EXIT_EXCP_AT:
        x = put(k, H_EXIT_EXCP_AT, in);
        x->d = in + 1u;
        x->a = o->sub;
        x->b = opnd(cpu, o->a);
        x->c = (uint32_t)o->imm2;
        return true;
    case IR_EXIT_EXCP: {
        bool completed = o->imm2 >> 32;
        x = put(k, H_EXIT_EXCP, in);
        x->d = in + (completed ? 1u : 0u);
        x->a = o->sub;
        put_imm64(x, o->imm);
        iop *y = put(k, 0, in);
        y->d = (uint32_t)o->imm2;
        y->a = completed;
        return true;
    }
    }
    return false;
}

/* Does op i start a new guest instruction with nothing compiled before its first op (no hook
   call, no store check)?  Then ops of the instruction before may join ops of this one. */
static bool plain_boundary(const emu_ir_block *b, unsigned i, bool store_check_due)
{
    return i < b->nops && b->ops[i].opc == IR_INSN_START && !store_check_due;
}

/* System-mode patterns across two IR ops, the second at *pi + 2 after an instruction boundary
   or at *pi + 1 in the same instruction.  On a match: records put, *pi on the last op used,
   k->ok the lowering's result. */
static bool fuse_sys(compiler *k, unsigned *pi, bool store_check_due, uint64_t *prev_pc,
                     bool *after_store, const uint16_t *uses)
{
    const emu_ir_block *b = k->b;
    emu_cpu *cpu = k->cpu;
    unsigned i = *pi;
    const ir_op *o = &b->ops[i];
    bool i32_state = (o->d & EMU_IR_ENV_BIT) && optype(b, o->d) == EMU_IR_I32;
    k->ok = true;
    /* r = K (lis), then r = r + imm or r | imm (addi, ori) in the next instruction: one
       constant; nothing can look at r in between (no op, no fault) */
    if (o->opc == IR_MOVI && i32_state && plain_boundary(b, i + 1, store_check_due) && i + 2 < b->nops) {
        const ir_op *o2 = &b->ops[i + 2];
        if (o2->opc == IR_BINOP && (o2->sub == EMU_IR_ADD || o2->sub == EMU_IR_OR) &&
            (o2->flags & IR_F_IMM) && o2->type == EMU_IR_I32 && o2->d == o->d && o2->a == o->d) {
            uint32_t v = o2->sub == EMU_IR_ADD ? (uint32_t)o->imm + (uint32_t)o2->imm2
                                               : (uint32_t)o->imm | (uint32_t)o2->imm2;
            iop *x = put(k, H_MOVI32, o2->insn);
            x->d = opnd(cpu, o->d);
            x->b = v;
            *prev_pc = b->ops[i + 1].imm;
            *pi = i + 2;
            return true;
        }
    }
    /* r = K, then a 32-bit access at a constant address in the next instruction: one record
       (the access's instruction: a fault there finds r already set) and a data record */
    if (o->opc == IR_MOVI && i32_state && plain_boundary(b, i + 1, store_check_due) && i + 2 < b->nops &&
        k->abs_has && k->abs_has[i + 2]) {
        const ir_op *o2 = &b->ops[i + 2];
        if ((o2->opc == IR_LOAD || o2->opc == IR_STORE) && (o2->sub & ~EMU_MO_SIGN) == (EMU_MO_32 | EMU_MO_BE) &&
            optype(b, o2->d) == EMU_IR_I32 && o2->e < EMU_IR_MMU_MODES) {
            k->cur = i + 2;
            k->ok = lower(k, o2);
            if (!k->ok)
                return true;
            iop *x = &k->out[k->n - 1];
            if ((uintptr_t)x->h != (o2->opc == IR_LOAD ? H_SLDA32B : H_SSTA32B)) {
                /* not at a constant address after all: the move, then the access */
                iop acc = *x;
                memset(x, 0, sizeof *x);
                x->h = (const void *)(uintptr_t)H_MOVI32;
                x->d = opnd(cpu, o->d);
                x->b = (uint32_t)o->imm;
                k->insn_of[k->n - 1] = (uint8_t)o->insn;
                x = put(k, 0, o2->insn);
                *x = acc;
            } else {
                x->h = (const void *)(uintptr_t)(o2->opc == IR_LOAD ? H_MOVI_SLDA32B : H_MOVI_SSTA32B);
                iop *y = put(k, 0, o2->insn);
                y->d = opnd(cpu, o->d);
                y->b = (uint32_t)o->imm;
                x = &k->out[k->n - 2];
            }
            if (o2->opc == IR_STORE) {
                if (i + 3 < b->nops && b->ops[i + 3].opc == IR_INSN_START)
                    x->c |= SST_INSN_END;
                else
                    *after_store = true;
            }
            *prev_pc = b->ops[i + 1].imm;
            *pi = i + 2;
            return true;
        }
    }
    /* t = a + imm; a 32-bit access at t; a = t, t read nowhere else (lwzu, stwu): one record,
       the whole instruction */
    if (o->opc == IR_BINOP && o->sub == EMU_IR_ADD && (o->flags & IR_F_IMM) && o->type == EMU_IR_I32 &&
        !(o->d & EMU_IR_ENV_BIT) && o->d <= IR_MAX_TEMPS && uses[o->d] == 3 && (o->a & EMU_IR_ENV_BIT) &&
        optype(b, o->a) == EMU_IR_I32 && i + 2 < b->nops && cpu->ops->addr_bits == 32) {
        const ir_op *o2 = &b->ops[i + 1], *o3 = &b->ops[i + 2];
        if ((o2->opc == IR_LOAD || o2->opc == IR_STORE) && o2->a == o->d && o2->imm == 0 &&
            (o2->sub & ~EMU_MO_SIGN) == (EMU_MO_32 | EMU_MO_BE) && optype(b, o2->d) == EMU_IR_I32 &&
            o2->insn == o->insn && o2->e < EMU_IR_MMU_MODES && o3->opc == IR_MOV && o3->d == o->a &&
            o3->a == o->d && o3->insn == o->insn) {
            iop *x = put(k, o2->opc == IR_LOAD ? H_SLD32B_U : H_SST32B_U, o2->insn);
            x->d = opnd(cpu, o2->d);
            x->a = opnd(cpu, o->a);
            x->b = (uint32_t)o->imm2;
            x->c = EMU_MO_32 | EMU_MO_BE | SMEM_UPDATE | o2->e << TLB_MODE_SHIFT;
            if (o2->opc == IR_STORE && i + 3 < b->nops && b->ops[i + 3].opc == IR_INSN_START)
                x->c |= SST_INSN_END;
            else if (o2->opc == IR_STORE)
                *after_store = true;
            *pi = i + 2;
            return true;
        }
    }
    /* x = x << 2 (slwi), then in the next instruction t = a + x; a 32-bit load at t, t read
       nowhere else (lwzx): one record, x shifted first (a fault at the load finds it done) */
    if (o->opc == IR_BINOP && o->sub == EMU_IR_SHL && (o->flags & IR_F_IMM) && o->imm2 == 2 &&
        o->type == EMU_IR_I32 && i32_state && o->a == o->d && plain_boundary(b, i + 1, store_check_due) &&
        i + 3 < b->nops && cpu->ops->addr_bits == 32) {
        const ir_op *o2 = &b->ops[i + 2], *o3 = &b->ops[i + 3];
        if (o2->opc == IR_BINOP && o2->sub == EMU_IR_ADD && !(o2->flags & IR_F_IMM) && o2->type == EMU_IR_I32 &&
            (o2->a == o->d || o2->c == o->d) && !(o2->d & EMU_IR_ENV_BIT) && o2->d <= IR_MAX_TEMPS &&
            uses[o2->d] == 2 && o3->opc == IR_LOAD && o3->a == o2->d && o3->imm == 0 &&
            (o3->sub & ~EMU_MO_SIGN) == (EMU_MO_32 | EMU_MO_BE) && optype(b, o3->d) == EMU_IR_I32 &&
            o3->insn == o2->insn && o3->e < EMU_IR_MMU_MODES && !(k->abs_has && k->abs_has[i + 3])) {
            iop *x = put(k, H_SLD32B_XS2, o3->insn);
            x->d = opnd(cpu, o3->d);
            x->a = opnd(cpu, o2->a == o->d ? o2->c : o2->a);
            x->b = opnd(cpu, o->d);
            x->c = EMU_MO_32 | EMU_MO_BE | o3->e << TLB_MODE_SHIFT;
            *prev_pc = b->ops[i + 1].imm;
            *pi = i + 3;
            return true;
        }
    }
    /* t = a + b; a 32-bit access at t, t read nowhere else (lwzx, stwx): one record */
    if (o->opc == IR_BINOP && o->sub == EMU_IR_ADD && !(o->flags & IR_F_IMM) && o->type == EMU_IR_I32 &&
        !(o->d & EMU_IR_ENV_BIT) && o->d <= IR_MAX_TEMPS && uses[o->d] == 2 && i + 1 < b->nops &&
        cpu->ops->addr_bits == 32) {
        const ir_op *o2 = &b->ops[i + 1];
        if ((o2->opc == IR_LOAD || o2->opc == IR_STORE) && o2->a == o->d && o2->imm == 0 &&
            (o2->sub & ~EMU_MO_SIGN) == (EMU_MO_32 | EMU_MO_BE) && optype(b, o2->d) == EMU_IR_I32 &&
            o2->insn == o->insn && o2->e < EMU_IR_MMU_MODES && !(k->abs_has && k->abs_has[i + 1])) {
            iop *x = put(k, o2->opc == IR_LOAD ? H_SLD32B_X : H_SST32B_X, o2->insn);
            x->d = opnd(cpu, o2->d);
            x->a = opnd(cpu, o->a);
            x->b = opnd(cpu, o->c);
            x->c = EMU_MO_32 | EMU_MO_BE | o2->e << TLB_MODE_SHIFT;
            if (o2->opc == IR_STORE) {
                if (i + 2 < b->nops && b->ops[i + 2].opc == IR_INSN_START)
                    x->c |= SST_INSN_END;
                else
                    *after_store = true;
            }
            *pi = i + 1;
            return true;
        }
    }
    return false;
}

tb *interp_compile(emu_cpu *cpu, const emu_ir_block *b)
{
    if (!handlers) {
        int64_t dummy = 0;
        interp_run(NULL, NULL, &dummy, NULL, NULL);
    }
    compiler k;
    memset(&k, 0, sizeof k);
    k.cpu = cpu;
    k.b = b;
    k.scratch = opnd(cpu, 0);    /* slot 0 of the temporaries is the backend's */
    k.watch = cpu->user && user_watching(cpu);
    /* System mode: loads and stores at constant addresses.  Not while memory hooks exist (their
       callbacks run inside the block and may change registers). */
    emu_machine *m = cpu->dev->machine;
    if (!cpu->user && cpu->ops->addr_bits == 32 && !emu_hooks_any(m, EMU_HOOK_READ) &&
        !emu_hooks_any(m, EMU_HOOK_WRITE)) {
        k.abs_has = emu_xmalloc(b->nops * sizeof *k.abs_has);
        k.abs_addr = emu_xmalloc(b->nops * sizeof *k.abs_addr);
        ir_const_addresses(b, k.abs_has, k.abs_addr);
    }
    /* how often each temporary appears in the block (as destination or operand) */
    uint16_t uses[IR_MAX_TEMPS + 1];
    memset(uses, 0, sizeof uses);
    for (unsigned i = 0; i < b->nops; i++) {
        const ir_op *o = &b->ops[i];
        /* (a load's or store's e is its mmu_idx, not a value) */
        bool mem = o->opc == IR_LOAD || o->opc == IR_STORE;
        emu_ir_val v[5] = { o->d, o->a, o->c, mem ? 0 : o->e, 0 };
        if (o->opc == IR_SELECT) {
            v[3] = (emu_ir_val)o->imm;
            v[4] = (emu_ir_val)o->imm2;
        }
        for (unsigned j = 0; j < 5; j++)
            if (v[j] && !(v[j] & EMU_IR_ENV_BIT) && v[j] <= IR_MAX_TEMPS && uses[v[j]] < 0xffff)
                uses[v[j]]++;
    }
    bool ok = true;
    bool after_store = false;
    uint64_t prev_pc = 0;
    for (unsigned i = 0; i < b->nops && ok; i++) {
        const ir_op *o = &b->ops[i];
        k.cur = i;
        /* A store may have hit code of this very block (the memory system or the user-mode
           write fault only flags it): system mode checks at the next instruction boundary,
           user mode where the block goes on at a branch target the translator followed
           (code it holds from before the store may run again there). */
        if (o->opc == IR_INSN_START) {
            bool jumped = o->insn > 0 && o->imm != prev_pc + 4;
            if (after_store && (!cpu->user || jumped)) {
                iop *x = put(&k, H_SMC_CHECK, o->insn);
                x->d = o->insn;
                put_imm64(x, o->imm);
                after_store = false;
            }
            prev_pc = o->imm;
        }
        if (!cpu->user && fuse_sys(&k, &i, after_store, &prev_pc, &after_store, uses)) {
            ok = k.ok;
            continue;
        }
        if (!cpu->user && o->opc == IR_STORE && i + 1 < b->nops && b->ops[i + 1].opc == IR_INSN_START) {
            ok = lower(&k, o);
            if (!ok)
                continue;
            iop *x = &k.out[k.n - 1];
            x->c |= SST_INSN_END;
            uintptr_t h = (uintptr_t)x->h;
            const ir_op *m = i + 2 < b->nops ? &b->ops[i + 2] : NULL;
            if ((h == H_SSTA32B || h == H_SST32B) && plain_boundary(b, i + 1, after_store) && m &&
                m->opc == IR_MOVI && (m->d & EMU_IR_ENV_BIT) && optype(b, m->d) == EMU_IR_I32) {
                uint32_t v = (uint32_t)m->imm;
                unsigned last = i + 2;
                const ir_op *f = i + 4 < b->nops ? &b->ops[i + 4] : NULL;
                if (f && plain_boundary(b, i + 3, false) && f->opc == IR_BINOP &&
                    (f->sub == EMU_IR_ADD || f->sub == EMU_IR_OR) && (f->flags & IR_F_IMM) &&
                    f->type == EMU_IR_I32 && f->d == m->d && f->a == m->d) {
                    v = f->sub == EMU_IR_ADD ? v + (uint32_t)f->imm2 : v | (uint32_t)f->imm2;
                    last = i + 4;
                }
                x->h = (const void *)(uintptr_t)(h == H_SSTA32B ? H_SSTA32B_MOVI : H_SST32B_MOVI);
                x->c |= SST_THEN_MOVI;
                iop *y = put(&k, 0, b->ops[last].insn);
                y->d = opnd(cpu, m->d);
                y->b = v;
                prev_pc = b->ops[last - 1].imm;
                i = last;
            }
            continue;
        }
        if (o->opc == IR_STORE || (o->opc == IR_CALL && (o->sub & EMU_HELPER_MEMORY)))
            after_store = true;
        /* d = cmp3(a, b); d |= x  (a PowerPC compare and its SO bit): one record */
        const ir_op *o2 = i + 1 < b->nops ? &b->ops[i + 1] : NULL;
        if (o->opc == IR_CMP3 && o->type == EMU_IR_I32 && o2 && o2->opc == IR_BINOP &&
            o2->sub == EMU_IR_OR && !(o2->flags & IR_F_IMM) && o2->type == EMU_IR_I32 &&
            o2->d == o->d && o2->a == o->d && o2->c != o->d) {
            /* and a test of the result by the next instruction (compare and branch): one
               record more; nothing between them can fault, so the instruction index of
               the compare serves for both (not when a system-mode store check is due at
               that instruction) */
            unsigned skip = i + 2 < b->nops && b->ops[i + 2].opc == IR_INSN_START ? 3 : 2;
            const ir_op *o3 = i + skip < b->nops ? &b->ops[i + skip] : NULL;
            bool br = (cpu->user || !after_store) && o3 && o3->opc == IR_BRTEST && o3->type == EMU_IR_I32 &&
                      o3->a == o->d;
            unsigned h = (o->sub ? H_CMP3S_RR_OR : H_CMP3U_RR_OR) + ((o->flags & IR_F_IMM) ? 1 : 0);
            iop *x = put(&k, br ? h - H_CMP3S_RR_OR + H_CMP3S_RR_OR_BR : h, o->insn);
            x->d = opnd(cpu, o->d);
            x->a = opnd(cpu, o->a);
            x->b = (o->flags & IR_F_IMM) ? (uint32_t)o->imm2 : opnd(cpu, o->c);
            x->c = opnd(cpu, o2->c);
            iop *y = put(&k, 0, o->insn);
            y->d = (uint32_t)o->imm;
            i++;
            if (br) {
                y->a = (uint32_t)o3->imm2;      /* the bit tested */
                y->b = o3->sub ? 1 : 0;         /* branch when it is set (1) or clear (0) */
                y->c = (uint32_t)o3->imm;       /* the label */
                want_fix(&k);
                i += skip - 1;
            }
            continue;
        }
        /* t = rotl(a, n); d = t & mask with t read nowhere else (rlwinm): one record */
        if (o->opc == IR_BINOP && o->sub == EMU_IR_ROTL && (o->flags & IR_F_IMM) && o->type == EMU_IR_I32 &&
            o2 && o2->opc == IR_BINOP && o2->sub == EMU_IR_AND && (o2->flags & IR_F_IMM) &&
            o2->type == EMU_IR_I32 && o2->a == o->d && o2->d != o->d && !(o->d & EMU_IR_ENV_BIT) &&
            o2->insn == o->insn && uses[o->d] == 2) {
            iop *x = put(&k, H_ROTL_AND, o->insn);
            x->d = opnd(cpu, o2->d);
            x->a = opnd(cpu, o->a);
            x->b = (uint32_t)o->imm2;
            x->c = (uint32_t)o2->imm2;
            i++;
            continue;
        }
        /* x = a +/- imm; branch when x ==/!= 0 (the CTR decrement of bdnz/bdz): one record */
        if (o->opc == IR_BINOP && (o->sub == EMU_IR_ADD || o->sub == EMU_IR_SUB) && (o->flags & IR_F_IMM) &&
            o->type == EMU_IR_I32 && optype(b, o->d) == EMU_IR_I32 && o2 && o2->opc == IR_BRCOND &&
            (o2->sub == EMU_IR_EQ || o2->sub == EMU_IR_NE) && (o2->flags & IR_F_IMM) && o2->imm2 == 0 &&
            o2->type == EMU_IR_I32 && o2->a == o->d && o2->insn == o->insn) {
            iop *x = put(&k, o2->sub == EMU_IR_EQ ? H_ADDI_BR_EQ : H_ADDI_BR_NE, o->insn);
            x->d = opnd(cpu, o->d);
            x->a = opnd(cpu, o->a);
            x->b = o->sub == EMU_IR_ADD ? (uint32_t)o->imm2 : -(uint32_t)o->imm2;
            x->c = (uint32_t)o2->imm;
            want_fix(&k);
            i++;
            continue;
        }
        /* t = a + imm; load or store 32 bits big-endian at t; a = t, with t read nowhere else
           (lwzu, stwu): one record in user mode without memory hooks */
        const ir_op *o3 = i + 2 < b->nops ? &b->ops[i + 2] : NULL;
        if (cpu->user && !k.watch && cpu->ops->addr_bits == 32 && o->opc == IR_BINOP &&
            o->sub == EMU_IR_ADD && (o->flags & IR_F_IMM) && o->type == EMU_IR_I32 &&
            (o->a & EMU_IR_ENV_BIT) && !(o->d & EMU_IR_ENV_BIT) && uses[o->d] == 3 && o2 && o3 &&
            (o2->opc == IR_LOAD || o2->opc == IR_STORE) && o2->a == o->d && o2->imm == 0 &&
            (o2->sub & EMU_MO_SIZE) == EMU_MO_32 && (o2->sub & EMU_MO_BE) &&
            optype(b, o2->d) == EMU_IR_I32 && o2->insn == o->insn && o3->opc == IR_MOV &&
            o3->d == o->a && o3->a == o->d && o3->insn == o->insn) {
            iop *x = put(&k, o2->opc == IR_LOAD ? H_ULD32B_U : H_UST32B_U, o->insn);
            x->d = opnd(cpu, o2->d);
            x->a = opnd(cpu, o->a);
            x->b = (uint32_t)o->imm2;
            i += 2;
            continue;
        }
        /* t = a + b; load or store 32 bits big-endian at t (lwzx, stwx): one record in user
           mode without memory hooks.  t is still written, then the access is made. */
        if (cpu->user && !k.watch && cpu->ops->addr_bits == 32 && o->opc == IR_BINOP &&
            o->sub == EMU_IR_ADD && !(o->flags & IR_F_IMM) && o->type == EMU_IR_I32 && o2 &&
            (o2->opc == IR_LOAD || o2->opc == IR_STORE) && o2->a == o->d && o2->imm == 0 &&
            (o2->sub & EMU_MO_SIZE) == EMU_MO_32 && (o2->sub & EMU_MO_BE) &&
            optype(b, o->d) == EMU_IR_I32 && optype(b, o2->d) == EMU_IR_I32 && o2->insn == o->insn) {
            iop *x = put(&k, o2->opc == IR_LOAD ? H_ULD32B_X : H_UST32B_X, o->insn);
            x->d = opnd(cpu, o2->d);
            x->a = opnd(cpu, o->a);
            x->b = opnd(cpu, o->c);
            x->c = opnd(cpu, o->d);
            i++;
            continue;
        }
        /* x = y (mtctr), then in the next instruction t = x & ~3; leave for t (bctr), t read
           nowhere else: one record */
        if (o->opc == IR_MOV && (o->d & EMU_IR_ENV_BIT) && optype(b, o->d) == EMU_IR_I32 &&
            optype(b, o->a) == EMU_IR_I32 && cpu->ops->addr_bits == 32 && i + 3 < b->nops &&
            b->ops[i + 1].opc == IR_INSN_START && !after_store) {
            const ir_op *a2 = &b->ops[i + 2], *a3 = &b->ops[i + 3];
            if (a2->opc == IR_BINOP && a2->sub == EMU_IR_AND && (a2->flags & IR_F_IMM) &&
                (uint32_t)a2->imm2 == ~3u && a2->type == EMU_IR_I32 && a2->a == o->d &&
                !(a2->d & EMU_IR_ENV_BIT) && a2->d <= IR_MAX_TEMPS && uses[a2->d] == 2 &&
                a3->opc == IR_EXIT_INDIRECT && a3->a == a2->d) {
                iop *x = put(&k, H_EXIT_IND_MV, a3->insn);
                x->d = a3->insn + 1u;
                x->a = opnd(cpu, o->a);
                x->b = opnd(cpu, o->d);
                prev_pc = b->ops[i + 1].imm;
                i += 3;
                continue;
            }
        }
        /* t = x & ~3 (a 32-bit PC), then leave for t, or (a blr the block followed a call for)
           go on at the label when t is the expected return address, else leave for t: one
           record, t read nowhere else */
        if (o->opc == IR_BINOP && o->sub == EMU_IR_AND && (o->flags & IR_F_IMM) && o->type == EMU_IR_I32 &&
            (uint32_t)o->imm2 == ~3u && !(o->d & EMU_IR_ENV_BIT) && o->d <= IR_MAX_TEMPS &&
            optype(b, o->d) == EMU_IR_I32 && cpu->ops->addr_bits == 32 && o2) {
            if (o2->opc == IR_EXIT_INDIRECT && o2->a == o->d && uses[o->d] == 2) {
                iop *x = put(&k, H_EXIT_IND_M, o2->insn);
                x->d = o2->insn + 1u;
                x->a = opnd(cpu, o->a);
                i++;
                continue;
            }
            if (o2->opc == IR_BRCOND && o2->sub == EMU_IR_EQ && (o2->flags & IR_F_IMM) && o2->a == o->d &&
                o2->type == EMU_IR_I32 && o3 && o3->opc == IR_EXIT_INDIRECT && o3->a == o->d &&
                uses[o->d] == 3) {
                iop *x = put(&k, H_RET_CHECK, o3->insn);
                x->d = o3->insn + 1u;
                x->a = opnd(cpu, o->a);
                x->b = (uint32_t)o2->imm2;
                x->c = (uint32_t)o2->imm;
                want_fix(&k);
                i += 2;
                continue;
            }
        }
        ok = lower(&k, o);
    }
    for (unsigned i = 0; i < k.nfix && ok; i++) {
        iop *x = &k.out[k.fix[i]];
        if (x->c == 0 || x->c > b->nlabels)
            ok = false;
        else
            x->c = k.label_at[x->c];
    }
    free(k.fix);
    free(k.abs_has);
    free(k.abs_addr);
    if (!ok || k.n == 0 || k.n > 0xffff) {
        free(k.out);
        free(k.insn_of);
        return NULL;
    }
    for (unsigned i = 0; i < k.n; i++) {
        uintptr_t h = (uintptr_t)k.out[i].h;
        /* data records that follow CALL/EXIT_EXCP keep their payload */
        uintptr_t prev = i > 0 ? (uintptr_t)k.out[i - 1].h : 0;
        bool data = i > 0 && (prev == (uintptr_t)handlers[H_CALL] || prev == (uintptr_t)handlers[H_CALLC] ||
                              prev == (uintptr_t)handlers[H_EXIT_EXCP] ||
                              prev == (uintptr_t)handlers[H_CMP3S_RR_OR] ||
                              prev == (uintptr_t)handlers[H_CMP3S_RI_OR] ||
                              prev == (uintptr_t)handlers[H_CMP3U_RR_OR] ||
                              prev == (uintptr_t)handlers[H_CMP3U_RI_OR] ||
                              prev == (uintptr_t)handlers[H_CMP3S_RR_OR_BR] ||
                              prev == (uintptr_t)handlers[H_CMP3S_RI_OR_BR] ||
                              prev == (uintptr_t)handlers[H_CMP3U_RR_OR_BR] ||
                              prev == (uintptr_t)handlers[H_CMP3U_RI_OR_BR] ||
                              prev == (uintptr_t)handlers[H_MOVI_SLDA32B] ||
                              prev == (uintptr_t)handlers[H_MOVI_SSTA32B] ||
                              prev == (uintptr_t)handlers[H_SSTA32B_MOVI] ||
                              prev == (uintptr_t)handlers[H_SST32B_MOVI]);
        if (!data)
            k.out[i].h = handlers[h];
    }
    tb *t = emu_xcalloc(1, sizeof *t + k.n * sizeof *t->ops);
    memcpy(t->ops, k.out, k.n * sizeof *t->ops);
    free(k.out);
    t->op_insn = k.insn_of;
    t->nexits = k.nexits;
    for (unsigned s = TB_EXITS; s < k.nexits && s < 32; s++)
        t->cross |= 1u << s;
    t->nops = (uint16_t)k.n;
    return t;
}

/* ---- the interpreter ---- */
#define R32(o) (*(uint32_t *)(env + (o)))
#define R64(o) (*(uint64_t *)(env + (o)))
#define RF(o) (*(double *)(env + (o)))
#define S32(o) (*(int32_t *)(env + (o)))
#define NEXT() do { op++; goto *op->h; } while (0)

static bool cond64(unsigned c, uint64_t a, uint64_t b)
{
    switch (c) {
    case EMU_IR_EQ: return a == b;
    case EMU_IR_NE: return a != b;
    case EMU_IR_LT: return (int64_t)a < (int64_t)b;
    case EMU_IR_LE: return (int64_t)a <= (int64_t)b;
    case EMU_IR_GT: return (int64_t)a > (int64_t)b;
    case EMU_IR_GE: return (int64_t)a >= (int64_t)b;
    case EMU_IR_LTU: return a < b;
    case EMU_IR_LEU: return a <= b;
    case EMU_IR_GTU: return a > b;
    default: return a >= b;
    }
}

static uint64_t bin64(unsigned op, uint64_t a, uint64_t b)
{
    switch (op) {
    case EMU_IR_ADD: return a + b;
    case EMU_IR_SUB: return a - b;
    case EMU_IR_MUL: return a * b;
    case EMU_IR_MULUH: return (uint64_t)(((unsigned __int128)a * b) >> 64);
    case EMU_IR_MULSH: return (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
    case EMU_IR_DIVS:
        return (b == 0 || (a == 1ull << 63 && b == ~0ull)) ? a : (uint64_t)((int64_t)a / (int64_t)b);
    case EMU_IR_DIVU: return b == 0 ? a : a / b;
    case EMU_IR_REMS:
        return (b == 0 || (a == 1ull << 63 && b == ~0ull)) ? 0 : (uint64_t)((int64_t)a % (int64_t)b);
    case EMU_IR_REMU: return b == 0 ? 0 : a % b;
    case EMU_IR_AND: return a & b;
    case EMU_IR_OR: return a | b;
    case EMU_IR_XOR: return a ^ b;
    case EMU_IR_ANDC: return a & ~b;
    case EMU_IR_ORC: return a | ~b;
    case EMU_IR_NAND: return ~(a & b);
    case EMU_IR_NOR: return ~(a | b);
    case EMU_IR_EQV: return ~(a ^ b);
    case EMU_IR_SHL: return b >= 64 ? 0 : a << b;
    case EMU_IR_SHR: return b >= 64 ? 0 : a >> b;
    case EMU_IR_SAR: return (uint64_t)((int64_t)a >> (b >= 64 ? 63 : b));
    default: b &= 63; return b ? (a << b) | (a >> (64 - b)) : a;
    }
}

static uint64_t un64(unsigned op, uint64_t a)
{
    switch (op) {
    case EMU_IR_NOT: return ~a;
    case EMU_IR_NEG: return -a;
    case EMU_IR_CLZ: return a ? (uint64_t)__builtin_clzll(a) : 64;
    case EMU_IR_CTZ: return a ? (uint64_t)__builtin_ctzll(a) : 64;
    case EMU_IR_BSWAP16: return __builtin_bswap16((uint16_t)a);
    case EMU_IR_BSWAP32: return __builtin_bswap32((uint32_t)a);
    case EMU_IR_BSWAP64: return __builtin_bswap64(a);
    case EMU_IR_EXT8S: return (uint64_t)(int64_t)(int8_t)a;
    case EMU_IR_EXT16S: return (uint64_t)(int64_t)(int16_t)a;
    case EMU_IR_EXT8U: return (uint8_t)a;
    case EMU_IR_EXT16U: return (uint16_t)a;
    default: return a;
    }
}

static inline uint64_t call_arg(const uint8_t *env, uint32_t off, unsigned t)
{
    switch (t) {
    case 1: return *(const uint32_t *)(env + off);
    case 2: case 3: return *(const uint64_t *)(env + off);
    default: return 0;
    }
}

void interp_run(emu_cpu *cpu, tb *t, int64_t *budgetp, tb **link_from, unsigned *link_slot)
{
    static const void *const table[H_COUNT] = {
#define B(n) [H_##n##_RR] = &&L_##n##_RR, [H_##n##_RI] = &&L_##n##_RI,
        B(ADD) B(SUB) B(MUL) B(MULUH) B(MULSH) B(DIVS) B(DIVU) B(REMS) B(REMU)
        B(AND) B(OR) B(XOR) B(ANDC) B(ORC) B(NAND) B(NOR) B(EQV) B(SHL) B(SHR) B(SAR) B(ROTL)
#undef B
#define B(n) [H_##n##_DR] = &&L_##n##_DR, [H_##n##_DI] = &&L_##n##_DI,
        B(ADD) B(SUB) B(MUL) B(MULUH) B(MULSH) B(DIVS) B(DIVU) B(REMS) B(REMU)
        B(AND) B(OR) B(XOR) B(ANDC) B(ORC) B(NAND) B(NOR) B(EQV) B(SHL) B(SHR) B(SAR) B(ROTL)
#undef B
#define C(n) [H_SET_##n##_RR] = &&L_SET_##n##_RR, [H_SET_##n##_RI] = &&L_SET_##n##_RI, \
             [H_BR_##n##_RR] = &&L_BR_##n##_RR, [H_BR_##n##_RI] = &&L_BR_##n##_RI,
        C(EQ) C(NE) C(LT) C(LE) C(GT) C(GE) C(LTU) C(LEU) C(GTU) C(GEU)
#undef C
        [H_NOT] = &&L_NOT, [H_NEG] = &&L_NEG, [H_CLZ] = &&L_CLZ, [H_CTZ] = &&L_CTZ,
        [H_BSWAP16] = &&L_BSWAP16, [H_BSWAP32] = &&L_BSWAP32, [H_BSWAP64_X] = &&L_UN64,
        [H_EXT8S] = &&L_EXT8S, [H_EXT16S] = &&L_EXT16S, [H_EXT8U] = &&L_EXT8U,
        [H_EXT16U] = &&L_EXT16U, [H_EXT32S] = &&L_EXT32S, [H_EXT32U] = &&L_EXT32U,
        [H_TRUNC32] = &&L_TRUNC32,
        [H_MOV32] = &&L_MOV32, [H_MOV64] = &&L_MOV64, [H_MOVI32] = &&L_MOVI32, [H_MOVI64] = &&L_MOVI64,
        [H_BIN64] = &&L_BIN64, [H_UN64] = &&L_UN64, [H_SET64] = &&L_SET64, [H_BR64] = &&L_BR64,
        [H_SEL32] = &&L_SEL32, [H_SEL64] = &&L_SEL64,
        [H_CMP3S_RR] = &&L_CMP3S_RR, [H_CMP3S_RI] = &&L_CMP3S_RI, [H_CMP3U_RR] = &&L_CMP3U_RR,
        [H_CMP3U_RI] = &&L_CMP3U_RI, [H_CMP3_64] = &&L_CMP3_64,
        [H_CMP3S_RR_OR] = &&L_CMP3S_RR_OR, [H_CMP3S_RI_OR] = &&L_CMP3S_RI_OR,
        [H_CMP3U_RR_OR] = &&L_CMP3U_RR_OR, [H_CMP3U_RI_OR] = &&L_CMP3U_RI_OR,
        [H_CMP3S_RR_OR_BR] = &&L_CMP3S_RR_OR_BR, [H_CMP3S_RI_OR_BR] = &&L_CMP3S_RI_OR_BR,
        [H_CMP3U_RR_OR_BR] = &&L_CMP3U_RR_OR_BR, [H_CMP3U_RI_OR_BR] = &&L_CMP3U_RI_OR_BR,
        [H_ULD32B_X] = &&L_ULD32B_X, [H_UST32B_X] = &&L_UST32B_X, [H_ROTL_AND] = &&L_ROTL_AND,
        [H_ULD32B_U] = &&L_ULD32B_U, [H_UST32B_U] = &&L_UST32B_U,
        [H_SHLI] = &&L_SHLI, [H_SHRI] = &&L_SHRI, [H_SARI] = &&L_SARI,
        [H_ADDI_BR_EQ] = &&L_ADDI_BR_EQ, [H_ADDI_BR_NE] = &&L_ADDI_BR_NE,
        [H_FADD] = &&L_FADD, [H_FSUB] = &&L_FSUB, [H_FMUL] = &&L_FMUL, [H_FDIV] = &&L_FDIV,
        [H_FSQRT] = &&L_FSQRT, [H_FNEG] = &&L_FNEG, [H_FABS] = &&L_FABS, [H_F32TO64] = &&L_F32TO64,
        [H_F64TO32] = &&L_F64TO32, [H_FMA] = &&L_FMA,
        [H_ULD8U] = &&L_ULD8U, [H_ULD8S] = &&L_ULD8S, [H_ULD16BU] = &&L_ULD16BU,
        [H_ULD16BS] = &&L_ULD16BS, [H_ULD16LU] = &&L_ULD16LU, [H_ULD16LS] = &&L_ULD16LS,
        [H_ULD32B] = &&L_ULD32B, [H_ULD32L] = &&L_ULD32L, [H_ULD64B] = &&L_ULD64B,
        [H_ULD64L] = &&L_ULD64L,
        [H_UST8] = &&L_UST8, [H_UST16B] = &&L_UST16B, [H_UST16L] = &&L_UST16L,
        [H_UST32B] = &&L_UST32B, [H_UST32L] = &&L_UST32L, [H_UST64B] = &&L_UST64B,
        [H_UST64L] = &&L_UST64L,
        [H_SLD] = &&L_SLD, [H_SST] = &&L_SST, [H_WLD] = &&L_WLD, [H_WST] = &&L_WST,
        [H_SLD8U] = &&L_SLD8U, [H_SLD16BU] = &&L_SLD16BU, [H_SLD16BS] = &&L_SLD16BS,
        [H_SLD32B] = &&L_SLD32B, [H_SST8] = &&L_SST8, [H_SST16B] = &&L_SST16B, [H_SST32B] = &&L_SST32B,
        [H_SLDA8U] = &&L_SLDA8U, [H_SLDA16BU] = &&L_SLDA16BU, [H_SLDA16BS] = &&L_SLDA16BS,
        [H_SLDA32B] = &&L_SLDA32B, [H_SSTA8] = &&L_SSTA8, [H_SSTA16B] = &&L_SSTA16B,
        [H_SSTA32B] = &&L_SSTA32B, [H_MOVI_SLDA32B] = &&L_MOVI_SLDA32B,
        [H_MOVI_SSTA32B] = &&L_MOVI_SSTA32B, [H_SLD32B_X] = &&L_SLD32B_X, [H_SST32B_X] = &&L_SST32B_X,
        [H_SLD32B_U] = &&L_SLD32B_U, [H_SST32B_U] = &&L_SST32B_U,
        [H_EXIT_IND_M] = &&L_EXIT_IND_M, [H_RET_CHECK] = &&L_RET_CHECK,
        [H_EXIT_IND_MV] = &&L_EXIT_IND_MV, [H_SLD32B_XS2] = &&L_SLD32B_XS2,
        [H_SSTA32B_MOVI] = &&L_SSTA32B_MOVI, [H_SST32B_MOVI] = &&L_SST32B_MOVI,
        [H_CALL] = &&L_CALL, [H_CALLC] = &&L_CALLC, [H_BR] = &&L_BR, [H_BRTEST_SET] = &&L_BRTEST_SET,
        [H_BRTEST_CLR] = &&L_BRTEST_CLR, [H_BRTEST64] = &&L_BRTEST64,
        [H_GOTO_TB] = &&L_GOTO_TB, [H_GOTO_TB_FWD] = &&L_GOTO_TB_FWD,
        [H_GOTO_TB_SELF] = &&L_GOTO_TB_SELF, [H_EXIT_IND] = &&L_EXIT_IND, [H_EXIT_LOOP] = &&L_EXIT_LOOP,
        [H_EXIT_EXCP] = &&L_EXIT_EXCP, [H_EXIT_EXCP_AT] = &&L_EXIT_EXCP_AT, [H_SMC_CHECK] = &&L_SMC_CHECK,
    };
    if (!cpu) {
        handlers = table;
        return;
    }
    uint8_t *const env = cpu->env;
    uint8_t *const mem = cpu->host_base;
    const bool pc32 = cpu->ops->addr_bits == 32;
    const uint32_t pc_off = cpu->ops->pc_offset;
    int64_t budget = *budgetp;
    const iop *op;
    const iop *base;
    uint32_t slow_addr;          /* system-mode access on its slow path */
    unsigned slow_len = 1;       /* and the records it takes */
    uint64_t ind_pc;             /* an indirect exit's target */
    tb *cur = t;
    *link_from = NULL;

#define SET_PC(v) do { if (pc32) R32(pc_off) = (uint32_t)(v); else R64(pc_off) = (v); } while (0)
#define IMM64(o) ((uint64_t)(o)->b | (uint64_t)(o)->c << 32)

enter:
    cpu->cur_tb = cur;
    *budgetp = budget;           /* what an unwind from inside this block starts from */
    base = cur->ops;
    op = base;
    goto *op->h;

#define BIN32(n, expr) \
    L_##n##_RR: { uint32_t a = R32(op->a), b = R32(op->b); R32(op->d) = (expr); NEXT(); } \
    L_##n##_RI: { uint32_t a = R32(op->a), b = op->b; R32(op->d) = (expr); NEXT(); } \
    L_##n##_DR: { uint32_t a = R32(op->d), b = R32(op->b); R32(op->d) = (expr); NEXT(); } \
    L_##n##_DI: { uint32_t a = R32(op->d), b = op->b; R32(op->d) = (expr); NEXT(); }
    BIN32(ADD, a + b)
    BIN32(SUB, a - b)
    BIN32(MUL, a * b)
    BIN32(MULUH, (uint32_t)(((uint64_t)a * b) >> 32))
    BIN32(MULSH, (uint32_t)(((int64_t)(int32_t)a * (int32_t)b) >> 32))
    BIN32(DIVS, (b == 0 || (a == 0x80000000u && b == 0xffffffffu)) ? a : (uint32_t)((int32_t)a / (int32_t)b))
    BIN32(DIVU, b == 0 ? a : a / b)
    BIN32(REMS, (b == 0 || (a == 0x80000000u && b == 0xffffffffu)) ? 0 : (uint32_t)((int32_t)a % (int32_t)b))
    BIN32(REMU, b == 0 ? 0 : a % b)
    BIN32(AND, a & b)
    BIN32(OR, a | b)
    BIN32(XOR, a ^ b)
    BIN32(ANDC, a & ~b)
    BIN32(ORC, a | ~b)
    BIN32(NAND, ~(a & b))
    BIN32(NOR, ~(a | b))
    BIN32(EQV, ~(a ^ b))
    BIN32(SHL, b >= 32 ? 0 : a << b)
    BIN32(SHR, b >= 32 ? 0 : a >> b)
    BIN32(SAR, (uint32_t)((int32_t)a >> (b >= 32 ? 31 : b)))
    BIN32(ROTL, (b & 31) ? (a << (b & 31)) | (a >> (32 - (b & 31))) : a)
#undef BIN32
    /* shifts by a constant below 32: no test of the count */
L_SHLI: R32(op->d) = R32(op->a) << (op->b & 31); NEXT();
L_SHRI: R32(op->d) = R32(op->a) >> (op->b & 31); NEXT();
L_SARI: R32(op->d) = (uint32_t)(S32(op->a) >> (op->b & 31)); NEXT();

#define COND(n, expr) \
    L_SET_##n##_RR: { uint32_t a = R32(op->a), b = R32(op->b); R32(op->d) = (expr); NEXT(); } \
    L_SET_##n##_RI: { uint32_t a = R32(op->a), b = op->b; R32(op->d) = (expr); NEXT(); } \
    L_BR_##n##_RR: { uint32_t a = R32(op->a), b = R32(op->b); \
        if (expr) { op = base + op->c; goto *op->h; } NEXT(); } \
    L_BR_##n##_RI: { uint32_t a = R32(op->a), b = op->b; \
        if (expr) { op = base + op->c; goto *op->h; } NEXT(); }
    COND(EQ, a == b)
    COND(NE, a != b)
    COND(LT, (int32_t)a < (int32_t)b)
    COND(LE, (int32_t)a <= (int32_t)b)
    COND(GT, (int32_t)a > (int32_t)b)
    COND(GE, (int32_t)a >= (int32_t)b)
    COND(LTU, a < b)
    COND(LEU, a <= b)
    COND(GTU, a > b)
    COND(GEU, a >= b)
#undef COND

L_NOT: R32(op->d) = ~R32(op->a); NEXT();
L_NEG: R32(op->d) = -R32(op->a); NEXT();
L_CLZ: { uint32_t a = R32(op->a); R32(op->d) = a ? (uint32_t)__builtin_clz(a) : 32; NEXT(); }
L_CTZ: { uint32_t a = R32(op->a); R32(op->d) = a ? (uint32_t)__builtin_ctz(a) : 32; NEXT(); }
L_BSWAP16: R32(op->d) = __builtin_bswap16((uint16_t)R32(op->a)); NEXT();
L_BSWAP32: R32(op->d) = __builtin_bswap32(R32(op->a)); NEXT();
L_EXT8S: R32(op->d) = (uint32_t)(int32_t)(int8_t)R32(op->a); NEXT();
L_EXT16S: R32(op->d) = (uint32_t)(int32_t)(int16_t)R32(op->a); NEXT();
L_EXT8U: R32(op->d) = (uint8_t)R32(op->a); NEXT();
L_EXT16U: R32(op->d) = (uint16_t)R32(op->a); NEXT();
L_EXT32S: R64(op->d) = (uint64_t)(int64_t)S32(op->a); NEXT();
L_EXT32U: R64(op->d) = R32(op->a); NEXT();
L_TRUNC32: R32(op->d) = (uint32_t)R64(op->a); NEXT();
L_MOV32: R32(op->d) = R32(op->a); NEXT();
L_MOV64: R64(op->d) = R64(op->a); NEXT();
L_MOVI32: R32(op->d) = op->b; NEXT();
L_MOVI64: R64(op->d) = IMM64(op); NEXT();
L_BIN64: R64(op->d) = bin64(op->c, R64(op->a), R64(op->b)); NEXT();
L_UN64: R64(op->d) = un64(op->c, R64(op->a)); NEXT();
L_SET64: R32(op->d) = cond64(op->c, R64(op->a), R64(op->b)); NEXT();
L_BR64: if (cond64(op->d, R64(op->a), R64(op->b))) { op = base + op->c; goto *op->h; } NEXT();
L_SEL32: R32(op->d) = R32(op->a) ? R32(op->b) : R32(op->c); NEXT();
L_SEL64: R64(op->d) = R32(op->a) ? R64(op->b) : R64(op->c); NEXT();
L_CMP3S_RR: { int32_t a = S32(op->a), b = S32(op->b);
    R32(op->d) = (op->c >> (a < b ? 0 : a > b ? 8 : 16)) & 0xff; NEXT(); }
L_CMP3S_RI: { int32_t a = S32(op->a), b = (int32_t)op->b;
    R32(op->d) = (op->c >> (a < b ? 0 : a > b ? 8 : 16)) & 0xff; NEXT(); }
L_CMP3U_RR: { uint32_t a = R32(op->a), b = R32(op->b);
    R32(op->d) = (op->c >> (a < b ? 0 : a > b ? 8 : 16)) & 0xff; NEXT(); }
L_CMP3U_RI: { uint32_t a = R32(op->a), b = op->b;
    R32(op->d) = (op->c >> (a < b ? 0 : a > b ? 8 : 16)) & 0xff; NEXT(); }
    /* fused compare and OR; the three results are in the data record that follows */
#define CMP3_OR(n, T, bval) \
    L_##n: { T a = (T)R32(op->a), b = (T)(bval); \
        R32(op->d) = ((op[1].d >> (a < b ? 0 : a > b ? 8 : 16)) & 0xff) | R32(op->c); \
        op += 2; goto *op->h; }
    CMP3_OR(CMP3S_RR_OR, int32_t, R32(op->b))
    CMP3_OR(CMP3S_RI_OR, int32_t, op->b)
    CMP3_OR(CMP3U_RR_OR, uint32_t, R32(op->b))
    CMP3_OR(CMP3U_RI_OR, uint32_t, op->b)
#undef CMP3_OR
    /* the same, then a branch on one bit of the result: data record d = results, a = the bit,
       b = branch when set (1) or clear (0), c = the target */
#define CMP3_OR_BR(n, T, bval) \
    L_##n: { T a = (T)R32(op->a), b = (T)(bval); \
        uint32_t v = ((op[1].d >> (a < b ? 0 : a > b ? 8 : 16)) & 0xff) | R32(op->c); \
        R32(op->d) = v; \
        if (((v & op[1].a) != 0) == op[1].b) { op = base + op[1].c; goto *op->h; } \
        op += 2; goto *op->h; }
    CMP3_OR_BR(CMP3S_RR_OR_BR, int32_t, R32(op->b))
    CMP3_OR_BR(CMP3S_RI_OR_BR, int32_t, op->b)
    CMP3_OR_BR(CMP3U_RR_OR_BR, uint32_t, R32(op->b))
    CMP3_OR_BR(CMP3U_RI_OR_BR, uint32_t, op->b)
#undef CMP3_OR_BR
L_CMP3_64: { uint64_t a = R64(op->a), b = R64(op->b);
    bool s = op->c >> 24;
    bool lt = s ? (int64_t)a < (int64_t)b : a < b, gt = s ? (int64_t)a > (int64_t)b : a > b;
    R32(op->d) = (op->c >> (lt ? 0 : gt ? 8 : 16)) & 0xff; NEXT(); }
L_FADD: RF(op->d) = RF(op->a) + RF(op->b); NEXT();
L_FSUB: RF(op->d) = RF(op->a) - RF(op->b); NEXT();
L_FMUL: RF(op->d) = RF(op->a) * RF(op->b); NEXT();
L_FDIV: RF(op->d) = RF(op->a) / RF(op->b); NEXT();
L_FSQRT: RF(op->d) = sqrt(RF(op->a)); NEXT();
L_FNEG: R64(op->d) = R64(op->a) ^ (1ull << 63); NEXT();
L_FABS: R64(op->d) = R64(op->a) & ~(1ull << 63); NEXT();
L_F32TO64: { float f; uint32_t w = R32(op->a); memcpy(&f, &w, 4); RF(op->d) = f; NEXT(); }
L_F64TO32: { float f = (float)RF(op->a); uint32_t w; memcpy(&w, &f, 4); R32(op->d) = w; NEXT(); }
L_FMA: RF(op->d) = fma(RF(op->a), RF(op->b), RF(op->c)); NEXT();

    /* user mode: guest memory is mem + (uint32_t)address; a fault unwinds through the signal handler */
#define UADDR (mem + (uint32_t)(R32(op->a) + op->b))
L_ULD8U: cpu->cur_op = op; R32(op->d) = *UADDR; NEXT();
L_ULD8S: cpu->cur_op = op; R32(op->d) = (uint32_t)(int32_t)(int8_t)*UADDR; NEXT();
L_ULD16BU: cpu->cur_op = op; R32(op->d) = ld_be16(UADDR); NEXT();
L_ULD16BS: cpu->cur_op = op; R32(op->d) = (uint32_t)(int32_t)(int16_t)ld_be16(UADDR); NEXT();
L_ULD16LU: cpu->cur_op = op; R32(op->d) = ld_le16(UADDR); NEXT();
L_ULD16LS: cpu->cur_op = op; R32(op->d) = (uint32_t)(int32_t)(int16_t)ld_le16(UADDR); NEXT();
L_ULD32B: cpu->cur_op = op; R32(op->d) = ld_be32(UADDR); NEXT();
L_ULD32L: cpu->cur_op = op; R32(op->d) = ld_le32(UADDR); NEXT();
L_ULD64B: cpu->cur_op = op; R64(op->d) = ld_be64(UADDR); NEXT();
L_ULD64L: cpu->cur_op = op; R64(op->d) = ld_le64(UADDR); NEXT();
L_UST8: cpu->cur_op = op; *UADDR = (uint8_t)R32(op->d); NEXT();
L_UST16B: cpu->cur_op = op; st_be16(UADDR, (uint16_t)R32(op->d)); NEXT();
L_UST16L: cpu->cur_op = op; st_le16(UADDR, (uint16_t)R32(op->d)); NEXT();
L_UST32B: cpu->cur_op = op; st_be32(UADDR, R32(op->d)); NEXT();
    /* indexed forms: c = a + b, then the access at c */
L_ULD32B_X: { uint32_t ea = R32(op->a) + R32(op->b); R32(op->c) = ea;
    cpu->cur_op = op; R32(op->d) = ld_be32(mem + ea); NEXT(); }
L_UST32B_X: { uint32_t ea = R32(op->a) + R32(op->b); R32(op->c) = ea;
    cpu->cur_op = op; st_be32(mem + ea, R32(op->d)); NEXT(); }
L_UST32L: cpu->cur_op = op; st_le32(UADDR, R32(op->d)); NEXT();
    /* update forms: the access at a + b, then a = a + b (not reached when the access faults) */
L_ULD32B_U: { uint32_t ea = R32(op->a) + op->b;
    cpu->cur_op = op; R32(op->d) = ld_be32(mem + ea); R32(op->a) = ea; NEXT(); }
L_UST32B_U: { uint32_t ea = R32(op->a) + op->b;
    cpu->cur_op = op; st_be32(mem + ea, R32(op->d)); R32(op->a) = ea; NEXT(); }
    /* d = rotl(a, b) & c (rlwinm): the rotated temporary is read by nothing else */
L_ROTL_AND: { uint32_t a = R32(op->a), n = op->b & 31;
    R32(op->d) = (n ? (a << n) | (a >> (32 - n)) : a) & op->c; NEXT(); }
    /* d = a + b, then a branch to c when d is (not) zero (bdnz, addic. + beq) */
L_ADDI_BR_EQ: { uint32_t v = R32(op->a) + op->b; R32(op->d) = v;
    if (v == 0) { op = base + op->c; goto *op->h; } NEXT(); }
L_ADDI_BR_NE: { uint32_t v = R32(op->a) + op->b; R32(op->d) = v;
    if (v != 0) { op = base + op->c; goto *op->h; } NEXT(); }
L_UST64B: cpu->cur_op = op; st_be64(UADDR, R64(op->d)); NEXT();
L_UST64L: cpu->cur_op = op; st_le64(UADDR, R64(op->d)); NEXT();
#undef UADDR

    /* user mode with memory hooks: every access through the watched-page check */
L_WLD: {
    cpu->cur_op = op;
    uint32_t addr = R32(op->a) + op->b;
    unsigned mo = op->c & 15;
    uint64_t v = user_load_checked(cpu, addr, mo);
    if ((mo & EMU_MO_SIZE) == EMU_MO_64)
        R64(op->d) = v;
    else
        R32(op->d) = (uint32_t)v;
    NEXT();
}
L_WST: {
    cpu->cur_op = op;
    uint32_t addr = R32(op->a) + op->b;
    unsigned mo = op->c & 15;
    user_store_checked(cpu, addr, (mo & EMU_MO_SIZE) == EMU_MO_64 ? R64(op->d) : R32(op->d), mo);
    NEXT();
}

    /* System mode: software TLB, slow path through the memory system.  c = memop | mmu_idx <<
       TLB_MODE_SHIFT (| SST_INSN_END | SMEM_UPDATE), the upper bits the offset of the regime's
       table.  The fast path needs the page of the access's last byte to be the entry's tag: the
       entry is chosen by the page of its first byte, so an access that crosses into the next
       page (whose entry is another one) never matches. */
#define TLB_OF(o, addr) ((const tlb_entry *)((const uint8_t *)cpu->tlb + \
    ((o)->c & ~((1u << TLB_MODE_SHIFT) - 1)) + \
    (((addr) >> (12 - TLB_ENTRY_SHIFT)) & ((TLB_SIZE - 1) << TLB_ENTRY_SHIFT))))
/* The entry of a constant-address record, whose a holds the entry's offset from env. */
#define TLB_AT(o) ((const tlb_entry *)(env + (int32_t)(o)->a))
/* Can the fast path read / write `size` bytes at addr through entry e? */
#define TLB_HIT_READ(e, addr, size) \
    __builtin_expect((e)->tag_read == (((addr) + (size) - 1) & ~0xfffu), 1)
#define TLB_HIT_WRITE(e, addr, size) \
    __builtin_expect((e)->tag_write == (((addr) + (size) - 1) & ~0xfffu), 1)
#define SLD_FAST(n, size, expr) \
    L_##n: { uint32_t addr = R32(op->a) + op->b; const tlb_entry *e = TLB_OF(op, addr); \
        if (TLB_HIT_READ(e, addr, size)) { \
            const uint8_t *p = (const uint8_t *)(e->addend + addr); R32(op->d) = (expr); NEXT(); } \
        goto sld_slow; }
    SLD_FAST(SLD8U, 1, *p)
    SLD_FAST(SLD16BU, 2, ld_be16(p))
    SLD_FAST(SLD16BS, 2, (uint32_t)(int32_t)(int16_t)ld_be16(p))
    SLD_FAST(SLD32B, 4, ld_be32(p))
#undef SLD_FAST
#define SST_FAST(n, size, stmt) \
    L_##n: { uint32_t addr = R32(op->a) + op->b; const tlb_entry *e = TLB_OF(op, addr); \
        if (TLB_HIT_WRITE(e, addr, size)) { \
            uint8_t *p = (uint8_t *)(e->addend + addr); uint32_t v = R32(op->d); stmt; NEXT(); } \
        goto sst_slow; }
    SST_FAST(SST8, 1, *p = (uint8_t)v)
    SST_FAST(SST16B, 2, st_be16(p, (uint16_t)v))
    SST_FAST(SST32B, 4, st_be32(p, v))
#undef SST_FAST
    /* the same at a constant address b, a = the offset of its TLB entry from env */
#define SLDA_FAST(n, size, expr) \
    L_##n: { uint32_t addr = op->b; const tlb_entry *e = TLB_AT(op); \
        if (TLB_HIT_READ(e, addr, size)) { \
            const uint8_t *p = (const uint8_t *)(e->addend + addr); R32(op->d) = (expr); NEXT(); } \
        goto slda_slow; }
    SLDA_FAST(SLDA8U, 1, *p)
    SLDA_FAST(SLDA16BU, 2, ld_be16(p))
    SLDA_FAST(SLDA16BS, 2, (uint32_t)(int32_t)(int16_t)ld_be16(p))
    SLDA_FAST(SLDA32B, 4, ld_be32(p))
#undef SLDA_FAST
#define SSTA_FAST(n, size, stmt) \
    L_##n: { uint32_t addr = op->b; const tlb_entry *e = TLB_AT(op); \
        if (TLB_HIT_WRITE(e, addr, size)) { \
            uint8_t *p = (uint8_t *)(e->addend + addr); uint32_t v = R32(op->d); stmt; NEXT(); } \
        goto ssta_slow; }
    SSTA_FAST(SSTA8, 1, *p = (uint8_t)v)
    SSTA_FAST(SSTA16B, 2, st_be16(p, (uint16_t)v))
    SSTA_FAST(SSTA32B, 4, st_be32(p, v))
#undef SSTA_FAST
    /* r = K (the data record: d = r, b = K), then the access at a constant address */
L_MOVI_SLDA32B: {
    R32(op[1].d) = op[1].b;
    uint32_t addr = op->b;
    const tlb_entry *e = TLB_AT(op);
    if (TLB_HIT_READ(e, addr, 4)) {
        R32(op->d) = ld_be32((const uint8_t *)(e->addend + addr));
        op += 2;
        goto *op->h;
    }
    slow_addr = addr;
    slow_len = 2;
    goto load_slow;
}
L_MOVI_SSTA32B: {
    R32(op[1].d) = op[1].b;
    uint32_t addr = op->b;
    const tlb_entry *e = TLB_AT(op);
    if (TLB_HIT_WRITE(e, addr, 4)) {
        st_be32((uint8_t *)(e->addend + addr), R32(op->d));
        op += 2;
        goto *op->h;
    }
    slow_addr = addr;
    slow_len = 2;
    goto store_slow;
}
    /* the access at a + b (both registers) */
L_SLD32B_X: {
    uint32_t addr = R32(op->a) + R32(op->b);
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_READ(e, addr, 4)) {
        R32(op->d) = ld_be32((const uint8_t *)(e->addend + addr));
        NEXT();
    }
    slow_addr = addr;
    goto load_slow;
}
L_SST32B_X: {
    uint32_t addr = R32(op->a) + R32(op->b);
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_WRITE(e, addr, 4)) {
        st_be32((uint8_t *)(e->addend + addr), R32(op->d));
        NEXT();
    }
    slow_addr = addr;
    goto store_slow;
}
    /* a store, then the constant move of the data record (SST_THEN_MOVI) */
L_SSTA32B_MOVI: {
    uint32_t addr = op->b;
    const tlb_entry *e = TLB_AT(op);
    if (TLB_HIT_WRITE(e, addr, 4)) {
        st_be32((uint8_t *)(e->addend + addr), R32(op->d));
        R32(op[1].d) = op[1].b;
        op += 2;
        goto *op->h;
    }
    slow_addr = addr;
    slow_len = 2;
    goto store_slow;
}
L_SST32B_MOVI: {
    uint32_t addr = R32(op->a) + op->b;
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_WRITE(e, addr, 4)) {
        st_be32((uint8_t *)(e->addend + addr), R32(op->d));
        R32(op[1].d) = op[1].b;
        op += 2;
        goto *op->h;
    }
    slow_addr = addr;
    slow_len = 2;
    goto store_slow;
}
    /* b = b << 2, then the load at a + b (slwi; lwzx) */
L_SLD32B_XS2: {
    uint32_t x = R32(op->b) << 2;
    R32(op->b) = x;
    uint32_t addr = R32(op->a) + x;
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_READ(e, addr, 4)) {
        R32(op->d) = ld_be32((const uint8_t *)(e->addend + addr));
        NEXT();
    }
    slow_addr = addr;
    goto load_slow;
}
    /* update forms: the access at a + b, then a = a + b */
L_SLD32B_U: {
    uint32_t addr = R32(op->a) + op->b;
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_READ(e, addr, 4)) {
        R32(op->d) = ld_be32((const uint8_t *)(e->addend + addr));
        R32(op->a) = addr;
        NEXT();
    }
    slow_addr = addr;
    goto load_slow;
}
L_SST32B_U: {
    uint32_t addr = R32(op->a) + op->b;
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_WRITE(e, addr, 4)) {
        st_be32((uint8_t *)(e->addend + addr), R32(op->d));
        R32(op->a) = addr;
        NEXT();
    }
    slow_addr = addr;
    goto store_slow;
}
L_SLD: {
    uint32_t addr = R32(op->a) + op->b;
    unsigned mo = op->c & 15, size = 1u << (mo & 3);
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_READ(e, addr, size)) {
        uint64_t v = ram_load((const uint8_t *)(e->addend + addr), mo);
        if (size == 8)
            R64(op->d) = v;
        else
            R32(op->d) = (uint32_t)v;
        NEXT();
    }
    goto sld_slow;
}
sld_slow:
    slow_addr = R32(op->a) + op->b;
    goto load_slow;
slda_slow:
    slow_addr = op->b;
load_slow: {
    unsigned mo = op->c & 15;
    cpu->cur_op = op;
    uint64_t v = sys_load_slow(cpu, slow_addr, mo, op->c >> TLB_MODE_SHIFT);
    if ((mo & EMU_MO_SIZE) == EMU_MO_64)
        R64(op->d) = v;
    else
        R32(op->d) = (uint32_t)v;
    if (op->c & SMEM_UPDATE)
        R32(op->a) = slow_addr;
    op += slow_len;
    slow_len = 1;
    goto *op->h;
}
L_SST: {
    uint32_t addr = R32(op->a) + op->b;
    unsigned mo = op->c & 15, size = 1u << (mo & 3);
    const tlb_entry *e = TLB_OF(op, addr);
    if (TLB_HIT_WRITE(e, addr, size)) {
        ram_store((uint8_t *)(e->addend + addr), size == 8 ? R64(op->d) : R32(op->d), mo);
        NEXT();
    }
    goto sst_slow;
}
sst_slow:
    slow_addr = R32(op->a) + op->b;
    goto store_slow;
ssta_slow:
    slow_addr = op->b;
store_slow: {
    unsigned mo = op->c & 15;
    cpu->cur_op = op;
    sys_store_slow(cpu, slow_addr, (mo & EMU_MO_SIZE) == EMU_MO_64 ? R64(op->d) : R32(op->d),
                   mo, op->c >> TLB_MODE_SHIFT);
    if (op->c & SMEM_UPDATE)
        R32(op->a) = slow_addr;
    if (__builtin_expect((op->c & SST_INSN_END) && cpu->smc_hit, 0)) {
        /* the store changed this block's code: leave before the next instruction */
        unsigned next = cur->op_insn[op - base] + 1u;
        cpu->smc_hit = false;
        budget -= next;
        SET_PC(cur->insn_pc[next]);
        goto out;
    }
    if (op->c & SST_THEN_MOVI)
        R32(op[1].d) = op[1].b;
    op += slow_len;
    slow_len = 1;
    goto *op->h;
}
#undef TLB_OF
L_SMC_CHECK:
    if (__builtin_expect(cpu->smc_hit, 0)) {
        cpu->smc_hit = false;
        budget -= op->d;
        SET_PC(IMM64(op));
        goto out;
    }
    NEXT();

L_CALL: {
    const iop *x = op + 1;
    cpu->cur_op = op;    /* precise PC and instruction count for raises, faults and clock reads */
    uint64_t r = ((emu_ir_helper)x->h)(env, call_arg(env, op->a, x->b & 3),
                                       call_arg(env, op->b, (x->b >> 2) & 3),
                                       call_arg(env, op->c, (x->b >> 4) & 3));
    if (x->a) {
        if (x->a == EMU_IR_I32 + 1)
            R32(x->d) = (uint32_t)r;
        else
            R64(x->d) = r;
    }
    op += 2;
    goto *op->h;
}
L_CALLC: {
    cpu->cur_op = op;
    uint64_t r = ((emu_ir_helper)op[1].h)(env, op->a, op->b, 0);
    if (op->c) {
        if (op->c == EMU_IR_I32 + 1)
            R32(op->d) = (uint32_t)r;
        else
            R64(op->d) = r;
    }
    op += 2;
    goto *op->h;
}
L_BR: op = base + op->c; goto *op->h;
L_BRTEST_SET: if (R32(op->a) & op->b) { op = base + op->c; goto *op->h; } NEXT();
L_BRTEST_CLR: if (!(R32(op->a) & op->b)) { op = base + op->c; goto *op->h; } NEXT();
L_BRTEST64: if (!!(R64(op->a) & R64(op->b)) == !!op->d) { op = base + op->c; goto *op->h; } NEXT();

    /* Chained exits do not store the PC: inside a block it is known from the block's
       instruction table (faults, raises), and every exit to the loop stores it. */
L_GOTO_TB: {
    budget -= op->d;
    tb *nx = op->a < TB_EXITS ? atomic_load_explicit(&cur->next[op->a], memory_order_acquire) : NULL;
    if (__builtin_expect(nx != NULL, 1)) {
        if (budget > 0 && !atomic_load_explicit(&cpu->exit_request, memory_order_relaxed)) {
            cur = nx;
            goto enter;
        }
        SET_PC(IMM64(op));
        goto out;
    }
    goto unchained;
}
L_GOTO_TB_FWD: {
    budget -= op->d;
    tb *nx = op->a < TB_EXITS ? atomic_load_explicit(&cur->next[op->a], memory_order_acquire) : NULL;
    if (__builtin_expect(nx != NULL, 1)) {
        cur = nx;
        goto enter;
    }
    goto unchained;
}
unchained:
    if (op->a < 32 && (atomic_load_explicit(&cur->cross, memory_order_relaxed) >> op->a & 1)) {
        /* a jump to another page (system mode) or past the chaining slots: the jump cache
           holds the block for the current mapping (it is cleared when the TLB is), as for
           indirect jumps */
        uint64_t pc = IMM64(op);
        tb *nx = cpu->jc[jc_hash(pc)];
        if (nx && nx->pc == pc && nx->flags == cur->flags && budget > 0 &&
            atomic_load_explicit(&nx->valid, memory_order_relaxed) &&
            !atomic_load_explicit(&cpu->exit_request, memory_order_relaxed)) {
            cur = nx;
            goto enter;
        }
    } else {
        *link_from = cur;
        *link_slot = op->a;
    }
    SET_PC(IMM64(op));
    goto out;
    /* user mode, a jump to the block's own start: no chain to follow, the block must still be valid */
L_GOTO_TB_SELF:
    budget -= op->d;
    if (budget > 0 && atomic_load_explicit(&cur->valid, memory_order_relaxed) &&
        !atomic_load_explicit(&cpu->exit_request, memory_order_relaxed)) {
        *budgetp = budget;
        op = base;
        goto *op->h;
    }
    SET_PC(IMM64(op));
    goto out;
    /* a = a register holding a 32-bit PC: leave for it with the low two bits clear */
L_EXIT_IND_M:
    ind_pc = R32(op->a) & ~3u;
    goto exit_ind;
    /* the same after b = a (mtctr; bctr) */
L_EXIT_IND_MV: {
    uint32_t v = R32(op->a);
    R32(op->b) = v;
    ind_pc = v & ~3u;
    goto exit_ind;
}
    /* the same, unless it is b (the return address of a call the block followed): then on
       at label c */
L_RET_CHECK:
    ind_pc = R32(op->a) & ~3u;
    if (ind_pc == op->b) {
        op = base + op->c;
        goto *op->h;
    }
    goto exit_ind;
L_EXIT_IND:
    ind_pc = pc32 ? R32(op->a) : R64(op->a);
exit_ind: {
    budget -= op->d;
    uint64_t pc = ind_pc;
    tb *nx = cpu->jc[jc_hash(pc)];
    if (nx && nx->pc == pc && nx->flags == cur->flags && budget > 0 &&
        atomic_load_explicit(&nx->valid, memory_order_relaxed) &&
        !atomic_load_explicit(&cpu->exit_request, memory_order_relaxed)) {
        cur = nx;
        goto enter;
    }
    SET_PC(pc);
    goto out;
}
L_EXIT_LOOP:
    budget -= op->d;
    SET_PC(IMM64(op));
    goto out;
L_EXIT_EXCP_AT:
    budget -= op->d;
    SET_PC(pc32 ? R32(op->b) : R64(op->b));
    cpu->excp = (emu_excp_class)op->a;
    cpu->excp_code = op->c;
    cpu->excp_after = true;
    goto out;
L_EXIT_EXCP:
    budget -= op->d;
    SET_PC(IMM64(op));
    cpu->excp = (emu_excp_class)op->a;
    cpu->excp_code = op[1].d;
    cpu->excp_after = op[1].a;
    goto out;

out:
    cpu->cur_tb = NULL;
    *budgetp = budget;
}
