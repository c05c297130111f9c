/* Machine variables: `vars:` and ${name} substitution. */
#ifndef EMU_CORE_CONFIG_VARS_H
#define EMU_CORE_CONFIG_VARS_H

#include "config/node.h"

/*
 * Replace ${name} in every scalar value of `doc` (not in keys) by the
 * variable's value from `vars:`; variable values may use other variables.
 * `$${` is a literal `${`; any other `$` is itself.  Undefined variables,
 * bad names and cycles are errors at the value that uses them.  A value
 * that is exactly one ${name} takes the variable's base for relative
 * paths, so a path given with --set is relative to the current directory.
 * A value made with variables remembers where the first one came from
 * (its definition, or the --set option), for messages.  Expansion stops
 * at MF_MAX_TEXT_BYTES of text in all.
 */
int mf_substitute_vars(mf_node *doc, mf_strings *pool, emu_error **err);

/* Letters, digits, '_' and '-', not starting with a digit or '-'. */
bool mf_var_name_ok(const char *s, size_t len);

#endif
