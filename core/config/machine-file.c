/* emu_machine_load: a machine file, its includes, variables and --set overrides, validated, then built. */
#include "config/compose.h"
#include "config/machine-file.h"
#include "config/plan.h"
#include "config/vars.h"

emu_machine *emu_machine_load(const char *path, const char *const *sets, size_t nsets,
                              emu_error **err)
{
    mf_strings pool = { 0 };
    mf_plan plan = { 0 };
    emu_machine *m = NULL;
    mf_node *doc = mf_compose(&pool, path, err);
    if (!doc)
        goto out;
    for (size_t i = 0; i < nsets; i++)
        if (mf_apply_set(doc, &pool, sets[i], err) < 0)
            goto out;
    if (mf_substitute_vars(doc, &pool, err) < 0 || mf_validate(doc, path, &plan, err) < 0)
        goto out;
    m = mf_build(&plan, err);
out:
    mf_plan_free(&plan);
    mf_node_free(doc);
    mf_strings_free(&pool);
    return m;
}
