/* The 32-bit PowerPC vDSO: an ELF image holding the signal trampolines with the unwind tables
 * a Linux kernel's vDSO gives them (arch/powerpc/kernel/vdso/sigtramp32.S).
 *
 * libgcc finds a frame's unwind information through dl_iterate_phdr, which lists the vDSO
 * that AT_SYSINFO_EHDR announces.  Its fallback for code without unwind information (the
 * `li r0,N; sc` reading of linux-unwind.h) stops with abort() in GCC 12's libgcc (the column
 * it gives the return address in fails the register size check of _Unwind_GetGR), so
 * pthread_cancel, backtrace() and exceptions thrown from handlers need these tables, as on a
 * real kernel.
 *
 * The image: ELF header, three program headers (the load segment, the dynamic section,
 * PT_GNU_EH_FRAME), the dynamic section (hash, symbol and string tables naming the soname
 * linux-vdso32.so.1 and the two trampolines, so dladdr and backtrace_symbols work on them),
 * .eh_frame_hdr without a search table, those tables, the two trampolines (each preceded by a
 * nop that its FDE covers: the unwinder looks the return address up less one), then
 * .eh_frame: one CIE ("zRS", return address column 67) and one FDE per trampoline whose rules
 * are expressions: the saved registers (struct mcontext) are at the pointer stored PTREGS
 * bytes above the handler's stack pointer, which is r1 in the trampoline's frame. */
#include <string.h>
#include "linux-ppc.h"

#define PHDRS 52
#define DYNAMIC (PHDRS + 3 * 32)
#define DYNAMIC_SIZE (7 * 8)
#define EH_FRAME_HDR (DYNAMIC + DYNAMIC_SIZE)
#define HASH (EH_FRAME_HDR + 8)
#define SYMTAB (HASH + 6 * 4 + 4)
#define STRTAB (SYMTAB + 3 * 16)
#define VDSO_CODE PPC_VDSO_SIGTRAMP
#define VDSO_EH_FRAME (PPC_VDSO_SIGTRAMP_RT + 0x30)
/* Where the handler's stack pointer + PTREGS holds the mcontext pointer: sigcontext.regs of a
   classic frame, uc.uc_regs of an rt frame (64-byte frame + 16 bytes, siginfo, 48 bytes in). */
#define PTREGS_CLASSIC (64 + 28)
#define PTREGS_RT (64 + 16 + 128 + 48)
/* DWARF columns of GCC's PowerPC unwind tables. */
#define COL_LR 65
#define COL_NIP 67               /* the "ap" column: the return address column */
#define COL_CR2 70
#define COL_FPR0 32
/* mcontext offsets (pt_regs words, then the FP registers) */
#define MC_NIP (32 * 4)
#define MC_LINK (36 * 4)
#define MC_CCR (38 * 4)
#define MC_FPR (48 * 4)

uint8_t ppc_vdso_image[4096];
static uint32_t ppc_vdso_size;

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* A growing byte string inside the image. */
typedef struct out {
    uint32_t pos;
} out;

static void byte(out *o, unsigned v)
{
    ppc_vdso_image[o->pos++] = (uint8_t)v;
}

static void uleb(out *o, uint32_t v)
{
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        byte(o, v ? b | 0x80 : b);
    } while (v);
}

static void sleb(out *o, int32_t v)
{
    for (;;) {
        uint8_t b = v & 0x7f;
        v >>= 7;   /* arithmetic shift */
        if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
            byte(o, b);
            return;
        }
        byte(o, b | 0x80);
    }
}

static void word(out *o, uint32_t v)
{
    put32(ppc_vdso_image + o->pos, v);
    o->pos += 4;
}

static void align4(out *o)
{
    while (o->pos & 3)
        byte(o, 0);   /* DW_CFA_nop */
}

