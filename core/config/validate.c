/* Validating a composed machine document: top-level keys, spaces, memory, backends, scripts, plugins. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "config/check.h"
#include "config/validate.h"
#include "plugins.h"

static const char *const top_keys[] = {
    "emu-machine", "name", "description", "include", "board", "vars", "cpus", "memory", "spaces",
    "devices", "chardevs", "blockdevs", "scripts", "plugins", NULL,
};

/* ---- files named by the machine ---- */

char *mf_existing_file(mf_vctx *v, const mf_node *n, const char *what, unsigned allow, int mode,
                       struct stat *st_out)
{
    if (mf_expect_scalar(n, what, v->err) < 0)
        return NULL;
    if (!*n->text && n->var) {
        mf_error(v->err, &n->pos, "%s: empty file name (variable '%s' is empty: set it with "
                 "--set %s=FILE)", what, n->var, n->var);
        return NULL;
    }
    if (!*n->text) {
        mf_error(v->err, &n->pos, "%s: empty file name", what);
        return NULL;
    }
    char *path = mf_resolve_path(n->base, n->text);
    struct stat st;
    const char *problem = NULL;
    if (stat(path, &st) < 0)
        problem = strerror(errno);
    else if (access(path, mode) < 0)
        problem = (mode & W_OK) && access(path, R_OK) == 0
                  ? "opened read-write but the file is read-only; use mode ro or snapshot"
                  : strerror(errno);
    else if (S_ISDIR(st.st_mode) && !(allow & MF_ALLOW_DIR))
        problem = "is a folder, expected a file";
    else if (!S_ISREG(st.st_mode) && !(S_ISDIR(st.st_mode) && (allow & MF_ALLOW_DIR)) &&
             !(S_ISBLK(st.st_mode) && (allow & MF_ALLOW_BLOCK_DEVICE)))
        problem = "not a regular file";
    if (problem) {
        mf_error(v->err, &n->pos, "%s: '%s': %s", what, path, problem);
        free(path);
        return NULL;
    }
    if (st_out)
        *st_out = st;
    return path;
}

static int check_plugins(mf_vctx *v, const mf_node *list)
{
    for (size_t i = 0; i < mf_list_len(list); i++) {
        const mf_node *it = mf_list_item(list, i);
        char *path = mf_existing_file(v, it, "plugins", MF_ALLOW_DIR, R_OK, NULL);
        if (!path)
            return -1;
        emu_error *e = NULL;
        int rc = emu_plugins_load_path(path, &e);
        free(path);
        if (rc < 0) {
            mf_error(v->err, &it->pos, "plugins: %s", emu_error_message(e));
            emu_error_free(e);
            return -1;
        }
    }
    return 0;
}

static int check_scripts(mf_vctx *v, const mf_node *list)
{
    for (size_t i = 0; i < mf_list_len(list); i++) {
        const mf_node *it = mf_list_item(list, i);
        char *path = mf_existing_file(v, it, "scripts", 0, R_OK, NULL);
        if (!path)
            return -1;
        char *abs = realpath(path, NULL);
        free(path);
        if (!abs)
            return mf_error(v->err, &it->pos, "scripts: '%s': %s", it->text, strerror(errno));
        EMU_PUSH(v->plan->scripts, v->plan->nscripts, v->plan->scripts_cap, abs);
    }
    return 0;
}

/* ---- spaces and places ---- */

/* The plan number of declared space `name`, or -1: the plan holds the entries of spaces: in
   the order of the map, so the map's index finds them. */
static long space_index(const mf_vctx *v, const char *name)
{
    const mf_node *spaces = mf_map_get(v->doc, "spaces");
    const mf_pair *p = mf_map_find(spaces, name);
    size_t i = p ? (size_t)(p - spaces->pairs) : SIZE_MAX;
    return i < v->plan->nspaces ? (long)i : -1;
}

/* Size of space `name` (0 = 2^64), or -1 when there is no such space. */
static int space_size(const mf_vctx *v, const char *name, uint64_t *size)
{
    if (!strcmp(name, "system")) {
        *size = 0;
        return 0;
    }
    long i = space_index(v, name);
    if (i < 0)
        return -1;
    *size = v->plan->spaces[i].size;
    return 0;
}

