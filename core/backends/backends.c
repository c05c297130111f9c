/* The machine's host backends: named chardevs and block devices, and the poll loop feeding input. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include "block-internal.h"
#include "chardev-internal.h"

struct emu_backends {
    emu_chardev **chardevs;
    size_t nchardevs, chardevs_cap;
    emu_blockdev **blockdevs;
    size_t nblockdevs, blockdevs_cap;
    struct pollfd *pfds;       /* scratch for emu_backends_poll */
    emu_chardev **pfd_owner;   /* the chardev of each pollfd */
    size_t pfds_cap;
};

int emu_backends_init(emu_machine *m, emu_error **err)
{
    m->backends = emu_xcalloc(1, sizeof *m->backends);
    return 0;
}

void emu_backends_fini(emu_machine *m)
{
    struct emu_backends *b = m->backends;
    if (!b)
        return;
    for (size_t i = b->nblockdevs; i-- > 0;)
        emu_blockdev_close(b->blockdevs[i]);
    for (size_t i = b->nchardevs; i-- > 0;)
        emu_chardev_close(b->chardevs[i]);
    free(b->blockdevs);
    free(b->chardevs);
    free(b->pfds);
    free(b->pfd_owner);
    free(b);
    m->backends = NULL;
}

/* ---- registry ---- */

int emu_backends_add_chardev(emu_machine *m, const char *name, const char *spec, emu_error **err)
{
    struct emu_backends *b = m->backends;
    if (emu_backends_chardev(m, name)) {
        emu_error_set(err, "chardev '%s' is defined twice", name);
        return -1;
    }
    emu_chardev *c = emu_chardev_open(m, name, spec, err);
    if (!c)
        return -1;
    EMU_PUSH(b->chardevs, b->nchardevs, b->chardevs_cap, c);
    return 0;
}

emu_chardev *emu_backends_chardev(emu_machine *m, const char *name)
{
    struct emu_backends *b = m->backends;
    for (size_t i = 0; b && i < b->nchardevs; i++)
        if (!strcmp(b->chardevs[i]->name, name))
            return b->chardevs[i];
    return NULL;
}

int emu_backends_add_blockdev(emu_machine *m, const char *name, const char *path,
                              emu_block_mode mode, emu_error **err)
{
    struct emu_backends *b = m->backends;
    if (emu_backends_blockdev(m, name)) {
        emu_error_set(err, "blockdev '%s' is defined twice", name);
        return -1;
    }
    emu_blockdev *bd = emu_blockdev_open(name, path, mode, err);
    if (!bd)
        return -1;
    EMU_PUSH(b->blockdevs, b->nblockdevs, b->blockdevs_cap, bd);
    return 0;
}

emu_blockdev *emu_backends_blockdev(emu_machine *m, const char *name)
{
    struct emu_backends *b = m->backends;
    for (size_t i = 0; b && i < b->nblockdevs; i++)
        if (!strcmp(emu_block_name(b->blockdevs[i]), name))
            return b->blockdevs[i];
    return NULL;
}

void emu_backends_flush_all(emu_machine *m)
{
    struct emu_backends *b = m->backends;
    for (size_t i = 0; b && i < b->nblockdevs; i++) {
        int r = emu_block_flush(b->blockdevs[i]);
        if (r < 0)
            emu_log(NULL, EMU_LOG_ERROR, "blockdev %s: flush failed: %s",
                    emu_block_name(b->blockdevs[i]), strerror(-r));
    }
    for (size_t i = 0; b && i < b->nchardevs; i++)
        if (b->chardevs[i]->out.len)
            emu_chardev_flush_output(b->chardevs[i]);
}

void emu_backends_start(emu_machine *m)
{
    struct emu_backends *b = m->backends;
    for (size_t i = 0; b && i < b->nchardevs; i++)
        emu_chardev_start(b->chardevs[i]);
}

/* ---- polling ---- */

static void add_pollfd(struct emu_backends *b, size_t *n, emu_chardev *c, int fd, short events)
{
    for (size_t i = 0; i < *n; i++) {
        if (b->pfds[i].fd == fd && b->pfd_owner[i] == c) {
            b->pfds[i].events |= events;
            return;
        }
    }
    if (*n == b->pfds_cap) {
        b->pfds_cap = b->pfds_cap ? 2 * b->pfds_cap : 8;
        b->pfds = emu_xrealloc(b->pfds, b->pfds_cap * sizeof *b->pfds);
        b->pfd_owner = emu_xrealloc(b->pfd_owner, b->pfds_cap * sizeof *b->pfd_owner);
    }
    b->pfds[*n] = (struct pollfd){ .fd = fd, .events = events };
    b->pfd_owner[*n] = c;
    (*n)++;
}

/* One chardev's part of a poll() result. */
static void dispatch(emu_chardev *c, int fd, short rev)
{
    if (fd == c->listen_fd) {
        if (rev & POLLIN && c->in_fd < 0 && c->kind->accept)
            c->kind->accept(c);
        return;
    }
    if (fd == c->out_fd && c->out.len && (rev & (POLLOUT | POLLERR | POLLHUP)))
        emu_chardev_flush_output(c);
    /* A hang-up is read too: the read sees the end (and the last bytes before it). */
    if (fd == c->in_fd && (rev & (POLLIN | POLLHUP | POLLERR)) && emu_chardev_wants_input(c))
        emu_chardev_read_input(c);
}

void emu_backends_poll(emu_machine *m, int timeout_ms)
{
    struct emu_backends *b = m->backends;
    if (!b)
        return;
    for (size_t i = 0; i < b->nchardevs; i++) {
        emu_chardev *c = b->chardevs[i];
        emu_chardev_deliver_input(c);
        if (c->out.len)
            emu_chardev_flush_output(c);
        if (emu_chardev_input_ready(c))
            timeout_ms = 0;   /* queued input the device can take: do not sleep */
    }

    size_t n = 0;
    for (size_t i = 0; i < b->nchardevs; i++) {
        emu_chardev *c = b->chardevs[i];
        if (emu_chardev_wants_input(c))
            add_pollfd(b, &n, c, c->in_fd, POLLIN);
        if (c->out_fd >= 0 && c->out.len && !c->out_failed)
            add_pollfd(b, &n, c, c->out_fd, POLLOUT);
        if (c->listen_fd >= 0 && c->in_fd < 0)
            add_pollfd(b, &n, c, c->listen_fd, POLLIN);
    }
    if (!n && !timeout_ms)
        return;
    int r = poll(b->pfds, n, timeout_ms);
    if (r <= 0)
        return;   /* timeout, or a signal (the run loop looks at quit requests) */
    for (size_t i = 0; i < n; i++)
        if (b->pfds[i].revents)
            dispatch(b->pfd_owner[i], b->pfds[i].fd, b->pfds[i].revents);
    for (size_t i = 0; i < b->nchardevs; i++)
        emu_chardev_deliver_input(b->chardevs[i]);
}

bool emu_backends_input_possible(emu_machine *m)
{
    struct emu_backends *b = m->backends;
    for (size_t i = 0; b && i < b->nchardevs; i++) {
        emu_chardev *c = b->chardevs[i];
        if (!c->client)
            continue;
        if (c->in.len || emu_chardev_wants_input(c) || c->listen_fd >= 0)
            return true;
    }
    return false;
}
