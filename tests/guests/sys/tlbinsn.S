/* tlbinsn: which TLB instructions each model has.  tlbie and tlbsync everywhere; tlbia on none
 * of the 603e, 604 and 750 (an optional instruction: illegal, program exception with SRR1[12]);
 * tlbld, tlbli and the miss SPRs (DMISS..RPA, 976-982) on the 603e only; tlbld in user mode is
 * privileged (SRR1[13]). */
#include "sys.h"

#define N_PROG 0x6800
#define L_SRR1 0x6804

    .text
    .org 0x100
    li 3, 0
    mtmsr 3
    isync
    ba start

    .org 0x700                  /* program: record the reason bits, skip */
    mfspr 20, SRR1
    rlwinm 20, 20, 0, 11, 15
    stw 20, L_SRR1(0)
    lwz 21, N_PROG(0)
    addi 21, 21, 1
    stw 21, N_PROG(0)
    mfspr 20, SRR0
    addi 20, 20, 4
    mtspr SRR0, 20
    rfi

    .org 0xc00                  /* sc: back to supervisor state after the instruction */
    mfspr 20, SRR1
    rlwinm 20, 20, 0, 18, 16    /* PR off */
    mtspr SRR1, 20
    rfi

.macro RESULT tag
    lwz 12, N_PROG(0)
    LOG \tag, 12
    lwz 12, L_SRR1(0)
    LOG TAG('S','R','R','1'), 12
    li 12, 0
    stw 12, N_PROG(0)
    stw 12, L_SRR1(0)
.endm

    .org 0x1000
start:
    li 10, 0x5000
    tlbie 10
    tlbsync
    RESULT TAG('T','L','B','I')
    tlbia
    RESULT TAG('T','L','B','A')
    tlbld 10
    RESULT TAG('T','L','B','D')
    tlbli 10
    RESULT TAG('T','L','B','L')
    mfspr 3, RPA
    RESULT TAG('M','R','P','A')
    li 3, 0x4000                /* PR: user state */
    mtmsr 3
    isync
    tlbld 10
    sc
    RESULT TAG('U','T','L','B')
    LOGI TAG('D','O','N','E'), 0
    b done

    LOG_ROUTINES
