/* The instrumentation hook registry: which guest events (execution, memory, I/O, lines,
 * exceptions, system calls, exit) someone asked to see, and the calls that report them.
 * Internal to libemu: Lua scripts (core/lua/) add hooks; the execution engine, the memory
 * system and the user-mode runtime test for them and fire them. */
#ifndef EMU_CORE_HOOKS_H
#define EMU_CORE_HOOKS_H

#include "emu/cpu.h"
#include "emu/ir.h"
#include "machine.h"

/*
 * Principle: with no hook of a kind registered, nothing of that kind is
 * called and translated code is the same as a build without hooks.  The
 * engine tests emu_hooks_any() (one load and one bit test of m->hook_mask)
 * before doing anything hook-related, and at translation time emits a hook
 * call only where emu_hooks_exec_at() / emu_hooks_overlap() say a hook
 * applies.
 *
 * Addresses (pc, memory addresses, ranges) are guest virtual addresses: the
 * address the instruction fetched from or used.  Ranges are inclusive.
 *
 * Every callback may add and remove hooks, change guest state through
 * emu_cpu_* (registers, pc, memory) and call emu_machine_request_quit().
 * After firing any hook of EXEC, INSN, BLOCK, READ, WRITE, SYSCALL,
 * SYSCALL_RET or EXCEPTION, the engine must therefore (1) re-read guest registers it
 * keeps in host registers, (2) continue at emu_cpu_pc(cpu) if the callback
 * moved the pc, and (3) stop soon if m->quit_requested is set.
 *
 * Threads: the firing functions may be called from several host threads
 * (user mode runs one per guest thread).  They serialize on the registry's
 * recursive lock, so callbacks never run concurrently; adding and removing
 * take the same lock.  Nothing that holds the lock may wait for another
 * CPU thread (the invalidator in particular must only mark, never wait).
 */

typedef enum emu_hook_kind {
    EMU_HOOK_EXEC,        /* before the instruction at one address (lo == hi) */
    EMU_HOOK_INSN,        /* before each instruction whose address is in [lo, hi] */
    EMU_HOOK_BLOCK,       /* each executed translated block whose first address is in [lo, hi] */
    EMU_HOOK_READ,        /* after each data load overlapping [lo, hi]; may replace the value */
    EMU_HOOK_WRITE,       /* before each data store overlapping [lo, hi] */
    EMU_HOOK_SYSCALL,     /* user mode: before each system call; may skip it with a result */
    EMU_HOOK_SYSCALL_RET, /* user mode: after each system call, with its result */
    EMU_HOOK_IO,          /* each access to an MMIO region of a device (or of any device) */
    EMU_HOOK_IRQ,         /* each level change of an input line of a device (or of any device) */
    EMU_HOOK_EXCEPTION,   /* each exception or interrupt a CPU takes */
    EMU_HOOK_EXIT,        /* once, when the machine or the user-mode program stops */
    EMU_HOOK_NKINDS
} emu_hook_kind;

#define EMU_HOOK_BIT(kind) (1u << (kind))

/* What happened.  The firing function fills the fields its kind uses
   (listed per field); the others are zero. */
typedef struct emu_hook_event {
    emu_hook_kind kind;
    emu_cpu *cpu;          /* the CPU (NULL for IRQ and EXIT; for IO the accessing CPU or NULL) */
    uint64_t pc;           /* EXEC, INSN, BLOCK: the address; READ, WRITE, SYSCALL, EXCEPTION:
                              the address of the instruction that caused it */
    uint64_t addr;         /* READ, WRITE: address of the access; IO: offset in the region */
    unsigned size;         /* READ, WRITE, IO: access size in bytes; BLOCK: instructions */
    uint64_t value;        /* READ: the value loaded (in/out); WRITE, IO: the value stored,
                              or for an IO read the value the device answered */
    bool is_write;         /* IO */
    emu_device *device;    /* IO: owner of the region; IRQ: device whose input changed */
    const char *region;    /* IO: the region's name */
    const char *line;      /* IRQ: the input line's name */
    unsigned index;        /* IRQ: element of the line array */
    int level;             /* IRQ: new level, 0 or 1 */
    int64_t nr;            /* SYSCALL, SYSCALL_RET: the guest's system call number */
    uint64_t args[6];      /* SYSCALL, SYSCALL_RET: the six argument registers */
    const char *sysname;   /* SYSCALL, SYSCALL_RET: the call's Linux name ("write"), or NULL
                              when the guest ABI has no such number */
    emu_excp_class excp;   /* EXCEPTION: its class (ir.h) */
    uint32_t code;         /* EXCEPTION: the CPU plugin's code for it (ARCH: the vector) */
    int exit_code;         /* EXIT: the status emu exits with */

    /* Answers a callback may give. */
    bool replace;          /* READ: set with `value` to change what the instruction sees */
    bool skip;             /* SYSCALL: do not perform the call; `result` is its return value */
    int64_t result;        /* SYSCALL with skip: what the kernel would return (-errno on error);
                              SYSCALL_RET: what the call returned (-errno on error) */
} emu_hook_event;

