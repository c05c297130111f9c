/* PowerPC floating point on the host FPU with an exact FPSCR.
 *
 * Each FP instruction is computed with one host operation in the guest's rounding mode; the
 * host's sticky flags give overflow and inexact.  What the host does differently is fixed up:
 *  - NaN operands and invalid operations are decided before computing (PowerPC NaN priority
 *    frA, frB, frC; default NaN 0x7ff8000000000000; the VX* cause bits);
 *  - underflow uses the PowerPC definition (tiny before rounding): when a result is near the
 *    smallest normal the operation is redone rounding toward zero to see the exact magnitude;
 *  - single-precision results are computed exactly in double rounded to odd, then rounded once
 *    to single (no double rounding, FMA included);
 *  - FR (fraction rounded up) is exact: an inexact result is compared with the round-toward-zero
 *    result.  QEMU 7.2 never sets FR; real processors do, and so does this model.
 * FX follows the architecture: set when an exception bit goes from 0 to 1. */
#if defined(__GNUC__) && !defined(__clang__)
/* the exactness arguments below need every product and sum rounded on its own */
#pragma GCC optimize("fp-contract=off")
#endif
#include <fenv.h>
#include <float.h>
#include <math.h>
#include <string.h>
#include "ppc-cpu.h"

enum { FA_ADD, FA_SUB, FA_MUL, FA_DIV, FA_SQRT, FA_MADD, FA_MSUB, FA_NMADD, FA_NMSUB, FA_SEL,
       FA_RES, FA_RSQRTE, FA_RSP, FA_CTIW, FA_CTIWZ };

#define DNAN 0x7ff8000000000000ull
#define FPSCR_EXC_STICKY (FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VX_ALL)

