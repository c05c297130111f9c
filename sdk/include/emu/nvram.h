/* emu SDK: byte-addressed non-volatile memories (CMOS, NVRAM chips) as boards fill them. */
#ifndef EMU_NVRAM_H
#define EMU_NVRAM_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A board writes what its firmware expects to find (checksums, an Open
 * Hack'Ware header, boot parameters) into a memory chip through this
 * interface of the chip's device type.  Offsets are the chip's own byte
 * addresses; the clock registers of an RTC chip are bytes like the others.
 */
#define EMU_NVRAM_IFACE "nvram"

typedef struct emu_nvram_ops {
    uint32_t struct_size;   /* sizeof(emu_nvram_ops) */
    /* required: the chip's size in bytes */
    uint64_t (*size)(emu_device *dev);
    /* required: copy bytes out of / into the chip; 0, or -1 when
       [offset, offset + len) is not inside the chip. */
    int (*read)(emu_device *dev, uint64_t offset, void *buf, size_t len);
    int (*write)(emu_device *dev, uint64_t offset, const void *buf, size_t len);
} emu_nvram_ops;

/* The NVRAM interface of `dev`, or NULL. */
static inline const emu_nvram_ops *emu_nvram(emu_device *dev)
{
    const emu_nvram_ops *ops = (const emu_nvram_ops *)emu_device_iface(dev, EMU_NVRAM_IFACE);
    return ops && ops->struct_size >= sizeof(emu_nvram_ops) ? ops : NULL;
}

#ifdef __cplusplus
}
#endif
#endif
