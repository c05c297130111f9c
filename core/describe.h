/* --list-plugins and --describe TYPE. */
#ifndef EMU_CORE_DESCRIBE_H
#define EMU_CORE_DESCRIBE_H
#include <stdio.h>
int emu_list_plugins(FILE *out);
int emu_describe_type(const char *name, FILE *out);
#endif
