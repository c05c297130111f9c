/* The Open Hack'Ware boot parameter header at the start of the PReP NVRAM, as QEMU's 40p
 * writes it into its M48T59 (PPC_NVRAM_set_params in QEMU's hw/ppc/prep.c). */
#ifndef EMU_PLUGINS_PREP_NVRAM_H
#define EMU_PLUGINS_PREP_NVRAM_H

#include <stdint.h>

#define PREP_NVRAM_HEADER 256u

typedef struct prep_nvram_params {
    uint16_t nvram_size;
    uint32_t ram_size;
    char boot_device;
    uint32_t kernel_addr, kernel_size;
    uint32_t cmdline_addr, cmdline_len;
    uint32_t initrd_addr, initrd_size;
    uint16_t width, height, depth;
} prep_nvram_params;

/* Fill the first 256 bytes of the NVRAM, checksum at 0xFC included. */
void prep_nvram_header(uint8_t out[PREP_NVRAM_HEADER], const prep_nvram_params *p);

#endif
