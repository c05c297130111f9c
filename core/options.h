/* The parsed command line: what emu is asked to do, and the options for it. */
#ifndef EMU_CORE_OPTIONS_H
#define EMU_CORE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum emu_action {
    EMU_ACTION_MACHINE,           /* run a machine (--machine FILE, or the default one) */
    EMU_ACTION_USER,              /* --user PROGRAM [ARGS...] */
    EMU_ACTION_LIST_PLUGINS,      /* --list-plugins */
    EMU_ACTION_DESCRIBE,          /* --describe TYPE */
    EMU_ACTION_HELP,              /* --help */
    EMU_ACTION_VERSION,           /* --version */
    EMU_ACTION_LOG_HELP,          /* --log help */
} emu_action;

typedef struct emu_options {
    emu_action action;
    const char *machine;          /* --machine FILE */
    const char *user_program;     /* --user PROGRAM */
    char **user_argv;             /* PROGRAM ARGS... (argv[0] = PROGRAM) */
    int user_argc;
    const char *describe;         /* --describe TYPE */
    const char **sets;            /* --set KEY=VALUE, in order */
    size_t nsets, sets_cap;
    const char **lua;             /* --lua SCRIPT[,ARGS] */
    size_t nlua, lua_cap;
    const char *sysroot;          /* --sysroot DIR */
    bool realtime;
    bool strace;
    bool trace_insns;             /* --trace-insns: executed blocks, disassembled */
    bool trace_ir;                /* --trace-ir */
    const char *save_state;       /* --save-state FILE: snapshot written when the machine stops */
    const char *load_state;       /* --load-state FILE: snapshot applied before the guest runs */
} emu_options;

/* Parse argv into *o (the strings stay argv's) and check every value that can be checked
   without building anything: files to read exist, directories to write into exist, options
   fit together.  On a usage error prints one message naming the option and a hint to
   --help, and returns 2; else 0.  --plugin-dir and --log take effect while parsing. */
int emu_options_parse(int argc, char **argv, emu_options *o);
/* Release what parsing allocated (not the strings). */
void emu_options_free(emu_options *o);

#endif
