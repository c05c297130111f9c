/* emu_machine_load: a machine file, its includes, variables and --set overrides, validated, then built. */
#include "config/compose.h"
#include "config/machine-file.h"
#include "config/plan.h"
#include "config/vars.h"

/* Everything before building: compose, --set, variables, validation into *plan. */
static int prepare(const char *path, const char *const *sets, size_t nsets, mf_strings *pool,
                   mf_node **doc, mf_plan *plan, emu_error **err)
{
    if (!(*doc = mf_compose(pool, path, err)))
        return -1;
    for (size_t i = 0; i < nsets; i++)
        if (mf_apply_set(*doc, pool, sets[i], err) < 0)
            return -1;
    if (mf_substitute_vars(*doc, pool, err) < 0)
        return -1;
    return mf_validate(*doc, path, plan, err);
}

emu_machine *emu_machine_load(const char *path, const char *const *sets, size_t nsets,
                              emu_error **err)
{
    mf_strings pool = { 0 };
    mf_plan plan = { 0 };
    mf_node *doc = NULL;
    emu_machine *m = NULL;
    if (prepare(path, sets, nsets, &pool, &doc, &plan, err) == 0)
        m = mf_build(&plan, err);
    mf_plan_free(&plan);
    mf_node_free(doc);
    mf_strings_free(&pool);
    return m;
}

int emu_machine_check(const char *path, const char *const *sets, size_t nsets, emu_error **err)
{
    mf_strings pool = { 0 };
    mf_plan plan = { 0 };
    mf_node *doc = NULL;
    int rc = prepare(path, sets, nsets, &pool, &doc, &plan, err);
    mf_plan_free(&plan);
    mf_node_free(doc);
    mf_strings_free(&pool);
    return rc;
}
