/* The object model: instances of plugin types, their properties, regions and lines, and lifecycle. */
#include <stdlib.h>
#include <string.h>
#include "emu/memory.h"
#include "emu/line.h"
#include "backends/backends.h"
#include "memory/memory-internal.h"
#include "object.h"

typedef struct named_region {
    char *name;
    emu_region *region;
} named_region;

/* One input element of a device: how many connected drivers are high. */
typedef struct line_input {
    emu_device *dev;
    unsigned line, index;
    unsigned high;
    int level;
} line_input;

struct emu_line {
    emu_device *owner;
    unsigned line, index;
    int level;
    bool loop_reported;           /* the "loop of lines" error was logged */
    line_input **sinks;
    size_t nsinks, sinks_cap;
};

typedef struct devpriv {
    bool realized;
    bool *prop_set;               /* per property: value given explicitly */
    named_region *regions;
    size_t nregions, regions_cap;
    emu_line **outputs;           /* per output table entry: array of `count` lines */
    line_input **inputs;          /* per input table entry: array of `count` */
} devpriv;

static devpriv *priv(const emu_device *dev)
{
    return dev->core_private;
}

const char *emu_kind_name(emu_kind k)
{
    switch (k) {
    case EMU_KIND_DEVICE: return "device";
    case EMU_KIND_CPU: return "cpu";
    case EMU_KIND_BOARD: return "board";
    case EMU_KIND_FRONTEND: return "frontend";
    case EMU_KIND_ABI: return "abi";
    }
    return "unknown";
}

const char *emu_prop_type_name(emu_prop_type t)
{
    switch (t) {
    case EMU_PROP_INT: return "int";
    case EMU_PROP_SIZE: return "size";
    case EMU_PROP_ADDR: return "address";
    case EMU_PROP_BOOL: return "bool";
    case EMU_PROP_STRING: return "string";
    case EMU_PROP_ENUM: return "enum";
    case EMU_PROP_LINK: return "link";
    case EMU_PROP_CHARDEV: return "chardev";
    case EMU_PROP_BLOCK: return "block";
    }
    return "?";
}

static size_t table_len_props(const emu_prop_desc *p)
{
    size_t n = 0;
    while (p && p[n].name)
        n++;
    return n;
}

static size_t table_len_lines(const emu_line_desc *l)
{
    size_t n = 0;
    while (l && l[n].name)
        n++;
    return n;
}

const emu_prop_desc *emu_type_prop(const emu_type *type, const char *name)
{
    for (const emu_prop_desc *p = type->props; p && p->name; p++)
        if (!strcmp(p->name, name))
            return p;
    return NULL;
}

int emu_type_region_index(const emu_type *type, const char *name)
{
    for (int i = 0; type->regions && type->regions[i].name; i++)
        if (!strcmp(type->regions[i].name, name))
            return i;
    return -1;
}

static int line_index(const emu_line_desc *l, const char *name)
{
    for (int i = 0; l && l[i].name; i++)
        if (!strcmp(l[i].name, name))
            return i;
    return -1;
}

int emu_type_input_index(const emu_type *type, const char *name)
{
    return line_index(type->inputs, name);
}

int emu_type_output_index(const emu_type *type, const char *name)
{
    return line_index(type->outputs, name);
}

char *emu_type_prop_names(const emu_type *type)
{
    char *s = emu_xstrdup("");
    for (const emu_prop_desc *p = type->props; p && p->name; p++) {
        char *n = emu_asprintf("%s%s%s", s, *s ? ", " : "", p->name);
        free(s);
        s = n;
    }
    return s;
}

static char *choice_list(const char *const *choices)
{
    char *s = emu_xstrdup("");
    for (size_t i = 0; choices && choices[i]; i++) {
        char *n = emu_asprintf("%s%s%s", s, i ? ", " : "", choices[i]);
        free(s);
        s = n;
    }
    return s;
}

static void *field(emu_device *dev, const emu_prop_desc *p)
{
    return (char *)dev + p->offset;
}

