/* The chardev kinds with no terminal or network behind them: null, file:PATH and buffer. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "chardev-internal.h"

/* A buffer chardev keeps at most this much output; older bytes give way to newer ones. */
#define BUFFER_MAX (16u << 20)

/* ---- null: output vanishes, input never comes ---- */

static int null_open(emu_chardev *c, const char *arg, emu_error **err)
{
    return 0;
}

static void null_write(emu_chardev *c, const void *buf, size_t len)
{
}

const chardev_kind emu_chardev_null_kind = {
    .name = "null", .usage = "null", .open = null_open, .write = null_write,
};

/* ---- file:PATH: output written to a file created (or emptied) when the run starts; no input ---- */

static int file_check(const char *arg, emu_error **err)
{
    if (!*arg) {
        emu_error_set(err, "'file:': expected file:PATH (a file to write the output to)");
        return -1;
    }
    return 0;
}

/* The file is opened now, so an unwritable one is refused while the machine is built, but it is
   created or emptied only when the run starts (file_start): a machine refused later (a port in
   use, a bad image) leaves it as it was. */
static int file_open(emu_chardev *c, const char *path, emu_error **err)
{
    /* O_NONBLOCK: a FIFO without a reader must not hang emu at start, nor later. */
    c->out_fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (c->out_fd < 0 && errno == ENOENT) {
        /* Not there yet: its folder must let us create it. */
        char *dir = emu_xstrdup(path);
        char *slash = strrchr(dir, '/');
        if (!slash)
            strcpy(dir, ".");
        else
            slash[slash == dir] = 0;   /* "/x" -> "/", "a/x" -> "a" */
        int ok = access(dir, W_OK | X_OK);
        int e = errno;
        free(dir);
        if (ok < 0) {
            emu_error_set(err, "chardev '%s': cannot create %s: %s", c->name, path, strerror(e));
            return -1;
        }
    } else if (c->out_fd < 0) {
        emu_error_set(err, "chardev '%s': cannot open %s for writing: %s", c->name, path, strerror(errno));
        return -1;
    }
    c->start_path = emu_xstrdup(path);
    return 0;
}

static void file_start(emu_chardev *c)
{
    if (c->out_fd < 0)
        c->out_fd = open(c->start_path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0666);
    if (c->out_fd < 0)
        emu_log(NULL, EMU_LOG_ERROR, "chardev %s: cannot create %s: %s; its output is discarded",
                c->name, c->start_path, strerror(errno));
    else if (ftruncate(c->out_fd, 0) < 0 && errno != EINVAL)   /* EINVAL: a FIFO or a device */
        emu_log(NULL, EMU_LOG_WARN, "chardev %s: cannot empty %s: %s", c->name, c->start_path,
                strerror(errno));
    free(c->start_path);
    c->start_path = NULL;
}

const chardev_kind emu_chardev_file_kind = {
    .name = "file", .usage = "file:PATH", .has_arg = true,
    .check = file_check, .open = file_open, .start = file_start,
};

/* ---- buffer: output kept in memory, input injected with emu_chardev_buffer_input ---- */

static int buffer_open(emu_chardev *c, const char *arg, emu_error **err)
{
    return 0;
}

static void buffer_write(emu_chardev *c, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    if (len > BUFFER_MAX) {
        p += len - BUFFER_MAX;
        len = BUFFER_MAX;
    }
    if (c->captured.len + len > BUFFER_MAX) {
        if (!c->dropped)
            emu_log(NULL, EMU_LOG_WARN, "chardev %s: buffer full (%u bytes); dropping the oldest output",
                    c->name, BUFFER_MAX);
        size_t drop = c->captured.len + len - BUFFER_MAX;
        c->dropped += drop;
        byte_queue_drop(&c->captured, drop);
    }
    byte_queue_push(&c->captured, p, len);
    /* Keep a NUL after the bytes so readers may treat the output as a string. */
    byte_queue_push(&c->captured, "", 1);
    c->captured.len--;
}

const chardev_kind emu_chardev_buffer_kind = {
    .name = "buffer", .usage = "buffer", .open = buffer_open, .write = buffer_write,
};
