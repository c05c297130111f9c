/* Output on the PReP machine's 16550 at ISA port 0x3F8 (through the Raven's I/O window at
 * 0x80000000) for the bare-metal PReP test programs.  Included at the END of a program: the
 * firmware enters its first byte, which must stay _start (built with -fno-toplevel-reorder),
 * so the program declares these before _start and gets their bodies from here. */
#define PREP_UART ((volatile unsigned char *)0x800003f8)

static void put(char c)
{
    while (!(PREP_UART[5] & 0x20))   /* LSR: transmit holding register empty */
        ;
    PREP_UART[0] = c;
}

static void puts_(const char *s)
{
    while (*s)
        put(*s++);
}

static void hex(unsigned long v)
{
    for (int i = 28; i >= 0; i -= 4)
        put("0123456789abcdef"[(v >> i) & 15]);
}
