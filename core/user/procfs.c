/* The guest's view of its own /proc files.  Opening /proc/self/cmdline, /proc/self/auxv or
 * /proc/self/maps (also as /proc/thread-self/... or /proc/PID/... with our pid) gives a
 * memory file with what a native kernel would show for the guest: its arguments, its
 * auxiliary vector (guest words), and its mappings in guest addresses with the guest's
 * permissions.  /proc/self/exe is answered by path.c. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "elf.h"
#include "user.h"
#include "util.h"

/* A loaded segment's file-backed pages, as the kernel would show them. */
struct emu_user_file_range {
    uint64_t start, end, offset;
    char dev[16];
    unsigned long inode;
    char *path;                        /* the host's real path */
};

/* The name after "/proc/self/", "/proc/thread-self/" or "/proc/OURPID/", or NULL. */
static const char *own_proc_file(const char *path)
{
    static const char *const prefixes[] = { "/proc/self/", "/proc/thread-self/" };
    for (size_t i = 0; i < EMU_ARRAY_SIZE(prefixes); i++)
        if (!strncmp(path, prefixes[i], strlen(prefixes[i])))
            return path + strlen(prefixes[i]);
    char mine[32];
    int n = snprintf(mine, sizeof mine, "/proc/%d/", (int)getpid());
    return !strncmp(path, mine, (size_t)n) ? path + n : NULL;
}

/* A host mapping inside the guest space, from the host's /proc/self/maps. */
typedef struct host_map {
    uint64_t start, end, offset;       /* guest addresses */
    char shared;                       /* 's' or 'p' */
    char dev[16];
    unsigned long inode;
    char *path;                        /* NULL for anonymous memory */
} host_map;

static size_t read_host_maps(const emu_user_vm *vm, host_map **out)
{
    FILE *f = fopen("/proc/self/maps", "re");
    host_map *maps = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        *out = NULL;
        return 0;
    }
    char *line = NULL;
    size_t len = 0;
    uint64_t lo = (uint64_t)(uintptr_t)vm->base, hi = lo + vm->size;
    while (getline(&line, &len, f) > 0) {
        uint64_t s, e, off;
        char perms[8], dev[16];
        unsigned long inode;
        int pos = 0;
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %15s %lu %n", &s, &e, perms, &off, dev,
                   &inode, &pos) < 6 || e <= lo || s >= hi)
            continue;
        host_map m = { .start = (s < lo ? lo : s) - lo, .end = (e > hi ? hi : e) - lo, .offset = off,
                       .shared = perms[3] == 's' ? 's' : 'p', .inode = inode };
        if (s < lo)
            m.offset += lo - s;
        snprintf(m.dev, sizeof m.dev, "%s", dev);
        char *path = line + pos;
        path[strcspn(path, "\n")] = 0;
        m.path = path[0] == '/' ? emu_xstrdup(path) : NULL;
        EMU_PUSH(maps, n, cap, m);
    }
    free(line);
    fclose(f);
    *out = maps;
    return n;
}

/* The name a file mapping shows: the guest's path for files taken from the sysroot. */
static const char *guest_path(const emu_user_proc *p, const char *host)
{
    if (p->sysroot) {
        size_t n = strlen(p->sysroot);
        if (!strncmp(host, p->sysroot, n) && host[n] == '/')
            return host + n;
    }
    return host;
}

void emu_user_procfs_add_image(emu_user_proc *p, const emu_elf *e, uint64_t bias)
{
    struct stat st;
    char *real = realpath(e->path, NULL);
    if (!real || fstat(e->fd, &st) < 0) {
        free(real);
        return;
    }
    for (size_t i = 0; i < e->nloads; i++) {
        const emu_elf_segment *s = &e->loads[i];
        if (!s->filesz)
            continue;
        struct emu_user_file_range r = {
            .start = (s->vaddr + bias) & ~EMU_VM_PAGE_MASK,
            .end = (s->vaddr + bias + s->filesz + EMU_VM_PAGE_MASK) & ~EMU_VM_PAGE_MASK,
            .offset = s->offset & ~EMU_VM_PAGE_MASK, .inode = (unsigned long)st.st_ino,
            .path = emu_xstrdup(real),
        };
        snprintf(r.dev, sizeof r.dev, "%02x:%02x", major(st.st_dev), minor(st.st_dev));
        EMU_PUSH(p->file_ranges, p->nfile_ranges, p->cfile_ranges, r);
    }
    free(real);
}

static const struct emu_user_file_range *file_range_at(const emu_user_proc *p, uint64_t addr)
{
    for (size_t i = 0; i < p->nfile_ranges; i++)
        if (addr >= p->file_ranges[i].start && addr < p->file_ranges[i].end)
            return &p->file_ranges[i];
    return NULL;
}

