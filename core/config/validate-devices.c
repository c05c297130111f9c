/* Validating `cpus:`, `devices:` and `board:`: types, properties, region maps and line wiring. */
#include <stdlib.h>
#include <string.h>
#include "config/check.h"
#include "config/validate.h"
#include "object.h"
#include "plugins.h"

static const char *const device_keys[] = { "type", "map", "irq", "props", "size", "log", NULL };
static const char *const board_keys[] = { "type", "props", NULL };

/* The document entry behind each plan device, for the second pass. */
typedef struct entry {
    const mf_node *node;
    char *what;                  /* "cpu 'cpu0'", "device 'com1'", "board" */
} entry;

/* The plan number of cpu or device `id`: the plan holds the entries of cpus: then those of
   devices:, in the order of their maps, so the maps' indexes find them. */
static int find_device(const mf_vctx *v, const char *id, size_t len)
{
    const mf_node *cpus = mf_map_get(v->doc, "cpus"), *devices = mf_map_get(v->doc, "devices");
    size_t ncpus = cpus && cpus->kind == MF_MAP ? cpus->npairs : 0;
    const mf_pair *p = mf_map_find_len(cpus, id, len);
    size_t i;
    if (p)
        i = (size_t)(p - cpus->pairs);
    else if ((p = mf_map_find_len(devices, id, len)))
        i = ncpus + (size_t)(p - devices->pairs);
    else
        return -1;
    return i < v->plan->ndevices ? (int)i : -1;
}

static char *device_ids(const mf_plan *p)
{
    char *s = NULL;
    size_t count = 0;
    for (size_t i = 0; i < p->ndevices; i++)
        mf_list_add(&s, &count, p->devices[i].id, strlen(p->devices[i].id));
    return s ? s : emu_xstrdup("");
}

static char *line_names(const emu_line_desc *l)
{
    char *s = emu_xstrdup("");
    for (size_t i = 0; l && l[i].name; i++) {
        unsigned n = l[i].count ? l[i].count : 1;
        char *t = n > 1 ? emu_asprintf("%s%s%s[0..%u]", s, i ? ", " : "", l[i].name, n - 1)
                        : emu_asprintf("%s%s%s", s, i ? ", " : "", l[i].name);
        free(s);
        s = t;
    }
    return s;
}

/* Type lookup and the first checks of one entry: name, uniqueness, keys. */
static int add_entry(mf_vctx *v, const mf_pair *e, emu_kind kind, entry *ent)
{
    const char *kname = kind == EMU_KIND_CPU ? "cpu" : "device";
    if (mf_check_name(e->key, &e->key_pos, kname, v->err) < 0)
        return -1;
    if (!strcmp(e->key, "board"))
        return mf_error(v->err, &e->key_pos, "the id 'board' is reserved for the machine's board");
    if (!strcmp(e->key, EMU_MACHINE_ID))
        return mf_error(v->err, &e->key_pos, "the id '%s' is reserved for the machine's own "
                        "inputs (machine.reset, machine.poweroff)", EMU_MACHINE_ID);
    int dup = find_device(v, e->key, strlen(e->key));
    if (dup >= 0) {
        char *first = mf_pos_text(&v->plan->devices[dup].pos);
        mf_error(v->err, &e->key_pos, "duplicate id '%s' (first at %s; ids are unique across "
                 "cpus and devices)", e->key, first);
        free(first);
        return -1;
    }
    char *what = emu_asprintf("%s '%s'", kname, e->key);
    const mf_node *type = NULL;
    int rc = -1;
    if (mf_expect_map(e->value, what, v->err) < 0 || mf_check_keys(e->value, device_keys, what, v->err) < 0)
        goto fail;
    if (!(type = mf_map_get(e->value, "type"))) {
        mf_error(v->err, &e->value->pos, "%s: missing required key 'type' (see emu --list-plugins)",
                 what);
        goto fail;
    }
    if (mf_expect_scalar(type, what, v->err) < 0)
        goto fail;
    emu_error *te = NULL;
    const emu_type *t = emu_plugins_find_type(type->text, kind, &te);
    if (!t) {
        mf_error(v->err, &type->pos, "%s: %s", what, emu_error_message(te));
        emu_error_free(te);
        goto fail;
    }
    mf_device_plan d = { .id = e->key, .type = t, .pos = e->key_pos };
    EMU_PUSH(v->plan->devices, v->plan->ndevices, v->plan->devices_cap, d);
    ent->node = e->value;
    ent->what = what;
    return 0;
fail:
    free(what);
    return rc;
}

/* ---- properties ---- */

