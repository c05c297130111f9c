/* The PowerPC supervisor architecture on an in-process machine (RAM + a ppc604): exception
 * entry and rfi (system call, program, DSI, ISI, external, decrementer), BAT and hashed page
 * table translation with referenced/changed bits, the software TLB after tlbie, the time base,
 * and doze (MSR[POW]) making the engine idle.  Bare-metal code is hand-assembled. */
#include <stdio.h>
#include "../tap.h"
#include "clock/clock.h"
#include "emu/memory.h"
#include "exec/exec.h"
#include "hooks.h"
#include "object.h"
#include "plugins.h"
#include "ppc-sys.h"

#define MTSR(sr, s) P_X(31, s, sr, 0, 210, 0)
#define TLBIE(b) P_X(31, 0, 0, b, 306, 0)
#define MFTB(t) P_X(31, t, 12, 8, 371, 0)
#define BCTRL 0x4e800421u
enum { SRR0 = 26, SRR1 = 27, DAR = 19, DSISR = 18, DEC = 22, SDR1 = 25, DBAT0U = 536, DBAT0L = 537 };

/* Run like the run loop does until the CPU dozes (idle) or `max` instructions. */
static emu_exec_status run(sys *s, uint64_t max)
{
    uint64_t total = 0;
    emu_exec_status st = EMU_EXEC_RAN;
    while (total < max) {
        uint64_t n = 0;
        st = emu_exec_run(s->m, 1000, &n);
        total += n;
        emu_clock_advance_to(s->m, emu_clock_ns(s->m) + n * emu_clock_ns_per_insn(s->m));
        emu_clock_run_due(s->m);
        if (st == EMU_EXEC_IDLE)
            break;
    }
    return st;
}

/* Handlers: each records SRR0/SRR1 (and DAR/DSISR) in r20..r23, counts in r24, and resumes. */
static void install_vectors(sys *s)
{
    static const uint32_t skip[] = {          /* resume after the instruction */
        MFSPR(20, SRR0), MFSPR(21, SRR1), MFSPR(22, DAR), MFSPR(23, DSISR),
        ADDI(24, 24, 1), ADDI(25, 20, 4), MTSPR(SRR0, 25), RFI,
    };
    static const uint32_t here[] = {          /* resume at SRR0 (sc, interrupts) */
        MFSPR(20, SRR0), MFSPR(21, SRR1), ADDI(24, 24, 1), RFI,
    };
    static const uint32_t to_lr[] = {         /* ISI: resume at LR, translation off */
        MFSPR(20, SRR0), MFSPR(21, SRR1), ADDI(24, 24, 1), MFLR(25), MTSPR(SRR0, 25),
        RLWINM(26, 21, 0, 28, 25), MTSPR(SRR1, 26), RFI,
    };
    static const uint32_t ext[] = {           /* external: resume with EE off (the line stays high) */
        MFSPR(20, SRR0), MFSPR(21, SRR1), ADDI(24, 24, 1), RLWINM(26, 21, 0, 17, 15),
        MTSPR(SRR1, 26), RFI,
    };
    static const uint32_t dec[] = {           /* decrementer: stop it, then resume */
        MFSPR(20, SRR0), ADDI(24, 24, 1), LIS(25, 0x7fff), MTSPR(DEC, 25), RFI,
    };
    put(s, 0x300, skip, 8);
    put(s, 0x400, to_lr, 8);
    put(s, 0x500, ext, 6);
    put(s, 0x700, skip, 8);
    put(s, 0x900, dec, 5);
    static const uint32_t trace[] = {          /* trace: count in r27, SRR0 of the 2nd in r28, stop at 3 */
        ADDI(27, 27, 1), CMPWI(0, 27, 2), BNE(8), MFSPR(28, SRR0),
        CMPWI(0, 27, 3), BNE(16), MFSPR(26, SRR1), RLWINM(26, 26, 0, 22, 20), MTSPR(SRR1, 26), RFI,
    };
    put(s, 0xd00, trace, 10);
    static const uint32_t fpu[] = {           /* FP unavailable: turn the FPU on and retry */
        MFSPR(20, SRR0), ADDI(24, 24, 1), MFSPR(26, SRR1), ORI(26, 26, 0x2000), MTSPR(SRR1, 26), RFI,
    };
    put(s, 0x800, fpu, 6);
    put(s, 0xc00, here, 4);
}

static const uint32_t doze[] = { LIS(30, 0x0004), MTMSR(30), B_(0) };   /* MSR[POW], EE off */

