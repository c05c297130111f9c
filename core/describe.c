/* --list-plugins and --describe TYPE: what the plugins on the search path provide. */
#include <stdlib.h>
#include <string.h>
#include "describe.h"
#include "machine.h"
#include "object.h"
#include "plugins.h"

static int max_int(int a, size_t b)
{
    return (size_t)a > b ? a : (int)b;
}

/* One line per type; columns are as wide as their longest entry so the
   table stays aligned whatever the plugins' names and summaries are. */
int emu_list_plugins(FILE *out)
{
    emu_plugins_load_all(stderr);
    size_t n = emu_plugins_type_count();
    int wname = 4, wkind = 4, wver = 7, wdoc = 11;
    for (size_t i = 0; i < n; i++) {
        const emu_plugin_desc *pd;
        const emu_type *t = emu_plugins_type_at(i, &pd, NULL);
        wname = max_int(wname, strlen(t->name));
        wkind = max_int(wkind, strlen(emu_kind_name(t->kind)));
        wver = max_int(wver, strlen(pd->version ? pd->version : "-"));
        wdoc = max_int(wdoc, strlen(t->summary ? t->summary : ""));
    }
    fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", wname, "TYPE", wkind, "KIND", wver, "VERSION",
            wdoc, "DESCRIPTION", "FILE");
    for (size_t i = 0; i < n; i++) {
        const emu_plugin_desc *pd;
        const char *file;
        const emu_type *t = emu_plugins_type_at(i, &pd, &file);
        fprintf(out, "%-*s  %-*s  %-*s  %-*s  %s\n", wname, t->name, wkind, emu_kind_name(t->kind),
                wver, pd->version ? pd->version : "-", wdoc, t->summary ? t->summary : "", file);
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
    int w = 4;
    for (const emu_line_desc *q = l; q->name; q++)
        w = max_int(w, strlen(q->name));
    fprintf(out, "\n%s:\n", what);
    for (; l->name; l++)
        fprintf(out, "  %-*s  %3u line%s  %s\n", w, l->name, l->count ? l->count : 1,
                (l->count ? l->count : 1) == 1 ? " " : "s", l->doc ? l->doc : "");
}

/* "(required)" or "= DEFAULT" for a property, or nothing. */
static void prop_default(const emu_prop_desc *p, char *buf, size_t size)
{
    if (p->flags & EMU_PROP_REQUIRED)
        snprintf(buf, size, "(required)");
    else if (p->defval)
        snprintf(buf, size, "= %s", p->defval);
    else
        buf[0] = 0;
}

static void describe_props(FILE *out, const emu_prop_desc *props)
{
    int wname = 4, wtype = 4, wdef = 0;
    char def[96];
    for (const emu_prop_desc *p = props; p->name; p++) {
        wname = max_int(wname, strlen(p->name));
        wtype = max_int(wtype, strlen(emu_prop_type_name(p->type)));
        prop_default(p, def, sizeof def);
        wdef = max_int(wdef, strlen(def));
    }
    fprintf(out, "\nproperties:\n");
    for (const emu_prop_desc *p = props; p->name; p++) {
        prop_default(p, def, sizeof def);
        fprintf(out, "  %-*s  %-*s  %-*s  %s", wname, p->name, wtype, emu_prop_type_name(p->type),
                wdef, def, p->doc ? p->doc : "");
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

int emu_describe_type(const char *name, FILE *out)
{
    emu_error *err = NULL;
    const emu_type *t = emu_plugins_find_type(name, 0, &err);
    const char *from = t ? emu_plugins_type_file(t) : NULL;
    if (!t && !strcmp(name, EMU_MACHINE_ID)) {
        /* Not a plugin type: the machine's own inputs, wired as machine.reset etc. */
        emu_error_free(err);
        t = emu_machine_lines_type();
        from = "emu itself: wire a device's output to machine.LINE in a machine file";
    }
    if (!t) {
        fprintf(stderr, "emu: --describe: %s\n", emu_error_message(err));
        emu_error_free(err);
        return 2;
    }
    fprintf(out, "%s (%s): %s\nfrom %s\n", t->name, emu_kind_name(t->kind),
            t->summary ? t->summary : "", from);
    if (t->props && t->props->name)
        describe_props(out, t->props);
    if (t->regions && t->regions->name) {
        fprintf(out, "\nregions:\n");
        int w = 4;
        for (const emu_region_desc *r = t->regions; r->name; r++)
            w = max_int(w, strlen(r->name));
        for (const emu_region_desc *r = t->regions; r->name; r++)
            fprintf(out, "  %-*s  %s\n", w, r->name, r->doc ? r->doc : "");
    }
    describe_lines(out, "input lines", t->inputs);
    describe_lines(out, "output lines", t->outputs);
    return 0;
}
