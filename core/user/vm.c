/* The guest address space: a PROT_NONE host reservation in which guest mappings are made with
 * MAP_FIXED, a byte of permissions per guest page, and the brk area. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "util.h"
#include "vm.h"

/* Past the end of the guest space: an access of up to this many bytes that
   starts inside it still lands in the reservation (PROT_NONE). */
#define VM_GUARD (64u * 1024)

int emu_vm_init(emu_user_vm *vm, uint64_t size, emu_error **err)
{
    memset(vm, 0, sizeof *vm);
    if (size == 0 || (size & EMU_VM_PAGE_MASK) || size > (1ull << 36)) {
        emu_error_set(err, "guest address space of %#llx bytes is not supported",
                      (unsigned long long)size);
        return -1;
    }
    vm->reserved = size + VM_GUARD;
    void *p = mmap(NULL, vm->reserved, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        emu_error_set(err, "cannot reserve %llu MiB of host address space for the guest: %s",
                      (unsigned long long)(vm->reserved >> 20), strerror(errno));
        return -1;
    }
    vm->base = p;
    vm->size = size;
    vm->min_addr = 0x10000;          /* Linux's default vm.mmap_min_addr */
    vm->mmap_top = size;
    vm->pages = emu_xcalloc(size / EMU_VM_PAGE, 1);
    pthread_mutex_init(&vm->lock, NULL);
    return 0;
}

void emu_vm_fini(emu_user_vm *vm)
{
    if (vm->base)
        munmap(vm->base, vm->reserved);
    free(vm->pages);
    pthread_mutex_destroy(&vm->lock);
    memset(vm, 0, sizeof *vm);
}

static int host_prot(int prot)
{
    int p = 0;
    /* Code is read through host pointers, so executable pages are readable. */
    if (prot & (EMU_VM_READ | EMU_VM_EXEC))
        p |= PROT_READ;
    if (prot & EMU_VM_WRITE)
        p |= PROT_READ | PROT_WRITE;
    return p;
}

static bool range_ok(emu_user_vm *vm, uint64_t addr, uint64_t len)
{
    return len <= vm->size && addr <= vm->size - len;
}

static uint64_t page_up(uint64_t v)
{
    return (v + EMU_VM_PAGE_MASK) & ~EMU_VM_PAGE_MASK;
}

static bool range_free(emu_user_vm *vm, uint64_t addr, uint64_t len)
{
    for (uint64_t a = addr; a < addr + len; a += EMU_VM_PAGE)
        if (vm->pages[a / EMU_VM_PAGE] & EMU_VM_MAPPED)
            return false;
    return true;
}

static void set_pages(emu_user_vm *vm, uint64_t addr, uint64_t len, uint8_t flags)
{
    memset(vm->pages + addr / EMU_VM_PAGE, flags, len / EMU_VM_PAGE);
}

static void changed(emu_user_vm *vm, uint64_t addr, uint64_t len)
{
    if (vm->on_change)
        vm->on_change(vm->on_change_opaque, addr, len);
}

uint64_t emu_vm_find_free(emu_user_vm *vm, uint64_t len, uint64_t hint)
{
    len = page_up(len);
    if (len == 0 || len > vm->mmap_top)
        return 0;
    hint &= ~EMU_VM_PAGE_MASK;
    if (hint >= vm->min_addr && range_ok(vm, hint, len) && hint + len <= vm->mmap_top &&
        range_free(vm, hint, len))
        return hint;
    /* Top-down first fit, as Linux's default layout does. */
    uint64_t end = vm->mmap_top & ~EMU_VM_PAGE_MASK;
    while (end >= vm->min_addr + len) {
        uint64_t start = end - len, a = end;
        while (a > start && !(vm->pages[(a - EMU_VM_PAGE) / EMU_VM_PAGE] & EMU_VM_MAPPED))
            a -= EMU_VM_PAGE;
        if (a == start)
            return start;
        end = a - EMU_VM_PAGE;   /* skip below the mapped page we met */
    }
    return 0;
}

/* Map [addr, addr+len) on the host with MAP_FIXED; the range is inside the
   reservation, so this can only replace guest memory. */
static int host_map(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot, int flags,
                    int fd, uint64_t offset)
{
    int mflags = MAP_FIXED | (flags & EMU_VM_SHARED ? MAP_SHARED : MAP_PRIVATE);
    if (fd < 0)
        mflags |= MAP_ANONYMOUS;
    void *p = mmap(vm->base + addr, len, host_prot(prot), mflags, fd < 0 ? -1 : fd,
                   fd < 0 ? 0 : (off_t)offset);
    if (p == MAP_FAILED)
        return -errno;
    return 0;
}

