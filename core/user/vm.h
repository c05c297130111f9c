/* The guest address space of a user-mode process: one host reservation, page permissions,
 * mmap/munmap/mprotect/mremap/brk inside it, and checks of guest pointers. */
#ifndef EMU_CORE_USER_VM_H
#define EMU_CORE_USER_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "emu/base.h"

/* Guest page permissions (the same values as PROT_READ/WRITE/EXEC). */
enum {
    EMU_VM_READ = 1,
    EMU_VM_WRITE = 2,
    EMU_VM_EXEC = 4,
    EMU_VM_MAPPED = 8,       /* the page exists (possibly with no access) */
    EMU_VM_NOCOPY = 16,      /* file-backed or shared: mremap cannot move it by copying */
};

/* How emu_vm_map places a mapping. */
enum {
    EMU_VM_FIXED = 1,            /* exactly at addr, replacing what is there */
    EMU_VM_NOREPLACE = 2,        /* exactly at addr, -EEXIST if something is there */
    EMU_VM_SHARED = 4,           /* MAP_SHARED (file mappings) */
};

typedef void (*emu_vm_change_fn)(void *opaque, uint64_t addr, uint64_t len);

typedef struct emu_user_vm {
    uint8_t *base;               /* host address of guest address 0 */
    uint64_t size;               /* guest addresses are below this */
    uint64_t reserved;           /* bytes reserved on the host (size + guard) */
    uint64_t min_addr;           /* lowest address mmap gives or accepts */
    uint64_t mmap_top;           /* mappings without a fixed address go below this */
    uint8_t *pages;              /* EMU_VM_* per guest page */
    uint64_t brk_start, brk;     /* the program break */
    pthread_mutex_t lock;
    emu_vm_change_fn on_change;  /* told when mapped code may have changed */
    void *on_change_opaque;
} emu_user_vm;

#define EMU_VM_PAGE 4096u
#define EMU_VM_PAGE_MASK ((uint64_t)EMU_VM_PAGE - 1)

/* Reserve `size` bytes of guest space (plus a guard so an access that
   starts below `size` never reaches host memory).  Nothing is mapped. */
int emu_vm_init(emu_user_vm *vm, uint64_t size, emu_error **err);
void emu_vm_fini(emu_user_vm *vm);

/* mmap: anonymous (fd < 0) or a file; returns the guest address or -errno.
   Without EMU_VM_FIXED/NOREPLACE, `addr` is a hint. */
int64_t emu_vm_map(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot, int flags,
                   int fd, uint64_t offset);
int emu_vm_unmap(emu_user_vm *vm, uint64_t addr, uint64_t len);
int emu_vm_protect(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot);
/* mremap (MREMAP_MAYMOVE = may_move; fixed_addr used when `fixed`). */
int64_t emu_vm_remap(emu_user_vm *vm, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                     bool may_move, bool fixed, uint64_t fixed_addr);
/* brk: the new break (or the old one when it cannot move). */
uint64_t emu_vm_brk(emu_user_vm *vm, uint64_t new_brk);
/* Set where brk starts (after the program's last segment). */
void emu_vm_set_brk(emu_user_vm *vm, uint64_t start);
/* A free range of len bytes, searched downwards from mmap_top (or at
   `hint` when it is free); 0 when none. Call with the lock held or
   before threads exist. */
uint64_t emu_vm_find_free(emu_user_vm *vm, uint64_t len, uint64_t hint);

/* True when every byte of [addr, addr+len) is mapped with all of `prot`.
   len 0 is always valid. */
bool emu_vm_check(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot);
/* The host pointer for a checked range, or NULL. */
void *emu_vm_ptr(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot);
/* Length of the NUL-terminated string at addr (readable, at most max
   bytes before the NUL), or -1 (unmapped or too long). */
int64_t emu_vm_strlen(emu_user_vm *vm, uint64_t addr, uint64_t max);
/* The permissions of the page holding addr (0 when unmapped). */
int emu_vm_page_prot(emu_user_vm *vm, uint64_t addr);

static inline void *emu_vm_host(emu_user_vm *vm, uint64_t addr)
{
    return vm->base + addr;
}

#endif
