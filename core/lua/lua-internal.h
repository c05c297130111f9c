/* What the parts of the Lua host share: the host structure, error handling and calls into Lua,
 * and the functions each part adds to the `emu` table. */
#ifndef EMU_CORE_LUA_INTERNAL_H
#define EMU_CORE_LUA_INTERNAL_H

#include <lauxlib.h>
#include <lua.h>
#include "emu/clock.h"
#include "emu/cpu.h"
#include "hooks.h"
#include "lua-host.h"
#include "symbols.h"

struct lua_hook;

/* A coroutine started by emu.spawn, paused in emulated time by a timer. */
typedef struct lua_task {
    struct emu_lua *host;
    lua_State *co;
    int ref;                     /* registry reference keeping the coroutine alive */
    emu_timer *timer;            /* wakes it */
    bool waiting;                /* set by whatever paused it (wait, expect) */
    uint64_t deadline;           /* serial:expect gives up at this time */
    struct lua_task *prev, *next;
} lua_task;

struct emu_lua {
    lua_State *L;
    emu_machine *m;
    char *error;                 /* first error in a callback or coroutine */
    struct lua_hook *hooks;      /* hooks the scripts added and have not removed */
    lua_task *tasks;             /* coroutines started by emu.spawn, still alive */
    emu_symtab *symbols;
    bool closing;                /* being freed: no new hooks or coroutines (__gc code) */
};

/* The host of a Lua state (any of its coroutines). */
static inline emu_lua *emu_lua_from(lua_State *L)
{
    return *(emu_lua **)lua_getextraspace(L);
}

/* A callback or coroutine failed: keep the first message, stop the machine
   with status 2. */
void emu_lua_fail(emu_lua *h, const char *msg);

/* Call the function under `nargs` arguments on L's stack, protected; on
   error record it (emu_lua_fail) and leave nothing.  True when it
   returned normally, with `nresults` results on the stack. */
bool emu_lua_call(emu_lua *h, lua_State *L, int nargs, int nresults);

/* The message handler emu_lua_call uses, for callers that push it themselves
   (below the function) to save moving the stack: the error as located text. */
int emu_lua_message_handler(lua_State *L);

/* A coroutine ended in an error (lua_resume failed): record it, located
   in the coroutine's stack, and pop it. */
void emu_lua_fail_coroutine(emu_lua *h, lua_State *co);

/* The error object at the top of L as text (strings, numbers, __tostring,
   otherwise its type). */
const char *emu_lua_error_text(lua_State *L);

/* An address argument: an integer, or a symbol name looked up in the
   symbol tables (an unknown name is an error naming it).  *size gets the
   symbol's size (at least 1), or 1 for a number. */
uint64_t emu_lua_check_addr(lua_State *L, int arg, uint64_t *size);

/* The task running as L, or a Lua error saying that `what` works only
   inside a function started by emu.spawn (or cannot pause from here). */
lua_task *emu_lua_check_task(lua_State *L, const char *what);

/* Pause task t (running as L) until virtual time `deadline_ns`; then the
   coroutine continues in k (lua_yieldk), or, with k NULL, the paused
   function returns true to its Lua caller. */
int emu_lua_task_sleep(lua_State *L, lua_task *t, uint64_t deadline_ns, lua_KFunction k);

/* Emulated time `ninsns` instructions from now (saturating). */
uint64_t emu_lua_deadline_after(lua_State *L, uint64_t ninsns);

/* Push the Lua object of a CPU (the same object each time), or nil. */
void emu_lua_push_cpu(lua_State *L, emu_cpu *cpu);

/* Each part adds its functions to the table at the top of the stack. */
void emu_lua_open_hooks(lua_State *L);
void emu_lua_open_cpu(lua_State *L);
void emu_lua_open_time(lua_State *L);
void emu_lua_open_serial(lua_State *L);
void emu_lua_open_symbols(lua_State *L);
void emu_lua_open_memory(lua_State *L);
void emu_lua_open_state(lua_State *L);

/* Teardown of the parts that hold machine resources. */
void emu_lua_close_hooks(emu_lua *h);
void emu_lua_close_tasks(emu_lua *h);

#endif
