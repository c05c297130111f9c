/* The engine and the PowerPC translator in user mode, in-process: hand-assembled programs,
 * stops (system call, fault, illegal, trap, budget, kick), precise state and instruction counts,
 * self-modifying code, two CPUs in two threads. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include "exec/exec.h"
#include "config.h"
#include "../tap.h"
#include "ppc-harness.h"

#define CODE 0x10000000u
#define DATA 0x20000000u
#define RWX (EMU_USER_PAGE_READ | EMU_USER_PAGE_WRITE | EMU_USER_PAGE_EXEC)
#define RW (EMU_USER_PAGE_READ | EMU_USER_PAGE_WRITE)
#define RUN(h, prog, st) (ph_code(h, CODE, prog, sizeof prog / 4), ph_run(h, CODE, 1000000, st))

static void test_loop(ph *h)
{
    /* r3 = sum 1..100 with a bdnz loop */
    static const uint32_t p[] = {
        LI(3, 0), LI(4, 100), MTCTR(4),
        ADD(3, 3, 4), ADDI(4, 4, -1), BDNZ(-8),
        SC,
    };
    emu_user_stop st;
    uint64_t ic0 = emu_cpu_icount(h->cpu);
    is_u64(RUN(h, p, &st), EMU_USER_STOP_SYSCALL, "loop: stops at sc");
    is_u64(ph_reg(h, "r3"), 5050, "loop: sum 1..100");
    is_u64(ph_reg(h, "ctr"), 0, "loop: ctr counted down");
    is_u64(st.pc, CODE + 7 * 4, "loop: pc after sc");
    is_u64(emu_cpu_icount(h->cpu) - ic0, 3 + 300 + 1, "loop: exact instruction count");
}

static void test_arith(ph *h)
{
    static const uint32_t p[] = {
        LIS(3, 0x8000), ADD_(5, 3, 3),              /* 0x80000000 * 2 = 0: CR0 EQ */
        MFCR(6),
        LI(7, -1), LI(8, 1), ADDC(9, 7, 8), ADDE(10, 0, 0),   /* carry: r10 = 1 */
        LI(11, 7), LI(12, 0), DIVW(13, 11, 12),     /* divide by zero: dividend (as QEMU) */
        LI(14, -100), LI(15, 7), DIVW(16, 14, 15), DIVWU(17, 14, 15),
        MULLW(18, 14, 15),
        LIS(19, 0x7fff), ORI(19, 19, 0xffff), ADDO_(20, 19, 8), MFXER(21), MFCR(22),
        RLWINM(23, 14, 8, 24, 31),                  /* rotate left 8, keep the low byte */
        CMPWI(3, 14, -100), CMPLWI(4, 14, 5), MFCR(24),
        SC,
    };
    emu_user_stop st;
    RUN(h, p, &st);
    is_u64(ph_reg(h, "r5"), 0, "add.: 32-bit wrap");
    is_u64(ph_reg(h, "r6") >> 28, 2, "add.: CR0 from the 32-bit result (EQ)");
    is_u64(ph_reg(h, "r9"), 0, "addc: sum");
    is_u64(ph_reg(h, "r10"), 1, "adde: carry in");
    is_u64(ph_reg(h, "r13"), 7, "divw by 0 gives the dividend");
    is_u64(ph_reg(h, "r16"), (uint32_t)-14, "divw: truncates toward zero");
    is_u64(ph_reg(h, "r17"), 0xffffff9cu / 7, "divwu");
    is_u64(ph_reg(h, "r18"), (uint32_t)-700, "mullw");
    is_u64(ph_reg(h, "r20"), 0x80000000u, "addo.: result");
    is_u64(ph_reg(h, "r21") >> 30, 3, "addo.: SO and OV set");
    is_u64(ph_reg(h, "r22") >> 28, 8 | 1, "addo.: CR0 LT and SO");
    is_u64(ph_reg(h, "r23"), 0xff, "rlwinm");
    is_u64((ph_reg(h, "r24") >> 12) & 0xff, 0x35, "cmpwi: EQ in cr3, cmplwi: GT in cr4, both with SO");
}

