/* tlb603: the 603e's software TLB reload.  Miss handlers in the style of an operating system's
 * (search the PTE groups at HASH1/HASH2 for ICMP/DCMP, set R (and C for a store) in the page
 * table, load RPA and tlbli/tlbld; no PTE: turn the miss into an ISI or DSI) serve loads,
 * stores and instruction fetches through a page table; the program checks the values seen,
 * the miss registers and SRR1 (CR0, key, way, I/D, S/L), that GPR0-3 survive (the handlers run
 * on TGPR0-3), R and C in the page table, a store to a page loaded clean taking the store miss,
 * protection checked on a TLB hit, the way each set replaces next, tlbie, and dcbz taking the
 * caching-inhibited attribute from the TLB entry (alignment exception). */
#include "sys.h"

/* handler records (physical, the handlers run untranslated) */
#define N_IMISS 0x6800
#define N_DLMISS 0x6804
#define N_DSMISS 0x6808
#define L_SRR1 0x6810
#define L_MISS 0x6814
#define L_CMP 0x6818
#define L_HASH1 0x681c
#define L_HASH2 0x6820
#define L_MSR 0x6824
#define N_DSI 0x6830
#define L_DAR 0x6834
#define L_DSISR 0x6838
#define L_DSRR0 0x683c
#define N_ISI 0x6840
#define L_ISRR1 0x6844
#define L_ISRR0 0x6848
#define N_ALIGN 0x6850
#define L_ADAR 0x6854
#define PTE_P0 0x6900           /* address of the PTE of the first page */

    .text
/* ---- vectors ---- */
    .org 0x100                  /* reset: reached at 0xfff00100 with MSR[IP] */
    mfmsr 3
    LOG TAG('M','S','R','0'), 3
    li 3, 0
    mtmsr 3                     /* vectors at 0 from now on */
    isync
    ba start

    .org 0x200
    mfspr 20, SRR0
    LOG TAG('M','C','H','K'), 20
    b done

    .org 0x300                  /* DSI: record, skip the instruction */
    mfspr 20, DAR
    stw 20, L_DAR(0)
    mfspr 20, DSISR
    stw 20, L_DSISR(0)
    mfspr 20, SRR0
    stw 20, L_DSRR0(0)
    addi 20, 20, 4
    mtspr SRR0, 20
    lwz 21, N_DSI(0)
    addi 21, 21, 1
    stw 21, N_DSI(0)
    rfi

    .org 0x400                  /* ISI: record, return to the caller (LR) */
    mfspr 20, SRR1
    stw 20, L_ISRR1(0)
    mfspr 20, SRR0
    stw 20, L_ISRR0(0)
    mflr 20
    mtspr SRR0, 20
    lwz 21, N_ISI(0)
    addi 21, 21, 1
    stw 21, N_ISI(0)
    rfi

    .org 0x600                  /* alignment: record, skip the instruction */
    mfspr 20, DAR
    stw 20, L_ADAR(0)
    lwz 21, N_ALIGN(0)
    addi 21, 21, 1
    stw 21, N_ALIGN(0)
    mfspr 20, SRR0
    addi 20, 20, 4
    mtspr SRR0, 20
    rfi

    .org 0x700
    mfspr 20, SRR0
    LOG TAG('P','R','O','G'), 20
    b done

/* A TLB miss handler: r0-r3 are TGPR0-3 here. */
.macro MISS missspr, cmpspr, count, setbits, load, fail
    mfspr 2, HASH1
    mfspr 3, \cmpspr
    li 1, 8
    mtctr 1
    addi 2, 2, -8
1:  lwzu 1, 8(2)
    cmpw 1, 3
    bdnzf 2, 1b
    beq 3f
    mfspr 2, HASH2
    ori 3, 3, 0x40              /* secondary group: H = 1 */
    li 1, 8
    mtctr 1
    addi 2, 2, -8
