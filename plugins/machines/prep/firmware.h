/* Loading the PReP firmware into the ROM: a big-endian 32-bit PowerPC ELF placed segment by
 * segment at its physical addresses, or a raw image at the start of the ROM. */
#ifndef EMU_PLUGINS_PREP_FIRMWARE_H
#define EMU_PLUGINS_PREP_FIRMWARE_H

#include <stdint.h>
#include "emu/emu.h"

typedef enum { FW_ELF, FW_RAW } fw_format;

/* Read `path` and write it into space `s`, whose ROM is [rom_base, rom_base + rom_size):
   ELF segments must lie inside the ROM (the bytes no segment covers stay 0); a raw image
   goes at rom_base and must fit.  0, or -1 with a message naming the file and the problem. */
int firmware_load(emu_space *s, const char *path, fw_format format, uint64_t rom_base,
                  uint64_t rom_size, emu_error **err);

/* The whole file (1..max bytes) in a malloc'ed buffer, or NULL with a message that starts
   with `what` and, when the file cannot be opened, ends with `hint` (may be NULL). */
uint8_t *firmware_read_file(const char *path, const char *what, const char *hint, size_t max,
                            size_t *len, emu_error **err);

#endif