/* A DWARF expression with its length byte: DW_OP_breg1 ptregs; DW_OP_deref (the mcontext
   address); DW_OP_plus_uconst off (a field's address); DW_OP_deref again when `load`. */
static void field_expr(out *o, int ptregs, uint32_t off, bool load)
{
    uint32_t len_at = o->pos;
    byte(o, 0);                /* length, patched below (always < 128) */
    byte(o, 0x71);             /* DW_OP_breg1 */
    sleb(o, ptregs);
    byte(o, 0x06);             /* DW_OP_deref */
    if (off) {
        byte(o, 0x23);         /* DW_OP_plus_uconst */
        uleb(o, off);
    }
    if (load)
        byte(o, 0x06);
    ppc_vdso_image[len_at] = (uint8_t)(o->pos - len_at - 1);
}

/* DW_CFA_expression: column col is saved at mcontext offset off. */
static void saved_at(out *o, int ptregs, unsigned col, uint32_t off)
{
    byte(o, 0x10);
    uleb(o, col);
    field_expr(o, ptregs, off, false);
}

/* One FDE covering [code - 4, code + 8). */
static void fde(out *o, uint32_t cie, uint32_t code, int ptregs)
{
    uint32_t len_at = o->pos;
    word(o, 0);                               /* length, patched below */
    word(o, o->pos - cie);                    /* CIE pointer: distance back to the CIE */
    word(o, code - 4 - o->pos);               /* pc begin, pc-relative */
    word(o, 12);                              /* pc range */
    uleb(o, 0);                               /* augmentation data length */
    /* DW_CFA_def_cfa_expression: the CFA is the interrupted r1, gpr[1] of the mcontext */
    byte(o, 0x0f);
    field_expr(o, ptregs, 4, true);
    for (unsigned r = 0; r < 32; r++)
        if (r != 1)
            saved_at(o, ptregs, r, 4 * r);
    for (unsigned f = 0; f < 32; f++)
        saved_at(o, ptregs, COL_FPR0 + f, MC_FPR + 8 * f);
    saved_at(o, ptregs, COL_LR, MC_LINK);
    for (unsigned c = 0; c < 3; c++)          /* cr2-cr4, the callee-saved fields */
        saved_at(o, ptregs, COL_CR2 + c, MC_CCR);
    saved_at(o, ptregs, COL_NIP, MC_NIP);
    align4(o);
    put32(ppc_vdso_image + len_at, o->pos - len_at - 4);
}

