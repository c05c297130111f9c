/* emu.on_*: Lua callbacks registered in the machine's hook registry, and the handles that remove
 * them.  The registry owns each callback (a registry reference), so garbage collection of a
 * handle never drops a hook; only :remove() or the end of the run does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lua-internal.h"

#define HANDLE_META "emu.hook"

typedef struct lua_hook {
    emu_lua *host;
    emu_hook_kind kind;
    int fn;                      /* registry reference to the callback */
    emu_cpu *cpu;                /* the CPU of the last event, when cpu_ref is set */
    int cpu_ref;                 /* registry reference to its Lua object (0: none yet) */
    /* BLOCK: a Lua thread whose stack holds what each call needs (RUNNER_*),
       so that a call looks nothing up in the registry */
    lua_State *runner;
    int runner_ref;              /* registry reference keeping it alive */
    emu_cpu *runner_cpu;         /* the CPU whose object is at RUNNER_CPU */
    bool runner_cpu_set;
    int nargs;                   /* BLOCK: arguments the callback can see (its parameters) */
    int slot;                    /* BLOCK: its index in the table of block callbacks */
    emu_hook_id id;
    struct lua_hook *prev, *next;
} lua_hook;

typedef struct hook_handle {
    emu_hook_id id;
    emu_hook_kind kind;
} hook_handle;

static const char *const kind_names[EMU_HOOK_NKINDS] = {
    [EMU_HOOK_EXEC] = "exec", [EMU_HOOK_INSN] = "insn", [EMU_HOOK_BLOCK] = "block",
    [EMU_HOOK_READ] = "read", [EMU_HOOK_WRITE] = "write", [EMU_HOOK_SYSCALL] = "syscall",
    [EMU_HOOK_SYSCALL_RET] = "syscall_return",    [EMU_HOOK_IO] = "io", [EMU_HOOK_IRQ] = "irq", [EMU_HOOK_EXCEPTION] = "exception",
    [EMU_HOOK_EXIT] = "exit",
};

static const char *const excp_names[] = {
    [EMU_EXCP_NONE] = "none", [EMU_EXCP_SYSCALL] = "syscall", [EMU_EXCP_ILLEGAL] = "illegal",
    [EMU_EXCP_PRIV] = "privileged", [EMU_EXCP_TRAP] = "trap", [EMU_EXCP_FP] = "fp",
    [EMU_EXCP_FP_UNAVAIL] = "fp_unavailable", [EMU_EXCP_MEM] = "memory",
    [EMU_EXCP_ALIGN] = "alignment", [EMU_EXCP_ARCH] = "arch", [EMU_EXCP_HALT] = "halt",
    [EMU_EXCP_DEBUG] = "debug",
};

/* ---- calling the Lua function of a hook ---- */

static void push_u64(lua_State *L, uint64_t v)
{
    lua_pushinteger(L, (lua_Integer)v);
}

/* The Lua object of cpu, through a reference the hook keeps to the last one
   (its events nearly always come from the same CPU). */
static void push_cpu(lua_State *L, lua_hook *lh, emu_cpu *cpu)
{
    if (lh->cpu_ref && lh->cpu == cpu) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, lh->cpu_ref);
        return;
    }
    if (lh->cpu_ref)
        luaL_unref(L, LUA_REGISTRYINDEX, lh->cpu_ref);
    emu_lua_push_cpu(L, cpu);
    lua_pushvalue(L, -1);
    lh->cpu_ref = luaL_ref(L, LUA_REGISTRYINDEX);   /* nil (no CPU) gives LUA_REFNIL */
    lh->cpu = cpu;
}

/* Push the message handler and the hook's function: `nargs` arguments follow,
   then call_pushed.  False when Lua must not be entered (an earlier error). */
static bool push_call(lua_hook *lh, int nargs)
{
    emu_lua *h = lh->host;
    lua_State *L = h->L;
    if (h->error)
        return false;
    if (!lua_checkstack(L, nargs + 2)) {
        emu_lua_fail(h, "Lua stack overflow in a hook (callbacks nested too deep)");
        return false;
    }
    lua_pushcfunction(L, emu_lua_message_handler);
    lua_rawgeti(L, LUA_REGISTRYINDEX, lh->fn);
    return true;
}

