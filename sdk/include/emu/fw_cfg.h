/* emu SDK: the QEMU firmware configuration device (fw_cfg) as boards fill it. */
#ifndef EMU_FW_CFG_H
#define EMU_FW_CFG_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * fw_cfg hands firmware (OpenBIOS, SeaBIOS, ...) a set of items, each a byte
 * string selected by a 16-bit key, plus named files listed in a directory.
 * The device types "fw-cfg-mem" and "fw-cfg-io" provide the guest side and
 * fill in the items every QEMU machine has (signature, id, uuid, nographic,
 * boot menu, the files bootorder, bios-geometry and etc/boot-fail-wait);
 * a board adds its own through this interface, during its realize.
 * Multi-byte numbers in items are little-endian, as QEMU stores them.
 */
#define EMU_FW_CFG_IFACE "fw-cfg"

/* Generic keys (QEMU's FW_CFG_*). */
#define EMU_FW_CFG_SIGNATURE      0x00
#define EMU_FW_CFG_ID             0x01
#define EMU_FW_CFG_UUID           0x02
#define EMU_FW_CFG_RAM_SIZE       0x03
#define EMU_FW_CFG_NOGRAPHIC      0x04
#define EMU_FW_CFG_NB_CPUS        0x05
#define EMU_FW_CFG_MACHINE_ID     0x06
#define EMU_FW_CFG_KERNEL_ADDR    0x07
#define EMU_FW_CFG_KERNEL_SIZE    0x08
#define EMU_FW_CFG_KERNEL_CMDLINE 0x09
#define EMU_FW_CFG_INITRD_ADDR    0x0a
#define EMU_FW_CFG_INITRD_SIZE    0x0b
#define EMU_FW_CFG_BOOT_DEVICE    0x0c
#define EMU_FW_CFG_NUMA           0x0d
#define EMU_FW_CFG_BOOT_MENU      0x0e
#define EMU_FW_CFG_MAX_CPUS       0x0f
#define EMU_FW_CFG_KERNEL_ENTRY   0x10
#define EMU_FW_CFG_KERNEL_DATA    0x11
#define EMU_FW_CFG_INITRD_DATA    0x12
#define EMU_FW_CFG_CMDLINE_ADDR   0x13
#define EMU_FW_CFG_CMDLINE_SIZE   0x14
#define EMU_FW_CFG_CMDLINE_DATA   0x15
#define EMU_FW_CFG_SETUP_ADDR     0x16
#define EMU_FW_CFG_SETUP_SIZE     0x17
#define EMU_FW_CFG_SETUP_DATA     0x18
#define EMU_FW_CFG_FILE_DIR       0x19
#define EMU_FW_CFG_FILE_FIRST     0x20     /* files take keys from here */
#define EMU_FW_CFG_ARCH_LOCAL     0x8000   /* or'ed into architecture-specific keys */
#define EMU_FW_CFG_MAX_FILE_PATH  56       /* file name bytes, the terminating NUL included */

typedef struct emu_fw_cfg_ops {
    uint32_t struct_size;   /* sizeof(emu_fw_cfg_ops) */
    /* required: set item `key` (below EMU_FW_CFG_FILE_FIRST except the signature, id
       and directory, or EMU_FW_CFG_ARCH_LOCAL | n) to a copy of `data`,
       replacing what it held.  0, or -1 with a message. */
    int (*set)(emu_device *dev, uint16_t key, const void *data, size_t len, emu_error **err);
    /* required: set the file `name` to a copy of `data`: replaced when it exists,
       otherwise added (the directory stays sorted by name, as QEMU's).
       0, or -1 with a message (name too long, no free slot). */
    int (*set_file)(emu_device *dev, const char *name, const void *data, size_t len,
                    emu_error **err);
} emu_fw_cfg_ops;

/* The fw_cfg interface of `dev`, or NULL. */
static inline const emu_fw_cfg_ops *emu_fw_cfg(emu_device *dev)
{
    const emu_fw_cfg_ops *ops = (const emu_fw_cfg_ops *)emu_device_iface(dev, EMU_FW_CFG_IFACE);
    return ops && ops->struct_size >= sizeof(emu_fw_cfg_ops) ? ops : NULL;
}

/* Little-endian numbers, as QEMU's fw_cfg_add_i16/i32/i64. */
static inline int emu_fw_cfg_set_le(const emu_fw_cfg_ops *ops, emu_device *dev, uint16_t key,
                                    uint64_t value, unsigned bytes, emu_error **err)
{
    uint8_t b[8];
    for (unsigned i = 0; i < bytes && i < 8; i++)
        b[i] = (uint8_t)(value >> (8 * i));
    return ops->set(dev, key, b, bytes < 8 ? bytes : 8, err);
}

#ifdef __cplusplus
}
#endif
#endif
