/* Unit tests: machine files — building, merge rules, null deletion, vars, --set, includes, error positions. */
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tap.h"
#include "../machines/mft-devices.h"
#include "backends/backends.h"
#include "config/machine-file.h"
#include "plugins.h"

static char *last_error;

/* Load `file` with the --set values given (NULL-terminated); keeps the error text. */
static emu_machine *load(const char *file, ...)
{
    const char *sets[8];
    size_t n = 0;
    va_list ap;
    va_start(ap, file);
    for (const char *s; n < 8 && (s = va_arg(ap, const char *));)
        sets[n++] = s;
    va_end(ap);
    free(last_error);
    last_error = NULL;
    emu_error *err = NULL;
    emu_machine *m = emu_machine_load(file, sets, n, &err);
    if (!m)
        last_error = emu_xstrdup(emu_error_message(err));
    emu_error_free(err);
    return m;
}

/* The file fails to load with exactly this message start. */
static void fails_with(const char *file, const char *set, const char *prefix, const char *fragment,
                       const char *what)
{
    emu_machine *m = set ? load(file, set, NULL) : load(file, NULL);
    ok(!m && last_error && !strncmp(last_error, prefix, strlen(prefix)) &&
           strstr(last_error, fragment), "%s", what);
    if (!last_error || strncmp(last_error, prefix, strlen(prefix)) || !strstr(last_error, fragment))
        tap_diag("  got '%s', want prefix '%s' and '%s'", last_error ? last_error : "(loaded)",
                 prefix, fragment);
    emu_machine_free(m);
}

static mft_dev *dev(emu_machine *m, const char *id)
{
    return (mft_dev *)emu_machine_device(m, id);
}

static uint64_t rd(emu_machine *m, const char *space, uint64_t addr, unsigned size)
{
    uint64_t v = 0xdead;
    emu_space_read(emu_machine_space(m, space), addr, size, EMU_LITTLE_ENDIAN, &v);
    return v;
}

static void wr(emu_machine *m, const char *space, uint64_t addr, unsigned size, uint64_t v)
{
    emu_space_write(emu_machine_space(m, space), addr, size, EMU_LITTLE_ENDIAN, v);
}