static void start(sys *s, uint32_t pc, const uint32_t *prog, size_t n)
{
    put(s, pc, prog, n);
    put(s, pc + 4 * (uint32_t)n, doze, 3);
    emu_machine_invalidate_code(s->m, pc, 4 * n + 12);
    set(s, "msr", 0);
    set(s, "r24", 0);
    emu_cpu_set_pc(s->cpu, pc);
}

static void test_exceptions(sys *s)
{
    static const uint32_t p[] = {
        LI(3, 7), SC, LI(4, 8),               /* 0x3004: sc */
        0x00000000u, LI(5, 9),                /* 0x300c: illegal */
        TRAP, LI(6, 10),                      /* 0x3014: trap */
    };
    start(s, 0x3000, p, sizeof p / 4);
    ok(run(s, 100000) == EMU_EXEC_IDLE, "program ran to the doze");
    is_u64(reg(s, "r24"), 3, "three exceptions taken");
    is_u64(reg(s, "r5") + reg(s, "r6") + reg(s, "r4"), 27, "execution resumed after each");
    is_u64(reg(s, "r20"), 0x3014, "SRR0 of the trap is the trap");
    is_u64(reg(s, "r21") & 0x00020000u, 0x00020000u, "SRR1 says trap");
    is_u64(reg(s, "pc"), 0x3000 + 4 * 7 + 8, "PC at the doze loop");
}

static void test_bat(sys *s)
{
    /* DBAT0: EA 0x80000000 -> PA 0x00100000, 128 KiB, supervisor valid, read/write */
    static const uint32_t p[] = {
        LIS(3, 0x8000), ORI(3, 3, 0x0002), MTSPR(DBAT0U, 3),
        LIS(3, 0x0010), ORI(3, 3, 0x0002), MTSPR(DBAT0L, 3),
        MFMSR(4), ORI(4, 4, 0x10), MTMSR(4), ISYNC,   /* DR on */
        LIS(5, 0x8000), LIS(6, 0x1234), ORI(6, 6, 0x5678), STW(6, 0x40, 5), LWZ(7, 0x40, 5),
        MFMSR(4), RLWINM(4, 4, 0, 28, 26), MTMSR(4),  /* DR off again */
    };
    start(s, 0x3000, p, sizeof p / 4);
    run(s, 100000);
    is_u64(get(s, 0x00100040), 0x12345678, "BAT store reached the physical page");
    is_u64(reg(s, "r7"), 0x12345678, "BAT load");
}

static void test_page_table(sys *s)
{
    /* HTAB at 0x00200000 (64 KiB), SR1 VSID 0x123; PTE for EA 0x10000000 -> PA 0x00300000 */
    uint32_t vsid = 0x123, ea = 0x10000000, pa = 0x00300000;
    uint32_t pgidx = (ea >> 12) & 0xffff, hash = (vsid & 0x7ffff) ^ pgidx;
    uint32_t pteg = 0x00200000 | ((hash & 0x3ff) << 6);
    for (uint32_t a = 0x00200000; a < 0x00210000; a += 4)
        emu_space_write(s->space, a, 4, EMU_BIG_ENDIAN, 0);
    uint32_t pte[2] = { 0x80000000u | vsid << 7 | (pgidx >> 10), pa | 0x2 };
    put(s, pteg + 8, pte, 2);   /* slot 1 of the primary group */
    static const uint32_t p[] = {
        LIS(3, 0x0020), MTSPR(SDR1, 3),
        LI(3, 0x123), MTSR(1, 3),
        MFMSR(4), ORI(4, 4, 0x10), MTMSR(4), ISYNC,
        LIS(5, 0x1000), LWZ(7, 0x20, 5),          /* read first: R set, C not yet */
        LI(6, 0x55), STW(6, 0x24, 5),             /* then write: C set */
        LIS(8, 0x1000), ORI(8, 8, 0x1000), LWZ(9, 0, 8),   /* no PTE: DSI, skipped */
        TLBIE(5),
        MFMSR(4), RLWINM(4, 4, 0, 28, 26), MTMSR(4),
    };
    emu_space_write(s->space, pa + 0x20, 4, EMU_BIG_ENDIAN, 0xcafef00d);
    start(s, 0x3000, p, sizeof p / 4);
    run(s, 100000);
    is_u64(reg(s, "r7"), 0xcafef00d, "page table load");
    is_u64(get(s, pa + 0x24), 0x55, "page table store");
    is_u64(get(s, pteg + 12) & 0x180, 0x180, "referenced and changed bits set");
    is_u64(reg(s, "r24"), 1, "one DSI for the page without a PTE");
    is_u64(reg(s, "r22"), 0x10001000, "DAR");
    is_u64(reg(s, "r23"), 0x40000000, "DSISR: no PTE (load)");
}

