/* Logging configuration (the core side of emu_log). */
#ifndef EMU_CORE_LOG_H
#define EMU_CORE_LOG_H
#include <stdio.h>
#include "emu/base.h"

/* Enable categories from a comma list ("guest,unassigned"); -1 with *bad at the unknown name. */
int emu_log_enable_list(const char *list, const char **bad);
void emu_log_print_categories(FILE *f);
const char *emu_log_category_names(void);
/* Send log lines to f instead of stderr (NULL restores stderr). */
void emu_log_set_file(FILE *f);
#endif