typedef void (*emu_hook_fn)(void *opaque, emu_hook_event *ev);
typedef void (*emu_hook_block_fn)(void *opaque, emu_cpu *cpu, uint64_t pc, unsigned ninsns);

typedef uint64_t emu_hook_id;   /* 0 is never an id; ids are not reused */

typedef struct emu_hook_spec {
    emu_hook_kind kind;
    uint64_t lo, hi;       /* EXEC: lo == hi == the address; INSN, BLOCK, READ, WRITE: the
                              range (0, UINT64_MAX for everything); other kinds: ignored */
    emu_device *device;    /* IO, IRQ: only this device (NULL: every device); others: ignored */
    emu_hook_fn fn;        /* required */
    void *opaque;
    /* optional: called once the registry no longer uses `opaque` (after
       removal, at a point where no callback of this hook is running) */
    void (*release)(void *opaque);
    /* optional, BLOCK only: called instead of `fn`, with what the event would
       hold as arguments, so that the most frequent event builds no
       emu_hook_event (`fn` is still required) */
    emu_hook_block_fn block_fn;
} emu_hook_spec;

/* Register a hook.  Returns its id, or 0 (with a message) when the spec is
   invalid (no callback, lo > hi, EXEC with lo != hi, unknown kind).  The
   hook fires from the next event on: for EXEC, INSN, BLOCK, READ and
   WRITE the invalidator is called with the range first. */
emu_hook_id emu_hooks_add(emu_machine *m, const emu_hook_spec *spec, emu_error **err);

/* Remove a hook.  It never fires again from the moment of the call, also
   when called from inside a callback (its own or another's); the record
   and its `release` are deferred until no callback is running.  For EXEC,
   INSN, BLOCK, READ and WRITE the invalidator is called with the range.
   Returns 0, or -1 when no live hook has that id. */
int emu_hooks_remove(emu_machine *m, emu_hook_id id);

/* Drop every hook, then the registry (emu_machine_free calls it). */
void emu_hooks_free(emu_machine *m);

/* The registry's recursive lock, for code that runs hook owners' code
   outside a firing function (the Lua host's timers), so that it never
   runs at the same time as a callback on another thread. */
void emu_hooks_lock(emu_machine *m);
void emu_hooks_unlock(emu_machine *m);

/* A hook owner may have the engine run a CPU inside a frame of its own that
   its callbacks can leave without returning (the Lua host: one protected
   call per run, so that block callbacks need no protected call each).
   `wrap` calls run(arg) inside that frame and returns true, or returns
   false when a callback left the frame (after asking the machine to stop).
   One wrapper per machine; wrap NULL removes it. */
typedef bool (*emu_hooks_wrap_fn)(void *opaque, emu_cpu *cpu, void (*run)(void *arg), void *arg);
void emu_hooks_set_run_wrapper(emu_machine *m, emu_hooks_wrap_fn wrap, void *opaque);

/* ---- for the execution engine ---- */

