/* The "tcp:127.0.0.1:PORT" chardev: a server on loopback only, one client at a time, never blocking. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "chardev-internal.h"

/* Split "HOST:PORT"; only loopback is accepted, so a guest console is never open to the network. */
static int parse_addr(const char *arg, uint16_t *port, emu_error **err)
{
    const char *colon = strrchr(arg, ':');
    if (!colon) {
        emu_error_set(err, "'tcp:%s': expected tcp:127.0.0.1:PORT", arg);
        return -1;
    }
    size_t hlen = (size_t)(colon - arg);
    bool loopback = hlen == 9 && (!strncmp(arg, "127.0.0.1", 9) || !strncmp(arg, "localhost", 9));
    if (!loopback) {
        emu_error_set(err, "'tcp:%s': host '%.*s' is not allowed: the server listens on "
                      "loopback only (write tcp:127.0.0.1:PORT)", arg, (int)hlen, arg);
        return -1;
    }
    const char *p = colon + 1;
    char *end;
    errno = 0;
    unsigned long v = strtoul(p, &end, 10);
    if (*p < '0' || *p > '9' || *end || errno || v > 65535) {   /* digits only: no sign, no space */
        emu_error_set(err, "'tcp:%s': port '%s' is not a number from 0 to 65535 "
                      "(0 picks a free port)", arg, p);
        return -1;
    }
    *port = (uint16_t)v;
    return 0;
}

static int tcp_check(const char *arg, emu_error **err)
{
    uint16_t port;
    return parse_addr(arg, &port, err);
}

static int tcp_open(emu_chardev *c, const char *arg, emu_error **err)
{
    uint16_t port;
    if (parse_addr(arg, &port, err) < 0)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        emu_error_set(err, "chardev '%s': socket: %s", c->name, strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        emu_error_set(err, "chardev '%s': cannot listen on 127.0.0.1:%u: %s", c->name, port, strerror(errno));
        close(fd);
        return -1;
    }
    c->listen_fd = fd;
    c->port = ntohs(sa.sin_port);
    if (!port)
        fprintf(stderr, "emu: chardev %s: listening on tcp:127.0.0.1:%u\n", c->name, c->port);
    return 0;
}

static void tcp_accept(emu_chardev *c)
{
    int fd = accept4(c->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;   /* the client gave up already, or EAGAIN: nothing to do */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->in_fd = c->out_fd = fd;
    c->out_is_socket = true;
    c->in_eof = c->out_failed = false;
    emu_log(NULL, EMU_LOG_INFO, "chardev %s: client connected", c->name);
}

/* The client left: drop what was queued for it and wait for the next one. */
static void tcp_hangup(emu_chardev *c)
{
    if (c->in_fd >= 0)
        close(c->in_fd);
    c->in_fd = c->out_fd = -1;
    byte_queue_drop(&c->in, c->in.len);
    byte_queue_drop(&c->out, c->out.len);
    c->dropped = 0;
    emu_log(NULL, EMU_LOG_INFO, "chardev %s: client disconnected", c->name);
}

static void tcp_close(emu_chardev *c)
{
    if (c->in_fd >= 0)
        close(c->in_fd);
    if (c->listen_fd >= 0)
        close(c->listen_fd);
}

uint16_t emu_chardev_tcp_port(const emu_chardev *c)
{
    return c && c->kind == &emu_chardev_tcp_kind ? c->port : 0;
}

const chardev_kind emu_chardev_tcp_kind = {
    .name = "tcp", .usage = "tcp:127.0.0.1:PORT", .has_arg = true,
    .check = tcp_check, .open = tcp_open, .close = tcp_close,
    .hangup = tcp_hangup, .accept = tcp_accept,
};