int mf_check_place(mf_vctx *v, const mf_place *pl, uint64_t size, const char *what)
{
    uint64_t space;
    if (space_size(v, pl->space, &space) < 0) {
        char *names = NULL;
        size_t count = 0;
        mf_list_add(&names, &count, "system", 6);
        for (size_t i = 0; i < v->plan->nspaces; i++)
            if (!v->plan->spaces[i].is_system)
                mf_list_add(&names, &count, v->plan->spaces[i].name, strlen(v->plan->spaces[i].name));
        mf_error(v->err, &pl->pos, "%s: no address space '%s' (spaces: %s)", what, pl->space, names);
        free(names);
        return -1;
    }
    uint64_t last = space ? space - 1 : UINT64_MAX;
    if (pl->addr > last)
        return mf_error(v->err, &pl->pos, "%s: address 0x%llx is outside space '%s' (0x0..0x%llx)",
                        what, (unsigned long long)pl->addr, pl->space, (unsigned long long)last);
    if (size && size - 1 > last - pl->addr)
        return mf_error(v->err, &pl->pos, "%s: 0x%llx bytes at 0x%llx do not fit in space '%s' "
                        "(0x0..0x%llx)", what, (unsigned long long)size,
                        (unsigned long long)pl->addr, pl->space, (unsigned long long)last);
    return 0;
}

/* Spaces inside spaces inside spaces...: the memory system renders containers and aliases
   32 levels deep at most, and every window adds two. */
#define MF_MAX_SPACE_DEPTH 8u

/* No space contains itself, directly or through others, and windows nest at most
   MF_MAX_SPACE_DEPTH deep.  Each space is walked up its parents once: a walk stops at a
   space whose depth is already known. */
static int check_space_cycles(mf_vctx *v)
{
    enum { UNSEEN, ON_WALK, KNOWN };
    size_t n = v->plan->nspaces;
    unsigned char *state = emu_xcalloc(n + 1, 1);
    long *walk = emu_xcalloc(n + 1, sizeof *walk);
    unsigned *depth = emu_xcalloc(n + 1, sizeof *depth);   /* windows above the space's root */
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t len = 0;
        long at = (long)i;
        while (at >= 0 && state[at] == UNSEEN) {
            state[at] = ON_WALK;
            walk[len++] = at;
            at = v->plan->spaces[at].mapped ? space_index(v, v->plan->spaces[at].place.space) : -1;
        }
        if (at >= 0 && state[at] == ON_WALK) {
            const mf_space_plan *sp = &v->plan->spaces[at];
            rc = mf_error(v->err, &sp->place.pos, "space '%s' is mapped into itself (through "
                          "'%s')", sp->name, v->plan->spaces[walk[len - 1]].name);
            break;
        }
        /* The walk ended at system, at an unmapped space, or at a space already known. */
        for (size_t k = len; k-- > 0 && rc == 0;) {
            const mf_space_plan *sp = &v->plan->spaces[walk[k]];
            if (k + 1 < len)
                depth[walk[k]] = depth[walk[k + 1]] + 1;
            else
                depth[walk[k]] = at >= 0 ? depth[at] + 1 : sp->mapped ? 1 : 0;
            state[walk[k]] = KNOWN;
            if (depth[walk[k]] > MF_MAX_SPACE_DEPTH)
                rc = mf_error(v->err, &sp->place.pos, "space '%s' is a window %u spaces deep "
                              "(spaces inside spaces nest at most %u deep)", sp->name,
                              depth[walk[k]], MF_MAX_SPACE_DEPTH);
        }
    }
    free(state);
    free(walk);
    free(depth);
    return rc;
}