static void test_isi(sys *s)
{
    /* rfi to 0x40000000 with IR on and no BAT or PTE: the fetch takes an ISI there */
    static const uint32_t p[] = {
        LIS(3, 0x0020), MTSPR(SDR1, 3),
        LI(4, 0x30), MTSPR(SRR1, 4),
        LIS(5, 0), ORI(5, 5, 0x3000 + 4 * 10), MTLR(5),     /* the handler returns to the doze */
        LIS(5, 0x4000), MTSPR(SRR0, 5), RFI,
    };
    start(s, 0x3000, p, sizeof p / 4);
    ok(run(s, 2000) == EMU_EXEC_IDLE, "ISI: finished");
    is_u64(reg(s, "r24"), 1, "instruction fetch without a translation takes an ISI");
    is_u64(reg(s, "r20"), 0x40000000u, "SRR0 is the address fetched");
    is_u64(reg(s, "r21") & 0x40000000u, 0x40000000u, "SRR1: no PTE");
}

static void test_fp_unavailable(sys *s)
{
    static const uint32_t p[] = {
        LI(3, 0x40), P_D(50, 1, 3, 0) /* lfd f1,0(r3) */, P_D(50, 2, 3, 0),
    };
    start(s, 0x3000, p, sizeof p / 4);
    run(s, 1000);
    is_u64(reg(s, "r24"), 1, "FP unavailable taken once, then the FPU is on");
    is_u64(reg(s, "r20"), 0x3004, "SRR0 is the FP instruction");
}

static void test_single_step(sys *s)
{
    /* rfi into single-step mode (MSR[SE]); a trace interrupt follows each instruction, the
       branch's one at the branch target */
    static const uint32_t p[] = {
        LI(4, 0x400), MTSPR(SRR1, 4),
        LIS(5, 0), ORI(5, 5, 0x3000 + 4 * 7), MTSPR(SRR0, 5), LI(27, 0), RFI,
        LI(5, 1), B_(8), 0, LI(6, 2), LI(7, 3),
    };
    start(s, 0x3000, p, sizeof p / 4);
    ok(run(s, 10000) == EMU_EXEC_IDLE, "single step: finished");
    is_u64(reg(s, "r27"), 3, "three trace interrupts until the handler turned SE off");
    is_u64(reg(s, "r28"), 0x3000 + 4 * 10, "the trace after a branch reports its target");
    is_u64(reg(s, "r7"), 3, "execution went on after stepping");
}

static void test_interrupts(sys *s)
{
    /* decrementer: DEC = 50 ticks, EE on, spin until the handler counted */
    static const uint32_t p[] = {
        LI(3, 50), MTSPR(DEC, 3),
        MFMSR(4), ORI(4, 4, 0x8000), MTMSR(4),
        CMPWI(0, 24, 0), BEQ(-4),
        MFMSR(4), RLWINM(4, 4, 0, 17, 15), MTMSR(4),
    };
    start(s, 0x3000, p, sizeof p / 4);
    ok(run(s, 1000000) == EMU_EXEC_IDLE, "decrementer: finished");
    is_u64(reg(s, "r24"), 1, "decrementer interrupt taken once");
    is_u64(reg(s, "r20"), 0x3000 + 4 * 5, "SRR0 at the start of the spin loop block");

    /* external interrupt: raise the "int" line while the CPU spins with EE on */
    static const uint32_t q[] = {
        MFMSR(4), ORI(4, 4, 0x8000), MTMSR(4),
        CMPWI(0, 24, 0), BEQ(-4),
        MFMSR(4), RLWINM(4, 4, 0, 17, 15), MTMSR(4),
    };
    start(s, 0x3000, q, sizeof q / 4);
    run(s, 5000);
    is_u64(reg(s, "r24"), 0, "no interrupt while the line is low");
    s->dev->type->set_input(s->dev, 0, 0, 1);
    ok(run(s, 100000) != EMU_EXEC_RAN, "external interrupt: finished");
    is_u64(reg(s, "r24"), 1, "external interrupt taken");
    s->dev->type->set_input(s->dev, 0, 0, 0);

    static const uint32_t t[] = { MFTB(3), LI(4, 100), MTCTR(4), BDNZ(0), MFTB(5), SUBF(6, 3, 5) };
    start(s, 0x3000, t, sizeof t / 4);
    run(s, 100000);
    ok(reg(s, "r6") > 0 && reg(s, "r6") < 1000, "time base advances with the instruction count (%llu)",
       (unsigned long long)reg(s, "r6"));
}

