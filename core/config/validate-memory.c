/* Validating `memory:`: RAM, ROM images and aliases, where they are mapped, and that RAM/ROM never overlap. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "config/check.h"
#include "config/validate.h"

static const char *const kinds[] = { "ram", "rom", "alias", NULL };
static const char *const ram_keys[] = { "kind", "size", "map", NULL };
static const char *const rom_keys[] = { "kind", "file", "size", "map", NULL };
static const char *const alias_keys[] = { "kind", "target", "offset", "size", "map", NULL };

static int check_rom_file(mf_vctx *v, const mf_node *file, const char *what, mf_memory_plan *mp,
                          bool size_given)
{
    struct stat st;
    char *rom_what = emu_asprintf("%s: ROM file", what);
    mp->file = mf_existing_file(v, file, rom_what, 0, R_OK, &st);
    free(rom_what);
    if (!mp->file)
        return -1;
    mp->file_pos = file->pos;
    uint64_t len = (uint64_t)st.st_size;
    if (!len)
        return mf_error(v->err, &file->pos, "%s: ROM file '%s' is empty", what, mp->file);
    if (!size_given)
        mp->size = len;
    else if (len > mp->size)
        return mf_error(v->err, &file->pos, "%s: ROM file '%s' is %llu bytes, larger than the "
                        "size (%llu bytes)", what, mp->file, (unsigned long long)len,
                        (unsigned long long)mp->size);
    return 0;
}

static int check_entry(mf_vctx *v, const mf_pair *e, const char *what, mf_memory_plan *mp)
{
    if (mf_check_name(e->key, &e->key_pos, "memory", v->err) < 0 ||
        mf_expect_map(e->value, what, v->err) < 0)
        return -1;
    const mf_node *kind = mf_map_get(e->value, "kind");
    if (!kind)
        return mf_error(v->err, &e->value->pos, "%s: missing required key 'kind' (ram, rom or "
                        "alias)", what);
    if (mf_expect_scalar(kind, what, v->err) < 0)
        return -1;
    int k = 0;
    while (kinds[k] && strcmp(kinds[k], kind->text))
        k++;
    if (!kinds[k])
        return mf_error(v->err, &kind->pos, "%s: unknown kind '%s' (valid: ram, rom, alias)", what,
                        kind->text);
    mp->kind = (mf_mem_kind)k;
    const char *const *keys = k == MF_MEM_RAM ? ram_keys : k == MF_MEM_ROM ? rom_keys : alias_keys;
    if (mf_check_keys(e->value, keys, what, v->err) < 0)
        return -1;

    const mf_node *size = mf_map_get(e->value, "size");
    if (size && mf_parse_size(size, what, &mp->size, v->err) < 0)
        return -1;
    if (size && !mp->size)
        return mf_error(v->err, &size->pos, "%s: size must not be 0", what);
    if (mp->kind == MF_MEM_RAM && !size)
        return mf_error(v->err, &e->value->pos, "%s: missing required key 'size' (e.g. 128M)", what);
    if (mp->kind == MF_MEM_ROM) {
        const mf_node *file = mf_map_get(e->value, "file");
        if (!file)
            return mf_error(v->err, &e->value->pos, "%s: missing required key 'file' (the ROM "
                            "image)", what);
        if (check_rom_file(v, file, what, mp, size != NULL) < 0)
            return -1;
    }
    if (mp->kind == MF_MEM_ALIAS) {
        const mf_node *target = mf_map_get(e->value, "target");
        const mf_node *offset = mf_map_get(e->value, "offset");
        if (!target)
            return mf_error(v->err, &e->value->pos, "%s: missing required key 'target' (a ram "
                            "or rom entry)", what);
        if (mf_expect_scalar(target, what, v->err) < 0)
            return -1;
        if (offset && mf_parse_size(offset, what, &mp->offset, v->err) < 0)
            return -1;
    }
    const mf_node *map = mf_map_get(e->value, "map");
    if (map && mf_parse_place(map, what, &mp->place, v->err) < 0)
        return -1;
    mp->mapped = map != NULL;
    return 0;
}

/* Alias targets exist and are RAM or ROM; the window lies inside the target. */
static int resolve_alias(mf_vctx *v, const mf_node *memory, size_t i)
{
    mf_memory_plan *mp = &v->plan->memory[i];
    const mf_node *target = mf_map_get(memory->pairs[i].value, "target");
    const mf_node *size = mf_map_get(memory->pairs[i].value, "size");
    /* The plan holds the entries of memory: in the order of the map. */
    const mf_pair *found = mf_map_find(memory, target->text);
    if (found) {
        size_t k = (size_t)(found - memory->pairs);
        const mf_memory_plan *t = &v->plan->memory[k];
        if (t->kind == MF_MEM_ALIAS)
            return mf_error(v->err, &target->pos, "memory '%s': target '%s' is an alias (alias "
                            "a ram or rom entry)", mp->name, t->name);
        if (mp->offset >= t->size)
            return mf_error(v->err, &target->pos, "memory '%s': offset 0x%llx is beyond the end "
                            "of '%s' (0x%llx bytes)", mp->name, (unsigned long long)mp->offset,
                            t->name, (unsigned long long)t->size);
        if (!size)
            mp->size = t->size - mp->offset;
        else if (mp->size > t->size - mp->offset)
            return mf_error(v->err, &size->pos, "memory '%s': 0x%llx bytes at offset 0x%llx go "
                            "beyond the end of '%s' (0x%llx bytes)", mp->name,
                            (unsigned long long)mp->size, (unsigned long long)mp->offset, t->name,
                            (unsigned long long)t->size);
        mp->target = k;
        return 0;
    }
    return mf_error(v->err, &target->pos, "memory '%s': no memory entry '%s' to alias", mp->name,
                    target->text);
}

