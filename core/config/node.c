/* The document tree of a machine file: building, copying, freeing, map access, positioned errors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config/node.h"

const char *mf_intern(mf_strings *pool, const char *s)
{
    for (size_t i = 0; i < pool->n; i++)
        if (!strcmp(pool->s[i], s))
            return pool->s[i];
    char *copy = emu_xstrdup(s);
    EMU_PUSH(pool->s, pool->n, pool->cap, copy);
    return copy;
}

const char *mf_keep(mf_strings *pool, char *s)
{
    EMU_PUSH(pool->s, pool->n, pool->cap, s);
    return s;
}

void mf_strings_free(mf_strings *pool)
{
    for (size_t i = 0; i < pool->n; i++)
        free(pool->s[i]);
    free(pool->s);
    memset(pool, 0, sizeof *pool);
}

mf_node *mf_node_new(mf_kind kind, mf_pos pos)
{
    mf_node *n = emu_xcalloc(1, sizeof *n);
    n->kind = kind;
    n->pos = pos;
    n->base = pos.line ? pos.file : NULL;
    return n;
}

mf_node *mf_scalar_new(const char *text, mf_pos pos)
{
    mf_node *n = mf_node_new(MF_SCALAR, pos);
    n->text = emu_xstrdup(text);
    return n;
}

void mf_node_free(mf_node *n)
{
    if (!n)
        return;
    free(n->text);
    for (size_t i = 0; i < n->npairs; i++) {
        free(n->pairs[i].key);
        mf_node_free(n->pairs[i].value);
    }
    free(n->pairs);
    free(n->index);
    for (size_t i = 0; i < n->nitems; i++)
        mf_node_free(n->items[i]);
    free(n->items);
    free(n);
}

mf_node *mf_node_copy(const mf_node *n)
{
    mf_node *c = mf_node_new(n->kind, n->pos);
    c->base = n->base;
    c->var = n->var;
    if (n->text)
        c->text = emu_xstrdup(n->text);
    for (size_t i = 0; i < n->npairs; i++)
        mf_map_add(c, n->pairs[i].key, n->pairs[i].key_pos, mf_node_copy(n->pairs[i].value));
    for (size_t i = 0; i < n->nitems; i++)
        mf_seq_add(c, mf_node_copy(n->items[i]));
    return c;
}

size_t mf_node_count(const mf_node *n)
{
    size_t count = 1;
    for (size_t i = 0; i < n->npairs; i++)
        count += mf_node_count(n->pairs[i].value);
    for (size_t i = 0; i < n->nitems; i++)
        count += mf_node_count(n->items[i]);
    return count;
}

size_t mf_node_text_bytes(const mf_node *n)
{
    size_t bytes = n->text ? strlen(n->text) : 0;
    for (size_t i = 0; i < n->npairs; i++)
        bytes += strlen(n->pairs[i].key) + mf_node_text_bytes(n->pairs[i].value);
    for (size_t i = 0; i < n->nitems; i++)
        bytes += mf_node_text_bytes(n->items[i]);
    return bytes;
}

/* Maps smaller than this are searched one by one. */
#define INDEX_MIN_PAIRS 8u

static size_t hash_key(const char *key, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ull;             /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)key[i]) * 0x100000001b3ull;
    return (size_t)h;
}

static void index_put(mf_node *map, size_t i)
{
    size_t mask = map->index_cap - 1;
    size_t h = hash_key(map->pairs[i].key, strlen(map->pairs[i].key)) & mask;
    while (map->index[h])
        h = (h + 1) & mask;
    map->index[h] = i + 1;
}

static void index_build(mf_node *map)
{
    free(map->index);
    map->index_cap = 16;
    while (map->index_cap < 2 * map->npairs)
        map->index_cap *= 2;
    map->index = emu_xcalloc(map->index_cap, sizeof *map->index);
    for (size_t i = 0; i < map->npairs; i++)
        index_put(map, i);
}

static void index_drop(mf_node *map)
{
    free(map->index);
    map->index = NULL;
    map->index_cap = 0;
}

mf_pair *mf_map_find_len(const mf_node *map, const char *key, size_t len)
{
    if (!map || map->kind != MF_MAP)
        return NULL;
    if (map->npairs < INDEX_MIN_PAIRS) {
        for (size_t i = 0; i < map->npairs; i++)
            if (strlen(map->pairs[i].key) == len && !memcmp(map->pairs[i].key, key, len))
                return &map->pairs[i];
        return NULL;
    }
    mf_node *m = (mf_node *)map;                    /* the index is a cache */
    if (!m->index)
        index_build(m);
    size_t mask = m->index_cap - 1;
    for (size_t h = hash_key(key, len) & mask; m->index[h]; h = (h + 1) & mask) {
        mf_pair *p = &m->pairs[m->index[h] - 1];
        if (strlen(p->key) == len && !memcmp(p->key, key, len))
            return p;
    }
    return NULL;
}