/* Run run(arg), the loop executing cpu's blocks (with its own unwind point
   for faults inside it), through the wrapper when there is one and block
   hooks exist, else directly.  Only for a CPU that runs alone (no other CPU
   thread, and no other thread that takes the registry's lock, until run
   returns): a callback leaving the frame skips the engine's frames and
   anything they hold.  Inside, on this thread, emu_hooks_fire_block takes no
   lock.  System mode qualifies: its CPUs take turns on one thread.  False
   when a callback left the run: the engine resets what an unwind from
   inside a block would, and stops (the machine was asked to). */
bool emu_hooks_run(emu_machine *m, emu_cpu *cpu, void (*run)(void *arg), void *arg);


/* Any live hook of `kind`?  Inline and cheap: the engine may test it on
   every event of that kind, or keep &m->hook_mask and test the bit. */
static inline bool emu_hooks_any(const emu_machine *m, emu_hook_kind kind)
{
    return (__atomic_load_n(&m->hook_mask, __ATOMIC_RELAXED) & EMU_HOOK_BIT(kind)) != 0;
}

/* Translation time: is there a live EXEC hook at `pc`?  The translator
   asks for each instruction (only when emu_hooks_any(m, EMU_HOOK_EXEC))
   and emits a call to emu_hooks_fire_exec() before that one instruction. */
bool emu_hooks_exec_at(emu_machine *m, uint64_t pc);

/* Is there a live hook of `kind` (INSN, BLOCK, READ or WRITE) whose range
   overlaps [lo, hi]?  The translator asks INSN for each instruction's
   address and BLOCK for the block's first address; the engine asks READ
   and WRITE when it fills a TLB entry for a page (see emu_hooks_fire_read). */
bool emu_hooks_overlap(emu_machine *m, emu_hook_kind kind, uint64_t lo, uint64_t hi);

/* Called when a hook of `kind` covering [lo, hi] is added or removed, so
   that the change takes effect at the next instruction:
    - EXEC, INSN, BLOCK: drop translated blocks containing guest code in
      [lo, hi] (BLOCK: blocks starting there).
    - READ, WRITE: flush TLB entries of pages overlapping [lo, hi] (so the
      next access refills and re-checks emu_hooks_overlap), and drop
      translated code that inlined memory accesses if the engine does that.
   It may be called from inside a hook callback, i.e. while a CPU runs a
   translated block: like a code-write handler, it must not free the
   running block; it sets a flag and the CPU leaves the block when the
   callback returns.  One invalidator per machine; fn NULL removes it. */
typedef void (*emu_hooks_invalidate_fn)(void *opaque, emu_hook_kind kind, uint64_t lo, uint64_t hi);
void emu_hooks_set_invalidator(emu_machine *m, emu_hooks_invalidate_fn fn, void *opaque);

/* Before the instruction at `pc` (EXEC hooks at pc, then INSN hooks
   covering pc).  Guest state in the CPU structure must be current (pc ==
   `pc`).  The engine calls it from the translated code it emitted where
   emu_hooks_exec_at / emu_hooks_overlap(INSN) said so. */
void emu_hooks_fire_exec(emu_machine *m, emu_cpu *cpu, uint64_t pc);

/* Before each executed block that starts at `pc` and holds `ninsns`
   instructions, when emu_hooks_overlap(m, EMU_HOOK_BLOCK, pc, pc) was true
   at translation time.  Every execution counts, also one entered through a
   chained jump: emit the call at the start of the block's code (or do not
   chain into such blocks and call it from the dispatcher).  Takes the
   registry's lock, except inside a wrapped run (emu_hooks_run). */
void emu_hooks_fire_block(emu_machine *m, emu_cpu *cpu, uint64_t pc, unsigned ninsns);

/* emu_hooks_fire_block without the registry's lock, for an engine that
   knows that no other thread can fire a hook or take the lock until it
   returns (it runs the only CPU thread), and that has held the lock at
   least once since another thread last could (so it sees what that thread's
   callbacks did).  Block hooks fire on every block: the lock is a large
   part of their cost. */
void emu_hooks_fire_block_alone(emu_machine *m, emu_cpu *cpu, uint64_t pc, unsigned ninsns);

