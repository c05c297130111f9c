/* The PowerPC FPU's FPSCR bookkeeping where qemu-ppc cannot be the oracle: FR (QEMU never sets
 * it) and the round-to-nearest fast path.  Each random operation runs twice, once on the fast
 * path and once with VE set (which forces the exact slow path without changing any result for
 * ordinary operands); both must agree, and add/sub/mul results, FI and FR are checked against
 * exact 113-bit arithmetic (__float128) where the exact value fits. */
#include <math.h>
#include <stdio.h>
#include "../tap.h"
#include "ppc-harness.h"

#define CODE 0x10000000u

static uint64_t rs = 0x9e3779b97f4a7c15ull;
static uint64_t rnd64(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

static double d_of(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static uint64_t b_of(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }

/* A random double with exponent in [-25, 25) (so exact sums and products fit in 113 bits). */
static double operand(void)
{
    uint64_t m = rnd64() & 0xfffffffffffffull;
    if (rnd64() % 4 == 0)
        m &= ~0xffffffffull;          /* short mantissas: exact results happen too */
    uint64_t e = 1023 - 25 + rnd64() % 50;
    return d_of((rnd64() & 1) << 63 | e << 52 | m);
}

typedef struct outcome { uint64_t res; uint32_t fpscr; } outcome;

static outcome run_op(ph *h, uint32_t insn, double a, double b, double c, uint32_t fpscr)
{
    static const uint32_t mtfsf = (63u << 26) | 0xffu << 17 | 3u << 11 | 711u << 1;  /* mtfsf 0xff,f3 */
    uint32_t prog[] = { mtfsf, insn, SC };
    ph_code(h, CODE, prog, 3);
    emu_machine_invalidate_code(h->m, CODE, 12);
    ph_set(h, "f1", b_of(a));
    ph_set(h, "f2", b_of(b));
    ph_set(h, "f4", b_of(c));
    ph_set(h, "f3", fpscr);
    emu_user_stop st;
    ph_run(h, CODE, 100, &st);
    return (outcome){ ph_reg(h, "f0"), (uint32_t)ph_reg(h, "fpscr") };
}

#define FI 0x00020000u
#define FR 0x00040000u
#define VE 0x00000080u

int main(void)
{
    ph h;
    if (ph_init(&h, "ppc750") < 0) {
        printf("1..0 # SKIP cannot create a ppc750 CPU\n");
        return 0;
    }
    /* fadd f0,f1,f2 / fsub / fmul f0,f1,f4 / fdiv / fmadd f0,f1,f4,f2 / fmsub / fnmadd / fadds / fmuls */
    static const struct { const char *name; uint32_t insn; int kind; } ops[] = {
        { "fadd", (63u << 26) | 1u << 16 | 2u << 11 | 21u << 1, 0 },
        { "fsub", (63u << 26) | 1u << 16 | 2u << 11 | 20u << 1, 1 },
        { "fmul", (63u << 26) | 1u << 16 | 4u << 6 | 25u << 1, 2 },
        { "fdiv", (63u << 26) | 1u << 16 | 2u << 11 | 18u << 1, 3 },
        { "fmadd", (63u << 26) | 1u << 16 | 2u << 11 | 4u << 6 | 29u << 1, 4 },
        { "fmsub", (63u << 26) | 1u << 16 | 2u << 11 | 4u << 6 | 28u << 1, 5 },
        { "fnmadd", (63u << 26) | 1u << 16 | 2u << 11 | 4u << 6 | 31u << 1, 6 },
        { "fadds", (59u << 26) | 1u << 16 | 2u << 11 | 21u << 1, 7 },
        { "fmuls", (59u << 26) | 1u << 16 | 4u << 6 | 25u << 1, 8 },
    };
    for (unsigned o = 0; o < sizeof ops / sizeof *ops; o++) {
        unsigned agree = 0, exact_ok = 0, exact_checked = 0, n = 400;
        for (unsigned i = 0; i < n; i++) {
            double a = operand(), b = operand(), c = operand();
            if (ops[o].kind >= 7) {   /* single-precision inputs take the single fast path */
                a = (float)a;
                b = (float)b;
                c = (float)c;
            }
            outcome fast = run_op(&h, ops[o].insn, a, b, c, 0);
            outcome slow = run_op(&h, ops[o].insn, a, b, c, VE);
            if (fast.res == slow.res && (fast.fpscr | VE) == slow.fpscr)
                agree++;
            else if (agree + 3 > i)
                tap_diag("%s %a %a %a: fast %016llx %08x slow %016llx %08x", ops[o].name, a, b, c,
                         (unsigned long long)fast.res, fast.fpscr, (unsigned long long)slow.res, slow.fpscr);
            /* exact check for the double add/sub/mul/fma */
            __float128 x;
            switch (ops[o].kind) {
            case 0: x = (__float128)a + b; break;
            case 1: x = (__float128)a - b; break;
            case 2: x = (__float128)a * c; break;
            case 4: x = (__float128)a * c + b; break;
            case 5: x = (__float128)a * c - b; break;
            default: continue;
            }
            /* only when the exact value is representable in 113 bits: then x is exact */
            if (ops[o].kind >= 4 && abs(ilogb(a * c) - ilogb(b)) > 5)
                continue;   /* a*c + b may need more than 113 bits */
            exact_checked++;
            double r = d_of(fast.res);
            bool fi = r != x, fr = fi && (__float128)fabs(r) > (x < 0 ? -x : x);
            bool want_fi = (fast.fpscr & FI) != 0, want_fr = (fast.fpscr & FR) != 0;
            if (b_of((double)x) == fast.res && fi == want_fi && fr == want_fr)
                exact_ok++;
            else if (exact_ok + 3 > exact_checked)
                tap_diag("%s %a %a %a: got %a FI %d FR %d, exact rounds to %a FI %d FR %d", ops[o].name, a, b, c,
                         r, want_fi, want_fr, (double)x, fi, fr);
        }
        is_u64(agree, n, "%s: fast path and exact slow path agree on result and FPSCR", ops[o].name);
        if (exact_checked)
            is_u64(exact_ok, exact_checked, "%s: result, FI and FR match exact arithmetic", ops[o].name);
    }
    ph_fini(&h);
    tap_done();
    return 0;
}
