/* System-mode execution paths of the engine on an in-process machine (RAM + a ppc604): stores
 * into the code of the running block (each store form leaves the block before the next
 * instruction, with the instruction count exact), loads and stores that cross into a page of
 * another RAM region (never taken by the TLB fast path), accesses at addresses known when the
 * block is compiled, pages whose TLB entries collide, and blocks that go on at the target of a
 * call, after its return and after a conditional branch not taken.  Bare-metal code is
 * hand-assembled; the CPU runs with translation off unless a test turns it on. */
#include <stdio.h>
#include "../tap.h"
#include "clock/clock.h"
#include "emu/memory.h"
#include "exec/exec.h"
#include "object.h"
#include "plugins.h"
#include "ppc-sys.h"

#define LWZX(t, a, b) P_X(31, t, a, b, 23, 0)
#define STWX(s, a, b) P_X(31, s, a, b, 151, 0)
enum { DBAT0U = 536, DBAT0L = 537, DBAT1U = 538, DBAT1L = 539, SRR0 = 26, SRR1 = 27, DAR = 19 };
#define LHZ(t, d, a) P_D(40, t, a, d)
#define BLT(off) BC(12, 0, off)
#define SLWI(a, s, n) RLWINM(a, s, n, 0, 31 - (n))

/* Run like the run loop does until the CPU dozes; the instructions it executed. */
static uint64_t run(sys *s)
{
    uint64_t before = emu_cpu_icount(s->cpu);
    for (unsigned i = 0; i < 1000; i++) {
        uint64_t n = 0;
        emu_exec_status st = emu_exec_run(s->m, 1000, &n);
        emu_clock_advance_to(s->m, emu_clock_ns(s->m) + n * emu_clock_ns_per_insn(s->m));
        emu_clock_run_due(s->m);
        if (st == EMU_EXEC_IDLE)
            break;
    }
    return emu_cpu_icount(s->cpu) - before;
}

/* The program, then a doze (MSR[POW]; the mtmsr is the last instruction counted). */
static void start(sys *s, uint32_t pc, const uint32_t *prog, size_t n)
{
    static const uint32_t doze[] = { LIS(30, 0x0004), MTMSR(30), B_(0) };
    put(s, pc, prog, n);
    put(s, pc + 4 * (uint32_t)n, doze, 3);
    emu_machine_invalidate_code(s->m, pc, 4 * n + 12);
    set(s, "msr", 0);
    emu_cpu_set_pc(s->cpu, pc);
}

/* A store in the block patches "li r5, 1" at 0x3014 further down the same block.  The address
   comes from constants in the block (known when it is compiled) or from a register set before. */
