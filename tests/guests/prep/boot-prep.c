/* boot-prep: a bare-metal program the firmware loads from a disk or CD and starts, for the
 * PReP machine.  As a PReP boot image (the load image of a type 0x41 partition) it is copied
 * to load-base (0x04000000) with its 1 KiB header and entered at its entry offset; as an ELF
 * file it is loaded where its program header says.  Either way OpenBIOS enters it with r3
 * holding PReP residual data and r4 its load base.  It prints a greeting, r4, the board model
 * of the residual data, and its own address on the 16550 at ISA port 0x3F8, then waits forever.
 * The firmware jumps to the first byte of the code: build with -fno-toplevel-reorder so that
 * _start, the first function here, comes first. */

struct residual_head {
    unsigned int length;
    unsigned short version, revision;
    char model[32];
};

void _start(const struct residual_head *residual, unsigned long load_base);
static void puts_(const char *s);
static void hex(unsigned long v);
static void put(char c);

void _start(const struct residual_head *residual, unsigned long load_base)
{
    puts_("Hello from a program the firmware booted\r\nload base: ");
    hex(load_base);
    puts_("\r\nresidual model: ");
    for (int i = 0; i < 32 && residual->model[i]; i++)
        put(residual->model[i]);
    puts_("\r\nentry: ");
    hex((unsigned long)&_start);
    puts_("\r\ndone\r\n");
    for (;;)
        ;
}

#include "prep-uart.h"
