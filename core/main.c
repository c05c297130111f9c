/* The emu command: parse the command line, then run a machine, a user-mode program or a listing. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config.h"
#include "describe.h"
#include "exec/exec.h"
#include "log.h"
#include "options.h"
#include "plugins.h"
#include "session.h"
#include "util.h"

static void usage(FILE *f)
{
    fprintf(f,
"Usage: emu [OPTIONS] --machine FILE.yaml        run a machine\n"
"       emu [OPTIONS] --user PROGRAM [ARGS...]   run a Linux program of another CPU\n"
"       emu --list-plugins | --describe TYPE | --version | --help\n"
"       emu [OPTIONS]                            the default machine (PReP), serial on the terminal\n"
"\n"
"Options:\n"
"  -m, --machine FILE     machine description (YAML, see docs/machine-format.md)\n"
"  -u, --user PROGRAM     user mode: run PROGRAM with the rest of the arguments\n"
"  -s, --set KEY=VALUE    override a machine variable or value (repeatable)\n"
"  -l, --lua SCRIPT       run a Lua script (repeatable; SCRIPT,k=v,... passes arguments)\n"
"  -P, --plugin-dir DIR   look for plugins in DIR first (repeatable)\n"
"      --realtime         guest time follows the host clock (default: instruction count)\n"
"      --load-state FILE  start from a device state snapshot (after reset, before scripts)\n"
"      --save-state FILE  write a device state snapshot when the machine stops\n"
"      --sysroot DIR      user mode: where the guest's loader and libraries live\n"
"      --strace           user mode: print each system call\n"
"      --log CATS         enable log categories (comma list; --log help lists them)\n"
"      --trace-insns      print each translated block, disassembled\n"
"      --trace-ir         print the IR of each translated block\n"
"      --list-plugins     list every plugin type found\n"
"      --describe TYPE    properties, regions and lines of a type\n"
"  -V, --version          print the version\n"
"  -h, --help             this help\n");
}

/* The default machine: the source tree's when running uninstalled, else the installed one. */
static const char *default_machine(void)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/machines.d/prep.yaml", EMU_SRCDIR);
    char exe[PATH_MAX], build[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0 && realpath(EMU_BUILDDIR, build)) {
        exe[n] = 0;
        size_t bl = strlen(build);
        if (!strncmp(exe, build, bl) && exe[bl] == '/' && access(path, R_OK) == 0)
            return path;
    }
    snprintf(path, sizeof path, "%s/machines.d/prep.yaml", EMU_PKGDATADIR);
    return path;
}

/*
 * Descriptors 0-2 that the caller closed (`emu >&-`) are opened on /dev/null first: else the
 * next file emu opens (a disk image, a chardev's log file) would get that number, and the
 * console would read from it or write into it.
 */
static void open_closed_std_fds(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int n = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
        if (n >= 0 && n != fd) {
            dup2(n, fd);
            close(n);
        }
    }
}

int main(int argc, char **argv)
{
    emu_options o;
    open_closed_std_fds();
    int status = emu_options_parse(argc, argv, &o);
    if (status)
        goto out;
    emu_exec_set_trace((o.trace_insns ? EMU_EXEC_TRACE_INSNS : 0u) |
                       (o.trace_ir ? EMU_EXEC_TRACE_IR : 0u));
    switch (o.action) {
    case EMU_ACTION_HELP:
        usage(stdout);
        break;
    case EMU_ACTION_VERSION:
        printf("emu %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, EMU_ABI_MAJOR, EMU_ABI_MINOR);
        break;
    case EMU_ACTION_LOG_HELP:
        printf("Log categories for --log:\n");
        emu_log_print_categories(stdout);
        break;
    case EMU_ACTION_LIST_PLUGINS:
        status = emu_list_plugins(stdout);
        break;
    case EMU_ACTION_DESCRIBE:
        status = emu_describe_type(o.describe, stdout);
        break;
    case EMU_ACTION_USER:
        status = emu_session_user(&o);
        break;
    case EMU_ACTION_MACHINE:
        if (!o.machine)
            o.machine = default_machine();
        status = emu_session_machine(&o);
        break;
    }
    /* A listing that did not reach its reader (`emu --help >/dev/full`) is not a success. */
    if (o.action != EMU_ACTION_MACHINE && o.action != EMU_ACTION_USER &&
        (fflush(stdout) != 0 || ferror(stdout))) {
        fprintf(stderr, "emu: cannot write to standard output: %s\n", strerror(errno));
        status = 1;
    }
out:
    emu_plugins_shutdown();
    emu_options_free(&o);
    return status;
}