/* Call what push_call and the arguments left, protected; on an error record it
   (emu_lua_fail) and leave nothing.  True when it returned, with `nresults`
   results on the stack above the message handler (the caller pops both). */
static bool call_pushed(emu_lua *h, int nargs, int nresults)
{
    lua_State *L = h->L;
    int handler = lua_gettop(L) - nargs - 1;
    if (lua_pcall(L, nargs, nresults, handler) == LUA_OK)
        return true;
    emu_lua_fail(h, emu_lua_error_text(L));
    lua_settop(L, handler - 1);
    return false;
}

/* The stack of a BLOCK hook's runner thread between calls.  Nothing else runs
   on it, calls never nest (block hooks fire from guest code, which no callback
   runs) and each call leaves it as it was, so it never holds more than these
   and a call's four values: the LUA_MINSTACK slots every thread starts with
   suffice, with no lua_checkstack per call. */
enum { RUNNER_HANDLER = 1, RUNNER_FN, RUNNER_CPU };

static void new_runner(lua_State *L, lua_hook *lh, int fn_arg)
{
    lh->runner = lua_newthread(L);
    lh->runner_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushcfunction(lh->runner, emu_lua_message_handler);
    lua_pushvalue(L, fn_arg);
    lua_xmove(L, lh->runner, 1);
    lua_pushnil(lh->runner);          /* the CPU object, set by the first call */
    /* A Lua function without `...` never sees arguments past its parameters
       (function() ... end sees none): pushing them would be wasted work. */
    lh->nargs = 3;
    lua_Debug ar;
    lua_pushvalue(L, fn_arg);
    if (lua_getinfo(L, ">u", &ar) && !ar.isvararg && ar.nparams < lh->nargs)   /* C: vararg */
        lh->nargs = ar.nparams;
}

/*
 * Protected runs.  A protected call costs about a fifth of a block hook, so
 * a CPU that runs alone (user mode: the only CPU thread; system mode: each
 * CPU in its turn) runs its blocks inside one protected call
 * on a thread of its own (emu_hooks_set_run_wrapper), with the table of block
 * callbacks and its CPU object as arguments: block callbacks are then plain
 * calls on that thread.  An error in one leaves the run through that call,
 * whose message handler locates it as before; the engine stops.
 */
static const char block_fns_key = 0;   /* registry[&block_fns_key]: callbacks by slot */
static const char run_thread_key = 0;  /* registry[&run_thread_key]: the thread runs use */
enum { RUN_FNS = 1, RUN_CPU, RUN_ARGS, RUN_SOLO };   /* the protected call's arguments */

/* the protected run on this host thread (NULL: none), and the CPU it runs */
static __thread __attribute__((tls_model("initial-exec"))) lua_State *run_thread;
static __thread __attribute__((tls_model("initial-exec"))) emu_cpu *run_cpu;
/* the block hook whose function is the RUN_SOLO argument (the only one when the run began) */
static __thread __attribute__((tls_model("initial-exec"))) struct lua_hook *run_solo;

typedef struct run_args {
    void (*run)(void *arg);
    void *arg;
} run_args;

static int run_protected(lua_State *P)
{
    run_args *ra = lua_touserdata(P, RUN_ARGS);
    ra->run(ra->arg);
    return 0;
}

