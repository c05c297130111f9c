/* Chardevs: spec parsing, the SDK entry points, and the input/output queues every host kind shares. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "chardev-internal.h"

/* Input read from the host ahead of the device; we stop reading when this much is queued. */
#define IN_QUEUE_MAX 4096
/* Output the host has not taken yet; beyond this it is dropped so the guest never waits. */
#define OUT_QUEUE_MAX (1u << 20)
/* Tapped output a script has not consumed yet; older bytes give way beyond this. */
#define TAP_MAX (16u << 20)

static const chardev_kind *const kinds[] = {
    &emu_chardev_stdio_kind, &emu_chardev_null_kind, &emu_chardev_file_kind,
    &emu_chardev_tcp_kind, &emu_chardev_pty_kind, &emu_chardev_buffer_kind,
};

#define VALID_SPECS "stdio, null, file:PATH, tcp:127.0.0.1:PORT, pty, buffer"

/* ---- byte queues ---- */

void byte_queue_push(byte_queue *q, const void *p, size_t n)
{
    if (!n)
        return;
    if (q->start + q->len + n > q->cap) {
        if (q->start) {
            memmove(q->data, q->data + q->start, q->len);
            q->start = 0;
        }
        if (q->len + n > q->cap) {
            size_t cap = q->cap ? q->cap : 256;
            while (cap < q->len + n)
                cap *= 2;
            q->data = emu_xrealloc(q->data, cap);
            q->cap = cap;
        }
    }
    memcpy(q->data + q->start + q->len, p, n);
    q->len += n;
}

void byte_queue_drop(byte_queue *q, size_t n)
{
    if (n >= q->len) {
        q->start = q->len = 0;
        return;
    }
    q->start += n;
    q->len -= n;
}

void byte_queue_free(byte_queue *q)
{
    free(q->data);
    memset(q, 0, sizeof *q);
}

int emu_fd_set_nonblock_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    int fdfl = fcntl(fd, F_GETFD);
    if (fdfl < 0 || fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) < 0)
        return -1;
    return 0;
}

/* ---- specs ---- */

/* The kind a spec names, and its argument (after the ':') in *arg. */
static const chardev_kind *parse_spec(const char *spec, const char **arg, emu_error **err)
{
    size_t nlen = strcspn(spec, ":");
    for (size_t i = 0; i < EMU_ARRAY_SIZE(kinds); i++) {
        const chardev_kind *k = kinds[i];
        if (strlen(k->name) != nlen || strncmp(spec, k->name, nlen))
            continue;
        if (k->has_arg && spec[nlen] != ':') {
            emu_error_set(err, "'%s': expected %s", spec, k->usage);
            return NULL;
        }
        if (!k->has_arg && spec[nlen]) {
            emu_error_set(err, "'%s': %s takes no argument (expected %s)", spec, k->name, k->usage);
            return NULL;
        }
        *arg = k->has_arg ? spec + nlen + 1 : NULL;
        return k;
    }
    emu_error_set(err, "unknown chardev '%s' (valid: " VALID_SPECS ")", spec);
    return NULL;
}

int emu_chardev_spec_check(const char *spec, emu_error **err)
{
    const char *arg;
    const chardev_kind *k = parse_spec(spec, &arg, err);
    if (!k)
        return -1;
    return k->check ? k->check(arg, err) : 0;
}

