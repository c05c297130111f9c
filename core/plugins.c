/* Plugin discovery and loading with libltdl: search path, descriptor checks, lazy type lookup. */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <ltdl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "object.h"
#include "plugins.h"
#include "util.h"

typedef struct module {
    char *path;                   /* path as found on the search path, without extension */
    char *file;                   /* the shared object libltdl actually opened */
    lt_dlhandle handle;
    const emu_plugin_desc *desc;
} module;

typedef struct loaded_type {
    const emu_type *type;
    module *mod;
} loaded_type;

typedef struct candidate {
    char *name;                   /* module name: file name without extension */
    char *path;                   /* full path, without extension */
    bool tried;
} candidate;

static struct {
    bool init;
    char **dirs;
    size_t ndirs, dirs_cap;
    bool scanned;
    candidate *cands;
    size_t ncands, cands_cap;
    module **mods;
    size_t nmods, mods_cap;
    loaded_type *types;
    size_t ntypes, types_cap;
} P;

static void ensure_init(void)
{
    if (!P.init) {
        lt_dlinit();
        P.init = true;
    }
}

void emu_plugins_add_dir(const char *dir)
{
    EMU_PUSH(P.dirs, P.ndirs, P.dirs_cap, emu_xstrdup(dir));
}

void emu_plugins_shutdown(void)
{
    for (size_t i = 0; i < P.nmods; i++) {
        /* Modules stay mapped until exit: sanitizer reports and atexit
           handlers may still point into them. */
        free(P.mods[i]->path);
        free(P.mods[i]->file);
        free(P.mods[i]);
    }
    free(P.mods);
    for (size_t i = 0; i < P.ncands; i++) {
        free(P.cands[i].name);
        free(P.cands[i].path);
    }
    free(P.cands);
    for (size_t i = 0; i < P.ndirs; i++)
        free(P.dirs[i]);
    free(P.dirs);
    free(P.types);
    memset(&P, 0, sizeof P);
}

/* Is this process the uninstalled binary in the build tree? */
static bool running_uninstalled(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = 0;
    char build[PATH_MAX];
    if (!realpath(EMU_BUILDDIR, build))
        return false;
    size_t bl = strlen(build);
    return !strncmp(exe, build, bl) && exe[bl] == '/';
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_candidates_from_dir(const char *dir);

/* In the build tree, modules sit in plugins/<kind>/ or one folder deeper
   (plugins/cpu/ppc/ppc.la); .libs holds libtool's copies and is skipped. */
static void add_build_tree_candidates(const char *dir, int depth)
{
    add_candidates_from_dir(dir);
    if (depth == 0)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char **subs = NULL;
    size_t n = 0, cap = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = emu_asprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            EMU_PUSH(subs, n, cap, sub);
        else
            free(sub);
    }
    closedir(d);
    qsort(subs, n, sizeof *subs, cmp_str);
    for (size_t i = 0; i < n; i++) {
        add_build_tree_candidates(subs[i], depth - 1);
        free(subs[i]);
    }
    free(subs);
}