/* After a data load of `size` bytes at `addr` by the instruction at `pc`
   produced `value` (as the instruction sees it: in the guest's byte order
   resolved, zero-extended, before any sign extension), when [addr,
   addr+size-1] overlaps a READ hook.  Returns the value the instruction
   must use (a hook may replace it).  How the engine gets there without
   slowing other addresses: when filling a TLB entry for a virtual page,
   if emu_hooks_any(m, EMU_HOOK_READ) && emu_hooks_overlap(m, EMU_HOOK_READ,
   page, page + size_of_page - 1), the entry gets no fast read permission;
   the slow path performs the load, then calls this when the access
   overlaps a hook.  User mode, whose loads go straight to host memory,
   does the same with page protection: pages overlapping a READ hook are
   made inaccessible (PROT_NONE) while the hook exists, and the fault
   handler performs the load, calls this and resumes after the
   instruction; the invalidator (re)protects or releases the pages.
   Loads made by the engine for itself (instruction fetch, page-table
   walks) and debugger accesses (emu_cpu_read_mem) are not reported. */
uint64_t emu_hooks_fire_read(emu_machine *m, emu_cpu *cpu, uint64_t pc, uint64_t addr,
                             unsigned size, uint64_t value);

/* Before a data store of `value` (`size` bytes at `addr`, by the
   instruction at `pc`), when it overlaps a WRITE hook; same TLB rule as
   reads with EMU_HOOK_WRITE (user mode: pages write-protected like code
   pages; the fault handler calls this, then performs the store).  A
   callback may read the old contents. */
void emu_hooks_fire_write(emu_machine *m, emu_cpu *cpu, uint64_t pc, uint64_t addr,
                          unsigned size, uint64_t value);

/* Before a system call: nr and the six argument registers as the guest
   ABI passes them, the call's generic Linux name (NULL when the number is
   unknown to the ABI), pc of the system call instruction.  Returns true
   when a hook said to skip the call: the runtime does not perform it and
   returns *result to the guest as the call's result (negative = -errno,
   set into the guest registers as for a real call).  The runtime calls it
   when emu_hooks_any(m, EMU_HOOK_SYSCALL). */
bool emu_hooks_fire_syscall(emu_machine *m, emu_cpu *cpu, uint64_t pc, int64_t nr,
                            const char *sysname, const uint64_t args[6], int64_t *result);

/* After a system call returned `result` (-errno on error; also for a call
   a hook skipped), before the guest sees it; same nr, name and arguments as
   the matching emu_hooks_fire_syscall.  Calls that do not return (exit,
   exit_group, a successful execve) are not reported.  The runtime calls it
   when emu_hooks_any(m, EMU_HOOK_SYSCALL_RET). */
void emu_hooks_fire_syscall_ret(emu_machine *m, emu_cpu *cpu, uint64_t pc, int64_t nr,
                                const char *sysname, const uint64_t args[6], int64_t result);

/* One access to the MMIO region `region` owned by device `dev`, at
   `offset`, of `size` bytes, as the guest (or DMA) made it, before the core
   splits or widens it for the device: reads once the device answered
   (value = the answer), writes before the device sees them.  The memory
   system calls it when emu_hooks_any(m, EMU_HOOK_IO); cpu may be NULL. */
void emu_hooks_fire_io(emu_machine *m, emu_cpu *cpu, emu_device *dev, const char *region,
                       uint64_t offset, unsigned size, uint64_t value, bool is_write);

/* A CPU takes an exception of class `excp` with the plugin's `code`,
   raised by the instruction at `pc` (an interrupt: the pc it interrupts),
   before the CPU state switches to the handler (system mode: before
   do_interrupt; user mode: before the runtime turns it into a signal).
   EMU_EXCP_SYSCALL is not reported here (see emu_hooks_fire_syscall). */
void emu_hooks_fire_exception(emu_machine *m, emu_cpu *cpu, emu_excp_class excp, uint32_t code,
                              uint64_t pc);

/* The machine or the user-mode program stops with exit status `code`.
   Fires EXIT hooks once (later calls do nothing). */
void emu_hooks_fire_exit(emu_machine *m, int code);

/* IRQ hooks need no call from anyone: while one exists, the registry is
   the machine's line observer (m->line_observer), which the object model
   calls on every input-line level change. */

#endif