static void test_full_machine(void)
{
    tap_write_file("rom.bin", "ROMDATA!");
    tap_write_file("s.lua", "-- nothing\n");
    tap_write_file("full.yaml",
               "emu-machine: 1\n"
               "name: full\n"
               "vars: { ram: 1M, io: isa-io, lbl: \"x-${io}\" }\n"
               "memory:\n"
               "  ram: { kind: ram, size: \"${ram}\", map: system@0x0 }\n"
               "  rom: { kind: rom, file: rom.bin, map: system@0xfff00000 }\n"
               "  low: { kind: alias, target: ram, offset: 0x1000, size: 4K, map: system@0x40000000 }\n"
               "  io-ram: { kind: ram, size: 4K, map: \"${io}@0x100\" }\n"
               "spaces:\n"
               "  isa-io: { size: 64K, map: system@0x80000000 }\n"
               "cpus:\n"
               "  cpu0: { type: mft-cpu }\n"
               "devices:\n"
               "  a:\n"
               "    type: mft-dev\n"
               "    map: { regs: isa-io@0x3f8, buf: system@0x50000000 }\n"
               "    size: 8\n"
               "    irq:\n"
               "      irq[1]: [ \"b.in[3]\", cpu0 ]\n"
               "      aux: b.reset\n"
               "    props: { label: \"${lbl}\", peer: b, chardev: ser, count: -3, mode: fast }\n"
               "  b: { type: mft-dev, map: system@0x60000000, irq: a.5 }\n"
               "chardevs: { ser: buffer }\n"
               "board: { type: mft-board, props: { console: a } }\n"
               "scripts: [ s.lua ]\n");
    emu_machine *m = load("full.yaml", NULL);
    if (!ok(m, "full machine builds"))
        tap_diag("  %s", last_error);
    if (!m)
        exit(1);
    is_str(m->name, "full", "machine name");
    is_str(m->source, "full.yaml", "machine source is the file as given");
    wr(m, "system", 0x10, 4, 0x12345678);
    is_u64(rd(m, "system", 0x10, 4), 0x12345678, "RAM at system@0x0 reads back");
    is_u64(rd(m, "system", 0xfff00000, 4), 0x444d4f52, "ROM image loaded (\"ROMD\")");
    wr(m, "system", 0xfff00000, 4, 0);
    is_u64(rd(m, "system", 0xfff00000, 1), 'R', "ROM is not writable by the guest");
    wr(m, "system", 0x1010, 2, 0xbeef);
    is_u64(rd(m, "system", 0x40000010, 2), 0xbeef, "alias shows RAM at offset 0x1000");
    wr(m, "system", 0x80000100, 1, 0x5a);
    is_u64(rd(m, "isa-io", 0x100, 1), 0x5a, "space isa-io is mapped at 0x80000000 in system");
    is_u64(rd(m, "system", 0x800003fa, 1), 0xa2, "region regs of a mapped in isa-io@0x3f8");
    wr(m, "system", 0x800003f9, 1, 0x77);
    is_u64(dev(m, "a")->last_write, 0x77, "write reaches device a");
    is_u64(dev(m, "a")->last_write_offset, 1, "at the right offset");
    is_u64(rd(m, "system", 0x60000000, 1), 0xa0, "b's default region (regs) mapped with a plain place");
    wr(m, "system", 0x50000004, 1, 0x33);
    is_u64(rd(m, "system", 0x50000004, 1), 0x33, "a's region buf mapped by name");
    is_str(dev(m, "a")->label, "x-isa-io", "variables inside variables, partial substitution");
    is_u64((uint64_t)dev(m, "a")->count, (uint64_t)-3, "negative int property");
    is_u64(dev(m, "a")->mode, 2, "enum property");
    is_u64(dev(m, "a")->size, 8, "size shorthand sets the property");
    ok(dev(m, "a")->peer == &dev(m, "b")->dev, "link property points at b");
    ok(dev(m, "a")->chardev == emu_backends_chardev(m, "ser"), "chardev property");
    emu_line_set(dev(m, "a")->irq[1], 1);
    is_u64(dev(m, "b")->in_level[3], 1, "a.irq[1] wired to b.in[3]");
    emu_line_set(dev(m, "a")->aux, 1);
    is_u64(dev(m, "b")->reset_level, 1, "a.aux wired to b.reset");
    emu_line_set(dev(m, "b")->irq[0], 1);
    is_u64(dev(m, "a")->in_level[5], 1, "b's default output wired to a's default input 5");
    ok(dev(m, "a")->realized_as < dev(m, "b")->realized_as, "devices realized in file order");
    mft_board *board = (mft_board *)emu_machine_device(m, "board");
    ok(board && board->realized_as > dev(m, "b")->realized_as, "board realized last");
    is_u64(dev(m, "a")->resets, 1, "machine reset after building");
    ok(m->nscripts == 1 && m->scripts[0][0] == '/' && strstr(m->scripts[0], "/s.lua"),
       "scripts recorded with absolute paths");
    emu_machine_free(m);
}

static void test_merge(void)
{
    tap_write_file("base.yaml",
               "emu-machine: 1\n"
               "name: base\n"
               "devices:\n"
               "  keep: { type: mft-dev, props: { label: base, count: 1 } }\n"
               "  gone: { type: mft-dev }\n"
               "  over: { type: mft-dev, props: { label: base, mode: off } }\n"
               "scripts: [ s.lua, s.lua ]\n");
    tap_write_file("second.yaml",
               "emu-machine: 1\n"
               "devices:\n"
               "  keep: { props: { count: 2 } }\n");
    mkdir("sub", 0700);
    tap_write_file("sub/inc.yaml",
               "emu-machine: 1\n"
               "include: ../second.yaml\n"
               "devices:\n"
               "  keep: { props: { mode: fast } }\n");
    tap_write_file("top.yaml",
               "emu-machine: 1\n"
               "include: [ base.yaml, sub/inc.yaml ]\n"
               "name: top\n"
               "devices:\n"
               "  gone: null\n"
               "  over: { props: { label: top } }\n"
               "scripts: [ s.lua ]\n");
    emu_machine *m = load("top.yaml", NULL);
    if (!ok(m, "file with includes builds"))
        tap_diag("  %s", last_error);
    if (!m)
        return;
    is_str(m->name, "top", "scalars replace inherited ones");
    ok(!emu_machine_device(m, "gone"), "null deletes an inherited entry");
    is_str(dev(m, "over")->label, "top", "maps merge by key: the new value wins");
    is_u64(dev(m, "over")->mode, 0, "maps merge by key: inherited keys stay");
    is_u64(dev(m, "keep")->count, 2, "a later include overrides an earlier one");
    is_u64(dev(m, "keep")->mode, 2, "includes are relative to the including file");
    is_str(dev(m, "keep")->label, "base", "entries not overridden are inherited");
    is_u64(m->nscripts, 1, "lists replace");
    emu_machine_free(m);
}

