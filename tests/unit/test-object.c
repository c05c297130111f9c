/* Unit tests: the object model — properties, lifecycle order, lines with fan-out and wired-OR. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../tap.h"
#include "log.h"
#include "emu/emu.h"
#include "machine.h"
#include "object.h"

typedef struct probe {
    emu_device dev;
    int64_t count;
    uint64_t size;
    uint64_t base;
    bool fast;
    char *label;
    int mode;
    emu_device *peer;
    emu_line *out[2];
    int levels[4];
    int edges;
    int realized, resets;
} probe;

static const char *const modes[] = { "off", "slow", "fast", NULL };

static const emu_prop_desc probe_props[] = {
    EMU_PROP_INT_DEF("count", probe, count, "3", -10, 10, "a small number"),
    EMU_PROP_SIZE_DEF("size", probe, size, "4K", "a size"),
    EMU_PROP_ADDR_DEF("base", probe, base, NULL, "an address"),
    EMU_PROP_BOOL_DEF("fast", probe, fast, "false", "a flag"),
    EMU_PROP_STRING_DEF("label", probe, label, "none", "a string"),
    EMU_PROP_ENUM_DEF("mode", probe, mode, "slow", modes, "a choice"),
    EMU_PROP_LINK_DEF("peer", probe, peer, "probe", "another probe"),
    EMU_PROP_END,
};

static const emu_line_desc probe_in[] = { { "in", 4, "inputs" }, { NULL, 0, NULL } };
static const emu_line_desc probe_out[] = { { "out", 2, "outputs" }, { NULL, 0, NULL } };

static int order_counter;

static int probe_realize(emu_device *dev, emu_error **err)
{
    probe *p = (probe *)dev;
    if (p->count < 0) {
        emu_error_set(err, "count must not be negative here");
        return -1;
    }
    p->out[0] = emu_device_output(dev, "out", 0);
    p->out[1] = emu_device_output(dev, "out", 1);
    p->realized = ++order_counter;
    return 0;
}

static void probe_reset(emu_device *dev)
{
    ((probe *)dev)->resets++;
}

static void probe_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    probe *p = (probe *)dev;
    if (line == 0 && index < 4) {
        p->levels[index] = level;
        p->edges++;
    }
}

static const emu_type probe_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "probe",
    .summary = "test device", .instance_size = sizeof(probe), .props = probe_props,
    .inputs = probe_in, .outputs = probe_out, .realize = probe_realize,
    .reset = probe_reset, .set_input = probe_input,
};

static const emu_prop_desc req_props[] = {
    { "needed", EMU_PROP_INT, offsetof(probe, count), NULL, "must be set", NULL, 0, 0, NULL,
      EMU_PROP_REQUIRED },
    EMU_PROP_END,
};
static const emu_type req_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "needy",
    .instance_size = sizeof(probe), .props = req_props, .realize = probe_realize,
};

/* An inverter: its output is the opposite of its input (wired to itself it can never settle). */
static void inverter_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    emu_line_set(emu_device_output(dev, "out", 0), !level);
}

static const emu_line_desc inverter_in[] = { { "in", 1, "input" }, { NULL, 0, NULL } };
static const emu_line_desc inverter_out[] = { { "out", 1, "not input" }, { NULL, 0, NULL } };