static int check_spaces(mf_vctx *v, const mf_node *spaces)
{
    static const char *const keys[] = { "size", "map", "unassigned", NULL };
    static const char *const system_keys[] = { "unassigned", NULL };
    if (mf_expect_map(spaces, "spaces", v->err) < 0)
        return -1;
    for (size_t i = 0; i < spaces->npairs; i++) {
        const mf_pair *e = &spaces->pairs[i];
        char *what = emu_asprintf("space '%s'", e->key);
        mf_space_plan sp = { .name = e->key, .pos = e->key_pos };
        int rc = -1;
        sp.is_system = !strcmp(e->key, "system");
        if (mf_check_name(e->key, &e->key_pos, "space", v->err) < 0 ||
            mf_expect_map(e->value, what, v->err) < 0)
            goto next;
        if (sp.is_system && (mf_map_get(e->value, "size") || mf_map_get(e->value, "map"))) {
            const mf_node *bad = mf_map_get(e->value, "size") ? mf_map_get(e->value, "size")
                                                                : mf_map_get(e->value, "map");
            mf_error(v->err, &bad->pos, "space 'system' always exists and covers the whole 64-bit "
                     "range: only its 'unassigned' value can be set");
            goto next;
        }
        if (mf_check_keys(e->value, sp.is_system ? system_keys : keys, what, v->err) < 0)
            goto next;
        const mf_node *unassigned = mf_map_get(e->value, "unassigned");
        if (unassigned && mf_parse_number(unassigned, what, &sp.unassigned, v->err) < 0)
            goto next;
        sp.has_unassigned = unassigned != NULL;
        const mf_node *size = mf_map_get(e->value, "size");
        const mf_node *map = mf_map_get(e->value, "map");
        if (size && mf_parse_size(size, what, &sp.size, v->err) < 0)
            goto next;
        if (size && !sp.size) {
            mf_error(v->err, &size->pos, "%s: size must not be 0", what);
            goto next;
        }
        if (map && !size) {
            mf_error(v->err, &e->value->pos, "%s: a space mapped into another needs a size", what);
            goto next;
        }
        if (map && mf_parse_place(map, what, &sp.place, v->err) < 0)
            goto next;
        sp.mapped = map != NULL;
        EMU_PUSH(v->plan->spaces, v->plan->nspaces, v->plan->spaces_cap, sp);
        rc = 0;
next:
        free(what);
        if (rc < 0) {
            free(sp.place.space);
            return -1;
        }
    }
    /* Windows: the parent exists and the window fits. */
    for (size_t i = 0; i < v->plan->nspaces; i++) {
        mf_space_plan *sp = &v->plan->spaces[i];
        if (!sp->mapped)
            continue;
        char *what = emu_asprintf("space '%s'", sp->name);
        int rc = mf_check_place(v, &sp->place, sp->size, what);
        free(what);
        if (rc < 0)
            return -1;
    }
    return check_space_cycles(v);
}

/* ---- chardevs and blockdevs ---- */

/* A file:PATH chardev creates its file when the machine starts: its folder must exist and be
   writable, and the path must not be a folder, so that building cannot fail on it. */
static int check_output_file(mf_vctx *v, const mf_node *n, const char *what, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return mf_error(v->err, &n->pos, "%s: '%s' is a folder, expected a file to write",
                            what, path);
        if (access(path, W_OK) < 0)
            return mf_error(v->err, &n->pos, "%s: '%s': %s", what, path, strerror(errno));
        return 0;
    }
    const char *slash = strrchr(path, '/');
    char *dir = slash ? emu_asprintf("%.*s", slash == path ? 1 : (int)(slash - path), path)
                      : emu_xstrdup(".");
    int rc = 0;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
        rc = mf_error(v->err, &n->pos, "%s: cannot create '%s': no folder '%s'", what, path, dir);
    else if (access(dir, W_OK | X_OK) < 0)
        rc = mf_error(v->err, &n->pos, "%s: cannot create '%s' in '%s': %s", what, path, dir,
                      strerror(errno));
    free(dir);
    return rc;
}

static int check_chardevs(mf_vctx *v, const mf_node *map)
{
    if (mf_expect_map(map, "chardevs", v->err) < 0)
        return -1;
    for (size_t i = 0; i < map->npairs; i++) {
        const mf_pair *e = &map->pairs[i];
        char *what = emu_asprintf("chardev '%s'", e->key);
        int rc = mf_check_name(e->key, &e->key_pos, "chardev", v->err);
        if (rc == 0)
            rc = mf_expect_scalar(e->value, what, v->err);
        emu_error *ce = NULL;
        if (rc == 0 && emu_chardev_spec_check(e->value->text, &ce) < 0) {
            rc = mf_error(v->err, &e->value->pos, "%s: %s", what, emu_error_message(ce));
            emu_error_free(ce);
        }
        if (rc == 0 && !strncmp(e->value->text, "file:", 5))
            rc = check_output_file(v, e->value, what, e->value->text + 5);
        free(what);
        if (rc < 0)
            return -1;
        mf_chardev_plan c = { .name = e->key, .spec = e->value->text, .pos = e->value->pos };
        EMU_PUSH(v->plan->chardevs, v->plan->nchardevs, v->plan->chardevs_cap, c);
    }
    return 0;
}

