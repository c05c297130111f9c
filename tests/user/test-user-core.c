/* User mode without a CPU: the guest address space manager, the ELF loader (valid and bad
 * files built here byte by byte) and the initial stack layout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../tap.h"
#include "user/elf.h"
#include "user/stack.h"
#include "user/vm.h"

#define BAIL(err) do { \
        printf("Bail out! %s\n", err ? emu_error_message(err) : "?"); \
        exit(1); \
    } while (0)

static char tmpdir[] = "/tmp/emu-user-core-XXXXXX";

static void test_vm(void)
{
    emu_user_vm vm;
    emu_error *err = NULL;
    ok(emu_vm_init(&vm, 1ull << 32, &err) == 0, "reserve a 4 GiB guest space");
    ok(!emu_vm_check(&vm, 0x10000, 1, EMU_VM_READ), "nothing is mapped at first");
    vm.mmap_top = 0xb0000000;
    int64_t a = emu_vm_map(&vm, 0, 3 * 4096, EMU_VM_READ | EMU_VM_WRITE, 0, -1, 0);
    is_u64(a, 0xb0000000 - 3 * 4096, "anonymous mmap goes top-down below mmap_top");
    ok(emu_vm_check(&vm, (uint64_t)a, 3 * 4096, EMU_VM_READ | EMU_VM_WRITE), "mapped pages are RW");
    ok(!emu_vm_check(&vm, (uint64_t)a, 3 * 4096 + 1, EMU_VM_READ), "one byte past is not");
    memset(emu_vm_host(&vm, (uint64_t)a), 0x5a, 3 * 4096);
    int64_t b = emu_vm_map(&vm, 0, 4096, EMU_VM_READ, 0, -1, 0);
    is_u64(b, a - 4096, "the next mapping goes right below");
    is_u64(emu_vm_map(&vm, 0x1000, 4096, EMU_VM_READ, EMU_VM_FIXED, -1, 0), (uint64_t)-EPERM,
           "MAP_FIXED below mmap_min_addr is refused");
    is_u64(emu_vm_map(&vm, (uint64_t)a, 4096, EMU_VM_READ, EMU_VM_NOREPLACE, -1, 0), (uint64_t)-EEXIST,
           "MAP_FIXED_NOREPLACE over a mapping is refused");
    is_u64(emu_vm_map(&vm, 0xfffff000, 8192, EMU_VM_READ, EMU_VM_FIXED, -1, 0), (uint64_t)-ENOMEM,
           "a fixed mapping past 4 GiB is refused");
    is_u64(emu_vm_map(&vm, 0x12345, 4096, EMU_VM_READ, EMU_VM_FIXED, -1, 0), (uint64_t)-EINVAL,
           "an unaligned fixed address is refused");
    ok(emu_vm_protect(&vm, (uint64_t)a + 4096, 4096, EMU_VM_READ) == 0, "mprotect one page read-only");
    ok(!emu_vm_check(&vm, (uint64_t)a, 3 * 4096, EMU_VM_WRITE), "the range is no longer all writable");
    is_u64(emu_vm_page_prot(&vm, (uint64_t)a + 4096), EMU_VM_READ, "page permission is READ");
    is_u64(emu_vm_protect(&vm, 0x20000, 4096, EMU_VM_READ), (uint64_t)-ENOMEM,
           "mprotect of unmapped memory fails with ENOMEM");
    ok(emu_vm_unmap(&vm, (uint64_t)a + 4096, 4096) == 0, "munmap the middle page");
    ok(emu_vm_check(&vm, (uint64_t)a, 4096, EMU_VM_READ) && !emu_vm_check(&vm, (uint64_t)a + 4096, 1, 0),
       "the hole is unmapped, the rest stays");
    int64_t hole = emu_vm_map(&vm, 0, 4096, EMU_VM_READ | EMU_VM_WRITE, 0, -1, 0);
    is_u64(hole, (uint64_t)a + 4096, "first fit from the top fills the hole");
    is_u64(*(uint8_t *)emu_vm_host(&vm, (uint64_t)hole), 0, "fresh anonymous memory is zero");

    /* mremap: grow in place, then move when blocked. */
    int64_t r = emu_vm_map(&vm, 0x40000000, 8192, EMU_VM_READ | EMU_VM_WRITE, EMU_VM_FIXED, -1, 0);
    is_u64(r, 0x40000000, "fixed mapping at 0x40000000");
    memcpy(emu_vm_host(&vm, 0x40000000), "hello", 6);
    is_u64(emu_vm_remap(&vm, 0x40000000, 8192, 16384, false, false, 0), 0x40000000, "mremap grows in place");
    ok(emu_vm_check(&vm, 0x40000000, 16384, EMU_VM_WRITE), "grown part is mapped");
    emu_vm_map(&vm, 0x40004000, 4096, EMU_VM_READ, EMU_VM_FIXED, -1, 0);
    is_u64(emu_vm_remap(&vm, 0x40000000, 16384, 32768, false, false, 0), (uint64_t)-ENOMEM,
           "mremap without MAYMOVE cannot grow into a mapping");
    int64_t moved = emu_vm_remap(&vm, 0x40000000, 16384, 32768, true, false, 0);
    ok(moved > 0 && moved != 0x40000000, "mremap with MAYMOVE moves");
    is_str((char *)emu_vm_host(&vm, (uint64_t)moved), "hello", "contents moved along");
    ok(!emu_vm_check(&vm, 0x40000000, 1, 0), "old place unmapped");

    /* brk */
    emu_vm_set_brk(&vm, 0x10020000);
    is_u64(emu_vm_brk(&vm, 0), 0x10020000, "brk(0) gives the start");
    is_u64(emu_vm_brk(&vm, 0x10030010), 0x10030010, "brk grows");
    ok(emu_vm_check(&vm, 0x10020000, 0x10011, EMU_VM_WRITE), "grown brk is writable");
    is_u64(emu_vm_brk(&vm, 0x10000000), 0x10030010, "brk below the start is refused");
    emu_vm_map(&vm, 0x10040000, 4096, EMU_VM_READ, EMU_VM_FIXED, -1, 0);
    is_u64(emu_vm_brk(&vm, 0x10050000), 0x10030010, "brk cannot grow over a mapping");
    is_u64(emu_vm_brk(&vm, 0x10021000), 0x10021000, "brk shrinks");
    ok(!emu_vm_check(&vm, 0x10022000, 1, 0), "shrunk pages are unmapped");

    /* strings */
    char *s = emu_vm_host(&vm, (uint64_t)hole + 4090);
    memcpy(s, "abcde", 6);
    is_u64(emu_vm_strlen(&vm, (uint64_t)hole + 4090, 100), 5, "strlen of a guest string");
    memset(emu_vm_host(&vm, (uint64_t)hole), 'x', 4096);
    is_u64(emu_vm_strlen(&vm, (uint64_t)hole + 4000, 10000), (uint64_t)-1,
           "a string running into an unmapped page is refused");
    is_u64(emu_vm_strlen(&vm, 0xfffffff0, 100), (uint64_t)-1, "a string at the top of the space");
    ok(emu_vm_ptr(&vm, 0xfffffff0, 0x20, EMU_VM_READ) == NULL, "a range wrapping past 4 GiB is refused");
    emu_vm_fini(&vm);
}

