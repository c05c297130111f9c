/* Composing the document of a machine: format version, includes, merge rules, --set overrides. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "config/compose.h"
#include "config/yaml-read.h"

#define MF_FORMAT_VERSION 1u

/* A file being read: includes form a chain from the machine file down. */
typedef struct chain_link {
    char *real;                  /* real path, to recognise a cycle */
    const char *name;            /* as displayed */
} chain_link;

typedef struct composer {
    mf_strings *pool;
    mf_budget budget;
    unsigned files;
    chain_link *chain;           /* outermost first */
    size_t nchain, chain_cap;
    emu_error **err;
} composer;

/* Remove null map values (they only delete inherited entries). */
static mf_node *strip_nulls(mf_node *n)
{
    if (n->kind == MF_MAP) {
        for (size_t i = 0; i < n->npairs; i++) {
            if (n->pairs[i].value->kind == MF_NULL) {
                mf_node_free(n->pairs[i].value);
                n->pairs[i].value = NULL;
            } else {
                strip_nulls(n->pairs[i].value);
            }
        }
        mf_map_compact(n);
    } else if (n->kind == MF_SEQ) {
        for (size_t i = 0; i < n->nitems; i++)
            strip_nulls(n->items[i]);
    }
    return n;
}

/* `over` merged over `base` (either may be consumed). */
static mf_node *merge(mf_node *base, mf_node *over)
{
    if (!base)
        return strip_nulls(over);
    if (base->kind != MF_MAP || over->kind != MF_MAP) {
        mf_node_free(base);
        return strip_nulls(over);
    }
    /* Deleted entries are emptied (NULL) first and removed in one pass at the end. */
    for (size_t i = 0; i < over->npairs; i++) {
        mf_pair *o = &over->pairs[i];
        mf_pair *b = mf_map_find(base, o->key);
        if (o->value->kind == MF_NULL) {
            if (b) {
                mf_node_free(b->value);
                b->value = NULL;
            }
            continue;
        }
        if (b) {
            b->value = merge(b->value, o->value);
            b->key_pos = o->key_pos;
        } else {
            mf_map_add(base, o->key, o->key_pos, strip_nulls(o->value));
        }
        o->value = NULL;             /* now owned by base */
    }
    mf_map_compact(base);
    mf_node_free(over);
    return base;
}

static int check_version(composer *c, const mf_node *root)
{
    mf_pair *v = mf_map_find(root, "emu-machine");
    if (!v)
        return mf_error(c->err, &root->pos, "missing 'emu-machine: %u' (the format version this "
                        "file is written in)", MF_FORMAT_VERSION);
    uint64_t n;
    const char *why;
    if (v->value->kind != MF_SCALAR || emu_parse_u64(v->value->text, false, &n, &why) < 0)
        return mf_error(c->err, &v->value->pos, "emu-machine: expected the format version "
                        "number %u", MF_FORMAT_VERSION);
    if (n > MF_FORMAT_VERSION)
        return mf_error(c->err, &v->value->pos, "format version %s is newer than this emu "
                        "supports (%u)", v->value->text, MF_FORMAT_VERSION);
    if (n < 1)
        return mf_error(c->err, &v->value->pos, "format version %s does not exist (this emu "
                        "reads version %u)", v->value->text, MF_FORMAT_VERSION);
    return 0;
}

static mf_node *read_file(composer *c, const char *file, const mf_pos *from);

/* The merged contents of the files `inc` names, in order. */
static int read_includes(composer *c, const char *file, const mf_node *inc, mf_node **base)
{
    const mf_node *const *items = (const mf_node *const *)&inc;
    size_t n = 1;
    if (inc->kind == MF_SEQ) {
        items = (const mf_node *const *)inc->items;
        n = inc->nitems;
    }
    for (size_t i = 0; i < n; i++) {
        const mf_node *it = items[i];
        if (it->kind != MF_SCALAR || !*it->text)
            return mf_error(c->err, &it->pos, "include: expected a file name, not %s",
                            it->kind == MF_SCALAR ? "an empty string" : mf_kind_name(it->kind));
        if (strstr(it->text, "${"))
            return mf_error(c->err, &it->pos, "include: '%s': variables cannot be used in include "
                            "paths (files are included before variables are known)", it->text);
        char *path = mf_resolve_path(file, it->text);
        mf_node *doc = read_file(c, mf_intern(c->pool, path), &it->pos);
        free(path);
        if (!doc)
            return -1;
        *base = merge(*base, doc);
    }
    return 0;
}

