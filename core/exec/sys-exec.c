/* System-mode execution: the machine's CPUs run in turn for the run loop's slice; exceptions and
 * interrupts are delivered through the CPU plugin; the clock sees the exact instruction count. */
#include <string.h>
#include "clock/clock.h"
#include "exec-internal.h"
#include "exec.h"
#include "hooks.h"

unsigned emu_exec_trace_flags;

void emu_exec_set_trace(unsigned flags)
{
    emu_exec_trace_flags = flags;
}

/* Instructions executed so far in the current emu_exec_run (for emu_clock_ns inside a slice). */
static uint64_t insns_so_far(void *opaque)
{
    struct emu_exec *ex = opaque;
    uint64_t n = ex->slice_executed;
    if (ex->running)
        n += (uint64_t)run_position(ex->running);
    return n;
}

static void deliver(emu_cpu *cpu)
{
    emu_excp_class c = cpu->excp;
    cpu->excp = EMU_EXCP_NONE;
    if (c == EMU_EXCP_HALT) {
        cpu->halted = true;
        return;
    }
    emu_log(cpu->dev, EMU_LOG_CPU, "exception %d code 0x%x at 0x%llx", (int)c, cpu->excp_code,
            (unsigned long long)cpu_get_pc(cpu));
    hooks_exception(cpu, c, cpu->excp_code);
    cpu->ops->do_interrupt(cpu->env, c, cpu->excp_code);
}

/* The loop of run_cpu: blocks until the CPU's share is spent, it halts, stalls or the machine
   is asked to quit; exceptions raised from helpers come back to its sigsetjmp.  Its own function
   so that a hook owner's frame (emu_hooks_run) can hold it, recovery point included. */
static void run_blocks(void *opaque)
{
    emu_cpu *cpu = opaque;
    emu_machine *m = cpu->ex->m;
    tb *from = NULL;
    unsigned slot = 0;

    /* A guest whose exception handlers fault at once never completes an instruction; give
       the run loop its turn after a while so the machine stays responsive.  Declared before
       the sigsetjmp (and volatile) so an exception raised from a helper, which comes back
       through the longjmp, counts as a stall too instead of starting the count again. */
    volatile unsigned stalled = 0;
    volatile int64_t last_budget = cpu->budget;
    if (sigsetjmp(cpu->jmp, 0)) {
        cpu->in_exec = false;
        from = NULL;
        cpu_restore_state(cpu);
        if (cpu->excp != EMU_EXCP_NONE)   /* NONE: a hook sent the CPU back to its loop */
            deliver(cpu);
    }
    for (;;) {
        if (cpu->budget == last_budget) {
            if (++stalled > 64)
                break;
        } else {
            stalled = 0;
            last_budget = cpu->budget;
        }
        atomic_store(&cpu->exit_request, 0);
        cpu->smc_hit = false;
        uint64_t before = cpu_get_pc(cpu);
        if (cpu->ops->check_interrupts(cpu->env)) {
            cpu->halted = false;
            from = NULL;
            /* reported once taken: the interrupted PC, the vector (low 16 bits of the new PC) */
            emu_machine *hm = cpu->dev->machine;
            if (emu_hooks_any(hm, EMU_HOOK_EXCEPTION))
                emu_hooks_fire_exception(hm, cpu, EMU_EXCP_ARCH, (uint32_t)(cpu_get_pc(cpu) & 0xffff), before);
        }
        if (cpu->halted || m->quit_requested || m->reset_requested || cpu->budget <= 0)
            break;
        hooks_sync(cpu);
        if (!from)
            tb_quiescent(cpu);   /* no block is referenced here: retired ones may be freed */
        uint32_t flags = cpu->ops->tb_flags(cpu->env);
        tb *t = tb_find(cpu, cpu_get_pc(cpu), flags);
        if (!t) {
            deliver(cpu);     /* instruction fetch fault */
            from = NULL;
            continue;
        }
        if (emu_exec_trace_flags || emu_log_enabled(EMU_LOG_EXEC)) {
            trace_exec(cpu, t);
            atomic_store(&cpu->exit_request, 1);
        } else if (from) {
            tb_link(cpu, from, slot, t);
        }
        from = NULL;
        cpu->in_exec = true;
        interp_run(cpu, t, &cpu->budget, &from, &slot);
        cpu->in_exec = false;
        cpu->hook_resume = false;
        if (cpu->excp != EMU_EXCP_NONE) {
            deliver(cpu);
            from = NULL;
        }
    }
}

/* Run one CPU for `share` instructions (about).  The machine's CPUs take turns on this one
   thread, so each runs alone and may run inside the hook owners' frame. */
static void run_cpu(emu_cpu *cpu, int64_t share)
{
    struct emu_exec *ex = cpu->ex;

    cpu->budget = share;
    cpu->run_start = share;
    cpu->in_run = true;
    ex->running = cpu;
    cpu->excp = EMU_EXCP_NONE;
    if (!emu_hooks_run(ex->m, cpu, run_blocks, cpu)) {
        /* a hook callback left the run, after asking the machine to stop */
        cpu->in_exec = false;
        cpu_restore_state(cpu);
        cpu->hook_resume = false;
        cpu->excp = EMU_EXCP_NONE;
    }
    cpu->last_gen = UINT64_MAX;
    uint64_t done = (uint64_t)(share - cpu->budget);
    cpu->icount += done;
    cpu->in_run = false;
    ex->slice_executed += done;
    ex->running = NULL;
}

emu_exec_status emu_exec_run(emu_machine *m, uint64_t budget, uint64_t *executed)
{
    struct emu_exec *ex = m->exec;
    *executed = 0;
    if (!ex || !ex->ncpus || ex->space)
        return EMU_EXEC_IDLE;
    if (!ex->clock_hooked) {
        emu_clock_set_insn_source(m, insns_so_far, ex);
        ex->clock_hooked = true;
    }
    ex->slice_executed = 0;
    int64_t share = (int64_t)(budget / ex->ncpus);
    if (share < 1)
        share = 1;
    bool ran = false;
    for (size_t i = 0; i < ex->ncpus && !m->quit_requested && !m->reset_requested; i++) {
        emu_cpu *cpu = ex->cpus[(ex->rr + i) % ex->ncpus];
        if (cpu->halted && !cpu->ops->check_interrupts(cpu->env))
            continue;
        cpu->halted = false;
        run_cpu(cpu, share);
        ran = true;
    }
    ex->rr++;
    *executed = ex->slice_executed;
    ex->slice_executed = 0;
    if (m->quit_requested)
        return EMU_EXEC_STOPPED;
    return ran ? EMU_EXEC_RAN : EMU_EXEC_IDLE;
}

void emu_exec_kick(emu_machine *m)
{
    struct emu_exec *ex = m->exec;
    for (size_t i = 0; ex && i < ex->ncpus; i++)
        atomic_store(&ex->cpus[i]->exit_request, 1);
}

void emu_exec_reset(emu_machine *m)
{
    struct emu_exec *ex = m->exec;
    if (!ex || ex->space)
        return;
    for (size_t i = 0; i < ex->ncpus; i++) {
        emu_cpu *cpu = ex->cpus[i];
        cpu->halted = false;
        cpu->excp = EMU_EXCP_NONE;
        tlb_flush_cpu(cpu);
        tb_jc_clear(cpu);
        atomic_store(&cpu->exit_request, 1);
    }
}
