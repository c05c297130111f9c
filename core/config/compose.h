/* Composing the document of a machine: includes merged in order, then --set overrides. */
#ifndef EMU_CORE_CONFIG_COMPOSE_H
#define EMU_CORE_CONFIG_COMPOSE_H

#include "config/node.h"

#define MF_MAX_FILES 64u               /* files read for one machine, includes included */

/*
 * Read `file` and, first and in order, the files its `include:` names
 * (relative to its directory), then merge: maps merge by key, recursively;
 * scalars and lists replace; a null value deletes the inherited entry.
 * Every file must say `emu-machine: 1`.  The returned map has no `include`
 * key and no null map values.  Strings the nodes point to live in `pool`.
 */
mf_node *mf_compose(mf_strings *pool, const char *file, emu_error **err);

/*
 * Apply one "--set KEY=VALUE".  A KEY without a dot sets a variable the
 * document declares under `vars:`; a dotted KEY is a path of map keys (or
 * list indexes) into the document whose last element is replaced or added
 * with the string VALUE (`null` deletes it).
 */
int mf_apply_set(mf_node *doc, mf_strings *pool, const char *set, emu_error **err);

#endif