/* Relative paths: from the file that wrote them, or from where a lone variable's value was written. */
static void test_paths(void)
{
    tap_write_file("sub/rom2.bin", "SUB!");
    tap_write_file("sub/paths.yaml",
               "emu-machine: 1\n"
               "vars: { image: rom2.bin }\n"
               "memory:\n"
               "  direct: { kind: rom, file: rom2.bin, size: 8, map: system@0x2000 }\n");
    tap_write_file("paths.yaml",
               "emu-machine: 1\n"
               "include: sub/paths.yaml\n"
               "name: paths\n"
               "memory:\n"
               "  via-var: { kind: rom, file: \"${image}\", map: system@0x1000 }\n");
    emu_machine *m = load("paths.yaml", NULL);
    if (!ok(m, "paths relative to the file that wrote them"))
        tap_diag("  %s", last_error);
    if (!m)
        return;
    is_u64(rd(m, "system", 0x1000, 4), 0x21425553, "a lone variable is relative to its definition");
    is_u64(rd(m, "system", 0x2000, 4), 0x21425553, "a path in an included file is relative to it");
    is_u64(rd(m, "system", 0x2004, 4), 0, "a ROM larger than its image is zero-filled");
    emu_machine_free(m);
}

static void test_vars_and_sets(void)
{
    tap_write_file("vars.yaml",
               "emu-machine: 1\n"
               "name: vars\n"
               "vars: { a: A, b: \"${a}${a}\", lbl: \"${b}-$${b}-$x\" }\n"
               "devices:\n"
               "  d: { type: mft-dev, props: { label: \"${lbl}\" } }\n"
               "  e: { type: mft-dev }\n");
    emu_machine *m = load("vars.yaml", NULL);
    ok(m && !strcmp(dev(m, "d")->label, "AA-${b}-$x"), "vars, $${ escape, lone $");
    emu_machine_free(m);
    m = load("vars.yaml", "a=Z", "devices.e.props.count=5", "devices.e.props.mode=fast",
             "devices.f.type=mft-dev", "devices.e.props.label=${b}", NULL);
    if (!ok(m, "--set of a variable and of dotted paths"))
        tap_diag("  %s", last_error);
    if (m) {
        is_str(dev(m, "d")->label, "ZZ-${b}-$x", "--set a=Z reaches every use");
        is_u64(dev(m, "e")->count, 5, "--set replaces a value");
        is_u64(dev(m, "e")->mode, 2, "--set adds a map entry");
        ok(emu_machine_device(m, "f") != NULL, "--set can add a device");
        is_str(dev(m, "e")->label, "ZZ", "--set values use variables");
    }
    emu_machine_free(m);
    m = load("vars.yaml", "devices.e=null", NULL);
    ok(m && !emu_machine_device(m, "e"), "--set KEY=null deletes an entry");
    emu_machine_free(m);
    fails_with("vars.yaml", "nosuch=1", "--set nosuch=1: ", "declared: a, b, lbl",
               "--set of an undeclared variable lists the declared ones");
    fails_with("vars.yaml", "devices.d=1", "--set devices.d=1: ", "is a map",
               "--set cannot replace a map");
    fails_with("vars.yaml", "devices.d.props.count=99", "--set devices.d.props.count=99: ",
               "out of range", "a bad --set value names the option");
    fails_with("vars.yaml", "name.x=1", "--set name.x=1: ", "not a map", "--set into a scalar");
    tap_write_file("undef.yaml",
               "emu-machine: 1\n"
               "name: undef\n"
               "vars: { a: A }\n"
               "devices:\n"
               "  d: { type: mft-dev, props: { label: \"pre-${nope}\" } }\n");
    fails_with("undef.yaml", NULL, "undef.yaml:5:39: ", "undefined variable 'nope' (declared under vars: a)",
               "undefined variable, at the value using it");
    tap_write_file("cycle.yaml",
               "emu-machine: 1\n"
               "name: cycle\n"
               "vars:\n"
               "  a: \"${b}\"\n"
               "  b: \"x${c}\"\n"
               "  c: \"${a}\"\n");
    fails_with("cycle.yaml", NULL, "cycle.yaml:6:6: ", "variable cycle: a -> b -> c -> a",
               "variable cycle named in order");
}

