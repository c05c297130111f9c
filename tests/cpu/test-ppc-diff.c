/* Differential test of the PowerPC translator against qemu-ppc: random instruction streams
 * (fixed seeds, or `test-ppc-diff SEED [COUNT]` to explore) are wrapped in a tiny static ELF that
 * loads registers, runs the stream, dumps GPRs, CR, XER, LR, CTR, FPRs, FPSCR and a memory window
 * with write(2); the same image runs in-process on emu's engine and the dumps are compared.
 *
 * Where QEMU 7.2 departs from the hardware, emu follows the hardware and this test steers clear:
 *  - FPSCR[FR] (fraction rounded): QEMU never sets it; emu computes it.  The dump masks it and
 *    the stream clears it before each mffs.
 *  - fnmadd/fnmsub: the architecture rounds the fmadd/fmsub result, then negates it; QEMU negates
 *    first, which differs in the directed rounding modes.  The rounding mode is fixed per stream
 *    (from the initial FPSCR), and the negated forms are generated only in round-to-nearest.
 *  - fcmpu/fcmpo leave FPSCR[FI] and FPRF[C] alone (the 6xx manuals list only CR, FPCC, FX,
 *    VXSNAN, VXVC); QEMU clears FI, and sets C for an unordered fcmpo.  The stream clears FI and
 *    C itself after each compare.
 *  - fmadd family, zero times infinity with a signaling NaN addend: the architecture sets both
 *    VXIMZ and VXSNAN; QEMU sets only VXIMZ (seen with seed 1186). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../tap.h"
#include "ppc-harness.h"

#define BASE 0x10000000u          /* code */
#define DATA 0x10010000u          /* r31 points here */
#define D_GPR 0
#define D_FPR 128
#define D_CR 384
#define D_XER 388
#define D_LR 392
#define D_CTR 396
#define D_FPSCR 400               /* a double whose low word is the FPSCR */
#define D_DUMP 512
#define DUMP_CR (D_DUMP + 128)
#define DUMP_FPSCR (D_DUMP + 144)
#define DUMP_FPR (D_DUMP + 160)
#define D_WIN 1024
#define WIN 256
#define DUMP_LEN (D_WIN + WIN - D_DUMP)
#define IMAGE (DATA - BASE + 2048)

typedef struct gen {
    uint64_t s;
    unsigned rn;           /* the stream's rounding mode (FPSCR[RN]) */
    uint32_t *code;
    size_t n, cap;
    size_t *unit;          /* start of each generated unit (branches land on unit starts) */
    size_t nunits;
    size_t *branch_skip;   /* per unit: units to skip when it is a branch, else 0 */
} gen;

static uint64_t rnd(gen *g)
{
    g->s ^= g->s << 13;
    g->s ^= g->s >> 7;
    g->s ^= g->s << 17;
    return g->s;
}
static unsigned rn(gen *g, unsigned n) { return (unsigned)(rnd(g) % n); }
static void emit(gen *g, uint32_t w) { g->code[g->n++] = w; }

static const uint64_t fp_specials[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff4000000000000ull,
    0x0000000000000001ull, 0x800fffffffffffffull, 0x0010000000000000ull, 0x7fefffffffffffffull,
    0x3fd5555555555555ull, 0x4000000000000000ull, 0x3810000000000000ull, 0x36a0000000000000ull,
    0x47efffffe0000000ull, 0x3ff0000010000000ull, 0x4330000000000001ull, 0x41dfffffffc00000ull,
    0xc1e0000000200000ull, 0x3fe0000000000000ull, 0x3ff8000000000000ull, 0x7ff0000000000001ull,
};

static uint32_t rand_gpr_value(gen *g)
{
    static const uint32_t sp[] = { 0, 1, 0xffffffffu, 0x80000000u, 0x7fffffffu, 2, 31, 32, 33, 0x10000 };
    return rn(g, 3) ? sp[rn(g, 10)] : (uint32_t)rnd(g);
}

