/* reset-prep: a bare-metal program for the PReP machine, started by OpenBIOS the way QEMU's
 * -kernel does, that reboots the machine twice through the system I/O port 0x92 (bit 0: soft
 * reset).  It counts its starts in a word of RAM outside its own image (RAM keeps it across a
 * reset), checks that its image is as loaded (the board copies it in again at each reset: a
 * byte of its data it changes is back), prints both on the 16550 at ISA port 0x3F8, and after
 * the third start prints "done" and waits forever.  Build with -j .data in the objcopy. */
#define STARTS ((volatile unsigned long *)0x01700000)
#define PORT92 ((volatile unsigned char *)0x80000092)

static volatile char image_state[] = "fresh";

static void puts_(const char *s);
static void hex(unsigned long v);
static void put(char c);

void _start(void)
{
    unsigned long n = ++*STARTS;
    puts_("start ");
    hex(n);
    puts_(", image ");
    puts_((const char *)image_state);
    puts_("\r\n");
    image_state[0] = 'F';
    if (n < 3)
        *PORT92 = 1;
    else
        puts_("done\r\n");
    for (;;)
        ;
}

#include "prep-uart.h"
