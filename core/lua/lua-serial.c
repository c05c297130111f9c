/* Scripted consoles: emu.serial(name) for a chardev of the machine, :write(s) types into it,
 * :expect(pattern [, max_insns]) pauses a spawned coroutine until the guest printed a match.
 * Works on every chardev kind: opening the console taps the chardev's output (which still
 * reaches its host side); a waiting expect looks at it every EXPECT_POLL_NS of emulated time. */
#include <string.h>
#include "backends/backends.h"
#include "clock/clock.h"
#include "lua-internal.h"

#define SERIAL_META "emu.serial"
#define EXPECT_POLL_NS 20000u   /* how often a waiting expect looks at new output */

static const char cache_key = 0;   /* registry[&cache_key]: chardev name -> serial object */
static const char find_key = 0;    /* registry[&find_key]: string.find */

typedef struct serial {
    emu_chardev *c;
} serial;

static serial *check_serial(lua_State *L, int arg)
{
    return luaL_checkudata(L, arg, SERIAL_META);
}

/* emu.serial(name) -> the console object of chardev `name` (the same object each time) */
static int l_serial(lua_State *L)
{
    emu_machine *m = emu_lua_from(L)->m;
    const char *name = luaL_checkstring(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &cache_key);
    if (lua_getfield(L, -1, name) == LUA_TUSERDATA)
        return 1;
    lua_pop(L, 1);
    emu_chardev *c = emu_backends_chardev(m, name);
    if (!c)
        return luaL_error(L, "emu.serial: no chardev '%s' in this machine (the machine file's "
                          "chardevs: names them)", name);
    serial *s = lua_newuserdatauv(L, sizeof *s, 0);
    s->c = c;
    emu_chardev_tap(c);
    luaL_setmetatable(L, SERIAL_META);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name);
    return 1;
}

/* serial:write(s): bytes for the guest to read, as if typed */
static int l_write(lua_State *L)
{
    serial *s = check_serial(L, 1);
    size_t len;
    const char *text = luaL_checklstring(L, 2, &len);
    emu_chardev_inject_input(s->c, text, len);
    return 0;
}

/* The output not yet consumed (recorded by the chardev's tap). */
static const char *pending(serial *s, size_t *len)
{
    return emu_chardev_tap_output(s->c, len);
}

/* serial:read() -> the output not yet consumed (consumes it) */
static int l_read(lua_State *L)
{
    serial *s = check_serial(L, 1);
    size_t len;
    const char *p = pending(s, &len);
    lua_pushlstring(L, p, len);
    emu_chardev_tap_consume(s->c, len);
    return 1;
}

/* Match the pattern (argument 2) against the pending output with
   string.find.  On a match: consume up to its end and push the matched
   text and the captures; returns how many values.  0 when no match. */
static int try_match(lua_State *L, serial *s)
{
    size_t len;
    const char *p = pending(s, &len);
    int base = lua_gettop(L);
    /* A copy of the output stays on the stack: the call may run any Lua code (a finalizer
       reading the console), after which the tap's buffer may have moved. */
    lua_pushlstring(L, p, len);
    int out = base + 1;
    lua_rawgetp(L, LUA_REGISTRYINDEX, &find_key);
    lua_pushvalue(L, out);
    lua_pushvalue(L, 2);
    lua_call(L, 2, LUA_MULTRET);       /* a malformed pattern raises its error here */
    if (lua_isnil(L, out + 1)) {
        lua_settop(L, base);
        return 0;
    }
    lua_Integer first = lua_tointeger(L, out + 1), last = lua_tointeger(L, out + 2);
    const char *text = lua_tostring(L, out);
    lua_pushlstring(L, text + first - 1, (size_t)(last - first + 1));
    lua_replace(L, out + 1);           /* matched text, then the captures */
    lua_remove(L, out + 2);
    lua_remove(L, out);
    emu_chardev_tap_consume(s->c, (size_t)last);
    return lua_gettop(L) - base;
}

/* One look at the output; if nothing matches, sleep until the next look. */
static int expect_step(lua_State *L, int status, lua_KContext ctx)
{
    (void)status, (void)ctx;
    lua_settop(L, 3);                  /* drop what the wake-up passed */
    serial *s = check_serial(L, 1);
    int n = try_match(L, s);
    if (n)
        return n;
    lua_task *t = emu_lua_check_task(L, "serial:expect");
    emu_machine *m = emu_lua_from(L)->m;
    uint64_t now = emu_clock_ns(m);
    if (now >= t->deadline) {
        lua_pushnil(L);
        return 1;
    }
    uint64_t next = now + EXPECT_POLL_NS;
    if (next > t->deadline || next < now)
        next = t->deadline;
    return emu_lua_task_sleep(L, t, next, expect_step);
}

/* serial:expect(pattern [, max_insns]) -> matched text, captures...; nil after max_insns */
static int l_expect(lua_State *L)
{
    check_serial(L, 1);
    luaL_checkstring(L, 2);
    lua_task *t = emu_lua_check_task(L, "serial:expect");
    if (lua_isnoneornil(L, 3)) {
        t->deadline = UINT64_MAX;
    } else {
        lua_Integer max = luaL_checkinteger(L, 3);
        luaL_argcheck(L, max >= 0, 3, "a number of instructions (0 or more)");
        t->deadline = emu_lua_deadline_after(L, (uint64_t)max);
    }
    return expect_step(L, LUA_OK, 0);
}

static int l_tostring(lua_State *L)
{
    lua_pushfstring(L, "serial %s", emu_chardev_name(check_serial(L, 1)->c));
    return 1;
}

void emu_lua_open_serial(lua_State *L)
{
    static const luaL_Reg methods[] = {
        { "write", l_write }, { "read", l_read }, { "expect", l_expect },
        { NULL, NULL },
    };
    luaL_newmetatable(L, SERIAL_META);
    luaL_newlib(L, methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &cache_key);
    lua_getglobal(L, "string");
    lua_getfield(L, -1, "find");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &find_key);
    lua_pop(L, 1);

    lua_pushcfunction(L, l_serial);
    lua_setfield(L, -2, "serial");
}