static unsigned rd_any(gen *g) { return rn(g, 31); }   /* never r31 (the data pointer) */
static unsigned r_src(gen *g) { return rn(g, 32); }

static void gen_int(gen *g)
{
    static const unsigned arith[] = { 8, 10, 11, 40, 75, 104, 136, 138, 200, 202, 232, 234, 235, 266, 459, 491 };
    static const unsigned logic[] = { 28, 60, 124, 284, 316, 412, 444, 476, 24, 536, 792 };
    unsigned rt = rd_any(g), ra = r_src(g), rb = r_src(g), rc = rn(g, 2);
    switch (rn(g, 9)) {
    case 0: case 1: {
        unsigned xo = arith[rn(g, 16)];
        unsigned oe = (xo == 11 || xo == 75) ? 0 : rn(g, 2);
        if (xo == 104 || xo == 200 || xo == 202 || xo == 232 || xo == 234)
            rb = 0;
        emit(g, P_X(31, rt, ra, rb, xo + 512 * oe, rc));
        break;
    }
    case 2: {
        static const unsigned dops[] = { 14, 15, 12, 13, 8, 7, 24, 25, 26, 27, 28, 29 };
        unsigned op = dops[rn(g, 12)];
        uint32_t imm = rn(g, 2) ? (uint32_t)rnd(g) : (uint32_t)(rn(g, 64) - 32);
        if (op >= 24)   /* logical immediates write rA */
            emit(g, P_D(op, r_src(g), rd_any(g), imm));
        else
            emit(g, P_D(op, rt, ra, imm));
        break;
    }
    case 3:
        emit(g, P_X(31, r_src(g), rt, rb, logic[rn(g, 11)], rc));
        break;
    case 4: {
        unsigned k = rn(g, 4);
        if (k == 0) emit(g, P_X(31, r_src(g), rt, rn(g, 32), 824, rc));            /* srawi */
        else if (k == 1) emit(g, P_X(31, r_src(g), rt, 0, 26, rc));                /* cntlzw */
        else if (k == 2) emit(g, P_X(31, r_src(g), rt, 0, 954, rc));               /* extsb */
        else emit(g, P_X(31, r_src(g), rt, 0, 922, rc));                           /* extsh */
        break;
    }
    case 5: {
        static const unsigned rops[] = { 20, 21, 23 };
        unsigned op = rops[rn(g, 3)];
        emit(g, (uint32_t)op << 26 | r_src(g) << 21 | rt << 16 | rn(g, 32) << 11 | rn(g, 32) << 6 |
                rn(g, 32) << 1 | rc);
        break;
    }
    case 6: {
        unsigned k = rn(g, 4);
        if (k == 0) emit(g, P_X(31, rn(g, 8) << 2, ra, rb, rn(g, 2) ? 32 : 0, 0));       /* cmp, cmpl */
        else if (k == 1) emit(g, P_D(rn(g, 2) ? 11 : 10, rn(g, 8) << 2, ra, (uint32_t)rnd(g)));
        else if (k == 2) {
            static const unsigned crx[] = { 33, 129, 193, 225, 257, 289, 417, 449 };
            emit(g, P_X(19, rn(g, 32), rn(g, 32), rn(g, 32), crx[rn(g, 8)], 0));
        } else emit(g, P_X(19, rn(g, 8) << 2, rn(g, 8) << 2, 0, 0, 0));                 /* mcrf */
        break;
    }
    case 7: {
        unsigned k = rn(g, 6);
        if (k == 0) emit(g, P_X(31, rt, 0, 0, 19, 0));                                  /* mfcr */
        else if (k == 1) emit(g, (31u << 26) | r_src(g) << 21 | rn(g, 256) << 12 | 144 << 1);  /* mtcrf */
        else if (k == 2) emit(g, P_X(31, rt, 1, 0, 339, 0));                            /* mfxer */
        else if (k == 3) emit(g, P_X(31, r_src(g), 9, 0, 467, 0));                      /* mtctr */
        else if (k == 4) emit(g, P_X(31, rt, 8, 0, 339, 0));                            /* mflr */
        else emit(g, P_X(31, rn(g, 8) << 2, 0, 0, 512, 0));                             /* mcrxr */
        break;
    }
    default:
        emit(g, P_X(31, r_src(g), 1, 0, 467, 0));                                       /* mtxer */
        break;
    }
}