static void test_positions(void)
{
    tap_write_file("pos.yaml",
               "emu-machine: 1\n"
               "name: pos\n"
               "devices:\n"
               "  d: { type: mft-dev, props: { colour: red } }\n");
    fails_with("pos.yaml", NULL, "pos.yaml:4:32: ", "no property 'colour' (valid: size, log,",
               "unknown property at its key");
    tap_write_file("dup.yaml",
               "emu-machine: 1\n"
               "name: dup\n"
               "name: again\n");
    fails_with("dup.yaml", NULL, "dup.yaml:3:1: ", "duplicate key 'name' (first at dup.yaml:2:1)",
               "duplicate key");
    tap_write_file("type.yaml",
               "emu-machine: 1\n"
               "name: type\n"
               "devices:\n"
               "  d:\n"
               "    type: mft-nope\n");
    fails_with("type.yaml", NULL, "type.yaml:5:11: ", "mft-dev, mft-needy",
               "unknown device type lists the valid device types");
    tap_write_file("sub/bad.yaml",
               "emu-machine: 1\n"
               "devices:\n"
               "  d: { type: mft-dev, size: 12Q }\n");
    tap_write_file("incbad.yaml",
               "emu-machine: 1\n"
               "include: [ sub/bad.yaml ]\n"
               "name: incbad\n");
    fails_with("incbad.yaml", NULL, "sub/bad.yaml:3:29: ", "not a size",
               "an error in an included file points into that file");
    tap_write_file("incmiss.yaml",
               "emu-machine: 1\n"
               "name: incmiss\n"
               "include:\n"
               "  - sub/nothere.yaml\n");
    fails_with("incmiss.yaml", NULL, "incmiss.yaml:4:5: ", "cannot open include 'sub/nothere.yaml'",
               "a missing include is reported at the include line");
    tap_write_file("c1.yaml", "emu-machine: 1\nname: c1\ninclude: c2.yaml\n");
    tap_write_file("c2.yaml", "emu-machine: 1\ninclude: [ c1.yaml ]\n");
    fails_with("c1.yaml", NULL, "c2.yaml:2:12: ", "include cycle: c1.yaml -> c2.yaml -> c1.yaml",
               "include cycle names the chain");
    tap_write_file("fail.yaml",
               "emu-machine: 1\n"
               "name: fail\n"
               "devices:\n"
               "  ok1: { type: mft-dev }\n"
               "  bad: { type: mft-dev, props: { fail: true } }\n");
    fails_with("fail.yaml", NULL, "fail.yaml:5:3: ", "refusing to start",
               "a realize failure is reported at the entry, nothing is left built");
    tap_write_file("ovl.yaml",
               "emu-machine: 1\n"
               "name: ovl\n"
               "memory:\n"
               "  ram: { kind: ram, size: 1M, map: system@0x0 }\n"
               "devices:\n"
               "  d: { type: mft-dev, map: { buf: system@0x1000 } }\n");
    fails_with("ovl.yaml", NULL, "ovl.yaml:6:35: ", "overlaps",
               "a region map refused while building is reported at the map");
    tap_write_file("need.yaml",
               "emu-machine: 1\n"
               "name: need\n"
               "devices:\n"
               "  n: { type: mft-needy }\n");
    fails_with("need.yaml", NULL, "need.yaml:4:6: ", "required property 'clock-hz' is not set",
               "a missing required property");
    fails_with("need.yaml", "devices.n.props.clock-hz=0", "--set devices.n.props.clock-hz=0: ",
               "out of range", "a property range checked before building");
}

