/* emu SDK: the intermediate representation CPU translators emit (one translated block at a time).
 *
 * A translator turns the guest instructions of one block into a list of IR
 * ops through the emu_ir_* builder functions below; the core then compiles
 * the list for its backend (today a threaded interpreter, later a JIT).
 *
 * Values.  An emu_ir_val names either
 *   - a temporary of the block (emu_ir_temp), typed i32, i64 or f64, dead at
 *     the end of the block, or
 *   - a guest-state field (emu_ir_env): `offset` bytes into the CPU state
 *     the plugin declared (cpu-plugin.h), typed like a temporary.  The state
 *     is memory: every op that reads or writes a field does so in program
 *     order, so a helper or an exception always sees up-to-date state.
 * Constants are produced by emu_ir_movi, or given directly to the *_imm
 * forms of the arithmetic ops.
 *
 * Semantics are defined for every input (no host undefined behaviour):
 *   shifts by >= the width give 0 (shl/shr) or the sign fill (sar);
 *   rotations take the count modulo the width;
 *   division by zero, and signed MIN / -1, return the dividend (rem: 0);
 *   clz/ctz of 0 give the width.
 * f64 values are IEEE doubles computed on the host FPU in the rounding mode
 * the CPU plugin's fp_round() gives for the block's flags (cpu-plugin.h).
 *
 * Blocks end with an exit: goto_tb (direct, chainable), exit_indirect (the
 * next PC is in a value), exit_excp (raise an exception at a known point)
 * or exit_loop (return to the run loop, e.g. after a mode change).  Every
 * exit says how many guest instructions completed before it, so
 * instruction counting is exact; insn_start markers give the guest PC of
 * each instruction so a fault inside one is precise.
 */
#ifndef EMU_IR_H
#define EMU_IR_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emu_ir_block emu_ir_block;

typedef enum emu_ir_type {
    EMU_IR_I32 = 0,
    EMU_IR_I64 = 1,
    EMU_IR_F64 = 2,
} emu_ir_type;

/* A value: a temporary or a guest-state field.  0 is "no value". */
typedef uint32_t emu_ir_val;
/* A branch target inside the block. */
typedef uint32_t emu_ir_label;

#define EMU_IR_ENV_BIT 0x80000000u  /* set in a val naming a state field (bits 28-29: type) */

/* Comparisons (for setcond, select, brcond, cmp3). */
typedef enum emu_ir_cond {
    EMU_IR_EQ, EMU_IR_NE,
    EMU_IR_LT, EMU_IR_LE, EMU_IR_GT, EMU_IR_GE,       /* signed */
    EMU_IR_LTU, EMU_IR_LEU, EMU_IR_GTU, EMU_IR_GEU,   /* unsigned */
} emu_ir_cond;

/* Guest memory operations: size, sign extension, byte order. */
typedef enum emu_ir_memop {
    EMU_MO_8 = 0, EMU_MO_16 = 1, EMU_MO_32 = 2, EMU_MO_64 = 3,  /* log2 of the size */
    EMU_MO_SIZE = 3,
    EMU_MO_SIGN = 4,      /* sign-extend a load to the destination type */
    EMU_MO_BE = 8,        /* big-endian (else little-endian) */
} emu_ir_memop;

/* What a helper call may do, so a JIT knows what to write back and reload. */
typedef enum emu_ir_helper_flags {
    EMU_HELPER_PURE = 0,           /* depends only on its arguments */
    EMU_HELPER_READS_STATE = 1,    /* reads guest state (all fields must be in memory) */
    EMU_HELPER_WRITES_STATE = 2,   /* writes guest state (fields reloaded after) */
    EMU_HELPER_RAISES = 4,         /* may raise an exception (emu_cpu_raise); PC must be precise */
    EMU_HELPER_MEMORY = 8,         /* accesses guest memory (emu_cpu_load/store) */
    EMU_HELPER_ENDS_BLOCK = 16,    /* may change the translation mode: the block must end
                                      after this instruction with exit_loop */
} emu_ir_helper_flags;

/* A helper: env is the CPU state, the arguments are the values passed
   (i32 zero-extended, f64 as their bits); the result goes to the call's
   destination (if any) converted to its type. */
typedef uint64_t (*emu_ir_helper)(void *env, uint64_t a, uint64_t b, uint64_t c);

/* Exception classes the core understands (the plugin gives `code` its own meaning). */
typedef enum emu_excp_class {
    EMU_EXCP_NONE = 0,
    EMU_EXCP_SYSCALL,     /* sc: PC is after the instruction */
    EMU_EXCP_ILLEGAL,     /* undefined or invalid encoding */
    EMU_EXCP_PRIV,        /* privileged instruction in user state */
    EMU_EXCP_TRAP,        /* trap instruction (tw, twi) taken */
    EMU_EXCP_FP,          /* enabled floating-point exception; code: EMU_FPE_* */
    EMU_EXCP_FP_UNAVAIL,  /* FP instruction while the FPU is off */
    EMU_EXCP_MEM,         /* memory access fault (the plugin's MMU set the details) */
    EMU_EXCP_ALIGN,       /* alignment */
    EMU_EXCP_ARCH,        /* any other architecture-specific exception; code = vector */
    EMU_EXCP_HALT,        /* the CPU waits for an interrupt (power saving) */
    EMU_EXCP_DEBUG,       /* trace / single step */
} emu_excp_class;