static int check_reference(mf_vctx *v, const mf_device_plan *d, const emu_prop_desc *p,
                           const mf_node *value, const char *what)
{
    mf_plan *pl = v->plan;
    const char *name = value->text;
    if (p->type == EMU_PROP_LINK) {
        int t = find_device(v, name, strlen(name));
        if (t < 0) {
            char *ids = device_ids(pl);
            mf_error(v->err, &value->pos, "%s: property '%s': no cpu or device '%s' (ids: %s)",
                     what, p->name, name, ids);
            free(ids);
            return -1;
        }
        if (p->link_type && strcmp(pl->devices[t].type->name, p->link_type))
            return mf_error(v->err, &value->pos, "%s: property '%s': '%s' is a %s, expected a %s",
                            what, p->name, name, pl->devices[t].type->name, p->link_type);
        return 0;
    }
    /* The plan holds the entries of chardevs: and blockdevs: in the order of their maps. */
    bool chardev = p->type == EMU_PROP_CHARDEV;
    const mf_node *section = mf_map_get(v->doc, chardev ? "chardevs" : "blockdevs");
    const mf_pair *e = mf_map_find(section, name);
    if (!e) {
        char *names = mf_map_keys(section);
        mf_error(v->err, &value->pos, "%s: property '%s': no %s '%s' (%s%s%s)", what, p->name,
                 chardev ? "chardev" : "blockdev", name, *names ? "declared: " : "declare it under ",
                 *names ? names : chardev ? "chardevs:" : "blockdevs:",
                 chardev ? "; the null chardev is written 'null' in quotes, a bare null deletes" : "");
        free(names);
        return -1;
    }
    size_t i = (size_t)(e - section->pairs);
    const char **used_by = chardev ? &pl->chardevs[i].used_by : &pl->blockdevs[i].used_by;
    mf_pos *used_at = chardev ? &pl->chardevs[i].used_at : &pl->blockdevs[i].used_at;
    /* A chardev or blockdev serves one device: two UARTs reading one terminal, or two disk
       controllers writing one image, would corrupt each other's data. */
    if (*used_by) {
        char *first = mf_pos_text(used_at);
        mf_error(v->err, &value->pos, "%s: property '%s': %s '%s' is already used by '%s' (at "
                 "%s); declare one for each device", what, p->name, chardev ? "chardev" : "blockdev",
                 name, *used_by, first);
        free(first);
        return -1;
    }
    *used_by = d->id;
    *used_at = value->pos;
    return 0;
}

static int add_prop(mf_vctx *v, mf_device_plan *d, const char *what, const char *name,
                    const mf_pos *key_pos, const mf_node *value)
{
    const emu_prop_desc *p = emu_type_prop(d->type, name);
    if (!p) {
        char *names = emu_type_prop_names(d->type);
        if (*names)
            mf_error(v->err, key_pos, "%s: type '%s' has no property '%s' (valid: %s)", what,
                     d->type->name, name, names);
        else
            mf_error(v->err, key_pos, "%s: type '%s' has no properties (got '%s')", what,
                     d->type->name, name);
        free(names);
        return -1;
    }
    for (size_t i = 0; i < d->nprops; i++) {
        if (strcmp(d->props[i].name, name))
            continue;
        char *first = mf_pos_text(&d->props[i].pos);
        mf_error(v->err, key_pos, "%s: property '%s' is set twice (first at %s)", what, name, first);
        free(first);
        return -1;
    }
    if (value->kind != MF_SCALAR)
        return mf_error(v->err, &value->pos, "%s: property '%s': expected a single value (%s), "
                        "not %s", what, name, emu_prop_type_name(p->type), mf_kind_name(value->kind));
    emu_error *pe = NULL;
    if (emu_prop_check(p, value->text, &pe) < 0) {
        mf_error(v->err, &value->pos, "%s: %s", what, emu_error_message(pe));
        emu_error_free(pe);
        return -1;
    }
    if ((p->type == EMU_PROP_LINK || p->type == EMU_PROP_CHARDEV || p->type == EMU_PROP_BLOCK) &&
        check_reference(v, d, p, value, what) < 0)
        return -1;
    mf_prop_plan pp = { p->name, value->text, value->pos };
    EMU_PUSH(d->props, d->nprops, d->props_cap, pp);
    return 0;
}

