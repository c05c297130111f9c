/* The Lua host: one Lua state per machine with the `emu` table, running scripts, calling into
 * Lua from hooks and timers, and turning any script error into "PATH:LINE: message". */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lualib.h>
#include "exec/exec.h"
#include "lua-internal.h"

#define EMU_LUA_API_VERSION 1

emu_lua *emu_lua_new(emu_machine *m)
{
    emu_lua *h = emu_xcalloc(1, sizeof *h);
    h->m = m;
    h->symbols = emu_symtab_new();
    h->L = luaL_newstate();
    if (!h->L) {
        fprintf(stderr, "emu: out of memory creating the Lua state\n");
        abort();
    }
    lua_State *L = h->L;
    *(emu_lua **)lua_getextraspace(L) = h;
    luaL_openlibs(L);
    lua_newtable(L);
    lua_pushinteger(L, EMU_LUA_API_VERSION);
    lua_setfield(L, -2, "api_version");
    emu_lua_open_hooks(L);
    emu_lua_open_cpu(L);
    emu_lua_open_time(L);
    emu_lua_open_serial(L);
    emu_lua_open_symbols(L);
    emu_lua_open_memory(L);
    emu_lua_open_state(L);
    lua_setglobal(L, "emu");
    return h;
}

void emu_lua_free(emu_lua *h)
{
    if (!h)
        return;
    /* No callback may run meanwhile on a CPU thread; with no registry there is none. */
    bool locked = h->m->hooks != NULL;
    if (locked)
        emu_hooks_lock(h->m);
    h->closing = true;
    emu_lua_close_hooks(h);
    emu_lua_close_tasks(h);
    lua_close(h->L);
    if (locked)
        emu_hooks_unlock(h->m);
    emu_symtab_free(h->symbols);
    free(h->error);
    free(h);
}

const char *emu_lua_error(const emu_lua *h)
{
    return h->error;
}

void emu_lua_fail(emu_lua *h, const char *msg)
{
    if (h->error)
        return;
    h->error = emu_xstrdup(msg ? msg : "error with no message");
    emu_machine_request_quit(h->m, 2);
    emu_exec_kick(h->m);
}

const char *emu_lua_error_text(lua_State *L)
{
    int t = lua_type(L, -1);
    if (t == LUA_TSTRING || t == LUA_TNUMBER)
        return lua_tostring(L, -1);
    lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, -1));
    lua_replace(L, -2);
    return lua_tostring(L, -1);
}

/* Does the message start with a position, "SOURCE:LINE:"? */
static bool has_position(const char *msg)
{
    for (const char *p = msg; *p && *p != '\n'; p++) {
        if (*p != ':' || p[1] < '0' || p[1] > '9')
            continue;
        const char *q = p + 1;
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q == ':')
            return true;
    }
    return false;
}

/* Give a message without a position (error(x, 0), error objects) the one of
   the innermost Lua function on L's stack, from stack level `level` up. */
static void locate_error(lua_State *L, int level)
{
    const char *msg = lua_tostring(L, -1);
    if (!msg || has_position(msg))
        return;
    lua_Debug ar;
    for (; lua_getstack(L, level, &ar); level++) {
        lua_getinfo(L, "Sl", &ar);
        if (ar.currentline > 0) {
            lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
            lua_replace(L, -2);
            return;
        }
    }
}

/* Message handler of every protected call: the error as located text. */
int emu_lua_message_handler(lua_State *L)
{
    if (lua_type(L, 1) != LUA_TSTRING && lua_type(L, 1) != LUA_TNUMBER) {
        if (!luaL_callmeta(L, 1, "__tostring") || lua_type(L, -1) != LUA_TSTRING)
            lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    } else {
        lua_settop(L, 1);
    }
    locate_error(L, 1);
    return 1;
}

bool emu_lua_call(emu_lua *h, lua_State *L, int nargs, int nresults)
{
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, emu_lua_message_handler);
    lua_insert(L, base);
    int st = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (st == LUA_OK)
        return true;
    emu_lua_fail(h, emu_lua_error_text(L));
    lua_pop(L, 1);
    return false;
}

/* A coroutine ended in an error: its stack is still there to locate it. */
void emu_lua_fail_coroutine(emu_lua *h, lua_State *co)
{
    emu_lua_error_text(co);
    locate_error(co, 0);
    emu_lua_fail(h, lua_tostring(co, -1));
    lua_pop(co, 1);
}

/* ---- running a script ---- */

/* The table of "KEY=VALUE,KEY" script arguments (KEY alone is true). */
static void push_args(lua_State *L, const char *args)
{
    lua_newtable(L);
    while (args && *args) {
        const char *end = strchr(args, ',');
        size_t len = end ? (size_t)(end - args) : strlen(args);
        const char *eq = memchr(args, '=', len);
        if (eq) {
            lua_pushlstring(L, args, (size_t)(eq - args));
            lua_pushlstring(L, eq + 1, len - (size_t)(eq - args) - 1);
            lua_settable(L, -3);
        } else if (len) {
            lua_pushlstring(L, args, len);
            lua_pushboolean(L, 1);
            lua_settable(L, -3);
        }
        args = end ? end + 1 : NULL;
    }
}

/* require() finds modules next to the script first. */
static void add_script_dir(lua_State *L, const char *path)
{
    char *copy = emu_xstrdup(path);
    const char *dir = dirname(copy);
    lua_getglobal(L, "package");
    lua_getfield(L, -1, "path");
    const char *old = lua_tostring(L, -1);
    char *want = emu_asprintf("%s/?.lua;", dir);
    if (old && strncmp(old, want, strlen(want)) != 0) {
        lua_pushfstring(L, "%s%s", want, old);
        lua_setfield(L, -3, "path");
    }
    lua_pop(L, 2);
    free(want);
    free(copy);
}

int emu_lua_run(emu_lua *h, const char *spec, emu_error **err)
{
    /* "PATH,ARGS": a file whose name holds a comma is still taken whole. */
    char *path = emu_xstrdup(spec);
    const char *args = NULL;
    char *comma = strchr(path, ',');
    if (comma && access(spec, F_OK) != 0) {
        *comma = 0;
        args = spec + (comma - path) + 1;
    }
    lua_State *L = h->L;
    int top = lua_gettop(L);
    int rc = -1;
    lua_pushcfunction(L, emu_lua_message_handler);
    if (luaL_loadfile(L, path) != LUA_OK) {
        emu_error_set(err, "%s", emu_lua_error_text(L));
        goto out;
    }
    push_args(L, args);
    add_script_dir(L, path);
    if (lua_pcall(L, 1, 0, top + 1) != LUA_OK) {
        emu_error_set(err, "%s", emu_lua_error_text(L));
        goto out;
    }
    if (h->error) {          /* a coroutine it started failed */
        emu_error_set(err, "%s", h->error);
        goto out;
    }
    rc = 0;
out:
    lua_settop(L, top);
    free(path);
    return rc;
}