/* EMU_EXCP_FP codes. */
enum { EMU_FPE_INVALID = 1, EMU_FPE_ZERODIV, EMU_FPE_OVERFLOW, EMU_FPE_UNDERFLOW, EMU_FPE_INEXACT };

/* ---- values ---- */
/* A new temporary of type t, dead at the end of the block. */
EMU_API emu_ir_val emu_ir_temp(emu_ir_block *b, emu_ir_type t);
/* The guest-state field at `offset` (must be aligned to its size). */
EMU_API emu_ir_val emu_ir_env(emu_ir_block *b, uint32_t offset, emu_ir_type t);
/* A new branch target, and where it is: the next op emitted. */
EMU_API emu_ir_label emu_ir_new_label(emu_ir_block *b);
EMU_API void emu_ir_set_label(emu_ir_block *b, emu_ir_label l);

/* ---- instruction markers ---- */
/* Start of the guest instruction at `pc` (emit before its first op). */
EMU_API void emu_ir_insn_start(emu_ir_block *b, uint64_t pc);

/* ---- moves and constants ---- */
/* d = a; d = imm. */
EMU_API void emu_ir_mov(emu_ir_block *b, emu_ir_val d, emu_ir_val a);
EMU_API void emu_ir_movi(emu_ir_block *b, emu_ir_val d, uint64_t imm);

/* ---- integer arithmetic (i32 or i64; all operands of one type) ---- */
typedef enum emu_ir_binop {
    EMU_IR_ADD, EMU_IR_SUB, EMU_IR_MUL,
    EMU_IR_MULUH, EMU_IR_MULSH,          /* high half of the double-width product */
    EMU_IR_DIVS, EMU_IR_DIVU, EMU_IR_REMS, EMU_IR_REMU,
    EMU_IR_AND, EMU_IR_OR, EMU_IR_XOR,
    EMU_IR_ANDC, EMU_IR_ORC, EMU_IR_NAND, EMU_IR_NOR, EMU_IR_EQV,
    EMU_IR_SHL, EMU_IR_SHR, EMU_IR_SAR, EMU_IR_ROTL,
    EMU_IR_BINOP_COUNT
} emu_ir_binop_kind;

typedef enum emu_ir_unop {
    EMU_IR_NOT, EMU_IR_NEG, EMU_IR_CLZ, EMU_IR_CTZ,
    EMU_IR_BSWAP16, EMU_IR_BSWAP32, EMU_IR_BSWAP64,   /* bswap16 zero-extends */
    EMU_IR_EXT8S, EMU_IR_EXT16S, EMU_IR_EXT8U, EMU_IR_EXT16U,
    EMU_IR_EXT32S, EMU_IR_EXT32U,                     /* i32 -> i64 */
    EMU_IR_TRUNC32,                                   /* i64 -> i32 */
    EMU_IR_UNOP_COUNT
} emu_ir_unop_kind;

/* d = a op c; d = a op imm; d = op a. */
EMU_API void emu_ir_binop_rr(emu_ir_block *b, emu_ir_binop_kind op, emu_ir_val d, emu_ir_val a, emu_ir_val c);
EMU_API void emu_ir_binop_ri(emu_ir_block *b, emu_ir_binop_kind op, emu_ir_val d, emu_ir_val a, uint64_t imm);
EMU_API void emu_ir_unop(emu_ir_block *b, emu_ir_unop_kind op, emu_ir_val d, emu_ir_val a);

/* d = (a cond c) ? 1 : 0 */
EMU_API void emu_ir_setcond(emu_ir_block *b, emu_ir_cond cond, emu_ir_val d, emu_ir_val a, emu_ir_val c);
EMU_API void emu_ir_setcond_i(emu_ir_block *b, emu_ir_cond cond, emu_ir_val d, emu_ir_val a, uint64_t imm);
/* d = (a cond c) ? t : f */
EMU_API void emu_ir_select(emu_ir_block *b, emu_ir_cond cond, emu_ir_val d, emu_ir_val a, emu_ir_val c,
                           emu_ir_val t, emu_ir_val f);
/* Three-way compare (a, c of one integer type; d is i32):
   d = a < c ? lt : a > c ? gt : eq, signed when `is_signed`. */
EMU_API void emu_ir_cmp3(emu_ir_block *b, bool is_signed, emu_ir_val d, emu_ir_val a, emu_ir_val c,
                         uint8_t lt, uint8_t gt, uint8_t eq);
EMU_API void emu_ir_cmp3_i(emu_ir_block *b, bool is_signed, emu_ir_val d, emu_ir_val a, uint64_t imm,
                           uint8_t lt, uint8_t gt, uint8_t eq);

