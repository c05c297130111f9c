/* emu SDK: the translator side of a CPU plugin — what a CPU type gives the core, and what the core
 * gives back to translators and helpers.
 *
 * A CPU type is an emu_type of kind EMU_KIND_CPU whose kind_ops points to an
 * emu_cpu_ops.  Its realize calls emu_cpu_realize() (which allocates the
 * guest state, "env", of ops->state_size bytes, zeroed) and its destroy
 * calls emu_cpu_unrealize().  From then on the core runs it: it asks
 * tb_flags() for the current mode, translate() for blocks it has not seen,
 * mmu_translate() on software-TLB misses (system mode), do_interrupt() to
 * enter exception handlers and check_interrupts() at block boundaries.
 *
 * Helpers called from translated code receive env; they reach the core
 * through the emu_cpu_* functions below (memory, exceptions, TLB control).
 */
#ifndef EMU_CPU_PLUGIN_H
#define EMU_CPU_PLUGIN_H

#include "base.h"
#include "cpu.h"
#include "ir.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum emu_access {
    EMU_ACCESS_READ = 0,
    EMU_ACCESS_WRITE = 1,
    EMU_ACCESS_EXEC = 2,
} emu_access;

/* Permissions of a translation (bit set = allowed for that mmu_idx). */
#define EMU_PROT_READ  1u
#define EMU_PROT_WRITE 2u
#define EMU_PROT_EXEC  4u

typedef struct emu_mmu_result {
    uint64_t paddr;          /* physical address of the byte asked for */
    unsigned prot;           /* EMU_PROT_* allowed on this page for this mmu_idx */
} emu_mmu_result;

typedef struct emu_cpu_ops {
    uint32_t struct_size;    /* sizeof(emu_cpu_ops) when built */
    const char *arch;        /* "ppc" (also picks the disassembler for debug output) */
    unsigned addr_bits;      /* 32 or 64: guest virtual addresses and the PC */
    bool big_endian;         /* byte order of code and of default data accesses */
    size_t state_size;       /* bytes of guest state per CPU */
    uint32_t pc_offset;      /* offset of the PC in the state (uint32_t when addr_bits is 32) */

    /* Registers for Lua, gdb and user mode: a table of nregs entries;
       reg_read and reg_write are required when nregs > 0. */
    const emu_reg_info *regs;
    unsigned nregs;
    uint64_t (*reg_read)(void *env, unsigned i);
    void (*reg_write)(void *env, unsigned i, uint64_t value);

    /* required: fill the state of a new CPU: power-on state in system mode, or the
       state a user-mode process starts with (user_mode true). */
    void (*init_state)(emu_device *dev, void *env, bool user_mode);

    /* required: the mode bits a translation depends on (privilege, MMU on/off, FP
       enabled, FP rounding...).  Part of the block-cache key; an
       instruction that changes them must end its block with exit_loop. */
    uint32_t (*tb_flags)(void *env);
    /* required: the mmu_idx used to fetch code in mode `flags`. */
    unsigned (*code_mmu_idx)(uint32_t flags);
    /* optional: host rounding mode (FE_TONEAREST, ...) for IR f64 ops in mode `flags`. */
    int (*fp_round)(uint32_t flags);

    /* required: translate one block starting at `pc` (its first word is fetchable). */
    void (*translate)(emu_ir_block *b, void *env, uint64_t pc);

    /* The next three are required for system mode (optional for a CPU
       that only runs user-mode programs).
       Translate vaddr for `access` in regime mmu_idx.  On
       success fill *res and return EMU_EXCP_NONE.  On a fault return the
       exception to raise with *code set, after recording the fault details
       in env (DAR, DSISR...), unless `probe` (debugger access: no side
       effects at all, including referenced/changed bits). */
    emu_excp_class (*mmu_translate)(void *env, uint64_t vaddr, emu_access access, unsigned mmu_idx,
                                    bool probe, emu_mmu_result *res, uint32_t *code);
    /* Enter the handler of exception (cls, code); the state's PC is the
       exception's PC.  May change the mode (the core re-reads tb_flags). */
    void (*do_interrupt)(void *env, emu_excp_class cls, uint32_t code);
    /* Deliver a pending asynchronous interrupt if the state allows it (at a
       block boundary).  Returns true when one was delivered.  Also asked when
       the CPU is halted, to decide whether it wakes up. */
    bool (*check_interrupts)(void *env);
} emu_cpu_ops;

/* ---- lifecycle (from the CPU type's realize / destroy) ---- */
/* Allocate the state (state_size bytes, zeroed) and register the CPU with
   the machine; NULL with a message when the ops are unusable. */
EMU_API emu_cpu *emu_cpu_realize(emu_device *dev, emu_error **err);
/* Undo emu_cpu_realize. */
EMU_API void emu_cpu_unrealize(emu_device *dev);

/* ---- for helpers and plugins ---- */
/* The CPU of a state pointer, and the state of a CPU. */
EMU_API emu_cpu *emu_cpu_of_env(void *env);
EMU_API void *emu_cpu_env(emu_cpu *cpu);
/* Whether the CPU runs a user-mode program (emu --user). */
EMU_API bool emu_cpu_is_user_mode(emu_cpu *cpu);

/* Raise an exception from inside a helper: the instruction being executed
   is abandoned, the PC is set to its address (or to the next instruction
   when `after` is true) and the instruction count is exact. */
EMU_API __attribute__((noreturn)) void emu_cpu_raise(void *env, emu_excp_class cls, uint32_t code,
                                                     bool after);
/* Guest memory from a helper (same path as IR loads/stores: may fault). */
EMU_API uint64_t emu_cpu_load(void *env, uint64_t vaddr, unsigned memop, unsigned mmu_idx);
EMU_API void emu_cpu_store(void *env, uint64_t vaddr, uint64_t value, unsigned memop, unsigned mmu_idx);
/* Atomically replace the naturally aligned value at vaddr by `desired` if it equals
   `expected` (store-conditional, compare-and-swap); true when it did.  Other threads of a
   user-mode process see it as one atomic access. */
EMU_API bool emu_cpu_cmpxchg(void *env, uint64_t vaddr, uint64_t expected, uint64_t desired,
                             unsigned memop, unsigned mmu_idx);
/* Physical memory for MMU walks (page tables); 0, or -1 when unassigned. */
EMU_API int emu_cpu_phys_read(emu_cpu *cpu, uint64_t paddr, unsigned size, uint64_t *value);
EMU_API int emu_cpu_phys_write(emu_cpu *cpu, uint64_t paddr, unsigned size, uint64_t value);

/* Software TLB control (MMU register writes, tlbie, mode changes). */
EMU_API void emu_cpu_tlb_flush(emu_cpu *cpu);
EMU_API void emu_cpu_tlb_flush_page(emu_cpu *cpu, uint64_t vaddr);

/* Something may need delivering (an input line rose, a timer fired):
   the CPU leaves its current block soon and calls check_interrupts.
   Safe from device callbacks and timers. */
EMU_API void emu_cpu_interrupt_request(emu_cpu *cpu);

/* End the run with exit status `code` once the current slice stops (a CPU that can never
   continue, e.g. a checkstop, after logging why).  Safe from any callback. */
EMU_API void emu_machine_request_quit(emu_machine *m, int code);
/* Reset the whole machine once the current slice stops (since ABI 1.2): every device and CPU
   returns to its power-on state in the order of power-on, RAM keeps its contents and the clock
   keeps running.  Safe from any callback; requests before the reset happens make one reset. */
EMU_API void emu_machine_request_reset(emu_machine *m);

#ifdef __cplusplus
}
#endif
#endif
