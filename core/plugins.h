/* Plugin discovery and loading (libltdl): search path, descriptors, type lookup. */
#ifndef EMU_CORE_PLUGINS_H
#define EMU_CORE_PLUGINS_H

#include <stdio.h>
#include "emu/plugin.h"
#include "emu/device.h"

/* Search order: directories added here (--plugin-dir, in order), then
   EMU_PLUGIN_PATH, then the build tree when emu runs uninstalled, then
   $(pkglibdir).  Nothing is loaded from the current directory unless named. */
void emu_plugins_add_dir(const char *dir);
void emu_plugins_shutdown(void);

/* Load one module file (.so or .la) or every module in a folder, now. */
int emu_plugins_load_path(const char *path, emu_error **err);

/* The type called `name`, loading modules as needed (one named like the
   type first).  On failure the message lists the known types of `kind`
   (0 = any kind). */
const emu_type *emu_plugins_find_type(const char *name, emu_kind kind, emu_error **err);
/* Like find_type but without an error (NULL when unknown). */
const emu_type *emu_plugins_lookup(const char *name);
/* The module file a type came from. */
const char *emu_plugins_type_file(const emu_type *t);

/* Load everything on the search path (for listings); errors are reported
   to `problems` (may be NULL) and skipped. */
void emu_plugins_load_all(FILE *problems);
/* Every loaded type, in load order. */
size_t emu_plugins_type_count(void);
const emu_type *emu_plugins_type_at(size_t i, const emu_plugin_desc **plugin, const char **file);
/* Comma-separated names of the known types of `kind` (0 = all), sorted. */
char *emu_plugins_type_names(emu_kind kind);

#endif
