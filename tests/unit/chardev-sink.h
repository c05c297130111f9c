/* A test's device side of a chardev: keeps what it receives (NUL-terminated) and takes at most
 * `room` bytes in all, so tests can hold input back and release it. */
#ifndef EMU_TESTS_CHARDEV_SINK_H
#define EMU_TESTS_CHARDEV_SINK_H
#include <string.h>
#include "emu/chardev.h"

typedef struct sink {
    char got[4096];
    size_t len;
    size_t room;
} sink;

static size_t sink_can_receive(void *opaque)
{
    sink *s = opaque;
    size_t space = sizeof s->got - 1 - s->len;
    return s->room < space ? s->room : space;
}

static void sink_receive(void *opaque, const uint8_t *buf, size_t len)
{
    sink *s = opaque;
    memcpy(s->got + s->len, buf, len);
    s->len += len;
    s->got[s->len] = 0;
    s->room -= len;
}

static const emu_chardev_client sink_client = {
    sizeof(emu_chardev_client), sink_can_receive, sink_receive,
};
#endif