static void add_candidates_from_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0;
    while ((e = readdir(d)))
        EMU_PUSH(names, n, cap, emu_xstrdup(e->d_name));
    closedir(d);
    /* Sorted, so discovery order does not depend on the file system. */
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        const char *nm = names[i];
        size_t len = strlen(nm);
        size_t base;
        if (len > 3 && !strcmp(nm + len - 3, ".la"))
            base = len - 3;
        else if (len > 3 && !strcmp(nm + len - 3, ".so"))
            base = len - 3;
        else
            continue;
        char *name = emu_xmalloc(base + 1);
        memcpy(name, nm, base);
        name[base] = 0;
        bool dup = false;
        for (size_t k = 0; k < P.ncands; k++)
            if (!strcmp(P.cands[k].name, name))
                dup = true;   /* earlier directories win; .la and .so of one module count once */
        if (dup) {
            free(name);
            continue;
        }
        candidate c = { name, emu_asprintf("%s/%s", dir, name), false };
        EMU_PUSH(P.cands, P.ncands, P.cands_cap, c);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static void scan(void)
{
    if (P.scanned)
        return;
    P.scanned = true;
    for (size_t i = 0; i < P.ndirs; i++)
        add_candidates_from_dir(P.dirs[i]);
    const char *env = getenv("EMU_PLUGIN_PATH");
    if (env && *env) {
        char *copy = emu_xstrdup(env);
        for (char *save, *tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
            add_candidates_from_dir(tok);
        free(copy);
    }
    if (running_uninstalled()) {
        char *d = emu_asprintf("%s/plugins", EMU_BUILDDIR);
        add_build_tree_candidates(d, 2);
        free(d);
    }
    add_candidates_from_dir(EMU_PKGLIBDIR);
}

static const loaded_type *find_loaded(const char *name)
{
    for (size_t i = 0; i < P.ntypes; i++)
        if (!strcmp(P.types[i].type->name, name))
            return &P.types[i];
    return NULL;
}

/* Minimum struct sizes: the fields of ABI 1.0. */
#define DESC_MIN_SIZE (offsetof(emu_plugin_desc, types) + sizeof(void *))
#define TYPE_MIN_SIZE (offsetof(emu_type, kind_ops) + sizeof(void *))

static int check_desc(const char *path, const emu_plugin_desc *d, emu_error **err)
{
    if (d->abi_major != EMU_ABI_MAJOR) {
        emu_error_set(err, "%s: plugin built for emu ABI %u.%u, but this emu has ABI %u.%u "
                      "(rebuild the plugin against this emu's SDK)", path, d->abi_major,
                      d->abi_minor, EMU_ABI_MAJOR, EMU_ABI_MINOR);
        return -1;
    }
    if (d->abi_minor > EMU_ABI_MINOR) {
        emu_error_set(err, "%s: plugin built for emu ABI %u.%u, newer than this emu's ABI %u.%u "
                      "(upgrade emu or rebuild the plugin)", path, d->abi_major, d->abi_minor,
                      EMU_ABI_MAJOR, EMU_ABI_MINOR);
        return -1;
    }
    if (d->struct_size < DESC_MIN_SIZE) {
        emu_error_set(err, "%s: plugin descriptor is %u bytes, expected at least %zu", path,
                      d->struct_size, (size_t)DESC_MIN_SIZE);
        return -1;
    }
    if (!d->name || !d->types) {
        emu_error_set(err, "%s: plugin descriptor has no name or no type list", path);
        return -1;
    }
    for (size_t i = 0; d->types[i]; i++) {
        const emu_type *t = d->types[i];
        if (t->struct_size < TYPE_MIN_SIZE || !t->name || !*t->name ||
            t->kind < EMU_KIND_DEVICE || t->kind > EMU_KIND_ABI) {
            emu_error_set(err, "%s: type #%zu of plugin '%s' is malformed (struct_size %u, kind %d)",
                          path, i, d->name, t->struct_size, (int)t->kind);
            return -1;
        }
        const loaded_type *other = find_loaded(t->name);
        if (other) {
            emu_error_set(err, "%s: type '%s' is already provided by %s", path, t->name,
                          other->mod->path);
            return -1;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(d->types[j]->name, t->name)) {
                emu_error_set(err, "%s: type '%s' is listed twice", path, t->name);
                return -1;
            }
    }
    return 0;
}

static bool already_open(const char *path)
{
    for (size_t i = 0; i < P.nmods; i++)
        if (!strcmp(P.mods[i]->path, path))
            return true;
    return false;
}

/* libltdl reports most failures as "file not found", even for a file that
   exists; say what is wrong with it.  Only called after the load failed. */
static char *load_failure(const char *path, const char *lt_why)
{
    size_t len = strlen(path);
    char *file = len > 3 && !strcmp(path + len - 3, ".so") ? emu_xstrdup(path)
                                                           : emu_asprintf("%s.so", path);
    char *msg;
    unsigned char magic[4] = { 0 };
    FILE *f = fopen(file, "rb");
    if (!f) {
        msg = emu_xstrdup(lt_why ? lt_why : "unknown error");
    } else if (fread(magic, 1, sizeof magic, f) < sizeof magic || memcmp(magic, "\177ELF", 4)) {
        msg = strcmp(file, path) ? emu_asprintf("%s is not a shared object (no ELF header)", file)
                                 : emu_xstrdup("not a shared object (no ELF header)");
    } else {
        /* An ELF file: the dynamic loader says why (wrong class, a missing library...). */
        void *h = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
        const char *why = h ? NULL : dlerror();
        size_t flen = strlen(file);
        if (why && !strcmp(file, path) && !strncmp(why, file, flen) && !strncmp(why + flen, ": ", 2))
            why += flen + 2;   /* the path is already at the start of our message */
        msg = emu_xstrdup(why ? why : lt_why ? lt_why : "unknown error");
        if (h)
            dlclose(h);
    }
    if (f)
        fclose(f);
    free(file);
    return msg;
}

/* Open one module (path with or without extension) and register its types. */
static int open_module(const char *path, emu_error **err)
{
    ensure_init();
    if (already_open(path))
        return 0;
    lt_dlhandle h = lt_dlopenext(path);
    if (!h) {
        char *why = load_failure(path, lt_dlerror());
        emu_error_set(err, "%s: cannot load plugin: %s", path, why);
        free(why);
        return -1;
    }
    const emu_plugin_desc *d = lt_dlsym(h, EMU_PLUGIN_SYMBOL);
    if (!d) {
        emu_error_set(err, "%s: not an emu plugin (no '%s' descriptor symbol; declare one with EMU_PLUGIN)",
                      path, EMU_PLUGIN_SYMBOL);
        lt_dlclose(h);
        return -1;
    }
    if (check_desc(path, d, err) < 0) {
        lt_dlclose(h);
        return -1;
    }
    module *mod = emu_xcalloc(1, sizeof *mod);
    mod->path = emu_xstrdup(path);
    const lt_dlinfo *info = lt_dlgetinfo(h);
    mod->file = emu_xstrdup(info && info->filename ? info->filename : path);
    mod->handle = h;
    mod->desc = d;
    EMU_PUSH(P.mods, P.nmods, P.mods_cap, mod);
    for (size_t i = 0; d->types[i]; i++) {
        loaded_type lt = { d->types[i], mod };
        EMU_PUSH(P.types, P.ntypes, P.types_cap, lt);
    }
    return 0;
}

int emu_plugins_load_path(const char *path, emu_error **err)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        emu_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        size_t first = P.ncands;
        scan();
        first = P.ncands;
        add_candidates_from_dir(path);
        for (size_t i = first; i < P.ncands; i++) {
            P.cands[i].tried = true;
            if (open_module(P.cands[i].path, err) < 0)
                return -1;
        }
        return 0;
    }
    size_t len = strlen(path);
    if (!(len > 3 && (!strcmp(path + len - 3, ".so") || !strcmp(path + len - 3, ".la")))) {
        emu_error_set(err, "%s: not a plugin file (expected a .so or .la module)", path);
        return -1;
    }
    if (strchr(path, '/'))
        return open_module(path, err);
    /* A bare file name means the file in the current folder; the dynamic
       loader would search the system's library folders for it instead. */
    char *here = emu_asprintf("./%s", path);
    int rc = open_module(here, err);
    free(here);
    return rc;
}

