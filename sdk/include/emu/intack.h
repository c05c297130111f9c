/* emu SDK: interrupt acknowledge — an interrupt controller answering a bus's INTA cycle. */
#ifndef EMU_INTACK_H
#define EMU_INTACK_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A host bridge that turns a CPU read into an interrupt-acknowledge cycle
 * (PReP's 0xBFFFFFF0, a PC chipset's INTA#) asks the interrupt controller
 * for the vector, through this interface of the controller's device type.
 */
#define EMU_INTACK_IFACE "intack"

typedef struct emu_intack_ops {
    uint32_t struct_size;   /* sizeof(emu_intack_ops) */
    /* required: acknowledge the highest-priority pending interrupt and return its
       vector, as the controller answers an INTA cycle (an 8259 pair: the
       spurious vector when nothing is pending). */
    unsigned (*acknowledge)(emu_device *dev);
} emu_intack_ops;

/* The interrupt acknowledge interface of `dev`, or NULL. */
static inline const emu_intack_ops *emu_intack(emu_device *dev)
{
    const emu_intack_ops *ops = (const emu_intack_ops *)emu_device_iface(dev, EMU_INTACK_IFACE);
    return ops && ops->struct_size >= sizeof(emu_intack_ops) ? ops : NULL;
}

#ifdef __cplusplus
}
#endif
#endif