int64_t emu_vm_map(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot, int flags,
                   int fd, uint64_t offset)
{
    if (len == 0)
        return -EINVAL;
    if (offset & EMU_VM_PAGE_MASK)
        return -EINVAL;
    uint64_t plen = page_up(len);
    if (plen < len || plen > vm->size)
        return -ENOMEM;
    bool fixed = flags & (EMU_VM_FIXED | EMU_VM_NOREPLACE);
    pthread_mutex_lock(&vm->lock);
    int64_t ret;
    if (fixed) {
        if (addr & EMU_VM_PAGE_MASK) {
            ret = -EINVAL;
            goto out;
        }
        if (!range_ok(vm, addr, plen)) {
            ret = -ENOMEM;
            goto out;
        }
        if (addr < vm->min_addr) {
            ret = -EPERM;
            goto out;
        }
        if ((flags & EMU_VM_NOREPLACE) && !(flags & EMU_VM_FIXED) && !range_free(vm, addr, plen)) {
            ret = -EEXIST;
            goto out;
        }
    } else {
        addr = emu_vm_find_free(vm, plen, addr);
        if (!addr) {
            ret = -ENOMEM;
            goto out;
        }
    }
    bool replaced = fixed && !range_free(vm, addr, plen);
    int r = host_map(vm, addr, plen, prot, flags, fd, offset);
    if (r < 0) {
        ret = r;
        goto out;
    }
    set_pages(vm, addr, plen, (uint8_t)(EMU_VM_MAPPED | (prot & 7) |
                                        (fd >= 0 || (flags & EMU_VM_SHARED) ? EMU_VM_NOCOPY : 0)));
    if (replaced)
        changed(vm, addr, plen);
    ret = (int64_t)addr;
out:
    pthread_mutex_unlock(&vm->lock);
    return ret;
}

/* Give pages back to the reservation (PROT_NONE, no memory behind them). */
static void unmap_locked(emu_user_vm *vm, uint64_t addr, uint64_t len)
{
    mmap(vm->base + addr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
         -1, 0);
    set_pages(vm, addr, len, 0);
    changed(vm, addr, len);
}

int emu_vm_unmap(emu_user_vm *vm, uint64_t addr, uint64_t len)
{
    if ((addr & EMU_VM_PAGE_MASK) || len == 0)
        return -EINVAL;
    uint64_t plen = page_up(len);
    if (plen < len || !range_ok(vm, addr, plen))
        return -EINVAL;
    pthread_mutex_lock(&vm->lock);
    if (!range_free(vm, addr, plen))
        unmap_locked(vm, addr, plen);
    pthread_mutex_unlock(&vm->lock);
    return 0;
}

int emu_vm_protect(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot)
{
    if (addr & EMU_VM_PAGE_MASK)
        return -EINVAL;
    if (prot & ~7)
        return -EINVAL;
    uint64_t plen = page_up(len);
    if (plen < len || !range_ok(vm, addr, plen))
        return -ENOMEM;
    if (plen == 0)
        return 0;
    pthread_mutex_lock(&vm->lock);
    int ret = 0;
    for (uint64_t a = addr; a < addr + plen; a += EMU_VM_PAGE)
        if (!(vm->pages[a / EMU_VM_PAGE] & EMU_VM_MAPPED)) {
            ret = -ENOMEM;
            goto out;
        }
    if (mprotect(vm->base + addr, plen, host_prot(prot)) < 0) {
        ret = -errno;
        goto out;
    }
    /* Pages that hold (or may now hold) code: the engine drops their
       translations and its write protection follows the new permissions. */
    bool code = prot & EMU_VM_EXEC;
    for (uint64_t a = addr; a < addr + plen; a += EMU_VM_PAGE) {
        uint8_t *pg = &vm->pages[a / EMU_VM_PAGE];
        if (*pg & EMU_VM_EXEC)
            code = true;
        *pg = (uint8_t)((*pg & ~7) | prot);
    }
    if (code)
        changed(vm, addr, plen);
out:
    pthread_mutex_unlock(&vm->lock);
    return ret;
}

