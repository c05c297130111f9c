/* ELF symbol tables: read .symtab/.dynsym of an ELF32/ELF64 file of either byte order with
 * every offset checked, then answer lookups by name (sorted index) and by address. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "symbols.h"
#include "util.h"

#define SHT_SYMTAB 2
#define SHT_DYNSYM 11
#define STT_OBJECT 1
#define STT_FUNC 2
#define STT_SECTION 3
#define STT_FILE 4
#define STB_GLOBAL 1
#define STB_WEAK 2
#define SHN_UNDEF 0
#define SHN_LORESERVE 0xff00
#define SHN_ABS 0xfff1

struct emu_symtab {
    emu_symbol *syms;
    size_t n, cap;
    emu_symbol **by_name;     /* sorted by name, then globals first */
    emu_symbol **by_addr;     /* sorted by address */
    char **strings;           /* name storage, one block per file */
    size_t nstrings, strings_cap;
    bool sorted;
};

emu_symtab *emu_symtab_new(void)
{
    return emu_xcalloc(1, sizeof(emu_symtab));
}

void emu_symtab_free(emu_symtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nstrings; i++)
        free(t->strings[i]);
    free(t->strings);
    free(t->syms);
    free(t->by_name);
    free(t->by_addr);
    free(t);
}

size_t emu_symtab_count(const emu_symtab *t)
{
    return t->n;
}

/* ---- reading the file ---- */

typedef struct elf_file {
    const uint8_t *p;
    uint64_t size;
    bool is64, big;
} elf_file;

static uint64_t get(const elf_file *f, uint64_t off, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned b = f->big ? i : n - 1 - i;
        v = v << 8 | f->p[off + b];
    }
    return v;
}

static bool in_file(const elf_file *f, uint64_t off, uint64_t len)
{
    return off <= f->size && len <= f->size - off;
}

typedef struct section {
    uint32_t type, link;
    uint64_t offset, size, entsize;
} section;

static void read_section(const elf_file *f, uint64_t shoff, uint64_t shentsize, unsigned i,
                        section *s)
{
    uint64_t o = shoff + (uint64_t)i * shentsize;
    s->type = (uint32_t)get(f, o + 4, 4);
    if (f->is64) {
        s->offset = get(f, o + 24, 8);
        s->size = get(f, o + 32, 8);
        s->link = (uint32_t)get(f, o + 40, 4);
        s->entsize = get(f, o + 56, 8);
    } else {
        s->offset = get(f, o + 16, 4);
        s->size = get(f, o + 20, 4);
        s->link = (uint32_t)get(f, o + 24, 4);
        s->entsize = get(f, o + 36, 4);
    }
}

static int parse(emu_symtab *t, const elf_file *f, const char *path, uint64_t bias,
                 emu_error **err)
{
    uint64_t shoff = f->is64 ? get(f, 0x28, 8) : get(f, 0x20, 4);
    uint64_t shentsize = get(f, f->is64 ? 0x3a : 0x2e, 2);
    uint64_t shnum = get(f, f->is64 ? 0x3c : 0x30, 2);
    uint64_t min_shent = f->is64 ? 64 : 40;
    if (shnum == 0) {
        emu_error_set(err, "%s: no section headers, so no symbol table", path);
        return -1;
    }
    if (shentsize < min_shent || !in_file(f, shoff, shnum * shentsize)) {
        emu_error_set(err, "%s: section headers lie outside the file (corrupt ELF)", path);
        return -1;
    }
    /* Prefer the full .symtab; a stripped file still has .dynsym. */
    section sym = { 0 }, str;
    int symtab = -1, dynsym = -1;
    for (unsigned i = 0; i < shnum; i++) {
        read_section(f, shoff, shentsize, i, &sym);
        if (sym.type == SHT_SYMTAB && symtab < 0)
            symtab = (int)i;
        if (sym.type == SHT_DYNSYM && dynsym < 0)
            dynsym = (int)i;
    }
    if (symtab < 0 && dynsym < 0) {
        emu_error_set(err, "%s: no symbol table (.symtab or .dynsym)", path);
        return -1;
    }
    read_section(f, shoff, shentsize, (unsigned)(symtab >= 0 ? symtab : dynsym), &sym);
    uint64_t min_ent = f->is64 ? 24 : 16;
    if (sym.link >= shnum || sym.entsize < min_ent || !in_file(f, sym.offset, sym.size)) {
        emu_error_set(err, "%s: symbol table lies outside the file (corrupt ELF)", path);
        return -1;
    }
    read_section(f, shoff, shentsize, sym.link, &str);
    if (!in_file(f, str.offset, str.size) || str.size == 0) {
        emu_error_set(err, "%s: symbol names lie outside the file (corrupt ELF)", path);
        return -1;
    }
    /* One copy of the string table, so names outlive the mapping. */
    char *names = emu_xmalloc(str.size + 1);
    memcpy(names, f->p + str.offset, str.size);
    names[str.size] = 0;
    EMU_PUSH(t->strings, t->nstrings, t->strings_cap, names);

    uint64_t count = sym.size / sym.entsize;
    for (uint64_t i = 1; i < count; i++) {   /* entry 0 is the null symbol */
        uint64_t o = sym.offset + i * sym.entsize;
        uint64_t name, value, size;
        unsigned info, shndx;
        if (f->is64) {
            name = get(f, o, 4);
            info = f->p[o + 4];
            shndx = (unsigned)get(f, o + 6, 2);
            value = get(f, o + 8, 8);
            size = get(f, o + 16, 8);
        } else {
            name = get(f, o, 4);
            value = get(f, o + 4, 4);
            size = get(f, o + 8, 4);
            info = f->p[o + 12];
            shndx = (unsigned)get(f, o + 14, 2);
        }
        unsigned type = info & 0xf, bind = info >> 4;
        if (shndx == SHN_UNDEF || (shndx >= SHN_LORESERVE && shndx != SHN_ABS) ||
            type == STT_SECTION || type == STT_FILE || name == 0 || name >= str.size ||
            names[name] == 0)
            continue;
        /* Mapping symbols ($a, $d, $t on ARM) and local labels are not functions. */
        if (names[name] == '$' || !strncmp(names + name, ".L", 2))
            continue;
        emu_symbol s = {
            .name = names + name, .addr = value + (shndx == SHN_ABS ? 0 : bias), .size = size,
            .is_func = type == STT_FUNC, .is_global = bind == STB_GLOBAL || bind == STB_WEAK,
        };
        EMU_PUSH(t->syms, t->n, t->cap, s);
    }
    t->sorted = false;
    return 0;
}

