/* Emulated time for scripts: emu.spawn / emu.wait coroutines woken by clock timers, emu.time_ns,
 * emu.quit.  Coroutines resume between guest instructions, in deadline order, so a script's
 * schedule is as deterministic as the guest. */
#include <stdlib.h>
#include "clock/clock.h"
#include "exec/exec.h"
#include "lua-internal.h"

static void task_end(lua_task *t)
{
    emu_lua *h = t->host;
    if (t->prev)
        t->prev->next = t->next;
    else
        h->tasks = t->next;
    if (t->next)
        t->next->prev = t->prev;
    emu_timer_free(t->timer);
    luaL_unref(h->L, LUA_REGISTRYINDEX, t->ref);
    free(t);
}

/* Run the coroutine until it pauses, ends or fails.  `from` is the thread
   resuming it (NULL from a timer). */
static void task_resume(lua_task *t, lua_State *from, int nargs)
{
    emu_lua *h = t->host;
    int nres;
    t->waiting = false;
    int st = lua_resume(t->co, from, nargs, &nres);
    if (st == LUA_YIELD) {
        lua_pop(t->co, nres);
        if (t->waiting)
            return;
        lua_pushstring(t->co, "a function started by emu.spawn yielded without emu.wait or "
                              "serial:expect (coroutine.yield cannot pause emulated time)");
        emu_lua_fail_coroutine(h, t->co);
    } else if (st != LUA_OK) {
        emu_lua_fail_coroutine(h, t->co);
    }
    task_end(t);
}

static void task_wake(void *opaque)
{
    lua_task *t = opaque;
    emu_machine *m = t->host->m;
    if (t->host->error)
        return;
    emu_hooks_lock(m);          /* never at the same time as a hook on a CPU thread */
    lua_pushboolean(t->co, 1);
    task_resume(t, NULL, 1);
    emu_hooks_unlock(m);
}

lua_task *emu_lua_check_task(lua_State *L, const char *what)
{
    emu_lua *h = emu_lua_from(L);
    lua_task *t = h->tasks;
    while (t && t->co != L)
        t = t->next;
    if (!t)
        luaL_error(L, "%s: only inside a function started by emu.spawn", what);
    if (!lua_isyieldable(L))
        luaL_error(L, "%s: cannot pause here (inside a metamethod or a C function "
                   "such as table.sort)", what);
    return t;
}

int emu_lua_task_sleep(lua_State *L, lua_task *t, uint64_t deadline_ns, lua_KFunction k)
{
    emu_timer_arm(t->timer, deadline_ns);
    t->waiting = true;
    return lua_yieldk(L, 0, 0, k);
}

void emu_lua_close_tasks(emu_lua *h)
{
    while (h->tasks)
        task_end(h->tasks);
}

/* emu.spawn(fn, ...) -> the coroutine, after running fn(...) up to its first pause */
static int l_spawn(lua_State *L)
{
    emu_lua *h = emu_lua_from(L);
    luaL_checktype(L, 1, LUA_TFUNCTION);
    if (h->closing)
        return luaL_error(L, "emu.spawn: the run is over");
    int n = lua_gettop(L);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, -1);
    lua_task *t = emu_xcalloc(1, sizeof *t);
    t->host = h;
    t->co = co;
    t->ref = luaL_ref(L, LUA_REGISTRYINDEX);
    t->timer = emu_timer_new(h->m, task_wake, t);
    t->next = h->tasks;
    if (h->tasks)
        h->tasks->prev = t;
    h->tasks = t;
    for (int i = 1; i <= n; i++)
        lua_pushvalue(L, i);
    lua_xmove(L, co, n);
    task_resume(t, L, n - 1);
    return 1;   /* the coroutine, still on the stack */
}

/* now + n instructions of emulated time (saturating) */
static uint64_t after_insns(emu_machine *m, uint64_t n)
{
    uint64_t per = emu_clock_ns_per_insn(m);
    uint64_t now = emu_clock_ns(m);
    uint64_t delta = n > UINT64_MAX / per ? UINT64_MAX : n * per;
    return delta > UINT64_MAX - now ? UINT64_MAX : now + delta;
}

/* emu.wait(n): pause the calling coroutine for n instructions of emulated time */
static int l_wait(lua_State *L)
{
    lua_Integer n = luaL_checkinteger(L, 1);
    luaL_argcheck(L, n >= 0, 1, "a number of instructions (0 or more)");
    lua_task *t = emu_lua_check_task(L, "emu.wait");
    return emu_lua_task_sleep(L, t, after_insns(emu_lua_from(L)->m, (uint64_t)n), NULL);
}

uint64_t emu_lua_deadline_after(lua_State *L, uint64_t ninsns)
{
    return after_insns(emu_lua_from(L)->m, ninsns);
}

/* emu.time_ns() -> emulated time in nanoseconds */
static int l_time_ns(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)emu_clock_ns(emu_lua_from(L)->m));
    return 1;
}

/* emu.quit([code]): stop the machine (or program) soon, exiting with code (default 0) */
static int l_quit(lua_State *L)
{
    lua_Integer code = luaL_optinteger(L, 1, 0);
    luaL_argcheck(L, code >= 0 && code <= 255, 1, "an exit status 0..255");
    emu_machine *m = emu_lua_from(L)->m;
    emu_machine_request_quit(m, (int)code);
    emu_exec_kick(m);
    return 0;
}

void emu_lua_open_time(lua_State *L)
{
    static const luaL_Reg funcs[] = {
        { "spawn", l_spawn }, { "wait", l_wait }, { "time_ns", l_time_ns }, { "quit", l_quit },
        { NULL, NULL },
    };
    luaL_setfuncs(L, funcs, 0);
}
