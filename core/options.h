/* The parsed command line. */
#ifndef EMU_CORE_OPTIONS_H
#define EMU_CORE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct emu_options {
    const char *machine;          /* --machine FILE */
    const char *user_program;     /* --user PROGRAM */
    char **user_argv;             /* PROGRAM ARGS... (argv[0] = PROGRAM) */
    int user_argc;
    const char **sets;            /* --set KEY=VALUE, in order */
    size_t nsets, sets_cap;
    const char **lua;             /* --lua SCRIPT */
    size_t nlua, lua_cap;
    const char *sysroot;          /* --sysroot DIR */
    bool realtime;
    bool strace;
    bool trace_insns;             /* --trace-insns: executed blocks, disassembled */
    bool trace_ir;                /* --trace-ir */
    int gdb_port;                 /* --gdb PORT, 0 = off */
    const char *save_state;       /* --save-state FILE: snapshot written when the machine stops */
    const char *load_state;       /* --load-state FILE: snapshot applied before the guest runs */
} emu_options;

#endif