static int check_range(const emu_prop_desc *p, int64_t v, bool is_unsigned, uint64_t uv, emu_error **err)
{
    if (p->min >= p->max)
        return 0;
    bool bad = is_unsigned ? (uv > (uint64_t)p->max || (p->min > 0 && uv < (uint64_t)p->min))
                           : (v < p->min || v > p->max);
    if (bad) {
        emu_error_set(err, "property '%s': value out of range (expected %lld..%lld)", p->name,
                      (long long)p->min, (long long)p->max);
        return -1;
    }
    return 0;
}

/* A scalar property value parsed from text, before it is stored. */
typedef union prop_value {
    int64_t i;
    uint64_t u;
    bool b;
    int choice;
} prop_value;

/* Parse and range-check `text` for property p.  LINK, CHARDEV and BLOCK
   values are names looked up in a machine later; here they only have to
   be non-empty.  Shared by set_prop and emu_prop_check. */
static int parse_prop(const emu_prop_desc *p, const char *text, prop_value *v, emu_error **err)
{
    const char *why = NULL;
    switch (p->type) {
    case EMU_PROP_INT:
        if (emu_parse_i64(text, &v->i, &why) < 0)
            goto bad_number;
        return check_range(p, v->i, false, 0, err);
    case EMU_PROP_SIZE:
    case EMU_PROP_ADDR:
        if (emu_parse_u64(text, p->type == EMU_PROP_SIZE, &v->u, &why) < 0)
            goto bad_number;
        return check_range(p, 0, true, v->u, err);
    case EMU_PROP_BOOL:
        if (emu_parse_bool(text, &v->b) < 0) {
            emu_error_set(err, "property '%s': '%s' is not a boolean (expected true or false)",
                          p->name, text);
            return -1;
        }
        return 0;
    case EMU_PROP_STRING:
        return 0;
    case EMU_PROP_ENUM:
        for (int i = 0; p->choices && p->choices[i]; i++) {
            if (!strcmp(p->choices[i], text)) {
                v->choice = i;
                return 0;
            }
        }
        {
            char *c = choice_list(p->choices);
            emu_error_set(err, "property '%s': unknown value '%s' (valid: %s)", p->name, text, c);
            free(c);
        }
        return -1;
    case EMU_PROP_LINK:
    case EMU_PROP_CHARDEV:
    case EMU_PROP_BLOCK:
        if (!*text) {
            emu_error_set(err, "property '%s': empty name (expected the name of a %s)", p->name,
                          p->type == EMU_PROP_LINK ? "device" : p->type == EMU_PROP_CHARDEV
                          ? "chardev" : "block device");
            return -1;
        }
        return 0;
    }
    emu_error_set(err, "property '%s': bad property type in plugin", p->name);
    return -1;
bad_number:
    emu_error_set(err, "property '%s': '%s': %s", p->name, text, why);
    return -1;
}

int emu_prop_check(const emu_prop_desc *p, const char *text, emu_error **err)
{
    prop_value v;
    return parse_prop(p, text, &v, err);
}

/* Parse `text` into the storage of property p. */
static int set_prop(emu_device *dev, const emu_prop_desc *p, const char *text, emu_error **err)
{
    prop_value v;
    if (parse_prop(p, text, &v, err) < 0)
        return -1;
    void *f = field(dev, p);
    switch (p->type) {
    case EMU_PROP_INT:
        *(int64_t *)f = v.i;
        return 0;
    case EMU_PROP_SIZE:
    case EMU_PROP_ADDR:
        *(uint64_t *)f = v.u;
        return 0;
    case EMU_PROP_BOOL:
        *(bool *)f = v.b;
        return 0;
    case EMU_PROP_STRING:
        free(*(char **)f);
        *(char **)f = emu_xstrdup(text);
        return 0;
    case EMU_PROP_ENUM:
        *(int *)f = v.choice;
        return 0;
    case EMU_PROP_LINK: {
        emu_device *target = emu_machine_device(dev->machine, text);
        if (!target) {
            emu_error_set(err, "property '%s': no device '%s' in this machine", p->name, text);
            return -1;
        }
        if (p->link_type && strcmp(target->type->name, p->link_type)) {
            emu_error_set(err, "property '%s': device '%s' is a %s, expected a %s", p->name, text,
                          target->type->name, p->link_type);
            return -1;
        }
        *(emu_device **)f = target;
        return 0;
    }
    case EMU_PROP_CHARDEV: {
        emu_chardev *c = emu_backends_chardev(dev->machine, text);
        if (!c) {
            emu_error_set(err, "property '%s': no chardev '%s' (declare it under chardevs:)",
                          p->name, text);
            return -1;
        }
        *(emu_chardev **)f = c;
        return 0;
    }
    case EMU_PROP_BLOCK: {
        emu_blockdev *b = emu_backends_blockdev(dev->machine, text);
        if (!b) {
            emu_error_set(err, "property '%s': no block device '%s' (declare it under blockdevs:)",
                          p->name, text);
            return -1;
        }
        *(emu_blockdev **)f = b;
        return 0;
    }
    }
    return -1;
}

