/* The execution engine's internal structures: CPUs, translated blocks, the IR under
 * construction, the block cache and the software TLB. */
#ifndef EMU_CORE_EXEC_INTERNAL_H
#define EMU_CORE_EXEC_INTERNAL_H

#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdatomic.h>
#include "emu/cpu-plugin.h"
#include "emu/memory.h"
#include "machine.h"
#include "user-exec.h"

/* ---- IR under construction ---- */
enum ir_opc {
    IR_NOP,
    IR_INSN_START,   /* imm = pc */
    IR_MOV, IR_MOVI,
    IR_BINOP,        /* sub = emu_ir_binop_kind; flags IR_F_IMM: c unused, imm */
    IR_UNOP,
    IR_SETCOND,      /* sub = cond */
    IR_SELECT,       /* sub = cond; d = a ? c : e  (x = c, y = e) */
    IR_CMP3,         /* sub = signed; imm = lt | gt<<8 | eq<<16 (| IR_F_IMM: value in imm2) */
    IR_FOP, IR_FMA,
    IR_LOAD, IR_STORE,   /* sub = memop; e = mmu_idx; imm = disp */
    IR_CALL,         /* fn; sub = flags */
    IR_CALL_CONST,   /* fn; sub = flags; imm = c0, imm2 = c1 */
    IR_LABEL,        /* imm = label */
    IR_BR, IR_BRCOND, IR_BRTEST,  /* imm = label; BRCOND sub = cond; BRTEST imm2 = mask, sub = if_set */
    IR_GOTO_TB,      /* sub = slot; imm = pc */
    IR_EXIT_INDIRECT,/* a = pc */
    IR_EXIT_LOOP,    /* imm = pc */
    IR_EXIT_EXCP,    /* sub = class; imm = pc; imm2 = code | completed << 32 */
    IR_EXIT_EXCP_AT, /* sub = class; a = pc; imm2 = code */
};

#define IR_F_IMM 1u   /* second operand is imm2 */

typedef struct ir_op {
    uint8_t opc;
    uint8_t type;        /* emu_ir_type of d (or of the operands) */
    uint8_t flags;
    uint8_t pad;
    uint32_t sub;
    emu_ir_val d, a, c, e;
    uint64_t imm, imm2;
    emu_ir_helper fn;
    uint16_t insn;       /* guest instruction index inside the block */
} ir_op;

#define IR_MAX_INSNS 64
#define IR_MAX_OPS 2048
#define IR_MAX_TEMPS 1024
#define IR_MAX_LABELS 256

struct emu_ir_block {
    struct emu_cpu *cpu;
    uint64_t pc;                  /* first instruction */
    uint32_t flags;               /* tb_flags */
    ir_op *ops;
    unsigned nops;
    unsigned ntemps;
    uint8_t temp_type[IR_MAX_TEMPS + 1];
    unsigned nlabels;
    unsigned ninsns;
    uint64_t insn_pc[IR_MAX_INSNS];
    uint64_t code_end;            /* the address after the last instruction fetched */
    uint64_t page0_v, page1_v;    /* virtual pages the code came from (page1 = ~0: none) */
    uint64_t page0_p, page1_p;    /* and their physical pages */
    bool overflow;                /* too many ops/temps: the translator must stop */
    unsigned block_hook_op;       /* 1 + index of the BLOCK hook call, or 0 */
};

/* ---- pre-decoded interpreter ops ---- */
typedef struct iop {
    const void *h;
    uint32_t d, a, b, c;
} iop;

/* ---- translated blocks ---- */
typedef struct tb tb;
typedef struct tb_link {          /* a chained jump into a block */
    tb *from;
    unsigned slot;
} tb_inlink;

#define TB_EXITS 8