static void gen_mem(gen *g)
{
    static const unsigned ld[] = { 32, 34, 40, 42, 36, 38, 44 };
    unsigned rt = rd_any(g);
    int32_t off = D_WIN + (int32_t)rn(g, WIN - 8);
    switch (rn(g, 6)) {
    case 0: case 1: {
        unsigned op = ld[rn(g, 7)];
        bool store = op == 36 || op == 38 || op == 44;
        emit(g, P_D(op, store ? r_src(g) : rt, 31, (uint32_t)off));
        break;
    }
    case 2: { /* update form through r29 */
        static const unsigned up[] = { 33, 35, 41, 43, 37, 39, 45 };
        unsigned op = up[rn(g, 7)];
        bool store = op == 37 || op == 39 || op == 45;
        emit(g, ADDI(29, 31, off - 8));
        if (!store && rt == 29)
            rt = 28;
        emit(g, P_D(op, store ? r_src(g) : rt, 29, 8));
        break;
    }
    case 3: { /* indexed through r30, byte-reversed included */
        static const unsigned xo[] = { 23, 87, 279, 343, 151, 215, 407, 534, 790, 662, 918 };
        unsigned x = xo[rn(g, 11)];
        emit(g, LI(30, off));
        bool store = x == 151 || x == 215 || x == 407 || x == 662 || x == 918;
        emit(g, P_X(31, store ? r_src(g) : rt, 31, 30, x, 0));
        break;
    }
    case 4: { /* stmw, lswi, stswi (string EA = rA = r30), lswx, stswx, dcbz */
        unsigned k = rn(g, 5);
        if (k == 3) {   /* byte count in XER from r29, EA = r31 + r30 */
            unsigned nb = rn(g, 20), nregs = (nb + 3) / 4;
            emit(g, LI(30, off & ~15));
            emit(g, LI(29, (int32_t)nb));
            emit(g, P_X(31, 29, 1, 0, 467, 0));                               /* mtxer r29 */
            if (rn(g, 2))   /* lswx: the registers loaded stay below r29 (rB, rA) */
                emit(g, P_X(31, rn(g, 29 - (nregs ? nregs : 1)), 31, 30, 533, 0));
            else
                emit(g, P_X(31, r_src(g), 31, 30, 661, 0));                    /* stswx */
            break;
        }
        if (k == 4) {
            emit(g, LI(30, off));
            emit(g, P_X(31, 0, 31, 30, 1014, 0));                              /* dcbz */
            break;
        }
        if (k == 0) {
            emit(g, P_D(47, 20 + rn(g, 11), 31, (uint32_t)(D_WIN + 4 * rn(g, 16))));
            break;
        }
        unsigned nb = 1 + rn(g, 12), nregs = (nb + 3) / 4;
        unsigned first = rn(g, 30 - nregs);   /* the registers loaded stay below r30 */
        emit(g, ADDI(30, 31, off & ~15));
        emit(g, P_X(31, k == 1 ? first : r_src(g), 30, nb, k == 1 ? 597 : 725, 0));
        break;
    }
    default: { /* FP loads and stores */
        static const unsigned fo[] = { 48, 50, 52, 54 };
        unsigned op = fo[rn(g, 4)];
        emit(g, P_D(op, rn(g, 32), 31, (uint32_t)(off & ~7)));
        break;
    }
    }
}

