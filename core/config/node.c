/* The document tree of a machine file: building, copying, freeing, map access, positioned errors. */
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

mf_pair *mf_map_find(const mf_node *map, const char *key)
{
    if (!map || map->kind != MF_MAP)
        return NULL;
    for (size_t i = 0; i < map->npairs; i++)
        if (!strcmp(map->pairs[i].key, key))
            return &map->pairs[i];
    return NULL;
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
}

void mf_map_remove(mf_node *map, const char *key)
{
    mf_pair *p = mf_map_find(map, key);
    if (!p)
        return;
    free(p->key);
    mf_node_free(p->value);
    size_t i = (size_t)(p - map->pairs);
    memmove(&map->pairs[i], &map->pairs[i + 1], (map->npairs - i - 1) * sizeof *p);
    map->npairs--;
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
    const char *interned = mf_intern(pool, note);
    free(note);
    free(where);
    return interned;
}

int mf_verror(emu_error **err, const mf_pos *pos, const char *fmt, va_list ap)
{
    char *msg = emu_vasprintf(fmt, ap);
    char *where = mf_pos_text(pos);
    emu_error_set(err, "%s%s%s: %s%s%s%s", pos->option ? pos->option : "", pos->option ? ": " : "",
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
