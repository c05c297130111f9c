/* hello-prep: a bare-metal program for the PReP machine, started by OpenBIOS the way QEMU's
 * -kernel does (loaded at 0x01000000; r3 and r4 hold the initrd's address and size).  It
 * prints a greeting, the command line the board left at 0x017FF000, the initrd's place and
 * first bytes, on the 16550 at ISA port 0x3F8, then waits forever.
 * The firmware jumps to the image's first byte: build with -fno-toplevel-reorder so that
 * _start, the first function here, comes first. */
#define CMDLINE ((const char *)0x017ff000)

static void puts_(const char *s);
static void hex(unsigned long v);
static void put(char c);

void _start(unsigned long initrd, unsigned long initrd_size)
{
    puts_("Hello from a PReP guest\r\ncmdline: ");
    puts_(CMDLINE);
    puts_("\r\ninitrd: ");
    hex(initrd);
    put('+');
    hex(initrd_size);
    if (initrd_size) {
        puts_(" \"");
        for (unsigned long i = 0; i < initrd_size && i < 16; i++)
            put(((const char *)initrd)[i]);
        put('"');
    }
    puts_("\r\ndone\r\n");
    for (;;)
        ;
}

#include "prep-uart.h"