static bool wrap_run(void *opaque, emu_cpu *cpu, void (*run)(void *arg), void *arg)
{
    emu_lua *h = opaque;
    lua_State *L = h->L;
    if (h->error || run_thread) {   /* nothing to call, or a run inside a run */
        run(arg);
        return true;
    }
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &run_thread_key) != LUA_TTHREAD) {
        lua_pop(L, 1);
        lua_newthread(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &run_thread_key);
    }
    lua_State *P = lua_tothread(L, -1);
    lua_pop(L, 1);                    /* the registry keeps it */
    lua_settop(P, 0);
    lua_pushcfunction(P, emu_lua_message_handler);
    lua_pushcfunction(P, run_protected);
    lua_rawgetp(P, LUA_REGISTRYINDEX, &block_fns_key);
    emu_lua_push_cpu(P, cpu);
    run_args ra = { run, arg };
    lua_pushlightuserdata(P, &ra);
    /* one block hook: its function as an argument too (a stack slot is cheaper than a table) */
    lua_hook *solo = NULL;
    int nblock = 0;
    for (lua_hook *lh = h->hooks; lh; lh = lh->next) {
        if (lh->kind == EMU_HOOK_BLOCK) {
            solo = lh;
            nblock++;
        }
    }
    if (nblock != 1)
        solo = NULL;
    if (solo)
        lua_rawgeti(P, -3, solo->slot);   /* from the table of callbacks */
    else
        lua_pushnil(P);
    run_thread = P;
    run_cpu = cpu;
    run_solo = solo;
    int st = lua_pcall(P, 4, 0, 1);
    run_thread = NULL;
    run_cpu = NULL;
    run_solo = NULL;
    if (st != LUA_OK)
        emu_lua_fail(h, emu_lua_error_text(P));
    lua_settop(P, 0);
    return st == LUA_OK;
}

/* A free slot in the table of block callbacks, now holding the function at fn_arg. */
static int block_slot(lua_State *L, int fn_arg)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &block_fns_key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_createtable(L, 16, 0);    /* slots in the array part: no hashing per call */
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &block_fns_key);
    }
    int slot = 1;
    while (lua_rawgeti(L, -1, slot) != LUA_TNIL) {
        lua_pop(L, 1);
        slot++;
    }
    lua_pop(L, 1);
    lua_pushvalue(L, fn_arg);
    lua_rawseti(L, -2, slot);
    lua_pop(L, 1);
    return slot;
}

/* BLOCK events, the most frequent: no event record, no switch, no registry
   look-up; inside a protected run of this CPU not even a protected call. */
static void call_block_hook(void *opaque, emu_cpu *cpu, uint64_t pc, unsigned ninsns)
{
    lua_hook *lh = opaque;
    lua_State *R = lh->runner;
    if (lh->host->error)
        return;
    if (run_cpu == cpu && cpu) {      /* (run_cpu is set with run_thread) */
        lua_State *P = run_thread;
        if (lh == run_solo)
            lua_pushvalue(P, RUN_SOLO);
        else
            lua_rawgeti(P, RUN_FNS, lh->slot);
        switch (lh->nargs) {
        case 3:
            lua_pushvalue(P, RUN_CPU);
            push_u64(P, pc);
            lua_pushinteger(P, ninsns);
            break;
        case 2:
            lua_pushvalue(P, RUN_CPU);
            push_u64(P, pc);
            break;
        case 1:
            lua_pushvalue(P, RUN_CPU);
            break;
        }
        lua_call(P, lh->nargs, 0);    /* an error leaves the run (wrap_run) */
        return;
    }
    if (!lh->runner_cpu_set || lh->runner_cpu != cpu) {
        emu_lua_push_cpu(R, cpu);
        lua_replace(R, RUNNER_CPU);
        lh->runner_cpu = cpu;
        lh->runner_cpu_set = true;
    }
    lua_pushvalue(R, RUNNER_FN);
    switch (lh->nargs) {
    case 3:
        lua_pushvalue(R, RUNNER_CPU);
        push_u64(R, pc);
        lua_pushinteger(R, ninsns);
        break;
    case 2:
        lua_pushvalue(R, RUNNER_CPU);
        push_u64(R, pc);
        break;
    case 1:
        lua_pushvalue(R, RUNNER_CPU);
        break;
    }
    if (lua_pcall(R, lh->nargs, 0, RUNNER_HANDLER) != LUA_OK) {
        emu_lua_fail(lh->host, emu_lua_error_text(R));
        lua_settop(R, RUNNER_CPU);
    }
}