/* A minimal ELF file: header, program headers and contents, either class and byte order. */
typedef struct elf_builder {
    uint8_t buf[16384];
    size_t len;
    bool msb, is64;
} elf_builder;

static void put(elf_builder *b, size_t off, unsigned size, uint64_t v)
{
    for (unsigned i = 0; i < size; i++)
        b->buf[off + (b->msb ? size - 1 - i : i)] = (uint8_t)(v >> (8 * i));
}

typedef struct phdr { uint32_t type, flags; uint64_t off, vaddr, filesz, memsz; } phdr;

static void build(elf_builder *b, bool is64, bool msb, uint16_t type, uint16_t machine,
                  uint64_t entry, const phdr *ph, unsigned nph)
{
    memset(b, 0, sizeof *b);
    b->msb = msb;
    b->is64 = is64;
    memcpy(b->buf, "\177ELF", 4);
    b->buf[4] = is64 ? 2 : 1;
    b->buf[5] = msb ? 2 : 1;
    b->buf[6] = 1;
    put(b, 16, 2, type);
    put(b, 18, 2, machine);
    put(b, 20, 4, 1);
    size_t phoff = is64 ? 64 : 52, phsz = is64 ? 56 : 32;
    if (is64) {
        put(b, 24, 8, entry);
        put(b, 32, 8, phoff);
        put(b, 54, 2, phsz);
        put(b, 56, 2, nph);
    } else {
        put(b, 24, 4, entry);
        put(b, 28, 4, phoff);
        put(b, 42, 2, phsz);
        put(b, 44, 2, nph);
    }
    for (unsigned i = 0; i < nph; i++) {
        size_t o = phoff + i * phsz;
        put(b, o, 4, ph[i].type);
        if (is64) {
            put(b, o + 4, 4, ph[i].flags);
            put(b, o + 8, 8, ph[i].off);
            put(b, o + 16, 8, ph[i].vaddr);
            put(b, o + 32, 8, ph[i].filesz);
            put(b, o + 40, 8, ph[i].memsz);
            put(b, o + 48, 8, 4096);
        } else {
            put(b, o + 4, 4, ph[i].off);
            put(b, o + 8, 4, ph[i].vaddr);
            put(b, o + 16, 4, ph[i].filesz);
            put(b, o + 20, 4, ph[i].memsz);
            put(b, o + 24, 4, ph[i].flags);
            put(b, o + 28, 4, 4096);
        }
    }
    b->len = 8192 + 100;
}