static int enter(composer *c, const char *file, const mf_pos *from)
{
    if (++c->files > MF_MAX_FILES)
        return mf_error(c->err, from, "more than %u files included", MF_MAX_FILES);
    char real[PATH_MAX];
    /* A file that cannot be resolved cannot be open either; reading reports it. */
    const char *key = realpath(file, real) ? real : file;
    for (size_t i = 0; i < c->nchain; i++) {
        if (strcmp(c->chain[i].real, key))
            continue;
        char *cycle = emu_xstrdup("");
        for (size_t j = i; j < c->nchain; j++) {
            char *t = emu_asprintf("%s%s -> ", cycle, c->chain[j].name);
            free(cycle);
            cycle = t;
        }
        mf_error(c->err, from, "include cycle: %s%s", cycle, file);
        free(cycle);
        return -1;
    }
    chain_link link = { emu_xstrdup(key), file };
    EMU_PUSH(c->chain, c->nchain, c->chain_cap, link);
    return 0;
}

static void leave(composer *c)
{
    free(c->chain[--c->nchain].real);
}

/* One file and its includes, merged; `from` is the include entry naming it. */
static mf_node *read_file(composer *c, const char *file, const mf_pos *from)
{
    if (enter(c, file, from) < 0)
        return NULL;
    mf_node *base = NULL;
    const char *note = from ? mf_note_from(c->pool, "included from", from) : NULL;
    mf_node *root = mf_read_yaml(file, from, note, &c->budget, c->err);
    if (!root)
        goto fail;
    if (root->kind != MF_MAP) {
        mf_error(c->err, &root->pos, "the top level must be a map (emu-machine: 1, name: ..., "
                 "devices: ...), not %s", root->kind == MF_NULL ? "empty" : mf_kind_name(root->kind));
        goto fail;
    }
    if (check_version(c, root) < 0)
        goto fail;
    mf_node *inc = mf_map_get(root, "include");
    if (inc && inc->kind != MF_NULL && read_includes(c, file, inc, &base) < 0)
        goto fail;
    mf_map_remove(root, "include");
    leave(c);
    return merge(base, root);
fail:
    leave(c);
    mf_node_free(base);
    mf_node_free(root);
    return NULL;
}

mf_node *mf_compose(mf_strings *pool, const char *file, emu_error **err)
{
    composer c = { .pool = pool, .budget = { MF_MAX_NODES, MF_MAX_TEXT_BYTES, MF_MAX_LOAD_BYTES },
                   .err = err };
    mf_node *doc = read_file(&c, mf_intern(pool, file), NULL);
    free(c.chain);
    return doc;
}

/* ---- --set ---- */

static char *declared_names(const mf_node *map)
{
    return mf_map_keys(map);
}

static int set_variable(mf_node *doc, const mf_pos *pos, const char *name, const char *value,
                        emu_error **err)
{
    mf_node *vars = mf_map_get(doc, "vars");
    mf_pair *v = vars && vars->kind == MF_MAP ? mf_map_find(vars, name) : NULL;
    if (!v) {
        char *names = declared_names(vars && vars->kind == MF_MAP ? vars : NULL);
        if (*names)
            mf_error(err, pos, "the machine declares no variable '%s' (declared: %s; a dotted "
                     "KEY like devices.ID.props.NAME sets any other value)", name, names);
        else
            mf_error(err, pos, "the machine declares no variables (a dotted KEY like "
                     "devices.ID.props.NAME sets a value)");
        free(names);
        return -1;
    }
    mf_node_free(v->value);
    v->value = mf_scalar_new(value, *pos);
    return 0;
}

/* The child of `n` named by one path element; a missing map entry is created as a map. */
static mf_node *step_into(mf_node *n, const char *elem, const mf_pos *pos, emu_error **err)
{
    if (n->kind == MF_MAP) {
        mf_pair *p = mf_map_find(n, elem);
        if (p)
            return p->value;
        mf_map_add(n, elem, *pos, mf_node_new(MF_MAP, *pos));
        return n->pairs[n->npairs - 1].value;
    }
    if (n->kind == MF_SEQ) {
        uint64_t i;
        const char *why;
        if (emu_parse_u64(elem, false, &i, &why) < 0 || i >= n->nitems) {
            mf_error(err, pos, "'%s' is not an index of the list there (0..%zu)", elem,
                     n->nitems ? n->nitems - 1 : 0);
            return NULL;
        }
        return n->items[i];
    }
    mf_error(err, pos, "cannot go into '%s': the value before it is %s, not a map", elem,
             mf_kind_name(n->kind));
    return NULL;
}