static void call_hook(void *opaque, emu_hook_event *ev)
{
    lua_hook *lh = opaque;
    emu_lua *h = lh->host;
    lua_State *L = h->L;
    if (!push_call(lh, 10))
        return;
    int nargs, nres = 0;
    switch (ev->kind) {
    case EMU_HOOK_EXEC:
    case EMU_HOOK_INSN:
        push_cpu(L, lh, ev->cpu);
        push_u64(L, ev->pc);
        nargs = 2;
        break;
    case EMU_HOOK_BLOCK:
        push_cpu(L, lh, ev->cpu);
        push_u64(L, ev->pc);
        lua_pushinteger(L, ev->size);
        nargs = 3;
        break;
    case EMU_HOOK_READ:
    case EMU_HOOK_WRITE:
        push_cpu(L, lh, ev->cpu);
        push_u64(L, ev->addr);
        lua_pushinteger(L, ev->size);
        push_u64(L, ev->value);
        push_u64(L, ev->pc);
        nargs = 5;
        nres = ev->kind == EMU_HOOK_READ;
        break;
    case EMU_HOOK_SYSCALL:
    case EMU_HOOK_SYSCALL_RET:
        push_cpu(L, lh, ev->cpu);
        lua_pushinteger(L, ev->nr);
        nargs = 2;
        if (ev->kind == EMU_HOOK_SYSCALL_RET) {
            lua_pushinteger(L, ev->result);
            nargs++;
        }
        for (int i = 0; i < 6; i++)
            push_u64(L, ev->args[i]);
        if (ev->sysname)
            lua_pushstring(L, ev->sysname);
        else
            lua_pushnil(L);
        nargs += 7;
        nres = ev->kind == EMU_HOOK_SYSCALL;
        break;
    case EMU_HOOK_IO:
        push_u64(L, ev->addr);
        lua_pushinteger(L, ev->size);
        push_u64(L, ev->value);
        lua_pushboolean(L, ev->is_write);
        lua_pushstring(L, ev->device ? ev->device->id : "");
        lua_pushstring(L, ev->region ? ev->region : "");
        nargs = 6;
        break;
    case EMU_HOOK_IRQ:
        lua_pushstring(L, ev->device->id);
        lua_pushstring(L, ev->line);
        lua_pushinteger(L, ev->level);
        lua_pushinteger(L, ev->index);
        nargs = 4;
        break;
    case EMU_HOOK_EXCEPTION:
        push_cpu(L, lh, ev->cpu);
        lua_pushstring(L, (unsigned)ev->excp < sizeof excp_names / sizeof *excp_names
                              ? excp_names[ev->excp] : "unknown");
        push_u64(L, ev->pc);
        lua_pushinteger(L, ev->code);
        nargs = 4;
        break;
    case EMU_HOOK_EXIT:
    default:
        lua_pushinteger(L, ev->exit_code);
        nargs = 1;
        break;
    }
    if (!call_pushed(h, nargs, nres))
        return;
    if (nres && !lua_isnil(L, -1)) {
        int isnum;
        lua_Integer v = lua_tointegerx(L, -1, &isnum);
        if (!isnum) {
            lua_pushfstring(L, "emu.on_%s callback returned a %s (expected an integer or nil)",
                            kind_names[ev->kind], luaL_typename(L, -1));
            emu_lua_fail(h, lua_tostring(L, -1));
            lua_pop(L, 1);
        } else if (ev->kind == EMU_HOOK_READ) {
            ev->replace = true;
            ev->value = (uint64_t)v;
        } else {
            ev->skip = true;
            ev->result = v;
        }
    }
    lua_pop(L, nres + 1);   /* the results and the message handler */
}

