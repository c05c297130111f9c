/* The execution engine for user-mode emulation: CPUs over one host mapping of the guest address
 * space, run until a system call, a fault or another stop, from one or several host threads.
 *
 * Memory model.  The runtime reserves the guest address space as one host
 * mapping (host_base + guest address; 4 GiB for a 32-bit guest, so every
 * 32-bit address is inside it) and keeps, for each 4 KiB guest page, a byte
 * of EMU_USER_PAGE_* flags that it updates on mmap/mprotect/munmap/brk.
 * Unmapped guest pages must be PROT_NONE host pages.  Translated code reads
 * only pages with READ|EXEC.  To see self-modifying code, the engine
 * write-protects (host mprotect) guest pages that hold translated code and
 * have WRITE; a store there faults, the engine drops the page's
 * translations, gives the write permission back and restarts the store.
 * So the runtime must call emu_user_flush_range() whenever it changes the
 * host protection or the contents of a range by itself (mmap over,
 * mprotect, munmap, a read() into guest memory is fine: it only needs the
 * flush if it bypasses the write protection, i.e. writes into a page
 * without going through a guest store: do flush then).
 *
 * Faults.  While a CPU runs, a host SIGSEGV/SIGBUS whose address is in the
 * guest mapping ends emu_user_cpu_run() with EMU_USER_STOP_FAULT, the PC
 * of the faulting instruction and the exact instruction count; any other
 * host fault is a host bug and is re-raised with the previous handler.
 *
 * Threads.  One CPU per guest thread, each run from its own host thread.
 * The block cache is shared: translation, invalidation and chaining take
 * one global translation lock; finding a block uses a per-CPU lookup cache
 * checked without the lock; blocks that are invalidated are freed only once
 * every running CPU has come back to its dispatch loop.
 */
#ifndef EMU_CORE_USER_EXEC_H
#define EMU_CORE_USER_EXEC_H

#include "emu/cpu.h"
#include "emu/ir.h"
#include "machine.h"

#define EMU_USER_PAGE_BITS 12
#define EMU_USER_PAGE_READ  1u
#define EMU_USER_PAGE_WRITE 2u
#define EMU_USER_PAGE_EXEC  4u

typedef struct emu_user_space {
    uint8_t *host_base;     /* host address of guest address 0 */
    uint64_t size;          /* bytes reserved; guest addresses are < size */
    uint8_t *page_flags;    /* size >> EMU_USER_PAGE_BITS bytes, owned by the runtime */
} emu_user_space;

/* Create a CPU of type `type_name` (e.g. "ppc750") with id `id` in machine m,
   in its user-mode initial state, over `space` (which must outlive it and
   be the same for every CPU of m). */
emu_cpu *emu_user_cpu_new(emu_machine *m, const char *type_name, const char *id,
                          const emu_user_space *space, emu_error **err);
/* A new CPU of the same type with a copy of cpu's registers (clone()). */
emu_cpu *emu_user_cpu_clone(emu_cpu *cpu, const char *id, emu_error **err);
/* Destroy a CPU (its thread has returned from emu_user_cpu_run). */
void emu_user_cpu_free(emu_cpu *cpu);

typedef enum emu_user_stop_kind {
    EMU_USER_STOP_SYSCALL = 1, /* pc: after the system call instruction */
    EMU_USER_STOP_FAULT,       /* addr, access; pc: the faulting instruction */
    EMU_USER_STOP_ILLEGAL,     /* pc: the instruction */
    EMU_USER_STOP_PRIV,        /* privileged instruction; pc: the instruction */
    EMU_USER_STOP_TRAP,        /* tw/twi and similar; pc: the instruction */
    EMU_USER_STOP_FP,          /* enabled FP exception; code: EMU_FPE_*; pc: the instruction */
    EMU_USER_STOP_ALIGN,       /* addr; pc: the instruction */
    EMU_USER_STOP_BUDGET,      /* the budget ran out */
    EMU_USER_STOP_KICK,        /* emu_user_cpu_kick() was called */
} emu_user_stop_kind;

typedef struct emu_user_stop {
    emu_user_stop_kind kind;
    uint64_t pc;               /* the CPU's PC register holds the same value */
    uint64_t addr;             /* FAULT/ALIGN: guest data address */
    int access;                /* FAULT: 0 read, 1 write, 2 execute (emu_access) */
    uint32_t code;             /* FP: EMU_FPE_*; otherwise the plugin's code */
} emu_user_stop;

/* Run `cpu` in the calling thread for at most about `budget` instructions (it may overshoot
   by one path of blocks chained by forward jumps, which skip the test).  Returns the reason
   it stopped. */
emu_user_stop_kind emu_user_cpu_run(emu_cpu *cpu, uint64_t budget, emu_user_stop *stop);
/* Make emu_user_cpu_run return EMU_USER_STOP_KICK soon (from another thread
   or a signal handler). */
void emu_user_cpu_kick(emu_cpu *cpu);
/* Drop translations of guest [addr, addr+len) in every CPU of m (munmap,
   mprotect, mmap over code, code written behind the engine's back). */
void emu_user_flush_range(emu_machine *m, uint64_t addr, uint64_t len);

#endif