static int check_props(mf_vctx *v, mf_device_plan *d, const mf_node *node, const char *what)
{
    static const char *const shorthands[] = { "size", "log" };
    for (size_t i = 0; i < EMU_ARRAY_SIZE(shorthands); i++) {
        mf_pair *s = mf_map_find(node, shorthands[i]);
        if (s && add_prop(v, d, what, s->key, &s->key_pos, s->value) < 0)
            return -1;
    }
    const mf_node *props = mf_map_get(node, "props");
    if (props) {
        char *pwhat = emu_asprintf("%s: props", what);
        int rc = mf_expect_map(props, pwhat, v->err);
        free(pwhat);
        if (rc < 0)
            return -1;
        for (size_t i = 0; i < props->npairs; i++) {
            const mf_pair *p = &props->pairs[i];
            if (add_prop(v, d, what, p->key, &p->key_pos, p->value) < 0)
                return -1;
        }
    }
    for (const emu_prop_desc *p = d->type->props; p && p->name; p++) {
        if (!(p->flags & EMU_PROP_REQUIRED))
            continue;
        bool set = false;
        for (size_t i = 0; i < d->nprops && !set; i++)
            set = !strcmp(d->props[i].name, p->name);
        if (!set)
            return mf_error(v->err, &node->pos, "%s: required property '%s' is not set (%s: %s)",
                            what, p->name, emu_prop_type_name(p->type), p->doc ? p->doc : "");
    }
    return 0;
}

/* ---- regions ---- */

static int add_map(mf_vctx *v, mf_device_plan *d, const char *what, const char *region,
                   const mf_node *place)
{
    mf_region_plan r = { .region = region };
    if (mf_parse_place(place, what, &r.place, v->err) < 0)
        return -1;
    EMU_PUSH(d->maps, d->nmaps, d->maps_cap, r);
    return mf_check_place(v, &r.place, 0, what);
}

static int check_map(mf_vctx *v, mf_device_plan *d, const mf_node *map, const char *what)
{
    const emu_region_desc *regions = d->type->regions;
    if (!regions || !regions->name)
        return mf_error(v->err, &map->pos, "%s: type '%s' has no regions to map", what,
                        d->type->name);
    if (map->kind == MF_SCALAR)
        return add_map(v, d, what, regions[0].name, map);
    if (map->kind != MF_MAP)
        return mf_error(v->err, &map->pos, "%s: map: expected SPACE@ADDRESS or a map of REGION: "
                        "SPACE@ADDRESS, not %s", what, mf_kind_name(map->kind));
    for (size_t i = 0; i < map->npairs; i++) {
        const mf_pair *p = &map->pairs[i];
        int r = emu_type_region_index(d->type, p->key);
        if (r < 0) {
            char *names = emu_xstrdup("");
            for (size_t k = 0; regions[k].name; k++) {
                char *t = emu_asprintf("%s%s%s", names, k ? ", " : "", regions[k].name);
                free(names);
                names = t;
            }
            mf_error(v->err, &p->key_pos, "%s: type '%s' has no region '%s' (valid: %s)", what,
                     d->type->name, p->key, names);
            free(names);
            return -1;
        }
        if (add_map(v, d, what, regions[r].name, p->value) < 0)
            return -1;
    }
    return 0;
}

/* ---- lines ---- */

/* "NAME", "NAME[N]" or (when `bare_index`) "N" into a line of table `l`.
   Returns 0, or -1 with *why saying what is wrong. */
static int parse_line_ref(const char *s, size_t len, const emu_line_desc *l, bool bare_index,
                          const char *dir, const char **name, unsigned *index, char **why)
{
    const char *br = memchr(s, '[', len);
    size_t name_len = br ? (size_t)(br - s) : len;
    const char *idx_text = NULL;
    size_t idx_len = 0;
    int line = 0;
    if (br) {
        if (!name_len || s[len - 1] != ']' || br + 1 >= s + len - 1) {
            *why = emu_asprintf("%s line '%.*s' is not NAME or NAME[INDEX]", dir, (int)len, s);
            return -1;
        }
        idx_text = br + 1;
        idx_len = (size_t)(s + len - 1 - idx_text);
    } else if (bare_index && len && s[0] >= '0' && s[0] <= '9') {
        idx_text = s;
        idx_len = len;
        name_len = 0;
    }
    if (name_len) {
        for (line = 0; l[line].name; line++)
            if (strlen(l[line].name) == name_len && !memcmp(l[line].name, s, name_len))
                break;
        if (!l[line].name) {
            char *names = line_names(l);
            *why = emu_asprintf("no %s line '%.*s' (valid: %s)", dir, (int)name_len, s, names);
            free(names);
            return -1;
        }
    }
    unsigned count = l[line].count ? l[line].count : 1;
    uint64_t idx = 0;
    if (idx_text) {
        char *t = emu_asprintf("%.*s", (int)idx_len, idx_text);
        const char *e;
        int rc = emu_parse_u64(t, false, &idx, &e);
        if (rc < 0 || idx >= count) {
            *why = rc < 0 ? emu_asprintf("index '%s': %s", t, e)
                          : emu_asprintf("%s line '%s' has %u element%s (0..%u); %s is too large",
                                         dir, l[line].name, count, count == 1 ? "" : "s",
                                         count - 1, t);
            free(t);
            return -1;
        }
        free(t);
    }
    *name = l[line].name;
    *index = (unsigned)idx;
    return 0;
}

