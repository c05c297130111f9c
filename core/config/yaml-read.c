/* Reading one YAML file into a document tree with libyaml, refusing what a machine file must not hold. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>
#include "config/yaml-read.h"

typedef struct anchor {
    char *name;
    mf_node *node;               /* a private copy, freed with the reader */
} anchor;

typedef struct reader {
    yaml_parser_t parser;
    const char *file;            /* interned display name */
    const unsigned char *buf;
    size_t len;
    const char *note;            /* how this file was reached ("included from ...") */
    mf_budget *budget;
    anchor *anchors;
    size_t nanchors, anchors_cap;
    emu_error **err;
} reader;

static mf_pos mark_pos(const reader *r, yaml_mark_t m)
{
    return (mf_pos){ r->file, (unsigned)m.line + 1, (unsigned)m.column + 1, r->note, NULL };
}

/* The position of a byte offset (libyaml's reader errors only give that). */
static mf_pos offset_pos(const reader *r, size_t offset)
{
    mf_pos p = { r->file, 1, 1, r->note, NULL };
    for (size_t i = 0; i < offset && i < r->len; i++) {
        if (r->buf[i] == '\n') {
            p.line++;
            p.col = 1;
        } else if ((r->buf[i] & 0xc0) != 0x80) {
            p.col++;
        }
    }
    return p;
}

static int syntax_error(reader *r)
{
    yaml_parser_t *p = &r->parser;
    const char *problem = p->problem ? p->problem : "unknown problem";
    if (p->error == YAML_READER_ERROR) {
        mf_pos pos = offset_pos(r, p->problem_offset);
        if (p->problem_value >= 0)
            return mf_error(r->err, &pos, "not valid YAML text: %s (byte 0x%02x); a machine file "
                            "is UTF-8 text", problem, (unsigned)p->problem_value & 0xffu);
        return mf_error(r->err, &pos, "not valid YAML text: %s", problem);
    }
    if (p->error == YAML_MEMORY_ERROR) {
        mf_pos pos = { r->file, 1, 1, r->note, NULL };
        return mf_error(r->err, &pos, "YAML parser ran out of memory");
    }
    mf_pos pos = mark_pos(r, p->problem_mark);
    if (p->problem_mark.index < r->len && r->buf[p->problem_mark.index] == '\t')
        return mf_error(r->err, &pos, "YAML syntax error: %s (tabs cannot indent YAML; use "
                        "spaces)", problem);
    if (p->context) {
        mf_pos cpos = mark_pos(r, p->context_mark);
        return mf_error(r->err, &pos, "YAML syntax error: %s (%s at line %u column %u)", problem,
                        p->context, cpos.line, cpos.col);
    }
    return mf_error(r->err, &pos, "YAML syntax error: %s", problem);
}

static int next_event(reader *r, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&r->parser, ev))
        return syntax_error(r);
    return 0;
}

static int spend(reader *r, size_t nodes, size_t bytes, const mf_pos *pos)
{
    if (nodes > r->budget->nodes)
        return mf_error(r->err, pos, "document too large: more than %u values in all (alias "
                        "expansion included)", MF_MAX_NODES);
    if (bytes > r->budget->bytes)
        return mf_error(r->err, pos, "document too large: more than %u bytes of text in all "
                        "(alias expansion included)", MF_MAX_TEXT_BYTES);
    r->budget->nodes -= nodes;
    r->budget->bytes -= bytes;
    return 0;
}

static bool is_null_scalar(const yaml_event_t *ev)
{
    if (ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)ev->data.scalar.value;
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") || !strcmp(v, "Null") || !strcmp(v, "NULL");
}

static const char *event_anchor(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: return (const char *)ev->data.scalar.anchor;
    case YAML_SEQUENCE_START_EVENT: return (const char *)ev->data.sequence_start.anchor;
    case YAML_MAPPING_START_EVENT: return (const char *)ev->data.mapping_start.anchor;
    default: return NULL;
    }
}

static const char *event_tag(const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_SCALAR_EVENT: return (const char *)ev->data.scalar.tag;
    case YAML_SEQUENCE_START_EVENT: return (const char *)ev->data.sequence_start.tag;
    case YAML_MAPPING_START_EVENT: return (const char *)ev->data.mapping_start.tag;
    default: return NULL;
    }
}

static void remember_anchor(reader *r, const char *name, const mf_node *n)
{
    for (size_t i = 0; i < r->nanchors; i++) {
        if (!strcmp(r->anchors[i].name, name)) {
            mf_node_free(r->anchors[i].node);
            r->anchors[i].node = mf_node_copy(n);
            return;
        }
    }
    anchor a = { emu_xstrdup(name), mf_node_copy(n) };
    EMU_PUSH(r->anchors, r->nanchors, r->anchors_cap, a);
}

static mf_node *parse_node(reader *r, yaml_event_t *ev, unsigned depth);