/* Replace or add the last element of the path; `null` deletes a map entry. */
static int set_last(mf_node *n, const char *elem, const mf_pos *pos, const char *value,
                    emu_error **err)
{
    mf_node **slot = NULL;
    if (n->kind == MF_MAP) {
        mf_pair *p = mf_map_find(n, elem);
        if (!strcmp(value, "null")) {
            mf_map_remove(n, elem);
            return 0;
        }
        if (!p) {
            mf_map_add(n, elem, *pos, mf_scalar_new(value, *pos));
            return 0;
        }
        slot = &p->value;
    } else if (n->kind == MF_SEQ) {
        uint64_t i;
        const char *why;
        if (emu_parse_u64(elem, false, &i, &why) < 0 || i >= n->nitems)
            return mf_error(err, pos, "'%s' is not an index of the list there (0..%zu)", elem,
                            n->nitems ? n->nitems - 1 : 0);
        slot = &n->items[i];
    } else {
        return mf_error(err, pos, "cannot set '%s': the value before it is %s, not a map",
                        elem, mf_kind_name(n->kind));
    }
    if ((*slot)->kind == MF_MAP) {
        char *names = declared_names(*slot);
        mf_error(err, pos, "'%s' is a map; --set replaces single values (its keys: %s)", elem,
                 names);
        free(names);
        return -1;
    }
    if ((*slot)->kind == MF_SEQ)
        return mf_error(err, pos, "'%s' is a list; --set replaces single values (add .INDEX to "
                        "replace one item)", elem);
    mf_node_free(*slot);
    *slot = mf_scalar_new(value, *pos);
    return 0;
}

/* Sections whose entries are named things; --set adds one only through the key that defines it. */
static const struct collection {
    const char *section, *what, *defining;
} collections[] = {
    { "cpus", "cpu", "type" },
    { "devices", "device", "type" },
    { "memory", "memory entry", "kind" },
    { "spaces", "space", "size" },
    { "blockdevs", "blockdev", "file" },
};

/* A path SECTION.ID.REST whose ID does not exist: an error unless REST is
   the key that defines a new entry (devices.ID.type=TYPE adds a device). */
static int check_new_entry(const mf_node *sec, const char *section, const char *id,
                           const char *rest, const mf_pos *pos, emu_error **err)
{
    for (size_t i = 0; i < EMU_ARRAY_SIZE(collections); i++) {
        const struct collection *c = &collections[i];
        if (strcmp(c->section, section) || !strcmp(rest, c->defining))
            continue;
        if (!strcmp(section, "spaces") && !strcmp(id, "system") && !strcmp(rest, "unassigned"))
            continue;   /* `system` always exists: its unassigned value can be set */
        char *names = declared_names(sec);
        mf_error(err, pos, "the machine has no %s '%s' (%s: %s; to add one, set %s.%s.%s first)",
                 c->what, id, section, *names ? names : "none", section, id, c->defining);
        free(names);
        return -1;
    }
    return 0;
}

static int set_path(mf_node *doc, const mf_pos *pos, char *key, const char *value, emu_error **err)
{
    mf_node *n = doc;
    char *elem = key;
    const char *section = NULL;
    for (unsigned depth = 1;; depth++) {
        if (depth > MF_MAX_DEPTH)
            return mf_error(err, pos, "the key is deeper than %u levels", MF_MAX_DEPTH);
        char *dot = strchr(elem, '.');
        if (dot)
            *dot = 0;
        if (!*elem || (dot && !dot[1]))
            return mf_error(err, pos, "empty element in the key (expected NAME.NAME...)");
        if (!dot)
            return set_last(n, elem, pos, value, err);
        if (section && n->kind == MF_MAP && !mf_map_find(n, elem) &&
            check_new_entry(n, section, elem, dot + 1, pos, err) < 0)
            return -1;
        section = n == doc ? elem : NULL;
        if (!(n = step_into(n, elem, pos, err)))
            return -1;
        elem = dot + 1;
    }
}

int mf_apply_set(mf_node *doc, mf_strings *pool, const char *set, emu_error **err)
{
    const char *eq = strchr(set, '=');
    char *key = emu_asprintf("%.*s", eq ? (int)(eq - set) : (int)strlen(set), set);
    char *opt = emu_asprintf("--set %s", set);
    mf_pos pos = { mf_intern(pool, opt), 0, 0, NULL, NULL };
    free(opt);
    int rc;
    if (!eq || !*key)
        rc = mf_error(err, &pos, "expected KEY=VALUE");
    else if (!strchr(key, '.'))
        rc = set_variable(doc, &pos, key, eq + 1, err);
    else if (!strncmp(key, "vars.", 5) && key[5] && !strchr(key + 5, '.')) /* spelled out */
        rc = set_variable(doc, &pos, key + 5, eq + 1, err);
    else
        rc = set_path(doc, &pos, key, eq + 1, err);
    free(key);
    return rc;
}
