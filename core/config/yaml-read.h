/* Reading one YAML file into a document tree (libyaml), with the limits a machine file must respect. */
#ifndef EMU_CORE_CONFIG_YAML_READ_H
#define EMU_CORE_CONFIG_YAML_READ_H

#include "config/node.h"

#define MF_MAX_FILE_BYTES (1u << 20)   /* a machine file is far smaller than 1 MiB */
#define MF_MAX_DEPTH 64u               /* nesting of maps and lists */
#define MF_MAX_NODES 100000u           /* values in all files of one load, aliases expanded */

/*
 * Parse `file` (opened as given; nodes keep the pointer, so it must live
 * as long as the tree) into a tree.  Refuses syntax errors, invalid UTF-8,
 * empty files, more than one document, tags, duplicate keys, non-scalar
 * keys, nesting deeper than MF_MAX_DEPTH.  Anchors and aliases work; every
 * alias is a copy and counts against *budget (nodes left for this load),
 * which defeats alias bombs.  When the file cannot be opened or read and
 * `included_from` is set, the error is reported at that position.
 */
mf_node *mf_read_yaml(const char *file, const mf_pos *included_from, size_t *budget,
                      emu_error **err);

#endif