/* "machine.reset, machine.poweroff" */
static char *machine_targets(void)
{
    char *s = emu_xstrdup("");
    for (const emu_line_desc *l = emu_machine_lines_type()->inputs; l->name; l++) {
        char *t = emu_asprintf("%s%s%s.%s", s, *s ? ", " : "", EMU_MACHINE_ID, l->name);
        free(s);
        s = t;
    }
    return s;
}

/* Add wire w of d unless the same one is already there. */
static int push_wire(mf_vctx *v, mf_device_plan *d, const char *what, const mf_wire_plan *w)
{
    const char *dst_id = w->target == MF_TARGET_MACHINE ? EMU_MACHINE_ID
                                                        : v->plan->devices[w->target].id;
    for (size_t i = 0; i < d->nwires; i++) {
        const mf_wire_plan *o = &d->wires[i];
        if (strcmp(o->out, w->out) || o->out_index != w->out_index || o->target != w->target ||
            strcmp(o->in, w->in) || o->in_index != w->in_index)
            continue;
        char *first = mf_pos_text(&o->pos);
        mf_error(v->err, &w->pos, "%s: irq: output '%s[%u]' is wired to %s.%s[%u] twice "
                 "(first at %s)", what, w->out, w->out_index, dst_id, w->in, w->in_index, first);
        free(first);
        return -1;
    }
    EMU_PUSH(d->wires, d->nwires, d->wires_cap, *w);
    return 0;
}

/* "machine.LINE": one of the machine's own inputs, named (no default line, no bare index). */
static int add_machine_wire(mf_vctx *v, mf_device_plan *d, const char *what, const char *out,
                            unsigned oi, const mf_node *target, const char *line)
{
    const emu_line_desc *inputs = emu_machine_lines_type()->inputs;
    mf_wire_plan w = { out, oi, MF_TARGET_MACHINE, NULL, 0, target->pos };
    char *why = NULL;
    if (!line) {
        char *names = line_names(inputs);
        why = emu_asprintf("name the input (valid: %s)", names);
        free(names);
    } else {
        parse_line_ref(line, strlen(line), inputs, false, "input", &w.in, &w.in_index, &why);
    }
    if (why) {
        mf_error(v->err, &target->pos, "%s: irq: %s: %s", what, EMU_MACHINE_ID, why);
        free(why);
        return -1;
    }
    return push_wire(v, d, what, &w);
}

/* One target "DEV", "DEV.N", "DEV.LINE" or "DEV.LINE[N]" of output out[oi], or
   "machine.LINE". */
static int add_wire(mf_vctx *v, mf_device_plan *d, const char *what, const char *out,
                    unsigned oi, const mf_node *target)
{
    if (target->kind != MF_SCALAR)
        return mf_error(v->err, &target->pos, "%s: irq: expected a target DEVICE.LINE, not %s",
                        what, mf_kind_name(target->kind));
    const char *t = target->text;
    const char *dot = strchr(t, '.');
    size_t id_len = dot ? (size_t)(dot - t) : strlen(t);
    if (!id_len || (dot && !dot[1]))
        return mf_error(v->err, &target->pos, "%s: irq: '%s' is not a target (expected DEVICE, "
                        "DEVICE.N, DEVICE.INPUT or DEVICE.INPUT[N], e.g. pic.4)", what, t);
    if (id_len == strlen(EMU_MACHINE_ID) && !memcmp(t, EMU_MACHINE_ID, id_len))
        return add_machine_wire(v, d, what, out, oi, target, dot ? dot + 1 : NULL);
    int dst = find_device(v, t, id_len);
    if (dst < 0) {
        char *ids = device_ids(v->plan);
        char *inputs = machine_targets();
        mf_error(v->err, &target->pos, "%s: irq: no cpu or device '%.*s' (ids: %s); the "
                 "machine's own inputs are %s", what, (int)id_len, t, ids, inputs);
        free(inputs);
        free(ids);
        return -1;
    }
    const emu_type *dt = v->plan->devices[dst].type;
    if (!dt->inputs || !dt->inputs->name)
        return mf_error(v->err, &target->pos, "%s: irq: %s '%s' has no input lines", what,
                        dt->name, v->plan->devices[dst].id);
    mf_wire_plan w = { out, oi, (size_t)dst, dt->inputs[0].name, 0, target->pos };
    char *why = NULL;
    if (dot && parse_line_ref(dot + 1, strlen(dot + 1), dt->inputs, true, "input", &w.in,
                              &w.in_index, &why) < 0) {
        mf_error(v->err, &target->pos, "%s: irq: %s '%s': %s", what, dt->name,
                 v->plan->devices[dst].id, why);
        free(why);
        return -1;
    }
    return push_wire(v, d, what, &w);
}