mf_pair *mf_map_find(const mf_node *map, const char *key)
{
    return mf_map_find_len(map, key, strlen(key));
}

mf_node *mf_map_get(const mf_node *map, const char *key)
{
    mf_pair *p = mf_map_find(map, key);
    return p ? p->value : NULL;
}

void mf_map_add(mf_node *map, const char *key, mf_pos key_pos, mf_node *value)
{
    mf_pair p = { emu_xstrdup(key), key_pos, value };
    EMU_PUSH(map->pairs, map->npairs, map->pairs_cap, p);
    if (map->index && 2 * map->npairs > map->index_cap)
        index_build(map);
    else if (map->index)
        index_put(map, map->npairs - 1);
}

void mf_map_remove(mf_node *map, const char *key)
{
    mf_pair *p = mf_map_find(map, key);
    if (!p)
        return;
    mf_node_free(p->value);
    p->value = NULL;
    mf_map_compact(map);
}

void mf_map_compact(mf_node *map)
{
    size_t kept = 0;
    for (size_t i = 0; i < map->npairs; i++) {
        if (!map->pairs[i].value) {
            free(map->pairs[i].key);
            continue;
        }
        map->pairs[kept++] = map->pairs[i];
    }
    if (kept != map->npairs)
        index_drop(map);
    map->npairs = kept;
}

char *mf_map_keys(const mf_node *map)
{
    char *list = NULL;
    size_t count = 0;
    for (size_t i = 0; map && map->kind == MF_MAP && i < map->npairs; i++)
        mf_list_add(&list, &count, map->pairs[i].key, strlen(map->pairs[i].key));
    return list ? list : emu_xstrdup("");
}

void mf_list_add(char **list, size_t *count, const char *name, size_t len)
{
    char *old = *list;
    if (*count < MF_LIST_MAX)
        *list = emu_asprintf("%s%s%.*s", old ? old : "", old ? ", " : "", (int)len, name);
    else if (*count == MF_LIST_MAX)
        *list = emu_asprintf("%s, ...", old ? old : "");
    else
        return;
    (*count)++;
    free(old);
}

void mf_seq_add(mf_node *seq, mf_node *item)
{
    EMU_PUSH(seq->items, seq->nitems, seq->items_cap, item);
}

char *mf_resolve_path(const char *base_file, const char *rel)
{
    const char *slash = base_file ? strrchr(base_file, '/') : NULL;
    if (rel[0] == '/' || !slash)
        return emu_xstrdup(rel);
    return emu_asprintf("%.*s/%s", (int)(slash - base_file), base_file, rel);
}

const char *mf_kind_name(mf_kind k)
{
    switch (k) {
    case MF_NULL: return "null";
    case MF_SCALAR: return "a string";
    case MF_MAP: return "a map";
    case MF_SEQ: return "a list";
    }
    return "?";
}

char *mf_pos_text(const mf_pos *pos)
{
    if (!pos->line)
        return emu_xstrdup(pos->file);
    return emu_asprintf("%s:%u:%u", pos->file, pos->line, pos->col);
}

const char *mf_note_from(mf_strings *pool, const char *what, const mf_pos *pos)
{
    char *where = mf_pos_text(pos);
    char *note = pos->note ? emu_asprintf("%s %s, %s", what, where, pos->note)
                           : emu_asprintf("%s %s", what, where);
    free(where);
    return mf_keep(pool, note);
}

/* `s` with control characters written as escapes (\n, \t, \xNN), so that a value holding a
   newline or a terminal escape sequence cannot split a message or drive the terminal. */
static char *printable(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += (unsigned char)*p < 0x20 || *p == 0x7f ? 4 : 1;
    char *out = emu_xmalloc(n + 1), *o = out;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '\n' || c == '\t' || c == '\r')
            o += sprintf(o, "\\%c", c == '\n' ? 'n' : c == '\t' ? 't' : 'r');
        else if (c < 0x20 || c == 0x7f)
            o += sprintf(o, "\\x%02x", c);
        else
            *o++ = (char)c;
    }
    *o = 0;
    return out;
}

int mf_error_text(emu_error **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = emu_vasprintf(fmt, ap);
    va_end(ap);
    char *shown = printable(msg);
    emu_error_set(err, "%s", shown);
    free(shown);
    free(msg);
    return -1;
}

int mf_verror(emu_error **err, const mf_pos *pos, const char *fmt, va_list ap)
{
    char *msg = emu_vasprintf(fmt, ap);
    char *where = mf_pos_text(pos);
    mf_error_text(err, "%s%s%s: %s%s%s%s", pos->option ? pos->option : "", pos->option ? ": " : "",
                  where, msg, pos->note ? " (" : "", pos->note ? pos->note : "",
                  pos->note ? ")" : "");
    free(where);
    free(msg);
    return -1;
}

int mf_error(emu_error **err, const mf_pos *pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mf_verror(err, pos, fmt, ap);
    va_end(ap);
    return -1;
}
