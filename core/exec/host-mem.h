/* Guest memory as the host holds it: loads and stores of 1, 2, 4 or 8 bytes in either byte
 * order at a host address, for the interpreter's fast paths and the soft MMU's slow path when
 * an access turns out to be plain RAM.  ram_load sign-extends to 32 bits as EMU_MO_SIGN asks. */
#ifndef EMU_CORE_EXEC_HOST_MEM_H
#define EMU_CORE_EXEC_HOST_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "emu/ir.h"

static inline uint64_t ld_be64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return __builtin_bswap64(v); }
static inline uint64_t ld_le64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint32_t ld_be32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return __builtin_bswap32(v); }
static inline uint32_t ld_le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint16_t ld_be16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return __builtin_bswap16(v); }
static inline uint16_t ld_le16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline void st_be64(uint8_t *p, uint64_t v) { v = __builtin_bswap64(v); memcpy(p, &v, 8); }
static inline void st_le64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static inline void st_be32(uint8_t *p, uint32_t v) { v = __builtin_bswap32(v); memcpy(p, &v, 4); }
static inline void st_le32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static inline void st_be16(uint8_t *p, uint16_t v) { v = __builtin_bswap16(v); memcpy(p, &v, 2); }
static inline void st_le16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }

static inline uint64_t ram_load(const uint8_t *p, unsigned mo)
{
    bool be = mo & EMU_MO_BE;
    switch (mo & (EMU_MO_SIZE | EMU_MO_SIGN)) {
    case EMU_MO_8: return p[0];
    case EMU_MO_8 | EMU_MO_SIGN: return (uint32_t)(int32_t)(int8_t)p[0];
    case EMU_MO_16: return be ? ld_be16(p) : ld_le16(p);
    case EMU_MO_16 | EMU_MO_SIGN: return (uint32_t)(int32_t)(int16_t)(be ? ld_be16(p) : ld_le16(p));
    case EMU_MO_32: case EMU_MO_32 | EMU_MO_SIGN: return be ? ld_be32(p) : ld_le32(p);
    default: return be ? ld_be64(p) : ld_le64(p);
    }
}

static inline void ram_store(uint8_t *p, uint64_t v, unsigned mo)
{
    bool be = mo & EMU_MO_BE;
    switch (mo & EMU_MO_SIZE) {
    case EMU_MO_8: p[0] = (uint8_t)v; break;
    case EMU_MO_16: if (be) st_be16(p, (uint16_t)v); else st_le16(p, (uint16_t)v); break;
    case EMU_MO_32: if (be) st_be32(p, (uint32_t)v); else st_le32(p, (uint32_t)v); break;
    default: if (be) st_be64(p, v); else st_le64(p, v); break;
    }
}

#endif
