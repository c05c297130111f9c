/* Initial process stack: strings at the top, then (16-byte aligned) argc, argv, envp and the
 * auxiliary vector, every word in the guest's size and byte order. */
#include <stdlib.h>
#include <string.h>
#include "stack.h"
#include "util.h"

/* Auxiliary vector types (the generic Linux values). */
enum {
    AT_NULL_ = 0, AT_PHDR_ = 3, AT_PHENT_ = 4, AT_PHNUM_ = 5, AT_PAGESZ_ = 6, AT_BASE_ = 7,
    AT_FLAGS_ = 8, AT_ENTRY_ = 9, AT_UID_ = 11, AT_EUID_ = 12, AT_GID_ = 13, AT_EGID_ = 14,
    AT_PLATFORM_ = 15, AT_HWCAP_ = 16, AT_CLKTCK_ = 17, AT_SECURE_ = 23, AT_RANDOM_ = 25,
    AT_HWCAP2_ = 26, AT_EXECFN_ = 31, AT_SYSINFO_EHDR_ = 33,
};

typedef struct writer {
    emu_user_vm *vm;
    bool msb;
    unsigned word;
} writer;

static void put_word(const writer *w, uint64_t addr, uint64_t v)
{
    uint8_t *p = emu_vm_host(w->vm, addr);
    for (unsigned i = 0; i < w->word; i++)
        p[w->msb ? w->word - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

int emu_user_build_stack(emu_user_vm *vm, const emu_user_stack_args *a, emu_linux_start *start,
                         emu_error **err)
{
    const emu_linux_abi *abi = a->abi;
    writer w = { vm, abi->elf_data == 2, abi->elf_class == 2 ? 8u : 4u };
    uint64_t top = abi->stack_top, bottom = top - a->stack_size;
    if (emu_vm_map(vm, bottom, a->stack_size, EMU_VM_READ | EMU_VM_WRITE, EMU_VM_NOREPLACE, -1, 0) < 0) {
        emu_error_set(err, "cannot map the guest stack at %#llx-%#llx",
                      (unsigned long long)bottom, (unsigned long long)top);
        return -1;
    }
    int envc = 0;
    while (a->envp && a->envp[envc])
        envc++;

    /* Strings, from the top down: a zero word, the file name, the
       environment, the arguments (so argv[0] has the lowest address). */
    uint64_t p = top - w.word;
    uint64_t strings = 0;
    strings += strlen(a->execfn) + 1;
    for (int i = 0; i < envc; i++)
        strings += strlen(a->envp[i]) + 1;
    for (int i = 0; i < a->argc; i++)
        strings += strlen(a->argv[i]) + 1;
    size_t platform_len = abi->platform ? strlen(abi->platform) + 1 : 0;
    size_t nextra = 0;
    while (abi->extra_auxv && abi->extra_auxv[nextra].type)
        nextra++;
    uint64_t nwords = 1 + (uint64_t)a->argc + 1 + (uint64_t)envc + 1 + 2 * (nextra + 22);
    if (strings + platform_len + 16 + nwords * w.word + 64 > a->stack_size / 2) {
        emu_error_set(err, "the arguments and environment (%llu bytes) do not fit the %llu KiB stack",
                      (unsigned long long)strings, (unsigned long long)(a->stack_size >> 10));
        return -1;
    }
    uint64_t execfn_addr = p -= strlen(a->execfn) + 1;
    memcpy(emu_vm_host(vm, p), a->execfn, strlen(a->execfn) + 1);
    uint64_t *env_addr = emu_xcalloc((size_t)envc + 1, sizeof *env_addr);
    uint64_t *arg_addr = emu_xcalloc((size_t)a->argc + 1, sizeof *arg_addr);
    for (int i = envc - 1; i >= 0; i--) {
        size_t n = strlen(a->envp[i]) + 1;
        p -= n;
        memcpy(emu_vm_host(vm, p), a->envp[i], n);
        env_addr[i] = p;
    }
    for (int i = a->argc - 1; i >= 0; i--) {
        size_t n = strlen(a->argv[i]) + 1;
        p -= n;
        memcpy(emu_vm_host(vm, p), a->argv[i], n);
        arg_addr[i] = p;
    }
    uint64_t platform_addr = 0;
    if (platform_len) {
        p -= platform_len;
        memcpy(emu_vm_host(vm, p), abi->platform, platform_len);
        platform_addr = p;
    }
    p = (p - 16) & ~(uint64_t)15;
    uint64_t random_addr = p;
    memcpy(emu_vm_host(vm, p), a->random, 16);

    /* The auxiliary vector, in the kernel's order. */
    uint64_t aux[2 * 64];
    size_t na = 0;
#define AUX(t, v) (aux[na++] = (t), aux[na++] = (v))
    for (size_t i = 0; i < nextra; i++)
        AUX(abi->extra_auxv[i].type, abi->extra_auxv[i].value);
    if (a->vdso)
        AUX(AT_SYSINFO_EHDR_, a->vdso);
    AUX(AT_HWCAP_, abi->hwcap);
    AUX(AT_PAGESZ_, abi->page_size);
    AUX(AT_CLKTCK_, 100);
    AUX(AT_PHDR_, a->exe_image.phdr);
    AUX(AT_PHENT_, a->exe->phentsize);
    AUX(AT_PHNUM_, a->exe->phnum);
    AUX(AT_BASE_, a->has_interp ? a->interp_image.bias : 0);
    AUX(AT_FLAGS_, 0);
    AUX(AT_ENTRY_, a->exe_image.entry);
    AUX(AT_UID_, a->uid);
    AUX(AT_EUID_, a->euid);
    AUX(AT_GID_, a->gid);
    AUX(AT_EGID_, a->egid);
    AUX(AT_SECURE_, 0);
    AUX(AT_RANDOM_, random_addr);
    if (abi->hwcap2)
        AUX(AT_HWCAP2_, abi->hwcap2);
    AUX(AT_EXECFN_, execfn_addr);
    if (platform_addr)
        AUX(AT_PLATFORM_, platform_addr);
    AUX(AT_NULL_, 0);
#undef AUX

    uint64_t items = 1 + (uint64_t)a->argc + 1 + (uint64_t)envc + 1 + na;
    uint64_t sp = (p - items * w.word) & ~(uint64_t)15;
    uint64_t q = sp;
    put_word(&w, q, (uint64_t)a->argc);
    q += w.word;
    start->argv = q;
    for (int i = 0; i < a->argc; i++, q += w.word)
        put_word(&w, q, arg_addr[i]);
    put_word(&w, q, 0);
    q += w.word;
    start->envp = q;
    for (int i = 0; i < envc; i++, q += w.word)
        put_word(&w, q, env_addr[i]);
    put_word(&w, q, 0);
    q += w.word;
    start->auxv = q;
    for (size_t i = 0; i < na; i++, q += w.word)
        put_word(&w, q, aux[i]);
    free(env_addr);
    free(arg_addr);
    start->sp = sp;
    start->argc = (uint64_t)a->argc;
    start->entry = a->has_interp ? a->interp_image.entry : a->exe_image.entry;
    return 0;
}