/* The registry is done with the hook: drop the callback and the record. */
static void release_hook(void *opaque)
{
    lua_hook *lh = opaque;
    emu_lua *h = lh->host;
    luaL_unref(h->L, LUA_REGISTRYINDEX, lh->fn);
    if (lh->cpu_ref)
        luaL_unref(h->L, LUA_REGISTRYINDEX, lh->cpu_ref);
    if (lh->runner)
        luaL_unref(h->L, LUA_REGISTRYINDEX, lh->runner_ref);
    if (run_solo == lh)
        run_solo = NULL;
    if (lh->slot) {
        lua_rawgetp(h->L, LUA_REGISTRYINDEX, &block_fns_key);
        lua_pushnil(h->L);
        lua_rawseti(h->L, -2, lh->slot);
        lua_pop(h->L, 1);
    }
    if (lh->prev)
        lh->prev->next = lh->next;
    else
        h->hooks = lh->next;
    if (lh->next)
        lh->next->prev = lh->prev;
    free(lh);
}

/* Register the function at stack index `fn_arg` for spec (kind, range,
   device) and return a handle. */
static int add_hook(lua_State *L, emu_hook_spec *spec, int fn_arg)
{
    emu_lua *h = emu_lua_from(L);
    luaL_checktype(L, fn_arg, LUA_TFUNCTION);
    if (h->closing)
        return luaL_error(L, "emu.on_%s: the run is over", kind_names[spec->kind]);
    lua_hook *lh = emu_xcalloc(1, sizeof *lh);
    lh->host = h;
    lh->kind = spec->kind;
    lua_pushvalue(L, fn_arg);
    lh->fn = luaL_ref(L, LUA_REGISTRYINDEX);
    spec->fn = call_hook;
    if (spec->kind == EMU_HOOK_BLOCK) {
        new_runner(L, lh, fn_arg);
        lh->slot = block_slot(L, fn_arg);
        spec->block_fn = call_block_hook;
        emu_hooks_set_run_wrapper(h->m, wrap_run, h);
    }
    spec->opaque = lh;
    spec->release = release_hook;
    emu_error *err = NULL;
    /* Linked first: adding may already fire nothing, but release unlinks. */
    lh->next = h->hooks;
    if (h->hooks)
        h->hooks->prev = lh;
    h->hooks = lh;
    lh->id = emu_hooks_add(h->m, spec, &err);
    if (!lh->id) {
        release_hook(lh);
        lua_pushstring(L, emu_error_message(err));
        emu_error_free(err);
        return luaL_error(L, "emu.on_%s: %s", kind_names[spec->kind], lua_tostring(L, -1));
    }
    hook_handle *hh = lua_newuserdatauv(L, sizeof *hh, 0);
    hh->id = lh->id;
    hh->kind = spec->kind;
    luaL_setmetatable(L, HANDLE_META);
    return 1;
}

/* At the end of the run (no callback is running, so removal releases at once). */
void emu_lua_close_hooks(emu_lua *h)
{
    emu_hooks_set_run_wrapper(h->m, NULL, NULL);
    while (h->hooks) {
        lua_hook *first = h->hooks;
        if (emu_hooks_remove(h->m, first->id) < 0)
            release_hook(first);   /* not in the registry any more: drop it here */
    }
}

/* ---- emu.on_* ---- */

/* An inclusive range from (lo, hi) integers, or from a symbol name alone
   (its extent); returns the index of the callback argument. */
static int check_range(lua_State *L, uint64_t *lo, uint64_t *hi)
{
    if (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TFUNCTION) {
        uint64_t size;
        *lo = emu_lua_check_addr(L, 1, &size);
        *hi = *lo + size - 1;
        return 2;
    }
    *lo = emu_lua_check_addr(L, 1, NULL);
    *hi = emu_lua_check_addr(L, 2, NULL);
    if (*lo > *hi) {
        char msg[96];
        snprintf(msg, sizeof msg, "empty range 0x%llx..0x%llx (the low end is above the high end)",
                 (unsigned long long)*lo, (unsigned long long)*hi);
        luaL_error(L, "%s", msg);
    }
    return 3;
}

static int l_on_exec(lua_State *L)
{
    uint64_t addr = emu_lua_check_addr(L, 1, NULL);
    emu_hook_spec s = { .kind = EMU_HOOK_EXEC, .lo = addr, .hi = addr };
    return add_hook(L, &s, 2);
}

static int l_on_insn(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_INSN };
    int fn = check_range(L, &s.lo, &s.hi);
    return add_hook(L, &s, fn);
}

