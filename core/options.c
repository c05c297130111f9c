/* The emu command line: getopt with emu's own messages, then the checks that need no machine. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "log.h"
#include "options.h"
#include "state.h"
#include "plugins.h"
#include "util.h"

#define EXIT_USAGE 2

enum {
    OPT_REALTIME = 256, OPT_SYSROOT, OPT_STRACE, OPT_LOG, OPT_TRACE_INSNS, OPT_TRACE_IR,
    OPT_LIST, OPT_DESCRIBE, OPT_SAVE_STATE, OPT_LOAD_STATE,
};

/* Each option with what its value must be (for "expected ..." messages). */
static const struct {
    struct option opt;
    const char *expects;
} options[] = {
    { { "machine", required_argument, NULL, 'm' }, "a machine file (FILE.yaml)" },
    { { "user", required_argument, NULL, 'u' }, "a program to run (PROGRAM [ARGS...])" },
    { { "set", required_argument, NULL, 's' }, "KEY=VALUE" },
    { { "lua", required_argument, NULL, 'l' }, "a Lua script (SCRIPT or SCRIPT,ARGS)" },
    { { "plugin-dir", required_argument, NULL, 'P' }, "a directory of plugins" },
    { { "realtime", no_argument, NULL, OPT_REALTIME }, NULL },
    { { "sysroot", required_argument, NULL, OPT_SYSROOT }, "the directory of the guest's libraries" },
    { { "strace", no_argument, NULL, OPT_STRACE }, NULL },
    { { "log", required_argument, NULL, OPT_LOG }, "a comma list of log categories (--log help lists them)" },
    { { "trace-insns", no_argument, NULL, OPT_TRACE_INSNS }, NULL },
    { { "trace-ir", no_argument, NULL, OPT_TRACE_IR }, NULL },
    { { "save-state", required_argument, NULL, OPT_SAVE_STATE }, "a file to write the snapshot to" },
    { { "load-state", required_argument, NULL, OPT_LOAD_STATE }, "a snapshot file" },
    { { "list-plugins", no_argument, NULL, OPT_LIST }, NULL },
    { { "describe", required_argument, NULL, OPT_DESCRIBE }, "a type name (--list-plugins lists them)" },
    { { "version", no_argument, NULL, 'V' }, NULL },
    { { "help", no_argument, NULL, 'h' }, NULL },
};
#define NOPTIONS EMU_ARRAY_SIZE(options)

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("emu: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\nTry 'emu --help' for the options.\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

static const char *long_name(int val)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].opt.val == val)
            return options[i].opt.name;
    return "?";
}

static const char *expects(int val)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (options[i].opt.val == val)
            return options[i].expects;
    return "";
}

/* The long options whose names start with name[0..len): for "unknown" vs "ambiguous". */
static size_t prefix_matches(const char *name, size_t len, char *list, size_t size)
{
    size_t n = 0, used = 0;
    list[0] = 0;
    for (size_t i = 0; i < NOPTIONS; i++) {
        if (strncmp(options[i].opt.name, name, len))
            continue;
        int w = snprintf(list + used, size - used, "%s--%s", n ? ", " : "", options[i].opt.name);
        if (w > 0 && (size_t)w < size - used)
            used += (size_t)w;
        n++;
    }
    return n;
}

/* Edit distance of a[0..la) and b, stopping early above 2 (only close names are suggested). */
static size_t edit_distance(const char *a, size_t la, const char *b)
{
    size_t lb = strlen(b);
    if (la > lb + 2 || lb > la + 2 || lb >= 64)
        return 3;
    size_t row[64], prev;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1] && !(a[i - 1] == '_' && b[j - 1] == '-'));
            size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return row[lb];
}

/* getopt failed on argv[optind - 1] (or inside a group of short options): say why, in emu's words. */
static int option_error(int c, char **argv)
{
    const char *arg = argv[optind - 1];
    bool is_long = !strncmp(arg, "--", 2);
    if (c == ':')   /* a value is missing (only at the end of argv) */
        return usage_error("--%s: expected %s after it", long_name(optopt), expects(optopt));
    size_t len = is_long ? strcspn(arg + 2, "=") : 0;
    if (optopt && is_long && len && !strncmp(long_name(optopt), arg + 2, len)) {
        /* a value given to an option that takes none */
        const char *eq = strchr(arg, '=');
        return usage_error("--%s: takes no value (got '%s')", long_name(optopt), eq ? eq + 1 : "");
    }
    if (optopt)
        return usage_error("-%c: unknown option", optopt);
    if (!is_long)
        return usage_error("%s: unknown option", arg);
    const char *name = arg + 2;
    char list[512];
    if (prefix_matches(name, len, list, sizeof list) > 1)
        return usage_error("--%.*s: ambiguous (could be %s)", (int)len, name, list);
    const char *closest = NULL;
    size_t best = 3;
    for (size_t i = 0; i < NOPTIONS; i++) {
        size_t d = edit_distance(name, len, options[i].opt.name);
        if (d < best) {
            best = d;
            closest = options[i].opt.name;
        }
    }
    if (closest)
        return usage_error("--%.*s: unknown option (did you mean --%s?)", (int)len, name, closest);
    return usage_error("--%.*s: unknown option", (int)len, name);
}

