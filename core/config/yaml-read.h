/* Reading one YAML file into a document tree (libyaml), with the limits a machine file must respect. */
#ifndef EMU_CORE_CONFIG_YAML_READ_H
#define EMU_CORE_CONFIG_YAML_READ_H

#include "config/node.h"

#define MF_MAX_FILE_BYTES (1u << 20)   /* a machine file is far smaller than 1 MiB */
#define MF_MAX_DEPTH 64u               /* nesting of maps and lists */
#define MF_MAX_NODES 100000u           /* values in all files of one load, aliases expanded */
#define MF_MAX_TEXT_BYTES (16u << 20)  /* text of keys and values in all files of one load,
                                          aliases and variables expanded */
#define MF_MAX_LOAD_BYTES (4u << 20)   /* bytes of all files of one load */

/* What one load may still read: alias and variable bombs run out of it, and so do 64
   includes of 1 MiB files. */
typedef struct mf_budget {
    size_t nodes, bytes, file_bytes;
} mf_budget;

/*
 * Parse `file` (opened as given; nodes keep the pointer, so it must live
 * as long as the tree) into a tree.  Refuses what is not a regular file
 * (a FIFO or a device would hang or never end), files over
 * MF_MAX_FILE_BYTES, syntax errors, invalid UTF-8, empty files, more than
 * one document, tags, merge keys, duplicate keys, non-scalar keys, nesting
 * deeper than MF_MAX_DEPTH.  Anchors and aliases work; every alias is a
 * copy and counts against *budget, which defeats alias bombs.  When
 * `included_from` is set, problems with the file as a whole are reported
 * at that position; `note` (may be NULL) goes into every position read.
 */
mf_node *mf_read_yaml(const char *file, const mf_pos *included_from, const char *note,
                      mf_budget *budget, emu_error **err);

#endif