static void test_memory(ph *h)
{
    ph_map(h, DATA, 0x2000, RW);
    ph_put32(h, DATA, 0x11223344);
    static const uint32_t p[] = {
        LIS(3, DATA >> 16),
        LWZ(4, 0, 3), LBZ(5, 1, 3), LHA(6, 2, 3),
        LWBRX(7, 0, 3),
        LI(8, 8), STWBRX(4, 3, 8),                   /* DATA+8 = 44 33 22 11 */
        LIS(9, 0xdead), STWU(9, 16, 3),              /* r3 = DATA+16 */
        STH(9, 4, 3), STB(4, 6, 3),
        LI(28, 28), LI(29, 29), LI(30, 30), LI(31, 31),
        STMW(28, 32, 3), LMW(24, 32, 3),             /* r24..r31 = mem; r24..27 = 28..31 */
        SC,
    };
    emu_user_stop st;
    RUN(h, p, &st);
    is_u64(ph_reg(h, "r4"), 0x11223344, "lwz big-endian");
    is_u64(ph_reg(h, "r5"), 0x22, "lbz");
    is_u64(ph_reg(h, "r6"), 0x3344, "lha");
    is_u64(ph_reg(h, "r7"), 0x44332211, "lwbrx");
    is_u64(ph_get32(h, DATA + 8), 0x44332211, "stwbrx");
    is_u64(ph_reg(h, "r3"), DATA + 16, "stwu updates rA");
    is_u64(ph_get32(h, DATA + 16), 0xdead0000u, "stwu stores");
    is_u64(ph_get32(h, DATA + 20), 0x00004400u, "sth and stb");
    is_u64(ph_reg(h, "r24"), 28, "stmw/lmw round trip (first)");
    is_u64(ph_reg(h, "r27"), 31, "stmw/lmw round trip (last)");
}

static void test_stops(ph *h)
{
    emu_user_stop st;
    static const uint32_t fault[] = { LI(3, 1), LI(4, 2), LIS(5, 0x3000), LWZ(6, 8, 5), LI(7, 3), SC };
    uint64_t ic0 = emu_cpu_icount(h->cpu);
    is_u64(RUN(h, fault, &st), EMU_USER_STOP_FAULT, "load from an unmapped page faults");
    is_u64(st.addr, 0x30000008u, "fault address");
    is_u64(st.access, EMU_ACCESS_READ, "fault is a read");
    is_u64(st.pc, CODE + 12, "fault PC is the load");
    is_u64(ph_reg(h, "pc"), CODE + 12, "PC register too");
    is_u64(emu_cpu_icount(h->cpu) - ic0, 3, "instructions before the fault counted exactly");
    is_u64(ph_reg(h, "r4"), 2, "state before the fault kept");

    static const uint32_t wfault[] = { LIS(5, 0x3000), STW(5, 0, 5), SC };
    is_u64(RUN(h, wfault, &st), EMU_USER_STOP_FAULT, "store to an unmapped page faults");
    is_u64(st.access, EMU_ACCESS_WRITE, "fault is a write");

    static const uint32_t ill[] = { LI(3, 5), 0x00000000u, SC };
    is_u64(RUN(h, ill, &st), EMU_USER_STOP_ILLEGAL, "word 0 is illegal");
    is_u64(st.pc, CODE + 4, "illegal PC");
    is_u64(ph_reg(h, "r3"), 5, "instruction before it ran");

    static const uint32_t trap[] = { LI(3, 5), TRAP, SC };
    is_u64(RUN(h, trap, &st), EMU_USER_STOP_TRAP, "trap");
    is_u64(st.pc, CODE + 4, "trap PC");

    static const uint32_t priv[] = { P_X(31, 3, 0, 0, 83, 0) /* mfmsr */, SC };
    is_u64(RUN(h, priv, &st), EMU_USER_STOP_PRIV, "mfmsr in user mode is privileged");

    static const uint32_t spin[] = { ADDI(3, 3, 1), B_(-4) };
    ph_set(h, "r3", 0);
    ic0 = emu_cpu_icount(h->cpu);
    ph_code(h, CODE, spin, 2);
    is_u64(ph_run(h, CODE, 10000, &st), EMU_USER_STOP_BUDGET, "an endless loop stops at the budget");
    uint64_t n = emu_cpu_icount(h->cpu) - ic0;
    ok(n >= 10000 && n < 10000 + 64, "budget respected (%llu)", (unsigned long long)n);
    is_u64(ph_reg(h, "r3"), (n + 1) / 2, "count and state agree");

    ph_map(h, CODE + 0x4000, 0x1000, EMU_USER_PAGE_READ);   /* not executable */
    is_u64(ph_run(h, CODE + 0x4000, 100, &st), EMU_USER_STOP_FAULT, "executing a non-exec page faults");
    is_u64(st.access, EMU_ACCESS_EXEC, "fault is an execute");
}