emu_chardev *emu_chardev_open(emu_machine *m, const char *name, const char *spec, emu_error **err)
{
    const char *arg;
    const chardev_kind *k = parse_spec(spec, &arg, err);
    if (!k || (k->check && k->check(arg, err) < 0))
        return NULL;
    /* A host side that goes away (a closed pipe or FIFO) is an error on that
       chardev, never the death of emu. */
    struct sigaction cur;
    if (sigaction(SIGPIPE, NULL, &cur) == 0 && cur.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
    emu_chardev *c = emu_xcalloc(1, sizeof *c);
    c->name = emu_xstrdup(name);
    c->machine = m;
    c->kind = k;
    c->in_fd = c->out_fd = c->listen_fd = c->extra_fd = -1;
    if (k->open(c, arg, err) < 0) {
        emu_chardev_close(c);
        return NULL;
    }
    return c;
}

void emu_chardev_close(emu_chardev *c)
{
    if (!c)
        return;
    if (c->out.len && !c->out_failed)
        emu_chardev_flush_output(c);
    if (c->kind->close) {
        c->kind->close(c);
    } else {
        if (c->out_fd >= 0 && c->out_fd != c->in_fd)
            close(c->out_fd);
        int fds[] = { c->in_fd, c->listen_fd, c->extra_fd };
        for (size_t i = 0; i < EMU_ARRAY_SIZE(fds); i++)
            if (fds[i] >= 0)
                close(fds[i]);
    }
    byte_queue_free(&c->in);
    byte_queue_free(&c->out);
    byte_queue_free(&c->captured);
    byte_queue_free(&c->tap);
    free(c->start_path);
    free(c->name);
    free(c);
}

/* ---- output ---- */

static ssize_t host_write(emu_chardev *c, const void *buf, size_t len)
{
    ssize_t r;
    do {
        r = c->out_is_socket ? send(c->out_fd, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL)
                             : write(c->out_fd, buf, len);
    } while (r < 0 && errno == EINTR);
    return r;
}

/* The host side refused output for good (closed pipe, reset connection). */
static void output_failed(emu_chardev *c, int error)
{
    byte_queue_drop(&c->out, c->out.len);
    if (c->kind->hangup) {
        c->kind->hangup(c);
        return;
    }
    emu_log(NULL, EMU_LOG_WARN, "chardev %s: output failed (%s); further output is discarded",
            c->name, strerror(error));
    c->out_failed = true;
}

int emu_chardev_flush_output(emu_chardev *c)
{
    while (c->out.len && c->out_fd >= 0 && !c->out_failed) {
        ssize_t r = host_write(c, byte_queue_head(&c->out), c->out.len);
        if (r < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            output_failed(c, errno);
            return -1;
        }
        byte_queue_drop(&c->out, (size_t)r);
    }
    if (!c->out.len && c->dropped) {
        emu_log(NULL, EMU_LOG_WARN, "chardev %s: the host reads output again (%zu bytes were dropped)",
                c->name, c->dropped);
        c->dropped = 0;
    }
    return 0;
}

static void tap_record(emu_chardev *c, const void *buf, size_t len);

void emu_chardev_start(emu_chardev *c)
{
    if (c && c->start_path && c->kind->start)
        c->kind->start(c);
}

size_t emu_chardev_write(emu_chardev *c, const void *buf, size_t len)
{
    if (!c || !len)
        return 0;
    emu_chardev_start(c);
    if (c->tapped)
        tap_record(c, buf, len);
    if (c->kind->write) {
        c->kind->write(c, buf, len);
        return len;
    }
    /* No host side (a tcp server without a client) or a dead one: the bytes go nowhere. */
    if (c->out_fd < 0 || c->out_failed)
        return len;
    const uint8_t *p = buf;
    size_t left = len;
    if (!c->out.len) {
        ssize_t r = host_write(c, p, left);
        if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
            output_failed(c, errno);
            return len;
        }
        if (r > 0) {
            p += r;
            left -= (size_t)r;
        }
    }
    size_t room = c->out.len < OUT_QUEUE_MAX ? OUT_QUEUE_MAX - c->out.len : 0;
    size_t keep = left < room ? left : room;
    byte_queue_push(&c->out, p, keep);
    if (keep < left) {
        if (!c->dropped)
            emu_log(NULL, EMU_LOG_WARN, "chardev %s: the host is not reading output; dropping it",
                    c->name);
        c->dropped += left - keep;
    }
    return len;
}

/* ---- input ---- */

void emu_chardev_attach(emu_chardev *c, const emu_chardev_client *client, void *opaque)
{
    if (!c)
        return;
    if (c->client && client && (c->client != client || c->client_opaque != opaque))
        emu_log(NULL, EMU_LOG_WARN, "chardev %s: a second device attached; input now goes to it only",
                c->name);
    c->client = client;
    c->client_opaque = opaque;
}

bool emu_chardev_input_ready(emu_chardev *c)
{
    return c->client && c->in.len && !c->delivering && c->client->can_receive(c->client_opaque) > 0;
}

bool emu_chardev_wants_input(emu_chardev *c)
{
    return c->client && c->in_fd >= 0 && !c->in_eof && c->in.len < IN_QUEUE_MAX;
}