static int check_blockdev(mf_vctx *v, const mf_pair *e, const char *what, mf_blockdev_plan *b)
{
    static const char *const keys[] = { "file", "mode", NULL };
    const mf_node *file = e->value, *mode = NULL;
    b->mode = EMU_BLOCK_RW;
    if (e->value->kind == MF_MAP) {
        if (mf_check_keys(e->value, keys, what, v->err) < 0)
            return -1;
        file = mf_map_get(e->value, "file");
        mode = mf_map_get(e->value, "mode");
        if (!file)
            return mf_error(v->err, &e->value->pos, "%s: missing required key 'file'", what);
    } else if (e->value->kind != MF_SCALAR) {
        return mf_error(v->err, &e->value->pos, "%s: expected a file name or a map {file: PATH, "
                        "mode: rw|ro|snapshot}, not %s", what, mf_kind_name(e->value->kind));
    }
    if (mode) {
        if (mf_expect_scalar(mode, what, v->err) < 0)
            return -1;
        if (emu_block_mode_parse(mode->text, &b->mode) < 0)
            return mf_error(v->err, &mode->pos, "%s: unknown mode '%s' (valid: rw, ro, snapshot)",
                            what, mode->text);
    }
    b->path = mf_existing_file(v, file, what, MF_ALLOW_BLOCK_DEVICE,
                               b->mode == EMU_BLOCK_RW ? R_OK | W_OK : R_OK, NULL);
    b->pos = file->pos;
    return b->path ? 0 : -1;
}

static int check_blockdevs(mf_vctx *v, const mf_node *map)
{
    if (mf_expect_map(map, "blockdevs", v->err) < 0)
        return -1;
    for (size_t i = 0; i < map->npairs; i++) {
        const mf_pair *e = &map->pairs[i];
        char *what = emu_asprintf("blockdev '%s'", e->key);
        mf_blockdev_plan b = { .name = e->key };
        int rc = mf_check_name(e->key, &e->key_pos, "blockdev", v->err);
        if (rc == 0)
            rc = check_blockdev(v, e, what, &b);
        free(what);
        if (rc < 0)
            return -1;
        EMU_PUSH(v->plan->blockdevs, v->plan->nblockdevs, v->plan->blockdevs_cap, b);
    }
    return 0;
}

/* ---- the whole document ---- */

int mf_validate(const mf_node *doc, const char *source, mf_plan *plan, emu_error **err)
{
    memset(plan, 0, sizeof *plan);
    plan->source = source;
    mf_vctx v = { doc, plan, err };
    if (mf_check_keys(doc, top_keys, "machine", err) < 0)
        return -1;
    const mf_pair *inc = mf_map_find(doc, "include");
    if (inc)        /* files are included before --set applies: only --set can leave one here */
        return mf_error(err, &inc->key_pos, "include: can only be given in a machine file");
    const mf_node *name = mf_map_get(doc, "name");
    if (!name)
        return mf_error(err, &doc->pos, "missing required key 'name' (the machine's name)");
    if (mf_expect_scalar(name, "name", err) < 0)
        return -1;
    if (!*name->text)
        return mf_error(err, &name->pos, "name: must not be empty");
    plan->name = name->text;
    const mf_node *n;
    if ((n = mf_map_get(doc, "description")) && mf_expect_scalar(n, "description", err) < 0)
        return -1;
    if ((n = mf_map_get(doc, "plugins")) && check_plugins(&v, n) < 0)
        return -1;
    if ((n = mf_map_get(doc, "spaces")) && check_spaces(&v, n) < 0)
        return -1;
    if ((n = mf_map_get(doc, "memory")) && mf_check_memory(&v, n) < 0)
        return -1;
    if ((n = mf_map_get(doc, "chardevs")) && check_chardevs(&v, n) < 0)
        return -1;
    if ((n = mf_map_get(doc, "blockdevs")) && check_blockdevs(&v, n) < 0)
        return -1;
    if (mf_check_devices(&v) < 0)
        return -1;
    if ((n = mf_map_get(doc, "scripts")) && check_scripts(&v, n) < 0)
        return -1;
    return 0;
}

static void device_plan_free(mf_device_plan *d)
{
    free(d->props);
    for (size_t i = 0; i < d->nmaps; i++)
        free(d->maps[i].place.space);
    free(d->maps);
    free(d->wires);
}

void mf_plan_free(mf_plan *p)
{
    for (size_t i = 0; i < p->nspaces; i++)
        free(p->spaces[i].place.space);
    free(p->spaces);
    for (size_t i = 0; i < p->nmemory; i++) {
        free(p->memory[i].file);
        free(p->memory[i].place.space);
    }
    free(p->memory);
    free(p->chardevs);
    for (size_t i = 0; i < p->nblockdevs; i++)
        free(p->blockdevs[i].path);
    free(p->blockdevs);
    for (size_t i = 0; i < p->ndevices; i++)
        device_plan_free(&p->devices[i]);
    free(p->devices);
    if (p->has_board)
        device_plan_free(&p->board);
    for (size_t i = 0; i < p->nscripts; i++)
        free(p->scripts[i]);
    free(p->scripts);
    memset(p, 0, sizeof *p);
}