2:  lwzu 1, 8(2)
    cmpw 1, 3
    bdnzf 2, 2b
    bne \fail
3:  lwz 1, 4(2)
    ori 1, 1, \setbits
    stw 1, 4(2)
    mtspr RPA, 1
    mfspr 3, SRR1
    stw 3, L_SRR1(0)
    mfspr 3, \missspr
    stw 3, L_MISS(0)
    mfspr 3, \cmpspr
    stw 3, L_CMP(0)
    mfspr 3, HASH1
    stw 3, L_HASH1(0)
    mfspr 3, HASH2
    stw 3, L_HASH2(0)
    mfmsr 3
    stw 3, L_MSR(0)
    lwz 3, \count(0)
    addi 3, 3, 1
    stw 3, \count(0)
    mfspr 3, \missspr
    \load 3
    mfspr 3, SRR1
    mtcrf 0x80, 3               /* CR0 back from SRR1 */
    rfi
.endm

    .org 0x1000
    MISS IMISS, ICMP, N_IMISS, 0x100, tlbli, ifail
    .org 0x1100
    MISS DMISS, DCMP, N_DLMISS, 0x100, tlbld, dfail
    .org 0x1200
    MISS DMISS, DCMP, N_DSMISS, 0x180, tlbld, dfail

    .org 0x1300
dfail:                          /* no PTE: a DSI as the hardware search would give */
    mfspr 3, SRR1
    stw 3, L_SRR1(0)
    rlwinm 1, 3, 9, 6, 6        /* SRR1 S/L -> DSISR store bit */
    addis 1, 1, 0x4000
    mtspr DSISR, 1
    mfspr 1, DMISS
    mtspr DAR, 1
    rlwinm 2, 3, 0, 16, 31
    mtspr SRR1, 2
    mtcrf 0x80, 3
    mfmsr 0
    xoris 0, 0, 0x0002          /* leave the TGPR bank */
    mtmsr 0
    ba 0x300
ifail:                          /* no PTE: an ISI */
    mfspr 3, SRR1
    stw 3, L_SRR1(0)
    rlwinm 2, 3, 0, 16, 31
    addis 2, 2, 0x4000
    mtspr SRR1, 2
    mtcrf 0x80, 3
    mfmsr 0
    xoris 0, 0, 0x0002
    mtmsr 0
    ba 0x400

/* mkpte: r3 = EA (segment 1, VSID 0x111), r4 = PTE word 1, r5 = 1 for the secondary group;
   returns the PTE's address in r8 */
mkpte:
    rlwinm 6, 3, 20, 16, 31     /* page index */
    li 7, 0x111
    xor 8, 7, 6                 /* primary hash */
    cmpwi 5, 0
    beq 1f
    not 8, 8
1:  rlwinm 8, 8, 6, 16, 25
    oris 8, 8, 0x0010           /* HTABORG 0x00100000, 64 KiB */
    rlwinm 9, 6, 22, 26, 31     /* API */
    slwi 10, 7, 7
    or 9, 9, 10
    oris 9, 9, 0x8000
    slwi 10, 5, 6
    or 9, 9, 10
    addi 8, 8, -8
2:  lwzu 10, 8(8)
    cmpwi 10, 0
    bne 2b
    stw 4, 4(8)
    stw 9, 0(8)
    blr

.macro PAGE ea, word1, h
    LI32 3, \ea
    LI32 4, \word1
    li 5, \h
    bl mkpte
.endm
.macro POKE addr, value
    LI32 3, \addr
    LI32 4, \value
    stw 4, 0(3)
.endm
/* log the last miss's SRR1 without CR0 */
.macro LOGSRR1 tag
    lwz 12, L_SRR1(0)
    rlwinm 12, 12, 0, 4, 31
    LOG \tag, 12
.endm
.macro LOGW tag, addr
    lwz 12, \addr(0)
    LOG \tag, 12
.endm

