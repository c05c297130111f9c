/* Loading the PReP firmware into the ROM (see firmware.h).  The ELF reader checks every
 * header field it uses against the file's size before trusting it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "firmware.h"

#define EHDR_SIZE 52u
#define PHDR_SIZE 32u
#define EM_PPC 20u
#define PT_LOAD 1u

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

uint8_t *firmware_read_file(const char *path, const char *what, const char *hint, size_t max,
                            size_t *len, emu_error **err)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0) {
        emu_error_set(err, "%s: cannot open '%s': %s%s%s", what, path, strerror(errno),
                      hint ? "; " : "", hint ? hint : "");
        if (f)
            fclose(f);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        emu_error_set(err, "%s: '%s' is not a regular file", what, path);
        fclose(f);
        return NULL;
    }
    if (st.st_size == 0 || (uint64_t)st.st_size > max) {
        emu_error_set(err, "%s: '%s' has %lld bytes (expected 1..%zu)", what, path,
                      (long long)st.st_size, max);
        fclose(f);
        return NULL;
    }
    uint8_t *buf = malloc((size_t)st.st_size);
    if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        emu_error_set(err, "%s: cannot read '%s'%s", what, path, buf ? "" : ": out of memory");
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *len = (size_t)st.st_size;
    return buf;
}

static int write_zeros(emu_space *s, uint64_t addr, uint64_t len)
{
    static const uint8_t zeros[4096];
    while (len) {
        size_t n = len < sizeof zeros ? (size_t)len : sizeof zeros;
        if (emu_space_write_bytes(s, addr, zeros, n, true) < 0)
            return -1;
        addr += n;
        len -= n;
    }
    return 0;
}

static int load_elf(emu_space *s, const char *path, const uint8_t *f, size_t size,
                    uint64_t rom_base, uint64_t rom_size, emu_error **err)
{
    if (f[4] != 1) {
        emu_error_set(err, "firmware: '%s' is a %s ELF file; the PReP ROM takes a 32-bit "
                      "PowerPC one", path, f[4] == 2 ? "64-bit" : "malformed");
        return -1;
    }
    if (f[5] != 2) {
        emu_error_set(err, "firmware: '%s' is a little-endian ELF file; the PReP ROM takes a "
                      "big-endian PowerPC one", path);
        return -1;
    }
    if (size < EHDR_SIZE) {
        emu_error_set(err, "firmware: '%s' is truncated: %zu bytes, shorter than an ELF header",
                      path, size);
        return -1;
    }
    if (be16(f + 18) != EM_PPC) {
        emu_error_set(err, "firmware: '%s' is an ELF file for machine %u, not PowerPC (%u)", path,
                      be16(f + 18), EM_PPC);
        return -1;
    }
    uint32_t phoff = be32(f + 28);
    unsigned phentsize = be16(f + 42), phnum = be16(f + 44);
    if (phnum == 0 || phentsize != PHDR_SIZE) {
        emu_error_set(err, "firmware: '%s' has no usable program headers (%u of %u bytes)", path,
                      phnum, phentsize);
        return -1;
    }
    if (phoff > size || (uint64_t)phnum * PHDR_SIZE > size - phoff) {
        emu_error_set(err, "firmware: '%s' is truncated: its program headers end at byte %" PRIu64
                      " but the file has %zu", path, (uint64_t)phoff + (uint64_t)phnum * PHDR_SIZE,
                      size);
        return -1;
    }
    uint64_t rom_last = rom_base + rom_size - 1;
    unsigned loaded = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = f + phoff + (size_t)i * PHDR_SIZE;
        uint32_t type = be32(ph), off = be32(ph + 4), paddr = be32(ph + 12);
        uint32_t filesz = be32(ph + 16), memsz = be32(ph + 20);
        if (type != PT_LOAD || memsz == 0)
            continue;
        if (filesz > memsz) {
            emu_error_set(err, "firmware: '%s': segment %u has %" PRIu32 " bytes in the file but "
                          "only %" PRIu32 " in memory", path, i, filesz, memsz);
            return -1;
        }
        if (off > size || filesz > size - off) {
            emu_error_set(err, "firmware: '%s' is truncated: segment %u needs bytes %" PRIu32
                          "..%" PRIu64 " but the file has %zu", path, i, off,
                          (uint64_t)off + filesz - 1, size);
            return -1;
        }
        uint64_t last = (uint64_t)paddr + memsz - 1;
        if (paddr < rom_base || last > rom_last) {
            emu_error_set(err, "firmware: '%s': segment %u (0x%08" PRIx32 "..0x%08" PRIx64 ") "
                          "lies outside the ROM (0x%08" PRIx64 "..0x%08" PRIx64 ")", path, i, paddr,
                          last, rom_base, rom_last);
            return -1;
        }
        if (emu_space_write_bytes(s, paddr, f + off, filesz, true) < 0 ||
            write_zeros(s, (uint64_t)paddr + filesz, memsz - filesz) < 0) {
            emu_error_set(err, "firmware: nothing to load segment %u into at 0x%08" PRIx32, i, paddr);
            return -1;
        }
        loaded++;
    }
    if (!loaded) {
        emu_error_set(err, "firmware: '%s' has no loadable segment", path);
        return -1;
    }
    return 0;
}

int firmware_load(emu_space *s, const char *path, fw_format format, uint64_t rom_base,
                  uint64_t rom_size, emu_error **err)
{
    size_t size;
    uint8_t *f = firmware_read_file(path, "firmware", "OpenBIOS for PReP comes with Debian's "
                                    "qemu-system-data package (apt-get install qemu-system-data), "
                                    "or set firmware=PATH", 64u << 20, &size, err);
    if (!f)
        return -1;
    int rc;
    bool is_elf = size >= 4 && !memcmp(f, "\177ELF", 4);
    if (format == FW_ELF && !is_elf) {
        emu_error_set(err, "firmware: '%s' is not an ELF file (for a raw ROM image set "
                      "firmware-format=raw)", path);
        rc = -1;
    } else if (format == FW_ELF) {
        rc = load_elf(s, path, f, size, rom_base, rom_size, err);
    } else if (size > rom_size) {
        emu_error_set(err, "firmware: '%s' has %zu bytes; the ROM holds %" PRIu64, path, size,
                      rom_size);
        rc = -1;
    } else {
        rc = emu_space_write_bytes(s, rom_base, f, size, true);
        if (rc < 0)
            emu_error_set(err, "firmware: nothing to load the image into at 0x%08" PRIx64, rom_base);
    }
    free(f);
    return rc;
}
