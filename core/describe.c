/* --list-plugins and --describe TYPE: what the plugins on the search path provide. */
#include <stdlib.h>
#include <string.h>
#include "describe.h"
#include "object.h"
#include "plugins.h"

int emu_list_plugins(FILE *out)
{
    emu_plugins_load_all(stderr);
    size_t n = emu_plugins_type_count();
    fprintf(out, "%-16s %-9s %-8s %-44s %s\n", "TYPE", "KIND", "VERSION", "DESCRIPTION", "FILE");
    for (size_t i = 0; i < n; i++) {
        const emu_plugin_desc *pd;
        const char *file;
        const emu_type *t = emu_plugins_type_at(i, &pd, &file);
        fprintf(out, "%-16s %-9s %-8s %-44s %s\n", t->name, emu_kind_name(t->kind),
                pd->version ? pd->version : "-", t->summary ? t->summary : "", file);
    }
    if (!n)
        fprintf(stderr, "emu: no plugins found (search path: --plugin-dir, EMU_PLUGIN_PATH, %s)\n",
                EMU_PKGLIBDIR);
    return 0;
}

static void describe_lines(FILE *out, const char *what, const emu_line_desc *l)
{
    if (!l || !l->name)
        return;
    fprintf(out, "\n%s:\n", what);
    for (; l->name; l++)
        fprintf(out, "  %-16s %3u line%s  %s\n", l->name, l->count ? l->count : 1,
                (l->count ? l->count : 1) == 1 ? " " : "s", l->doc ? l->doc : "");
}

int emu_describe_type(const char *name, FILE *out)
{
    emu_error *err = NULL;
    const emu_type *t = emu_plugins_find_type(name, 0, &err);
    if (!t) {
        fprintf(stderr, "emu: --describe: %s\n", emu_error_message(err));
        emu_error_free(err);
        return 2;
    }
    fprintf(out, "%s (%s): %s\nfrom %s\n", t->name, emu_kind_name(t->kind),
            t->summary ? t->summary : "", emu_plugins_type_file(t));
    if (t->props && t->props->name) {
        fprintf(out, "\nproperties:\n");
        for (const emu_prop_desc *p = t->props; p->name; p++) {
            char typ[64];
            snprintf(typ, sizeof typ, "%s", emu_prop_type_name(p->type));
            fprintf(out, "  %-16s %-8s ", p->name, typ);
            if (p->flags & EMU_PROP_REQUIRED)
                fprintf(out, "(required) ");
            else if (p->defval)
                fprintf(out, "= %s ", p->defval);
            fprintf(out, " %s", p->doc ? p->doc : "");
            if (p->type == EMU_PROP_ENUM && p->choices) {
                fprintf(out, " [");
                for (size_t i = 0; p->choices[i]; i++)
                    fprintf(out, "%s%s", i ? ", " : "", p->choices[i]);
                fprintf(out, "]");
            }
            if ((p->type == EMU_PROP_INT || p->type == EMU_PROP_SIZE || p->type == EMU_PROP_ADDR) &&
                p->min < p->max)
                fprintf(out, " [%lld..%lld]", (long long)p->min, (long long)p->max);
            if (p->type == EMU_PROP_LINK && p->link_type)
                fprintf(out, " (type %s)", p->link_type);
            fputc('\n', out);
        }
    }
    if (t->regions && t->regions->name) {
        fprintf(out, "\nregions:\n");
        for (const emu_region_desc *r = t->regions; r->name; r++)
            fprintf(out, "  %-16s %s\n", r->name, r->doc ? r->doc : "");
    }
    describe_lines(out, "input lines", t->inputs);
    describe_lines(out, "output lines", t->outputs);
    return 0;
}
