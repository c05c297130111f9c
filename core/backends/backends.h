/* Host backends inside the core: creating chardevs and block devices by name, polling host input. */
#ifndef EMU_CORE_BACKENDS_H
#define EMU_CORE_BACKENDS_H

#include "emu/chardev.h"
#include "emu/block.h"
#include "machine.h"

/* Chardev specs: "stdio" (raw terminal while stdin is a terminal, else
   stdin read as a byte stream; one per process), "null", "file:PATH"
   (output only, the file is truncated), "tcp:127.0.0.1:PORT" (a server on
   loopback, "localhost" also accepted, one client at a time; the guest's
   output is dropped until a client connects; port 0 picks a free port and
   prints it), "pty" (prints "emu: chardev NAME: /dev/pts/N" to stderr),
   "buffer" (memory, for tests and Lua consoles).  Output never blocks the
   guest: what the host does not take is queued (1 MiB) and then dropped
   with a warning. */
int emu_backends_add_chardev(emu_machine *m, const char *name, const char *spec, emu_error **err);
emu_chardev *emu_backends_chardev(emu_machine *m, const char *name);
/* Checks the spec's form without opening anything (for validation). */
int emu_chardev_spec_check(const char *spec, emu_error **err);
/* Bytes the guest wrote to a "buffer" chardev (NUL-terminated; the newest
   16 MiB are kept), and feeding input (queued, delivered to the device by
   emu_backends_poll; works for any chardev kind). */
const char *emu_chardev_buffer_output(emu_chardev *c, size_t *len);
void emu_chardev_buffer_clear(emu_chardev *c);
void emu_chardev_buffer_input(emu_chardev *c, const void *buf, size_t len);
/* Output taps, for scripted consoles on any chardev kind.  Once tapped, every
   byte the guest writes is recorded for the core as well as going to the
   chardev's host side (terminal, pty, file, socket, nothing).  An untapped
   chardev pays one test per write.  The record keeps the newest 16 MiB not
   yet consumed (older bytes give way, with one warning). */
void emu_chardev_tap(emu_chardev *c);
bool emu_chardev_is_tapped(const emu_chardev *c);
/* The recorded output not consumed yet (NUL-terminated; "" when untapped).
   The pointer is valid until the next write to or consume of the chardev. */
const char *emu_chardev_tap_output(emu_chardev *c, size_t *len);
/* Forget the first n recorded bytes (the reader has used them). */
void emu_chardev_tap_consume(emu_chardev *c, size_t n);
/* Input as if the host side had sent it, on any kind (also file and null):
   handed to the attached device now as far as it takes it, the rest queued
   for emu_backends_poll. */
void emu_chardev_inject_input(emu_chardev *c, const void *buf, size_t len);
/* The port a "tcp" chardev listens on (0 for other kinds). */
uint16_t emu_chardev_tcp_port(const emu_chardev *c);

typedef enum emu_block_mode {
    EMU_BLOCK_RW,        /* guest writes reach the file */
    EMU_BLOCK_RO,        /* guest writes fail */
    EMU_BLOCK_SNAPSHOT,  /* guest writes go to a private copy, dropped at exit */
} emu_block_mode;
/* "rw", "ro" or "snapshot" -> mode; -1 for anything else. */
int emu_block_mode_parse(const char *text, emu_block_mode *mode);
/* Open a raw image (a regular file or a block device).  The image is
   locked (shared for ro/snapshot, exclusive for rw) against concurrent use. */
int emu_backends_add_blockdev(emu_machine *m, const char *name, const char *path,
                              emu_block_mode mode, emu_error **err);
emu_blockdev *emu_backends_blockdev(emu_machine *m, const char *name);

/* The machine starts running: host files the backends write are created or emptied now, not
   while the machine is built (a machine refused then changes no file).  Idempotent. */
void emu_backends_start(emu_machine *m);
/* Deliver pending host input to devices; wait up to timeout_ms (0 = just
   poll, -1 = until input arrives) when nothing is pending. */
void emu_backends_poll(emu_machine *m, int timeout_ms);
/* Could host input still reach a device?  (An attached chardev whose host
   side is open: stdin before EOF, a pty, a tcp server, queued input.)  When
   not, and nothing is scheduled, an idle machine can never wake up. */
bool emu_backends_input_possible(emu_machine *m);
/* Put the terminal back the way it was (idempotent; async-signal-safe). */
void emu_backends_restore_terminal(void);
/* Flush every block device. */
void emu_backends_flush_all(emu_machine *m);

#endif