struct tb {
    uint64_t pc;                  /* virtual PC of the first instruction */
    uint64_t phys;                /* physical address (user mode: = pc) */
    uint32_t flags;
    atomic_bool valid;
    uint16_t ninsns;
    uint16_t nops;
    uint64_t page_v[2], page_p[2];    /* pages spanned (page_p[1] = ~0 when one page) */
    _Atomic(tb *) next[TB_EXITS]; /* chained successors, one per goto_tb exit (slot) */
    unsigned nexits;              /* goto_tb exits (slots from TB_EXITS on are never chained) */
    atomic_uint cross;            /* exits (bit = slot < 32) that look in the CPU's jump cache
                                     instead of a chain: tb_link refused them (target on another
                                     page) or their slot is past TB_EXITS */
    tb_inlink *in;                 /* blocks chained to this one */
    size_t nin, in_cap;
    tb *hash_next;                /* in the global hash bucket */
    tb *retired_next;
    uint64_t retired_gen;
    uint64_t *insn_pc;            /* [ninsns] */
    uint8_t *op_insn;             /* [nops]: guest instruction index of each op */
    iop ops[];                    /* [nops], in the block itself: entering it loads nothing more */
};

/* ---- software TLB (system mode) ---- */
#define TLB_BITS 8
#define TLB_SIZE (1u << TLB_BITS)
/* What the interpreter's fast path reads, 32 bytes (a shift indexes it); the rest of an entry
   is in tlb_aux at the same position. */
typedef struct tlb_entry {
    uint64_t tag_read, tag_write; /* fast path: the page when it is plain RAM/ROM for that access, else ~0 */
    uint64_t addend;              /* host = addend + vaddr on the fast path */
    uint64_t vpage;               /* page this entry translates, ~0 when empty */
} tlb_entry;
typedef struct tlb_aux {
    uint64_t ppage;               /* the entry's physical page */
    unsigned prot;                /* EMU_PROT_* the MMU allowed */
} tlb_aux;
/* A translation regime's table is 1 << TLB_MODE_SHIFT bytes, so a regime's table is found
   from a byte offset kept in an access record's low-bit-free upper bits. */
#define TLB_ENTRY_SHIFT 5
#define TLB_MODE_SHIFT (TLB_BITS + TLB_ENTRY_SHIFT)
/* Entries a refill pushed out, per regime, searched before the MMU is asked again: two pages
   whose entries collide (a copy from one to the other) then cost a swap, not a walk. */
#define TLB_VICTIMS 8
_Static_assert(sizeof(tlb_entry) == 1u << TLB_ENTRY_SHIFT, "tlb_entry is 32 bytes");

#define JC_BITS 12
#define JC_SIZE (1u << JC_BITS)

struct emu_exec;

/* A CPU.  The plugin's state (env) follows this header, then the IR temporaries. */
struct emu_cpu {
    emu_device *dev;
    const emu_cpu_ops *ops;
    struct emu_exec *ex;
    bool user;                    /* user mode: guest memory is host_base + addr */
    uint8_t *host_base;
    const emu_user_space *space;
    emu_space *sys;               /* system mode: the CPU's address space */
    uint64_t icount;
    int64_t budget;               /* instructions left in the current run (memory: survives unwinds) */
    int64_t run_start;            /* budget at the start of the current run */
    atomic_int exit_request;      /* leave the current block soon */
    atomic_int kicked;            /* user mode: emu_user_cpu_kick */
    bool halted;
    volatile bool smc_hit;                 /* a store hit code of the running block */
    uint64_t last_gen;            /* quiescent-state generation seen (UINT64_MAX when out) */
    /* where a fault inside a block unwinds to */
    sigjmp_buf jmp;
    bool in_exec;
    bool in_run;                  /* between run_start and the run's settling of icount */
    const iop *cur_op;
    tb *cur_tb;
    /* exception being raised */
    emu_excp_class excp;
    uint32_t excp_code;
    bool excp_after;
    bool keep_pc;                 /* an unwind after a hook moved the PC: keep it */
    bool hook_resume;             /* hooks of the instruction at hook_resume_pos already fired */
    int64_t hook_resume_pos;
    uint64_t fault_addr;
    int fault_access;
    tb *jc[JC_SIZE];
    tlb_entry tlb[EMU_IR_MMU_MODES][TLB_SIZE];
    tlb_aux tlb_aux[EMU_IR_MMU_MODES][TLB_SIZE];
    tlb_entry victim[EMU_IR_MMU_MODES][TLB_VICTIMS];
    tlb_aux victim_aux[EMU_IR_MMU_MODES][TLB_VICTIMS];
    unsigned victim_next[EMU_IR_MMU_MODES];     /* the victim slot the next eviction takes */
    size_t env_size;
    _Alignas(16) uint8_t env[];
};

