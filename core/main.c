/* The emu command: parse the command line, then run a machine, a user-mode program or a listing. */
#include <getopt.h>
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

#define EXIT_USAGE 2

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
"  -l, --lua SCRIPT       run a Lua script with the guest (repeatable)\n"
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

enum {
    OPT_REALTIME = 256, OPT_SYSROOT, OPT_STRACE, OPT_LOG, OPT_TRACE_INSNS, OPT_TRACE_IR,
    OPT_LIST, OPT_DESCRIBE, OPT_GDB, OPT_SAVE_STATE, OPT_LOAD_STATE,
};

static const struct option longopts[] = {
    { "machine", required_argument, NULL, 'm' },
    { "user", required_argument, NULL, 'u' },
    { "set", required_argument, NULL, 's' },
    { "lua", required_argument, NULL, 'l' },
    { "plugin-dir", required_argument, NULL, 'P' },
    { "realtime", no_argument, NULL, OPT_REALTIME },
    { "sysroot", required_argument, NULL, OPT_SYSROOT },
    { "strace", no_argument, NULL, OPT_STRACE },
    { "log", required_argument, NULL, OPT_LOG },
    { "trace-insns", no_argument, NULL, OPT_TRACE_INSNS },
    { "trace-ir", no_argument, NULL, OPT_TRACE_IR },
    { "gdb", required_argument, NULL, OPT_GDB },
    { "save-state", required_argument, NULL, OPT_SAVE_STATE },
    { "load-state", required_argument, NULL, OPT_LOAD_STATE },
    { "list-plugins", no_argument, NULL, OPT_LIST },
    { "describe", required_argument, NULL, OPT_DESCRIBE },
    { "version", no_argument, NULL, 'V' },
    { "help", no_argument, NULL, 'h' },
    { NULL, 0, NULL, 0 },
};

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "emu: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'emu --help' for the options.\n");
    return EXIT_USAGE;
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

int main(int argc, char **argv)
{
    emu_options o = { 0 };
    const char *describe = NULL;
    bool list = false;
    int c, status;
    /* '+': stop at the first non-option, so the guest program's own options stay its own. */
    while ((c = getopt_long(argc, argv, "+m:u:s:l:P:Vh", longopts, NULL)) != -1) {
        switch (c) {
        case 'm': o.machine = optarg; break;
        case 'u':
            o.user_program = optarg;
            goto user_args;
        case 's':
            if (!strchr(optarg, '=') || optarg[0] == '=') {
                status = usage_error("--set '%s': expected KEY=VALUE", optarg);
                goto out;
            }
            EMU_PUSH(o.sets, o.nsets, o.sets_cap, optarg);
            break;
        case 'l': EMU_PUSH(o.lua, o.nlua, o.lua_cap, optarg); break;
        case 'P': emu_plugins_add_dir(optarg); break;
        case OPT_REALTIME: o.realtime = true; break;
        case OPT_SYSROOT: o.sysroot = optarg; break;
        case OPT_STRACE: o.strace = true; break;
        case OPT_LOG: {
            const char *bad;
            if (!strcmp(optarg, "help")) {
                printf("Log categories for --log:\n");
                emu_log_print_categories(stdout);
                status = 0;
                goto out;
            }
            if (emu_log_enable_list(optarg, &bad) < 0) {
                fprintf(stderr, "emu: --log: unknown category '%s' (valid: %s)\n", bad,
                        emu_log_category_names());
                status = EXIT_USAGE;
                goto out;
            }
            break;
        }
        case OPT_TRACE_INSNS: o.trace_insns = true; break;
        case OPT_TRACE_IR: o.trace_ir = true; break;
        case OPT_GDB: {
            uint64_t port;
            const char *why;
            if (emu_parse_u64(optarg, false, &port, &why) < 0 || port == 0 || port > 65535) {
                status = usage_error("--gdb '%s': expected a TCP port number 1..65535", optarg);
                goto out;
            }
            o.gdb_port = (int)port;
            break;
        }
        case OPT_SAVE_STATE: o.save_state = optarg; break;
        case OPT_LOAD_STATE: o.load_state = optarg; break;
        case OPT_LIST: list = true; break;
        case OPT_DESCRIBE: describe = optarg; break;
        case 'V':
            printf("emu %s (plugin ABI %d.%d)\n", PACKAGE_VERSION, EMU_ABI_MAJOR, EMU_ABI_MINOR);
            status = 0;
            goto out;
        case 'h':
            usage(stdout);
            status = 0;
            goto out;
        default:
            fprintf(stderr, "Try 'emu --help' for the options.\n");
            status = EXIT_USAGE;
            goto out;
        }
    }
    if (optind < argc) {
        status = usage_error("unexpected argument '%s' (a program to run goes after --user)", argv[optind]);
        goto out;
    }
    goto parsed;
user_args:
    o.user_argv = argv + optind - 1;
    o.user_argc = argc - optind + 1;
parsed:
    emu_exec_set_trace((o.trace_insns ? EMU_EXEC_TRACE_INSNS : 0u) |
                       (o.trace_ir ? EMU_EXEC_TRACE_IR : 0u));
    if (list)
        status = emu_list_plugins(stdout);
    else if (describe)
        status = emu_describe_type(describe, stdout);
    else if (o.user_program && o.machine)
        status = usage_error("%s", "--user and --machine cannot be used together");
    else if (o.user_program && (o.save_state || o.load_state))
        status = usage_error("%s", "--save-state and --load-state apply to machines, not to user mode");
    else if (o.user_program)
        status = emu_session_user(&o);
    else if (o.sysroot || o.strace)
        status = usage_error("%s", "--sysroot and --strace apply to user mode (--user PROGRAM)");
    else {
        if (!o.machine)
            o.machine = default_machine();
        status = emu_session_machine(&o);
    }
out:
    emu_plugins_shutdown();
    free(o.sets);
    free(o.lua);
    return status;
}
