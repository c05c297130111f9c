/* Bare-metal supervisor programs (tests/guests/sys/NAME.S, built with the PowerPC cross compiler
 * into flat images linked at 0) on an in-process machine: 16 MiB of RAM at 0 whose first megabyte
 * is also at 0xfff00000 (the reset vector), the CPU model a case names, started from its reset
 * state, and a line register at 0xf0000000: a word written there pulses that input line of the
 * CPU (1 mcp, 2 tea, 3 sreset, 4 hreset).  The program logs (tag, value) word pairs (count at
 * 0x7000, pairs from 0x7004) and dozes when done; the log, printed as "TAG value" lines plus a
 * "QUIT code" line when the machine asked to stop, must equal NAME[-MODEL].expected. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../tap.h"
#include "clock/clock.h"
#include "emu/cpu.h"
#include "emu/memory.h"
#include "exec/exec.h"
#include "machine.h"
#include "object.h"
#include "plugins.h"

#define RAM_SIZE (16u << 20)
#define LOG_COUNT 0x7000u
#define LOG_MAX 512u

typedef struct guest_case {
    const char *program;     /* tests/guests/sys/PROGRAM.bin */
    const char *model;       /* CPU type */
    const char *expected;    /* tests/guests/sys/EXPECTED.expected */
} guest_case;

static const guest_case cases[] = {
    { "tlb603", "ppc603e", "tlb603" },
    { "mcheck", "ppc603e", "mcheck-603e" },
    { "mcheck", "ppc604", "mcheck-604" },
    { "mcheck", "ppc750", "mcheck-750" },
    { "align", "ppc603e", "align" },
    { "align", "ppc604", "align" },
    { "align", "ppc750", "align" },
    { "tlbinsn", "ppc603e", "tlbinsn-603e" },
    { "tlbinsn", "ppc604", "tlbinsn-604-750" },
    { "tlbinsn", "ppc750", "tlbinsn-604-750" },
};

typedef struct sys {
    emu_machine *m;
    emu_space *space;
    emu_device *dev;
} sys;

static void line_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    sys *s = opaque;
    const emu_type *t = s->dev->type;
    static const char *const names[] = { NULL, "mcp", "tea", "sreset", "hreset" };
    if (offset != 0 || value == 0 || value >= sizeof names / sizeof names[0])
        return;
    int line = emu_type_input_index(t, names[value]);
    if (line < 0)
        return;
    t->set_input(s->dev, (unsigned)line, 0, 1);
    t->set_input(s->dev, (unsigned)line, 0, 0);
}

static uint64_t line_read(void *opaque, uint64_t offset, unsigned size)
{
    return 0;
}

static const emu_mmio_ops line_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = line_read, .write = line_write,
    .endian = EMU_BIG_ENDIAN, .valid_min = 4, .valid_max = 4,
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

/* Run until the CPU dozes, the machine asks to quit, or the instruction budget is spent. */
static void run(sys *s, uint64_t max)
{
    uint64_t total = 0;
    while (total < max && !s->m->quit_requested) {
        uint64_t n = 0;
        emu_exec_status st = emu_exec_run(s->m, 1000, &n);
        total += n;
        emu_clock_advance_to(s->m, emu_clock_ns(s->m) + (n ? n : 1) * emu_clock_ns_per_insn(s->m));
        emu_clock_run_due(s->m);
        if (st == EMU_EXEC_IDLE)
            break;
    }
}

static uint32_t word(sys *s, uint32_t addr)
{
    uint64_t v = 0;
    emu_space_read(s->space, addr, 4, EMU_BIG_ENDIAN, &v);
    return (uint32_t)v;
}

static char *log_text(sys *s)
{
    uint32_t n = word(s, LOG_COUNT);
    if (n > LOG_MAX)
        n = LOG_MAX;
    size_t cap = 32 * (size_t)n + 64, len = 0;
    char *out = malloc(cap);
    out[0] = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t tag = word(s, LOG_COUNT + 4 + 8 * i), v = word(s, LOG_COUNT + 8 + 8 * i);
        char t[5];
        for (int k = 0; k < 4; k++) {
            char c = (char)(tag >> (24 - 8 * k));
            t[k] = c >= 0x20 && c < 0x7f ? c : '.';
        }
        t[4] = 0;
        len += (size_t)snprintf(out + len, cap - len, "%s %08x\n", t, v);
    }
    if (s->m->quit_requested)
        snprintf(out + len, cap - len, "QUIT %d\n", s->m->exit_code);
    return out;
}