static void test_smc(ph *h)
{
    /* the program rewrites its own `li r3,1` into `li r3,2` and runs it again */
    static const uint32_t p[] = {
        LI(4, 0),
        LI(3, 1),                         /* CODE+4: patched */
        CMPWI(0, 4, 0), BNE(28),          /* second pass: go to the end */
        LIS(5, CODE >> 16), LIS(6, LI(3, 2) >> 16), ORI(6, 6, LI(3, 2) & 0xffff),
        STW(6, 4, 5), LI(4, 1), B_(-32),
        SC,
    };
    emu_user_stop st;
    RUN(h, p, &st);
    is_u64(st.kind, EMU_USER_STOP_SYSCALL, "self-modifying code: finishes");
    is_u64(ph_reg(h, "r3"), 2, "self-modifying code: the new instruction ran");
}

/* Two CPUs in two host threads, each counting in its own data page. */
typedef struct thr { ph *h; emu_cpu *cpu; uint32_t data; emu_user_stop st; } thr;

static void *thread_main(void *arg)
{
    thr *t = arg;
    emu_cpu_set_pc(t->cpu, CODE + 0x8000);
    int i = emu_cpu_reg_find(t->cpu, "r3");
    emu_cpu_reg_write(t->cpu, (unsigned)i, t->data);
    emu_user_cpu_run(t->cpu, 100000000, &t->st);
    return NULL;
}

/* Both threads also increment one shared counter with lwarx/stwcx. */
#define LWARX(t, a, b) P_X(31, t, a, b, 20, 0)
#define STWCX(s, a, b) P_X(31, s, a, b, 150, 1)

