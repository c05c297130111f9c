/* The Open Hack'Ware NVRAM header (see prep-nvram.h).  Multi-byte fields are big-endian. */
#include <string.h>
#include "prep-nvram.h"

static void put16(uint8_t *b, unsigned at, uint16_t v)
{
    b[at] = (uint8_t)(v >> 8);
    b[at + 1] = (uint8_t)v;
}

static void put32(uint8_t *b, unsigned at, uint32_t v)
{
    put16(b, at, (uint16_t)(v >> 16));
    put16(b, at + 2, (uint16_t)v);
}

/* A NUL-terminated string in a field of `max` bytes whose last byte is always NUL. */
static void put_string(uint8_t *b, unsigned at, const char *s, unsigned max)
{
    unsigned i = 0;
    for (; i < max && s[i]; i++)
        b[at + i] = (uint8_t)s[i];
    if (i < max)
        b[at + i] = 0;
    b[at + max - 1] = 0;
}

static uint16_t crc_update(uint16_t prev, uint16_t value)
{
    uint16_t tmp = prev >> 8, pd = prev ^ value;
    uint16_t pd1 = pd & 0x000f, pd2 = ((pd >> 4) & 0x000f) ^ pd1;
    tmp ^= (uint16_t)((pd1 << 3) | (pd1 << 8));
    tmp ^= (uint16_t)(pd2 | (pd2 << 7) | (pd2 << 12));
    return tmp;
}

/* QEMU's NVRAM_compute_crc: it steps one byte at a time over overlapping 16-bit words
   (a quirk kept here, since a reader checks the value it produced). */
static uint16_t compute_crc(const uint8_t *b, unsigned count)
{
    uint16_t crc = 0xffff;
    unsigned i;
    for (i = 0; i != (count & ~1u); i++)
        crc = crc_update(crc, (uint16_t)(b[i] << 8 | b[i + 1]));
    if (count & 1)
        crc = crc_update(crc, (uint16_t)(b[i] << 8));
    return crc;
}

void prep_nvram_header(uint8_t out[PREP_NVRAM_HEADER], const prep_nvram_params *p)
{
    memset(out, 0, PREP_NVRAM_HEADER);
    put_string(out, 0x00, "QEMU_BIOS", 16);
    put32(out, 0x10, 2);                      /* structure version */
    put16(out, 0x14, p->nvram_size);
    put_string(out, 0x20, "PREP", 16);
    put32(out, 0x30, p->ram_size);
    out[0x34] = (uint8_t)p->boot_device;
    put32(out, 0x38, p->kernel_addr);
    put32(out, 0x3c, p->kernel_size);
    put32(out, 0x40, p->cmdline_addr);
    put32(out, 0x44, p->cmdline_len);
    put32(out, 0x48, p->initrd_addr);
    put32(out, 0x4c, p->initrd_size);
    put32(out, 0x50, 0);                      /* no NVRAM image in memory */
    put16(out, 0x54, p->width);
    put16(out, 0x56, p->height);
    put16(out, 0x58, p->depth);
    put16(out, 0xfc, compute_crc(out, 0xf8));
}
