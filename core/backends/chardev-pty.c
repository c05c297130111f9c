/* The "pty" chardev: a pseudo-terminal whose other end (/dev/pts/N) a terminal program opens. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "chardev-internal.h"

static int pty_open(emu_chardev *c, const char *arg, emu_error **err)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) {
        emu_error_set(err, "chardev '%s': cannot create a pseudo-terminal: %s", c->name, strerror(errno));
        return -1;
    }
    c->in_fd = c->out_fd = master;
    char path[128];
    if (grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, path, sizeof path) != 0 ||
        emu_fd_set_nonblock_cloexec(master) < 0) {
        emu_error_set(err, "chardev '%s': cannot set up the pseudo-terminal: %s", c->name, strerror(errno));
        return -1;
    }
    /* Hold the slave end open ourselves: without it the master reports a hang-up
       (a busy poll) whenever no terminal program is attached. */
    c->extra_fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (c->extra_fd < 0) {
        emu_error_set(err, "chardev '%s': cannot open %s: %s", c->name, path, strerror(errno));
        return -1;
    }
    /* Raw, so bytes pass unchanged and the pty does not echo the guest's own output back. */
    struct termios t;
    if (tcgetattr(c->extra_fd, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(c->extra_fd, TCSANOW, &t);
    }
    fprintf(stderr, "emu: chardev %s: %s\n", c->name, path);
    return 0;
}

const chardev_kind emu_chardev_pty_kind = {
    .name = "pty", .usage = "pty", .open = pty_open,
};
