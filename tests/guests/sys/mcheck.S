/* mcheck: machine check, soft and hard reset through the CPU's input lines, and checkstop.
 * MCP is ignored while HID0[EMCP] is clear and raises a machine check (0x200) when it is set;
 * TEA (a bus error) always does; SRR1 says which on the 750 (bits 12 and 13) while the 603e
 * and 604 clear SRR1[0-15]; the handler runs with MSR[ME] clear.  On the 604 and 750 a hardware page table
 * search that reads where nothing answers is a bus error too (the 603e searches in software).
 * SRESET takes the system reset exception (0x100) keeping the registers; HRESET restarts the
 * processor at 0xfff00100 with MSR[IP]; a machine check with MSR[ME] = 0 stops the processor
 * (checkstop): the log then ends with the harness's QUIT line. */
#include "sys.h"

#define PHASE 0x6f00            /* survives resets: RAM */
#define N_MC 0x6800
#define L_SRR0 0x6804
#define L_SRR1 0x6808
#define L_MSR 0x680c
#define SKIP 0x6810             /* nonzero: the handler resumes after the instruction at SRR0 */

.macro PULSE line
    li 3, \line
    LI32 4, LINE_REG
    stw 3, 0(4)
    isync                       /* context synchronizing: the event is taken here */
.endm

    .text
    .org 0x100                  /* hard reset, and soft reset */
    lwz 3, PHASE(0)
    cmpwi 3, 1
    beq after_sreset
    cmpwi 3, 2
    beq after_hreset
    mfmsr 3
    LOG TAG('M','S','R','0'), 3
    li 3, 0
    mtmsr 3
    isync
    ba start

    .org 0x200                  /* machine check: record, resume at SRR0 (or after it) */
    mfspr 20, SRR0
    stw 20, L_SRR0(0)
    lwz 21, SKIP(0)
    cmpwi 21, 0
    beq 1f
    addi 20, 20, 4
    mtspr SRR0, 20
1:
    mfspr 20, SRR1
    stw 20, L_SRR1(0)
    mfmsr 20
    stw 20, L_MSR(0)
    lwz 21, N_MC(0)
    addi 21, 21, 1
    stw 21, N_MC(0)
    mfspr 20, SRR1
    ori 20, 20, 0x1000          /* machine checks enabled again after the return */
    mtspr SRR1, 20
    rfi

    .org 0x300
    mfspr 20, SRR0
    LOG TAG('D','S','I',' '), 20
    b done
    .org 0x700
    mfspr 20, SRR0
    LOG TAG('P','R','O','G'), 20
    b done

.macro LOGW tag, addr
    lwz 12, \addr(0)
    LOG \tag, 12
.endm
/* SRR0 relative to a label */
.macro LOGREL tag, label
    lwz 12, L_SRR0(0)
    LI32 13, \label
    subf 12, 13, 12
    LOG \tag, 12
.endm

    .org 0x1000
start:
    mfspr 3, PVR
    srwi 3, 3, 16
    LOG TAG('P','V','R',' '), 3
    li 3, 0x1000                /* ME */
    mtmsr 3
    isync
    /* MCP with HID0[EMCP] clear: ignored */
    li 3, 0
    mtspr HID0, 3
    PULSE 1
    LOGW TAG('N','M','C',' '), N_MC
    /* MCP enabled */
    LI32 3, 0x80000000
    mtspr HID0, 3
mcp_at:
    PULSE 1
mcp_next:
    LOGW TAG('N','M','C',' '), N_MC
    LOGREL TAG('S','R','R','0'), mcp_at
    LOGW TAG('S','R','R','1'), L_SRR1
    LOGW TAG('H','M','S','R'), L_MSR
    /* TEA from the board */
    PULSE 2
    LOGW TAG('N','M','C',' '), N_MC
    LOGW TAG('S','R','R','1'), L_SRR1
    /* a table search into nothing (604, 750) */
    mfspr 3, PVR
    srwi 3, 3, 16
    cmpwi 3, 6
    beq 2f
    LI32 3, 0x80000000          /* HTAB where no memory answers */
    mtspr SDR1, 3
    li 3, 0x2                   /* DBAT0: 0-128 KiB only */
    mtspr DBAT0U, 3
    mtspr DBAT0L, 3
    li 3, 0x1010                /* ME, DR */
    mtmsr 3
    isync
    LI32 5, 0x00400000
    li 3, 1
    stw 3, SKIP(0)
search_at:
    lwz 6, 0(5)
    li 3, 0x1000
    mtmsr 3
    isync
    LOGW TAG('N','M','C',' '), N_MC
    LOGREL TAG('S','R','R','0'), search_at
    lwz 12, L_SRR1(0)
    rlwinm 12, 12, 0, 0, 15
    LOG TAG('S','R','1','H'), 12
2:
    /* soft reset: the 0x100 vector with the registers kept */
    li 3, 1
    stw 3, PHASE(0)
    LI32 7, 0x12345678
    li 3, 0x1002                /* ME, RI */
    mtmsr 3
sreset_at:
    PULSE 3
    LOGI TAG('N','O','S','R'), 0
    b done
after_sreset:
    LOG TAG('R','E','G','7'), 7
    mfspr 12, SRR0
    LI32 13, sreset_at
    subf 12, 13, 12
    LOG TAG('S','R','R','0'), 12
    mfspr 12, SRR1
    LOG TAG('S','R','R','1'), 12
    mfmsr 12
    LOG TAG('M','S','R',' '), 12
    /* hard reset: the power-on state */
    li 3, 2
    stw 3, PHASE(0)
    PULSE 4
    LOGI TAG('N','O','H','R'), 0
    b done
after_hreset:
    mfmsr 12
    LOG TAG('M','S','R','0'), 12
    mfspr 12, HID0
    LOG TAG('H','I','D','0'), 12
    li 3, 0
    mtmsr 3
    isync
    /* machine check with MSR[ME] = 0: checkstop, nothing runs after */
    LI32 3, 0x80000000
    mtspr HID0, 3
    LOGI TAG('S','T','O','P'), 0
    PULSE 1
    LOGI TAG('R','A','N','!'), 0
    b done

    LOG_ROUTINES