int emu_symtab_load_elf(emu_symtab *t, const char *path, uint64_t bias, emu_error **err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        emu_error_set(err, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        emu_error_set(err, "%s: not a regular file", path);
        close(fd);
        return -1;
    }
    if (st.st_size < 4) {
        emu_error_set(err, "%s: not an ELF file", path);
        close(fd);
        return -1;
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        emu_error_set(err, "%s: cannot map: %s", path, strerror(errno));
        return -1;
    }
    elf_file f = { .p = map, .size = (uint64_t)st.st_size };
    int rc = -1;
    if (memcmp(f.p, "\177ELF", 4) != 0) {
        emu_error_set(err, "%s: not an ELF file", path);
    } else if (f.size < 52) {
        emu_error_set(err, "%s: too short to be an ELF file", path);
    } else if ((f.p[4] != 1 && f.p[4] != 2) || (f.p[5] != 1 && f.p[5] != 2)) {
        emu_error_set(err, "%s: unknown ELF class %u or byte order %u", path, f.p[4], f.p[5]);
    } else {
        f.is64 = f.p[4] == 2;
        f.big = f.p[5] == 2;
        if (f.is64 && f.size < 64)
            emu_error_set(err, "%s: too short to be an ELF64 file", path);
        else
            rc = parse(t, &f, path, bias, err);
    }
    munmap(map, (size_t)st.st_size);
    return rc;
}

/* ---- lookups ---- */

static int by_name_cmp(const void *a, const void *b)
{
    const emu_symbol *x = *(emu_symbol *const *)a, *y = *(emu_symbol *const *)b;
    int c = strcmp(x->name, y->name);
    if (c)
        return c;
    if (x->is_global != y->is_global)
        return x->is_global ? -1 : 1;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int by_addr_cmp(const void *a, const void *b)
{
    const emu_symbol *x = *(emu_symbol *const *)a, *y = *(emu_symbol *const *)b;
    if (x->addr != y->addr)
        return x->addr < y->addr ? -1 : 1;
    /* At one address, functions and sized symbols last: lookup scans down from the end. */
    if (x->is_func != y->is_func)
        return x->is_func ? 1 : -1;
    return x->size < y->size ? -1 : x->size > y->size;
}

static void sort(emu_symtab *t)
{
    if (t->sorted)
        return;
    t->by_name = emu_xrealloc(t->by_name, (t->n ? t->n : 1) * sizeof *t->by_name);
    t->by_addr = emu_xrealloc(t->by_addr, (t->n ? t->n : 1) * sizeof *t->by_addr);
    for (size_t i = 0; i < t->n; i++)
        t->by_name[i] = t->by_addr[i] = &t->syms[i];
    qsort(t->by_name, t->n, sizeof *t->by_name, by_name_cmp);
    qsort(t->by_addr, t->n, sizeof *t->by_addr, by_addr_cmp);
    t->sorted = true;
}

const emu_symbol *emu_symtab_find(emu_symtab *t, const char *name)
{
    sort(t);
    size_t lo = 0, hi = t->n;
    while (lo < hi) {                 /* first entry with that name */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(t->by_name[mid]->name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->n && !strcmp(t->by_name[lo]->name, name) ? t->by_name[lo] : NULL;
}

/* How far below an address lookup looks for a sized symbol containing it
   (nested symbols are rare; this bounds the scan). */
#define LOOKUP_SCAN 64

const emu_symbol *emu_symtab_lookup(emu_symtab *t, uint64_t addr)
{
    sort(t);
    size_t lo = 0, hi = t->n;
    while (lo < hi) {                 /* first entry above addr */
        size_t mid = lo + (hi - lo) / 2;
        if (t->by_addr[mid]->addr <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    /* Scan down: a sized symbol containing addr wins (nested ones included);
       an unsized function (an assembly label) counts only when no sized
       symbol lies between it and addr. */
    bool passed_sized = false;
    for (size_t i = lo, scanned = 0; i-- > 0 && scanned < LOOKUP_SCAN; scanned++) {
        const emu_symbol *s = t->by_addr[i];
        if (s->size) {
            if (addr - s->addr < s->size)
                return s;
            passed_sized = true;
        } else if (s->is_func && !passed_sized) {
            return s;
        }
    }
    return NULL;
}