char *emu_device_prop_text(emu_device *dev, const emu_prop_desc *p)
{
    void *f = field(dev, p);
    switch (p->type) {
    case EMU_PROP_INT: return emu_asprintf("%lld", (long long)*(int64_t *)f);
    case EMU_PROP_SIZE: return emu_asprintf("%llu", (unsigned long long)*(uint64_t *)f);
    case EMU_PROP_ADDR: return emu_asprintf("0x%llx", (unsigned long long)*(uint64_t *)f);
    case EMU_PROP_BOOL: return emu_xstrdup(*(bool *)f ? "true" : "false");
    case EMU_PROP_STRING: return emu_xstrdup(*(char **)f ? *(char **)f : "");
    case EMU_PROP_ENUM: return emu_xstrdup(p->choices ? p->choices[*(int *)f] : "?");
    case EMU_PROP_LINK: return emu_xstrdup(*(emu_device **)f ? (*(emu_device **)f)->id : "");
    case EMU_PROP_CHARDEV:
        return emu_xstrdup(*(emu_chardev **)f ? emu_chardev_name(*(emu_chardev **)f) : "");
    case EMU_PROP_BLOCK:
        return emu_xstrdup(*(emu_blockdev **)f ? emu_block_name(*(emu_blockdev **)f) : "");
    }
    return emu_xstrdup("?");
}

emu_device *emu_device_new(emu_machine *m, const emu_type *type, const char *id, emu_error **err)
{
    if (emu_machine_device(m, id)) {
        emu_error_set(err, "duplicate id '%s'", id);
        return NULL;
    }
    if (type->instance_size < sizeof(emu_device)) {
        emu_error_set(err, "type '%s': instance size %zu is smaller than emu_device", type->name,
                      type->instance_size);
        return NULL;
    }
    emu_device *dev = emu_xcalloc(1, type->instance_size);
    devpriv *pv = emu_xcalloc(1, sizeof *pv);
    dev->type = type;
    dev->machine = m;
    dev->id = emu_xstrdup(id);
    dev->core_private = pv;
    pv->prop_set = emu_xcalloc(table_len_props(type->props) + 1, sizeof(bool));

    size_t nout = table_len_lines(type->outputs);
    pv->outputs = emu_xcalloc(nout + 1, sizeof *pv->outputs);
    for (size_t i = 0; i < nout; i++) {
        unsigned cnt = type->outputs[i].count ? type->outputs[i].count : 1;
        pv->outputs[i] = emu_xcalloc(cnt, sizeof(emu_line));
        for (unsigned j = 0; j < cnt; j++) {
            pv->outputs[i][j].owner = dev;
            pv->outputs[i][j].line = (unsigned)i;
            pv->outputs[i][j].index = j;
        }
    }
    size_t nin = table_len_lines(type->inputs);
    pv->inputs = emu_xcalloc(nin + 1, sizeof *pv->inputs);
    for (size_t i = 0; i < nin; i++) {
        unsigned cnt = type->inputs[i].count ? type->inputs[i].count : 1;
        pv->inputs[i] = emu_xcalloc(cnt, sizeof(line_input));
        for (unsigned j = 0; j < cnt; j++) {
            pv->inputs[i][j].dev = dev;
            pv->inputs[i][j].line = (unsigned)i;
            pv->inputs[i][j].index = j;
        }
    }

    /* Defaults first, so init sees and may override them. */
    for (const emu_prop_desc *p = type->props; p && p->name; p++) {
        if (p->defval && set_prop(dev, p, p->defval, err) < 0) {
            emu_error_prefix(err, "type '%s': bad default", type->name);
            emu_device_free(dev);
            return NULL;
        }
    }
    if (type->init && type->init(dev, err) < 0) {
        emu_device_free(dev);
        return NULL;
    }
    EMU_PUSH(m->devices, m->ndevices, m->devices_cap, dev);
    return dev;
}