static int by_place(const void *x, const void *y)
{
    const mf_memory_plan *a = *(const mf_memory_plan *const *)x;
    const mf_memory_plan *b = *(const mf_memory_plan *const *)y;
    int c = strcmp(a->place.space, b->place.space);
    if (c)
        return c;
    if (a->place.priority != b->place.priority)
        return a->place.priority < b->place.priority ? -1 : 1;
    if (a->place.addr != b->place.addr)
        return a->place.addr < b->place.addr ? -1 : 1;
    return a < b ? -1 : a > b;
}

/* Mapped entries sorted by space, priority and address: an entry overlaps an earlier one of
   its group exactly when it starts before the furthest end seen so far in the group. */
static int check_overlaps(mf_vctx *v)
{
    const mf_plan *p = v->plan;
    const mf_memory_plan **sorted = emu_xcalloc(p->nmemory + 1, sizeof *sorted);
    size_t n = 0;
    for (size_t i = 0; i < p->nmemory; i++)
        if (p->memory[i].mapped)
            sorted[n++] = &p->memory[i];
    qsort(sorted, n, sizeof *sorted, by_place);
    const mf_memory_plan *furthest = NULL;     /* of the group: the entry ending last */
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        const mf_memory_plan *cur = sorted[k];
        if (furthest && (strcmp(furthest->place.space, cur->place.space) ||
                         furthest->place.priority != cur->place.priority))
            furthest = NULL;
        uint64_t cur_end = cur->place.addr + (cur->size - 1);
        if (furthest && cur->place.addr <= furthest->place.addr + (furthest->size - 1)) {
            /* Name the one written later as the one that overlaps. */
            const mf_memory_plan *a = furthest < cur ? furthest : cur;
            const mf_memory_plan *b = furthest < cur ? cur : furthest;
            uint64_t a_end = a->place.addr + (a->size - 1), b_end = b->place.addr + (b->size - 1);
            char *first = mf_pos_text(&a->place.pos);
            rc = mf_error(v->err, &b->place.pos, "memory '%s' (0x%llx..0x%llx) overlaps memory "
                          "'%s' (0x%llx..0x%llx, mapped at %s) in space '%s' at the same priority",
                          b->name, (unsigned long long)b->place.addr, (unsigned long long)b_end,
                          a->name, (unsigned long long)a->place.addr, (unsigned long long)a_end,
                          first, b->place.space);
            free(first);
        }
        if (!furthest || cur_end > furthest->place.addr + (furthest->size - 1))
            furthest = cur;
    }
    free(sorted);
    return rc;
}

int mf_check_memory(mf_vctx *v, const mf_node *memory)
{
    if (mf_expect_map(memory, "memory", v->err) < 0)
        return -1;
    for (size_t i = 0; i < memory->npairs; i++) {
        const mf_pair *e = &memory->pairs[i];
        char *what = emu_asprintf("memory '%s'", e->key);
        mf_memory_plan mp = { .name = e->key, .pos = e->key_pos };
        int rc = check_entry(v, e, what, &mp);
        free(what);
        if (rc < 0) {
            free(mp.file);
            free(mp.place.space);
            return -1;
        }
        EMU_PUSH(v->plan->memory, v->plan->nmemory, v->plan->memory_cap, mp);
    }
    for (size_t i = 0; i < v->plan->nmemory; i++)
        if (v->plan->memory[i].kind == MF_MEM_ALIAS && resolve_alias(v, memory, i) < 0)
            return -1;
    for (size_t i = 0; i < v->plan->nmemory; i++) {
        const mf_memory_plan *mp = &v->plan->memory[i];
        if (!mp->mapped)
            continue;
        char *what = emu_asprintf("memory '%s'", mp->name);
        int rc = mf_check_place(v, &mp->place, mp->size, what);
        free(what);
        if (rc < 0)
            return -1;
    }
    return check_overlaps(v);
}
