/* Small helpers used all over the core: checked allocation, formatted strings, number parsing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "util.h"

static void out_of_memory(size_t n)
{
    fprintf(stderr, "emu: out of memory (%zu bytes)\n", n);
    abort();
}

void *emu_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *emu_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *emu_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

char *emu_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(emu_xmalloc(n), s, n);
}

char *emu_vasprintf(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        out_of_memory(strlen(fmt));
    return s;
}

char *emu_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = emu_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void emu_grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need)
        n *= 2;
    *arr = emu_xrealloc(*arr, n * size);
    *cap = n;
}

int emu_parse_u64(const char *s, bool allow_suffix, uint64_t *out, const char **why)
{
    const char *p = s;
    int base = 10;
    if (!*p) {
        *why = "empty number";
        return -1;
    }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    }
    uint64_t v = 0;
    int digits = 0;
    for (;; p++) {
        int d;
        if (*p == '_' && digits)
            continue;
        if (*p >= '0' && *p <= '9')
            d = *p - '0';
        else if (*p >= 'a' && *p <= 'f')
            d = *p - 'a' + 10;
        else if (*p >= 'A' && *p <= 'F')
            d = *p - 'A' + 10;
        else
            break;
        if (d >= base)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base) {
            *why = "number too large for 64 bits";
            return -1;
        }
        v = v * (uint64_t)base + (uint64_t)d;
        digits++;
    }
    if (!digits) {
        *why = "not a number";
        return -1;
    }
    if (*p && allow_suffix && base == 10) {
        unsigned shift = 0;
        switch (*p) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        case 't': case 'T': shift = 40; break;
        }
        if (shift) {
            p++;
            if ((*p == 'i' && p[1] == 'B') || *p == 'B')
                p += (*p == 'i') ? 2 : 1;
            if (v > (UINT64_MAX >> shift)) {
                *why = "size too large for 64 bits";
                return -1;
            }
            v <<= shift;
        }
    }
    if (*p) {
        *why = allow_suffix ? "not a size (expected a number with an optional K, M, G or T suffix)"
                            : "not a number (expected decimal, or hex with 0x)";
        return -1;
    }
    *out = v;
    return 0;
}

int emu_parse_i64(const char *s, int64_t *out, const char **why)
{
    bool neg = false;
    if (*s == '-' || *s == '+') {
        neg = *s == '-';
        s++;
    }
    uint64_t u;
    if (emu_parse_u64(s, false, &u, why) < 0)
        return -1;
    if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX) {
        *why = "number out of the 64-bit signed range";
        return -1;
    }
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

int emu_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = { "true", "yes", "on", "1" };
    static const char *const no[] = { "false", "no", "off", "0" };
    for (size_t i = 0; i < EMU_ARRAY_SIZE(yes); i++) {
        if (!strcasecmp(s, yes[i])) {
            *out = true;
            return 0;
        }
        if (!strcasecmp(s, no[i])) {
            *out = false;
            return 0;
        }
    }
    return -1;
}