static const char *write_file(const char *name, const void *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}

static void expect_error(const char *name, const void *data, size_t len, const char *msg)
{
    const char *path = write_file(name, data, len);
    emu_elf e;
    emu_error *err = NULL;
    int r = emu_elf_open(path, &e, &err);
    ok(r < 0, "%s is refused", name);
    has_str(err ? emu_error_message(err) : NULL, msg, "%s: message says '%s'", name, msg);
    has_str(err ? emu_error_message(err) : NULL, path, "%s: message names the file", name);
    emu_error_free(err);
}

static void test_elf(void)
{
    elf_builder b;
    /* A static ppc32 program: text at 0x10000000 (file 0..0x1064), data+bss
       sharing the text's last page offset rules. */
    phdr ph[] = {
        { 1, 5, 0, 0x10000000, 0x1064, 0x1064 },
        { 1, 6, 0x1064, 0x10011064, 0x20, 0x3000 },
    };
    build(&b, false, true, 2, 20, 0x10000054, ph, 2);
    memcpy(b.buf + 0x1000, "TEXT", 4);
    memcpy(b.buf + 0x1064, "DATA", 4);
    const char *path = write_file("good32", b.buf, b.len);
    emu_elf e;
    emu_error *err = NULL;
    if (!ok(emu_elf_open(path, &e, &err) == 0, "a valid big-endian ELF32 opens"))
        BAIL(err);
    is_u64(e.machine, 20, "machine is PowerPC (20)");
    is_u64(e.elf_class, EMU_ELF_CLASS32, "class 32");
    is_u64(e.data, EMU_ELF_MSB, "big endian");
    is_u64(e.nloads, 2, "two PT_LOAD");
    is_u64(e.phdr_vaddr, 0x10000034, "program headers found inside the first segment");
    emu_user_vm vm;
    emu_vm_init(&vm, 1ull << 32, NULL);
    emu_elf_image img;
    ok(emu_elf_load(&e, &vm, 0, &img, &err) == 0, "load it");
    is_u64(img.bias, 0, "ET_EXEC is not relocated");
    is_u64(img.entry, 0x10000054, "entry");
    is_u64(img.end, 0x10015000, "end of the last segment (page aligned)");
    ok(!memcmp(emu_vm_host(&vm, 0x10001000), "TEXT", 4), "text contents loaded");
    ok(!memcmp(emu_vm_host(&vm, 0x10011064), "DATA", 4), "data contents loaded");
    is_u64(*(uint32_t *)emu_vm_host(&vm, 0x10011084), 0, "bss is zero");
    is_u64(emu_vm_page_prot(&vm, 0x10000000), EMU_VM_READ | EMU_VM_EXEC, "text is R-X");
    is_u64(emu_vm_page_prot(&vm, 0x10012000), EMU_VM_READ | EMU_VM_WRITE, "bss is RW-");
    ok(!emu_vm_check(&vm, 0x10002000, 1, 0), "the gap between segments stays unmapped");
    emu_elf_close(&e);
    emu_vm_fini(&vm);

    /* Position-independent, little-endian ELF64 with an interpreter. */
    phdr ph64[] = {
        { 3, 4, 0x1000, 0, 13, 13 },
        { 1, 5, 0, 0, 0x1100, 0x1100 },
    };
    build(&b, true, false, 3, 183, 0x100, ph64, 2);
    memcpy(b.buf + 0x1000, "/lib/ld.so.1", 13);
    path = write_file("pie64", b.buf, b.len);
    if (!ok(emu_elf_open(path, &e, &err) == 0, "a little-endian ELF64 PIE opens"))
        BAIL(err);
    is_u64(e.machine, 183, "machine AArch64");
    is_str(e.interp, "/lib/ld.so.1", "PT_INTERP read");
    emu_vm_init(&vm, 1ull << 32, NULL);
    ok(emu_elf_load(&e, &vm, 0x400000, &img, &err) == 0, "load it at a base");
    is_u64(img.bias, 0x400000, "ET_DYN goes at the requested base");
    is_u64(img.entry, 0x400100, "entry relocated");
    emu_elf_close(&e);
    emu_vm_fini(&vm);
    is_str(emu_elf_machine_name(20), "PowerPC", "machine names");
    is_str(emu_elf_machine_name(9999), "machine 9999", "unknown machine number");

    /* Bad files. */
    expect_error("empty", "", 0, "not an ELF executable");
    expect_error("script", "#!/bin/sh\necho hi\n", 18, "not an ELF executable");
    build(&b, false, true, 2, 20, 0x10000054, ph, 2);
    expect_error("truncated-header", b.buf, 40, "truncated ELF file");
    expect_error("truncated-phdrs", b.buf, 60, "program headers past the end");
    expect_error("truncated-segment", b.buf, 0x1000, "extends past the end of the file");
    build(&b, false, true, 1, 20, 0, ph, 2);
    expect_error("relocatable", b.buf, b.len, "object file");
    build(&b, false, true, 2, 20, 0, ph, 2);
    b.buf[4] = 7;
    expect_error("bad-class", b.buf, b.len, "unknown class");
    phdr bad_size[] = { { 1, 5, 0, 0x10000000, 0x2000, 0x1000 } };
    build(&b, false, true, 2, 20, 0, bad_size, 1);
    expect_error("filesz-gt-memsz", b.buf, b.len, "larger in the file than in memory");
    phdr wrap[] = { { 1, 5, 0, 0xfffff000, 0x100, 0x2000 } };
    build(&b, false, true, 2, 20, 0, wrap, 1);
    expect_error("wrapping", b.buf, b.len, "wraps around");
    phdr misaligned[] = { { 1, 5, 0x10, 0x10000000, 0x100, 0x100 } };
    build(&b, false, true, 2, 20, 0, misaligned, 1);
    expect_error("misaligned", b.buf, b.len, "page-aligned");
    phdr none[] = { { 4, 4, 0, 0, 0, 0 } };
    build(&b, false, true, 2, 20, 0, none, 1);
    expect_error("no-load", b.buf, b.len, "no loadable segment");
    phdr badinterp[] = { { 3, 4, 0x1000, 0, 5, 5 }, { 1, 5, 0, 0x10000000, 0x100, 0x100 } };
    build(&b, false, true, 2, 20, 0, badinterp, 2);
    memcpy(b.buf + 0x1000, "/lib/", 5);
    expect_error("interp-unterminated", b.buf, b.len, "NUL-terminated");
    build(&b, false, true, 2, 20, 0, ph, 2);
    put(&b, 44, 2, 0);
    expect_error("no-phdrs", b.buf, b.len, "number of program headers");
    emu_elf e2;
    ok(emu_elf_open(tmpdir, &e2, &err) < 0, "a directory is refused");
    has_str(emu_error_message(err), "is a directory", "message says it is a directory");
    emu_error_free(err);
    err = NULL;
    ok(emu_elf_open("/nonexistent/prog", &e2, &err) < 0, "a missing file is refused");
    has_str(emu_error_message(err), "No such file", "message gives the reason");
    emu_error_free(err);
}