/* A scalar's text, refusing NUL characters (C strings cannot hold them). */
static mf_node *scalar_node(reader *r, yaml_event_t *ev, mf_pos pos)
{
    if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
        mf_error(r->err, &pos, "a NUL character is not allowed in a value");
        return NULL;
    }
    if (is_null_scalar(ev))
        return mf_node_new(MF_NULL, pos);
    return mf_scalar_new((const char *)ev->data.scalar.value, pos);
}

static mf_node *parse_map(reader *r, mf_pos pos, unsigned depth)
{
    mf_node *map = mf_node_new(MF_MAP, pos);
    for (;;) {
        yaml_event_t kev;
        if (next_event(r, &kev) < 0)
            goto fail;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return map;
        }
        mf_pos kpos = mark_pos(r, kev.start_mark);
        if (kev.type != YAML_SCALAR_EVENT || event_anchor(&kev) || event_tag(&kev)) {
            mf_error(r->err, &kpos, "a key must be a plain name, not %s",
                     kev.type == YAML_MAPPING_START_EVENT ? "a map"
                     : kev.type == YAML_SEQUENCE_START_EVENT ? "a list"
                     : kev.type == YAML_ALIAS_EVENT ? "an alias" : "an anchored or tagged value");
            yaml_event_delete(&kev);
            goto fail;
        }
        if (is_null_scalar(&kev) || !kev.data.scalar.length ||
            strlen((const char *)kev.data.scalar.value) != kev.data.scalar.length) {
            mf_error(r->err, &kpos, "empty or null key (a key must be a name)");
            yaml_event_delete(&kev);
            goto fail;
        }
        if (kev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            !strcmp((const char *)kev.data.scalar.value, "<<")) {
            mf_error(r->err, &kpos, "YAML merge keys ('<<') are not supported in machine files "
                     "(write the values out, or put them in a file and include it)");
            yaml_event_delete(&kev);
            goto fail;
        }
        char *key = emu_xstrdup((const char *)kev.data.scalar.value);
        size_t key_len = kev.data.scalar.length;
        yaml_event_delete(&kev);
        mf_pair *dup = mf_map_find(map, key);
        if (dup) {
            char *first = mf_pos_text(&dup->key_pos);
            mf_error(r->err, &kpos, "duplicate key '%s' (first at %s)", key, first);
            free(first);
            free(key);
            goto fail;
        }
        if (spend(r, 1, key_len, &kpos) < 0) {
            free(key);
            goto fail;
        }
        yaml_event_t vev;
        if (next_event(r, &vev) < 0) {
            free(key);
            goto fail;
        }
        mf_node *value = parse_node(r, &vev, depth + 1);
        if (!value) {
            free(key);
            goto fail;
        }
        mf_map_add(map, key, kpos, value);
        free(key);
    }
fail:
    mf_node_free(map);
    return NULL;
}

static mf_node *parse_seq(reader *r, mf_pos pos, unsigned depth)
{
    mf_node *seq = mf_node_new(MF_SEQ, pos);
    for (;;) {
        yaml_event_t iev;
        if (next_event(r, &iev) < 0)
            goto fail;
        if (iev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&iev);
            return seq;
        }
        mf_node *item = parse_node(r, &iev, depth + 1);
        if (!item)
            goto fail;
        mf_seq_add(seq, item);
    }
fail:
    mf_node_free(seq);
    return NULL;
}

/* Build the node that starts with event *ev (which this function deletes). */
static mf_node *parse_node(reader *r, yaml_event_t *ev, unsigned depth)
{
    mf_pos pos = mark_pos(r, ev->start_mark);
    mf_node *n = NULL;
    char *anchor_name = event_anchor(ev) ? emu_xstrdup(event_anchor(ev)) : NULL;
    if (event_tag(ev)) {
        mf_error(r->err, &pos, "YAML tags ('%s') are not supported in machine files", event_tag(ev));
        goto out;
    }
    if (depth > MF_MAX_DEPTH) {
        mf_error(r->err, &pos, "nesting deeper than %u levels", MF_MAX_DEPTH);
        goto out;
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT:
        if (spend(r, 1, ev->data.scalar.length, &pos) == 0)
            n = scalar_node(r, ev, pos);
        break;
    case YAML_MAPPING_START_EVENT:
        if (spend(r, 1, 0, &pos) == 0)
            n = parse_map(r, pos, depth);
        break;
    case YAML_SEQUENCE_START_EVENT:
        if (spend(r, 1, 0, &pos) == 0)
            n = parse_seq(r, pos, depth);
        break;
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (size_t i = 0; i < r->nanchors && !n; i++) {
            if (strcmp(r->anchors[i].name, name))
                continue;
            const mf_node *a = r->anchors[i].node;
            if (spend(r, mf_node_count(a), mf_node_text_bytes(a), &pos) < 0)
                goto out;
            n = mf_node_copy(a);
        }
        if (!n)
            mf_error(r->err, &pos, "alias '*%s' names no anchor defined before it", name);
        break;
    }
    default:
        mf_error(r->err, &pos, "unexpected YAML event %d", (int)ev->type);
        break;
    }
    if (n && anchor_name)
        remember_anchor(r, anchor_name, n);