static void test_threads(ph *h)
{
    static const uint32_t p[] = {
        LIS(4, 1), MTCTR(4), LI(5, 0), LIS(7, (DATA + 0x12000) >> 16), ORI(7, 7, (DATA + 0x12000) & 0xffff),
        LWZ(6, 0, 3), ADDI(6, 6, 1), STW(6, 0, 3),
        LWARX(8, 0, 7), ADDI(8, 8, 1), STWCX(8, 0, 7), BNE(-12),
        BDNZ(-28),
        SC,
    };
    ph_code(h, CODE + 0x8000, p, sizeof p / 4);
    ph_map(h, DATA + 0x10000, 0x3000, RW);
    emu_error *err = NULL;
    emu_cpu *c2 = emu_user_cpu_clone(h->cpu, "cpu1", &err);
    ok(c2 != NULL, "clone a CPU");
    if (!c2)
        return;
    thr a = { h, h->cpu, DATA + 0x10000, { 0 } }, b = { h, c2, DATA + 0x11000, { 0 } };
    pthread_t ta, tb;
    pthread_create(&ta, NULL, thread_main, &a);
    pthread_create(&tb, NULL, thread_main, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    is_u64(a.st.kind, EMU_USER_STOP_SYSCALL, "thread 1 finished");
    is_u64(b.st.kind, EMU_USER_STOP_SYSCALL, "thread 2 finished");
    is_u64(ph_get32(h, DATA + 0x10000), 0x10000, "thread 1 counted");
    is_u64(ph_get32(h, DATA + 0x11000), 0x10000, "thread 2 counted");
    is_u64(ph_get32(h, DATA + 0x12000), 0x20000, "lwarx/stwcx. increments of a shared counter are atomic");
    emu_user_cpu_free(c2);
}

static void *kicker(void *arg)
{
    usleep(20000);
    emu_user_cpu_kick(arg);
    return NULL;
}

static void test_kick_and_fp(ph *h)
{
    /* an endless loop with a huge budget, kicked from another thread */
    static const uint32_t spin[] = { ADDI(3, 3, 1), B_(-4) };
    emu_user_stop st;
    ph_code(h, CODE, spin, 2);
    pthread_t t;
    pthread_create(&t, NULL, kicker, h->cpu);
    is_u64(ph_run(h, CODE, 1ull << 40, &st), EMU_USER_STOP_KICK, "kick from another thread stops the run");
    pthread_join(t, NULL);

    /* enabled zero-divide: the FP stop at the fdiv, the target register unchanged */
    static const uint32_t fp[] = {
        NOP,
        (63u << 26) | (6u << 23) | (1u << 12) | (134u << 1),    /* mtfsfi 6,1: ZE */
        (63u << 26) | (3u << 21) | (1u << 16) | (2u << 11) | (18u << 1),   /* fdiv f3,f1,f2 */
        SC,
    };
    ph_set(h, "f1", 0x3ff0000000000000ull);
    ph_set(h, "f2", 0);
    ph_set(h, "f3", 0x4000000000000000ull);
    ph_set(h, "fpscr", 0);
    /* MSR[FE0,FE1] clear, as a Linux process starts: the exception is flagged, not taken */
    uint64_t msr = ph_reg(h, "msr");
    ph_set(h, "msr", msr & ~0x900ull);
    is_u64(RUN(h, fp, &st), EMU_USER_STOP_SYSCALL, "enabled zero-divide in ignore mode runs on");
    is_u64(ph_reg(h, "f3"), 0x4000000000000000ull, "the target register is unchanged");
    is_u64(ph_reg(h, "fpscr") & 0xc4000010u, 0xc4000010u, "FPSCR: FX, FEX, ZX, ZE");
    /* precise mode (what prctl(PR_SET_FPEXC, PR_FP_EXC_PRECISE) sets) */
    ph_set(h, "fpscr", 0);
    ph_set(h, "msr", msr | 0x900u);
    is_u64(RUN(h, fp, &st), EMU_USER_STOP_FP, "enabled zero-divide raises the FP exception");
    is_u64(st.code, EMU_FPE_ZERODIV, "its code says zero-divide");
    is_u64(st.pc, CODE + 8, "at the fdiv");
    is_u64(ph_reg(h, "f3"), 0x4000000000000000ull, "the target register is unchanged");
    is_u64(ph_reg(h, "fpscr") & 0xc4000010u, 0xc4000010u, "FPSCR: FX, FEX, ZX, ZE");
    ph_set(h, "fpscr", 0);
    ph_set(h, "msr", msr);
}

/* --trace-insns / --trace-ir output: the block disassembled and its IR, on stderr */
static void test_trace(ph *h)
{
    static const uint32_t p[] = { LI(3, 42), ADDI(4, 3, 1), SC };
    char path[] = "/tmp/emu-trace-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        ok(0, "temporary file for the trace");
        return;
    }
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    emu_exec_set_trace(EMU_EXEC_TRACE_INSNS | EMU_EXEC_TRACE_IR);
    emu_user_stop st;
    ph_code(h, CODE + 0x100, p, 3);
    emu_machine_invalidate_code(h->m, CODE + 0x100, 12);
    ph_run(h, CODE + 0x100, 100, &st);
    emu_exec_set_trace(0);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char buf[8192] = "";
    ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
    buf[n > 0 ? n : 0] = 0;
    close(fd);
    unlink(path);
    has_str(buf, "IN: block 0x10000100", "trace: the translated block is announced");
#ifdef HAVE_CAPSTONE
    has_str(buf, "li r3, 0x2a", "trace: Capstone disassembly");
#endif
    has_str(buf, "---- 0x10000104", "trace: IR with instruction markers");
    has_str(buf, "exit_excp", "trace: the block exit");
    has_str(buf, "exec cpu0 0x10000100", "trace: executed blocks");
}

int main(void)
{
    ph h;
    if (ph_init(&h, "ppc604") < 0) {
        printf("1..0 # SKIP cannot create a ppc604 user-mode CPU\n");
        return 0;
    }
    is_u64(ph_reg(&h, "pvr"), 0x00040103, "ppc604 PVR");
    test_loop(&h);
    test_arith(&h);
    test_memory(&h);
    test_stops(&h);
    test_smc(&h);
    test_threads(&h);
    test_kick_and_fp(&h);
    test_trace(&h);
    ph_fini(&h);
    tap_done();
    return 0;
}
