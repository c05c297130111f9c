/* The IR builder: what translators call to describe a block (see sdk/include/emu/ir.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "exec-internal.h"
#include "hooks.h"
#include "util.h"

void ir_block_init(emu_ir_block *b, emu_cpu *cpu, uint64_t pc, uint32_t flags)
{
    /* clear the header; temp_type is written as temps are made */
    memset(b, 0, offsetof(emu_ir_block, temp_type));
    memset(&b->nlabels, 0, sizeof *b - offsetof(emu_ir_block, nlabels));
    b->cpu = cpu;
    b->pc = pc;
    b->flags = flags;
    b->ops = emu_xmalloc(IR_MAX_OPS * sizeof *b->ops);   /* each op is cleared when emitted */
    b->page1_v = b->page1_p = ~0ull;
}

void ir_block_fini(emu_ir_block *b)
{
    free(b->ops);
    b->ops = NULL;
}

static ir_op *emit(emu_ir_block *b, unsigned opc)
{
    /* Keep room for the exits a translator writes after it saw `full`. */
    if (b->nops >= IR_MAX_OPS) {
        b->overflow = true;
        static ir_op sink;
        memset(&sink, 0, sizeof sink);
        return &sink;
    }
    ir_op *o = &b->ops[b->nops++];
    memset(o, 0, sizeof *o);
    o->opc = (uint8_t)opc;
    o->insn = (uint16_t)(b->ninsns ? b->ninsns - 1 : 0);
    return o;
}

emu_ir_val emu_ir_temp(emu_ir_block *b, emu_ir_type t)
{
    if (b->ntemps >= IR_MAX_TEMPS) {
        b->overflow = true;
        return 1;   /* reuse: the block is discarded or cut by the translator */
    }
    b->ntemps++;
    b->temp_type[b->ntemps] = (uint8_t)t;
    return b->ntemps;
}

emu_ir_val emu_ir_env(emu_ir_block *b, uint32_t offset, emu_ir_type t)
{
    if (offset >= b->cpu->ops->state_size)
        b->overflow = true;   /* a plugin bug: never touch memory past the state */
    return EMU_IR_ENV_BIT | (uint32_t)t << 28 | (offset & 0x0fffffffu);
}

emu_ir_label emu_ir_new_label(emu_ir_block *b)
{
    if (b->nlabels >= IR_MAX_LABELS - 1) {
        b->overflow = true;
        return 0;
    }
    return ++b->nlabels;
}

void emu_ir_set_label(emu_ir_block *b, emu_ir_label l)
{
    emit(b, IR_LABEL)->imm = l;
}

void emu_ir_insn_start(emu_ir_block *b, uint64_t pc)
{
    if (b->ninsns >= IR_MAX_INSNS) {
        b->overflow = true;
        return;
    }
    b->insn_pc[b->ninsns++] = pc;
    emit(b, IR_INSN_START)->imm = pc;
    hooks_at_insn_start(b, pc);
}

void emu_ir_mov(emu_ir_block *b, emu_ir_val d, emu_ir_val a)
{
    ir_op *o = emit(b, IR_MOV);
    o->d = d;
    o->a = a;
}

void emu_ir_movi(emu_ir_block *b, emu_ir_val d, uint64_t imm)
{
    ir_op *o = emit(b, IR_MOVI);
    o->d = d;
    o->imm = imm;
}

/* The type of an operation is given by its destination (or first operand). */
static uint8_t val_type(emu_ir_block *b, emu_ir_val v, uint8_t dflt)
{
    if (v & EMU_IR_ENV_BIT)
        return (v >> 28) & 3;
    if (v && v <= b->ntemps)
        return b->temp_type[v];
    return dflt;
}

static const uint8_t cur_type = EMU_IR_I32;

