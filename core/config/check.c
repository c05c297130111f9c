/* Checking single values of a machine file: shapes, keys, names, numbers, sizes and places. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "config/check.h"

int mf_expect_map(const mf_node *n, const char *what, emu_error **err)
{
    if (n->kind == MF_MAP)
        return 0;
    return mf_error(err, &n->pos, "%s: expected a map of KEY: VALUE, not %s", what,
                    n->kind == MF_SCALAR ? "a single value" : mf_kind_name(n->kind));
}

int mf_expect_scalar(const mf_node *n, const char *what, emu_error **err)
{
    if (n->kind == MF_SCALAR)
        return 0;
    return mf_error(err, &n->pos, "%s: expected a single value, not %s", what, mf_kind_name(n->kind));
}

char *mf_join(const char *const *names)
{
    char *s = emu_xstrdup("");
    for (size_t i = 0; names && names[i]; i++) {
        char *t = emu_asprintf("%s%s%s", s, i ? ", " : "", names[i]);
        free(s);
        s = t;
    }
    return s;
}

int mf_check_keys(const mf_node *map, const char *const *valid, const char *what, emu_error **err)
{
    for (size_t i = 0; i < map->npairs; i++) {
        bool known = false;
        for (size_t k = 0; valid[k] && !known; k++)
            known = !strcmp(valid[k], map->pairs[i].key);
        if (known)
            continue;
        char *names = mf_join(valid);
        mf_error(err, &map->pairs[i].key_pos, "%s: unknown key '%s' (valid: %s)", what,
                 map->pairs[i].key, names);
        free(names);
        return -1;
    }
    return 0;
}

int mf_check_name(const char *name, const mf_pos *pos, const char *what, emu_error **err)
{
    bool ok = *name != 0 && *name != '-';
    for (const char *p = name; *p && ok; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             *p == '_' || *p == '-';
    if (ok)
        return 0;
    return mf_error(err, pos, "%s name '%s' is not valid (use letters, digits, '_' and '-', not "
                    "starting with '-')", what, name);
}

static int parse_u64(const mf_node *n, const char *what, bool size, uint64_t *out, emu_error **err)
{
    if (mf_expect_scalar(n, what, err) < 0)
        return -1;
    const char *why;
    if (emu_parse_u64(n->text, size, out, &why) == 0)
        return 0;
    if (n->text[0] == '-')
        return mf_error(err, &n->pos, "%s: '%s': must not be negative", what, n->text);
    if (size && !strstr(why, "too large"))
        return mf_error(err, &n->pos, "%s: '%s': not a size (expected a number with an "
                        "optional K, M, G or T suffix, e.g. 64K)", what, n->text);
    return mf_error(err, &n->pos, "%s: '%s': %s", what, n->text, why);
}

int mf_parse_number(const mf_node *n, const char *what, uint64_t *out, emu_error **err)
{
    return parse_u64(n, what, false, out, err);
}

int mf_parse_size(const mf_node *n, const char *what, uint64_t *out, emu_error **err)
{
    return parse_u64(n, what, true, out, err);
}

int mf_parse_place(const mf_node *n, const char *what, mf_place *out, emu_error **err)
{
    if (mf_expect_scalar(n, what, err) < 0)
        return -1;
    const char *t = n->text;
    const char *at = strchr(t, '@');
    const char *comma = at ? strchr(at, ',') : NULL;
    if (!at || at == t) {
        return mf_error(err, &n->pos, "%s: '%s' is not a place (expected SPACE@ADDRESS, e.g. "
                        "system@0xfff00000, optionally followed by ,priority=N)", what, t);
    }
    char *space = emu_asprintf("%.*s", (int)(at - t), t);
    char *addr = comma ? emu_asprintf("%.*s", (int)(comma - at - 1), at + 1) : emu_xstrdup(at + 1);
    const char *why;
    int64_t prio = 0;
    int rc = -1;
    if (mf_check_name(space, &n->pos, "space", err) < 0)
        goto out;
    if (emu_parse_u64(addr, false, &out->addr, &why) < 0) {
        mf_error(err, &n->pos, "%s: address '%s': %s", what, addr, why);
        goto out;
    }
    if (comma) {
        if (strncmp(comma + 1, "priority=", 9)) {
            mf_error(err, &n->pos, "%s: '%s' after the address: expected ',priority=N'", what, comma);
            goto out;
        }
        if (emu_parse_i64(comma + 10, &prio, &why) < 0 || prio < INT_MIN || prio > INT_MAX) {
            mf_error(err, &n->pos, "%s: priority '%s': %s", what, comma + 10,
                     prio < INT_MIN || prio > INT_MAX ? "out of range" : why);
            goto out;
        }
    }
    out->pos = n->pos;
    out->space = space;
    out->priority = (int)prio;
    space = NULL;
    rc = 0;
out:
    free(space);
    free(addr);
    return rc;
}

size_t mf_list_len(const mf_node *n)
{
    return n->kind == MF_SEQ ? n->nitems : 1;
}

const mf_node *mf_list_item(const mf_node *n, size_t i)
{
    return n->kind == MF_SEQ ? n->items[i] : n;
}
