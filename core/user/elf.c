/* ELF loader for user mode: header and program header validation (every field is checked
 * against the file size and the guest address space), PT_INTERP, and segment loading. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elf.h"
#include "util.h"

#define PT_LOAD_ 1
#define PT_INTERP_ 3
#define PT_PHDR_ 6
#define MAX_PHNUM 512
#define MAX_INTERP 4096

static uint64_t rd(const uint8_t *p, unsigned size, bool msb)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)p[msb ? i : size - 1 - i] << (8 * (size - 1 - i));
    return v;
}

const char *emu_elf_machine_name(uint16_t machine)
{
    static const struct { uint16_t m; const char *name; } names[] = {
        { 2, "SPARC" }, { 3, "i386" }, { 4, "m68k" }, { 8, "MIPS" }, { 18, "SPARC32+" },
        { 20, "PowerPC" }, { 21, "PowerPC64" }, { 22, "s390" }, { 40, "ARM" }, { 43, "SPARC64" },
        { 62, "x86-64" }, { 183, "AArch64" }, { 243, "RISC-V" }, { 258, "LoongArch" },
    };
    static __thread char buf[32];
    for (size_t i = 0; i < EMU_ARRAY_SIZE(names); i++)
        if (names[i].m == machine)
            return names[i].name;
    snprintf(buf, sizeof buf, "machine %u", machine);
    return buf;
}

static int fail(emu_elf *e, emu_error **err, const char *fmt, const char *detail)
{
    emu_error_set(err, fmt, e->path, detail);
    emu_elf_close(e);
    return -1;
}

static int read_at(int fd, void *buf, size_t len, uint64_t off)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

static int parse_phdrs(emu_elf *e, const uint8_t *ph, emu_error **err)
{
    bool msb = e->data == EMU_ELF_MSB, is64 = e->elf_class == EMU_ELF_CLASS64;
    uint64_t last_vaddr = 0;
    for (unsigned i = 0; i < e->phnum; i++) {
        const uint8_t *p = ph + (size_t)i * e->phentsize;
        uint32_t type = (uint32_t)rd(p, 4, msb);
        uint64_t offset, vaddr, filesz, memsz, align;
        uint32_t flags;
        if (is64) {
            flags = (uint32_t)rd(p + 4, 4, msb);
            offset = rd(p + 8, 8, msb);
            vaddr = rd(p + 16, 8, msb);
            filesz = rd(p + 32, 8, msb);
            memsz = rd(p + 40, 8, msb);
            align = rd(p + 48, 8, msb);
        } else {
            offset = rd(p + 4, 4, msb);
            vaddr = rd(p + 8, 4, msb);
            filesz = rd(p + 16, 4, msb);
            memsz = rd(p + 20, 4, msb);
            flags = (uint32_t)rd(p + 24, 4, msb);
            align = rd(p + 28, 4, msb);
        }
        char what[96];
        if (type == PT_LOAD_) {
            if (memsz == 0)
                continue;
            snprintf(what, sizeof what, "segment %u", i);
            if (filesz > memsz)
                return fail(e, err, "%s: corrupt ELF file: %s is larger in the file than in memory", what);
            if (offset > e->file_size || filesz > e->file_size - offset)
                return fail(e, err, "%s: truncated or corrupt ELF file: %s extends past the end of the file", what);
            if (vaddr + memsz < vaddr || (!is64 && vaddr + memsz > 0x100000000ull))
                return fail(e, err, "%s: corrupt ELF file: %s wraps around the address space", what);
            if ((vaddr & EMU_VM_PAGE_MASK) != (offset & EMU_VM_PAGE_MASK))
                return fail(e, err, "%s: corrupt ELF file: %s is not page-aligned like its file offset", what);
            if (align > 1 && (align & (align - 1)))
                return fail(e, err, "%s: corrupt ELF file: %s has an alignment that is not a power of two", what);
            if (e->nloads && vaddr < last_vaddr)
                return fail(e, err, "%s: corrupt ELF file: %s is out of address order", what);
            last_vaddr = vaddr;
            e->loads = emu_xrealloc(e->loads, (e->nloads + 1) * sizeof *e->loads);
            e->loads[e->nloads++] = (emu_elf_segment){
                vaddr, memsz, offset, filesz,
                (flags & 4 ? EMU_VM_READ : 0) | (flags & 2 ? EMU_VM_WRITE : 0) |
                    (flags & 1 ? EMU_VM_EXEC : 0),
            };
        } else if (type == PT_INTERP_) {
            if (e->interp)
                return fail(e, err, "%s: corrupt ELF file: %s", "two PT_INTERP headers");
            if (filesz < 2 || filesz > MAX_INTERP || offset > e->file_size ||
                filesz > e->file_size - offset)
                return fail(e, err, "%s: corrupt ELF file: %s", "bad PT_INTERP header");
            e->interp = emu_xmalloc(filesz);
            if (read_at(e->fd, e->interp, filesz, offset) < 0)
                return fail(e, err, "%s: cannot read the ELF file: %s", "PT_INTERP");
            if (e->interp[filesz - 1] != 0 || strlen(e->interp) != filesz - 1)
                return fail(e, err, "%s: corrupt ELF file: %s", "PT_INTERP is not a NUL-terminated path");
        } else if (type == PT_PHDR_) {
            e->phdr_vaddr = vaddr;
        }
    }
    if (!e->nloads)
        return fail(e, err, "%s: corrupt ELF file: %s", "no loadable segment");
    if (!e->phdr_vaddr)
        for (size_t i = 0; i < e->nloads; i++) {
            const emu_elf_segment *s = &e->loads[i];
            if (e->phoff >= s->offset && e->phoff - s->offset < s->filesz) {
                e->phdr_vaddr = s->vaddr + (e->phoff - s->offset);
                break;
            }
        }
    return 0;
}

int emu_elf_open(const char *path, emu_elf *e, emu_error **err)
{
    memset(e, 0, sizeof *e);
    e->fd = -1;
    e->path = emu_xstrdup(path);
    e->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (e->fd < 0)
        return fail(e, err, "%s: %s", strerror(errno));
    struct stat st;
    if (fstat(e->fd, &st) < 0)
        return fail(e, err, "%s: %s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fail(e, err, "%s: %s", "is a directory");
    if (!S_ISREG(st.st_mode))
        return fail(e, err, "%s: %s", "not a regular file");
    e->file_size = (uint64_t)st.st_size;
    uint8_t h[64];
    memset(h, 0, sizeof h);
    size_t got = e->file_size < sizeof h ? (size_t)e->file_size : sizeof h;
    if (read_at(e->fd, h, got, 0) < 0)
        return fail(e, err, "%s: cannot read: %s", strerror(errno ? errno : EIO));
    if (got < 4 || memcmp(h, "\177ELF", 4))
        return fail(e, err, "%s: %s", "not an ELF executable (no ELF magic number)");
    e->elf_class = h[4];
    e->data = h[5];
    if (e->elf_class != EMU_ELF_CLASS32 && e->elf_class != EMU_ELF_CLASS64)
        return fail(e, err, "%s: corrupt ELF file: %s", "unknown class (byte 4 must be 1 or 2)");
    if (e->data != EMU_ELF_LSB && e->data != EMU_ELF_MSB)
        return fail(e, err, "%s: corrupt ELF file: %s", "unknown byte order (byte 5 must be 1 or 2)");
    bool msb = e->data == EMU_ELF_MSB, is64 = e->elf_class == EMU_ELF_CLASS64;
    size_t ehsize = is64 ? 64 : 52;
    if (got < ehsize)
        return fail(e, err, "%s: %s", "truncated ELF file (incomplete header)");
    if (h[6] != 1 || rd(h + 20, 4, msb) != 1)
        return fail(e, err, "%s: corrupt ELF file: %s", "unknown ELF version");
    e->type = (uint16_t)rd(h + 16, 2, msb);
    e->machine = (uint16_t)rd(h + 18, 2, msb);
    if (e->type != EMU_ELF_EXEC && e->type != EMU_ELF_DYN)
        return fail(e, err, "%s: %s", e->type == 1 ? "is an object file (ET_REL), not an executable"
                                      : e->type == 4 ? "is a core dump, not an executable"
                                      : "not an executable ELF file (e_type)");
    if (is64) {
        e->entry = rd(h + 24, 8, msb);
        e->phoff = rd(h + 32, 8, msb);
        e->phentsize = (uint16_t)rd(h + 54, 2, msb);
        e->phnum = (uint16_t)rd(h + 56, 2, msb);
    } else {
        e->entry = rd(h + 24, 4, msb);
        e->phoff = rd(h + 28, 4, msb);
        e->phentsize = (uint16_t)rd(h + 42, 2, msb);
        e->phnum = (uint16_t)rd(h + 44, 2, msb);
    }
    if (e->phentsize != (is64 ? 56 : 32))
        return fail(e, err, "%s: corrupt ELF file: %s", "wrong program header size");
    if (e->phnum == 0 || e->phnum > MAX_PHNUM)
        return fail(e, err, "%s: corrupt ELF file: %s", "bad number of program headers");
    uint64_t phsize = (uint64_t)e->phnum * e->phentsize;
    if (e->phoff > e->file_size || phsize > e->file_size - e->phoff)
        return fail(e, err, "%s: %s", "truncated ELF file (program headers past the end)");
    uint8_t *ph = emu_xmalloc(phsize);
    if (read_at(e->fd, ph, phsize, e->phoff) < 0) {
        free(ph);
        return fail(e, err, "%s: cannot read: %s", "program headers");
    }
    int r = parse_phdrs(e, ph, err);
    free(ph);
    return r;
}

void emu_elf_close(emu_elf *e)
{
    if (e->fd >= 0)
        close(e->fd);
    free(e->path);
    free(e->loads);
    free(e->interp);
    memset(e, 0, sizeof *e);
    e->fd = -1;
}

static uint64_t page_down(uint64_t v) { return v & ~EMU_VM_PAGE_MASK; }
static uint64_t page_up(uint64_t v) { return (v + EMU_VM_PAGE_MASK) & ~EMU_VM_PAGE_MASK; }

int emu_elf_load(emu_elf *e, emu_user_vm *vm, uint64_t base, emu_elf_image *img,
                 emu_error **err)
{
    uint64_t lo = page_down(e->loads[0].vaddr);
    uint64_t hi = 0;
    for (size_t i = 0; i < e->nloads; i++) {
        uint64_t end = e->loads[i].vaddr + e->loads[i].memsz;
        if (end > hi)
            hi = end;
    }
    hi = page_up(hi);
    uint64_t span = hi - lo, bias = 0;
    if (e->type == EMU_ELF_DYN) {
        uint64_t at = emu_vm_find_free(vm, span, base ? base : 0);
        if (!at) {
            emu_error_set(err, "%s: no room for %llu KiB in the guest address space", e->path,
                          (unsigned long long)(span >> 10));
            return -1;
        }
        bias = at - lo;
    } else if (hi > vm->size || lo < vm->min_addr) {
        emu_error_set(err, "%s: segments at %#llx-%#llx are outside the guest address space",
                      e->path, (unsigned long long)lo, (unsigned long long)hi);
        return -1;
    }
    /* Map the page ranges of the segments (merging ranges that share pages)
       writable, read the file contents in, then give each page its access. */
    for (size_t i = 0; i < e->nloads;) {
        uint64_t start = page_down(e->loads[i].vaddr), end = page_up(e->loads[i].vaddr + e->loads[i].memsz);
        size_t j = i + 1;
        while (j < e->nloads && page_down(e->loads[j].vaddr) <= end) {
            uint64_t jend = page_up(e->loads[j].vaddr + e->loads[j].memsz);
            if (jend > end)
                end = jend;
            j++;
        }
        int64_t r = emu_vm_map(vm, start + bias, end - start, EMU_VM_READ | EMU_VM_WRITE,
                               EMU_VM_NOREPLACE, -1, 0);
        if (r < 0) {
            emu_error_set(err, "%s: cannot map %#llx-%#llx: %s", e->path,
                          (unsigned long long)(start + bias), (unsigned long long)(end + bias),
                          r == -EEXIST ? "the range is in use" : strerror((int)-r));
            return -1;
        }
        i = j;
    }
    for (size_t i = 0; i < e->nloads; i++) {
        const emu_elf_segment *s = &e->loads[i];
        if (s->filesz && read_at(e->fd, emu_vm_host(vm, s->vaddr + bias), s->filesz, s->offset) < 0) {
            emu_error_set(err, "%s: cannot read segment %zu: %s", e->path, i,
                          errno ? strerror(errno) : "file changed");
            return -1;
        }
    }
    for (size_t i = 0; i < e->nloads; i++) {
        const emu_elf_segment *s = &e->loads[i];
        uint64_t start = page_down(s->vaddr), end = page_up(s->vaddr + s->memsz);
        int prot = s->prot;
        /* A page shared with the previous segment keeps that one's access too. */
        if (i > 0 && page_up(e->loads[i - 1].vaddr + e->loads[i - 1].memsz) > start) {
            emu_vm_protect(vm, start + bias, EMU_VM_PAGE, prot | e->loads[i - 1].prot);
            start += EMU_VM_PAGE;
        }
        if (end > start)
            emu_vm_protect(vm, start + bias, end - start, prot);
    }
    img->bias = bias;
    img->entry = e->entry + bias;
    img->phdr = e->phdr_vaddr ? e->phdr_vaddr + bias : 0;
    img->end = hi + bias;
    return 0;
}
