/* The scripts of one run, from the session's point of view: start them (machine file's, then
 * --lua's) before the guest runs, and finish them (on_exit, errors, exit status) after. */
#include <stdio.h>
#include <stdlib.h>
#include "backends/backends.h"
#include "lua-internal.h"

#define EXIT_USAGE 2

static void report(const char *msg)
{
    emu_backends_restore_terminal();
    fprintf(stderr, "emu: %s\n", msg);
}

int emu_scripts_start(emu_machine *m, const emu_options *o, const char *symbols_elf,
                      uint64_t bias, emu_lua **out)
{
    *out = NULL;
    if (!m->nscripts && !o->nlua)
        return 0;
    emu_lua *h = emu_lua_new(m);
    emu_error *err = NULL;
    /* A program without a symbol table still runs its scripts; emu.symbol says nil. */
    if (symbols_elf && emu_lua_add_symbols(h, symbols_elf, bias, &err) < 0) {
        emu_log(NULL, EMU_LOG_INFO, "Lua: no symbols: %s", emu_error_message(err));
        emu_error_free(err), err = NULL;
    }
    for (size_t i = 0; i < m->nscripts + o->nlua; i++) {
        const char *spec = i < m->nscripts ? m->scripts[i] : o->lua[i - m->nscripts];
        if (emu_lua_run(h, spec, &err) < 0) {
            report(emu_error_message(err));
            emu_error_free(err);
            emu_lua_free(h);
            return -1;
        }
    }
    *out = h;
    return 0;
}

int emu_scripts_finish(emu_machine *m, emu_lua *h, int code)
{
    emu_hooks_fire_exit(m, code);
    if (!h)
        return code;
    char *error = h->error ? emu_xstrdup(h->error) : NULL;
    emu_lua_free(h);
    if (!error)
        return code;
    report(error);
    free(error);
    return EXIT_USAGE;
}
