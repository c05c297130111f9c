/*
 * Fuzz test of the machine file loader: seeded mutations (byte changes, line deletions and
 * duplications, token swaps, truncations, splices) of every machines.d/ and
 * tests/machines/ YAML file (and the files they include), some with a random --set, each read
 * and validated in-process (emu_machine_check: nothing is built).  Each case must be accepted or refused with a one-line message carrying
 * FILE:LINE:COL; a crash or sanitizer report fails the test.
 *
 * EMU_FUZZ_SEED chooses the seed (printed, so a failure can be replayed), EMU_FUZZ_CASES the
 * cases per file, EMU_FUZZ_VERBOSE=1 prints each case before it runs (to find a crashing one).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tap.h"
#include "config/machine-file.h"
#include "plugins.h"

#define DEFAULT_CASES 300u             /* per file: about 3000 in all, under a second */
#define FUZZ_MAX_INPUT (256u * 1024)

static uint64_t rng_state;

/* xorshift64*: small, fast, the same sequence on every host. */
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}

static size_t below(size_t n)
{
    return n ? (size_t)(rng() % n) : 0;
}

typedef struct text {
    char *b;
    size_t n;
} text;

static bool read_all(const char *path, text *t)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    t->b = emu_xmalloc(FUZZ_MAX_INPUT);
    ssize_t got = read(fd, t->b, FUZZ_MAX_INPUT);
    close(fd);
    t->n = got > 0 ? (size_t)got : 0;
    return got > 0;
}