/* An option that makes sense once: the second one is refused rather than silently winning. */
static int once(const char **slot, int val, const char *value)
{
    if (*slot)
        return usage_error("--%s: given twice ('%s', then '%s'); give it once", long_name(val), *slot,
                           value);
    *slot = value;
    return 0;
}

static int check_dir(const char *option, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) < 0)
        return usage_error("--%s %s: %s", option, dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return usage_error("--%s %s: not a directory", option, dir);
    return 0;
}

/* A file to read: there, a regular file, readable. */
static int check_input_file(const char *option, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return usage_error("--%s %s: %s", option, path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return usage_error("--%s %s: a directory, expected a file", option, path);
    if (access(path, R_OK) < 0)
        return usage_error("--%s %s: %s", option, path, strerror(errno));
    return 0;
}

/* --lua SCRIPT[,ARGS]: the script part (a file whose whole name exists is taken whole, as
   the Lua host does). */
static int check_lua(const char *spec)
{
    if (access(spec, F_OK) == 0)
        return check_input_file("lua", spec);
    char *path = emu_xstrdup(spec);
    path[strcspn(path, ",")] = 0;
    int r = check_input_file("lua", path);
    free(path);
    return r;
}

/* A file to be written when the machine stops: its directory must be there now, not then. */
static int check_output_file(const char *option, const char *path)
{
    emu_error *err = NULL;
    if (emu_state_file_target_check(path, &err) < 0) {
        int r = usage_error("--%s %s: %s", option, path, emu_error_message(err));
        emu_error_free(err);
        return r;
    }
    struct stat st;
    char *dir = emu_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (!slash)
        strcpy(dir, ".");
    else if (slash == dir)
        dir[1] = 0;
    else
        *slash = 0;
    int r = 0;
    if (stat(dir, &st) < 0)
        r = usage_error("--%s %s: cannot create it in %s: %s", option, path, dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
        r = usage_error("--%s %s: %s is not a directory", option, path, dir);
    else if (access(dir, W_OK | X_OK) < 0)
        r = usage_error("--%s %s: cannot create it in %s: %s", option, path, dir, strerror(errno));
    free(dir);
    return r;
}

/* An argument that is no option's value: say what it probably was meant to be. */
static int stray_argument(const char *arg)
{
    size_t len = strlen(arg);
    bool yaml = (len > 5 && !strcmp(arg + len - 5, ".yaml")) || (len > 4 && !strcmp(arg + len - 4, ".yml"));
    if (yaml)
        return usage_error("unexpected argument '%s' (to run this machine: emu --machine %s)", arg, arg);
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
        return usage_error("unexpected argument '%s' (to run this program: emu --user %s)", arg, arg);
    return usage_error("unexpected argument '%s' (a program to run goes after --user; "
                       "emu's options go before it)", arg);
}

/* The first option given that only a run (of a machine or a program) uses, or NULL. */
static const char *first_run_option(const emu_options *o)
{
    if (o->machine) return "--machine";
    if (o->nsets) return "--set";
    if (o->nlua) return "--lua";
    if (o->realtime) return "--realtime";
    if (o->sysroot) return "--sysroot";
    if (o->strace) return "--strace";
    if (o->trace_insns) return "--trace-insns";
    if (o->trace_ir) return "--trace-ir";
    if (o->save_state) return "--save-state";
    if (o->load_state) return "--load-state";
    return NULL;
}

/* The options fit together: a listing runs nothing, user mode has no machine. */
static int check_combination(emu_options *o, bool list)
{
    const char *run = first_run_option(o);
    if (list && o->describe)
        return usage_error("--list-plugins and --describe: give one of them");
    if (list || o->describe) {
        const char *what = list ? "--list-plugins" : "--describe";
        if (o->user_program)
            return usage_error("%s: cannot be combined with --user (it runs nothing)", what);
        if (run)
            return usage_error("%s: cannot be combined with %s (it runs nothing; only --plugin-dir "
                               "and --log apply)", what, run);
        o->action = list ? EMU_ACTION_LIST_PLUGINS : EMU_ACTION_DESCRIBE;
        return 0;
    }
    if (o->user_program) {
        if (o->machine)
            return usage_error("--user and --machine: give one of them (a program or a machine)");
        if (o->save_state || o->load_state)
            return usage_error("%s: --save-state and --load-state apply to machines, not to user mode",
                               o->save_state ? "--save-state" : "--load-state");
        if (o->nsets)
            return usage_error("--set: applies to machines, not to user mode");
        if (o->realtime)
            return usage_error("--realtime: applies to machines, not to user mode (a user-mode "
                               "program always sees the host's clock)");
        o->action = EMU_ACTION_USER;
        return 0;
    }
    if (o->sysroot || o->strace)
        return usage_error("%s: applies to user mode (--user PROGRAM)", o->sysroot ? "--sysroot" : "--strace");
    o->action = EMU_ACTION_MACHINE;
    return 0;
}

int emu_options_parse(int argc, char **argv, emu_options *o)
{
    struct option longopts[NOPTIONS + 1];
    for (size_t i = 0; i < NOPTIONS; i++)
        longopts[i] = options[i].opt;
    memset(&longopts[NOPTIONS], 0, sizeof longopts[NOPTIONS]);
    memset(o, 0, sizeof *o);
    bool list = false;
    int c;
    opterr = 0;   /* our messages, which name emu and not the libtool wrapper's binary */
    /* '+': stop at the first non-option, so the guest program's own options stay its own;
       ':': tell a missing value from an unknown option. */
    while ((c = getopt_long(argc, argv, "+:m:u:s:l:P:Vh", longopts, NULL)) != -1) {
        if (c == '?' || c == ':')
            return option_error(c, argv);
        /* An empty value is never what was meant (an unset shell variable). */
        if (optarg && !*optarg)
            return usage_error("--%s: expected %s, got an empty value", long_name(c), expects(c));
        switch (c) {
        case 'm':
            if (once(&o->machine, c, optarg))
                return EXIT_USAGE;
            break;
        case 'u':
            o->user_program = optarg;
            /* The program's argv[0] is PROGRAM, also when it was given as --user=PROGRAM or -uPROGRAM. */
            argv[optind - 1] = optarg;
            o->user_argv = argv + optind - 1;
            o->user_argc = argc - optind + 1;
            optind = argc;   /* the rest is the program's */
            break;
        case 's':
            if (!strchr(optarg, '=') || optarg[0] == '=')
                return usage_error("--set '%s': expected KEY=VALUE", optarg);
            EMU_PUSH(o->sets, o->nsets, o->sets_cap, optarg);
            break;
        case 'l':
            if (check_lua(optarg))
                return EXIT_USAGE;
            EMU_PUSH(o->lua, o->nlua, o->lua_cap, optarg);
            break;
        case 'P':
            if (check_dir("plugin-dir", optarg))
                return EXIT_USAGE;
            emu_plugins_add_dir(optarg);
            break;
        case OPT_REALTIME: o->realtime = true; break;
        case OPT_SYSROOT:
            /* Not checked here: user mode says which of the guest's files it missed there. */
            if (once(&o->sysroot, c, optarg))
                return EXIT_USAGE;
            break;
        case OPT_STRACE: o->strace = true; break;
        case OPT_LOG: {
            const char *bad;
            if (!strcmp(optarg, "help")) {
                o->action = EMU_ACTION_LOG_HELP;
                return 0;
            }
            if (emu_log_enable_list(optarg, &bad) < 0)
                return usage_error("--log: unknown category '%s' (valid: %s)", bad,
                                   emu_log_category_names());
            break;
        }
        case OPT_TRACE_INSNS: o->trace_insns = true; break;
        case OPT_TRACE_IR: o->trace_ir = true; break;
        case OPT_SAVE_STATE:
            if (once(&o->save_state, c, optarg) || check_output_file("save-state", optarg))
                return EXIT_USAGE;
            break;
        case OPT_LOAD_STATE:
            /* Its content is checked against the machine once that is built, before it runs. */
            if (once(&o->load_state, c, optarg))
                return EXIT_USAGE;
            break;
        case OPT_LIST: list = true; break;
        case OPT_DESCRIBE:
            if (once(&o->describe, c, optarg))
                return EXIT_USAGE;
            break;
        case 'V':
            o->action = EMU_ACTION_VERSION;
            return 0;
        case 'h':
            o->action = EMU_ACTION_HELP;
            return 0;
        }
    }
    if (optind < argc)
        return stray_argument(argv[optind]);
    return check_combination(o, list);
}

void emu_options_free(emu_options *o)
{
    free(o->sets);
    free(o->lua);
    o->sets = NULL;
    o->lua = NULL;
}