void emu_ir_binop_rr(emu_ir_block *b, emu_ir_binop_kind op, emu_ir_val d, emu_ir_val a, emu_ir_val c)
{
    ir_op *o = emit(b, IR_BINOP);
    o->sub = op;
    o->d = d;
    o->a = a;
    o->c = c;
    o->type = val_type(b, d, val_type(b, a, val_type(b, c, cur_type)));
}

void emu_ir_binop_ri(emu_ir_block *b, emu_ir_binop_kind op, emu_ir_val d, emu_ir_val a, uint64_t imm)
{
    ir_op *o = emit(b, IR_BINOP);
    o->sub = op;
    o->d = d;
    o->a = a;
    o->flags = IR_F_IMM;
    o->imm2 = imm;
    o->type = val_type(b, d, val_type(b, a, cur_type));
}

void emu_ir_unop(emu_ir_block *b, emu_ir_unop_kind op, emu_ir_val d, emu_ir_val a)
{
    ir_op *o = emit(b, IR_UNOP);
    o->sub = op;
    o->d = d;
    o->a = a;
    /* type = operand type (conversions read one width and write another) */
    uint8_t t = val_type(b, a, 0xff);
    if (t == 0xff) {
        if (op == EMU_IR_EXT32S || op == EMU_IR_EXT32U)
            t = EMU_IR_I32;
        else if (op == EMU_IR_TRUNC32)
            t = EMU_IR_I64;
        else
            t = val_type(b, d, cur_type);
    }
    o->type = t;
}

void emu_ir_setcond(emu_ir_block *b, emu_ir_cond cond, emu_ir_val d, emu_ir_val a, emu_ir_val c)
{
    ir_op *o = emit(b, IR_SETCOND);
    o->sub = cond;
    o->d = d;
    o->a = a;
    o->c = c;
    o->type = val_type(b, a, val_type(b, c, cur_type));
}

void emu_ir_setcond_i(emu_ir_block *b, emu_ir_cond cond, emu_ir_val d, emu_ir_val a, uint64_t imm)
{
    ir_op *o = emit(b, IR_SETCOND);
    o->sub = cond;
    o->d = d;
    o->a = a;
    o->flags = IR_F_IMM;
    o->imm2 = imm;
    o->type = val_type(b, a, cur_type);
}

void emu_ir_select(emu_ir_block *b, emu_ir_cond cond, emu_ir_val d, emu_ir_val a, emu_ir_val c,
                   emu_ir_val t, emu_ir_val f)
{
    ir_op *o = emit(b, IR_SELECT);
    o->sub = cond;
    o->d = d;
    o->a = a;
    o->c = c;
    o->imm = t;
    o->imm2 = f;
    o->type = val_type(b, a, val_type(b, c, cur_type));
    o->pad = val_type(b, d, val_type(b, t, cur_type));
}

void emu_ir_cmp3(emu_ir_block *b, bool is_signed, emu_ir_val d, emu_ir_val a, emu_ir_val c,
                 uint8_t lt, uint8_t gt, uint8_t eq)
{
    ir_op *o = emit(b, IR_CMP3);
    o->sub = is_signed;
    o->d = d;
    o->a = a;
    o->c = c;
    o->imm = lt | (uint32_t)gt << 8 | (uint32_t)eq << 16;
    o->type = val_type(b, a, val_type(b, c, cur_type));
}

void emu_ir_cmp3_i(emu_ir_block *b, bool is_signed, emu_ir_val d, emu_ir_val a, uint64_t imm,
                   uint8_t lt, uint8_t gt, uint8_t eq)
{
    ir_op *o = emit(b, IR_CMP3);
    o->sub = is_signed;
    o->d = d;
    o->a = a;
    o->flags = IR_F_IMM;
    o->imm2 = imm;
    o->imm = lt | (uint32_t)gt << 8 | (uint32_t)eq << 16;
    o->type = val_type(b, a, cur_type);
}

