/* The engine's side of the instrumentation hooks (core/hooks.h): calls compiled into translated
 * blocks where EXEC, INSN and BLOCK hooks apply, exception reports, and the invalidator.
 *
 * The invalidator runs inside hook callbacks with the registry locked, so it only marks: it
 * sets ex->hooks_dirty and asks every CPU back to its loop, which drops all translated blocks
 * before looking up the next one.  A hook call in a block checks the mark (and a PC moved by
 * the callback, and quit requests) when the callback returns, and leaves the block at once;
 * the instruction it stood before then runs from a fresh block, its hooks not fired twice. */
#include "exec-internal.h"
#include "hooks.h"

/* Hooks at this instruction already fired before the block was left and entered again. */
static bool already_fired(emu_cpu *cpu)
{
    return cpu->hook_resume && cpu->hook_resume_pos == run_position(cpu);
}

static inline __attribute__((always_inline)) void after_hook(emu_cpu *cpu, uint64_t pc)
{
    emu_machine *m = cpu->dev->machine;
    bool moved = cpu_get_pc(cpu) != pc;
    /* (user mode: the runtime acts on quit requests itself) */
    bool quit = m->quit_requested && !cpu->user;
    if (!moved && !atomic_load(&cpu->ex->hooks_dirty) && !quit)
        return;
    /* leave the block before the instruction (or for the PC the callback chose) */
    if (!moved) {
        cpu->hook_resume = true;
        cpu->hook_resume_pos = run_position(cpu);
    }
    cpu->keep_pc = moved;
    cpu->excp = EMU_EXCP_NONE;
    cpu->excp_after = false;
    cpu_unwind(cpu);
}

/* Did this host thread, at its last block hook, run the only CPU thread? */
static __thread __attribute__((tls_model("initial-exec"))) bool was_alone;

/* Is this the only CPU thread, so that block hooks may fire without the
   registry's lock?  User mode with one CPU: the CPU of a new guest thread is
   created by the running thread before the thread starts, so the count cannot
   grow behind this one's back.  When the count has just dropped to one, the
   lock is taken once: whatever the thread that left did in callbacks is then
   visible here.  (System mode keeps the lock.) */
static bool alone(emu_cpu *cpu, emu_machine *m)
{
    bool now = cpu->user && __atomic_load_n(&cpu->ex->ncpus, __ATOMIC_ACQUIRE) == 1;
    if (now && !was_alone) {
        emu_hooks_lock(m);
        emu_hooks_unlock(m);
    }
    was_alone = now;
    return now;
}

static uint64_t hook_block(void *env, uint64_t pc, uint64_t ninsns, uint64_t unused)
{
    emu_cpu *cpu = (emu_cpu *)((uint8_t *)env - offsetof(emu_cpu, env));
    emu_machine *m = cpu->dev->machine;
    if (already_fired(cpu))
        return 0;
    cpu_set_pc(cpu, pc);
    if (alone(cpu, m))
        emu_hooks_fire_block_alone(m, cpu, pc, (unsigned)ninsns);
    else
        emu_hooks_fire_block(m, cpu, pc, (unsigned)ninsns);
    after_hook(cpu, pc);
    return 0;
}

static uint64_t hook_exec(void *env, uint64_t lo, uint64_t hi, uint64_t unused)
{
    emu_cpu *cpu = emu_cpu_of_env(env);
    uint64_t pc = lo | hi << 32;
    if (already_fired(cpu)) {
        cpu->hook_resume = false;
        return 0;
    }
    cpu_set_pc(cpu, pc);
    emu_hooks_fire_exec(cpu->dev->machine, cpu, pc);
    after_hook(cpu, pc);
    return 0;
}

#define HOOK_FLAGS (EMU_HELPER_READS_STATE | EMU_HELPER_WRITES_STATE | EMU_HELPER_RAISES | \
                    EMU_HELPER_MEMORY | EMU_HELPER_ENDS_BLOCK)

void hooks_at_insn_start(emu_ir_block *b, uint64_t pc)
{
    emu_machine *m = b->cpu->dev->machine;
    if (b->ninsns == 1 && emu_hooks_any(m, EMU_HOOK_BLOCK) && emu_hooks_overlap(m, EMU_HOOK_BLOCK, pc, pc)) {
        emu_ir_call_const(b, hook_block, HOOK_FLAGS, 0, (uint32_t)pc, 0);
        b->block_hook_op = b->nops;   /* its instruction count is known at the end */
    }
    if ((emu_hooks_any(m, EMU_HOOK_EXEC) && emu_hooks_exec_at(m, pc)) ||
        (emu_hooks_any(m, EMU_HOOK_INSN) && emu_hooks_overlap(m, EMU_HOOK_INSN, pc, pc)))
        emu_ir_call_const(b, hook_exec, HOOK_FLAGS, 0, (uint32_t)pc, (uint32_t)(pc >> 32));
}

void hooks_block_done(emu_ir_block *b)
{
    if (b->block_hook_op)
        b->ops[b->block_hook_op - 1].imm2 = b->ninsns;
}

void hooks_exception(emu_cpu *cpu, emu_excp_class c, uint32_t code)
{
    emu_machine *m = cpu->dev->machine;
    if (c != EMU_EXCP_SYSCALL && c != EMU_EXCP_NONE && emu_hooks_any(m, EMU_HOOK_EXCEPTION))
        emu_hooks_fire_exception(m, cpu, c, code, cpu_get_pc(cpu));
}

/* Loop top: apply what the invalidator marked. */
void hooks_sync(emu_cpu *cpu)
{
    struct emu_exec *ex = cpu->ex;
    if (!atomic_load_explicit(&ex->hooks_dirty, memory_order_relaxed))
        return;
    pthread_mutex_lock(&ex->lock);
    if (atomic_exchange(&ex->hooks_dirty, 0)) {
        tb_flush_all(ex, !cpu->user);
        for (size_t i = 0; i < ex->ncpus; i++)
            if (!ex->cpus[i]->user)
                tlb_flush_cpu(ex->cpus[i]);
    }
    pthread_mutex_unlock(&ex->lock);
}

static void invalidate(void *opaque, emu_hook_kind kind, uint64_t lo, uint64_t hi)
{
    struct emu_exec *ex = opaque;
    (void)kind;
    (void)lo;
    (void)hi;
    atomic_store(&ex->hooks_dirty, 1);
    for (size_t i = 0; i < ex->ncpus; i++)
        atomic_store(&ex->cpus[i]->exit_request, 1);
}

void hooks_attach(struct emu_exec *ex)
{
    emu_hooks_set_invalidator(ex->m, invalidate, ex);
}

void hooks_detach(struct emu_exec *ex)
{
    emu_hooks_set_invalidator(ex->m, NULL, NULL);
}