out:
    free(anchor_name);
    yaml_event_delete(ev);
    return n;
}

/* A problem with the file as a whole: at the include entry naming it, or the file alone. */
static void file_error(emu_error **err, const char *path, const mf_pos *from, const char *problem)
{
    if (from)
        mf_error(err, from, "include '%s': %s", path, problem);
    else
        mf_error_text(err, "%s: %s", path, problem);
}

/* Read the whole file, refusing what is not a regular file and anything over the size cap.
   O_NONBLOCK keeps the open of a FIFO without a writer from hanging; fstat then refuses it. */
static unsigned char *slurp(const char *path, const mf_pos *from, size_t *len, emu_error **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        if (from)
            mf_error(err, from, "cannot open include '%s': %s", path, strerror(errno));
        else
            mf_error_text(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    unsigned char *buf = NULL;
    char *why = NULL;
    if (fstat(fd, &st) < 0) {
        why = emu_asprintf("cannot read: %s", strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        why = emu_xstrdup("is a folder, expected a YAML file");
        goto fail;
    }
    if (!S_ISREG(st.st_mode)) {
        why = emu_xstrdup("not a regular file (a machine file cannot be a FIFO or a device)");
        goto fail;
    }
    size_t cap = 65536, n = 0;
    buf = emu_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > MF_MAX_FILE_BYTES)
                break;
            cap *= 2;
            buf = emu_xrealloc(buf, cap);
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            why = emu_asprintf("cannot read: %s", strerror(errno));
            goto fail;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (n > MF_MAX_FILE_BYTES) {
        why = emu_asprintf("file too large for a machine file (more than %u bytes)",
                           MF_MAX_FILE_BYTES);
        goto fail;
    }
    if (n == 0) {
        why = emu_xstrdup("empty file (expected a YAML map starting with 'emu-machine: 1')");
        goto fail;
    }
    close(fd);
    *len = n;
    return buf;
fail:
    file_error(err, path, from, why);
    free(why);
    close(fd);
    free(buf);
    return NULL;
}

static mf_node *parse_stream(reader *r)
{
    yaml_event_t ev;
    if (next_event(r, &ev) < 0)
        return NULL;
    yaml_event_delete(&ev);                 /* STREAM-START */
    if (next_event(r, &ev) < 0)
        return NULL;
    if (ev.type == YAML_STREAM_END_EVENT) {
        mf_pos pos = mark_pos(r, ev.start_mark);
        yaml_event_delete(&ev);
        mf_error(r->err, &pos, "no YAML document in the file (expected a map starting with "
                 "'emu-machine: 1')");
        return NULL;
    }
    yaml_event_delete(&ev);                 /* DOCUMENT-START */
    if (next_event(r, &ev) < 0)
        return NULL;
    mf_node *root = parse_node(r, &ev, 1);
    if (!root)
        return NULL;
    if (next_event(r, &ev) < 0)
        goto fail;
    yaml_event_delete(&ev);                 /* DOCUMENT-END */
    if (next_event(r, &ev) < 0)
        goto fail;
    if (ev.type != YAML_STREAM_END_EVENT) {
        mf_pos pos = mark_pos(r, ev.start_mark);
        yaml_event_delete(&ev);
        mf_error(r->err, &pos, "a second YAML document (a machine file holds exactly one)");
        goto fail;
    }
    yaml_event_delete(&ev);
    return root;
fail:
    mf_node_free(root);
    return NULL;
}

mf_node *mf_read_yaml(const char *file, const mf_pos *included_from, const char *note,
                      mf_budget *budget, emu_error **err)
{
    size_t len;
    unsigned char *buf = slurp(file, included_from, &len, err);
    if (!buf)
        return NULL;
    if (len > budget->file_bytes) {
        free(buf);
        char *why = emu_asprintf("the files of this machine hold more than %u bytes in all",
                                 MF_MAX_LOAD_BYTES);
        file_error(err, file, included_from, why);
        free(why);
        return NULL;
    }
    budget->file_bytes -= len;
    reader r = { .file = file, .buf = buf, .len = len, .note = note, .budget = budget,
                 .err = err };
    if (!yaml_parser_initialize(&r.parser)) {
        free(buf);
        mf_error_text(err, "%s: cannot initialize the YAML parser", file);
        return NULL;
    }
    yaml_parser_set_input_string(&r.parser, buf, len);
    mf_node *root = parse_stream(&r);
    yaml_parser_delete(&r.parser);
    for (size_t i = 0; i < r.nanchors; i++) {
        free(r.anchors[i].name);
        mf_node_free(r.anchors[i].node);
    }
    free(r.anchors);
    free(buf);
    return root;
}