#define TEMP_SLOT 8u

/* Per machine: the CPUs and the shared block cache. */
struct emu_exec {
    emu_machine *m;
    struct emu_cpu **cpus;
    size_t ncpus, cpus_cap;
    pthread_mutex_t lock;         /* translation, hash table, chaining, invalidation */
    tb **hash;                    /* buckets */
    size_t hash_size, ntbs;
    tb *retired;                  /* invalidated, waiting for every CPU to pass a quiescent point */
    _Atomic uint64_t gen;
    const emu_user_space *space;  /* user mode */
    uint8_t *code_pages;          /* user mode: bit per guest page write-protected for code */
    bool listeners;               /* system mode: memory listeners installed */
    bool clock_hooked;            /* system mode: the clock asks us for the instruction count */
    atomic_int hooks_dirty;       /* instrumentation hooks changed: drop translations */
    size_t rr;                    /* system mode: round-robin position */
    uint64_t slice_executed;      /* system mode: instructions so far in this emu_exec_run */
    emu_cpu *running;             /* system mode: CPU inside the interpreter */
};

extern unsigned emu_exec_trace_flags;
#define EMU_EXEC_TRACE_INSNS_FLAG 1u   /* = EMU_EXEC_TRACE_INSNS in exec.h */
#define EMU_EXEC_TRACE_IR_FLAG 2u

/* exec context of a machine (created on first use) */
struct emu_exec *emu_exec_get(emu_machine *m);
void emu_exec_release(emu_machine *m);

/* ir.c */
void ir_block_init(emu_ir_block *b, emu_cpu *cpu, uint64_t pc, uint32_t flags);
void ir_block_fini(emu_ir_block *b);
void ir_dump(const emu_ir_block *b, FILE *f);

/* ir-const.c: for each op of b, whether it is a load or store whose address is known at
   compile time (has[i]) and that address (addr[i]); both arrays have b->nops entries. */
void ir_const_addresses(const emu_ir_block *b, bool *has, uint32_t *addr);

/* interp.c: compile a block's IR for the interpreter; run from tb until a stop */
tb *interp_compile(emu_cpu *cpu, const emu_ir_block *b);   /* a new block, or NULL */
/* Run blocks starting with t; returns when the budget is used, a block
   exit needs the loop, or exit_request is set.  *next_pc gets where to
   continue; *link_from / *link_slot say which exit to chain (or NULL). */
void interp_run(emu_cpu *cpu, tb *t, int64_t *budget, tb **link_from, unsigned *link_slot);

/* tb.c */
tb *tb_find(emu_cpu *cpu, uint64_t pc, uint32_t flags);  /* NULL: exception set in cpu */
void tb_link(emu_cpu *cpu, tb *from, unsigned slot, tb *to);
void tb_invalidate_phys_range(struct emu_exec *ex, uint64_t start, uint64_t end);
/* Drop every block; `unmark` also clears the memory system's code bits (not from a listener). */
void tb_flush_all(struct emu_exec *ex, bool unmark);
void tb_quiescent(emu_cpu *cpu);
void tb_free(tb *t);
void tb_jc_clear(emu_cpu *cpu);
static inline unsigned jc_hash(uint64_t pc)
{
    return (unsigned)((pc >> 2) ^ (pc >> (2 + JC_BITS))) & (JC_SIZE - 1);
}