static void gen_fp(gen *g)
{
    unsigned ft = rn(g, 32), fa = rn(g, 32), fb = rn(g, 32), fc = rn(g, 32), rc = rn(g, 4) == 0;
    static const unsigned axo[] = { 18, 20, 21, 25, 28, 29, 30, 31, 23 };
    switch (rn(g, 8)) {
    case 0: case 1: case 2: case 3: {
        unsigned xo = axo[rn(g, 9)];
        if ((xo == 30 || xo == 31) && g->rn != 0)
            xo -= 2;   /* fnmsub/fnmadd only in round-to-nearest (see the top of the file) */
        bool single = xo != 23 && rn(g, 2);
        if (xo == 18 || xo == 20 || xo == 21) fc = 0;
        if (xo == 25) fb = 0;
        emit(g, (single ? 59u : 63u) << 26 | ft << 21 | fa << 16 | fb << 11 | fc << 6 | xo << 1 | rc);
        break;
    }
    case 4:
        emit(g, P_X(63, rn(g, 8) << 2, fa, fb, rn(g, 2) ? 32 : 0, 0));                  /* fcmpu/o */
        emit(g, P_X(63, 14, 0, 0, 70, 0));                                               /* mtfsb0 FI */
        emit(g, P_X(63, 15, 0, 0, 70, 0));                                               /* mtfsb0 C */
        break;
    case 5: {
        static const unsigned xo[] = { 12, 14, 15, 40, 72, 136, 264 };
        emit(g, P_X(63, ft, 0, fb, xo[rn(g, 7)], rc));
        break;
    }
    case 6: {
        unsigned k = rn(g, 2);
        if (k == 0) {
            emit(g, P_X(63, 13, 0, 0, 70, 0));                                           /* mtfsb0 FR */
            emit(g, P_X(63, ft, 0, 0, 583, rc));                                         /* mffs */
        } else {                                                                        /* mtfsb0/1 */
            static const unsigned bits[] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 21, 22, 23 };
            emit(g, P_X(63, bits[rn(g, 15)], 0, 0, rn(g, 2) ? 38 : 70, rc));
        }
        break;
    }
    default:                                                                            /* stfiwx */
        emit(g, LI(30, D_WIN + (int32_t)rn(g, WIN - 8)));
        emit(g, P_X(31, rn(g, 32), 31, 30, 983, 0));
        break;
    }
}

static void gen_branch(gen *g)
{
    static const unsigned bo[] = { 4, 12, 20, 16, 18, 0, 2, 8, 10 };
    g->branch_skip[g->nunits - 1] = 1 + rn(g, 4);
    if (rn(g, 4) == 0)
        emit(g, B_(0));
    else
        emit(g, BC(bo[rn(g, 9)], rn(g, 32), 0));
}