static void run_case(const guest_case *c, const char *builddir, const char *srcdir)
{
    char path[4096];
    size_t len, expected_len;
    snprintf(path, sizeof path, "%s/tests/guests/sys/%s.bin", builddir, c->program);
    char *image = slurp(path, &len);
    if (!image) {
        ok(true, "%s on %s # SKIP no image (no PowerPC cross compiler)", c->program, c->model);
        return;
    }
    snprintf(path, sizeof path, "%s/tests/guests/sys/%s.expected", srcdir, c->expected);
    char *expected = slurp(path, &expected_len);
    if (!expected) {
        ok(false, "%s: %s is readable", c->program, path);
        free(image);
        return;
    }
    emu_error *err = NULL;
    sys s = { 0 };
    s.m = emu_machine_new("ppc-guest-test", &err);
    const emu_type *t = emu_plugins_find_type(c->model, EMU_KIND_CPU, &err);
    if (!t) {
        ok(false, "CPU type %s: %s", c->model, err ? emu_error_message(err) : "?");
        emu_machine_free(s.m);
        free(image);
        free(expected);
        return;
    }
    s.space = emu_machine_space(s.m, "system");
    emu_region *ram = emu_region_ram(s.m, "ram", RAM_SIZE);
    emu_region *alias = emu_region_alias(s.m, "reset-alias", ram, 0, 1u << 20);
    emu_region *lines = emu_region_mmio(s.m, "lines", 4, &line_ops, &s);
    s.dev = emu_device_new(s.m, t, "cpu0", &err);
    if (emu_region_map(emu_space_root(s.space), 0, ram, 0, &err) < 0 ||
        emu_region_map(emu_space_root(s.space), 0xfff00000u, alias, 0, &err) < 0 ||
        emu_region_map(emu_space_root(s.space), 0xf0000000u, lines, 0, &err) < 0 || !s.dev ||
        emu_device_realize(s.dev, &err) < 0) {
        ok(false, "%s: machine built (%s)", c->program, err ? emu_error_message(err) : "?");
    } else {
        emu_space_write_bytes(s.space, 0, image, len < RAM_SIZE ? len : RAM_SIZE, true);
        emu_machine_invalidate_code(s.m, 0, RAM_SIZE);
        emu_device_reset(s.dev);
        run(&s, 5000000);
        char *got = log_text(&s);
        is_str(got, expected, "%s on %s: the log matches %s.expected", c->program, c->model, c->expected);
        free(got);
    }
    emu_machine_free(s.m);
    free(image);
    free(expected);
}

/* The input lines a machine file can wire (board: irq: { int: cpu0.int }, ...) */
static void check_inputs(void)
{
    static const char *const models[] = { "ppc603e", "ppc604", "ppc750" };
    static const char *const lines[] = { "int", "mcp", "tea", "sreset", "hreset" };
    for (size_t i = 0; i < 3; i++) {
        emu_error *err = NULL;
        const emu_type *t = emu_plugins_find_type(models[i], EMU_KIND_CPU, &err);
        unsigned found = 0;
        for (size_t k = 0; t && k < 5; k++)
            found += emu_type_input_index(t, lines[k]) >= 0;
        is_u64(found, 5, "%s declares the input lines int, mcp, tea, sreset and hreset", models[i]);
        emu_error_free(err);
    }
}

int main(void)
{
    const char *builddir = getenv("EMU_BUILDDIR"), *srcdir = getenv("EMU_SRCDIR");
    if (!builddir || !srcdir) {
        printf("1..0 # SKIP EMU_BUILDDIR and EMU_SRCDIR are not set\n");
        return 0;
    }
    check_inputs();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i], builddir, srcdir);
    return tap_done();
}
