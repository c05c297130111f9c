/* Machine variables: `vars:` and ${name} substitution in every value, with cycle and typo detection. */
#include <stdlib.h>
#include <string.h>
#include "config/vars.h"
#include "config/yaml-read.h"

typedef enum var_state { VAR_NEW, VAR_RESOLVING, VAR_DONE } var_state;

typedef struct var {
    const char *name;
    mf_node *value;              /* the scalar in `vars:` (its text is replaced when resolved) */
    var_state state;
    const char *base;            /* where relative paths in the value are relative to */
    const char *note;            /* "from variable 'NAME' at FILE:LINE:COL", made when first used */
} var;

/* Variables that use variables that use variables...: deeper is refused (and would
   otherwise recurse once per level). */
#define MF_MAX_VAR_DEPTH 64u

typedef struct subst {
    var *vars;
    size_t nvars;
    const mf_node *vars_map;
    size_t *stack;               /* variables being resolved, for the cycle message */
    size_t nstack, stack_cap;
    size_t bytes_left;           /* text that substitution may still make (see MF_MAX_TEXT_BYTES) */
    mf_strings *pool;
    emu_error **err;
} subst;

bool mf_var_name_ok(const char *s, size_t len)
{
    if (!len || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z') || s[0] == '_'))
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

static int resolve(subst *s, size_t i, const mf_pos *used_at);

static char *declared(const subst *s)
{
    return mf_map_keys(s->vars_map);
}

/* The text of `n` with every ${name} replaced; *only_var is set to the
   variable when the text is exactly one reference (else SIZE_MAX), *first
   to the first variable used (else SIZE_MAX). */
static char *expand(subst *s, const mf_node *n, size_t *only_var, size_t *first)
{
    *first = SIZE_MAX;
    const char *t = n->text;
    size_t len = strlen(t), cap = len + 1, out_n = 0;
    char *out = emu_xmalloc(cap);
    size_t refs = 0, last = SIZE_MAX;
    bool literal_text = false;
    for (size_t i = 0; i < len;) {
        const char *piece;
        size_t piece_len;
        if (t[i] == '$' && t[i + 1] == '$' && t[i + 2] == '{') {
            piece = "${";                     /* $${ is a literal ${ */
            piece_len = 2;
            i += 3;
            literal_text = true;
        } else if (t[i] == '$' && t[i + 1] == '{') {
            const char *close = strchr(t + i + 2, '}');
            if (!close) {
                mf_error(s->err, &n->pos, "unterminated '${' in '%s' (write '$${' for a literal "
                         "'${')", t);
                goto fail;
            }
            const char *name = t + i + 2;
            size_t name_len = (size_t)(close - name);
            if (!mf_var_name_ok(name, name_len)) {
                mf_error(s->err, &n->pos, "'${%.*s}' is not a variable name (letters, digits, "
                         "'_' and '-', not starting with a digit)", (int)name_len, name);
                goto fail;
            }
            /* s->vars follows the order of the vars: map, so its index finds a variable. */
            const mf_pair *found = mf_map_find_len(s->vars_map, name, name_len);
            size_t v = found ? (size_t)(found - s->vars_map->pairs) : SIZE_MAX;
            if (v == SIZE_MAX) {
                char *names = declared(s);
                mf_error(s->err, &n->pos, "undefined variable '%.*s' (%s%s)", (int)name_len, name,
                         *names ? "declared under vars: " : "the machine declares no variables",
                         names);
                free(names);
                goto fail;
            }
            if (resolve(s, v, &n->pos) < 0)
                goto fail;
            piece = s->vars[v].value->text;
            piece_len = strlen(piece);
            if (out_n + piece_len > s->bytes_left) {
                mf_error(s->err, &n->pos, "variables expand to more than %u bytes of text in all "
                         "(is a variable used many times inside another?)", MF_MAX_TEXT_BYTES);
                goto fail;
            }
            if (*first == SIZE_MAX)
                *first = v;
            refs++;
            last = v;
            i = (size_t)(close - t) + 1;
        } else {
            piece = t + i;
            piece_len = 1;
            i++;
            literal_text = true;
        }
        if (out_n + piece_len + 1 > cap) {
            cap = (out_n + piece_len + 1) * 2;
            out = emu_xrealloc(out, cap);
        }
        memcpy(out + out_n, piece, piece_len);
        out_n += piece_len;
    }
    out[out_n] = 0;
    *only_var = refs == 1 && !literal_text ? last : SIZE_MAX;
    if (refs && out_n > s->bytes_left) {
        mf_error(s->err, &n->pos, "variables expand to more than %u bytes of text in all "
                 "(is a variable used many times inside another?)", MF_MAX_TEXT_BYTES);
        goto fail;
    }
    if (refs)
        s->bytes_left -= out_n;
    return out;
fail:
    free(out);
    return NULL;
}

/* Messages about a value made from variable `v` say where it came from: the --set option
   that set it (also through other variables), or where the variable is defined.  Values of
   variables only take the option: notes do not chain from variable to variable. */
static void note_origin(subst *s, mf_node *n, var *v, bool in_vars)
{
    const mf_pos *def = &v->value->pos;
    if (!def->line || def->option) {
        n->pos.option = def->option ? def->option : def->file;
        return;
    }
    if (in_vars)
        return;
    if (!v->note) {
        char *what = emu_asprintf("from variable '%s' at", v->name);
        v->note = mf_note_from(s->pool, what, def);
        free(what);
    }
    n->pos.note = n->pos.note ? mf_keep(s->pool, emu_asprintf("%s; %s", v->note, n->pos.note))
                              : v->note;
}

/* Substitute in one scalar; its base follows a lone variable's. */
static int substitute(subst *s, mf_node *n, bool in_vars)
{
    size_t only, first;
    char *text = expand(s, n, &only, &first);
    if (!text)
        return -1;
    free(n->text);
    n->text = text;
    if (only != SIZE_MAX) {
        n->base = s->vars[only].base;
        n->var = s->vars[only].name;
    }
    if (first != SIZE_MAX)
        note_origin(s, n, &s->vars[first], in_vars);
    return 0;
}

static int resolve(subst *s, size_t i, const mf_pos *used_at)
{
    var *v = &s->vars[i];
    if (v->state == VAR_DONE)
        return 0;
    if (v->state == VAR_RESOLVING) {
        size_t from = 0;
        while (s->stack[from] != i)
            from++;
        char *cycle = emu_xstrdup("");
        for (size_t k = from; k < s->nstack; k++) {
            char *t = emu_asprintf("%s%s -> ", cycle, s->vars[s->stack[k]].name);
            free(cycle);
            cycle = t;
        }
        mf_error(s->err, used_at, "variable cycle: %s%s", cycle, v->name);
        free(cycle);
        return -1;
    }
    if (s->nstack >= MF_MAX_VAR_DEPTH)
        return mf_error(s->err, used_at, "variables nested deeper than %u levels (a variable "
                        "using a variable using a variable...)", MF_MAX_VAR_DEPTH);
    v->state = VAR_RESOLVING;
    EMU_PUSH(s->stack, s->nstack, s->stack_cap, i);
    int rc = substitute(s, v->value, true);
    s->nstack--;
    if (rc == 0) {
        v->base = v->value->base;
        v->state = VAR_DONE;
    }
    return rc;
}

static int walk(subst *s, mf_node *n)
{
    if (n == s->vars_map)
        return 0;
    if (n->kind == MF_SCALAR)
        return substitute(s, n, false);
    for (size_t i = 0; i < n->npairs; i++)
        if (walk(s, n->pairs[i].value) < 0)
            return -1;
    for (size_t i = 0; i < n->nitems; i++)
        if (walk(s, n->items[i]) < 0)
            return -1;
    return 0;
}

int mf_substitute_vars(mf_node *doc, mf_strings *pool, emu_error **err)
{
    subst s = { .bytes_left = MF_MAX_TEXT_BYTES, .pool = pool, .err = err };
    mf_node *vars = mf_map_get(doc, "vars");
    int rc = -1;
    if (vars && vars->kind != MF_MAP) {
        mf_error(err, &vars->pos, "vars: expected a map of NAME: VALUE, not %s",
                 mf_kind_name(vars->kind));
        return -1;
    }
    if (vars) {
        s.vars_map = vars;
        s.vars = emu_xcalloc(vars->npairs, sizeof *s.vars);
        for (size_t i = 0; i < vars->npairs; i++) {
            mf_pair *p = &vars->pairs[i];
            if (!mf_var_name_ok(p->key, strlen(p->key))) {
                mf_error(err, &p->key_pos, "'%s' is not a variable name (letters, digits, '_' "
                         "and '-', not starting with a digit)", p->key);
                goto out;
            }
            if (p->value->kind != MF_SCALAR) {
                mf_error(err, &p->value->pos, "variable '%s': expected a single value, not %s",
                         p->key, mf_kind_name(p->value->kind));
                goto out;
            }
            s.vars[i] = (var){ .name = p->key, .value = p->value, .base = p->value->base };
        }
        s.nvars = vars->npairs;
        for (size_t i = 0; i < s.nvars; i++)
            if (resolve(&s, i, &s.vars[i].value->pos) < 0)
                goto out;
    }
    rc = walk(&s, doc);
out:
    free(s.vars);
    free(s.stack);
    return rc;
}