/* Memory and execution hooks (the Lua API's engine side). */
typedef struct seen { unsigned reads, writes, execs, blocks; uint64_t wvalue, rpc; } seen;

static void on_read(void *opaque, emu_hook_event *ev)
{
    seen *w = opaque;
    w->reads++;
    w->rpc = ev->pc;
    ev->replace = true;
    ev->value = 0x1234;
}

static void on_write(void *opaque, emu_hook_event *ev)
{
    seen *w = opaque;
    w->writes++;
    w->wvalue = ev->value;
}

static void on_exec(void *opaque, emu_hook_event *ev)
{
    ((seen *)opaque)->execs++;
}

static void on_block(void *opaque, emu_hook_event *ev)
{
    ((seen *)opaque)->blocks++;
}

static void test_hooks(sys *s)
{
    seen w = { 0 };
    emu_error *err = NULL;
    emu_hook_spec r = { .kind = EMU_HOOK_READ, .lo = 0x7000, .hi = 0x7003, .fn = on_read, .opaque = &w };
    emu_hook_spec wr = { .kind = EMU_HOOK_WRITE, .lo = 0x7004, .hi = 0x7007, .fn = on_write, .opaque = &w };
    emu_hook_spec ex = { .kind = EMU_HOOK_EXEC, .lo = 0x3000 + 4 * 3, .hi = 0x3000 + 4 * 3, .fn = on_exec,
                          .opaque = &w };
    emu_hook_spec bl = { .kind = EMU_HOOK_BLOCK, .lo = 0x3000 + 4 * 6, .hi = 0x3000 + 4 * 6, .fn = on_block,
                          .opaque = &w };
    emu_hook_id ids[4] = { emu_hooks_add(s->m, &r, &err), emu_hooks_add(s->m, &wr, &err),
                           emu_hooks_add(s->m, &ex, &err), emu_hooks_add(s->m, &bl, &err) };
    static const uint32_t p[] = {
        LI(3, 0x7777), STW(3, 0x7004, 0), LI(4, 3), MTCTR(4),      /* exec hook on MTCTR */
        LWZ(5, 0x7000, 0), LWZ(6, 0x7010, 0),
        ADDI(7, 7, 1), BDNZ(-4),           /* a block starts at 0x3018 for the 2nd and 3rd rounds */
    };
    set(s, "r7", 0);
    start(s, 0x3000, p, sizeof p / 4);
    run(s, 10000);
    is_u64(w.writes, 1, "write hook: one store");
    is_u64(w.wvalue, 0x7777, "write hook: the value stored");
    is_u64(get(s, 0x7004), 0x7777, "the store happened");
    is_u64(w.reads, 1, "read hook: only the watched word");
    is_u64(w.rpc, 0x3010, "read hook: PC of the load");
    is_u64(reg(s, "r5"), 0x1234, "read hook replaced the value");
    is_u64(w.execs, 1, "exec hook: once");
    is_u64(w.blocks, 2, "block hook: every execution of the block, the chained one too");
    for (int i = 0; i < 4; i++)
        emu_hooks_remove(s->m, ids[i]);
    w = (seen){ 0 };
    start(s, 0x3000, p, sizeof p / 4);
    run(s, 10000);
    is_u64(w.reads + w.writes + w.execs + w.blocks, 0, "removed hooks no longer fire");
    is_u64(reg(s, "r5"), get(s, 0x7000), "loads see memory again");
}

int main(void)
{
    sys s;
    int status;
    if (!sys_open(&s, "ppc-system-test", &status))
        return status;
    is_u64(reg(&s, "pc"), 0xfff00100u, "reset PC");
    is_u64(reg(&s, "msr"), 0x40, "reset MSR (IP)");
    install_vectors(&s);
    test_exceptions(&s);
    test_bat(&s);
    test_page_table(&s);
    test_isi(&s);
    test_single_step(&s);
    test_fp_unavailable(&s);
    test_interrupts(&s);
    test_hooks(&s);
    emu_machine_free(s.m);
    tap_done();
    return 0;
}