void emu_ir_fop(emu_ir_block *b, emu_ir_fop_kind op, emu_ir_val d, emu_ir_val a, emu_ir_val c)
{
    ir_op *o = emit(b, IR_FOP);
    o->sub = op;
    o->d = d;
    o->a = a;
    o->c = c;
    o->type = EMU_IR_F64;
}

void emu_ir_fma(emu_ir_block *b, emu_ir_val d, emu_ir_val a, emu_ir_val c, emu_ir_val e)
{
    ir_op *o = emit(b, IR_FMA);
    o->d = d;
    o->a = a;
    o->c = c;
    o->e = e;
    o->type = EMU_IR_F64;
}

void emu_ir_load(emu_ir_block *b, emu_ir_val d, emu_ir_val addr, int32_t disp, unsigned memop,
                 unsigned mmu_idx)
{
    ir_op *o = emit(b, IR_LOAD);
    o->sub = memop;
    o->d = d;
    o->a = addr;
    o->imm = (uint64_t)(int64_t)disp;
    o->e = mmu_idx & (EMU_IR_MMU_MODES - 1);
    o->type = val_type(b, d, (memop & EMU_MO_SIZE) == EMU_MO_64 ? EMU_IR_I64 : EMU_IR_I32);
}

void emu_ir_store(emu_ir_block *b, emu_ir_val v, emu_ir_val addr, int32_t disp, unsigned memop,
                  unsigned mmu_idx)
{
    ir_op *o = emit(b, IR_STORE);
    o->sub = memop;
    o->d = v;
    o->a = addr;
    o->imm = (uint64_t)(int64_t)disp;
    o->e = mmu_idx & (EMU_IR_MMU_MODES - 1);
    o->type = val_type(b, v, (memop & EMU_MO_SIZE) == EMU_MO_64 ? EMU_IR_I64 : EMU_IR_I32);
}

void emu_ir_call(emu_ir_block *b, emu_ir_helper fn, unsigned flags, emu_ir_val d, emu_ir_val a0,
                 emu_ir_val a1, emu_ir_val a2)
{
    ir_op *o = emit(b, IR_CALL);
    o->fn = fn;
    o->sub = flags;
    o->d = d;
    o->a = a0;
    o->c = a1;
    o->e = a2;
    o->type = val_type(b, d, EMU_IR_I32);
}

void emu_ir_call_const(emu_ir_block *b, emu_ir_helper fn, unsigned flags, emu_ir_val d, uint32_t c0,
                       uint32_t c1)
{
    ir_op *o = emit(b, IR_CALL_CONST);
    o->fn = fn;
    o->sub = flags;
    o->d = d;
    o->imm = c0;
    o->imm2 = c1;
    o->type = val_type(b, d, EMU_IR_I32);
}

void emu_ir_br(emu_ir_block *b, emu_ir_label l)
{
    emit(b, IR_BR)->imm = l;
}

void emu_ir_brcond(emu_ir_block *b, emu_ir_cond cond, emu_ir_val a, emu_ir_val c, emu_ir_label l)
{
    ir_op *o = emit(b, IR_BRCOND);
    o->sub = cond;
    o->a = a;
    o->c = c;
    o->imm = l;
    o->type = val_type(b, a, val_type(b, c, cur_type));
}

void emu_ir_brcond_i(emu_ir_block *b, emu_ir_cond cond, emu_ir_val a, uint64_t imm, emu_ir_label l)
{
    ir_op *o = emit(b, IR_BRCOND);
    o->sub = cond;
    o->a = a;
    o->flags = IR_F_IMM;
    o->imm2 = imm;
    o->imm = l;
    o->type = val_type(b, a, cur_type);
}

void emu_ir_brtest(emu_ir_block *b, emu_ir_val a, uint64_t mask, bool if_set, emu_ir_label l)
{
    ir_op *o = emit(b, IR_BRTEST);
    o->sub = if_set;
    o->a = a;
    o->imm2 = mask;
    o->imm = l;
    o->type = val_type(b, a, cur_type);
}

