/* align: the alignment exception (0x600) in big-endian mode, with DAR and DSISR as the 603e,
 * 604 and 750 manuals give them (DSISR 15-21 from the instruction's opcode bits, 22-26 rD/rS,
 * 27-31 rA; DAR the operand's address).  Taken by lmw/stmw, lwarx/stwcx. and floating-point
 * loads and stores whose operand is not word-aligned, dcbz on write-through or
 * caching-inhibited storage, and eciwx/ecowx not word-aligned (with EAR[E] clear they take a
 * DSI, DSISR bit 11, first).  Handled in hardware, no exception: misaligned integer loads and
 * stores, string instructions, doubleword FP accesses on a word boundary, dcbz in real mode.
 * QEMU 7.2 differs: it takes no alignment exception for lmw/stmw, floating-point accesses or
 * dcbz in big-endian mode, and sets only the register fields of DSISR. */
#include "sys.h"

#define N_ALIGN 0x6800
#define L_DAR 0x6804
#define L_DSISR 0x6808
#define L_SRR0 0x680c
#define N_DSI 0x6810
#define L_DDAR 0x6814
#define L_DDSISR 0x6818
#define DATA 0x3000             /* 0x3000: 00 01 02 ... 3f */
#define EAR 282
#define DBAT1U 538
#define DBAT1L 539
#define DBAT2U 540
#define DBAT2L 541

    .text
    .org 0x100
    li 3, 0
    mtmsr 3
    isync
    ba start

    .org 0x300                  /* DSI: record, skip */
    mfspr 20, DAR
    stw 20, L_DDAR(0)
    mfspr 20, DSISR
    stw 20, L_DDSISR(0)
    lwz 21, N_DSI(0)
    addi 21, 21, 1
    stw 21, N_DSI(0)
    mfspr 20, SRR0
    addi 20, 20, 4
    mtspr SRR0, 20
    rfi

    .org 0x600                  /* alignment: record, skip */
    mfspr 20, DAR
    stw 20, L_DAR(0)
    mfspr 20, DSISR
    stw 20, L_DSISR(0)
    mfspr 20, SRR0
    stw 20, L_SRR0(0)
    lwz 21, N_ALIGN(0)
    addi 21, 21, 1
    stw 21, N_ALIGN(0)
    addi 20, 20, 4
    mtspr SRR0, 20
    rfi

    .org 0x700
    mfspr 20, SRR0
    LOG TAG('P','R','O','G'), 20
    b done
    .org 0x800
    mfspr 20, SRR0
    LOG TAG('F','P','U','N'), 20
    b done

/* what the last alignment exception left: count, DAR, DSISR, SRR0 relative to `label` */
.macro ALIGNED label
    lwz 12, N_ALIGN(0)
    LOG TAG('N','A','L','I'), 12
    lwz 12, L_DAR(0)
    LOG TAG('D','A','R',' '), 12
    lwz 12, L_DSISR(0)
    LOG TAG('D','S','I','S'), 12
    lwz 12, L_SRR0(0)
    LI32 13, \label
    subf 12, 13, 12
    LOG TAG('S','R','R','0'), 12
.endm
.macro COUNT
    lwz 12, N_ALIGN(0)
    LOG TAG('N','A','L','I'), 12
.endm

    .org 0x1000
start:
    /* data: bytes 0..63 at DATA */
    li 3, 0
    li 4, DATA
    li 5, 64
    mtctr 5
1:  stb 3, 0(4)
    addi 3, 3, 1
    addi 4, 4, 1
    bdnz 1b
    li 3, 0x2000                /* FP on */
    mtmsr 3
    isync
    li 10, DATA
    li 20, 0x20
    li 21, 0x21
    /* lmw / stmw: word aligned only */
lmw_at:
    lmw 30, 2(10)
    ALIGNED lmw_at
    LOG TAG('R','3','0',' '), 30
    lmw 30, 4(10)
    LOG TAG('R','3','0',' '), 30
    LOG TAG('R','3','1',' '), 31
    li 11, 0x41
