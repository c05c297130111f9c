/* Test harness: run raw 32-bit PowerPC code in user mode inside the test process (a 4 GiB guest
 * reservation, pages mapped on demand), plus instruction encoders for hand-assembled tests. */
#ifndef EMU_TESTS_PPC_HARNESS_H
#define EMU_TESTS_PPC_HARNESS_H

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "emu/cpu-plugin.h"
#include "exec/user-exec.h"
#include "machine.h"

typedef struct ph {
    emu_machine *m;
    emu_user_space sp;
    emu_cpu *cpu;
} ph;

static inline int ph_init(ph *h, const char *type)
{
    memset(h, 0, sizeof *h);
    emu_error *err = NULL;
    h->sp.size = 1ull << 32;
    void *p = mmap(NULL, h->sp.size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    h->sp.host_base = p;
    h->sp.page_flags = calloc(h->sp.size >> EMU_USER_PAGE_BITS, 1);
    h->m = emu_machine_new("ppc-test", &err);
    if (!h->m)
        return -1;
    h->cpu = emu_user_cpu_new(h->m, type, "cpu0", &h->sp, &err);
    if (!h->cpu) {
        fprintf(stderr, "# %s\n", emu_error_message(err));
        emu_error_free(err);
        return -1;
    }
    return 0;
}

static inline void ph_fini(ph *h)
{
    emu_machine_free(h->m);
    munmap(h->sp.host_base, h->sp.size);
    free(h->sp.page_flags);
}

static inline void ph_map(ph *h, uint32_t addr, uint32_t len, unsigned flags)
{
    uint32_t start = addr & ~0xfffu, end = (addr + len + 0xfff) & ~0xfffu;
    int prot = ((flags & EMU_USER_PAGE_READ) ? PROT_READ : 0) | ((flags & EMU_USER_PAGE_WRITE) ? PROT_WRITE : 0);
    emu_user_flush_range(h->m, start, end - start);
    mprotect(h->sp.host_base + start, end - start, prot);
    memset(h->sp.page_flags + (start >> 12), (int)flags, (end - start) >> 12);
}

static inline void ph_put32(ph *h, uint32_t addr, uint32_t w)
{
    uint8_t *p = h->sp.host_base + addr;
    p[0] = (uint8_t)(w >> 24); p[1] = (uint8_t)(w >> 16); p[2] = (uint8_t)(w >> 8); p[3] = (uint8_t)w;
}

static inline uint32_t ph_get32(ph *h, uint32_t addr)
{
    const uint8_t *p = h->sp.host_base + addr;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Code at `addr` (mapped read+exec+write so tests can patch it through the guest). */
static inline void ph_code(ph *h, uint32_t addr, const uint32_t *w, size_t n)
{
    ph_map(h, addr, (uint32_t)(n * 4), EMU_USER_PAGE_READ | EMU_USER_PAGE_WRITE | EMU_USER_PAGE_EXEC);
    for (size_t i = 0; i < n; i++)
        ph_put32(h, addr + 4 * (uint32_t)i, w[i]);
}

static inline uint64_t ph_reg(ph *h, const char *name)
{
    int i = emu_cpu_reg_find(h->cpu, name);
    return i < 0 ? 0xdeadbeefdeadbeefull : emu_cpu_reg_read(h->cpu, (unsigned)i);
}

static inline void ph_set(ph *h, const char *name, uint64_t v)
{
    int i = emu_cpu_reg_find(h->cpu, name);
    if (i >= 0)
        emu_cpu_reg_write(h->cpu, (unsigned)i, v);
}

static inline emu_user_stop_kind ph_run(ph *h, uint32_t pc, uint64_t budget, emu_user_stop *st)
{
    emu_cpu_set_pc(h->cpu, pc);
    return emu_user_cpu_run(h->cpu, budget, st);
}

/* ---- encoders ---- */
#define P_D(op, t, a, imm) ((uint32_t)(op) << 26 | (uint32_t)(t) << 21 | (uint32_t)(a) << 16 | ((uint32_t)(imm) & 0xffff))
#define P_X(op, t, a, b, xo, rc) ((uint32_t)(op) << 26 | (uint32_t)(t) << 21 | (uint32_t)(a) << 16 | (uint32_t)(b) << 11 | (uint32_t)(xo) << 1 | (rc))
#define ADDI(t, a, i) P_D(14, t, a, i)
#define LI(t, i) ADDI(t, 0, i)
#define ADDIS(t, a, i) P_D(15, t, a, i)
#define LIS(t, i) ADDIS(t, 0, i)
#define ORI(a, s, i) P_D(24, s, a, i)
#define ADD(t, a, b) P_X(31, t, a, b, 266, 0)
#define ADD_(t, a, b) P_X(31, t, a, b, 266, 1)
#define ADDO_(t, a, b) P_X(31, t, a, b, 266 + 512, 1)
#define ADDC(t, a, b) P_X(31, t, a, b, 10, 0)
#define ADDE(t, a, b) P_X(31, t, a, b, 138, 0)
#define SUBF(t, a, b) P_X(31, t, a, b, 40, 0)
#define DIVW(t, a, b) P_X(31, t, a, b, 491, 0)
#define DIVWU(t, a, b) P_X(31, t, a, b, 459, 0)
#define MULLW(t, a, b) P_X(31, t, a, b, 235, 0)
#define OR(a, s, b) P_X(31, s, a, b, 444, 0)
#define MR(a, s) OR(a, s, s)
#define CMPW(f, a, b) P_X(31, (f) << 2, a, b, 0, 0)
#define CMPWI(f, a, i) P_D(11, (f) << 2, a, i)
#define CMPLWI(f, a, i) P_D(10, (f) << 2, a, i)
#define LWZ(t, d, a) P_D(32, t, a, d)
#define LWZU(t, d, a) P_D(33, t, a, d)
#define LBZ(t, d, a) P_D(34, t, a, d)
#define STW(s, d, a) P_D(36, s, a, d)
#define STWU(s, d, a) P_D(37, s, a, d)
#define STB(s, d, a) P_D(38, s, a, d)
#define LHA(t, d, a) P_D(42, t, a, d)
#define STH(s, d, a) P_D(44, s, a, d)
#define LWBRX(t, a, b) P_X(31, t, a, b, 534, 0)
#define STWBRX(s, a, b) P_X(31, s, a, b, 662, 0)
#define LMW(t, d, a) P_D(46, t, a, d)
#define STMW(s, d, a) P_D(47, s, a, d)
#define RLWINM(a, s, sh, mb, me) ((21u << 26) | (uint32_t)(s) << 21 | (uint32_t)(a) << 16 | (uint32_t)(sh) << 11 | (uint32_t)(mb) << 6 | (uint32_t)(me) << 1)
#define MTCTR(s) P_X(31, s, 9, 0, 467, 0)
#define MFCTR(t) P_X(31, t, 9, 0, 339, 0)
#define MTLR(s) P_X(31, s, 8, 0, 467, 0)
#define MFLR(t) P_X(31, t, 8, 0, 339, 0)
#define MFCR(t) P_X(31, t, 0, 0, 19, 0)
#define MFXER(t) P_X(31, t, 1, 0, 339, 0)
#define B_(off) ((18u << 26) | ((uint32_t)(off) & 0x03fffffc))
#define BL(off) (B_(off) | 1)
#define BC(bo, bi, off) ((16u << 26) | (uint32_t)(bo) << 21 | (uint32_t)(bi) << 16 | ((uint32_t)(off) & 0xfffc))
#define BDNZ(off) BC(16, 0, off)
#define BNE(off) BC(4, 2, off)
#define BEQ(off) BC(12, 2, off)
#define BLR 0x4e800020u
#define BCTR 0x4e800420u
#define SC 0x44000002u
#define TRAP 0x7fe00008u
#define NOP 0x60000000u

#endif
