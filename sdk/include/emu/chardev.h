/* emu SDK: character devices (host side of serial ports, consoles). */
#ifndef EMU_CHARDEV_H
#define EMU_CHARDEV_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a device (the frontend of a chardev) provides to receive bytes. */
typedef struct emu_chardev_client {
    uint32_t struct_size;
    /* required: how many bytes the device can take now (0 = none) */
    size_t (*can_receive)(void *opaque);
    /* required: bytes from the host, at most what can_receive said */
    void (*receive)(void *opaque, const uint8_t *buf, size_t len);
} emu_chardev_client;

/* Send bytes to the host.  Never blocks the guest for long; returns the
   number of bytes taken (all of them unless the backend is gone). */
EMU_API size_t emu_chardev_write(emu_chardev *c, const void *buf, size_t len);
/* Attach the device that receives input (one per chardev). */
EMU_API void emu_chardev_attach(emu_chardev *c, const emu_chardev_client *client, void *opaque);
/* Tell the core the device can take input again after can_receive said 0.
   Input already queued may be delivered before this returns (receive is
   called, never nested inside another receive), so call it once the
   device's state is consistent, e.g. at the end of a register read. */
EMU_API void emu_chardev_accept_input(emu_chardev *c);
/* Its name in the machine's `chardevs:`. */
EMU_API const char *emu_chardev_name(const emu_chardev *c);

#ifdef __cplusplus
}
#endif
#endif