static int add_wires(mf_vctx *v, mf_device_plan *d, const char *what, const char *out,
                     unsigned oi, const mf_node *targets)
{
    for (size_t i = 0; i < mf_list_len(targets); i++)
        if (add_wire(v, d, what, out, oi, mf_list_item(targets, i)) < 0)
            return -1;
    return 0;
}

static int check_irq(mf_vctx *v, mf_device_plan *d, const mf_node *irq, const char *what)
{
    const emu_line_desc *outs = d->type->outputs;
    if (!outs || !outs->name)
        return mf_error(v->err, &irq->pos, "%s: type '%s' has no output lines to wire", what,
                        d->type->name);
    if (irq->kind != MF_MAP)
        return add_wires(v, d, what, outs[0].name, 0, irq);
    for (size_t i = 0; i < irq->npairs; i++) {
        const mf_pair *p = &irq->pairs[i];
        const char *out;
        unsigned oi;
        char *why = NULL;
        if (parse_line_ref(p->key, strlen(p->key), outs, false, "output", &out, &oi, &why) < 0) {
            mf_error(v->err, &p->key_pos, "%s: irq: %s", what, why);
            free(why);
            return -1;
        }
        if (add_wires(v, d, what, out, oi, p->value) < 0)
            return -1;
    }
    return 0;
}

/* ---- sections ---- */

static int collect(mf_vctx *v, const char *section, emu_kind kind, entry **ents, size_t *n,
                   size_t *cap)
{
    const mf_node *sec = mf_map_get(v->doc, section);
    if (!sec)
        return 0;
    if (mf_expect_map(sec, section, v->err) < 0)
        return -1;
    for (size_t i = 0; i < sec->npairs; i++) {
        entry e = { 0 };
        if (add_entry(v, &sec->pairs[i], kind, &e) < 0)
            return -1;
        EMU_PUSH(*ents, *n, *cap, e);
    }
    return 0;
}

static int check_board(mf_vctx *v, const mf_node *board)
{
    const mf_node *type = board, *props_owner = NULL;
    if (board->kind == MF_MAP) {
        if (mf_check_keys(board, board_keys, "board", v->err) < 0)
            return -1;
        if (!(type = mf_map_get(board, "type")))
            return mf_error(v->err, &board->pos, "board: missing required key 'type'");
        props_owner = board;
    }
    if (mf_expect_scalar(type, "board", v->err) < 0)
        return -1;
    emu_error *te = NULL;
    const emu_type *t = emu_plugins_find_type(type->text, EMU_KIND_BOARD, &te);
    if (!t) {
        mf_error(v->err, &type->pos, "board: %s", emu_error_message(te));
        emu_error_free(te);
        return -1;
    }
    v->plan->has_board = true;
    v->plan->board = (mf_device_plan){ .id = "board", .type = t, .pos = board->pos };
    mf_node empty = { .kind = MF_MAP, .pos = board->pos };
    return check_props(v, &v->plan->board, props_owner ? props_owner : &empty, "board");
}

int mf_check_devices(mf_vctx *v)
{
    entry *ents = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    if (collect(v, "cpus", EMU_KIND_CPU, &ents, &n, &cap) < 0 ||
        collect(v, "devices", EMU_KIND_DEVICE, &ents, &n, &cap) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        mf_device_plan *d = &v->plan->devices[i];
        const mf_node *map = mf_map_get(ents[i].node, "map");
        const mf_node *irq = mf_map_get(ents[i].node, "irq");
        if (check_props(v, d, ents[i].node, ents[i].what) < 0 ||
            (map && check_map(v, d, map, ents[i].what) < 0) ||
            (irq && check_irq(v, d, irq, ents[i].what) < 0))
            goto out;
    }
    const mf_node *board = mf_map_get(v->doc, "board");
    rc = board ? check_board(v, board) : 0;
out:
    for (size_t i = 0; i < n; i++)
        free(ents[i].what);
    free(ents);
    return rc;
}