/* Where a value came from: includes, variables, --set; and checking without building. */
static void test_origins_and_check(void)
{
    tap_write_file("sub/inner.yaml", "emu-machine: 1\nvars: { sz: 12Q }\nmemory:\n  r: { kind: ram, size: 0 }\n");
    tap_write_file("sub/outer.yaml", "emu-machine: 1\ninclude: inner.yaml\n");
    tap_write_file("notes.yaml", "emu-machine: 1\nname: notes\ninclude: sub/outer.yaml\n");
    fails_with("notes.yaml", NULL, "sub/inner.yaml:4:25: ", "size must not be 0 (included from "
               "sub/outer.yaml:2:10, included from notes.yaml:3:10)",
               "an error two includes down names both include entries");
    tap_write_file("usevar.yaml", "emu-machine: 1\nname: usevar\ninclude: sub/outer.yaml\n"
               "memory:\n  r: { size: \"${sz}\" }\n");
    fails_with("usevar.yaml", NULL, "usevar.yaml:5:14: ", "'12Q': not a size",
               "an error through a variable is at the value using it");
    fails_with("usevar.yaml", NULL, "usevar.yaml:5:14: ", "(from variable 'sz' at sub/inner.yaml:2:13, "
               "included from sub/outer.yaml:2:10", "and names where the variable is defined");
    fails_with("usevar.yaml", "sz=abc", "--set sz=abc: usevar.yaml:5:14: ", "'abc': not a size",
               "a bad variable value from --set starts with the option");
    tap_write_file("two.yaml", "emu-machine: 1\nname: two\ndevices:\n  a: { type: mft-dev }\n"
               "  b: { type: mft-dev }\n");
    fails_with("two.yaml", "devices.c.props.count=1", "--set devices.c.props.count=1: ",
               "the machine has no device 'c' (devices: a, b; to add one, set devices.c.type first)",
               "--set into a device that does not exist lists the devices");
    emu_machine *m = load("two.yaml", "devices.c.type=mft-dev", NULL);
    ok(m && emu_machine_device(m, "c"), "--set devices.ID.type adds a device");
    emu_machine_free(m);

    tap_write_file("check.yaml", "emu-machine: 1\nname: check\nchardevs: { out: \"file:made.log\" }\n"
               "devices:\n  a: { type: mft-dev, props: { chardev: out } }\n");
    emu_error *err = NULL;
    ok(emu_machine_check("check.yaml", NULL, 0, &err) == 0 && access("made.log", F_OK) < 0,
       "emu_machine_check accepts a good machine and opens none of its backends");
    emu_error_free(err);
    err = NULL;
    const char *set = "devices.a.props.count=9";
    ok(emu_machine_check("check.yaml", &set, 1, &err) < 0 && err &&
           !strcmp(emu_error_message(err), "--set devices.a.props.count=9: device 'a': property "
                   "'count': value out of range (expected -8..8)"),
       "emu_machine_check refuses with the message emu_machine_load gives");
    emu_error_free(err);
}

int main(void)
{
    char dir[] = "/tmp/emu-test-mf-XXXXXX";
    const char *build = getenv("EMU_BUILDDIR");
    if (!mkdtemp(dir) || !build) {
        printf("1..0 # SKIP no temporary folder or EMU_BUILDDIR\n");
        return 0;
    }
    char *plugin = emu_asprintf("%s/tests/machines/plugin/mft_devices.la", build);
    emu_error *err = NULL;
    if (emu_plugins_load_path(plugin, &err) < 0) {
        printf("Bail out! %s\n", emu_error_message(err));
        return 1;
    }
    free(plugin);
    if (chdir(dir) < 0)
        return 1;
    test_full_machine();
    test_merge();
    test_paths();
    test_vars_and_sets();
    test_positions();
    test_origins_and_check();
    free(last_error);
    emu_plugins_shutdown();
    char *rm = emu_asprintf("rm -rf '%s'", dir);
    if (system(rm) != 0)
        tap_diag("could not remove %s", dir);
    free(rm);
    return tap_done();
}
