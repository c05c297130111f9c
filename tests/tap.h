/* A tiny TAP producer for C tests: plan, ok, is, diag, done. */
#ifndef EMU_TESTS_TAP_H
#define EMU_TESTS_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed, tap_planned;

static inline void tap_plan(int n)
{
    tap_planned = n;
    printf("1..%d\n", n);
}

static inline void tap_diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static inline int tap_ok(int cond, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
    if (!cond)
        tap_failed++;
    return cond;
}

#define ok(cond, ...) tap_ok(!!(cond), __VA_ARGS__)
#define is_u64(got, want, ...) do { \
        uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want); \
        if (!tap_ok(g_ == w_, __VA_ARGS__)) \
            tap_diag("  got 0x%" PRIx64 ", want 0x%" PRIx64 " (%s:%d)", g_, w_, __FILE__, __LINE__); \
    } while (0)
#define is_str(got, want, ...) do { \
        const char *g_ = (got), *w_ = (want); \
        if (!tap_ok(g_ && w_ && !strcmp(g_, w_), __VA_ARGS__)) \
            tap_diag("  got '%s', want '%s' (%s:%d)", g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__, __LINE__); \
    } while (0)
#define has_str(hay, needle, ...) do { \
        const char *h_ = (hay), *n_ = (needle); \
        if (!tap_ok(h_ && n_ && strstr(h_, n_), __VA_ARGS__)) \
            tap_diag("  '%s' does not contain '%s' (%s:%d)", h_ ? h_ : "(null)", n_, __FILE__, __LINE__); \
    } while (0)

/* Call last: with no plan yet, prints one from the count. */
/* Write a test's input file from a format; a file that cannot be written ends the test. */
static inline void tap_write_file(const char *name, const char *fmt, ...)
{
    va_list ap;
    FILE *f = fopen(name, "w");
    if (!f) {
        printf("Bail out! cannot write %s\n", name);
        exit(1);
    }
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fclose(f);
}

static inline int tap_done(void)
{
    if (!tap_planned)
        printf("1..%d\n", tap_n);
    else if (tap_planned != tap_n)
        printf("# planned %d tests but ran %d\n", tap_planned, tap_n);
    return tap_failed || (tap_planned && tap_planned != tap_n);
}

#endif