int emu_device_set_prop(emu_device *dev, const char *name, const char *text, emu_error **err)
{
    const emu_prop_desc *p = emu_type_prop(dev->type, name);
    if (!p) {
        char *names = emu_type_prop_names(dev->type);
        if (*names)
            emu_error_set(err, "type '%s' has no property '%s' (valid: %s)", dev->type->name, name, names);
        else
            emu_error_set(err, "type '%s' has no properties (got '%s')", dev->type->name, name);
        free(names);
        return -1;
    }
    if (set_prop(dev, p, text, err) < 0)
        return -1;
    priv(dev)->prop_set[p - dev->type->props] = true;
    return 0;
}

int emu_device_realize(emu_device *dev, emu_error **err)
{
    devpriv *pv = priv(dev);
    for (const emu_prop_desc *p = dev->type->props; p && p->name; p++) {
        if ((p->flags & EMU_PROP_REQUIRED) && !pv->prop_set[p - dev->type->props]) {
            emu_error_set(err, "%s '%s': required property '%s' is not set (%s)", dev->type->name,
                          dev->id, p->name, p->doc ? p->doc : emu_prop_type_name(p->type));
            return -1;
        }
    }
    if (dev->type->realize && dev->type->realize(dev, err) < 0) {
        if (err && !*err)
            emu_error_set(err, "realize failed without a message");
        emu_error_prefix(err, "%s '%s'", dev->type->name, dev->id);
        return -1;
    }
    pv->realized = true;
    return 0;
}

bool emu_device_is_realized(const emu_device *dev)
{
    return priv(dev)->realized;
}

void emu_device_reset(emu_device *dev)
{
    if (dev->type->reset)
        dev->type->reset(dev);
}

void emu_device_free(emu_device *dev)
{
    if (!dev)
        return;
    devpriv *pv = priv(dev);
    if (dev->type->destroy)
        dev->type->destroy(dev);
    for (const emu_prop_desc *p = dev->type->props; p && p->name; p++)
        if (p->type == EMU_PROP_STRING)
            free(*(char **)field(dev, p));
    for (size_t i = 0; i < pv->nregions; i++)
        free(pv->regions[i].name);
    free(pv->regions);
    size_t nout = table_len_lines(dev->type->outputs);
    for (size_t i = 0; i < nout; i++) {
        unsigned cnt = dev->type->outputs[i].count ? dev->type->outputs[i].count : 1;
        for (unsigned j = 0; j < cnt; j++)
            free(pv->outputs[i][j].sinks);
        free(pv->outputs[i]);
    }
    free(pv->outputs);
    size_t nin = table_len_lines(dev->type->inputs);
    for (size_t i = 0; i < nin; i++)
        free(pv->inputs[i]);
    free(pv->inputs);
    free(pv->prop_set);
    free(pv);
    free((char *)dev->id);
    free(dev);
}

/* ---- regions ---- */

static emu_region *add_region(emu_device *dev, const char *name, emu_region *r)
{
    devpriv *pv = priv(dev);
    named_region nr = { emu_xstrdup(name), r };
    EMU_PUSH(pv->regions, pv->nregions, pv->regions_cap, nr);
    return r;
}

static char *region_full_name(emu_device *dev, const char *name)
{
    return emu_asprintf("%s.%s", dev->id, name);
}

emu_region *emu_device_mmio(emu_device *dev, const char *name, uint64_t size,
                            const emu_mmio_ops *ops, void *opaque)
{
    char *full = region_full_name(dev, name);
    emu_region *r = emu_region_mmio(dev->machine, full, size, ops, opaque ? opaque : dev);
    free(full);
    if (!r)
        return NULL;
    add_region(dev, name, r);
    emu_region_set_owner(r, dev, priv(dev)->regions[priv(dev)->nregions - 1].name);
    return r;
}

emu_region *emu_device_ram(emu_device *dev, const char *name, uint64_t size)
{
    char *full = region_full_name(dev, name);
    emu_region *r = emu_region_ram(dev->machine, full, size);
    free(full);
    return r ? add_region(dev, name, r) : NULL;
}