static void write_all(const char *path, const text *t)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(t->b, 1, t->n, f) != t->n || fclose(f) != 0) {
        printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

/* Line i's [start, end) (end includes the newline), or false past the last line. */
static bool line_span(const text *t, size_t i, size_t *start, size_t *end)
{
    size_t s = 0;
    for (size_t k = 0; k < i; k++) {
        const char *nl = memchr(t->b + s, '\n', t->n - s);
        if (!nl)
            return false;
        s = (size_t)(nl - t->b) + 1;
    }
    if (s >= t->n)
        return false;
    const char *nl = memchr(t->b + s, '\n', t->n - s);
    *start = s;
    *end = nl ? (size_t)(nl - t->b) + 1 : t->n;
    return true;
}

static size_t count_lines(const text *t)
{
    size_t n = 0, s, e;
    while (line_span(t, n, &s, &e))
        n++;
    return n;
}

/* Replace [at, at+len) of t with `with` (wlen bytes). */
static void replace_span(text *t, size_t at, size_t len, const char *with, size_t wlen)
{
    if (t->n - len + wlen > FUZZ_MAX_INPUT)
        return;
    char *b = emu_xmalloc(t->n - len + wlen + 1);
    memcpy(b, t->b, at);
    memcpy(b + at, with, wlen);
    memcpy(b + at + wlen, t->b + at + len, t->n - at - len);
    t->n = t->n - len + wlen;
    free(t->b);
    t->b = b;
}

/* A word: a run of bytes without blanks, newlines or YAML flow punctuation. */
static bool is_word(char c)
{
    return c && !strchr(" \t\r\n{}[],:", c);
}

static bool find_word(const text *t, size_t from, size_t *s, size_t *e)
{
    size_t i = from;
    while (i < t->n && !is_word(t->b[i]))
        i++;
    if (i >= t->n)
        return false;
    *s = i;
    while (i < t->n && is_word(t->b[i]))
        i++;
    *e = i;
    return true;
}

/* One mutation; its name goes into *what. */
static void mutate(text *t, char *what, size_t what_len)
{
    static const char interesting[] = ":{}[],-&*!$#\t\n \"'|>@.0x~%?\\\x00\xff\xc3";
    size_t lines = count_lines(t), s, e, s2, e2;
    switch (below(7)) {
    case 0: {                                  /* byte change */
        size_t at = below(t->n);
        char c = below(2) ? interesting[below(sizeof interesting - 1)] : (char)below(256);
        snprintf(what, what_len, "byte %zu -> 0x%02x", at, (unsigned)(unsigned char)c);
        if (t->n)
            t->b[at] = c;
        break;
    }
    case 1: {                                  /* byte insertion */
        size_t at = below(t->n + 1);
        char c = interesting[below(sizeof interesting - 1)];
        snprintf(what, what_len, "insert 0x%02x at %zu", (unsigned)(unsigned char)c, at);
        replace_span(t, at, 0, &c, 1);
        break;
    }
    case 2: {                                  /* line deletion */
        size_t l = below(lines);
        snprintf(what, what_len, "delete line %zu", l + 1);
        if (line_span(t, l, &s, &e))
            replace_span(t, s, e - s, "", 0);
        break;
    }
    case 3: {                                  /* line duplication, elsewhere */
        size_t l = below(lines), to = below(lines);
        snprintf(what, what_len, "copy line %zu before line %zu", l + 1, to + 1);
        if (line_span(t, l, &s, &e) && line_span(t, to, &s2, &e2)) {
            char *copy = emu_xmalloc(e - s);
            memcpy(copy, t->b + s, e - s);
            replace_span(t, s2, 0, copy, e - s);
            free(copy);
        }
        break;
    }
    case 4: {                                  /* token swap */
        size_t a = below(t->n), b = below(t->n);
        snprintf(what, what_len, "swap words at %zu and %zu", a, b);
        if (find_word(t, a < b ? a : b, &s, &e) && find_word(t, a < b ? b : a, &s2, &e2) &&
            s2 >= e) {
            char *w1 = emu_asprintf("%.*s", (int)(e - s), t->b + s);
            char *w2 = emu_asprintf("%.*s", (int)(e2 - s2), t->b + s2);
            replace_span(t, s2, e2 - s2, w1, strlen(w1));
            replace_span(t, s, e - s, w2, strlen(w2));
            free(w1);
            free(w2);
        }
        break;
    }
    case 5: {                                  /* truncation */
        size_t at = below(t->n + 1);
        snprintf(what, what_len, "truncate at %zu", at);
        t->n = at;
        break;
    }
    default: {                                 /* a word copied over another */
        size_t a = below(t->n), b = below(t->n);
        snprintf(what, what_len, "word at %zu over word at %zu", a, b);
        if (find_word(t, a, &s, &e) && find_word(t, b, &s2, &e2)) {
            char *w = emu_asprintf("%.*s", (int)(e - s), t->b + s);
            replace_span(t, s2, e2 - s2, w, strlen(w));
            free(w);
        }
        break;
    }
    }
}

/* A --set KEY=VALUE made of words machine files use, joined at random. */
static char *random_set(void)
{
    static const char *const keys[] = {
        "devices", "cpus", "memory", "spaces", "vars", "chardevs", "blockdevs", "board",
        "scripts", "include", "props", "type", "map", "irq", "size", "kind", "ram", "com1",
        "pic", "cpu0", "0", "7", "", "x", "name", "emu-machine", "null", "${ram}",
    };
    static const char *const values[] = {
        "", "1", "0x10", "16M", "-1", "null", "~", "abc", "system@0x0", "pic.4", "${ram}",
        "${nosuch}", "$${x}", "stdio", "file:", "ns16550", "[1, 2]", "{a: 1}", "99999999999999999999",
    };
    size_t n = 1 + below(5);
    char *key = emu_xstrdup(keys[below(EMU_ARRAY_SIZE(keys))]);
    for (size_t i = 1; i < n; i++) {
        char *k = emu_asprintf("%s.%s", key, keys[below(EMU_ARRAY_SIZE(keys))]);
        free(key);
        key = k;
    }
    char *set = emu_asprintf("%s=%s", key, values[below(EMU_ARRAY_SIZE(values))]);
    free(key);
    return set;
}

/* "--set KEY=VALUE: " at the start (an error in a value from the command line). */
static bool from_option(const char *msg, const char *set)
{
    return set && !strncmp(msg, "--set ", 6) && !strncmp(msg + 6, set, strlen(set)) &&
           !strncmp(msg + 6 + strlen(set), ": ", 2);
}

/* "PATH:LINE:COL: " at the start (an error in the case or in a file it includes). */
static bool positioned(const char *msg)
{
    const char *p = msg;
    while ((p = strchr(p, ':'))) {
        const char *q = p + 1;
        size_t d1 = strspn(q, "0123456789");
        if (d1 && q[d1] == ':') {
            size_t d2 = strspn(q + d1 + 1, "0123456789");
            if (d2 && q[d1 + 1 + d2] == ':' && q[d1 + 2 + d2] == ' ')
                return p != msg;
        }
        p++;
    }
    return false;
}

static bool printable_line(const char *msg)
{
    for (const char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

/* Fuzz one source file; its folder is mirrored (symbolic links) so includes and relative
   paths of the case resolve as they would for the original. */
static void fuzz_file(const char *src_dir, const char *name, const char *work, unsigned cases,
                      bool verbose)
{
    char *src = emu_asprintf("%s/%s", src_dir, name);
    text orig = { 0 };
    if (!read_all(src, &orig)) {
        ok(0, "%s: cannot read", src);
        free(src);
        free(orig.b);
        return;
    }
    char *mirror = emu_asprintf("%s/m", work);
    char *cmd = emu_asprintf("rm -rf '%s' && mkdir '%s'", mirror, mirror);
    if (system(cmd) != 0) {
        printf("Bail out! %s failed\n", cmd);
        exit(1);
    }
    free(cmd);
    DIR *d = opendir(src_dir);
    for (struct dirent *de; d && (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        char *from = emu_asprintf("%s/%s", src_dir, de->d_name);
        char *to = emu_asprintf("%s/%s", mirror, de->d_name);
        if (symlink(from, to) < 0)
            tap_diag("symlink %s: %s", to, strerror(errno));
        free(from);
        free(to);
    }
    if (d)
        closedir(d);
    char *path = emu_asprintf("%s/fuzz-case.yaml", mirror);
    unsigned accepted = 0, refused = 0, bad = 0;
    for (unsigned i = 0; i < cases; i++) {
        text t = { emu_xmalloc(orig.n + 1), orig.n };
        memcpy(t.b, orig.b, orig.n);
        char what[4][96];
        unsigned nmut = 1 + (unsigned)below(4);
        /* A quarter of the cases also get a --set; half of those keep the file as it is. */
        char *set = below(4) ? NULL : random_set();
        if (set && below(2))
            nmut = 0;
        for (unsigned k = 0; k < nmut; k++)
            mutate(&t, what[k], sizeof what[k]);
        write_all(path, &t);
        if (verbose) {
            tap_diag("%s case %u: %u mutations%s%s", name, i, nmut, set ? ", --set " : "",
                     set ? set : "");
            for (unsigned k = 0; k < nmut; k++)
                tap_diag("  %s", what[k]);
        }
        emu_error *err = NULL;
        const char *sets[1] = { set };
        if (emu_machine_check(path, sets, set ? 1 : 0, &err) == 0) {
            accepted++;
        } else {
            const char *msg = emu_error_message(err);
            /* An empty file has no line to name.  Every message is one printable line. */
            bool fine = (positioned(msg) || from_option(msg, set) ||
                         (t.n == 0 && nmut && strstr(msg, "empty file"))) && printable_line(msg);
            if (fine) {
                refused++;
            } else if (bad++ < 5) {
                tap_diag("%s case %u (%u mutations, first: %s; --set %s): %s", name, i, nmut,
                         nmut ? what[0] : "none", set ? set : "none", msg);
            }
        }
        emu_error_free(err);
        free(set);
        free(t.b);
    }
    ok(bad == 0, "%s: %u mutated cases, %u accepted, %u refused naming FILE:LINE:COL or the --set, %u not so",
       src, cases, accepted, refused, bad);
    unlink(path);
    free(path);
    free(mirror);
    free(orig.b);
    free(src);
}

static void fuzz_dir(const char *dir, const char *work, unsigned cases, bool verbose)
{
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0) {
        ok(0, "%s: %s", dir, strerror(errno));
        return;
    }
    for (int i = 0; i < n; i++) {
        size_t len = strlen(names[i]->d_name);
        if (len > 5 && !strcmp(names[i]->d_name + len - 5, ".yaml"))
            fuzz_file(dir, names[i]->d_name, work, cases, verbose);
        free(names[i]);
    }
    free(names);
}

int main(void)
{
    const char *srcdir = getenv("EMU_SRCDIR"), *build = getenv("EMU_BUILDDIR");
    char work[] = "/tmp/emu-test-fuzz-XXXXXX";
    if (!srcdir || !build || !mkdtemp(work)) {
        printf("1..0 # SKIP no EMU_SRCDIR, EMU_BUILDDIR or temporary folder\n");
        return 0;
    }
    const char *s = getenv("EMU_FUZZ_SEED"), *c = getenv("EMU_FUZZ_CASES");
    uint64_t seed = s && *s ? strtoull(s, NULL, 0) : 1;
    unsigned cases = c && *c ? (unsigned)strtoul(c, NULL, 0) : DEFAULT_CASES;
    const char *v = getenv("EMU_FUZZ_VERBOSE");
    rng_state = seed ? seed : 1;
    tap_diag("seed %llu, %u cases per file (EMU_FUZZ_SEED and EMU_FUZZ_CASES choose others)",
             (unsigned long long)seed, cases);

    char *plugin = emu_asprintf("%s/tests/machines/plugin/mft_devices.la", build);
    emu_error *err = NULL;
    if (emu_plugins_load_path(plugin, &err) < 0) {
        printf("Bail out! %s\n", emu_error_message(err));
        return 1;
    }
    free(plugin);
    /* Relative paths in an accepted case (scripts, files) resolve from the work folder. */
    if (chdir(work) < 0)
        return 1;
    char *machines = emu_asprintf("%s/machines.d", srcdir);
    char *tests = emu_asprintf("%s/tests/machines", srcdir);
    char *common = emu_asprintf("%s/tests/machines/common", srcdir);
    fuzz_dir(machines, work, cases, v && *v == '1');
    fuzz_dir(tests, work, cases, v && *v == '1');
    fuzz_dir(common, work, cases / 3, v && *v == '1');
    free(machines);
    free(tests);
    free(common);
    emu_plugins_shutdown();
    char *rm = emu_asprintf("rm -rf '%s'", work);
    if (system(rm) != 0)
        tap_diag("could not remove %s", work);
    free(rm);
    return tap_done();
}