void emu_ir_goto_tb(emu_ir_block *b, unsigned slot, uint64_t pc)
{
    ir_op *o = emit(b, IR_GOTO_TB);
    o->sub = slot & 1;
    o->imm = pc;
}

void emu_ir_exit_indirect(emu_ir_block *b, emu_ir_val pc)
{
    ir_op *o = emit(b, IR_EXIT_INDIRECT);
    o->a = pc;
    o->type = val_type(b, pc, b->cpu->ops->addr_bits == 64 ? EMU_IR_I64 : EMU_IR_I32);
}

void emu_ir_exit_loop(emu_ir_block *b, uint64_t pc)
{
    emit(b, IR_EXIT_LOOP)->imm = pc;
}

void emu_ir_exit_excp(emu_ir_block *b, emu_excp_class cls, uint32_t code, uint64_t pc, bool completed)
{
    ir_op *o = emit(b, IR_EXIT_EXCP);
    o->sub = cls;
    o->imm = pc;
    o->imm2 = code | (uint64_t)completed << 32;
}

void emu_ir_exit_excp_at(emu_ir_block *b, emu_excp_class cls, uint32_t code, emu_ir_val pc)
{
    ir_op *o = emit(b, IR_EXIT_EXCP_AT);
    o->sub = cls;
    o->a = pc;
    o->imm2 = code;
    o->type = val_type(b, pc, b->cpu->ops->addr_bits == 64 ? EMU_IR_I64 : EMU_IR_I32);
}

unsigned emu_ir_insn_count(const emu_ir_block *b)
{
    return b->ninsns;
}

bool emu_ir_block_full(const emu_ir_block *b)
{
    return b->overflow || b->ninsns >= IR_MAX_INSNS || b->nops + 64 > IR_MAX_OPS ||
           b->ntemps + 32 > IR_MAX_TEMPS || b->nlabels + 8 > IR_MAX_LABELS;
}

uint32_t emu_ir_block_flags(const emu_ir_block *b)
{
    return b->flags;
}

bool emu_ir_may_follow_branch(const emu_ir_block *b)
{
    return !emu_hooks_any(b->cpu->dev->machine, EMU_HOOK_BLOCK);
}

bool emu_ir_fetch32(emu_ir_block *b, uint64_t pc, uint32_t *insn)
{
    emu_cpu *cpu = b->cpu;
    uint64_t page = pc & ~0xfffull;
    if (pc & 3)
        return false;
    if (page != b->page0_v && page != b->page1_v) {
        if (b->page1_v != ~0ull)
            return false;    /* a block spans at most two pages */
        if (cpu->user) {
            if (!user_code_readable(cpu, pc))
                return false;
            b->page1_v = page;
            b->page1_p = page;
        } else {
            uint64_t phys;
            unsigned idx = cpu->ops->code_mmu_idx(b->flags);
            if (!sys_code_phys(cpu, pc, idx, &phys)) {
                cpu->excp = EMU_EXCP_NONE;   /* the fault belongs to the next block */
                return false;
            }
            b->page1_v = page;
            b->page1_p = phys & ~0xfffull;
        }
    }
    uint32_t w;
    if (cpu->user) {
        memcpy(&w, cpu->host_base + pc, 4);
    } else {
        uint64_t phys = (page == b->page0_v ? b->page0_p : b->page1_p) | (pc & 0xfff);
        uint64_t v;
        if (emu_space_read(cpu->sys, phys, 4, cpu->ops->big_endian ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN,
                           &v) != EMU_MEM_OK)
            return false;
        *insn = (uint32_t)v;
        b->code_end = pc + 4;
        return true;
    }
    *insn = cpu->ops->big_endian ? __builtin_bswap32(w) : w;
    b->code_end = pc + 4;   /* after the last instruction fetched (a block may follow branches) */
    return true;
}