bool emu_chardev_deliver_input(emu_chardev *c)
{
    if (!c->client || c->delivering)
        return false;
    bool any = false;
    c->delivering = true;
    while (c->in.len) {
        size_t n = c->client->can_receive(c->client_opaque);
        if (!n)
            break;
        uint8_t chunk[256];
        if (n > c->in.len)
            n = c->in.len;
        if (n > sizeof chunk)
            n = sizeof chunk;
        /* Copy first: receive may queue more input (a Lua console) and move the queue. */
        memcpy(chunk, byte_queue_head(&c->in), n);
        byte_queue_drop(&c->in, n);
        c->client->receive(c->client_opaque, chunk, n);
        any = true;
    }
    c->delivering = false;
    return any;
}

void emu_chardev_read_input(emu_chardev *c)
{
    uint8_t buf[IN_QUEUE_MAX];
    size_t room = IN_QUEUE_MAX - (c->in.len < IN_QUEUE_MAX ? c->in.len : IN_QUEUE_MAX);
    if (!room)
        return;
    ssize_t r;
    do {
        r = read(c->in_fd, buf, room);
    } while (r < 0 && errno == EINTR);
    if (r > 0) {
        byte_queue_push(&c->in, buf, (size_t)r);
        return;
    }
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    /* End of input or an error: never poll this descriptor again (no busy loop on EOF). */
    if (c->kind->hangup)
        c->kind->hangup(c);
    else
        c->in_eof = true;
}

void emu_chardev_accept_input(emu_chardev *c)
{
    /* Deliver what is already queued right away (a paste drains at guest speed);
       the nested-call guard keeps a device's receive from re-entering itself. */
    if (c)
        emu_chardev_deliver_input(c);
}

const char *emu_chardev_name(const emu_chardev *c)
{
    return c ? c->name : "";
}

/* ---- the memory ("buffer") side, also usable to inject input into any chardev ---- */

void emu_chardev_buffer_input(emu_chardev *c, const void *buf, size_t len)
{
    if (c)
        byte_queue_push(&c->in, buf, len);
}

const char *emu_chardev_buffer_output(emu_chardev *c, size_t *len)
{
    static const char empty[1];
    if (!c || !c->captured.len) {
        if (len)
            *len = 0;
        return empty;
    }
    if (len)
        *len = c->captured.len;
    return (const char *)byte_queue_head(&c->captured);
}

void emu_chardev_buffer_clear(emu_chardev *c)
{
    if (c)
        byte_queue_drop(&c->captured, c->captured.len);
}

/* ---- output taps (scripted consoles on any kind) ---- */

void emu_chardev_tap(emu_chardev *c)
{
    if (c)
        c->tapped = true;
}

bool emu_chardev_is_tapped(const emu_chardev *c)
{
    return c && c->tapped;
}

static void tap_record(emu_chardev *c, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    if (len > TAP_MAX) {
        c->tap_dropped += len - TAP_MAX;
        p += len - TAP_MAX;
        len = TAP_MAX;
    }
    if (c->tap.len + len > TAP_MAX) {
        size_t drop = c->tap.len + len - TAP_MAX;
        if (!c->tap_dropped)
            emu_log(NULL, EMU_LOG_WARN, "chardev %s: the script has not read %u bytes of output; "
                    "dropping the oldest", c->name, TAP_MAX);
        c->tap_dropped += drop;
        byte_queue_drop(&c->tap, drop);
    }
    byte_queue_push(&c->tap, p, len);
    /* Keep a NUL after the bytes so the reader may treat them as a string. */
    byte_queue_push(&c->tap, "", 1);
    c->tap.len--;
}

const char *emu_chardev_tap_output(emu_chardev *c, size_t *len)
{
    static const char empty[1];
    if (!c || !c->tap.len) {
        if (len)
            *len = 0;
        return empty;
    }
    if (len)
        *len = c->tap.len;
    return (const char *)byte_queue_head(&c->tap);
}

void emu_chardev_tap_consume(emu_chardev *c, size_t n)
{
    if (c)
        byte_queue_drop(&c->tap, n);
}

void emu_chardev_inject_input(emu_chardev *c, const void *buf, size_t len)
{
    if (!c)
        return;
    byte_queue_push(&c->in, buf, len);
    emu_chardev_deliver_input(c);
}