static int l_on_block(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_BLOCK, .lo = 0, .hi = UINT64_MAX };
    if (lua_type(L, 1) == LUA_TFUNCTION)
        return add_hook(L, &s, 1);
    int fn = check_range(L, &s.lo, &s.hi);
    return add_hook(L, &s, fn);
}

static int l_on_read(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_READ };
    int fn = check_range(L, &s.lo, &s.hi);
    return add_hook(L, &s, fn);
}

static int l_on_write(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_WRITE };
    int fn = check_range(L, &s.lo, &s.hi);
    return add_hook(L, &s, fn);
}

static int l_on_syscall(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_SYSCALL };
    return add_hook(L, &s, 1);
}

static int l_on_syscall_return(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_SYSCALL_RET };
    return add_hook(L, &s, 1);
}

/* The device named by argument 1 (a device id), or an error listing the ids. */
static emu_device *check_device(lua_State *L, int arg)
{
    emu_machine *m = emu_lua_from(L)->m;
    const char *id = luaL_checkstring(L, arg);
    emu_device *dev = emu_machine_device(m, id);
    if (dev)
        return dev;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < m->ndevices; i++) {
        if (i)
            luaL_addstring(&b, ", ");
        luaL_addstring(&b, m->devices[i]->id);
    }
    luaL_pushresult(&b);
    luaL_error(L, "no device '%s' in this machine (devices: %s)", id,
               m->ndevices ? lua_tostring(L, -1) : "none");
    return NULL;
}

/* on_io(fn) / on_io(device_id, fn), and the same for on_irq. */
static int add_device_hook(lua_State *L, emu_hook_kind kind)
{
    emu_hook_spec s = { .kind = kind };
    if (lua_type(L, 1) == LUA_TFUNCTION)
        return add_hook(L, &s, 1);
    s.device = check_device(L, 1);
    return add_hook(L, &s, 2);
}

static int l_on_io(lua_State *L)
{
    return add_device_hook(L, EMU_HOOK_IO);
}

static int l_on_irq(lua_State *L)
{
    return add_device_hook(L, EMU_HOOK_IRQ);
}

static int l_on_exception(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_EXCEPTION };
    return add_hook(L, &s, 1);
}

static int l_on_exit(lua_State *L)
{
    emu_hook_spec s = { .kind = EMU_HOOK_EXIT };
    return add_hook(L, &s, 1);
}

/* ---- handles ---- */

static int l_handle_remove(lua_State *L)
{
    hook_handle *hh = luaL_checkudata(L, 1, HANDLE_META);
    emu_lua *h = emu_lua_from(L);
    lua_pushboolean(L, hh->id && emu_hooks_remove(h->m, hh->id) == 0);
    hh->id = 0;
    return 1;
}

static int l_handle_tostring(lua_State *L)
{
    hook_handle *hh = luaL_checkudata(L, 1, HANDLE_META);
    lua_pushfstring(L, "emu.on_%s hook%s", kind_names[hh->kind], hh->id ? "" : " (removed)");
    return 1;
}

void emu_lua_open_hooks(lua_State *L)
{
    static const luaL_Reg handle_methods[] = {
        { "remove", l_handle_remove },
        { NULL, NULL },
    };
    luaL_newmetatable(L, HANDLE_META);
    luaL_newlib(L, handle_methods);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, l_handle_tostring);
    lua_setfield(L, -2, "__tostring");
    lua_pop(L, 1);

    static const luaL_Reg funcs[] = {
        { "on_exec", l_on_exec }, { "on_insn", l_on_insn }, { "on_block", l_on_block },
        { "on_read", l_on_read }, { "on_write", l_on_write }, { "on_syscall", l_on_syscall },
        { "on_syscall_return", l_on_syscall_return },        { "on_io", l_on_io }, { "on_irq", l_on_irq }, { "on_exception", l_on_exception },
        { "on_exit", l_on_exit },
        { NULL, NULL },
    };
    luaL_setfuncs(L, funcs, 0);
}
