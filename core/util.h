/* Small helpers used all over the core: checked allocation, formatted strings, growable arrays. */
#ifndef EMU_CORE_UTIL_H
#define EMU_CORE_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define EMU_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define EMU_INTERNAL __attribute__((visibility("hidden")))

/* Allocation that aborts with a message when the host is out of memory. */
void *emu_xmalloc(size_t n);
void *emu_xcalloc(size_t n, size_t size);
void *emu_xrealloc(void *p, size_t n);
char *emu_xstrdup(const char *s);
char *emu_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *emu_vasprintf(const char *fmt, va_list ap);

/* Grow *arr (of *cap elements of `size` bytes) to hold at least `need`. */
void emu_grow(void **arr, size_t *cap, size_t need, size_t size);
#define EMU_PUSH(arr, n, cap, v) \
    do { emu_grow((void **)&(arr), &(cap), (n) + 1, sizeof *(arr)); (arr)[(n)++] = (v); } while (0)

/* Numbers as users write them: decimal, 0x hex, 0b binary, optional K/M/G/T
   (binary) suffix when allow_suffix.  Returns 0, or -1 with *why set. */
int emu_parse_u64(const char *s, bool allow_suffix, uint64_t *out, const char **why);
int emu_parse_i64(const char *s, int64_t *out, const char **why);
int emu_parse_bool(const char *s, bool *out);

#endif
