/* Checking single values of a machine file: shapes, keys, names, numbers, sizes and places. */
#ifndef EMU_CORE_CONFIG_CHECK_H
#define EMU_CORE_CONFIG_CHECK_H

#include "config/plan.h"

/* `what` starts every message ("device 'com1': map"). */
int mf_expect_map(const mf_node *n, const char *what, emu_error **err);
int mf_expect_scalar(const mf_node *n, const char *what, emu_error **err);
/* Every key of `map` is one of `valid` (NULL-terminated); else the error lists them. */
int mf_check_keys(const mf_node *map, const char *const *valid, const char *what, emu_error **err);
/* Names of spaces, memory, devices, chardevs...: letters, digits, '_' and '-'. */
int mf_check_name(const char *name, const mf_pos *pos, const char *what, emu_error **err);

/* A number (decimal, 0x, 0b) or a size (number with K/M/G/T). */
int mf_parse_number(const mf_node *n, const char *what, uint64_t *out, emu_error **err);
int mf_parse_size(const mf_node *n, const char *what, uint64_t *out, emu_error **err);
/* SPACE@ADDR[,priority=N]; out->space is allocated. */
int mf_parse_place(const mf_node *n, const char *what, mf_place *out, emu_error **err);

/* A list, or a lone value as a list of one. */
size_t mf_list_len(const mf_node *n);
const mf_node *mf_list_item(const mf_node *n, size_t i);

/* "a, b, c" from the names of a NULL-terminated table. */
char *mf_join(const char *const *names);

#endif
