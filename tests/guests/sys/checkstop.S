/* checkstop: a firmware-style image (linked at 0xfff00000, started from the reset vector)
 * for the emu command line: on a 604 with MSR[ME] = 0, a load whose page table search reads
 * where no memory answers is a bus error (TEA) the processor cannot take: checkstop, so emu
 * ends with status 1 and says why on stderr. */
#include "sys.h"

    .text
    .org 0x100
    lis 3, 0x8000               /* the hash table where nothing answers */
    mtspr SDR1, 3
    li 3, 0x10                  /* DR on, ME off */
    mtmsr 3
    isync
    lis 4, 0x0040
    lwz 5, 0(4)
    b .