static double d_of(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
static uint64_t b_of(double d) { uint64_t b; memcpy(&b, &d, 8); return b; }
static bool is_nan_b(uint64_t b) { return (b & 0x7fffffffffffffffull) > 0x7ff0000000000000ull; }
static bool is_snan_b(uint64_t b) { return is_nan_b(b) && !(b & (1ull << 51)); }
static bool is_inf_b(uint64_t b) { return (b & 0x7fffffffffffffffull) == 0x7ff0000000000000ull; }
static bool is_zero_b(uint64_t b) { return (b & 0x7fffffffffffffffull) == 0; }

/* ---- host FP environment ----
 * On x86-64 the double arithmetic is SSE, so only MXCSR matters: its rounding control is set
 * and its sticky flags cleared and read directly (glibc's fenv functions also save and reload
 * the x87 environment, which costs ten times more). */
#define OPT_BARRIER(x) __asm__ volatile("" : "+m"(x))

typedef struct hostfp {
    unsigned saved;
} hostfp;

#if defined(__x86_64__) && defined(__SSE2__)
static const unsigned mxcsr_rc[4] = { 0x0000, 0x6000, 0x4000, 0x2000 };  /* RN: near, zero, +inf, -inf */

static inline unsigned mxcsr_read(void)
{
    unsigned v;
    __asm__ volatile("stmxcsr %0" : "=m"(v));
    return v;
}

static inline void mxcsr_write(unsigned v)
{
    __asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static void hf_begin(hostfp *h, unsigned rn)
{
    h->saved = mxcsr_read();
    mxcsr_write((h->saved & ~0x603fu) | mxcsr_rc[rn & 3]);
}

/* FE_* style flags of what happened since hf_begin. */
static int hf_end(hostfp *h)
{
    unsigned f = mxcsr_read();
    mxcsr_write(h->saved);
    return ((f & 0x08) ? FE_OVERFLOW : 0) | ((f & 0x10) ? FE_UNDERFLOW : 0) | ((f & 0x20) ? FE_INEXACT : 0);
}
#else
static const int host_round[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };

static void hf_begin(hostfp *h, unsigned rn)
{
    h->saved = (unsigned)fegetround();
    if (host_round[rn & 3] != (int)h->saved)
        fesetround(host_round[rn & 3]);
    feclearexcept(FE_ALL_EXCEPT);
}

static int hf_end(hostfp *h)
{
    int f = fetestexcept(FE_OVERFLOW | FE_INEXACT | FE_UNDERFLOW);
    if (fegetround() != (int)h->saved)
        fesetround((int)h->saved);
    return f;
}
#endif

/* One operation in the current host rounding mode. */
static double op_once(unsigned kind, double a, double b, double c)
{
    volatile double va = a, vb = b, vc = c;
    double r;
    switch (kind) {
    case FA_ADD: r = va + vb; break;
    case FA_SUB: r = va - vb; break;
    case FA_MUL: r = va * vc; break;
    case FA_DIV: r = va / vb; break;
    case FA_SQRT: r = sqrt(vb); break;
    case FA_MADD: r = fma(va, vc, vb); break;
    case FA_MSUB: r = fma(va, vc, -vb); break;
    case FA_NMADD: r = fma(va, vc, vb); break;     /* negated after rounding */
    case FA_NMSUB: r = fma(va, vc, -vb); break;
    /* fres and frsqrte are estimates: the architecture bounds the error (1/256, 1/32) and
       says the value may vary between implementations; the 603e/604/750 manuals state the
       accuracy but publish no estimate tables, so the exact (correctly rounded) value is
       delivered, which is within every documented bound. */
    case FA_RES: r = 1.0 / vb; break;
    case FA_RSQRTE: r = 1.0 / sqrt(vb); break;
    default: r = vb; break;                         /* FA_RSP: the value itself */
    }
    OPT_BARRIER(r);
    return r;
}

/* ---- FPSCR bookkeeping ---- */
/* The class of a result.  Single-precision results are classified as the double they are
   stored as (QEMU 7.2 does so; a single denormal shows as a normal number). */
static unsigned fprf_class(uint64_t b, bool single)
{
    single = false;
    bool neg = b >> 63;
    if (is_nan_b(b))
        return 0x11;
    if (is_inf_b(b))
        return neg ? 0x09 : 0x05;
    if (is_zero_b(b))
        return neg ? 0x12 : 0x02;
    double m = fabs(d_of(b));
    bool denorm = single ? m < FLT_MIN : m < DBL_MIN;
    if (denorm)
        return neg ? 0x18 : 0x14;
    return neg ? 0x08 : 0x04;
}

/* Recompute the summary bits; set FX for exception bits that went 0 -> 1. */
static void fpscr_update(ppc_env *e, uint32_t old)
{
    uint32_t f = e->fpscr;
    if ((f & ~old) & FPSCR_EXC_STICKY)
        f |= FPSCR_FX;
    f &= ~(FPSCR_VX | FPSCR_FEX);
    if (f & FPSCR_VX_ALL)
        f |= FPSCR_VX;
    if (((f & FPSCR_VX) && (f & FPSCR_VE)) || ((f & FPSCR_OX) && (f & FPSCR_OE)) ||
        ((f & FPSCR_UX) && (f & FPSCR_UE)) || ((f & FPSCR_ZX) && (f & FPSCR_ZE)) ||
        ((f & FPSCR_XX) && (f & FPSCR_XE)))
        f |= FPSCR_FEX;
    e->fpscr = f;
}

static void set_cr1(ppc_env *e)
{
    e->crf[1] = e->fpscr >> 28;
}

/* Enabled exceptions interrupt when MSR[FE0|FE1] say so.  In user mode too: Linux starts a
   process with both clear and sets them at prctl(PR_SET_FPEXC) (the ABI's prctl hook). */
static bool fp_interrupts(ppc_env *e)
{
    return (e->msr & (MSR_FE0 | MSR_FE1)) != 0;
}

static unsigned fpe_code(uint32_t f)
{
    if ((f & FPSCR_VX) && (f & FPSCR_VE)) return EMU_FPE_INVALID;
    if ((f & FPSCR_ZX) && (f & FPSCR_ZE)) return EMU_FPE_ZERODIV;
    if ((f & FPSCR_OX) && (f & FPSCR_OE)) return EMU_FPE_OVERFLOW;
    if ((f & FPSCR_UX) && (f & FPSCR_UE)) return EMU_FPE_UNDERFLOW;
    return EMU_FPE_INEXACT;
}

/* Raise the program exception for a newly enabled exception caused by this instruction. */
static void maybe_raise(ppc_env *e, uint32_t newbits, bool after)
{
    uint32_t f = e->fpscr;
    uint32_t en = 0;
    if (newbits & FPSCR_VX_ALL && f & FPSCR_VE) en = 1;
    if (newbits & FPSCR_OX && f & FPSCR_OE) en = 1;
    if (newbits & FPSCR_UX && f & FPSCR_UE) en = 1;
    if (newbits & FPSCR_ZX && f & FPSCR_ZE) en = 1;
    if (newbits & FPSCR_XX && f & FPSCR_XE) en = 1;
    if (en && fp_interrupts(e)) {
        e->fp_prog = fpe_code(f);
        emu_cpu_raise(e, EMU_EXCP_FP, fpe_code(f), after);
    }
}

/* ---- single precision conversions (bit-exact, no host NaN quieting) ---- */
static uint64_t single_to_double_bits(uint32_t w)
{
    uint32_t exp = (w >> 23) & 0xff, frac = w & 0x7fffff;
    uint64_t sign = (uint64_t)(w >> 31) << 63;
    if (exp == 0xff)
        return sign | 0x7ff0000000000000ull | (uint64_t)frac << 29;
    if (exp == 0 && frac == 0)
        return sign;
    float f;
    memcpy(&f, &w, 4);
    return b_of((double)f);   /* exact for finite values, denormals included */
}

uint64_t ppc_h_lfs(void *env, uint64_t bits, uint64_t b, uint64_t c)
{
    return single_to_double_bits((uint32_t)bits);
}

uint64_t ppc_h_stfs(void *env, uint64_t bits, uint64_t b, uint64_t c)
{
    unsigned e = (bits >> 52) & 0x7ff;
    if (e > 896)   /* no denormalisation needed (infinities and NaNs included) */
        return (uint32_t)(((bits >> 32) & 0xc0000000u) | ((bits >> 29) & 0x3fffffffu));
    if (e < 874)   /* too small: undefined in the architecture, zero as QEMU 7.2 stores it */
        return (uint32_t)((bits >> 32) & 0x80000000u);
    /* denormalized single: shift the mantissa with the implicit 1, truncating */
    uint64_t mant = (bits & 0xfffffffffffffull) | (1ull << 52);
    unsigned shift = 29 + (897 - e);
    return (uint32_t)((bits >> 32) & 0x80000000u) | (uint32_t)(mant >> shift);
}

/* Quiet NaN result of NaN operands, rounded to single precision if needed. */
static uint64_t quiet(uint64_t b, bool single)
{
    b |= 1ull << 51;
    if (single)
        b &= ~0x1fffffffull;
    return b;
}

/* ---- arithmetic ---- */
static void write_fpr(ppc_env *e, unsigned ft, uint64_t v)
{
    e->fpr[ft] = v;
}

/* Round-to-odd of the exact result in double, then to single in mode rn.  unbounded: round
   to 24 significant bits whatever the exponent (the exponent-adjusted results of enabled
   overflow and underflow may lie outside the single range; the FPR holds them as doubles). */
static double single_result(unsigned kind, double a, double b, double c, unsigned rn, bool unbounded,
                            int *flags, bool *fr)
{
    hostfp h;
    hf_begin(&h, 1);                         /* toward zero */
    double rz = op_once(kind, a, b, c);
    int f1 = hf_end(&h);
    if (rz == 0 && !(f1 & FE_INEXACT)) {
        /* an exact zero: its sign depends on the rounding mode (x - x is -0 rounding down) */
        hf_begin(&h, rn);
        rz = op_once(kind, a, b, c);
        hf_end(&h);
    }
    uint64_t bits = b_of(rz);
    if ((f1 & FE_INEXACT) && !is_inf_b(bits) && !is_nan_b(bits))
        bits |= 1;                           /* round to odd */
    double ro = d_of(bits);
    int e2 = unbounded && ro != 0 && !is_inf_b(bits) && !is_nan_b(bits) ? ilogb(ro) : 0;
    hf_begin(&h, rn);
    volatile double vro = ldexp(ro, -e2);    /* exact: a power-of-two scaling of a normal */
    float s = (float)vro;
    OPT_BARRIER(s);
    int f2 = hf_end(&h);
    double r = ldexp(s, e2);
    *flags = (f2 & FE_OVERFLOW) | ((f1 | f2) & FE_INEXACT);
    if (fabs(ro) < FLT_MIN && ro != 0 && !unbounded)
        *flags |= FE_UNDERFLOW;              /* tiny before rounding */
    *fr = (*flags & FE_INEXACT) && fabs(r) > fabs(ro);
    if (kind == FA_NMADD || kind == FA_NMSUB)
        r = -r;                              /* negated after rounding */
    return r;
}

static double double_result(unsigned kind, double a, double b, double c, unsigned rn, int *flags, bool *fr)
{
    hostfp h;
    hf_begin(&h, rn);
    double r = op_once(kind, a, b, c);
    int f = hf_end(&h);
    *flags = f & (FE_OVERFLOW | FE_INEXACT);
    *fr = false;
    double m = fabs(r);
    if ((f & FE_INEXACT) || m <= DBL_MIN) {
        /* the exact magnitude, from the result rounded toward zero */
        hf_begin(&h, 1);
        double rz = op_once(kind, a, b, c);
        hf_end(&h);
        if (fabs(rz) < DBL_MIN && (rz != 0 || (f & FE_INEXACT)))
            *flags |= FE_UNDERFLOW;
        *fr = (f & FE_INEXACT) && m > fabs(rz);
    }
    if (kind == FA_NMADD || kind == FA_NMSUB)
        r = -r;
    return r;
}

/* ---- the fast path: round-to-nearest, results far from overflow and underflow ----
 * The inexact flag and FR come from error-free transformations instead of the host's flags:
 * the exact result is r + err with err computed exactly (TwoSum, fma residuals), so the
 * result is exact when err is 0 and was rounded up in magnitude when err has the opposite
 * sign.  Anything near the limits of the format goes to the exact slow path. */
/* 2^-900 <= |x| < 2^900 (NaN and infinity excluded), from the exponent bits */
static inline bool mid_range(double x)
{
    uint64_t b;
    memcpy(&b, &x, 8);
    return (uint32_t)(((b >> 52) & 0x7ff) - (1023 - 900)) < 1800u;
}

static bool single_exact(uint64_t b)
{
    unsigned e = (b >> 52) & 0x7ff;
    return (b & 0x1fffffffull) == 0 && ((b & 0x7fffffffffffffffull) == 0 || (e > 896 && e < 1151));
}

/* err: the sign of (exact - r), as a double with that sign (0 when exact) */
static inline __attribute__((always_inline)) bool fast_double(unsigned kind, double a, double b, double c, double *res, double *err)
{
    double r, e;
    switch (kind) {
    case FA_ADD: case FA_SUB: {
        double y = kind == FA_ADD ? b : -b;
        r = a + y;
        OPT_BARRIER(r);
        if (r == 0) { *res = r; *err = 0; return a != 0 && mid_range(a); }
        if (!mid_range(r) || !mid_range(a) || !(mid_range(y) || y == 0))
            return false;
        double bb = r - a;
        e = (a - (r - bb)) + (y - bb);
        break;
    }
    case FA_MUL:
        r = a * c;
        OPT_BARRIER(r);
        if (!mid_range(r))
            return false;
        e = fma(a, c, -r);
        break;
    case FA_DIV:
        r = a / b;
        OPT_BARRIER(r);
        if (!mid_range(r) || !mid_range(a) || !mid_range(b))
            return false;
        e = fma(-r, b, a);                 /* remainder: exact - r has the sign of e * b */
        if (b < 0)
            e = -e;
        break;
    case FA_MADD: case FA_MSUB: case FA_NMADD: case FA_NMSUB: {
        double y = (kind == FA_MSUB || kind == FA_NMSUB) ? -b : b;
        r = fma(a, c, y);
        OPT_BARRIER(r);
        /* ErrFma (Boldo and Muller): r + g + z1 is the exact a*c + y */
        double u1 = a * c;
        if (!mid_range(r) || !mid_range(u1) || !(mid_range(y) || y == 0))
            return false;
        double u2 = fma(a, c, -u1);
        double a1 = y + u2, t = a1 - y;
        double z1 = (y - (a1 - t)) + (u2 - t);
        double b1 = u1 + a1, t2 = b1 - u1;
        double b2 = (u1 - (b1 - t2)) + (a1 - t2);
        double g = (b1 - r) + b2;
        /* g and z1 are exact, so their rounded sum is 0 only when the error is 0 and has
           its sign otherwise (gradual underflow: x + y == 0 only when x == -y) */
        e = g + z1;
        break;
    }
    default:
        return false;
    }
    *res = r;
    *err = e;
    return true;
}

/* Returns false when the slow path must decide. */
static inline __attribute__((always_inline)) bool fast_arith(unsigned kind, bool single, uint64_t ab, uint64_t bb, uint64_t cb,
                       uint64_t *res, bool *fi, bool *fr)
{
    double a = d_of(ab), b = d_of(bb), c = d_of(cb), r, err;
    if (single) {
        if (kind > FA_DIV || !single_exact(ab) || !single_exact(bb) || !single_exact(cb))
            return false;
        if (!fast_double(kind, a, b, c, &r, &err))
            return false;
        volatile double vr = r;
        float f = (float)vr;
        double fd = f;
        if (!(fabs(fd) >= 0x1p-125 && fabs(fd) < 0x1p127) && fd != 0)
            return false;                  /* near the single-precision limits */
        if (fd == 0 && r != 0)
            return false;
        *fi = err != 0 || fd != r;
        /* rounded up in magnitude: f beyond r, or f == r and the exact value below it */
        *fr = fd != r ? fabs(fd) > fabs(r) : (err != 0 && (err < 0) != (r < 0));
        *res = b_of(fd);
        return true;
    }
    if (!fast_double(kind, a, b, c, &r, &err))
        return false;
    if (kind == FA_NMADD || kind == FA_NMSUB)
        r = -r, err = -err;
    *fi = err != 0;
    *fr = err != 0 && (err < 0) != (r < 0);
    *res = b_of(r);
    return true;
}

/* Operands a (frA), b (frB), c (frC) of `kind` that take part. */
static unsigned operand_mask(unsigned kind)
{
    switch (kind) {
    case FA_ADD: case FA_SUB: case FA_DIV: return 3;     /* a, b */
    case FA_MUL: return 5;                               /* a, c */
    case FA_SQRT: case FA_RES: case FA_RSQRTE: case FA_RSP: return 2;
    default: return 7;
    }
}

/* Invalid-operation cause of an operation without NaN operands, or 0. */
static uint32_t invalid_cause(unsigned kind, uint64_t a, uint64_t b, uint64_t c)
{
    bool sub;
    switch (kind) {
    case FA_ADD: case FA_SUB:
        sub = (kind == FA_SUB) ^ ((a >> 63) != (b >> 63));
        return is_inf_b(a) && is_inf_b(b) && sub ? FPSCR_VXISI : 0;
    case FA_MUL:
        return (is_inf_b(a) && is_zero_b(c)) || (is_zero_b(a) && is_inf_b(c)) ? FPSCR_VXIMZ : 0;
    case FA_DIV:
        if (is_zero_b(a) && is_zero_b(b)) return FPSCR_VXZDZ;
        if (is_inf_b(a) && is_inf_b(b)) return FPSCR_VXIDI;
        return 0;
    case FA_SQRT: case FA_RSQRTE:
        return (b >> 63) && !is_zero_b(b) ? FPSCR_VXSQRT : 0;
    case FA_MADD: case FA_MSUB: case FA_NMADD: case FA_NMSUB:
        if ((is_inf_b(a) && is_zero_b(c)) || (is_zero_b(a) && is_inf_b(c)))
            return FPSCR_VXIMZ;
        if ((is_inf_b(a) || is_inf_b(c)) && is_inf_b(b)) {
            bool prod_neg = (a >> 63) != (c >> 63);
            bool addend_neg = (b >> 63) ^ (kind == FA_MSUB || kind == FA_NMSUB);
            return prod_neg != addend_neg ? FPSCR_VXISI : 0;
        }
        return 0;
    }
    return 0;
}

/* ---- enabled overflow and underflow: the exponent-adjusted result ----
 * With FPSCR[OE] set, an operation that overflows delivers its rounded result (exponent range
 * unbounded) with the exponent reduced by 1536, or by 192 for single-precision operations and
 * frsp; with FPSCR[UE] set a tiny result is delivered with the exponent increased by as much
 * (Programming Environments Manual, "Overflow Exception Condition" and "Underflow Exception
 * Condition").  QEMU 7.2 does not adjust (its code says "XXX: should adjust the result").
 * The adjusted result is the operation on operands scaled so that the exact result is scaled by
 * 2^k and lies well inside the double range, rounded once.  Every scaling is exact: the power
 * of two is shared between the factors of a product or quotient so that neither leaves
 * [2^-1000, 2^1000], and an addend so far below the other term that it can only decide the
 * rounding direction is first replaced by a value of its sign just as insignificant, which
 * scaling cannot push into the denormal range. */

/* The part of the scaling 2^k that keeps x (nonzero) inside [2^-1000, 2^1000]. */
static int scale_share(double x, int k)
{
    int e = ilogb(x), lo = -1000 - e, hi = 1000 - e;
    return k < lo ? lo : k > hi ? hi : k;
}

/* x when it can matter next to a term of magnitude >= 2^e whose lowest bit is above 2^(e-gap),
   else 2^(e-gap) with the sign of x: both leave the same rounding decisions. */
static double insignificant_as(double x, int e, int gap)
{
    if (x == 0 || ilogb(x) >= e - gap)
        return x;
    return copysign(ldexp(1.0, e - gap), x);
}

/* Scales the operands so that the exact result of `kind` is scaled by 2^k; called only for
   an overflowing (k < 0) or tiny (k > 0) result, which bounds the operands' exponents. */
static void scale_operands(unsigned kind, int k, double *a, double *b, double *c)
{
    switch (kind) {
    case FA_ADD: case FA_SUB: {
        if (k < 0) {   /* overflow: the larger term is near the top of the range */
            int e = *a == 0 ? ilogb(*b) : *b == 0 ? ilogb(*a) : ilogb(*a) > ilogb(*b) ? ilogb(*a) : ilogb(*b);
            *a = insignificant_as(*a, e, 60);
            *b = insignificant_as(*b, e, 60);
        }
        *a = ldexp(*a, k);
        *b = ldexp(*b, k);
        return;
    }
    case FA_MUL: {
        int ka = scale_share(*a, k);
        *a = ldexp(*a, ka);
        *c = ldexp(*c, k - ka);
        return;
    }
    case FA_DIV: {
        int ka = scale_share(*a, k);
        *a = ldexp(*a, ka);
        *b = ldexp(*b, ka - k);
        return;
    }
    case FA_MADD: case FA_MSUB: case FA_NMADD: case FA_NMSUB: {
        bool prod = *a != 0 && *c != 0;
        int ep = prod ? ilogb(*a) + ilogb(*c) : 0;
        if (k < 0 && prod && *b != 0 && ep < ilogb(*b) - 60) {
            /* the product only decides the rounding direction of the addend */
            *a = copysign(ldexp(1.0, ilogb(*b) - 60 + k), *a);
            *c = copysign(1.0, *c);
        } else if (prod) {
            /* the exact product has its lowest bit above 2^(ep - 110) */
            if (k < 0)
                *b = insignificant_as(*b, ep, 110);
            int ka = scale_share(*a, k);
            *a = ldexp(*a, ka);
            *c = ldexp(*c, k - ka);
        }
        *b = ldexp(*b, k);
        return;
    }
    case FA_RES:
        *b = ldexp(*b, -k);
        return;
    default:   /* FA_RSP */
        *b = ldexp(*b, k);
        return;
    }
}

static void convert_to_int(ppc_env *e, unsigned kind, unsigned ft, uint64_t b, bool rc)
{
    uint32_t old = e->fpscr;
    uint64_t res;
    uint32_t exc = 0;
    if (is_nan_b(b)) {
        exc = FPSCR_VXCVI | (is_snan_b(b) ? FPSCR_VXSNAN : 0);
        res = 0x80000000u;
    } else {
        double x = d_of(b);
        hostfp h;
        hf_begin(&h, kind == FA_CTIWZ ? 1 : (e->fpscr & FPSCR_RN));
        volatile double vx = x;
        double r = nearbyint(vx);
        OPT_BARRIER(r);
        hf_end(&h);
        if (r > 2147483647.0) {
            exc = FPSCR_VXCVI;
            res = 0x7fffffffu;
        } else if (r < -2147483648.0) {
            exc = FPSCR_VXCVI;
            res = 0xffffffff80000000ull;
        } else {
            res = (uint64_t)(int64_t)(int32_t)r;   /* QEMU 7.2 sign-extends (the high word is undefined) */
            bool inexact = r != x;
            e->fpscr &= ~(FPSCR_FI | FPSCR_FR);
            if (inexact)
                e->fpscr |= FPSCR_FI | FPSCR_XX | (fabs(r) > fabs(x) ? FPSCR_FR : 0);
        }
    }
    if (exc) {
        e->fpscr |= exc;
        e->fpscr &= ~(FPSCR_FI | FPSCR_FR);
        if (!(e->fpscr & FPSCR_VE))   /* FPRF is undefined here; QEMU 7.2 says "quiet NaN" */
            e->fpscr = (e->fpscr & ~FPSCR_FPRF) | 0x11u << FPSCR_FPRF_SHIFT;
    }
    fpscr_update(e, old);
    if (!(exc && (e->fpscr & FPSCR_VE)))
        write_fpr(e, ft, res);
    if (rc)
        set_cr1(e);
    maybe_raise(e, e->fpscr & ~old, false);
}

static __attribute__((noinline)) uint64_t farith(void *env, uint64_t k, uint64_t regs)
{
    ppc_env *e = env;
    unsigned kind = k & 0xff;
    bool single = k & 0x100, rc = k & 0x200;
    unsigned ft = regs & 31, fa = (regs >> 8) & 31, fb = (regs >> 16) & 31, fc = (regs >> 24) & 31;
    uint64_t a = e->fpr[fa], b = e->fpr[fb], c = e->fpr[fc];
    unsigned rn = e->fpscr & FPSCR_RN;

    if (kind == FA_SEL) {
        double x = d_of(a);
        write_fpr(e, ft, (!is_nan_b(a) && x >= 0.0) ? c : b);
        if (rc)
            set_cr1(e);
        return 0;
    }
    if (kind == FA_CTIW || kind == FA_CTIWZ) {
        convert_to_int(e, kind, ft, b, rc);
        return 0;
    }

    uint32_t old = e->fpscr;
    uint64_t res;
    bool fi = false, fr = false, suppress = false;
    /* The common case first: round to nearest, no exception enabled, ordinary operands and
       result.  Only FI, FR, XX (and FX when XX is new) and FPRF can change. */
    if (!(old & (FPSCR_RN | FPSCR_VE | FPSCR_OE | FPSCR_UE | FPSCR_ZE | FPSCR_XE)) &&
        fast_arith(kind, single, a, b, c, &res, &fi, &fr)) {
        uint32_t f = old & ~(FPSCR_FI | FPSCR_FR | FPSCR_FPRF);
        if (fi)
            f |= FPSCR_FI | FPSCR_XX | ((old & FPSCR_XX) ? 0 : FPSCR_FX);
        if (fr)
            f |= FPSCR_FR;
        f |= (is_zero_b(res) ? ((res >> 63) ? 0x12u : 0x02u) : ((res >> 63) ? 0x08u : 0x04u)) << FPSCR_FPRF_SHIFT;
        e->fpscr = f;
        write_fpr(e, ft, res);
        if (rc)
            set_cr1(e);
        return 0;
    }
    uint32_t exc = 0;
    unsigned m = operand_mask(kind);
    uint64_t ops[3] = { a, b, c };
    bool nan_in = false;
    for (int i = 0; i < 3; i++) {
        if ((m >> i & 1) && is_nan_b(ops[i])) {
            if (is_snan_b(ops[i]))
                exc |= FPSCR_VXSNAN;
            nan_in = true;
        }
    }
    if (nan_in) {
        /* priority frA, frB, frC */
        res = 0;
        for (int i = 0; i < 3; i++)
            if ((m >> i & 1) && is_nan_b(ops[i])) {
                res = quiet(ops[i], single);
                break;
            }
        /* a fused multiply of zero by infinity is invalid even with a NaN addend */
        if ((kind == FA_MADD || kind == FA_MSUB || kind == FA_NMADD || kind == FA_NMSUB) &&
            ((is_inf_b(a) && is_zero_b(c)) || (is_zero_b(a) && is_inf_b(c))))
            exc |= FPSCR_VXIMZ;
        suppress = (exc & FPSCR_VX_ALL) && (old & FPSCR_VE);
    } else if ((exc = invalid_cause(kind, a, b, c)) != 0) {
        res = DNAN;
        suppress = old & FPSCR_VE;
    } else if ((kind == FA_DIV && is_zero_b(b) && !is_inf_b(a)) ||
               ((kind == FA_RES || kind == FA_RSQRTE) && is_zero_b(b))) {
        exc = FPSCR_ZX;
        uint64_t sign = kind == FA_DIV ? (a ^ b) & (1ull << 63) : b & (1ull << 63);
        res = sign | 0x7ff0000000000000ull;
        suppress = old & FPSCR_ZE;
    } else {
        int flags;
        double r = single ? single_result(kind, d_of(a), d_of(b), d_of(c), rn, false, &flags, &fr)
                          : double_result(kind, d_of(a), d_of(b), d_of(c), rn, &flags, &fr);
        fi = flags & FE_INEXACT;
        bool ovf = flags & FE_OVERFLOW, tiny = flags & FE_UNDERFLOW;
        if ((ovf && (old & FPSCR_OE)) || (tiny && (old & FPSCR_UE))) {
            /* enabled: the exponent-adjusted result; FI, FR and XX describe its rounding */
            int k = (ovf ? -1 : 1) * (single ? 192 : 1536), f2;
            double sa = d_of(a), sb = d_of(b), sc = d_of(c);
            scale_operands(kind, k, &sa, &sb, &sc);
            r = single ? single_result(kind, sa, sb, sc, rn, true, &f2, &fr)
                       : double_result(kind, sa, sb, sc, rn, &f2, &fr);
            fi = f2 & FE_INEXACT;
        }
        res = b_of(r);
        if (ovf)
            exc |= FPSCR_OX | ((old & FPSCR_OE) ? 0 : FPSCR_XX);
        if (tiny && (fi || (old & FPSCR_UE)))
            exc |= FPSCR_UX;
        if (fi)
            exc |= FPSCR_XX;
        if (kind == FA_RSQRTE && !is_inf_b(b))
            fi = fr = false;   /* an estimate: exactness flags are not meaningful */
    }
    e->fpscr |= exc;
    if (exc & (FPSCR_VX_ALL | FPSCR_ZX)) {
        e->fpscr &= ~(FPSCR_FI | FPSCR_FR);
    } else {
        e->fpscr &= ~(FPSCR_FI | FPSCR_FR);
        if (fi) e->fpscr |= FPSCR_FI;
        if (fr) e->fpscr |= FPSCR_FR;
    }
    if (!suppress) {
        write_fpr(e, ft, res);
        e->fpscr = (e->fpscr & ~FPSCR_FPRF) | fprf_class(res, single) << FPSCR_FPRF_SHIFT;
    }
    fpscr_update(e, old);
    if (rc)
        set_cr1(e);
    maybe_raise(e, e->fpscr & ~old, false);
    return 0;
}

uint64_t ppc_h_fcmp(void *env, uint64_t k, uint64_t ab, uint64_t unused)
{
    ppc_env *e = env;
    unsigned bf = k & 7;
    bool ordered = k & 0x100;
    uint64_t a = e->fpr[ab & 31], b = e->fpr[(ab >> 8) & 31];
    uint32_t old = e->fpscr, c;
    if (is_nan_b(a) || is_nan_b(b)) {
        c = 1;
        bool snan = is_snan_b(a) || is_snan_b(b);
        if (snan)
            e->fpscr |= FPSCR_VXSNAN;
        if (ordered && (!snan || !(old & FPSCR_VE)))
            e->fpscr |= FPSCR_VXVC;
    } else {
        double x = d_of(a), y = d_of(b);
        c = x < y ? 8 : x > y ? 4 : 2;
    }
    e->crf[bf] = c;
    e->fpscr = (e->fpscr & ~(0xfu << FPSCR_FPRF_SHIFT)) | c << FPSCR_FPRF_SHIFT;
    fpscr_update(e, old);
    maybe_raise(e, e->fpscr & ~old, false);
    return 0;
}

uint64_t ppc_h_fcheck(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    set_cr1(env);
    return 0;
}

uint64_t ppc_h_mffs(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    return ((ppc_env *)env)->fpscr;
}

uint64_t ppc_h_mtfsf(void *env, uint64_t arg, uint64_t v, uint64_t c)
{
    ppc_env *e = env;
    uint32_t old = e->fpscr, mask = 0;
    for (int i = 0; i < 8; i++)
        if (arg & (0x80u >> i))
            mask |= 0xfu << (28 - 4 * i);
    mask &= ~(FPSCR_FEX | FPSCR_VX);
    e->fpscr = (e->fpscr & ~mask) | ((uint32_t)v & mask);
    /* FX is written, not derived, by mtfsf */
    uint32_t fx = e->fpscr & FPSCR_FX;
    fpscr_update(e, e->fpscr);
    e->fpscr = (e->fpscr & ~FPSCR_FX) | fx;
    if (arg & 0x100)
        set_cr1(e);
    if ((e->fpscr & FPSCR_FEX) && !(old & FPSCR_FEX) && fp_interrupts(e))
        emu_cpu_raise(e, EMU_EXCP_FP, fpe_code(e->fpscr), true);
    return 0;
}

uint64_t ppc_h_mtfsb(void *env, uint64_t arg, uint64_t set, uint64_t c)
{
    ppc_env *e = env;
    unsigned bit = arg & 31;
    uint32_t m = 0x80000000u >> bit, old = e->fpscr;
    if (m == FPSCR_FEX || m == FPSCR_VX) {
        /* cannot be set or cleared directly */
    } else if (set) {
        e->fpscr |= m;
    } else {
        e->fpscr &= ~m;
    }
    uint32_t fx = e->fpscr & FPSCR_FX;
    fpscr_update(e, old);
    if (!set || m == FPSCR_FX)
        e->fpscr = (e->fpscr & ~FPSCR_FX) | fx;
    if (arg & 0x100)
        set_cr1(e);
    if ((e->fpscr & FPSCR_FEX) && !(old & FPSCR_FEX) && fp_interrupts(e))
        emu_cpu_raise(e, EMU_EXCP_FP, fpe_code(e->fpscr), true);
    return 0;
}

uint64_t ppc_h_mcrfs(void *env, uint64_t crfd, uint64_t crfs, uint64_t c)
{
    ppc_env *e = env;
    unsigned sh = 28 - 4 * (crfs & 7);
    e->crf[crfd & 7] = (e->fpscr >> sh) & 15;
    uint32_t clear = (0xfu << sh) & (FPSCR_FX | FPSCR_EXC_STICKY);
    uint32_t old = e->fpscr;
    e->fpscr &= ~clear;
    uint32_t fx = e->fpscr & FPSCR_FX;
    fpscr_update(e, e->fpscr);
    e->fpscr = (e->fpscr & ~FPSCR_FX) | fx;
    (void)old;
    return 0;
}

uint64_t ppc_h_farith(void *env, uint64_t k, uint64_t regs, uint64_t unused)
{
    return farith(env, k, regs);
}

/* On x86-64 the fast helpers are also built for hosts with FMA instructions (chosen when the
   plugin loads): fma() is then one instruction instead of a libm call.  No a * b + c of the
   error-free transformations may be contracted into an fma: fpu.c is compiled with
   fp-contract off (the pragma at the top). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FMA_CLONES __attribute__((target_clones("fma", "default")))
#else
#define FMA_CLONES
#endif

/* One helper per common operation: the fast path with the operation known at compile time,
   everything else through farith(). */
#define FAST_HELPER(name, KIND, SINGLE)                                                        \
    FMA_CLONES uint64_t name(void *env, uint64_t rc, uint64_t regs, uint64_t unused)           \
    {                                                                                          \
        ppc_env *e = env;                                                                      \
        uint32_t old = e->fpscr;                                                               \
        uint64_t res;                                                                          \
        bool fi, fr;                                                                           \
        unsigned ft = regs & 31, fa = (regs >> 8) & 31, fb = (regs >> 16) & 31, fc = (regs >> 24) & 31; \
        if (__builtin_expect(!(old & (FPSCR_RN | FPSCR_VE | FPSCR_OE | FPSCR_UE | FPSCR_ZE | FPSCR_XE)), 1) && \
            fast_arith(KIND, SINGLE, e->fpr[fa], e->fpr[fb], e->fpr[fc], &res, &fi, &fr)) {    \
            uint32_t f = old & ~(FPSCR_FI | FPSCR_FR | FPSCR_FPRF);                             \
            if (fi)                                                                            \
                f |= FPSCR_FI | FPSCR_XX | ((old & FPSCR_XX) ? 0 : FPSCR_FX);                  \
            if (fr)                                                                            \
                f |= FPSCR_FR;                                                                 \
            f |= (is_zero_b(res) ? ((res >> 63) ? 0x12u : 0x02u) : ((res >> 63) ? 0x08u : 0x04u)) \
                 << FPSCR_FPRF_SHIFT;                                                          \
            e->fpscr = f;                                                                      \
            e->fpr[ft] = res;                                                                  \
            if (rc)                                                                            \
                set_cr1(e);                                                                    \
            return 0;                                                                          \
        }                                                                                      \
        return farith(env, KIND | (SINGLE ? 0x100u : 0) | (rc ? 0x200u : 0), regs);           \
    }

FAST_HELPER(ppc_h_fadd, FA_ADD, false)
FAST_HELPER(ppc_h_fsub, FA_SUB, false)
FAST_HELPER(ppc_h_fmul, FA_MUL, false)
FAST_HELPER(ppc_h_fdiv, FA_DIV, false)
FAST_HELPER(ppc_h_fmadd, FA_MADD, false)
FAST_HELPER(ppc_h_fmsub, FA_MSUB, false)
FAST_HELPER(ppc_h_fnmadd, FA_NMADD, false)
FAST_HELPER(ppc_h_fnmsub, FA_NMSUB, false)
FAST_HELPER(ppc_h_fadds, FA_ADD, true)
FAST_HELPER(ppc_h_fsubs, FA_SUB, true)
FAST_HELPER(ppc_h_fmuls, FA_MUL, true)
FAST_HELPER(ppc_h_fdivs, FA_DIV, true)
