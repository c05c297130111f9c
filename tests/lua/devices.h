/* Device types for the Lua tests: "pin" (an output line and four inputs) and "console" (a
 * login prompt on a chardev at 5 us of emulated time, greeting whoever types a line). */
#ifndef EMU_TESTS_LUA_DEVICES_H
#define EMU_TESTS_LUA_DEVICES_H

#include <stdio.h>
#include "emu/emu.h"

/* Not every test uses every type. */
#define TEST_UNUSED __attribute__((unused))

typedef struct pin {
    emu_device dev;
    emu_line *out;
} pin;

TEST_UNUSED static const emu_line_desc pin_in[] = { { "in", 4, "inputs" }, { NULL, 0, NULL } };
TEST_UNUSED static const emu_line_desc pin_out[] = { { "irq", 1, "output" }, { NULL, 0, NULL } };

TEST_UNUSED static int pin_realize(emu_device *dev, emu_error **err)
{
    (void)err;
    ((pin *)dev)->out = emu_device_output(dev, "irq", 0);
    return 0;
}

TEST_UNUSED static const emu_type pin_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "pin",
    .instance_size = sizeof(pin), .inputs = pin_in, .outputs = pin_out, .realize = pin_realize,
};

/* A "login" console: prints a prompt at 5 us, greets whoever types a name and a newline. */
typedef struct console {
    emu_device dev;
    emu_chardev *chr;
    emu_timer *prompt;
    char line[64];
    size_t len;
} console;

TEST_UNUSED static const emu_prop_desc console_props[] = {
    EMU_PROP_CHARDEV_DEF("chardev", console, chr, "host side"),
    EMU_PROP_END,
};

TEST_UNUSED static size_t console_can_receive(void *opaque)
{
    (void)opaque;
    return 1;
}

TEST_UNUSED static void console_receive(void *opaque, const uint8_t *buf, size_t len)
{
    console *c = opaque;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            char reply[128];
            int n = snprintf(reply, sizeof reply, "Welcome %.*s\n# ", (int)c->len, c->line);
            emu_chardev_write(c->chr, reply, (size_t)n);
            c->len = 0;
        } else if (c->len < sizeof c->line) {
            c->line[c->len++] = (char)buf[i];
        }
    }
}

TEST_UNUSED static const emu_chardev_client console_client = {
    sizeof(emu_chardev_client), console_can_receive, console_receive,
};

TEST_UNUSED static void console_prompt(void *opaque)
{
    console *c = opaque;
    emu_chardev_write(c->chr, "boot ok\nlogin: ", 15);
}

TEST_UNUSED static int console_realize(emu_device *dev, emu_error **err)
{
    (void)err;
    console *c = (console *)dev;
    emu_chardev_attach(c->chr, &console_client, c);
    c->prompt = emu_timer_new(dev->machine, console_prompt, c);
    emu_timer_arm(c->prompt, 5000);
    return 0;
}

TEST_UNUSED static void console_destroy(emu_device *dev)
{
    emu_timer_free(((console *)dev)->prompt);
}

TEST_UNUSED static const emu_type console_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "console",
    .instance_size = sizeof(console), .props = console_props, .realize = console_realize,
    .destroy = console_destroy,
};

#endif