/* The whole program: prologue, n random instructions, epilogue. */
static void gen_program(gen *g, unsigned n)
{
    emit(g, LIS(31, DATA >> 16));
    emit(g, ORI(31, 31, DATA & 0xffff));
    emit(g, P_D(50, 0, 31, D_FPSCR));
    emit(g, (63u << 26) | 0xffu << 17 | 0 << 11 | 711 << 1);     /* mtfsf 0xff, f0 */
    for (unsigned i = 0; i < 32; i++)
        emit(g, P_D(50, i, 31, D_FPR + 8 * i));
    emit(g, LWZ(0, D_CR, 31));
    emit(g, (31u << 26) | 0u << 21 | 0xffu << 12 | 144 << 1);      /* mtcrf 0xff, r0 */
    emit(g, LWZ(0, D_XER, 31));
    emit(g, P_X(31, 0, 1, 0, 467, 0));
    emit(g, LWZ(0, D_LR, 31));
    emit(g, MTLR(0));
    emit(g, LWZ(0, D_CTR, 31));
    emit(g, MTCTR(0));
    for (unsigned i = 0; i < 31; i++)
        emit(g, LWZ(i, D_GPR + 4 * i, 31));
    g->unit = calloc(n + 1, sizeof *g->unit);
    g->branch_skip = calloc(n + 1, sizeof *g->branch_skip);
    for (unsigned i = 0; i < n; i++) {
        g->unit[g->nunits++] = g->n;
        unsigned k = rn(g, 20);
        if (k < 8) gen_int(g);
        else if (k < 12) gen_mem(g);
        else if (k < 18) gen_fp(g);
        else gen_branch(g);
    }
    g->unit[g->nunits] = g->n;
    for (size_t u = 0; u < g->nunits; u++) {
        if (!g->branch_skip[u])
            continue;
        size_t to = u + 1 + g->branch_skip[u];
        if (to > g->nunits)
            to = g->nunits;
        g->code[g->unit[u]] |= (uint32_t)(4 * (g->unit[to] - g->unit[u])) & (g->code[g->unit[u]] >> 26 == 18 ? 0x03fffffcu : 0xfffcu);
    }
    free(g->unit);
    free(g->branch_skip);
    for (unsigned i = 0; i < 31; i++)
        emit(g, STW(i, D_DUMP + 4 * i, 31));
    emit(g, MFCR(0));
    emit(g, STW(0, DUMP_CR, 31));
    emit(g, MFXER(0));
    emit(g, STW(0, DUMP_CR + 4, 31));
    emit(g, MFLR(0));
    emit(g, STW(0, DUMP_CR + 8, 31));
    emit(g, MFCTR(0));
    emit(g, STW(0, DUMP_CR + 12, 31));
    for (unsigned i = 0; i < 32; i++)
        emit(g, P_D(54, i, 31, DUMP_FPR + 8 * i));
    emit(g, P_X(63, 0, 0, 0, 583, 0));                              /* mffs f0 */
    emit(g, P_D(54, 0, 31, DUMP_FPSCR));
    emit(g, LI(0, 4));
    emit(g, LI(3, 1));
    emit(g, ADDI(4, 31, D_DUMP));
    emit(g, LI(5, DUMP_LEN));
    emit(g, SC);
    emit(g, LI(0, 1));
    emit(g, LI(3, 0));
    emit(g, SC);
}

static void put_be32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
static void put_be64(uint8_t *p, uint64_t v) { put_be32(p, v >> 32); put_be32(p + 4, (uint32_t)v); }
static void put_be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static uint32_t get_be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

/* The initial data of the image (registers, FPSCR, memory window), identical for both runs. */
static void build_data(gen *g, uint8_t *img)
{
    uint8_t *d = img + (DATA - BASE);
    for (int i = 0; i < 32; i++)
        put_be32(d + D_GPR + 4 * i, rand_gpr_value(g));
    for (int i = 0; i < 32; i++) {
        uint64_t v = rn(g, 2) ? fp_specials[rn(g, sizeof fp_specials / 8)] : rnd(g);
        if (rn(g, 4) == 0)   /* single-representable values too */
            v &= ~0x1fffffffull;
        put_be64(d + D_FPR + 8 * i, v);
    }
    put_be32(d + D_CR, (uint32_t)rnd(g));
    put_be32(d + D_XER, (uint32_t)rnd(g) & 0xe000007fu);
    put_be32(d + D_LR, (uint32_t)rnd(g));
    put_be32(d + D_CTR, rn(g, 2) ? rn(g, 4) : (uint32_t)rnd(g));
    /* FPSCR: rounding mode and some sticky bits, no enabled exceptions, NI off */
    uint32_t fpscr = (uint32_t)rnd(g) & 0xfffff003u & ~0xf8u & ~0x60000000u & ~0x4u;
    /* a consistent FPSCR: FX set when an exception bit is (QEMU sets FX at every event,
       the hardware only when an exception bit goes from 0 to 1) */
    fpscr &= ~0x80000000u;
    if (fpscr & 0x1ff80700u)
        fpscr |= 0x80000000u;
    put_be64(d + D_FPSCR, fpscr);
    for (int i = 0; i < WIN; i++)
        d[D_WIN + i] = (uint8_t)rnd(g);
}

