/* Snapshots from Lua: emu.save_state(path) writes the machine's device state to a file,
 * emu.load_state(path) puts it back, at a point in emulated time a spawned coroutine chooses.
 * Failures are Lua errors naming the file (core/state.h says what is refused). */
#include "lua-internal.h"
#include "state.h"

/* Raise "emu.FN: PATH: message" for a failed snapshot operation. */
static int state_error(lua_State *L, const char *fn, const char *path, emu_error *err)
{
    lua_pushfstring(L, "emu.%s: %s: %s", fn, path, emu_error_message(err));
    emu_error_free(err);
    return lua_error(L);
}

/* emu.save_state(path): the state of every device, written whole or not at all */
static int l_save_state(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    emu_error *err = NULL;
    if (emu_machine_save_state_file(emu_lua_from(L)->m, path, &err) < 0)
        return state_error(L, "save_state", path, err);
    return 0;
}

/* emu.load_state(path): only from a spawned coroutine, between guest instructions (never from
   inside a hook, where a device or CPU callback may be running with the state it had). */
static int l_load_state(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    emu_lua_check_task(L, "emu.load_state");
    emu_error *err = NULL;
    if (emu_machine_load_state_file(emu_lua_from(L)->m, path, &err) < 0)
        return state_error(L, "load_state", path, err);
    return 0;
}

void emu_lua_open_state(lua_State *L)
{
    static const luaL_Reg fns[] = {
        { "save_state", l_save_state }, { "load_state", l_load_state },
        { NULL, NULL },
    };
    luaL_setfuncs(L, fns, 0);
}
