/* Lua host tests on a machine built in-process (no CPU): api_version, script and callback
 * errors, handles, on_irq, on_io, read/syscall answers, spawn/wait in virtual time, a scripted
 * console against a buffer chardev, symbols, script arguments. */
#include <signal.h>
#include <unistd.h>
#include "../tap.h"
#include "backends/backends.h"
#include "clock/clock.h"
#include "emu/emu.h"
#include "hooks.h"
#include "lua/lua-internal.h"
#include "machine.h"
#include "object.h"
#include "run.h"
#include "devices.h"

/* Referenced by name from Lua through the symbol table of this very program. */
int lua_test_marker[4] = { 1, 2, 3, 4 };
__attribute__((noinline)) int lua_test_function(int x);
__attribute__((noinline)) int lua_test_function(int x)
{
    return x * 3 + lua_test_marker[x & 3];
}

static char tmpdir[] = "/tmp/emu-lua-test-XXXXXX";
static int nscripts;

/* Write a script file and return its path (static storage per call). */
static const char *script(const char *text)
{
    static char paths[64][128];
    char *p = paths[nscripts % 64];
    snprintf(p, 128, "%s/s%d.lua", tmpdir, nscripts++);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

/* Run a script; returns the error message (caller frees) or NULL. */
static char *run(emu_lua *h, const char *text, const char **path_out)
{
    const char *path = script(text);
    if (path_out)
        *path_out = path;
    emu_error *err = NULL;
    if (emu_lua_run(h, path, &err) == 0)
        return NULL;
    char *msg = emu_xstrdup(emu_error_message(err));
    emu_error_free(err);
    return msg;
}

static lua_Integer global_int(emu_lua *h, const char *name)
{
    lua_getglobal(h->L, name);
    lua_Integer v = lua_tointeger(h->L, -1);
    lua_pop(h->L, 1);
    return v;
}

static const char *global_str(emu_lua *h, const char *name)
{
    static char buf[256];
    lua_getglobal(h->L, name);
    const char *s = lua_tostring(h->L, -1);
    snprintf(buf, sizeof buf, "%s", s ? s : "(nil)");
    lua_pop(h->L, 1);
    return buf;
}

static emu_machine *new_machine(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("lua-test", &err);
    if (!m) {
        tap_diag("%s", emu_error_message(err));
        exit(1);
    }
    return m;
}

static void test_basics(void)
{
    emu_machine *m = new_machine();
    emu_lua *h = emu_lua_new(m);
    const char *path;
    char *msg = run(h, "assert(emu.api_version == 1)\nversion = emu.api_version\n", NULL);
    ok(!msg && global_int(h, "version") == 1, "emu.api_version is 1");
    free(msg);

    msg = run(h, "local x = 1\nlocal y = = 2\n", &path);
    ok(msg != NULL, "syntax error refused");
    char want[256];
    snprintf(want, sizeof want, "%s:2:", path);
    has_str(msg, want, "syntax error names script and line");
    free(msg);

    msg = run(h, "\n\nlocal t = nil\nprint(t.field)\n", &path);
    snprintf(want, sizeof want, "%s:4: attempt to index a nil value", path);
    has_str(msg, want, "runtime error names script, line and message");
    free(msg);

    msg = run(h, "\nerror({})\n", &path);
    snprintf(want, sizeof want, "%s:2: (error object is a table value)", path);
    has_str(msg, want, "an error object without text is located too");
    free(msg);

    msg = run(h, "error('plain', 0)\n", &path);
    snprintf(want, sizeof want, "%s:1: plain", path);
    has_str(msg, want, "error(msg, 0) gets the script's position");
    free(msg);

    emu_error *err = NULL;
    ok(emu_lua_run(h, "/nonexistent/x.lua", &err) < 0, "missing script refused");
    has_str(emu_error_message(err), "cannot open /nonexistent/x.lua", "message names the file");
    emu_error_free(err);

    msg = run(h, "emu.wait(10)\n", &path);
    has_str(msg, "emu.wait: only inside a function started by emu.spawn", "wait outside spawn refused");
    snprintf(want, sizeof want, "%s:1:", path);
    has_str(msg, want, "and located");
    free(msg);

    msg = run(h, "emu.on_exec('no_such_symbol', function() end)\n", NULL);
    has_str(msg, "unknown symbol 'no_such_symbol'", "on_exec with an unknown symbol refused");
    free(msg);
    msg = run(h, "emu.on_read(10, 2, function() end)\n", NULL);
    has_str(msg, "empty range 0xa..0x2", "empty range refused");
    free(msg);
    msg = run(h, "emu.on_io('nodev', function() end)\n", NULL);
    has_str(msg, "no device 'nodev' in this machine (devices: none)", "unknown device refused");
    free(msg);
    msg = run(h, "emu.serial('nochr')\n", NULL);
    has_str(msg, "no chardev 'nochr'", "unknown chardev refused");
    free(msg);
    msg = run(h, "emu.quit(300)\n", NULL);
    has_str(msg, "an exit status 0..255", "bad exit status refused");
    free(msg);
    ok(emu_lua_error(h) == NULL && !m->quit_requested, "script errors at load are not callback errors");

    const char *spec_path = script("local args = ...\nwho = args.who\nflag = args.flag and 1 or 0\n");
    char spec[256];
    snprintf(spec, sizeof spec, "%s,who=world,flag", spec_path);
    ok(emu_lua_run(h, spec, &err) == 0 && !strcmp(global_str(h, "who"), "world") &&
       global_int(h, "flag") == 1, "script arguments PATH,KEY=VALUE,KEY");

    msg = run(h, "keep = setmetatable({}, { __gc = function()\n"
                 "  emu.on_exec(0x10, function() end)\n"
                 "  emu.spawn(function() end)\n"
                 "end })\n", NULL);
    free(msg);
    emu_lua_free(h);
    ok(m->hooks == NULL && m->hook_mask == 0, "code run while the state closes adds no hook");
    emu_machine_free(m);
}

static void test_hooks(void)
{
    emu_machine *m = new_machine();
    emu_error *err = NULL;
    pin *a = (pin *)emu_device_new(m, &pin_type, "a", &err);
    pin *b = (pin *)emu_device_new(m, &pin_type, "b", &err);
    emu_line_connect(&a->dev, "irq", 0, &b->dev, "in", 2, &err);
    emu_device_realize(&a->dev, &err);
    emu_device_realize(&b->dev, &err);
    emu_lua *h = emu_lua_new(m);

    char *msg = run(h,
        "irqs = ''\n"
        "h_irq = emu.on_irq(function(dev, line, level, index)\n"
        "  irqs = irqs .. string.format('%s.%s[%d]=%d ', dev, line, index, level)\n"
        "end)\n"
        "only_a = 0\n"
        "emu.on_irq('a', function() only_a = only_a + 1 end)\n"
        "ios = ''\n"
        "emu.on_io('b', function(off, size, value, is_write, dev, region)\n"
        "  ios = ios .. string.format('%s:%s+%x/%d=%x%s ', dev, region, off, size, value, is_write and 'w' or 'r')\n"
        "end)\n"
        "emu.on_read(0x100, 0x103, function(cpu, addr, size, value) return value + 1 end)\n"
        "emu.on_read(0x200, 0x203, function(cpu, addr, size, value) return nil end)\n"
        "emu.on_syscall(function(cpu, nr, a1, a2, a3, a4, a5, a6, name)\n"
        "  if nr == 20 then return -a1 end\n"
        "  sysname = name\n"
        "end)\n"
        "rets = ''\n"
        "emu.on_syscall_return(function(cpu, nr, result, a1, a2, a3, a4, a5, a6, name)\n"
        "  rets = rets .. string.format('%s(%d,%d)=%d', name, a1, a3, result)\n"
        "end)\n"
        "execs = 0\n"
        "h_exec = emu.on_exec(0x1000, function(cpu, pc) execs = execs + 1 end)\n"
        "emu.on_exec(0x1000, function(cpu, pc) if execs == 2 then h_exec:remove() end end)\n"
        "blocks = 0\n"
        "emu.on_block(function(cpu, pc, n) blocks = blocks + n end)\n"
        "excs = ''\n"
        "emu.on_exception(function(cpu, kind, pc, code) excs = excs .. string.format('%s@%x:%x', kind, pc, code) end)\n"
        "exit_code = -1\n"
        "emu.on_exit(function(code) exit_code = code end)\n"
        "emu.on_irq(function() end)  -- handle dropped at once: the hook must stay\n"
        "collectgarbage() collectgarbage()\n", NULL);
    ok(!msg, "hooks registered");
    if (msg)
        tap_diag("%s", msg);
    free(msg);
    is_u64(m->hook_mask, EMU_HOOK_BIT(EMU_HOOK_IRQ) | EMU_HOOK_BIT(EMU_HOOK_IO) |
           EMU_HOOK_BIT(EMU_HOOK_READ) | EMU_HOOK_BIT(EMU_HOOK_SYSCALL) |
           EMU_HOOK_BIT(EMU_HOOK_SYSCALL_RET) |
           EMU_HOOK_BIT(EMU_HOOK_EXEC) | EMU_HOOK_BIT(EMU_HOOK_BLOCK) |
           EMU_HOOK_BIT(EMU_HOOK_EXCEPTION) | EMU_HOOK_BIT(EMU_HOOK_EXIT),
           "each on_* registers its kind, and nothing else");

    emu_line_set(a->out, 1);
    emu_line_set(a->out, 0);
    is_str(global_str(h, "irqs"), "b.in[2]=1 b.in[2]=0 ", "on_irq sees device, line, index, level");
    is_u64(global_int(h, "only_a"), 0, "on_irq filtered by device (a has no inputs changing)");

    emu_hooks_fire_io(m, NULL, &b->dev, "regs", 0x10, 4, 0xabc, true);
    emu_hooks_fire_io(m, NULL, &a->dev, "regs", 0x14, 1, 0x1, false);
    is_str(global_str(h, "ios"), "b:regs+10/4=abcw ", "on_io sees the access of its device only");

    is_u64(emu_hooks_fire_read(m, NULL, 0, 0x100, 4, 41), 42, "on_read returning a number replaces the value");
    is_u64(emu_hooks_fire_read(m, NULL, 0, 0x200, 4, 41), 41, "on_read returning nil keeps it");
    uint64_t args[6] = { 5, 0, 0, 0, 0, 0 };
    int64_t result = 0;
    ok(emu_hooks_fire_syscall(m, NULL, 0, 20, "getpid", args, &result) && result == -5,
       "on_syscall returning a number skips the call with that result");
    args[2] = 9;
    ok(!emu_hooks_fire_syscall(m, NULL, 0, 4, "write", args, &result), "returning nothing lets it run");
    is_str(global_str(h, "sysname"), "write", "on_syscall gets the call's name last");
    emu_hooks_fire_syscall_ret(m, NULL, 0, 4, "write", args, 9);
    is_str(global_str(h, "rets"), "write(5,9)=9", "on_syscall_return gets result, arguments, name");

    for (int i = 0; i < 4; i++)
        emu_hooks_fire_exec(m, NULL, 0x1000);
    is_u64(global_int(h, "execs"), 2, "handle:remove() from a callback stops the hook at once");
    ok(!emu_hooks_exec_at(m, 0x1004), "no exec hook elsewhere");
    emu_hooks_fire_block(m, NULL, 0x1000, 5);
    emu_hooks_fire_block(m, NULL, 0x2000, 3);
    is_u64(global_int(h, "blocks"), 8, "on_block sees every block with its length");
    emu_hooks_fire_exception(m, NULL, EMU_EXCP_ILLEGAL, 0x700, 0x1234);
    is_str(global_str(h, "excs"), "illegal@1234:700", "on_exception sees kind, pc and code");

    msg = run(h, "removed_once = h_irq:remove()\nremoved_twice = h_irq:remove()\n"
                 "as_text = tostring(h_irq)\n", NULL);
    ok(!msg, "handle methods ran");
    lua_getglobal(h->L, "removed_once");
    lua_getglobal(h->L, "removed_twice");
    ok(lua_toboolean(h->L, -2) && !lua_toboolean(h->L, -1), ":remove() says true once, then false");
    lua_pop(h->L, 2);
    is_str(global_str(h, "as_text"), "emu.on_irq hook (removed)", "a handle prints its kind");
    emu_line_set(a->out, 1);
    is_str(global_str(h, "irqs"), "b.in[2]=1 b.in[2]=0 ", "removed irq hook does not fire");

    emu_hooks_fire_exit(m, 3);
    is_u64(global_int(h, "exit_code"), 3, "on_exit gets the exit status");
    free(msg);

    /* An error inside a callback stops the machine with status 2 and names the place. */
    const char *path;
    msg = run(h, "emu.on_exec(0x3000, function(cpu, pc)\n  local n = nil\n  return n + 1\nend)\n", &path);
    ok(!msg, "failing hook registered");
    free(msg);
    emu_hooks_fire_exec(m, NULL, 0x3000);
    char want[256];
    snprintf(want, sizeof want, "%s:3: attempt to perform arithmetic on a nil value", path);
    has_str(emu_lua_error(h), want, "callback error names script, line and message");
    ok(m->quit_requested && m->exit_code == 2, "and asks the machine to stop with status 2");
    lua_Integer before = global_int(h, "blocks");
    emu_hooks_fire_block(m, NULL, 0x1000, 5);
    is_u64(global_int(h, "blocks"), before, "Lua is not entered again after an error");

    emu_lua_free(h);
    is_u64(m->hook_mask, 0, "freeing the host removes its hooks");
    ok(m->line_observer == NULL, "and the line observer");
    emu_machine_free(m);
}

static void test_time(void)
{
    emu_machine *m = new_machine();
    emu_lua *h = emu_lua_new(m);
    char *msg = run(h,
        "order = ''\n"
        "local function note(tag) order = order .. string.format('%s@%d ', tag, emu.time_ns()) end\n"
        "emu.spawn(function() note('a0') emu.wait(100) note('a100') emu.wait(200) note('a300') end)\n"
        "emu.spawn(function(x) note('b0' .. x) emu.wait(50) note('b50') emu.wait(200) note('b250')\n"
        "  emu.wait(1000) emu.quit(7) end, '!')\n"
        "co = emu.spawn(function() end)\n"
        "dead = coroutine.status(co)\n", NULL);
    ok(!msg, "spawned coroutines start at once");
    free(msg);
    is_str(global_str(h, "dead"), "dead", "emu.spawn returns the coroutine");
    int code = emu_machine_run(m);
    is_str(global_str(h, "order"), "a0@0 b0!@0 b50@50 a100@100 b250@250 a300@300 ",
           "coroutines resume in emulated-time order");
    is_u64(code, 7, "emu.quit(7) ends the run with status 7");
    emu_lua_free(h);
    emu_machine_free(m);

    m = new_machine();
    h = emu_lua_new(m);
    const char *path;
    msg = run(h, "emu.spawn(function()\n  emu.wait(10)\n  coroutine.yield()\nend)\n", &path);
    ok(!msg, "script with a stray yield loads");
    free(msg);
    code = emu_machine_run(m);
    char want[256];
    snprintf(want, sizeof want, "%s:3: a function started by emu.spawn yielded without emu.wait", path);
    has_str(emu_lua_error(h), want, "coroutine.yield in a spawned function is an error, located");
    is_u64(code, 2, "which stops the run with status 2");
    emu_lua_free(h);
    emu_machine_free(m);

    m = new_machine();
    h = emu_lua_new(m);
    msg = run(h, "emu.spawn(function()\n  emu.wait(10)\n  error('late')\nend)\n", &path);
    free(msg);
    code = emu_machine_run(m);
    snprintf(want, sizeof want, "%s:3: late", path);
    has_str(emu_lua_error(h), want, "an error after a wait is located in the coroutine");
    is_u64(code, 2, "and stops the run with status 2");
    emu_lua_free(h);
    emu_machine_free(m);
}

static void test_serial(void)
{
    emu_machine *m = new_machine();
    emu_error *err = NULL;
    ok(emu_backends_add_chardev(m, "serial0", "buffer", &err) == 0 &&
       emu_backends_add_chardev(m, "out", "null", &err) == 0, "buffer and null chardevs");
    console *c = (console *)emu_device_new(m, &console_type, "con", &err);
    ok(c && emu_device_set_prop(&c->dev, "chardev", "serial0", &err) == 0 &&
       emu_device_realize(&c->dev, &err) == 0, "console device on serial0");
    if (err) {
        tap_diag("%s", emu_error_message(err));
        emu_error_free(err);
        return;
    }
    emu_lua *h = emu_lua_new(m);
    char *msg = run(h,
        "local s = emu.serial('serial0')\n"
        "same = rawequal(s, emu.serial('serial0'))\n"
        "log = ''\n"
        "emu.spawn(function()\n"
        "  local got = s:expect('login: ')\n"
        "  log = log .. string.format('[%s]@%d ', got, emu.time_ns())\n"
        "  s:write('root\\n')\n"
        "  local all, who = s:expect('Welcome (%w+)')\n"
        "  log = log .. string.format('[%s|%s] ', all, who)\n"
        "  log = log .. string.format('[%s] ', tostring(s:expect('never', 100000)))\n"
        "  log = log .. string.format('[%s] ', s:read())\n"
        "  local none = emu.serial('out'):expect('x', 1000)\n"
        "  log = log .. (none == nil and 'null-waited' or 'null-matched')\n"
        "  emu.quit(0)\n"
        "end)\n", NULL);
    ok(!msg, "console script loads");
    free(msg);
    lua_getglobal(h->L, "same");
    ok(lua_toboolean(h->L, -1), "emu.serial returns the same object for a name");
    lua_pop(h->L, 1);
    alarm(10);
    int code = emu_machine_run(m);
    alarm(0);
    ok(code == 0 && !emu_lua_error(h), "scripted console ran to emu.quit(0)");
    if (emu_lua_error(h))
        tap_diag("%s", emu_lua_error(h));
    const char *log = global_str(h, "log");
    has_str(log, "[login: ]@", "expect returns the matched text after the prompt appeared");
    has_str(log, "[Welcome root|root]", "write reached the device; expect returns captures");
    has_str(log, "[nil]", "expect gives nil when max_insns pass without a match");
    has_str(log, "[\n# ]", "read returns the output after the last match");
    has_str(log, "null-waited", "expect works on a null chardev too (nothing written: nil)");
    size_t len;
    const char *out = emu_chardev_buffer_output(emu_backends_chardev(m, "serial0"), &len);
    is_str(out, "boot ok\nlogin: Welcome root\n# ", "the guest saw the typed line once");
    emu_lua_free(h);
    emu_machine_free(m);
}

static void test_symbols(void)
{
    emu_machine *m = new_machine();
    emu_lua *h = emu_lua_new(m);
    char *msg = run(h,
        "n = emu.load_symbols('/proc/self/exe')\n"
        "local marker, size = emu.symbol('lua_test_marker')\n"
        "local fn = emu.symbol('lua_test_function')\n"
        "marker_size = size\n"
        "delta = fn - marker\n"
        "local name, off = emu.symbol_at(fn + 3)\n"
        "at = name .. '+' .. off\n"
        "missing = emu.symbol('no_such_symbol_here') == nil\n", NULL);
    ok(!msg, "symbols of this test program loaded");
    if (msg)
        tap_diag("%s", msg);
    free(msg);
    ok(global_int(h, "n") > 10 && lua_test_function(1) == 5, "many symbols read");
    is_u64(global_int(h, "marker_size"), sizeof lua_test_marker, "an object's size");
    is_u64(global_int(h, "delta"), (uintptr_t)lua_test_function - (uintptr_t)lua_test_marker,
           "addresses are consistent with the loaded program");
    is_str(global_str(h, "at"), "lua_test_function+3", "symbol_at finds the enclosing function");
    lua_getglobal(h->L, "missing");
    ok(lua_toboolean(h->L, -1), "unknown symbol gives nil");
    lua_pop(h->L, 1);

    const char *bad = script("\177ELF\001\002\001" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    char text[256];
    snprintf(text, sizeof text, "emu.load_symbols('%s')\n", bad);
    msg = run(h, text, NULL);
    has_str(msg, "corrupt ELF", "a corrupt ELF file is refused");
    free(msg);
    snprintf(text, sizeof text, "emu.load_symbols('%s')\n", script("print(1)\n"));
    msg = run(h, text, NULL);
    has_str(msg, "not an ELF file", "a text file is refused");
    free(msg);
    emu_lua_free(h);
    emu_machine_free(m);
}

static void test_session(void)
{
    emu_machine *m = new_machine();
    emu_options o = { 0 };
    emu_lua *h = (emu_lua *)1;
    ok(emu_scripts_start(m, &o, NULL, 0, &h) == 0 && h == NULL && m->hooks == NULL,
       "no script: no Lua state, no registry");
    is_u64(emu_scripts_finish(m, h, 5), 5, "and the exit status passes through");

    const char *good = script("emu.on_exit(function(code) io.stderr:write('') end)\n");
    const char *lua[] = { good };
    o.lua = lua;
    o.nlua = 1;
    ok(emu_scripts_start(m, &o, "/proc/self/exe", 0, &h) == 0 && h != NULL, "scripts started");
    is_u64(emu_scripts_finish(m, h, 0), 0, "finish returns the status");
    emu_machine_free(m);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    test_basics();
    test_hooks();
    test_time();
    test_serial();
    test_symbols();
    test_session();
    for (int i = 0; i < nscripts; i++) {
        char p[128];
        snprintf(p, sizeof p, "%s/s%d.lua", tmpdir, i);
        unlink(p);
    }
    rmdir(tmpdir);
    return tap_done();
}