static size_t write_elf(const uint8_t *img, const char *path)
{
    uint8_t h[52 + 32];
    memset(h, 0, sizeof h);
    memcpy(h, "\177ELF", 4);
    h[4] = 1; h[5] = 2; h[6] = 1;               /* 32-bit, big-endian, version */
    put_be16(h + 16, 2);                         /* ET_EXEC */
    put_be16(h + 18, 20);                        /* EM_PPC */
    put_be32(h + 20, 1);
    put_be32(h + 24, BASE);                      /* entry */
    put_be32(h + 28, 52);                        /* phoff */
    put_be16(h + 40, 52);
    put_be16(h + 42, 32);
    put_be16(h + 44, 1);
    uint8_t *ph = h + 52;
    put_be32(ph, 1);                             /* PT_LOAD */
    put_be32(ph + 4, 0x1000);                    /* offset */
    put_be32(ph + 8, BASE);
    put_be32(ph + 12, BASE);
    put_be32(ph + 16, IMAGE);
    put_be32(ph + 20, IMAGE);
    put_be32(ph + 24, 7);                        /* RWX */
    put_be32(ph + 28, 0x1000);
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(h, 1, sizeof h, f);
    static const uint8_t zero[0x1000];
    fwrite(zero, 1, 0x1000 - sizeof h, f);
    fwrite(img, 1, IMAGE, f);
    fclose(f);
    chmod(path, 0755);
    return IMAGE;
}

