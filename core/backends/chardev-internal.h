/* Chardev internals shared by the generic chardev code and each host kind (stdio, tcp, pty...). */
#ifndef EMU_CORE_CHARDEV_INTERNAL_H
#define EMU_CORE_CHARDEV_INTERNAL_H

#include <sys/types.h>
#include "backends.h"

/* A FIFO of bytes (host input waiting for the device, or output waiting for the host). */
typedef struct byte_queue {
    uint8_t *data;
    size_t start, len, cap;
} byte_queue;

void byte_queue_push(byte_queue *q, const void *p, size_t n);
void byte_queue_drop(byte_queue *q, size_t n);
static inline const uint8_t *byte_queue_head(const byte_queue *q)
{
    return q->data + q->start;
}
void byte_queue_free(byte_queue *q);

typedef struct chardev_kind chardev_kind;

struct emu_chardev {
    char *name;
    emu_machine *machine;
    const chardev_kind *kind;
    int in_fd;                    /* host input, -1 when none (or no tcp client) */
    int out_fd;                   /* host output, -1 when none */
    int listen_fd;                /* tcp: the listening socket */
    int extra_fd;                 /* pty: the slave end held open so the master never hangs up */
    bool out_is_socket;           /* send() with MSG_DONTWAIT instead of write() */
    bool in_eof;                  /* the host input ended; stop polling it */
    bool out_failed;              /* the host output failed for good; discard output */
    bool delivering;              /* inside receive(): no nested delivery */
    byte_queue in;                /* read from the host, not yet taken by the device */
    byte_queue out;               /* written by the device, not yet taken by the host */
    size_t dropped;               /* output bytes dropped in the current stall (for the log) */
    uint16_t port;                /* tcp: the port listened on */
    const emu_chardev_client *client;
    void *client_opaque;
    byte_queue captured;          /* buffer: everything the guest wrote */
    bool tapped;                  /* a script reads the output: record it in `tap` too */
    byte_queue tap;               /* output recorded for the tap, not yet consumed */
    size_t tap_dropped;           /* tap bytes dropped because the reader fell behind */
    char *start_path;             /* file: created or emptied when output starts (see below) */
};

/* One kind of chardev, chosen by the spec's prefix. */
struct chardev_kind {
    const char *name;             /* "stdio", "file", ... */
    const char *usage;            /* how the spec is written, for messages */
    bool has_arg;                 /* spec is NAME:ARG */
    /* optional: check ARG without opening anything */
    int (*check)(const char *arg, emu_error **err);
    /* open the host side; set in_fd/out_fd/listen_fd as needed */
    int (*open)(emu_chardev *c, const char *arg, emu_error **err);
    /* optional: release what open took; when NULL the generic code closes
       in_fd, out_fd, listen_fd and extra_fd */
    void (*close)(emu_chardev *c);
    /* optional: take output directly instead of writing out_fd (null, buffer) */
    void (*write)(emu_chardev *c, const void *buf, size_t len);
    /* optional: the input side hung up or ended (default: stop reading it) */
    void (*hangup)(emu_chardev *c);
    /* optional: listen_fd is readable (tcp: a client is knocking) */
    void (*accept)(emu_chardev *c);
    /* optional: the machine starts running or the first output comes; changes to host files
       wait for this, so a machine refused while it is built changes none (file: truncates) */
    void (*start)(emu_chardev *c);
};

extern const chardev_kind emu_chardev_stdio_kind, emu_chardev_null_kind, emu_chardev_file_kind,
    emu_chardev_tcp_kind, emu_chardev_pty_kind, emu_chardev_buffer_kind;

/* The machine starts running: every chardev takes over its host side (idempotent). */
void emu_chardev_start(emu_chardev *c);

/* Create and open a chardev from its spec (the registry owns the result). */
emu_chardev *emu_chardev_open(emu_machine *m, const char *name, const char *spec, emu_error **err);
void emu_chardev_close(emu_chardev *c);

/* Pending output: try to hand the queue to the host; -1 when the host side is gone. */
int emu_chardev_flush_output(emu_chardev *c);
/* Give queued input to the client as far as it can take it; true if any was taken. */
bool emu_chardev_deliver_input(emu_chardev *c);
/* Read what the host has for us into the input queue (in_fd is readable). */
void emu_chardev_read_input(emu_chardev *c);
/* Queued input the client can take right now. */
bool emu_chardev_input_ready(emu_chardev *c);
/* Room left in the input queue (we stop reading the host when it is full). */
bool emu_chardev_wants_input(emu_chardev *c);

/* Set O_NONBLOCK and FD_CLOEXEC on a descriptor we own. */
int emu_fd_set_nonblock_cloexec(int fd);

#endif
