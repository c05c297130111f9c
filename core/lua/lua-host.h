/* The Lua host as a run of emu sees it: one Lua 5.4 state per machine running the scripts of
 * --lua and the machine file's `scripts:`, with the `emu` table of docs/lua-api.md. */
#ifndef EMU_CORE_LUA_HOST_H
#define EMU_CORE_LUA_HOST_H

#include "machine.h"
#include "options.h"

typedef struct emu_lua emu_lua;

/* A Lua state for machine m with the standard libraries and `emu`. */
emu_lua *emu_lua_new(emu_machine *m);

/* Run one script, given as "PATH" or "PATH,KEY=VALUE,KEY..." (the script
   receives a table of the pairs as its first argument `...`; a KEY alone
   is true).  Returns 0, or -1 with "PATH:LINE: message" (or "cannot open
   PATH: reason") when it does not load or fails while running.  A
   coroutine it spawned that fails also counts. */
int emu_lua_run(emu_lua *h, const char *spec, emu_error **err);

/* Read the symbol table of an ELF file for emu.symbol(), each address
   plus `bias`.  Several files may be added. */
int emu_lua_add_symbols(emu_lua *h, const char *path, uint64_t bias, emu_error **err);

/* The first error raised inside a callback or coroutine while the machine
   ran ("PATH:LINE: message"), or NULL.  Such an error has already asked
   the machine to stop with status 2; Lua is not entered again. */
const char *emu_lua_error(const emu_lua *h);

/* Remove every hook the scripts added, stop their coroutines, close the
   state.  Call before emu_machine_free (timers live on the machine). */
void emu_lua_free(emu_lua *h);

/*
 * The whole life of the scripts of one run, for the session code:
 *
 *   emu_lua *lua;
 *   if (emu_scripts_start(m, o, symbols, bias, &lua) < 0) -> exit status 2
 *   code = run the machine or the program
 *   code = emu_scripts_finish(m, lua, code);
 *
 * emu_scripts_start runs the machine's `scripts:` then every --lua script,
 * after loading the symbols of `symbols_elf` (may be NULL).  With no
 * script at all it creates nothing (*out = NULL) and costs nothing.  On a
 * script error it prints "emu: PATH:LINE: message" (terminal restored
 * first), frees what it made and returns -1.
 *
 * emu_scripts_finish fires the on_exit callbacks with `code`, frees the
 * host, and returns the exit status: `code`, or 2 when a callback failed
 * (the message is printed after the terminal is restored).
 */
int emu_scripts_start(emu_machine *m, const emu_options *o, const char *symbols_elf,
                      uint64_t bias, emu_lua **out);
int emu_scripts_finish(emu_machine *m, emu_lua *h, int code);

#endif
