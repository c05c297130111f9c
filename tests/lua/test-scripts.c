/* The ready-made scripts of lua/ driven without a CPU: events are fired into the hook registry
 * the way the engine and user mode fire them, then each script's report is checked.
 * boot-expect.lua runs against a console device.  (flamegraph.lua needs a CPU: see
 * test-guest.sh.) */
#include <unistd.h>
#include "../tap.h"
#include "backends/backends.h"
#include "emu/emu.h"
#include "hooks.h"
#include "lua/lua-internal.h"
#include "machine.h"
#include "object.h"
#include "run.h"
#include "devices.h"

/* Functions and a variable of this program, found through its own symbol table.  The
   functions are long enough (over 16 bytes) for the offsets the tests fire events at. */
int lua_watched[4];
__attribute__((noinline)) int lua_first(int x);
__attribute__((noinline)) int lua_second(int x);
__attribute__((noinline)) int lua_first(int x)
{
    volatile int sum = 0;
    for (int i = 0; i < x; i++)
        sum += lua_watched[i & 3] * i;
    return sum + 1;
}
__attribute__((noinline)) int lua_second(int x)
{
    volatile int sum = 0;
    for (int i = 0; i < x; i++)
        sum += lua_first(i) ^ i;
    return sum * 2;
}

static char tmpdir[] = "/tmp/emu-lua-scripts-XXXXXX";
static const char *srcdir;
static emu_machine *m;
static emu_lua *h;

static uint64_t sym(const char *name)
{
    const emu_symbol *s = emu_symtab_find(h->symbols, name);
    return s ? s->addr : 0;
}

/* A machine and a Lua host with this program's symbols. */
static void start(void)
{
    emu_error *err = NULL;
    m = emu_machine_new("scripts", &err);
    h = emu_lua_new(m);
    if (emu_lua_add_symbols(h, "/proc/self/exe", 0, &err) < 0) {
        tap_diag("%s", emu_error_message(err));
        exit(1);
    }
}

static void finish(void)
{
    emu_hooks_fire_exit(m, 0);
    emu_lua_free(h);
    emu_machine_free(m);
}

/* Run lua/NAME with ARGS; returns the error or NULL. */
static char *run_script(const char *name, const char *args)
{
    char spec[512];
    snprintf(spec, sizeof spec, "%s/lua/%s%s%s", srcdir, name, *args ? "," : "", args);
    emu_error *err = NULL;
    if (emu_lua_run(h, spec, &err) == 0)
        return NULL;
    char *msg = emu_xstrdup(emu_error_message(err));
    emu_error_free(err);
    return msg;
}

static char *slurp(const char *path)
{
    static char buf[8192];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
    return buf;
}

static void test_count(void)
{
    char out[128], args[160], want[128];
    snprintf(out, sizeof out, "%s/count.txt", tmpdir);
    snprintf(args, sizeof args, "out=%s", out);
    start();
    char *msg = run_script("count.lua", args);
    ok(!msg, "count.lua loads");
    free(msg);
    uint64_t f1 = sym("lua_first"), f2 = sym("lua_second");
    const emu_symbol *s1 = emu_symtab_find(h->symbols, "lua_first");
    const emu_symbol *s2 = emu_symtab_find(h->symbols, "lua_second");
    ok(s1 && s2 && s1->size > 16 && s2->size > 16, "test functions are over 16 bytes long");
    emu_hooks_fire_block(m, NULL, f1, 3);
    emu_hooks_fire_block(m, NULL, f2, 7);
    emu_hooks_fire_block(m, NULL, f1 + 8, 2);
    emu_hooks_fire_block(m, NULL, 0x10, 1);
    finish();
    const char *text = slurp(out);
    has_str(text, "instructions       blocks  function", "count.lua prints a header");
    snprintf(want, sizeof want, "%14d %12d  %s\n", 7, 1, "lua_second");
    has_str(text, want, "a function's instructions and blocks");
    snprintf(want, sizeof want, "%14d %12d  %s\n", 5, 2, "lua_first");
    has_str(text, want, "blocks inside a function are counted in it");
    ok(strstr(text, "lua_second") < strstr(text, "lua_first"), "busiest function first");
    has_str(text, "[unknown]", "addresses without a symbol are grouped");
    snprintf(want, sizeof want, "%14d %12d  %s\n", 13, 4, "total");
    has_str(text, want, "totals");
}

