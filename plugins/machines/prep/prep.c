/* The PReP board (IBM 40p as QEMU's -M 40p builds it): what the machine file cannot say.
 * It creates the 1 MiB boot ROM and loads the firmware ELF into it by physical address,
 * checks the RAM size against the board's SIMM sockets, fills fw_cfg for OpenBIOS (RAM size,
 * machine id, boot device, time base, display, and a kernel, initrd and command line loaded
 * into RAM like QEMU's -kernel/-initrd/-append), writes the Open Hack'Ware header into the
 * NVRAM and the CMOS checksum, and makes unassigned reads answer 0 where QEMU's do. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/fw_cfg.h"
#include "emu/nvram.h"
#include "firmware.h"
#include "prep-nvram.h"

#define KERNEL_ADDR  0x01000000u
#define CMDLINE_ADDR 0x017ff000u
#define INITRD_ADDR  0x01800000u
#define CMDLINE_MAX  4096u          /* one page, NUL included (QEMU: TARGET_PAGE_SIZE) */
#define ARCH_PREP    0
/* PPC-specific fw_cfg keys */
#define FW_CFG_PPC_WIDTH  (EMU_FW_CFG_ARCH_LOCAL + 0x00)
#define FW_CFG_PPC_HEIGHT (EMU_FW_CFG_ARCH_LOCAL + 0x01)
#define FW_CFG_PPC_DEPTH  (EMU_FW_CFG_ARCH_LOCAL + 0x02)
#define FW_CFG_PPC_TBFREQ (EMU_FW_CFG_ARCH_LOCAL + 0x03)
#define FW_CFG_PPC_IS_KVM (EMU_FW_CFG_ARCH_LOCAL + 0x05)

static const char *const formats[] = { "elf", "raw", NULL };
static const char *const boot_devices[] = { "c", "d", "a", "n", NULL };

typedef struct prep_board {
    emu_device dev;
    char *firmware;
    int format;
    uint64_t rom_base, rom_size, ram_size;
    emu_device *fw_cfg, *nvram, *cmos;
    int boot;
    char *kernel, *initrd, *cmdline;
    int64_t width, height, depth, tb_freq;
    /* what the board puts in RAM, again at every reset */
    emu_space *sys;
    uint8_t *kernel_data, *initrd_data;
    size_t kernel_len, initrd_len;
} prep_board;

static const emu_prop_desc prep_props[] = {
    EMU_PROP_STRING_DEF("firmware", prep_board, firmware, "/usr/share/qemu/openbios-ppc",
                        "boot firmware file (Debian's qemu-system-data has OpenBIOS)"),
    EMU_PROP_ENUM_DEF("firmware-format", prep_board, format, "elf", formats,
                      "elf: PowerPC ELF loaded by physical address; raw: image at the ROM's start"),
    EMU_PROP_ADDR_DEF("rom-base", prep_board, rom_base, "0xfff00000",
                      "where the board's boot ROM starts (the 604 resets to 0xFFF00100)"),
    EMU_PROP_SIZE_DEF("rom-size", prep_board, rom_size, "1M", "size of the boot ROM"),
    { "ram-size", EMU_PROP_SIZE, offsetof(prep_board, ram_size), NULL,
      "RAM at address 0 (the 40p takes 16M, 32M, 48M, 64M, 80M, 96M, 128M, 144M or 192M)",
      NULL, 0, 0, NULL, EMU_PROP_REQUIRED },
    { "fw-cfg", EMU_PROP_LINK, offsetof(prep_board, fw_cfg), NULL,
      "the fw_cfg device the board fills for the firmware", NULL, 0, 0, NULL, EMU_PROP_REQUIRED },
    EMU_PROP_LINK_DEF("nvram", prep_board, nvram, NULL,
                      "NVRAM that gets the Open Hack'Ware boot header (an M48T59), optional"),
    EMU_PROP_LINK_DEF("cmos", prep_board, cmos, NULL,
                      "RTC whose CMOS gets the PReP checksum bytes (an MC146818), optional"),
    EMU_PROP_ENUM_DEF("boot-device", prep_board, boot, "c", boot_devices,
                      "first boot device as QEMU's -boot: c disk, d CD-ROM, a floppy, n network "
                      "(a kernel makes it m)"),
    EMU_PROP_STRING_DEF("kernel", prep_board, kernel, "",
                        "raw kernel image loaded at 0x01000000 and started by the firmware"),
    EMU_PROP_STRING_DEF("initrd", prep_board, initrd, "",
                        "initial RAM disk loaded at 0x01800000 (with a kernel)"),
    EMU_PROP_STRING_DEF("cmdline", prep_board, cmdline, "",
                        "kernel command line, placed at 0x017FF000 (with a kernel)"),
    EMU_PROP_INT_DEF("graphic-width", prep_board, width, "800", 1, 65535, "display width told to the firmware"),
    EMU_PROP_INT_DEF("graphic-height", prep_board, height, "600", 1, 65535, "display height"),
    EMU_PROP_INT_DEF("graphic-depth", prep_board, depth, "32", 1, 65535, "display depth in bits"),
    EMU_PROP_INT_DEF("tb-frequency", prep_board, tb_freq, "1000000000", 1, 4000000000,
                     "time base frequency told to the firmware (QEMU tells 1 GHz whatever the CPU's)"),
    EMU_PROP_END,
};

