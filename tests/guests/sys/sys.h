/* Shared definitions of the bare-metal supervisor test programs (assembly, built into flat
 * images linked at 0; the test harness tests/cpu/test-ppc-guests.c runs them).
 *
 * Memory map seen by the programs: RAM from 0 (16 MiB), its first megabyte also at 0xfff00000
 * (the reset vector 0xfff00100 reaches 0x100), the harness's line register at 0xf0000000
 * (a word written there pulses that input line of the CPU: 1 mcp, 2 tea, 3 sreset, 4 hreset).
 * The log: a word count at 0x7000, then (tag, value) word pairs from 0x7004; the harness
 * prints "TAG value" lines.  A program ends by dozing (MSR[POW]). */
#define TAG(a, b, c, d) (((a) << 24) | ((b) << 16) | ((c) << 8) | (d))

#define LOG_COUNT 0x7000
#define LINE_REG 0xf0000000

/* SPRs */
#define XER 1
#define LR 8
#define CTR 9
#define DSISR 18
#define DAR 19
#define DEC 22
#define SDR1 25
#define SRR0 26
#define SRR1 27
#define SPRG0 272
#define SPRG1 273
#define SPRG2 274
#define SPRG3 275
#define PVR 287
#define IBAT0U 528
#define IBAT0L 529
#define DBAT0U 536
#define DBAT0L 537
#define DMISS 976
#define DCMP 977
#define HASH1 978
#define HASH2 979
#define IMISS 980
#define ICMP 981
#define RPA 982
#define HID0 1008

/* log(tag, register): uses r26-r29 and LR */
.macro LOG tag, reg
    mr 29, \reg
    lis 28, (\tag)@h
    ori 28, 28, (\tag)@l
    bl log
.endm
/* log(tag, constant) */
.macro LOGI tag, value
    lis 29, (\value)@h
    ori 29, 29, (\value)@l
    lis 28, (\tag)@h
    ori 28, 28, (\tag)@l
    bl log
.endm
/* r = 32-bit constant */
.macro LI32 r, value
    lis \r, (\value)@h
    ori \r, \r, (\value)@l
.endm

/* The log routine and the final doze: include once, after the program's code. */
.macro LOG_ROUTINES
log:
    lwz 27, LOG_COUNT(0)
    slwi 26, 27, 3
    addi 26, 26, LOG_COUNT + 4
    stw 28, 0(26)
    stw 29, 4(26)
    addi 27, 27, 1
    stw 27, LOG_COUNT(0)
    blr
done:
    li 3, 0
    oris 3, 3, 0x0004       /* MSR[POW], EE off: the harness sees the CPU idle */
    sync
    mtmsr 3
    b .
.endm