static void test_coverage(void)
{
    char out[128], args[200], want[128];
    snprintf(out, sizeof out, "%s/cov.txt", tmpdir);
    snprintf(args, sizeof args, "out=%s", out);
    start();
    char *msg = run_script("coverage.lua", args);
    ok(!msg, "coverage.lua loads");
    free(msg);
    uint64_t f1 = sym("lua_first");
    for (int i = 0; i < 3; i++)
        emu_hooks_fire_block(m, NULL, f1, 2);
    emu_hooks_fire_block(m, NULL, f1 + 4, 1);
    finish();
    const char *text = slurp(out);
    snprintf(want, sizeof want, "0x%llx 3 lua_first+0x0\n0x%llx 4 lua_first+0x4\n",
             (unsigned long long)f1, (unsigned long long)f1 + 4);
    is_str(text, want, "plain coverage: each instruction with its count, in address order");

    snprintf(out, sizeof out, "%s/cov.info", tmpdir);
    snprintf(args, sizeof args, "out=%s,format=lcov,source=prog", out);
    start();
    msg = run_script("coverage.lua", args);
    free(msg);
    emu_hooks_fire_block(m, NULL, sym("lua_second"), 4);
    emu_hooks_fire_block(m, NULL, sym("lua_first") + 4, 1);
    finish();
    is_str(slurp(out), "TN:\nSF:prog\nFN:1,lua_first\nFN:2,lua_second\n"
           "FNDA:0,lua_first\nFNDA:1,lua_second\nFNF:2\nFNH:1\nend_of_record\n",
           "lcov coverage: functions, entry counts, totals");

    start();
    msg = run_script("coverage.lua", "format=html");
    has_str(msg, "coverage.lua: format=html (valid: plain, lcov)", "unknown format refused");
    free(msg);
    finish();
}

static void test_memwatch(void)
{
    char out[128], args[200], want[160];
    snprintf(out, sizeof out, "%s/mem.txt", tmpdir);
    snprintf(args, sizeof args, "out=%s,sym=lua_watched,reads", out);
    start();
    char *msg = run_script("memwatch.lua", args);
    ok(!msg, "memwatch.lua loads");
    free(msg);
    uint64_t v = sym("lua_watched"), f2 = sym("lua_second");
    emu_hooks_fire_write(m, NULL, f2 + 8, v + 4, 4, 7);
    emu_hooks_fire_write(m, NULL, f2 + 8, v + 16, 4, 9);
    emu_hooks_fire_write(m, NULL, f2 + 12, v - 1, 2, 0x102);
    uint64_t got = emu_hooks_fire_read(m, NULL, f2, v, 4, 5);
    finish();
    const char *text = slurp(out);
    snprintf(want, sizeof want, "write 0x%llx size 4 value 0x7 at 0x%llx lua_second+0x8\n",
             (unsigned long long)v + 4, (unsigned long long)f2 + 8);
    has_str(text, want, "a write inside the variable, with the pc and its function");
    snprintf(want, sizeof want, "write 0x%llx size 2 value 0x102", (unsigned long long)v - 1);
    has_str(text, want, "a write straddling its first byte");
    ok(!strstr(text, "value 0x9"), "a write after the variable is not reported");
    snprintf(want, sizeof want, "read 0x%llx size 4 value 0x5", (unsigned long long)v);
    has_str(text, want, "reads with the reads argument");
    is_u64(got, 5, "memwatch does not change values read");

    start();
    msg = run_script("memwatch.lua", "");
    has_str(msg, "memwatch.lua: say what to watch", "memwatch without a target refused");
    free(msg);
    finish();
}