/* ---- floating point (f64) ---- */
typedef enum emu_ir_fop {
    EMU_IR_FADD, EMU_IR_FSUB, EMU_IR_FMUL, EMU_IR_FDIV,   /* d = a op c */
    EMU_IR_FSQRT, EMU_IR_FNEG, EMU_IR_FABS,               /* d = op a */
    EMU_IR_F32_TO_F64,     /* a: i32 holding float bits; d: f64 */
    EMU_IR_F64_TO_F32,     /* a: f64; d: i32 float bits, rounded */
    EMU_IR_FOP_COUNT
} emu_ir_fop_kind;
/* d = a op c, or d = op a (c unused). */
EMU_API void emu_ir_fop(emu_ir_block *b, emu_ir_fop_kind op, emu_ir_val d, emu_ir_val a, emu_ir_val c);
/* d = a * c + e, rounded once */
EMU_API void emu_ir_fma(emu_ir_block *b, emu_ir_val d, emu_ir_val a, emu_ir_val c, emu_ir_val e);

/* ---- guest memory ---- */
/* d = mem[addr + disp] (addr of the guest's address width); mmu_idx chooses
   the translation regime (the plugin's numbering, < EMU_IR_MMU_MODES). */
#define EMU_IR_MMU_MODES 8
EMU_API void emu_ir_load(emu_ir_block *b, emu_ir_val d, emu_ir_val addr, int32_t disp,
                         unsigned memop, unsigned mmu_idx);
EMU_API void emu_ir_store(emu_ir_block *b, emu_ir_val v, emu_ir_val addr, int32_t disp,
                          unsigned memop, unsigned mmu_idx);

/* ---- helpers ---- */
/* d may be 0 (no result); unused arguments are 0. */
EMU_API void emu_ir_call(emu_ir_block *b, emu_ir_helper fn, unsigned flags, emu_ir_val d,
                         emu_ir_val a0, emu_ir_val a1, emu_ir_val a2);

/* A helper whose first two arguments are constants known at translation time (decoded
   fields, register numbers): fn(env, c0, c1, 0).  d may be 0. */
EMU_API void emu_ir_call_const(emu_ir_block *b, emu_ir_helper fn, unsigned flags, emu_ir_val d,
                               uint32_t c0, uint32_t c1);

/* ---- control flow inside the block ---- */
/* Branch to l always; when (a cond c); when (a cond imm). */
EMU_API void emu_ir_br(emu_ir_block *b, emu_ir_label l);
EMU_API void emu_ir_brcond(emu_ir_block *b, emu_ir_cond cond, emu_ir_val a, emu_ir_val c, emu_ir_label l);
EMU_API void emu_ir_brcond_i(emu_ir_block *b, emu_ir_cond cond, emu_ir_val a, uint64_t imm, emu_ir_label l);
/* Branch when (a & mask) != 0 (if_set) or == 0 (!if_set). */
EMU_API void emu_ir_brtest(emu_ir_block *b, emu_ir_val a, uint64_t mask, bool if_set, emu_ir_label l);

/* ---- block exits ---- */
/* Continue at the constant `pc` (slot 0 or 1: the core may chain it). */
EMU_API void emu_ir_goto_tb(emu_ir_block *b, unsigned slot, uint64_t pc);
/* Continue at the PC held in `pc` (looked up in the block cache). */
EMU_API void emu_ir_exit_indirect(emu_ir_block *b, emu_ir_val pc);
/* Return to the run loop and continue at `pc` (after a mode change). */
EMU_API void emu_ir_exit_loop(emu_ir_block *b, uint64_t pc);
/* Raise exception (cls, code).  `pc` is where the guest state says the
   exception happened (the instruction itself, or the next one for sc);
   `completed` tells whether the current instruction counts as executed. */
EMU_API void emu_ir_exit_excp(emu_ir_block *b, emu_excp_class cls, uint32_t code, uint64_t pc,
                              bool completed);

/* Like emu_ir_exit_excp, the PC taken from a value (single-step after an indirect branch);
   the current instruction counts as executed. */
EMU_API void emu_ir_exit_excp_at(emu_ir_block *b, emu_excp_class cls, uint32_t code, emu_ir_val pc);

/* ---- for translators ---- */
/* Read a 32-bit code word at guest `pc` (in the block's own code byte order).
   False when it cannot be fetched (another page that is not executable):
   end the block before that instruction. */
EMU_API bool emu_ir_fetch32(emu_ir_block *b, uint64_t pc, uint32_t *insn);
/* Instructions translated so far; whether the block should end now (size limit). */
EMU_API unsigned emu_ir_insn_count(const emu_ir_block *b);
EMU_API bool emu_ir_block_full(const emu_ir_block *b);
/* The block's translation flags (cpu-plugin.h: tb_flags). */
EMU_API uint32_t emu_ir_block_flags(const emu_ir_block *b);
/* Whether the block may go on at the target of an unconditional direct branch instead of
   ending with a goto_tb there (fetching from the target with emu_ir_fetch32).  False while
   block hooks are set: they see a block as one straight run of code. */
EMU_API bool emu_ir_may_follow_branch(const emu_ir_block *b);

#ifdef __cplusplus
}
#endif
#endif