int64_t emu_vm_remap(emu_user_vm *vm, uint64_t old_addr, uint64_t old_len, uint64_t new_len,
                     bool may_move, bool fixed, uint64_t fixed_addr)
{
    if ((old_addr & EMU_VM_PAGE_MASK) || new_len == 0)
        return -EINVAL;
    if (fixed && (!may_move || (fixed_addr & EMU_VM_PAGE_MASK)))
        return -EINVAL;
    uint64_t olen = page_up(old_len), nlen = page_up(new_len);
    if (nlen < new_len || olen < old_len || !range_ok(vm, old_addr, olen) || nlen > vm->size)
        return -EFAULT;
    if (olen == 0)
        return -EINVAL;     /* duplicating shared mappings is not supported */
    pthread_mutex_lock(&vm->lock);
    int64_t ret;
    bool copyable = true;
    for (uint64_t a = old_addr; a < old_addr + olen; a += EMU_VM_PAGE) {
        uint8_t f = vm->pages[a / EMU_VM_PAGE];
        if (!(f & EMU_VM_MAPPED)) {
            ret = -EFAULT;
            goto out;
        }
        if (f & EMU_VM_NOCOPY)
            copyable = false;
    }
    uint8_t flags = vm->pages[old_addr / EMU_VM_PAGE];
    int prot = flags & 7;
    if (!fixed && nlen <= olen) {
        if (nlen < olen)
            unmap_locked(vm, old_addr + nlen, olen - nlen);
        ret = (int64_t)old_addr;
        goto out;
    }
    /* Growing or moving works on private anonymous memory only: new pages
       are mapped over the reservation with MAP_FIXED (atomic), so the host
       never sees a hole in it that another thread's mmap could take. */
    if (!copyable) {
        ret = -ENOMEM;
        goto out;
    }
    if (!fixed && range_ok(vm, old_addr, nlen) && old_addr + nlen <= vm->mmap_top &&
        range_free(vm, old_addr + olen, nlen - olen)) {
        int r = host_map(vm, old_addr + olen, nlen - olen, prot, 0, -1, 0);
        if (r < 0) {
            ret = r;
            goto out;
        }
        set_pages(vm, old_addr + olen, nlen - olen, flags);
        ret = (int64_t)old_addr;
        goto out;
    }
    if (!may_move) {
        ret = -ENOMEM;
        goto out;
    }
    uint64_t dest;
    if (fixed) {
        if (!range_ok(vm, fixed_addr, nlen) || fixed_addr < vm->min_addr ||
            (fixed_addr < old_addr + olen && old_addr < fixed_addr + nlen)) {
            ret = -EINVAL;
            goto out;
        }
        dest = fixed_addr;
    } else {
        dest = emu_vm_find_free(vm, nlen, 0);
        if (!dest) {
            ret = -ENOMEM;
            goto out;
        }
    }
    int r = host_map(vm, dest, nlen, EMU_VM_READ | EMU_VM_WRITE, 0, -1, 0);
    if (r < 0) {
        ret = r;
        goto out;
    }
    if (!(prot & EMU_VM_READ) && !(prot & EMU_VM_EXEC))
        mprotect(vm->base + old_addr, olen, PROT_READ);
    memcpy(vm->base + dest, vm->base + old_addr, olen < nlen ? olen : nlen);
    mprotect(vm->base + dest, nlen, host_prot(prot));
    changed(vm, dest, nlen);
    set_pages(vm, dest, nlen, flags);
    unmap_locked(vm, old_addr, olen);
    ret = (int64_t)dest;
out:
    pthread_mutex_unlock(&vm->lock);
    return ret;
}

void emu_vm_set_brk(emu_user_vm *vm, uint64_t start)
{
    vm->brk_start = vm->brk = start;
}

uint64_t emu_vm_brk(emu_user_vm *vm, uint64_t new_brk)
{
    pthread_mutex_lock(&vm->lock);
    uint64_t cur = vm->brk;
    if (new_brk < vm->brk_start || new_brk > vm->size)
        goto out;
    uint64_t old_end = page_up(cur), new_end = page_up(new_brk);
    if (new_end > old_end) {
        if (!range_free(vm, old_end, new_end - old_end) || new_end > vm->mmap_top)
            goto out;
        if (host_map(vm, old_end, new_end - old_end, EMU_VM_READ | EMU_VM_WRITE, 0, -1, 0) < 0)
            goto out;
        set_pages(vm, old_end, new_end - old_end, EMU_VM_MAPPED | EMU_VM_READ | EMU_VM_WRITE);
    } else if (new_end < old_end) {
        unmap_locked(vm, new_end, old_end - new_end);
    }
    vm->brk = new_brk;
out:
    cur = vm->brk;
    pthread_mutex_unlock(&vm->lock);
    return cur;
}

bool emu_vm_check(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot)
{
    if (len == 0)
        return true;
    if (!range_ok(vm, addr, len))
        return false;
    uint8_t need = (uint8_t)(EMU_VM_MAPPED | prot);
    for (uint64_t p = addr / EMU_VM_PAGE, last = (addr + len - 1) / EMU_VM_PAGE; p <= last; p++)
        if ((vm->pages[p] & need) != need)
            return false;
    return true;
}

void *emu_vm_ptr(emu_user_vm *vm, uint64_t addr, uint64_t len, int prot)
{
    return emu_vm_check(vm, addr, len, prot) ? vm->base + addr : NULL;
}

int64_t emu_vm_strlen(emu_user_vm *vm, uint64_t addr, uint64_t max)
{
    uint64_t n = 0;
    while (n <= max) {
        uint64_t a = addr + n;
        if (a >= vm->size || !emu_vm_check(vm, a, 1, EMU_VM_READ))
            return -1;
        uint64_t chunk = EMU_VM_PAGE - (a & EMU_VM_PAGE_MASK);
        const char *s = (const char *)vm->base + a;
        const char *z = memchr(s, 0, chunk);
        if (z) {
            n += (uint64_t)(z - s);
            return n <= max ? (int64_t)n : -1;
        }
        n += chunk;
    }
    return -1;
}

int emu_vm_page_prot(emu_user_vm *vm, uint64_t addr)
{
    if (addr >= vm->size)
        return 0;
    uint8_t f = vm->pages[addr / EMU_VM_PAGE];
    return f & EMU_VM_MAPPED ? f & 7 : 0;
}
