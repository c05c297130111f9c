/* Address spaces of a machine ("system" and the ones a machine declares) and the memory
 * subsystem's setup and teardown. */
#include <stdlib.h>
#include <string.h>
#include "memory-private.h"

static emu_space *space_create(emu_machine *m, const char *name, uint64_t size)
{
    struct emu_mem *mem = m->mem;
    emu_space *s = emu_xcalloc(1, sizeof *s);
    s->mem = mem;
    s->name = emu_xstrdup(name);
    s->unassigned = UINT64_MAX;
    s->root = emu_region_container(m, name, size);
    s->root->root_of = s;
    EMU_PUSH(mem->spaces, mem->nspaces, mem->spaces_cap, s);
    return s;
}

int emu_mem_init(emu_machine *m, emu_error **err)
{
    (void)err;
    m->mem = emu_xcalloc(1, sizeof *m->mem);
    m->mem->m = m;
    space_create(m, "system", 0);
    return 0;
}

void emu_mem_fini(emu_machine *m)
{
    struct emu_mem *mem = m->mem;
    if (!mem)
        return;
    for (size_t i = 0; i < mem->nspaces; i++) {
        emu_space *s = mem->spaces[i];
        free(s->ranges);
        free(s->render_error);
        free(s->name);
        free(s);
    }
    free(mem->spaces);
    emu_region_free_all(mem);
    free(mem->map_listeners);
    free(mem->protect_listeners);
    free(mem->code_handlers);
    free(mem);
    m->mem = NULL;
}

emu_space *emu_machine_space(emu_machine *m, const char *name)
{
    if (!m || !m->mem || !name)
        return NULL;
    for (size_t i = 0; i < m->mem->nspaces; i++)
        if (!strcmp(m->mem->spaces[i]->name, name))
            return m->mem->spaces[i];
    return NULL;
}

emu_space *emu_space_new(emu_machine *m, const char *name, uint64_t size, emu_error **err)
{
    if (!name || !*name) {
        emu_error_set(err, "an address space needs a name");
        return NULL;
    }
    if (emu_machine_space(m, name)) {
        emu_error_set(err, "address space '%s' already exists", name);
        return NULL;
    }
    return space_create(m, name, size);
}

const char *emu_space_name(const emu_space *s)
{
    return s->name;
}

void emu_space_set_unassigned_value(emu_space *s, uint64_t value)
{
    s->unassigned = value;
}

emu_region *emu_space_root(emu_space *s)
{
    return s->root;
}

emu_machine *emu_space_machine(const emu_space *s)
{
    return s->mem->m;
}

size_t emu_mem_space_count(emu_machine *m)
{
    return m->mem->nspaces;
}

emu_space *emu_mem_space_at(emu_machine *m, size_t i)
{
    return i < m->mem->nspaces ? m->mem->spaces[i] : NULL;
}