stmw_at:
    stmw 29, 1(11)
    ALIGNED stmw_at
    /* integer accesses and strings: done in hardware */
    lwz 12, 1(10)
    LOG TAG('L','W','Z',' '), 12
    lhz 12, 3(10)
    LOG TAG('L','H','Z',' '), 12
    LI32 12, 0xa1b2c3d4
    stw 12, 0x21(10)
    lwz 12, 0x20(10)
    LOG TAG('S','T','W',' '), 12
    lwz 12, 0x24(10)
    LOG TAG('S','T','W','+'), 12
    addi 11, 10, 5
    lswi 24, 11, 6
    LOG TAG('L','S','W','0'), 24
    LOG TAG('L','S','W','1'), 25
    COUNT
    /* floating point: word-aligned operands are fine, others are not */
    lfd 1, 4(10)
    stfd 1, 0x30(10)
    lwz 12, 0x30(10)
    LOG TAG('L','F','D',' '), 12
lfd_at:
    lfd 1, 6(10)
    ALIGNED lfd_at
lfs_at:
    lfs 2, 1(10)
    ALIGNED lfs_at
    li 11, 3
lfdx_at:
    lfdx 3, 10, 11
    ALIGNED lfdx_at
stfsu_at:
    stfsu 1, 2(10)
    ALIGNED stfsu_at
    LOG TAG('R','1','0',' '), 10    /* not updated */
    /* lwarx / stwcx. */
lwarx_at:
    lwarx 5, 10, 11
    ALIGNED lwarx_at
stwcx_at:
    stwcx. 5, 10, 11
    ALIGNED stwcx_at
    /* dcbz: zeroes a block in cacheable storage (also untranslated), not in caching-inhibited
       or write-through storage */
    li 11, 0x25
    dcbz 10, 11
    lwz 12, 0x20(10)
    LOG TAG('D','C','B','Z'), 12
    COUNT
    li 3, 0x7e                  /* DBAT0: 0-4 MiB, copy-back */
    mtspr DBAT0U, 3
    li 3, 2
    mtspr DBAT0L, 3
    LI32 3, 0x0040003e          /* DBAT1: 4-6 MiB, caching-inhibited (I) */
    mtspr DBAT1U, 3
    LI32 3, 0x00400022
    mtspr DBAT1L, 3
    LI32 3, 0x0060003e          /* DBAT2: 6-8 MiB, write-through (W) */
    mtspr DBAT2U, 3
    LI32 3, 0x00600042
    mtspr DBAT2L, 3
    li 3, 0x2010                /* FP, DR */
    mtmsr 3
    isync
    li 11, 0x40
    LI32 12, 0x55555555
    stw 12, 0x40(10)
    dcbz 10, 11
    lwz 12, 0x40(10)
    LOG TAG('D','C','B','Z'), 12
    LI32 14, 0x00400010
dcbzi_at:
    dcbz 0, 14
    ALIGNED dcbzi_at
    LI32 14, 0x00600008
dcbzw_at:
    dcbz 14, 0
    ALIGNED dcbzw_at
    li 3, 0x2000
    mtmsr 3
    isync
    /* eciwx / ecowx: a DSI while EAR[E] is clear, then word alignment */
    li 11, 8
    eciwx 6, 10, 11
    lwz 12, N_DSI(0)
    LOG TAG('N','D','S','I'), 12
    lwz 12, L_DDSISR(0)
    LOG TAG('D','S','I','S'), 12
    lwz 12, L_DDAR(0)
    LOG TAG('D','A','R',' '), 12
    LI32 3, 0x80000000
    mtspr EAR, 3
    eciwx 6, 10, 11
    LOG TAG('E','C','I','W'), 6
    li 11, 10
eciwx_at:
    eciwx 6, 10, 11
    ALIGNED eciwx_at
    li 11, 0x3e
ecowx_at:
    ecowx 6, 10, 11
    ALIGNED ecowx_at
    LOGI TAG('D','O','N','E'), 0
    b done

    LOG_ROUTINES