static void test_store_into_block(sys *s, bool constant)
{
    const char *how = constant ? "constant address" : "address from a register";
    static const struct {
        const char *name;
        uint32_t value;     /* r3 */
        uint32_t store;     /* the store instruction (r4 = 0x3010) */
        uint32_t want_r5;
    } cases[] = {
        { "stw", LI(5, 2), STW(3, 4, 4), 2 },
        { "stb", 7, STB(3, 7, 4), 7 },
        { "sth", 9, STH(3, 6, 4), 9 },
        { "stwu (the store is not the last step of the instruction)", LI(5, 3), STWU(3, 4, 4), 3 },
        { "stmw (several stores in one instruction)", 0, STMW(30, 0, 4), 4 },
        { "stwx", LI(5, 5), STWX(3, 4, 29), 5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t prog[] = {
            constant ? LIS(4, 0) : NOP, constant ? ORI(4, 4, 0x3010) : NOP,
            cases[i].store,            /* 0x3008 */
            LI(7, 9),                  /* 0x300c: a constant move right after the store */
            NOP,                       /* 0x3010 */
            LI(5, 1),                  /* 0x3014: patched */
            ADDI(6, 5, 100),
        };
        start(s, 0x3000, prog, sizeof prog / sizeof *prog);
        set(s, "r3", cases[i].value);
        set(s, "r30", NOP);            /* stmw r30: to 0x3010 and 0x3014 */
        set(s, "r31", LI(5, 4));
        set(s, "r4", constant ? 0 : 0x3010);
        set(s, "r7", 0);
        set(s, "r29", 4);          /* stwx: the index */
        uint64_t n = run(s);
        is_u64(reg(s, "r5"), cases[i].want_r5, "%s, %s: the patched instruction ran", cases[i].name, how);
        is_u64(reg(s, "r6"), cases[i].want_r5 + 100, "%s, %s: and the one after it", cases[i].name, how);
        is_u64(reg(s, "r7"), 9, "%s, %s: the move after the store", cases[i].name, how);
        is_u64(n, 9, "%s, %s: instruction count exact", cases[i].name, how);
    }
}

/* Accesses that straddle the end of one RAM region and the start of another (mapped right
   after it, a separate host buffer): byte by byte on the slow path. */
static void test_cross_region(sys *s, bool constant)
{
    const char *how = constant ? "constant address" : "address from a register";
    uint32_t edge = 16 << 20;    /* RAM ends here, the second region starts here */
    emu_space_write(s->space, edge - 4, 4, EMU_BIG_ENDIAN, 0x11223344);
    emu_space_write(s->space, edge, 4, EMU_BIG_ENDIAN, 0x55667788);
    const uint32_t prog[] = {
        constant ? LIS(4, 0x0100) : NOP,   /* r4 = edge */
        LWZ(5, -2, 4),                  /* 0x33445566 */
        LHZ(6, -1, 4),                  /* 0x4455 */
        LIS(7, 0xa1b2), ORI(7, 7, 0xc3d4),
        STW(7, -1, 4),                  /* 0x112233a1 / 0xb2c3d488 */
        LIS(10, 0x77), ORI(10, 10, 0x88),     /* a constant move right after the store */
        LWZ(8, -4, 4), LWZ(9, 0, 4),
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    set(s, "r4", edge);
    run(s);
    is_u64(reg(s, "r5"), 0x33445566, "word load across two RAM regions, %s", how);
    is_u64(reg(s, "r6"), 0x4455, "halfword load across two RAM regions, %s", how);
    is_u64(reg(s, "r8"), 0x112233a1, "word store across: the first region's bytes, %s", how);
    is_u64(reg(s, "r9"), 0xb2c3d488, "word store across: the second region's bytes, %s", how);
    is_u64(get(s, edge), 0xb2c3d488, "the store reached the second region, %s", how);
    is_u64(reg(s, "r10"), 0x770088, "the move after the store, %s", how);
}

/* Constant addresses whose pages share a TLB entry: each access finds the entry holding the
   other page and takes the slow path, which refills it. */
static void test_shared_tlb_entry(sys *s)
{
    emu_space_write(s->space, 0x100010, 4, EMU_BIG_ENDIAN, 0x0a0a0a0a);
    emu_space_write(s->space, 0x200010, 4, EMU_BIG_ENDIAN, 0x0b0b0b0b);
    static const uint32_t prog[] = {
        LIS(10, 0x0010), LIS(11, 0x0020),
        LWZ(5, 0x10, 10), LWZ(6, 0x10, 11), LWZ(7, 0x10, 10),
        LI(3, 0x55), STB(3, 0x11, 11), LWZ(8, 0x10, 11), STB(3, 0x12, 10), LWZ(9, 0x10, 10),
        ADDI(12, 12, 1), CMPWI(0, 12, 3), BNE(-48),      /* three times, the block translated once */
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    set(s, "r12", 0);
    uint64_t n = run(s);
    is_u64(reg(s, "r5"), 0x0a0a550a, "first page through the shared entry");
    is_u64(reg(s, "r6"), 0x0b550b0b, "second page through the shared entry");
    is_u64(reg(s, "r7"), 0x0a0a550a, "first page again");
    is_u64(reg(s, "r8"), 0x0b550b0b, "a byte stored to the second page");
    is_u64(reg(s, "r9"), 0x0a0a550a, "a byte stored to the first page");
    is_u64(n, 3 * 13 + 2, "instruction count");
}

/* A translation pushed out of the TLB by a colliding page, then changed (a BAT write): the
   next access sees the new mapping, not the remembered one. */
static void test_evicted_translation_changed(sys *s)
{
    emu_space_write(s->space, 0x100010, 4, EMU_BIG_ENDIAN, 0x1111);
    emu_space_write(s->space, 0x200010, 4, EMU_BIG_ENDIAN, 0x2222);
    emu_space_write(s->space, 0x400010, 4, EMU_BIG_ENDIAN, 0x4444);
    static const uint32_t prog[] = {
        LIS(3, 0x8000), ORI(3, 3, 2), MTSPR(DBAT0U, 3),     /* EA 0x80000000, 128 KiB */
        LIS(3, 0x0010), ORI(3, 3, 2), MTSPR(DBAT0L, 3),     /* -> PA 0x00100000 */
        LI(3, 0x1ffe), MTSPR(DBAT1U, 3), LI(3, 2), MTSPR(DBAT1L, 3),   /* EA 0: 256 MiB, identity */
        MFMSR(4), ORI(4, 4, 0x10), MTMSR(4), ISYNC,         /* data translation on */
        LIS(5, 0x8000), LWZ(6, 0x10, 5),
        LIS(7, 0x0020), LWZ(8, 0x10, 7),                    /* the same TLB entry as 0x80000000 */
        LIS(3, 0x0040), ORI(3, 3, 2), MTSPR(DBAT0L, 3), ISYNC,   /* now -> PA 0x00400000 */
        LWZ(9, 0x10, 5), LWZ(10, 0x10, 7),
        MFMSR(4), RLWINM(4, 4, 0, 28, 26), MTMSR(4),
        LI(3, 0), MTSPR(DBAT0U, 3), MTSPR(DBAT1U, 3),
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    run(s);
    is_u64(reg(s, "r6"), 0x1111, "BAT mapping");
    is_u64(reg(s, "r8"), 0x2222, "the colliding page");
    is_u64(reg(s, "r9"), 0x4444, "the changed BAT mapping, not the evicted entry");
    is_u64(reg(s, "r10"), 0x2222, "the colliding page again");
}

/* Conditional branches inside a block (it goes on after one not taken): a loop whose body
   branches both ways, its exits chained over a hundred iterations. */
static void test_branches_in_block(sys *s)
{
    static const uint32_t prog[] = {
        LI(3, 0), LI(4, 0), LI(5, 0), LI(12, 0),
        ADDI(12, 12, 1),                /* 0x3010 */
        RLWINM(6, 12, 0, 31, 31),
        CMPWI(0, 6, 0),
        BEQ(12),                        /* even: to 0x3028 */
        ADDI(3, 3, 1),                  /* odd */
        B_(8),                          /* to 0x302c */
        ADDI(4, 4, 1),                  /* 0x3028: even */
        CMPWI(0, 12, 100),              /* 0x302c */
        BNE(-0x20),                     /* to 0x3010 */
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    uint64_t n = run(s);
    is_u64(reg(s, "r3"), 50, "branches in a block: odd iterations");
    is_u64(reg(s, "r4"), 50, "branches in a block: even iterations");
    is_u64(reg(s, "r12"), 100, "branches in a block: iterations");
    is_u64(n, 4 + 50 * 8 + 50 * 7 + 2, "branches in a block: instruction count exact");
}

/* Pairs of instructions the interpreter runs as one record: lis + addi/ori (one constant),
   lis + lwz/stw (the constant, then the access at a constant address), lwzx/stwx (the sum
   of two registers as the address) — with their results, their slow paths, and a fault on
   the access of a pair (precise: after the lis, at the lwz). */
static void test_pairs(sys *s)
{
    static const uint32_t dsi[] = {           /* count in r24, SRR0 in r20, DAR in r21; skip */
        MFSPR(20, SRR0), MFSPR(21, DAR), ADDI(24, 24, 1), ADDI(25, 20, 4), MTSPR(SRR0, 25), RFI,
    };
    put(s, 0x300, dsi, 6);
    emu_machine_invalidate_code(s->m, 0x300, 24);
    uint32_t edge = 16 << 20;
    emu_space_write(s->space, edge - 4, 4, EMU_BIG_ENDIAN, 0x11223344);
    emu_space_write(s->space, edge, 4, EMU_BIG_ENDIAN, 0x55667788);
    emu_space_write(s->space, 0x100020, 4, EMU_BIG_ENDIAN, 0xabcd0123);
    static const uint32_t prog[] = {
        LIS(17, 0x1234), ADDI(17, 17, 0x5678),            /* 0x12345678 */
        LIS(4, 0x1234), ORI(4, 4, 0x8765),                /* 0x12348765 */
        LIS(10, 0x0010), LWZ(11, 0x20, 10),               /* 0xabcd0123 */
        LIS(10, 0x0010), STW(17, 0x24, 10),
        NOP, LWZX(12, 10, 18),                            /* r18 = 0x24 (from before): 0x12345678 */
        STWX(4, 10, 18), LWZ(13, 0x24, 10),               /* 0x12348765 */
        LIS(5, 0x00ff), ORI(5, 5, 0xfffe), NOP,
        LWZX(14, 5, 19),                                  /* r19 = 0; across two regions: 0x33445566 */
        LIS(7, 0xa1b2), ORI(7, 7, 0xc3d4), STWX(7, 5, 19), /* across: 0x1122a1b2 / 0xc3d47788 */
        NOP, STWU(17, -16, 28), LWZU(29, 8, 28),          /* r28 = 0x100100 (from before) */
        LI(3, 0x1ffe), MTSPR(DBAT1U, 3), LI(3, 2), MTSPR(DBAT1L, 3),   /* EA 0: 256 MiB, identity */
        MFMSR(8), ORI(8, 8, 0x10), MTMSR(8), ISYNC,       /* data translation on */
        LIS(15, 0x9000), LWZ(16, 0x10, 15),               /* 0x307c: no translation: DSI */
        LWZU(16, 0x20, 15),                               /* 0x3080: DSI, r15 not updated */
        SLWI(27, 27, 2), LWZX(16, 15, 27),                /* r27 = 4 (from before); 0x3088: DSI */
        MFMSR(8), RLWINM(8, 8, 0, 28, 26), MTMSR(8),
        LI(3, 0), MTSPR(DBAT1U, 3),
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    set(s, "r24", 0);
    set(s, "r16", 7);
    set(s, "r18", 0x24);     /* index registers the block knows nothing about */
    set(s, "r19", 0);
    set(s, "r28", 0x100100);
    set(s, "r27", 4);
    emu_space_write(s->space, 0x1000f8, 4, EMU_BIG_ENDIAN, 0x5a5a5a5a);
    uint64_t n = run(s);
    is_u64(reg(s, "r17"), 0x12345678, "lis + addi");
    is_u64(reg(s, "r4"), 0x12348765, "lis + ori");
    is_u64(reg(s, "r11"), 0xabcd0123, "lis + lwz");
    is_u64(reg(s, "r12"), 0x12345678, "lis + stw, then lwzx");
    is_u64(reg(s, "r13"), 0x12348765, "stwx");
    is_u64(reg(s, "r14"), 0x33445566, "lwzx across two RAM regions");
    is_u64(get(s, edge - 4), 0x1122a1b2, "stwx across: the first region's bytes");
    is_u64(get(s, edge), 0xc3d47788, "stwx across: the second region's bytes");
    is_u64(get(s, 0x1000f0), 0x12345678, "stwu: the store");
    is_u64(reg(s, "r29"), 0x5a5a5a5a, "lwzu: the load");
    is_u64(reg(s, "r28"), 0x1000f8, "stwu, lwzu: the base register updated");
    is_u64(reg(s, "r24"), 3, "lis + lwz, lwzu, slwi + lwzx without a translation: three DSIs");
    is_u64(reg(s, "r20"), 0x3000 + 4 * 34, "SRR0 is the lwzx");
    is_u64(reg(s, "r21"), 0x90000010, "DAR");
    is_u64(reg(s, "r27"), 16, "the slwi before the faulting lwzx ran");
    is_u64(reg(s, "r15"), 0x90000000, "the lis before the faulting lwz ran, the lwzu did not update");
    is_u64(reg(s, "r16"), 7, "the lwz, lwzu, lwzx did not load");
    is_u64(n, sizeof prog / sizeof *prog - 3 + 3 * 6 + 2, "instruction count exact (the lwz, lwzu, lwzx did not complete)");
}

/* Direct jumps to a third page (a block spans at most two): twenty round trips through
   blocks on pages 0x4000+0x6000 and 0x7000, each jump to another page. */
static void test_jumps_across_pages(sys *s)
{
    static const uint32_t a[] = { ADDI(4, 4, 1), BL(0x6000 - 0x4ffc) };             /* 0x4ff8 */
    static const uint32_t b[] = { ADDI(3, 3, 1), B_(0x7000 - 0x6004) };              /* 0x6000 */
    static const uint32_t c[] = { CMPWI(0, 4, 20), BNE(0x4ff8 - 0x7004), B_(0x300c - 0x7008) };
    put(s, 0x4ff8, a, 2);
    put(s, 0x6000, b, 2);
    put(s, 0x7000, c, 3);
    emu_machine_invalidate_code(s->m, 0x4000, 0x4000);
    static const uint32_t prog[] = { LI(3, 0), LI(4, 0), B_(0x4ff8 - 0x3008) };     /* then 0x300c */
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    uint64_t n = run(s);
    is_u64(reg(s, "r4"), 20, "jumps across pages: round trips");
    is_u64(reg(s, "r3"), 20, "jumps across pages: the called page each time");
    is_u64(n, 3 + 20 * 6 + 1 + 2, "jumps across pages: instruction count exact");
}

/* A block with more exits than chaining slots (ten conditional branches), three rounds in
   which each exit is taken once. */
static void test_many_exits(sys *s)
{
    uint32_t prog[2 + 20 + 4];
    prog[0] = LI(5, 0);
    prog[1] = LI(6, 0);
    for (unsigned k = 0; k < 10; k++) {
        prog[2 + 2 * k] = CMPWI(0, 5, k);                        /* 0x3008 + 8k */
        prog[3 + 2 * k] = BEQ(0xf4 + 8 * k);                     /* to 0x3100 + 16k */
        uint32_t h[] = { ADDI(6, 6, k + 1), ADDI(5, 5, 1), B_(0x3008 - (0x3108 + 16 * k)) };
        put(s, 0x3100 + 16 * k, h, 3);
    }
    prog[22] = ADDI(8, 8, 1);        /* a round done */
    prog[23] = LI(5, 0);
    prog[24] = CMPWI(0, 8, 3);
    prog[25] = BNE(0x3008 - 0x3064);
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    emu_machine_invalidate_code(s->m, 0x3100, 0x100);
    set(s, "r8", 0);
    uint64_t n = run(s);
    is_u64(reg(s, "r8"), 3, "many exits: rounds");
    is_u64(reg(s, "r6"), 3 * 55, "many exits: each exit taken once a round");
    is_u64(n, 2 + 3 * (140 + 20 + 4) + 2, "many exits: instruction count exact");
}

/* A loop entered in the middle: the block that starts there goes on at the loop's start
   when its backward branch is taken, and stops before running into its own first
   instruction again. */
static void test_loop_entered_inside(sys *s)
{
    static const uint32_t prog[] = {
        LI(3, 0), LI(4, 0),
        B_(12),                         /* 0x3008: into the loop at 0x3014 */
        ADDI(3, 3, 1),                  /* 0x300c: loop start */
        ADDI(3, 3, 1),                  /* 0x3010 */
        ADDI(4, 4, 1),                  /* 0x3014 */
        CMPWI(0, 4, 10),
        BLT(-16),                       /* to 0x300c */
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    uint64_t n = run(s);
    is_u64(reg(s, "r4"), 10, "loop entered inside: iterations");
    is_u64(reg(s, "r3"), 18, "loop entered inside: the part before the entry point");
    is_u64(n, 3 + 3 + 9 * 5 + 2, "loop entered inside: instruction count exact");
}

/* The inner loop of a threaded-code interpreter (OpenBIOS's Forth): slwi + lwzx as one
   record, with the index either operand, and mtctr + bctr. */
static void test_threaded_next(sys *s)
{
    emu_space_write(s->space, 0x10010c, 4, EMU_BIG_ENDIAN, 0x600d0001);
    emu_space_write(s->space, 0x100130, 4, EMU_BIG_ENDIAN, 0x600d0002);
    static const uint32_t prog[] = {
        SLWI(22, 22, 2), LWZX(23, 21, 22),      /* r22 = 3 -> 12; 0x10010c */
        SLWI(22, 22, 2), LWZX(24, 22, 21),      /* 12 -> 48; 0x100130 */
        LIS(9, 0), ORI(9, 9, 0x3027), MTCTR(9), BCTR,   /* to 0x3024 (low bits ignored) */
        LI(25, 1),                              /* skipped */
        LI(26, 2),                              /* 0x3024 */
    };
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    set(s, "r21", 0x100100);
    set(s, "r22", 3);
    set(s, "r25", 0);
    uint64_t n = run(s);
    is_u64(reg(s, "r23"), 0x600d0001, "slwi + lwzx");
    is_u64(reg(s, "r24"), 0x600d0002, "slwi + lwzx, the index first");
    is_u64(reg(s, "r22"), 48, "the shifted index");
    is_u64(reg(s, "r25"), 0, "mtctr + bctr: jumped");
    is_u64(reg(s, "r26"), 2, "mtctr + bctr: to the target");
    is_u64(reg(s, "ctr"), 0x3027, "CTR");
    is_u64(n, 8 + 1 + 2, "instruction count exact");
}

/* Calls the block follows: a blr that finds the return address in LR goes on after the call,
   one whose LR the callee changed goes where LR points. */
static void test_calls(sys *s)
{
    static const uint32_t func1[] = { ADDI(3, 3, 1), BLR };                 /* 0x3104 */
    static const uint32_t func2[] = {                                        /* 0x310c */
        ADDI(3, 3, 100), LIS(9, 0), ORI(9, 9, 0x3018), MTLR(9), BLR,
    };
    static const uint32_t prog[] = {
        LI(3, 0),
        BL(0x100),            /* 0x3004 -> func1 */
        ADDI(3, 3, 10),       /* 0x3008 */
        BL(0x100),            /* 0x300c -> func2, which returns to 0x3018 */
        LI(4, 1),             /* 0x3010: skipped */
        LI(4, 2),             /* 0x3014: skipped */
        ADDI(3, 3, 1000),     /* 0x3018 */
    };
    put(s, 0x3104, func1, 2);
    put(s, 0x310c, func2, 5);
    emu_machine_invalidate_code(s->m, 0x3100, 0x100);
    start(s, 0x3000, prog, sizeof prog / sizeof *prog);
    set(s, "r4", 0);
    uint64_t n = run(s);
    is_u64(reg(s, "r3"), 1111, "calls: both callees and the code after each return ran");
    is_u64(reg(s, "r4"), 0, "calls: the return to a changed LR skipped the code after the call");
    is_u64(reg(s, "lr"), 0x3018, "calls: LR");
    is_u64(n, 14, "calls: instruction count exact");
}

int main(void)
{
    sys s;
    int status;
    if (!sys_open(&s, "ppc-sysexec-test", &status))
        return status;
    emu_error *err = NULL;
    emu_region *ram2 = emu_region_ram(s.m, "ram2", 1 << 20);
    if (emu_region_map(emu_space_root(s.space), 16 << 20, ram2, 0, &err) < 0) {
        printf("Bail out! %s\n", emu_error_message(err));
        return 1;
    }
    for (int constant = 0; constant < 2; constant++) {
        test_store_into_block(&s, constant);
        test_cross_region(&s, constant);
    }
    test_shared_tlb_entry(&s);
    test_evicted_translation_changed(&s);
    test_calls(&s);
    test_branches_in_block(&s);
    test_pairs(&s);
    test_jumps_across_pages(&s);
    test_many_exits(&s);
    test_loop_entered_inside(&s);
    test_threaded_next(&s);
    emu_machine_free(s.m);
    tap_done();
    return 0;
}