static void try_candidate(candidate *c)
{
    if (c->tried)
        return;
    c->tried = true;
    emu_error *e = NULL;
    if (open_module(c->path, &e) < 0) {
        emu_log(NULL, EMU_LOG_WARN, "%s", emu_error_message(e));
        emu_error_free(e);
    }
}

const emu_type *emu_plugins_lookup(const char *name)
{
    scan();
    const loaded_type *lt = find_loaded(name);
    if (lt)
        return lt->type;
    /* A module named like the type first, then the others in search order. */
    char *modname = emu_xstrdup(name);
    for (char *p = modname; *p; p++)
        if (*p == '-')
            *p = '_';
    for (size_t i = 0; i < P.ncands; i++)
        if (!strcmp(P.cands[i].name, name) || !strcmp(P.cands[i].name, modname))
            try_candidate(&P.cands[i]);
    free(modname);
    if ((lt = find_loaded(name)))
        return lt->type;
    for (size_t i = 0; i < P.ncands; i++) {
        try_candidate(&P.cands[i]);
        if ((lt = find_loaded(name)))
            return lt->type;
    }
    return NULL;
}

const emu_type *emu_plugins_find_type(const char *name, emu_kind kind, emu_error **err)
{
    const emu_type *t = emu_plugins_lookup(name);
    if (t && (!kind || t->kind == kind))
        return t;
    char *names = emu_plugins_type_names(kind);
    if (t)
        emu_error_set(err, "type '%s' is a %s, not a %s (valid %s types: %s)", name,
                      emu_kind_name(t->kind), emu_kind_name(kind), emu_kind_name(kind), names);
    else if (*names)
        emu_error_set(err, "unknown %s%stype '%s' (valid: %s)", kind ? emu_kind_name(kind) : "",
                      kind ? " " : "", name, names);
    else
        emu_error_set(err, "unknown type '%s' (no plugins found; check --plugin-dir and EMU_PLUGIN_PATH)",
                      name);
    free(names);
    return NULL;
}

const char *emu_plugins_type_file(const emu_type *t)
{
    for (size_t i = 0; i < P.ntypes; i++)
        if (P.types[i].type == t)
            return P.types[i].mod->file;
    return NULL;
}

void emu_plugins_load_all(FILE *problems)
{
    scan();
    for (size_t i = 0; i < P.ncands; i++) {
        if (P.cands[i].tried)
            continue;
        P.cands[i].tried = true;
        emu_error *e = NULL;
        if (open_module(P.cands[i].path, &e) < 0 && problems)
            fprintf(problems, "emu: warning: %s\n", emu_error_message(e));
        emu_error_free(e);
    }
}

size_t emu_plugins_type_count(void)
{
    return P.ntypes;
}

const emu_type *emu_plugins_type_at(size_t i, const emu_plugin_desc **plugin, const char **file)
{
    if (i >= P.ntypes)
        return NULL;
    if (plugin)
        *plugin = P.types[i].mod->desc;
    if (file)
        *file = P.types[i].mod->file;
    return P.types[i].type;
}

char *emu_plugins_type_names(emu_kind kind)
{
    emu_plugins_load_all(NULL);
    const char **names = emu_xcalloc(P.ntypes + 1, sizeof *names);
    size_t n = 0;
    for (size_t i = 0; i < P.ntypes; i++)
        if (!kind || P.types[i].type->kind == kind)
            names[n++] = P.types[i].type->name;
    qsort(names, n, sizeof *names, cmp_str);
    char *s = emu_xstrdup("");
    for (size_t i = 0; i < n; i++) {
        char *t = emu_asprintf("%s%s%s", s, i ? ", " : "", names[i]);
        free(s);
        s = t;
    }
    free(names);
    return s;
}