emu_region *emu_device_region(emu_device *dev, const char *name)
{
    devpriv *pv = priv(dev);
    for (size_t i = 0; i < pv->nregions; i++)
        if (!strcmp(pv->regions[i].name, name))
            return pv->regions[i].region;
    return NULL;
}

size_t emu_device_region_count(emu_device *dev)
{
    return priv(dev)->nregions;
}

emu_region *emu_device_region_at(emu_device *dev, size_t i, const char **name)
{
    devpriv *pv = priv(dev);
    if (i >= pv->nregions)
        return NULL;
    if (name)
        *name = pv->regions[i].name;
    return pv->regions[i].region;
}

/* ---- lines ---- */

emu_line *emu_device_output(emu_device *dev, const char *name, unsigned index)
{
    int i = emu_type_output_index(dev->type, name);
    if (i < 0)
        return NULL;
    unsigned cnt = dev->type->outputs[i].count ? dev->type->outputs[i].count : 1;
    if (index >= cnt)
        return NULL;
    return &priv(dev)->outputs[i][index];
}

static void input_update(line_input *in, int delta)
{
    in->high = (unsigned)((int)in->high + delta);
    int level = in->high > 0;
    if (level == in->level)
        return;
    in->level = level;
    emu_device *dev = in->dev;
    emu_machine *m = dev->machine;
    if (m->line_observer)
        m->line_observer(m->line_observer_opaque, dev, dev->type->inputs[in->line].name, in->index, level);
    if (dev->type->set_input)
        dev->type->set_input(dev, in->line, in->index, level);
}

/* A device's set_input may drive lines in turn.  Devices wired in a loop that
   inverts (A's output feeds B, whose output flips A's input) would recurse
   without end: changes nested deeper than this are dropped and logged once. */
#define MAX_LINE_NESTING 64
static _Thread_local unsigned line_nesting;

void emu_line_set(emu_line *line, int level)
{
    if (!line)
        return;
    level = level != 0;
    if (level == line->level)
        return;
    if (line_nesting >= MAX_LINE_NESTING) {
        if (!line->loop_reported)
            emu_log(line->owner, EMU_LOG_ERROR, "output line '%s' %u keeps changing through a loop "
                    "of connected lines (%u nested changes); the change is dropped",
                    line->owner->type->outputs[line->line].name, line->index, line_nesting);
        line->loop_reported = true;
        return;
    }
    line->level = level;
    line_nesting++;
    for (size_t i = 0; i < line->nsinks; i++)
        input_update(line->sinks[i], level ? 1 : -1);
    line_nesting--;
}

int emu_line_level(const emu_line *line)
{
    return line ? line->level : 0;
}

int emu_line_connect(emu_device *src, const char *out, unsigned oi,
                     emu_device *dst, const char *in, unsigned ii, emu_error **err)
{
    int o = emu_type_output_index(src->type, out);
    if (o < 0) {
        emu_error_set(err, "%s '%s' has no output line '%s'", src->type->name, src->id, out);
        return -1;
    }
    unsigned ocnt = src->type->outputs[o].count ? src->type->outputs[o].count : 1;
    if (oi >= ocnt) {
        emu_error_set(err, "output '%s' of '%s' has %u lines (index %u is too large)", out, src->id, ocnt, oi);
        return -1;
    }
    int i = emu_type_input_index(dst->type, in);
    if (i < 0) {
        emu_error_set(err, "%s '%s' has no input line '%s'", dst->type->name, dst->id, in);
        return -1;
    }
    unsigned icnt = dst->type->inputs[i].count ? dst->type->inputs[i].count : 1;
    if (ii >= icnt) {
        emu_error_set(err, "input '%s' of '%s' has %u lines (index %u is too large)", in, dst->id, icnt, ii);
        return -1;
    }
    emu_line *line = &priv(src)->outputs[o][oi];
    line_input *sink = &priv(dst)->inputs[i][ii];
    for (size_t k = 0; k < line->nsinks; k++)
        if (line->sinks[k] == sink)
            return 0;
    EMU_PUSH(line->sinks, line->nsinks, line->sinks_cap, sink);
    if (line->level)
        input_update(sink, 1);
    return 0;
}