__attribute__((constructor)) static void build_vdso(void)
{
    uint8_t *img = ppc_vdso_image;
    memset(img, 0, sizeof ppc_vdso_image);

    /* the trampolines: nop; li r0,__NR_sigreturn; sc   nop; li r0,__NR_rt_sigreturn; sc */
    static const uint32_t code[] = {
        0x60000000, 0x38000077, 0x44000002, 0x60000000, 0x60000000, 0x380000ac, 0x44000002,
    };
    for (unsigned i = 0; i < sizeof code / sizeof code[0]; i++)
        put32(img + VDSO_CODE - 4 + 4 * i, code[i]);

    out o = { VDSO_EH_FRAME };
    uint32_t cie = o.pos;
    word(&o, 0);                              /* length, patched below */
    word(&o, 0);                              /* CIE id */
    byte(&o, 1);                              /* version */
    byte(&o, 'z'), byte(&o, 'R'), byte(&o, 'S'), byte(&o, 0);
    uleb(&o, 4);                              /* code alignment */
    sleb(&o, -4);                             /* data alignment */
    byte(&o, COL_NIP);                        /* return address column */
    uleb(&o, 1);                              /* augmentation data: */
    byte(&o, 0x1b);                           /*   FDE pointers pc-relative sdata4 */
    byte(&o, 0x0c), uleb(&o, 1), uleb(&o, 0); /* DW_CFA_def_cfa r1, 0 */
    align4(&o);
    put32(img + cie, o.pos - cie - 4);
    fde(&o, cie, PPC_VDSO_SIGTRAMP, PTREGS_CLASSIC);
    fde(&o, cie, PPC_VDSO_SIGTRAMP_RT, PTREGS_RT);
    word(&o, 0);                              /* end of .eh_frame */
    ppc_vdso_size = o.pos;
    _Static_assert(STRTAB + 62 <= VDSO_CODE - 4, "the tables overlap the code");

    /* ELF header: 32-bit, big-endian, ET_DYN, EM_PPC */
    static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 1, 2, 1 };
    memcpy(img, ident, sizeof ident);
    put16(img + 16, 3);
    put16(img + 18, 20);
    put32(img + 20, 1);
    put32(img + 28, PHDRS);
    put16(img + 40, 52);
    put16(img + 42, 32);
    put16(img + 44, 3);
    put16(img + 46, 40);
    /* program headers: type, offset, vaddr, paddr, filesz, memsz, flags, align */
    const uint32_t ph[3][8] = {
        { 1, 0, 0, 0, ppc_vdso_size, ppc_vdso_size, 5 /* r-x */, 4096 },
        { 2, DYNAMIC, DYNAMIC, DYNAMIC, DYNAMIC_SIZE, DYNAMIC_SIZE, 4, 4 },
        { 0x6474e550, EH_FRAME_HDR, EH_FRAME_HDR, EH_FRAME_HDR, 8, 8, 4, 4 },
    };
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 8; j++)
            put32(img + PHDRS + 32 * i + 4 * j, ph[i][j]);
    /* the dynamic section: DT_HASH, DT_STRTAB, DT_SYMTAB, DT_STRSZ, DT_SYMENT, DT_SONAME,
       DT_NULL; a one-bucket hash table chaining symbols 2, 1; symbols 1 and 2 global
       functions (section index 1: defined, not absolute) */
    static const char strings[] = "\0linux-vdso32.so.1\0__kernel_sigtramp32\0__kernel_sigtramp_rt32";
    const uint32_t name_soname = 1, name_sig = name_soname + 18, name_rt = name_sig + 20;
    memcpy(img + STRTAB, strings, sizeof strings);
    const uint32_t dyn[7][2] = {
        { 4, HASH }, { 5, STRTAB }, { 6, SYMTAB }, { 10, sizeof strings }, { 11, 16 },
        { 14, name_soname }, { 0, 0 },
    };
    for (int i = 0; i < 7; i++) {
        put32(img + DYNAMIC + 8 * i, dyn[i][0]);
        put32(img + DYNAMIC + 8 * i + 4, dyn[i][1]);
    }
    const uint32_t hash[6] = { 1, 3, 2, 0, 0, 1 };
    for (int i = 0; i < 6; i++)
        put32(img + HASH + 4 * i, hash[i]);
    const uint32_t syms[2][3] = {
        { name_sig, PPC_VDSO_SIGTRAMP, 8 }, { name_rt, PPC_VDSO_SIGTRAMP_RT, 8 },
    };
    for (int i = 0; i < 2; i++) {
        uint8_t *sym = img + SYMTAB + 16 * (i + 1);
        put32(sym, syms[i][0]);
        put32(sym + 4, syms[i][1]);
        put32(sym + 8, syms[i][2]);
        sym[12] = 0x12;   /* STB_GLOBAL, STT_FUNC */
        put16(sym + 14, 1);
    }
    /* .eh_frame_hdr: version 1, eh_frame_ptr pc-relative sdata4, no FDE count and no table
       (unwinders search .eh_frame) */
    img[EH_FRAME_HDR] = 1;
    img[EH_FRAME_HDR + 1] = 0x1b;
    img[EH_FRAME_HDR + 2] = 0xff;
    img[EH_FRAME_HDR + 3] = 0xff;
    put32(img + EH_FRAME_HDR + 4, VDSO_EH_FRAME - (EH_FRAME_HDR + 4));
}
