/* The document tree of a machine file: maps, lists and scalars that remember where they were written. */
#ifndef EMU_CORE_CONFIG_NODE_H
#define EMU_CORE_CONFIG_NODE_H

#include "emu/base.h"
#include "util.h"

typedef enum mf_kind {
    MF_NULL,     /* `null`, `~` or nothing: deletes an inherited entry */
    MF_SCALAR,
    MF_MAP,
    MF_SEQ,
} mf_kind;

/* Where a value was written.  `line` is 0 for values from the command
   line; `file` then names the option ("--set KEY=VALUE"). */
typedef struct mf_pos {
    const char *file;
    unsigned line, col;          /* 1-based */
    /* How the value got there, added to messages in parentheses
       ("included from a.yaml:3:10", "from variable 'ram' at ..."), or NULL. */
    const char *note;
    /* The option that put the value there through a variable
       ("--set ram=abc"), or NULL; messages about the value start with it. */
    const char *option;
} mf_pos;

typedef struct mf_node mf_node;

typedef struct mf_pair {
    char *key;
    mf_pos key_pos;
    mf_node *value;
} mf_pair;

struct mf_node {
    mf_kind kind;
    mf_pos pos;
    /* The file relative paths in this scalar are relative to (its
       directory), or NULL for the current directory (command line). */
    const char *base;
    /* The variable this whole scalar came from ("${name}"), or NULL. */
    const char *var;
    char *text;                  /* MF_SCALAR */
    mf_pair *pairs;              /* MF_MAP, in the order written */
    size_t npairs, pairs_cap;
    /* MF_MAP: a hash table of pair numbers + 1 (0: free), built when a
       large map is first searched, so that maps of thousands of entries
       are not searched one by one; NULL when not built. */
    size_t *index;
    size_t index_cap;
    mf_node **items;             /* MF_SEQ */
    size_t nitems, items_cap;
};

/* Owns the strings nodes point to (file names, option names) for one load. */
typedef struct mf_strings {
    char **s;
    size_t n, cap;
} mf_strings;

const char *mf_intern(mf_strings *pool, const char *s);
/* Keep `s` (allocated) until the pool is freed, without looking for a copy. */
const char *mf_keep(mf_strings *pool, char *s);
void mf_strings_free(mf_strings *pool);

mf_node *mf_node_new(mf_kind kind, mf_pos pos);
mf_node *mf_scalar_new(const char *text, mf_pos pos);
void mf_node_free(mf_node *n);
mf_node *mf_node_copy(const mf_node *n);
/* Number of nodes in the tree under n (n included), and bytes of text. */
size_t mf_node_count(const mf_node *n);
size_t mf_node_text_bytes(const mf_node *n);

/* Map access.  mf_map_find returns the pair or NULL (`map` may be NULL or
   not a map); mf_map_find_len takes a key that is not NUL-terminated. */
mf_pair *mf_map_find(const mf_node *map, const char *key);
mf_pair *mf_map_find_len(const mf_node *map, const char *key, size_t len);
mf_node *mf_map_get(const mf_node *map, const char *key);
void mf_map_add(mf_node *map, const char *key, mf_pos key_pos, mf_node *value);
/* Remove and free the entry `key` (no-op when absent). */
void mf_map_remove(mf_node *map, const char *key);
/* Remove, in one pass, the entries whose value is NULL (their values
   already freed or moved elsewhere). */
void mf_map_compact(mf_node *map);
void mf_seq_add(mf_node *seq, mf_node *item);

/* `rel` made relative to the directory of `base_file` (unchanged when
   absolute or when base_file is NULL: the current directory). */
char *mf_resolve_path(const char *base_file, const char *rel);

/* Append `name` (`len` bytes) to the list "a, b, c" *list (NULL to start),
   counting in *count; past MF_LIST_MAX names only ", ..." is added, once, so
   that a message about a machine of thousands of devices stays one line. */
#define MF_LIST_MAX 32u
void mf_list_add(char **list, size_t *count, const char *name, size_t len);

/* The keys of `map` as such a list ("" when none). */
char *mf_map_keys(const mf_node *map);

/* "a map", "a list", ... for messages. */
const char *mf_kind_name(mf_kind k);

/* Set *err to "FILE:LINE:COL: message (note)", or "OPTION: message" for a
   value from the command line, or "OPTION: FILE:LINE:COL: message" for a
   value the option set through a variable.  Returns -1. */
int mf_error(emu_error **err, const mf_pos *pos, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int mf_verror(emu_error **err, const mf_pos *pos, const char *fmt, va_list ap);
/* Set *err to the message, with control characters (a newline, a terminal
   escape) in it written as escapes, as mf_error does: every message is one
   printable line.  Returns -1. */
int mf_error_text(emu_error **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "FILE:LINE:COL" (or the option) as a new string, for "first at ..." notes. */
char *mf_pos_text(const mf_pos *pos);
/* A note for values read from `pos` onwards: "WHAT FILE:LINE:COL", followed
   by pos's own note (kept in pool). */
const char *mf_note_from(mf_strings *pool, const char *what, const mf_pos *pos);

#endif
