/* Memory system calls: brk, mmap/mmap2, munmap, mprotect, mremap, madvise, msync, mlock, all
 * inside the guest address space (vm.c) so a guest never maps over host memory. */
#include <errno.h>
#include <sys/mman.h>
#include "user.h"

#define GUEST_MAP_TYPE 0x0f

static int64_t do_mmap(emu_linux_task *t, uint64_t addr, uint64_t len, uint64_t prot,
                       uint64_t gflags, int fd, uint64_t offset)
{
    emu_user_proc *p = t->proc;
    uint32_t flags = emu_user_bits_to_host(p->abi->mmap_flags, (uint32_t)gflags);
    int type = (int)(flags & GUEST_MAP_TYPE);
    if (type != MAP_SHARED && type != MAP_PRIVATE && type != MAP_SHARED_VALIDATE)
        return -EINVAL;
    if (prot & ~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC))
        return -EINVAL;
    int vflags = 0;
    if (flags & MAP_FIXED)
        vflags |= EMU_VM_FIXED;
    else if (flags & MAP_FIXED_NOREPLACE)
        vflags |= EMU_VM_NOREPLACE;
    if (type != MAP_PRIVATE)
        vflags |= EMU_VM_SHARED;
    if (flags & MAP_ANONYMOUS)
        fd = -1;
    else if (fd < 0)
        return -EBADF;
    return emu_vm_map(&p->vm, addr, len, (int)prot, vflags, fd, offset);
}

static int64_t sys_mmap(emu_linux_task *t, const uint64_t *a)
{
    if (a[5] & EMU_VM_PAGE_MASK)
        return -EINVAL;
    return do_mmap(t, a[0], a[1], a[2], a[3], (int)a[4], a[5]);
}

static int64_t sys_mmap2(emu_linux_task *t, const uint64_t *a)
{
    return do_mmap(t, a[0], a[1], a[2], a[3], (int)a[4], a[5] * 4096);
}

static int64_t sys_munmap(emu_linux_task *t, const uint64_t *a)
{
    return emu_vm_unmap(&t->proc->vm, a[0], a[1]);
}

static int64_t sys_mprotect(emu_linux_task *t, const uint64_t *a)
{
    /* PROT_GROWSDOWN/GROWSUP are accepted and mean nothing more here. */
    uint64_t prot = a[2] & ~(uint64_t)(PROT_GROWSDOWN | PROT_GROWSUP);
    if (prot & ~(uint64_t)7)
        return -EINVAL;
    return emu_vm_protect(&t->proc->vm, a[0], a[1], (int)prot);
}

static int64_t sys_mremap(emu_linux_task *t, const uint64_t *a)
{
    uint64_t flags = a[3];
    if (flags & ~(uint64_t)(MREMAP_MAYMOVE | MREMAP_FIXED))
        return -EINVAL;
    return emu_vm_remap(&t->proc->vm, a[0], a[1], a[2], flags & MREMAP_MAYMOVE,
                        flags & MREMAP_FIXED, a[4]);
}

static int64_t sys_brk(emu_linux_task *t, const uint64_t *a)
{
    return (int64_t)emu_vm_brk(&t->proc->vm, a[0]);
}

/* The host call on a page-aligned range that must be entirely mapped. */
static int64_t on_range(emu_linux_task *t, uint64_t addr, uint64_t len, int64_t (*fn)(void *, size_t, int), int arg)
{
    if (addr & EMU_VM_PAGE_MASK)
        return -EINVAL;
    uint64_t plen = (len + EMU_VM_PAGE_MASK) & ~EMU_VM_PAGE_MASK;
    if (plen < len)
        return -ENOMEM;
    if (plen && !emu_vm_check(&t->proc->vm, addr, plen, 0))
        return -ENOMEM;
    int64_t r = fn(emu_vm_host(&t->proc->vm, addr), plen, arg);
    return r < 0 ? -errno : r;
}

static int64_t host_madvise(void *p, size_t n, int advice) { return madvise(p, n, advice); }
static int64_t host_msync(void *p, size_t n, int flags) { return msync(p, n, flags); }
static int64_t host_mlock(void *p, size_t n, int unused) { (void)unused; return mlock(p, n); }
static int64_t host_munlock(void *p, size_t n, int unused) { (void)unused; return munlock(p, n); }

static int64_t sys_madvise(emu_linux_task *t, const uint64_t *a)
{
    switch ((int)a[2]) {
    case MADV_NORMAL: case MADV_RANDOM: case MADV_SEQUENTIAL: case MADV_WILLNEED:
    case MADV_DONTNEED: case MADV_FREE: case MADV_DONTFORK: case MADV_DOFORK:
    case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_DONTDUMP: case MADV_DODUMP:
        return on_range(t, a[0], a[1], host_madvise, (int)a[2]);
    default:
        return -EINVAL;
    }
}

static int64_t sys_msync(emu_linux_task *t, const uint64_t *a) { return on_range(t, a[0], a[1], host_msync, (int)a[2]); }

static int64_t sys_mlock(emu_linux_task *t, const uint64_t *a)
{
    uint64_t start = a[0] & ~EMU_VM_PAGE_MASK;
    return on_range(t, start, a[1] + (a[0] - start), host_mlock, 0);
}

static int64_t sys_munlock(emu_linux_task *t, const uint64_t *a)
{
    uint64_t start = a[0] & ~EMU_VM_PAGE_MASK;
    return on_range(t, start, a[1] + (a[0] - start), host_munlock, 0);
}

const emu_sys_entry emu_sys_mem_table[] = {
    { EMU_SYS_brk, sys_brk, "x", 'x', 0 },
    { EMU_SYS_mmap, sys_mmap, "xuxfix", 'x', 0 },
    { EMU_SYS_mmap2, sys_mmap2, "xuxfix", 'x', 0 },
    { EMU_SYS_munmap, sys_munmap, "xu", 'd', 0 },
    { EMU_SYS_mprotect, sys_mprotect, "xux", 'd', 0 },
    { EMU_SYS_mremap, sys_mremap, "xuufx", 'x', 0 },
    { EMU_SYS_madvise, sys_madvise, "xui", 'd', 0 },
    { EMU_SYS_msync, sys_msync, "xuf", 'd', 0 },
    { EMU_SYS_mlock, sys_mlock, "xu", 'd', 0 },
    { EMU_SYS_munlock, sys_munlock, "xu", 'd', 0 },
    { 0 },
};
