/* Debug output of the engine: translated blocks disassembled with Capstone, their IR, and the
 * addresses of executed blocks (--trace-insns, --trace-ir, --log exec). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "config.h"
#include "exec-internal.h"
#ifdef HAVE_CAPSTONE
#include <capstone/capstone.h>
#endif

static const char *const opnames[] = {
    [IR_NOP] = "nop", [IR_INSN_START] = "insn_start", [IR_MOV] = "mov", [IR_MOVI] = "movi",
    [IR_BINOP] = "binop", [IR_UNOP] = "unop", [IR_SETCOND] = "setcond", [IR_SELECT] = "select",
    [IR_CMP3] = "cmp3", [IR_FOP] = "fop", [IR_FMA] = "fma", [IR_LOAD] = "ld", [IR_STORE] = "st",
    [IR_CALL] = "call", [IR_CALL_CONST] = "call_const", [IR_LABEL] = "label", [IR_BR] = "br", [IR_BRCOND] = "brcond",
    [IR_BRTEST] = "brtest", [IR_GOTO_TB] = "goto_tb", [IR_EXIT_INDIRECT] = "exit_indirect",
    [IR_EXIT_LOOP] = "exit_loop", [IR_EXIT_EXCP] = "exit_excp", [IR_EXIT_EXCP_AT] = "exit_excp_at",
};
static const char *const binops[] = {
    "add", "sub", "mul", "muluh", "mulsh", "divs", "divu", "rems", "remu", "and", "or", "xor",
    "andc", "orc", "nand", "nor", "eqv", "shl", "shr", "sar", "rotl",
};
static const char *const unops[] = {
    "not", "neg", "clz", "ctz", "bswap16", "bswap32", "bswap64", "ext8s", "ext16s", "ext8u",
    "ext16u", "ext32s", "ext32u", "trunc32",
};
static const char *const conds[] = { "eq", "ne", "lt", "le", "gt", "ge", "ltu", "leu", "gtu", "geu" };
static const char *const types[] = { "i32", "i64", "f64", "?" };

static void val(FILE *f, emu_ir_val v)
{
    if (!v)
        fputs(" -", f);
    else if (v & EMU_IR_ENV_BIT)
        fprintf(f, " env[0x%x]", v & 0x0fffffffu);
    else
        fprintf(f, " t%u", v);
}

void ir_dump(const emu_ir_block *b, FILE *f)
{
    fprintf(f, "IR of block 0x%" PRIx64 " (flags 0x%x, %u insns, %u ops, %u temps)\n", b->pc, b->flags,
            b->ninsns, b->nops, b->ntemps);
    for (unsigned i = 0; i < b->nops; i++) {
        const ir_op *o = &b->ops[i];
        if (o->opc == IR_INSN_START) {
            fprintf(f, " ---- 0x%" PRIx64 "\n", o->imm);
            continue;
        }
        fprintf(f, "  %s", o->opc < sizeof opnames / sizeof *opnames ? opnames[o->opc] : "?");
        if (o->opc == IR_BINOP && o->sub < sizeof binops / sizeof *binops)
            fprintf(f, ".%s", binops[o->sub]);
        else if (o->opc == IR_UNOP && o->sub < sizeof unops / sizeof *unops)
            fprintf(f, ".%s", unops[o->sub]);
        else if ((o->opc == IR_SETCOND || o->opc == IR_BRCOND || o->opc == IR_SELECT) && o->sub < 10)
            fprintf(f, ".%s", conds[o->sub]);
        fprintf(f, "_%s", types[o->type & 3]);
        val(f, o->d);
        val(f, o->a);
        if (o->flags & IR_F_IMM)
            fprintf(f, " $0x%" PRIx64, o->imm2);
        else
            val(f, o->c);
        if (o->opc == IR_LOAD || o->opc == IR_STORE)
            fprintf(f, " mmu%u", o->e);   /* a regime, not a value */
        else if (o->e)
            val(f, o->e);
        if (o->imm || o->opc == IR_LABEL)
            fprintf(f, " #0x%" PRIx64, o->imm);
        fputc('\n', f);
    }
}

static void disassemble(emu_cpu *cpu, const emu_ir_block *b, FILE *f)
{
    fprintf(f, "IN: block 0x%" PRIx64 " (%u insns)\n", b->pc, b->ninsns);
#ifdef HAVE_CAPSTONE
    csh h;
    bool ppc = !strcmp(cpu->ops->arch, "ppc");
    if (ppc && cs_open(CS_ARCH_PPC, CS_MODE_32 | (cpu->ops->big_endian ? CS_MODE_BIG_ENDIAN : 0), &h) == CS_ERR_OK) {
        for (unsigned i = 0; i < b->ninsns; i++) {
            uint8_t code[4];
            uint64_t pc = b->insn_pc[i];
            uint32_t w;
            if (!emu_ir_fetch32((emu_ir_block *)b, pc, &w))
                break;
            code[0] = (uint8_t)(w >> 24); code[1] = (uint8_t)(w >> 16);
            code[2] = (uint8_t)(w >> 8); code[3] = (uint8_t)w;
            cs_insn *insn;
            size_t n = cs_disasm(h, code, 4, pc, 1, &insn);
            if (n) {
                fprintf(f, "  0x%08" PRIx64 ":  %08x  %s %s\n", pc, w, insn->mnemonic, insn->op_str);
                cs_free(insn, n);
            } else {
                fprintf(f, "  0x%08" PRIx64 ":  %08x  (unknown)\n", pc, w);
            }
        }
        cs_close(&h);
        return;
    }
#endif
    for (unsigned i = 0; i < b->ninsns; i++)
        fprintf(f, "  0x%08" PRIx64 "\n", b->insn_pc[i]);
}

void trace_block(emu_cpu *cpu, const emu_ir_block *b)
{
    if (emu_exec_trace_flags & EMU_EXEC_TRACE_INSNS_FLAG)
        disassemble(cpu, b, stderr);
    if (emu_exec_trace_flags & EMU_EXEC_TRACE_IR_FLAG)
        ir_dump(b, stderr);
}

void trace_exec(emu_cpu *cpu, const tb *t)
{
    if (emu_exec_trace_flags & EMU_EXEC_TRACE_INSNS_FLAG)
        fprintf(stderr, "exec %s 0x%08" PRIx64 " (%u insns, icount %" PRIu64 ")\n", cpu->dev->id, t->pc,
                t->ninsns, cpu->icount + (uint64_t)(cpu->run_start - cpu->budget));
    emu_log(cpu->dev, EMU_LOG_EXEC, "exec 0x%08" PRIx64 " (%u insns)", t->pc, t->ninsns);
}