start:
    mfspr 3, PVR
    LOG TAG('P','V','R',' '), 3
    li 3, 2                     /* IBAT0: 0-128 KiB; DBAT0: 0-4 MiB; supervisor, read/write */
    mtspr IBAT0U, 3
    mtspr IBAT0L, 3
    li 3, 0x7e
    mtspr DBAT0U, 3
    li 3, 2
    mtspr DBAT0L, 3
    LI32 3, 0x00100000
    mtspr SDR1, 3
    LI32 3, 0x60000111          /* Ks = Kp = 1, VSID 0x111 */
    mtsr 1, 3
    PAGE 0x10000000, 0x00200002, 0
    stw 8, PTE_P0(0)
    PAGE 0x10001000, 0x00201002, 1
    PAGE 0x10002000, 0x00202003, 0
    PAGE 0x10003000, 0x00203002, 0
    PAGE 0x10010000, 0x00210002, 0
    PAGE 0x10030000, 0x00211002, 0
    PAGE 0x10050000, 0x00212002, 0
    PAGE 0x10006000, 0x00206022, 0  /* caching-inhibited */
    POKE 0x00200010, 0x11111111
    POKE 0x00201010, 0x22222222
    POKE 0x00202010, 0x33333333
    POKE 0x00210000, 0xa0
    POKE 0x00211000, 0xa1
    POKE 0x00212000, 0xa2
    POKE 0x00203000, 0x38600077  /* li r3, 0x77 */
    POKE 0x00203004, 0x4e800020  /* blr */
    li 3, 0x1030                /* ME, IR, DR */
    mtmsr 3
    isync

    /* a load miss: GPR0-3 untouched, the miss registers */
    LI32 10, 0x10000000
    li 0, 0x100
    li 1, 0x101
    li 2, 0x102
    li 3, 0x103
    li 4, 1
    cmpwi 4, 0                  /* CR0 = GT: SRR1[0-3] = 0100 */
    lwz 11, 0x10(10)
    LOG TAG('G','P','R','0'), 0
    LOG TAG('G','P','R','1'), 1
    LOG TAG('G','P','R','2'), 2
    LOG TAG('G','P','R','3'), 3
    LOG TAG('L','O','A','D'), 11
    LOGW TAG('N','D','L','M'), N_DLMISS
    LOGW TAG('S','R','R','1'), L_SRR1
    LOGW TAG('D','M','I','S'), L_MISS
    LOGW TAG('D','C','M','P'), L_CMP
    LOGW TAG('H','S','H','1'), L_HASH1
    LOGW TAG('H','S','H','2'), L_HASH2
    LOGW TAG('H','M','S','R'), L_MSR
    mfmsr 12
    LOG TAG('M','S','R','1'), 12
    /* a second load from the page: a hit; the PTE has R, not C */
    lwz 11, 0x14(10)
    LOGW TAG('N','D','L','M'), N_DLMISS
    lwz 12, PTE_P0(0)
    lwz 12, 4(12)
    andi. 12, 12, 0x180
    LOG TAG('R','C','_','1'), 12
    /* a store to it: the entry was loaded with C clear, so a store miss; then R and C */
    LI32 13, 0x5555
    stw 13, 0x20(10)
    LOGW TAG('N','D','S','M'), N_DSMISS
    LOGSRR1 TAG('S','R','R','1')
    lwz 12, PTE_P0(0)
    lwz 12, 4(12)
    andi. 12, 12, 0x180
    LOG TAG('R','C','_','2'), 12
    LI32 12, 0x00200020
    lwz 12, 0(12)
    LOG TAG('S','T','O','R'), 12
    stw 13, 0x24(10)            /* C is in the TLB now: no miss */
    LOGW TAG('N','D','S','M'), N_DSMISS
    /* a page in the secondary group */
    LI32 10, 0x10001000
    lwz 11, 0x10(10)
    LOG TAG('L','O','A','D'), 11
    LOGW TAG('N','D','L','M'), N_DLMISS
    /* a read-only page: loads work; a store is refused by the entry itself (DSI, protection)
       before its clear C bit matters: no store miss */
    LI32 10, 0x10002000
    lwz 11, 0x10(10)
    LOG TAG('L','O','A','D'), 11
    stw 13, 0x10(10)
    LOGW TAG('N','D','S','M'), N_DSMISS
    LOGW TAG('N','D','S','I'), N_DSI
    LOGW TAG('D','S','I','S'), L_DSISR
    LOGW TAG('D','A','R',' '), L_DAR
    lwz 11, 0x10(10)
    LOG TAG('K','E','P','T'), 11
    /* no PTE: the handlers turn the misses into DSIs */
    LI32 10, 0x10004000
    lwz 11, 8(10)
    LOGW TAG('N','D','S','I'), N_DSI
    LOGW TAG('D','S','I','S'), L_DSISR
    LOGW TAG('D','A','R',' '), L_DAR
    stw 11, 12(10)
    LOGW TAG('N','D','S','I'), N_DSI
    LOGW TAG('D','S','I','S'), L_DSISR
    LOGW TAG('D','A','R',' '), L_DAR
    LOGSRR1 TAG('S','R','R','1')
    /* code from a mapped page: an instruction TLB miss */
    LI32 14, 0x10003000
    mtctr 14
    li 3, 0
    bctrl
    LOG TAG('C','A','L','L'), 3
    LOGW TAG('N','I','M','S'), N_IMISS
    LOGSRR1 TAG('S','R','R','1')
    LOGW TAG('I','M','I','S'), L_MISS
    LOGW TAG('I','C','M','P'), L_CMP
    /* code from an unmapped page: the miss becomes an ISI */
    LI32 14, 0x10005000
    mtctr 14
    bctrl
    LOGW TAG('N','I','S','I'), N_ISI
    LOGW TAG('I','S','R','0'), L_ISRR0
    lwz 12, L_ISRR1(0)
    rlwinm 12, 12, 0, 0, 15
    LOG TAG('I','S','R','1'), 12
    /* three pages in one set (EA[15-19] = 16): the ways alternate, the oldest is replaced */
    LI32 10, 0x10010000
    LI32 15, 0x10030000
    LI32 16, 0x10050000
    lwz 11, 0(10)
    lwz 12, L_SRR1(0)
    rlwinm 12, 12, 15, 31, 31
    LOG TAG('W','A','Y','A'), 12
    lwz 11, 0(15)
    lwz 12, L_SRR1(0)
    rlwinm 12, 12, 15, 31, 31
    LOG TAG('W','A','Y','B'), 12
    lwz 11, 0(16)
    lwz 12, L_SRR1(0)
    rlwinm 12, 12, 15, 31, 31
    LOG TAG('W','A','Y','C'), 12
    LOG TAG('L','O','A','D'), 11
    lwz 11, 0(10)
    lwz 12, L_SRR1(0)
    rlwinm 12, 12, 15, 31, 31
    LOG TAG('W','A','Y','A'), 12
    LOG TAG('L','O','A','D'), 11
    LOGW TAG('N','D','L','M'), N_DLMISS
    /* tlbie drops the set: the next access misses again */
    LI32 10, 0x10000000
    lwz 11, 0x10(10)
    LOGW TAG('N','D','L','M'), N_DLMISS
    tlbie 10
    sync
    lwz 11, 0x10(10)
    LOGW TAG('N','D','L','M'), N_DLMISS
    /* dcbz takes the caching-inhibited attribute from the TLB entry: alignment exception */
    LI32 10, 0x10006000
    lwz 11, 0(10)
    dcbz 0, 10
    LOGW TAG('N','A','L','I'), N_ALIGN
    LOGW TAG('A','D','A','R'), L_ADAR
    LOGI TAG('D','O','N','E'), 0
    b done

    LOG_ROUTINES