static void test_strace(void)
{
    char out[128], args[160];
    snprintf(out, sizeof out, "%s/strace.txt", tmpdir);
    snprintf(args, sizeof args, "out=%s", out);
    start();
    char *msg = run_script("strace.lua", args);
    ok(!msg, "strace.lua loads");
    free(msg);
    uint64_t a[6] = { 0 };
    int64_t r;
    emu_hooks_fire_syscall(m, NULL, 0, 20, "getpid", a, &r);
    emu_hooks_fire_syscall_ret(m, NULL, 0, 20, "getpid", a, 42);
    uint64_t w[6] = { 1, 0x10020000, 5 };
    emu_hooks_fire_syscall_ret(m, NULL, 0, 4, "write", w, 5);
    uint64_t o[6] = { 0xffffff9c, 0x1000, 0x241, 0x1b6 };
    emu_hooks_fire_syscall_ret(m, NULL, 0, 286, "openat", o, -2);
    emu_hooks_fire_syscall_ret(m, NULL, 0, 999, NULL, o, -38);
    uint64_t e[6] = { 3 };
    emu_hooks_fire_syscall(m, NULL, 0, 234, "exit_group", e, &r);
    finish();
    is_str(slurp(out), "getpid() = 42\n"
           "write(1, 0x10020000, 5) = 5\n"
           "openat(-100, 4096, 577, 438) = -1 (errno 2)\n"
           "syscall_999(-100, 4096, 577, 438, 0, 0) = -1 (errno 38)\n"
           "exit_group(3) = ?\n",
           "strace.lua: calls, arguments as numbers without a CPU, results, errors");
}

static void test_boot_expect(void)
{
    for (int pass = 1; pass >= 0; pass--) {
        emu_error *err = NULL;
        m = emu_machine_new("console", &err);
        emu_backends_add_chardev(m, "ttyS0", "buffer", &err);
        console *c = (console *)emu_device_new(m, &console_type, "con", &err);
        emu_device_set_prop(&c->dev, "chardev", "ttyS0", &err);
        if (emu_device_realize(&c->dev, &err) < 0) {
            tap_diag("%s", emu_error_message(err));
            exit(1);
        }
        h = emu_lua_new(m);
        char *msg = run_script("boot-expect.lua",
                               pass ? "serial=ttyS0,user=guest,cmd=id,want=Welcome id"
                                    : "serial=ttyS0,user=guest,cmd=id,want=uid=0,timeout=100000");
        ok(!msg, "boot-expect.lua loads (%s)", pass ? "answer expected" : "answer missing");
        free(msg);
        alarm(10);
        int code = emu_machine_run(m);
        alarm(0);
        if (pass)
            is_u64(code, 0, "boot-expect.lua logs in, runs the command, sees the answer: status 0");
        else
            is_u64(code, 1, "a missing answer ends with status 1 after the timeout");
        const char *typed = emu_chardev_buffer_output(emu_backends_chardev(m, "ttyS0"), NULL);
        has_str(typed, "Welcome guest\n# Welcome id\n# ", "what the console saw");
        emu_lua_free(h);
        emu_machine_free(m);
    }
}

int main(void)
{
    srcdir = getenv("EMU_SRCDIR");
    if (!srcdir) {
        printf("1..0 # SKIP EMU_SRCDIR is not set (run through make check)\n");
        return 0;
    }
    if (!mkdtemp(tmpdir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    ok(lua_second(2) == 2 * ((lua_first(0) ^ 0) + (lua_first(1) ^ 1)), "test functions are real");
    test_count();
    test_coverage();
    test_memwatch();
    test_strace();
    test_boot_expect();
    const char *files[] = { "count.txt", "cov.txt", "cov.info", "mem.txt", "strace.txt" };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char p[160];
        snprintf(p, sizeof p, "%s/%s", tmpdir, files[i]);
        unlink(p);
    }
    rmdir(tmpdir);
    return tap_done();
}