/* The 40p's memory controller fills up to three socket pairs, each with two 32 MiB SIMMs
   while 64 MiB or more remain, else two 8 MiB ones while 16 MiB remain (QEMU rs6000-mc). */
static bool ram_size_ok(uint64_t size)
{
    if (size == 0)
        return false;
    for (int pair = 0; pair < 3 && size; pair++) {
        if (size >= (64u << 20))
            size -= 64u << 20;
        else if (size >= (16u << 20))
            size -= 16u << 20;
    }
    return size == 0;
}

static int set_le(prep_board *b, const emu_fw_cfg_ops *fw, uint16_t key, uint64_t v,
                  unsigned bytes, emu_error **err)
{
    return emu_fw_cfg_set_le(fw, b->fw_cfg, key, v, bytes, err);
}

/* Put the kernel, initrd and command line into RAM. */
static int place_images(prep_board *b, emu_error **err)
{
    struct { uint32_t addr; const uint8_t *data; size_t len; const char *what; } img[3] = {
        { KERNEL_ADDR, b->kernel_data, b->kernel_len, "kernel" },
        { INITRD_ADDR, b->initrd_data, b->initrd_len, "initrd" },
        { CMDLINE_ADDR, (const uint8_t *)b->cmdline, *b->cmdline ? strlen(b->cmdline) + 1 : 0,
          "cmdline" },
    };
    for (int i = 0; i < 3; i++)
        if (img[i].len && emu_space_write_bytes(b->sys, img[i].addr, img[i].data, img[i].len,
                                                false) < 0) {
            emu_error_set(err, "%s: no RAM at 0x%08" PRIx32 "..0x%08" PRIx64, img[i].what,
                          img[i].addr, (uint64_t)img[i].addr + img[i].len - 1);
            return -1;
        }
    return 0;
}

static int load_kernel(prep_board *b, emu_error **err)
{
    if (!*b->kernel) {
        if (*b->initrd || *b->cmdline) {
            emu_error_set(err, "%s: given without a kernel", *b->initrd ? "initrd" : "cmdline");
            return -1;
        }
        return 0;
    }
    if (b->ram_size <= KERNEL_ADDR) {
        emu_error_set(err, "kernel: it goes at 0x%08x, beyond the %" PRIu64 "M of RAM", KERNEL_ADDR,
                      b->ram_size >> 20);
        return -1;
    }
    /* The command line page and the initrd follow the kernel: it must end before them. */
    size_t room = (*b->cmdline ? CMDLINE_ADDR : *b->initrd ? INITRD_ADDR : b->ram_size) - KERNEL_ADDR;
    if (!(b->kernel_data = firmware_read_file(b->kernel, "kernel", NULL, room, &b->kernel_len, err)))
        return -1;
    if (strlen(b->cmdline) >= CMDLINE_MAX) {
        emu_error_set(err, "cmdline: %zu characters; at most %u fit", strlen(b->cmdline),
                      CMDLINE_MAX - 1);
        return -1;
    }
    if (*b->initrd) {
        if (b->ram_size <= INITRD_ADDR) {
            emu_error_set(err, "initrd: it goes at 0x%08x, beyond the %" PRIu64 "M of RAM",
                          INITRD_ADDR, b->ram_size >> 20);
            return -1;
        }
        if (!(b->initrd_data = firmware_read_file(b->initrd, "initrd", NULL,
                                                  b->ram_size - INITRD_ADDR, &b->initrd_len, err)))
            return -1;
    }
    return place_images(b, err);
}