static void write_maps(emu_linux_task *t, FILE *out)
{
    emu_user_proc *p = t->proc;
    emu_user_vm *vm = &p->vm;
    host_map *maps;
    pthread_mutex_lock(&vm->lock);
    size_t nmaps = read_host_maps(vm, &maps);
    uint64_t npages = vm->size / EMU_VM_PAGE, page = 0;
    size_t m = 0;
    bool wide = p->word == 8;
    while (page < npages) {
        int prot = vm->pages[page];
        if (!(prot & EMU_VM_MAPPED)) {
            page++;
            continue;
        }
        uint64_t start = page * EMU_VM_PAGE;
        while (m < nmaps && maps[m].end <= start)
            m++;
        const host_map *hm = m < nmaps && maps[m].start <= start ? &maps[m] : NULL;
        /* A run: same permissions, same host mapping, and the heap kept apart. */
        uint64_t limit = hm ? hm->end : (m < nmaps ? maps[m].start : vm->size);
        /* Segments emu loaded itself are anonymous on the host: their files are known here. */
        host_map loaded;
        const struct emu_user_file_range *fr = hm && hm->path ? NULL : file_range_at(p, start);
        if (fr) {
            loaded = (host_map){ .start = fr->start, .end = fr->end, .offset = fr->offset, .shared = 'p',
                                 .inode = fr->inode, .path = fr->path };
            snprintf(loaded.dev, sizeof loaded.dev, "%s", fr->dev);
            hm = &loaded;
            if (fr->end < limit)
                limit = fr->end;
        } else {
            for (size_t i = 0; i < p->nfile_ranges; i++)
                if (p->file_ranges[i].start > start && p->file_ranges[i].start < limit)
                    limit = p->file_ranges[i].start;
        }
        bool heap = start >= vm->brk_start && start < vm->brk;
        if (!heap && start < vm->brk_start && vm->brk_start < limit)
            limit = vm->brk_start;
        if (heap && vm->brk < limit)
            limit = (vm->brk + EMU_VM_PAGE_MASK) & ~EMU_VM_PAGE_MASK;
        uint64_t end = start;
        while (end < limit && vm->pages[end / EMU_VM_PAGE] == prot)
            end += EMU_VM_PAGE;
        const char *name = "";
        if (hm && hm->path)
            name = guest_path(p, hm->path);
        else if (heap)
            name = "[heap]";
        else if (end == p->abi->stack_top)
            name = "[stack]";
        else if (start == p->tramp_addr)
            name = "[vdso]";
        int col = 0;
        fprintf(out, wide ? "%016" PRIx64 "-%016" PRIx64 " %c%c%c%c %08" PRIx64 " %s %lu %n"
                          : "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %s %lu %n",
                start, end, prot & EMU_VM_READ ? 'r' : '-', prot & EMU_VM_WRITE ? 'w' : '-',
                prot & EMU_VM_EXEC ? 'x' : '-', hm ? hm->shared : 'p',
                hm && hm->path ? hm->offset + (start - hm->start) : 0, hm && hm->path ? hm->dev : "00:00",
                hm && hm->path ? hm->inode : 0ul, &col);
        /* The kernel pads the name to a column; empty names end the line at once. */
        if (name[0])
            fprintf(out, "%*s%s", col < (wide ? 73 : 49) ? (wide ? 73 : 49) - col : 1, "", name);
        fputc('\n', out);
        page = end / EMU_VM_PAGE;
    }
    pthread_mutex_unlock(&vm->lock);
    for (size_t i = 0; i < nmaps; i++)
        free(maps[i].path);
    free(maps);
}

int emu_user_open_proc_self(emu_linux_task *t, const char *path)
{
    const char *name = own_proc_file(path);
    if (!name)
        return -1;
    emu_user_proc *p = t->proc;
    if (strcmp(name, "cmdline") && strcmp(name, "auxv") && strcmp(name, "maps"))
        return -1;
    if (!strcmp(name, "cmdline") && !p->cmdline)
        return -1;
    if (!strcmp(name, "auxv") && !p->auxv)
        return -1;
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    char *text = NULL;
    size_t len = 0;
    if (!strcmp(name, "cmdline")) {
        text = emu_xmalloc(p->cmdline_len ? p->cmdline_len : 1);
        memcpy(text, p->cmdline, p->cmdline_len);
        len = p->cmdline_len;
    } else if (!strcmp(name, "auxv")) {
        text = emu_xmalloc(p->auxv_len);
        memcpy(text, p->auxv, p->auxv_len);
        len = p->auxv_len;
    } else {
        FILE *f = open_memstream(&text, &len);
        write_maps(t, f);
        fclose(f);
    }
    bool ok = write(fd, text, len) == (ssize_t)len && lseek(fd, 0, SEEK_SET) == 0;
    free(text);
    if (!ok) {
        close(fd);
        return -1;
    }
    return fd;
}