static int run_qemu(const char *qemu, const char *path, uint8_t *out)
{
    int pfd[2];
    if (pipe(pfd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        close(pfd[1]);
        execlp(qemu, qemu, "-cpu", "604", path, (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    size_t got = 0;
    ssize_t r;
    while (got < DUMP_LEN && (r = read(pfd[0], out + got, DUMP_LEN - got)) > 0)
        got += (size_t)r;
    close(pfd[0]);
    int status;
    waitpid(pid, &status, 0);
    return got == DUMP_LEN ? 0 : -1;
}

static int run_emu(ph *h, const uint8_t *img, uint8_t *out, emu_user_stop *st)
{
    ph_map(h, BASE, IMAGE, EMU_USER_PAGE_READ | EMU_USER_PAGE_WRITE | EMU_USER_PAGE_EXEC);
    memcpy(h->sp.host_base + BASE, img, IMAGE);
    emu_machine_invalidate_code(h->m, BASE, IMAGE);
    emu_cpu_set_pc(h->cpu, BASE);
    for (;;) {
        if (emu_user_cpu_run(h->cpu, 10000000, st) != EMU_USER_STOP_SYSCALL)
            return -1;
        uint32_t nr = (uint32_t)ph_reg(h, "r0");
        if (nr == 4) {
            memcpy(out, h->sp.host_base + (uint32_t)ph_reg(h, "r4"), DUMP_LEN);
            return 0;
        }
        return -1;
    }
}

static void describe_diff(const uint8_t *a, const uint8_t *b)
{
    static const char *const special[] = { "cr", "xer", "lr", "ctr" };
    for (int i = 0; i < 31; i++)
        if (get_be32(a + 4 * i) != get_be32(b + 4 * i))
            tap_diag("  r%d: emu %08x qemu %08x", i, get_be32(a + 4 * i), get_be32(b + 4 * i));
    for (int i = 0; i < 4; i++)
        if (get_be32(a + 128 + 4 * i) != get_be32(b + 128 + 4 * i))
            tap_diag("  %s: emu %08x qemu %08x", special[i], get_be32(a + 128 + 4 * i), get_be32(b + 128 + 4 * i));
    if (get_be32(a + 148) != get_be32(b + 148))
        tap_diag("  fpscr: emu %08x qemu %08x", get_be32(a + 148), get_be32(b + 148));
    for (int i = 0; i < 32; i++) {
        const uint8_t *x = a + 160 + 8 * i, *y = b + 160 + 8 * i;
        if (memcmp(x, y, 8))
            tap_diag("  f%d: emu %08x%08x qemu %08x%08x", i, get_be32(x), get_be32(x + 4), get_be32(y), get_be32(y + 4));
    }
    for (int i = D_WIN - D_DUMP; i < DUMP_LEN; i++)
        if (a[i] != b[i]) {
            tap_diag("  memory window differs from offset %d", i - (D_WIN - D_DUMP));
            break;
        }
}

static bool run_seed(ph *h, const char *qemu, uint64_t seed, unsigned n, const char *path, bool verbose)
{
    gen g = { .s = seed * 0x9e3779b97f4a7c15ull | 1 };
    gen data = { .s = seed * 0xc2b2ae3d27d4eb4full | 1 };
    g.code = calloc(200 + 3 * n + 64, 4);
    static uint8_t img[IMAGE];
    memset(img, 0, IMAGE);
    build_data(&data, img);
    g.rn = get_be32(img + (DATA - BASE) + D_FPSCR + 4) & 3;
    gen_program(&g, n);
    for (size_t i = 0; i < g.n; i++)
        put_be32(img + 4 * i, g.code[i]);
    uint8_t a[DUMP_LEN], b[DUMP_LEN];
    write_elf(img, path);
    emu_user_stop st;
    bool ok_emu = run_emu(h, img, a, &st) == 0;
    bool ok_qemu = run_qemu(qemu, path, b) == 0;
    bool same = false;
    if (ok_emu && ok_qemu) {
        /* FR: QEMU 7.2 never sets it, the hardware (and emu) does */
        a[148 + 1] &= ~0x04;
        b[148 + 1] &= ~0x04;
        same = !memcmp(a, b, DUMP_LEN);
    }
    ok(same, "seed %llu: %u random instructions agree with qemu", (unsigned long long)seed, n);
    if (!same) {
        if (!ok_emu)
            tap_diag("  emu stopped with %d at 0x%llx", st.kind, (unsigned long long)st.pc);
        if (!ok_qemu)
            tap_diag("  qemu did not produce a dump");
        if (ok_emu && ok_qemu)
            describe_diff(a, b);
        if (verbose)
            for (size_t i = 0; i < g.n; i++)
                tap_diag("  %08zx: %08x", BASE + 4 * i, g.code[i]);
    }
    free(g.code);
    return same;
}

/* Is `prog` runnable (a path, or a name found on PATH)? */
static bool in_path(const char *prog)
{
    if (strchr(prog, '/'))
        return access(prog, X_OK) == 0;
    const char *path = getenv("PATH");
    if (!path)
        return false;
    char *copy = strdup(path), *save = NULL;
    bool found = false;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char full[4096];
        snprintf(full, sizeof full, "%s/%s", dir, prog);
        found = access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

int main(int argc, char **argv)
{
    const char *qemu = getenv("QEMU_PPC");
    if (!qemu || !*qemu || !in_path(qemu)) {
        printf("1..0 # SKIP qemu-ppc not available (QEMU_PPC)\n");
        return 0;
    }
    ph h;
    if (ph_init(&h, "ppc604") < 0) {
        printf("1..0 # SKIP cannot create a ppc604 CPU\n");
        return 0;
    }
    char path[] = "/tmp/emu-ppc-diff-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        printf("1..0 # SKIP cannot create a temporary file\n");
        return 0;
    }
    close(fd);
    if (argc > 1) {
        uint64_t seed = strtoull(argv[1], NULL, 0);
        unsigned count = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 1;
        unsigned n = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 200;
        for (unsigned i = 0; i < count; i++) {
            if (run_seed(&h, qemu, seed + i, n, path, false))
                continue;
            /* the shortest failing prefix of this stream */
            unsigned lo = 0, hi = n;
            while (hi - lo > 1) {
                unsigned mid = (lo + hi) / 2;
                if (run_seed(&h, qemu, seed + i, mid, path, false)) lo = mid; else hi = mid;
            }
            tap_diag("seed %llu: shortest failing stream has %u instructions:", (unsigned long long)(seed + i), hi);
            run_seed(&h, qemu, seed + i, hi, path, true);
        }
    } else {
        for (uint64_t seed = 1; seed <= 40; seed++)
            run_seed(&h, qemu, seed, 200, path, false);
    }
    unlink(path);
    ph_fini(&h);
    tap_done();
    return 0;
}