static int fill_fw_cfg(prep_board *b, const emu_fw_cfg_ops *fw, emu_error **err)
{
    bool k = *b->kernel;
    char boot = k ? 'm' : boot_devices[b->boot][0];
    if ((k && (set_le(b, fw, EMU_FW_CFG_KERNEL_ADDR, KERNEL_ADDR, 4, err) < 0 ||
               set_le(b, fw, EMU_FW_CFG_KERNEL_SIZE, b->kernel_len, 4, err) < 0)) ||
        (b->initrd_len && (set_le(b, fw, EMU_FW_CFG_INITRD_ADDR, INITRD_ADDR, 4, err) < 0 ||
                           set_le(b, fw, EMU_FW_CFG_INITRD_SIZE, b->initrd_len, 4, err) < 0)))
        return -1;
    if (k && *b->cmdline) {
        size_t n = strlen(b->cmdline) + 1;
        if (set_le(b, fw, EMU_FW_CFG_KERNEL_CMDLINE, CMDLINE_ADDR, 4, err) < 0 ||
            fw->set(b->fw_cfg, EMU_FW_CFG_CMDLINE_DATA, b->cmdline, n, err) < 0 ||
            set_le(b, fw, EMU_FW_CFG_CMDLINE_SIZE, n, 4, err) < 0)
            return -1;
    }
    return set_le(b, fw, EMU_FW_CFG_MAX_CPUS, 1, 2, err) < 0 ||
           set_le(b, fw, EMU_FW_CFG_RAM_SIZE, b->ram_size, 8, err) < 0 ||
           set_le(b, fw, EMU_FW_CFG_MACHINE_ID, ARCH_PREP, 2, err) < 0 ||
           set_le(b, fw, FW_CFG_PPC_WIDTH, (uint64_t)b->width, 2, err) < 0 ||
           set_le(b, fw, FW_CFG_PPC_HEIGHT, (uint64_t)b->height, 2, err) < 0 ||
           set_le(b, fw, FW_CFG_PPC_DEPTH, (uint64_t)b->depth, 2, err) < 0 ||
           set_le(b, fw, FW_CFG_PPC_IS_KVM, 0, 4, err) < 0 ||
           set_le(b, fw, FW_CFG_PPC_TBFREQ, (uint64_t)b->tb_freq, 4, err) < 0 ||
           set_le(b, fw, EMU_FW_CFG_BOOT_DEVICE, (uint64_t)boot, 2, err) < 0 ? -1 : 0;
}