static const emu_type inverter_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "inverter",
    .summary = "test device", .instance_size = sizeof(emu_device), .inputs = inverter_in,
    .outputs = inverter_out, .set_input = inverter_input,
};

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("test", &err);
    ok(m != NULL, "machine created");
    if (!m) {
        tap_diag("%s", emu_error_message(err));
        return tap_done();
    }

    probe *a = (probe *)emu_device_new(m, &probe_type, "a", &err);
    probe *b = (probe *)emu_device_new(m, &probe_type, "b", &err);
    probe *c = (probe *)emu_device_new(m, &probe_type, "c", &err);
    ok(a && b && c, "three instances");
    ok(emu_device_new(m, &probe_type, "a", &err) == NULL, "duplicate id refused");
    has_str(emu_error_message(err), "duplicate id 'a'", "duplicate id message");
    emu_error_free(err), err = NULL;

    /* defaults */
    is_u64(a->count, 3, "int default");
    is_u64(a->size, 4096, "size default with suffix");
    is_str(a->label, "none", "string default");
    is_u64(a->mode, 1, "enum default index");
    ok(!a->fast, "bool default");

    /* setting, and errors naming the property and the valid choices */
    ok(emu_device_set_prop(&a->dev, "count", "-7", &err) == 0 && a->count == -7, "set int");
    ok(emu_device_set_prop(&a->dev, "count", "11", &err) < 0, "int out of range refused");
    has_str(emu_error_message(err), "-10..10", "range in message");
    emu_error_free(err), err = NULL;
    ok(emu_device_set_prop(&a->dev, "size", "2M", &err) == 0 && a->size == 2u << 20, "set size");
    ok(emu_device_set_prop(&a->dev, "size", "lots", &err) < 0, "bad size refused");
    emu_error_free(err), err = NULL;
    ok(emu_device_set_prop(&a->dev, "base", "0xfff00000", &err) == 0 && a->base == 0xfff00000u, "set address");
    ok(emu_device_set_prop(&a->dev, "fast", "on", &err) == 0 && a->fast, "set bool");
    ok(emu_device_set_prop(&a->dev, "label", "hello", &err) == 0, "set string");
    is_str(a->label, "hello", "string stored");
    ok(emu_device_set_prop(&a->dev, "mode", "turbo", &err) < 0, "unknown enum value refused");
    has_str(emu_error_message(err), "valid: off, slow, fast", "enum choices listed");
    emu_error_free(err), err = NULL;
    ok(emu_device_set_prop(&a->dev, "colour", "red", &err) < 0, "unknown property refused");
    has_str(emu_error_message(err), "valid: count, size, base, fast, label, mode, peer",
            "property names listed");
    emu_error_free(err), err = NULL;
    ok(emu_device_set_prop(&a->dev, "peer", "b", &err) == 0 && a->peer == &b->dev, "link by id");
    ok(emu_device_set_prop(&a->dev, "peer", "zz", &err) < 0, "link to a missing device refused");
    emu_error_free(err), err = NULL;

    /* lines: a.out[0] fans out to b.in[0] and c.in[1]; a.out[1] and b.out[0] both drive c.in[2] */
    ok(emu_line_connect(&a->dev, "out", 0, &b->dev, "in", 0, &err) == 0, "connect a.out0 -> b.in0");
    ok(emu_line_connect(&a->dev, "out", 0, &c->dev, "in", 1, &err) == 0, "connect a.out0 -> c.in1");
    ok(emu_line_connect(&a->dev, "out", 1, &c->dev, "in", 2, &err) == 0, "connect a.out1 -> c.in2");
    ok(emu_line_connect(&b->dev, "out", 0, &c->dev, "in", 2, &err) == 0, "connect b.out0 -> c.in2");
    ok(emu_line_connect(&a->dev, "out", 2, &c->dev, "in", 0, &err) < 0, "output index out of range refused");
    emu_error_free(err), err = NULL;
    ok(emu_line_connect(&a->dev, "out", 0, &c->dev, "nope", 0, &err) < 0, "unknown input refused");
    emu_error_free(err), err = NULL;

    ok(emu_device_realize(&a->dev, &err) < 0, "realize failure propagates");
    has_str(emu_error_message(err), "probe 'a': count must not be negative", "realize error names the device");
    emu_error_free(err), err = NULL;
    emu_device_set_prop(&a->dev, "count", "1", &err);
    ok(emu_device_realize(&a->dev, &err) == 0 && emu_device_realize(&b->dev, &err) == 0 &&
       emu_device_realize(&c->dev, &err) == 0, "realize all");
    ok(a->realized < b->realized && b->realized < c->realized, "realized in order");

    emu_line_set(a->out[0], 1);
    ok(b->levels[0] == 1 && c->levels[1] == 1, "fan-out raises both inputs");
    int edges = b->edges;
    emu_line_set(a->out[0], 1);
    ok(b->edges == edges, "same level again is not an edge");
    emu_line_set(a->out[0], 0);
    ok(b->levels[0] == 0 && c->levels[1] == 0, "fan-out lowers both inputs");

    emu_line_set(a->out[1], 1);
    emu_line_set(b->out[0], 1);
    ok(c->levels[2] == 1, "wired-OR: high with two drivers");
    emu_line_set(a->out[1], 0);
    ok(c->levels[2] == 1, "wired-OR: still high while one driver is high");
    emu_line_set(b->out[0], 0);
    ok(c->levels[2] == 0, "wired-OR: low when all drivers are low");
    ok(emu_line_level(a->out[1]) == 0, "line level readable");

    /* A loop of lines that never settles is cut, not recursed into until the stack ends. */
    emu_device *inv = emu_device_new(m, &inverter_type, "inv", &err);
    ok(inv && emu_device_realize(inv, &err) == 0 &&
       emu_line_connect(inv, "out", 0, inv, "in", 0, &err) == 0, "an inverter wired to itself");
    char *logtext = NULL;
    size_t loglen = 0;
    FILE *logf = open_memstream(&logtext, &loglen);
    emu_log_set_file(logf);
    emu_line_set(emu_device_output(inv, "out", 0), 1);
    emu_line_set(emu_device_output(inv, "out", 0), 0);
    emu_log_set_file(NULL);
    fclose(logf);
    ok(1, "driving it returns");
    has_str(logtext, "inv: output line 'out' 0 keeps changing through a loop", "and the loop is reported");
    int reports = 0;
    for (const char *at = logtext; at && (at = strstr(at, "keeps changing")); at++)
        reports++;
    is_u64(reports, 1, "once");
    free(logtext);

    emu_machine_reset(m);
    ok(a->resets == 1 && b->resets == 1 && c->resets == 1, "machine reset reaches every device");

    probe *n = (probe *)emu_device_new(m, &req_type, "n", &err);
    ok(n && emu_device_realize(&n->dev, &err) < 0, "missing required property refused");
    has_str(emu_error_message(err), "required property 'needed'", "required property named");
    emu_error_free(err), err = NULL;

    emu_machine_free(m);
    return tap_done();
}
