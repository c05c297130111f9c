/* emu SDK: ISA DMA — what an ISA DMA controller offers the devices on its channels. */
#ifndef EMU_ISA_DMA_H
#define EMU_ISA_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An ISA device that moves data by DMA (a floppy controller, a sound chip,
 * an ECP parallel port) links to the controller device (PC/AT and PReP:
 * `isa-dma`, two cascaded 8237s) and uses this interface of its type.
 * Channels 0-3 move bytes, 5-7 move 16-bit words; 4 is the cascade.
 *
 * The guest programs each channel (address, count, mode, page) through the
 * controller's ports; the device raises DREQ while it wants service and
 * calls transfer() with its data.  The controller decides how much moves:
 * nothing while the channel is masked, the controller disabled, the channel
 * in cascade mode or programmed for the other direction; at most up to the
 * channel's terminal count.  Every guest address is checked: a transfer to
 * or from an address where no memory answers is logged and still counted
 * (reads from it give 0xFF), as the bus cycles would run on hardware.
 */
#define EMU_ISA_DMA_IFACE "isa-dma"

typedef struct emu_isa_dma_ops {
    uint32_t struct_size;   /* sizeof(emu_isa_dma_ops) */
    /* required: drive the DREQ line of `channel` (0-7); it shows in the
       controller's status register.  Out-of-range channels are ignored. */
    void (*request)(emu_device *dma, unsigned channel, int level);
    /* required: move up to `len` bytes on `channel`.  `to_memory` says the
       device's direction: true stores buf in memory (the channel must be
       programmed for a write transfer), false fills buf from memory (a read
       transfer); a verify transfer counts without touching memory or buf.
       16-bit channels move whole words (an odd last byte stays).  Returns
       the bytes moved; *tc (may be NULL) tells whether the channel reached
       terminal count, after which it masks itself unless auto-initialising,
       in which case it starts again from its base address and count. */
    size_t (*transfer)(emu_device *dma, unsigned channel, void *buf, size_t len, bool to_memory,
                       bool *tc);
} emu_isa_dma_ops;

/* The ISA DMA interface of `dev`, or NULL. */
static inline const emu_isa_dma_ops *emu_isa_dma(emu_device *dev)
{
    const emu_isa_dma_ops *ops = (const emu_isa_dma_ops *)emu_device_iface(dev, EMU_ISA_DMA_IFACE);
    return ops && ops->struct_size >= sizeof(emu_isa_dma_ops) ? ops : NULL;
}

#ifdef __cplusplus
}
#endif
#endif