static int write_nvram(prep_board *b, emu_error **err)
{
    if (b->nvram) {
        const emu_nvram_ops *nv = emu_nvram(b->nvram);
        if (!nv) {
            emu_error_set(err, "nvram: '%s' is not a non-volatile memory", b->nvram->id);
            return -1;
        }
        uint64_t size = nv->size(b->nvram);
        prep_nvram_params p = {
            .nvram_size = (uint16_t)(size > 0xffff ? 0xffff : size),
            .ram_size = (uint32_t)b->ram_size,
            .boot_device = *b->kernel ? 'm' : boot_devices[b->boot][0],
            .kernel_addr = *b->kernel ? KERNEL_ADDR : 0,
            .kernel_size = (uint32_t)b->kernel_len,
            /* QEMU always passes a (maybe empty) command line here */
            .cmdline_addr = CMDLINE_ADDR, .cmdline_len = (uint32_t)strlen(b->cmdline),
            .initrd_addr = b->initrd_len ? INITRD_ADDR : 0, .initrd_size = (uint32_t)b->initrd_len,
            .width = (uint16_t)b->width, .height = (uint16_t)b->height, .depth = (uint16_t)b->depth,
        };
        uint8_t header[PREP_NVRAM_HEADER];
        prep_nvram_header(header, &p);
        if (size < PREP_NVRAM_HEADER || nv->write(b->nvram, 0, header, sizeof header) < 0) {
            emu_error_set(err, "nvram: '%s' is too small for the boot header (%u bytes)",
                          b->nvram->id, PREP_NVRAM_HEADER);
            return -1;
        }
    }
    if (b->cmos) {
        const emu_nvram_ops *nv = emu_nvram(b->cmos);
        static const uint8_t sum[2] = { 0xa9, 0x6a };   /* checksum 0x6aa9, little-endian */
        if (!nv || nv->write(b->cmos, 0x2e, sum, 2) < 0 || nv->write(b->cmos, 0x3e, sum, 2) < 0) {
            emu_error_set(err, "cmos: '%s' is not a CMOS with 64 bytes or more", b->cmos->id);
            return -1;
        }
    }
    return 0;
}

static int prep_realize(emu_device *dev, emu_error **err)
{
    prep_board *b = (prep_board *)dev;
    b->sys = emu_machine_space(dev->machine, "system");
    if (!ram_size_ok(b->ram_size)) {
        emu_error_set(err, "ram-size: %" PRIu64 "%s does not fit the 40p's SIMM sockets (16M, 32M, "
                      "48M, 64M, 80M, 96M, 128M, 144M or 192M)",
                      b->ram_size & 0xfffff ? b->ram_size : b->ram_size >> 20,
                      b->ram_size & 0xfffff ? " bytes" : "M");
        return -1;
    }
    const emu_fw_cfg_ops *fw = emu_fw_cfg(b->fw_cfg);
    if (!fw) {
        emu_error_set(err, "fw-cfg: '%s' is not a fw_cfg device", b->fw_cfg->id);
        return -1;
    }
    if (b->rom_size < 4096 || b->rom_size > (1ull << 32) || b->rom_base + b->rom_size > (1ull << 32)) {
        emu_error_set(err, "rom-base/rom-size: the ROM must hold at least 4K and end below 4G");
        return -1;
    }
    emu_region *rom = emu_region_rom(dev->machine, "board.rom", b->rom_size);
    if (!rom || emu_region_map(emu_space_root(b->sys), b->rom_base, rom, 0, err) < 0) {
        emu_error_prefix(err, "rom-base");
        return -1;
    }
    if (firmware_load(b->sys, b->firmware, b->format == 0 ? FW_ELF : FW_RAW, b->rom_base,
                      b->rom_size, err) < 0 ||
        load_kernel(b, err) < 0 || fill_fw_cfg(b, fw, err) < 0 || write_nvram(b, err) < 0)
        return -1;
    return 0;
}

/* RAM images come back at every reset, as QEMU's loader blobs do. */
static void prep_reset(emu_device *dev)
{
    prep_board *b = (prep_board *)dev;
    if (b->kernel_data && place_images(b, NULL) < 0)
        emu_log(dev, EMU_LOG_ERROR, "cannot put the kernel back into RAM");
}

static void prep_destroy(emu_device *dev)
{
    prep_board *b = (prep_board *)dev;
    free(b->kernel_data);
    free(b->initrd_data);
}

static const emu_type prep_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_BOARD,
    .name = "prep",
    .summary = "PReP board (IBM 40p): boot ROM and firmware, fw_cfg, NVRAM, kernel loading",
    .instance_size = sizeof(prep_board),
    .props = prep_props,
    .realize = prep_realize,
    .reset = prep_reset,
    .destroy = prep_destroy,
    /* its images are in RAM and ROM, which the machine's snapshot holds: no state of its own */
    .save = emu_state_none,
};

static const emu_type *const prep_types[] = { &prep_type, NULL };

EMU_PLUGIN(prep) = {
    EMU_PLUGIN_HEADER, "prep", "1.0", "PReP (IBM 40p) board glue", prep_types,
};