static uint32_t be32(const void *p)
{
    const uint8_t *b = p;
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void test_stack(void)
{
    static const uint16_t machines[] = { 20, 0 };
    static const emu_linux_auxv extra[] = { { 19, 32 }, { 20, 32 }, { 21, 0 }, { 0, 0 } };
    emu_linux_abi abi = { .struct_size = sizeof abi, .elf_machines = machines, .elf_class = 1,
                          .elf_data = 2, .platform = "ppc750", .hwcap = 0x8c000000,
                          .extra_auxv = extra, .page_size = 4096, .stack_top = 0xc0000000 };
    emu_user_vm vm;
    emu_vm_init(&vm, 1ull << 32, NULL);
    emu_elf exe = { .phentsize = 32, .phnum = 7 };
    char *argv[] = { "prog", "one", "two words" };
    char *envp[] = { "A=1", "PATH=/bin", NULL };
    emu_user_stack_args a = {
        .abi = &abi, .argv = argv, .argc = 3, .envp = envp, .execfn = "/path/prog", .exe = &exe,
        .exe_image = { 0, 0x10000200, 0x10000034, 0x10020000 }, .has_interp = true,
        .interp_image = { 0xb7f00000, 0xb7f01000, 0, 0 }, .stack_size = 8 << 20,
        .random = "0123456789abcdef", .uid = 1000, .euid = 1001, .gid = 1002, .egid = 1003,
    };
    emu_linux_start st;
    emu_error *err = NULL;
    ok(emu_user_build_stack(&vm, &a, &st, &err) == 0, "build the initial stack");
    ok(st.sp % 16 == 0, "sp is 16-byte aligned");
    is_u64(st.entry, 0xb7f01000, "start at the interpreter's entry");
    uint8_t *sp = emu_vm_host(&vm, st.sp);
    is_u64(be32(sp), 3, "argc (big endian word)");
    is_u64(st.argv, st.sp + 4, "argv follows argc");
    is_str((char *)emu_vm_host(&vm, be32(sp + 4)), "prog", "argv[0]");
    is_str((char *)emu_vm_host(&vm, be32(sp + 12)), "two words", "argv[2]");
    is_u64(be32(sp + 16), 0, "argv ends with NULL");
    is_str((char *)emu_vm_host(&vm, be32(sp + 20)), "A=1", "envp[0]");
    is_u64(be32(sp + 28), 0, "envp ends with NULL");
    is_u64(st.auxv, st.sp + 32, "auxv after envp");
    uint64_t got[64] = { 0 };
    int order[64], n = 0;
    for (uint8_t *q = sp + 32;; q += 8) {
        uint32_t t = be32(q), v = be32(q + 4);
        if (t < 64) {
            got[t] = v;
            order[n++] = (int)t;
        }
        if (t == 0)
            break;
    }
    is_u64(order[0], 19, "PowerPC cache entries come first (AT_DCACHEBSIZE)");
    is_u64(got[19], 32, "AT_DCACHEBSIZE");
    is_u64(got[3], 0x10000034, "AT_PHDR");
    is_u64(got[4], 32, "AT_PHENT");
    is_u64(got[5], 7, "AT_PHNUM");
    is_u64(got[6], 4096, "AT_PAGESZ");
    is_u64(got[7], 0xb7f00000, "AT_BASE is the interpreter's load address");
    is_u64(got[9], 0x10000200, "AT_ENTRY is the program's entry");
    is_u64(got[11], 1000, "AT_UID");
    is_u64(got[12], 1001, "AT_EUID");
    is_u64(got[13], 1002, "AT_GID");
    is_u64(got[14], 1003, "AT_EGID");
    is_u64(got[16], 0x8c000000, "AT_HWCAP");
    is_u64(got[23], 0, "AT_SECURE");
    is_u64(got[17], 100, "AT_CLKTCK");
    ok(!memcmp(emu_vm_host(&vm, got[25]), "0123456789abcdef", 16), "AT_RANDOM points at the 16 bytes");
    is_str((char *)emu_vm_host(&vm, got[31]), "/path/prog", "AT_EXECFN");
    is_str((char *)emu_vm_host(&vm, got[15]), "ppc750", "AT_PLATFORM");
    ok(got[31] < 0xc0000000 && got[31] > st.sp, "strings are above the vectors, below the top");
    emu_vm_fini(&vm);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    test_vm();
    test_elf();
    test_stack();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        tap_diag("could not remove %s", tmpdir);
    return tap_done();
}