/* cpu.c */
static inline void *cpu_env(emu_cpu *cpu) { return cpu->env; }
static inline uint64_t cpu_get_pc(emu_cpu *cpu)
{
    if (cpu->ops->addr_bits == 32)
        return *(uint32_t *)(cpu->env + cpu->ops->pc_offset);
    return *(uint64_t *)(cpu->env + cpu->ops->pc_offset);
}
static inline void cpu_set_pc(emu_cpu *cpu, uint64_t pc)
{
    if (cpu->ops->addr_bits == 32)
        *(uint32_t *)(cpu->env + cpu->ops->pc_offset) = (uint32_t)pc;
    else
        *(uint64_t *)(cpu->env + cpu->ops->pc_offset) = pc;
}
emu_cpu *cpu_create(emu_device *dev, bool user, const emu_user_space *space, emu_error **err);
/* Instructions of the current run completed so far: the budget spent up to the current block
   plus, inside a block, those before the current op. */
static inline int64_t run_position(const emu_cpu *cpu)
{
    int64_t n = cpu->run_start - cpu->budget;
    const tb *t = cpu->cur_tb;
    if (t && cpu->cur_op && (size_t)(cpu->cur_op - t->ops) < t->nops)
        n += t->op_insn[cpu->cur_op - t->ops];
    return n;
}
/* Address of the instruction being executed (inside a block: from its instruction table). */
static inline uint64_t current_insn_pc(emu_cpu *cpu)
{
    tb *t = cpu->cur_tb;
    if (t && cpu->cur_op && (size_t)(cpu->cur_op - t->ops) < t->nops)
        return t->insn_pc[t->op_insn[cpu->cur_op - t->ops]];
    return cpu_get_pc(cpu);
}
/* Unwind from inside a block to the run loop (fault, raise). */
__attribute__((noreturn)) void cpu_unwind(emu_cpu *cpu);
/* After an unwind: put PC and icount at the faulting instruction. */
void cpu_restore_state(emu_cpu *cpu);

/* softmmu.c (system mode) */
void tlb_flush_cpu(emu_cpu *cpu);
/* Drop the translations of one virtual page (every regime). */
void tlb_flush_page(emu_cpu *cpu, uint64_t page);
uint64_t sys_load_slow(emu_cpu *cpu, uint64_t addr, unsigned memop, unsigned mmu_idx);
void sys_store_slow(emu_cpu *cpu, uint64_t addr, uint64_t v, unsigned memop, unsigned mmu_idx);
/* Translate a code address for block lookup: physical address, or an exception set in cpu. */
bool sys_code_phys(emu_cpu *cpu, uint64_t pc, unsigned mmu_idx, uint64_t *phys);
void softmmu_attach(struct emu_exec *ex);
void softmmu_detach(struct emu_exec *ex);

/* user-exec.c */
bool user_code_readable(emu_cpu *cpu, uint64_t pc);
void user_protect_code(emu_cpu *cpu, uint64_t page);
/* Memory hooks in user mode: translations made while any exist check each access. */
bool user_watching(emu_cpu *cpu);
uint64_t user_load_checked(emu_cpu *cpu, uint32_t addr, unsigned memop);
void user_store_checked(emu_cpu *cpu, uint32_t addr, uint64_t value, unsigned memop);

/* hooks-exec.c */
void hooks_at_insn_start(emu_ir_block *b, uint64_t pc);
void hooks_block_done(emu_ir_block *b);
void hooks_exception(emu_cpu *cpu, emu_excp_class c, uint32_t code);
void hooks_sync(emu_cpu *cpu);
void hooks_attach(struct emu_exec *ex);
void hooks_detach(struct emu_exec *ex);

/* trace.c */
void trace_block(emu_cpu *cpu, const emu_ir_block *b);
void trace_exec(emu_cpu *cpu, const tb *t);

#endif
