/* Guest memory as system calls see it: checked pointers, copies, words and structure fields in
 * the guest's byte order, flag tables, timespecs and signal sets. */
#include <errno.h>
#include <string.h>
#include <time.h>
#include "user.h"

void *emu_user_gptr(emu_linux_task *t, uint64_t addr, uint64_t len, int prot)
{
    emu_user_vm *vm = &t->proc->vm;
    if (!emu_vm_check(vm, addr, len, prot))
        return NULL;
    if ((prot & EMU_VM_WRITE) && len && emu_user_cpu.flush) {
        /* The engine write-protects pages holding translated code; a store
           from here must not hit that protection, so drop those first. */
        uint64_t first = addr & ~EMU_VM_PAGE_MASK, last = (addr + len - 1) & ~EMU_VM_PAGE_MASK;
        for (uint64_t a = first; a <= last; a += EMU_VM_PAGE)
            if (emu_vm_page_prot(vm, a) & EMU_VM_EXEC)
                emu_user_cpu.flush(t->proc->m, a, EMU_VM_PAGE);
    }
    return emu_vm_host(vm, addr);
}

int emu_user_copy_in(emu_linux_task *t, void *dst, uint64_t addr, uint64_t len)
{
    void *src = emu_user_gptr(t, addr, len, EMU_VM_READ);
    if (!src)
        return -EFAULT;
    memcpy(dst, src, len);
    return 0;
}

int emu_user_copy_out(emu_linux_task *t, uint64_t addr, const void *src, uint64_t len)
{
    void *dst = emu_user_gptr(t, addr, len, EMU_VM_WRITE);
    if (!dst)
        return -EFAULT;
    memcpy(dst, src, len);
    return 0;
}

int emu_user_strcpy_in(emu_linux_task *t, char *buf, size_t size, uint64_t addr)
{
    int64_t n = emu_vm_strlen(&t->proc->vm, addr, size);
    if (n < 0)
        return emu_vm_strlen(&t->proc->vm, addr, (uint64_t)1 << 31) < 0 ? -EFAULT : -ENAMETOOLONG;
    if ((size_t)n >= size)
        return -ENAMETOOLONG;
    memcpy(buf, emu_vm_host(&t->proc->vm, addr), (size_t)n + 1);
    return 0;
}

uint64_t emu_user_ld(const emu_user_proc *p, const void *src, unsigned size)
{
    const uint8_t *b = src;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)b[p->msb ? size - 1 - i : i] << (8 * i);
    return v;
}

void emu_user_st(const emu_user_proc *p, void *dst, unsigned size, uint64_t v)
{
    uint8_t *b = dst;
    for (unsigned i = 0; i < size; i++)
        b[p->msb ? size - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

void emu_user_put_field(const emu_user_proc *p, uint8_t *buf, emu_linux_field f, uint64_t v)
{
    if (f.size)
        emu_user_st(p, buf + f.offset, f.size, v);
}

uint64_t emu_user_get_field(const emu_user_proc *p, const uint8_t *buf, emu_linux_field f)
{
    return f.size ? emu_user_ld(p, buf + f.offset, f.size) : 0;
}

uint32_t emu_user_bits_to_host(const emu_linux_bits *tbl, uint32_t guest)
{
    if (!tbl)
        return guest;
    uint32_t covered = 0, host = 0;
    for (; tbl->guest_mask || tbl->host_mask; tbl++) {
        covered |= tbl->guest_mask;
        if ((guest & tbl->guest_mask) == tbl->guest_bits)
            host |= tbl->host_bits;
    }
    return host | (guest & ~covered);
}

uint32_t emu_user_bits_to_guest(const emu_linux_bits *tbl, uint32_t host)
{
    if (!tbl)
        return host;
    uint32_t covered = 0, guest = 0;
    for (; tbl->guest_mask || tbl->host_mask; tbl++) {
        covered |= tbl->host_mask;
        if ((host & tbl->host_mask) == tbl->host_bits)
            guest |= tbl->guest_bits;
    }
    return guest | (host & ~covered);
}

int emu_user_get_timespec(emu_linux_task *t, uint64_t addr, struct timespec *ts, bool time64)
{
    emu_user_proc *p = t->proc;
    unsigned w = time64 ? 8 : p->word;
    uint8_t buf[16];
    if (emu_user_copy_in(t, buf, addr, 2 * w) < 0)
        return -EFAULT;
    uint64_t sec = emu_user_ld(p, buf, w), nsec = emu_user_ld(p, buf + w, w);
    if (w == 4) {
        ts->tv_sec = (int32_t)sec;
        ts->tv_nsec = (int32_t)nsec;
    } else {
        ts->tv_sec = (int64_t)sec;
        /* 32-bit guests pass tv_nsec as a 32-bit long padded to 64 bits. */
        ts->tv_nsec = time64 && p->word == 4 ? (int32_t)nsec : (int64_t)nsec;
    }
    return 0;
}

int emu_user_put_timespec(emu_linux_task *t, uint64_t addr, const struct timespec *ts, bool time64)
{
    emu_user_proc *p = t->proc;
    unsigned w = time64 ? 8 : p->word;
    uint8_t buf[16];
    emu_user_st(p, buf, w, (uint64_t)ts->tv_sec);
    emu_user_st(p, buf + w, w, (uint64_t)ts->tv_nsec);
    return emu_user_copy_out(t, addr, buf, 2 * w);
}

int emu_user_get_sigset(emu_linux_task *t, uint64_t addr, uint64_t *mask)
{
    uint8_t buf[8];
    if (emu_user_copy_in(t, buf, addr, 8) < 0)
        return -EFAULT;
    emu_user_proc *p = t->proc;
    if (p->word == 4)
        *mask = emu_user_ld(p, buf, 4) | emu_user_ld(p, buf + 4, 4) << 32;
    else
        *mask = emu_user_ld(p, buf, 8);
    return 0;
}

int emu_user_put_sigset(emu_linux_task *t, uint64_t addr, uint64_t mask)
{
    uint8_t buf[8];
    emu_user_proc *p = t->proc;
    if (p->word == 4) {
        emu_user_st(p, buf, 4, mask & 0xffffffffu);
        emu_user_st(p, buf + 4, 4, mask >> 32);
    } else {
        emu_user_st(p, buf, 8, mask);
    }
    return emu_user_copy_out(t, addr, buf, 8);
}

EMU_API emu_cpu *emu_linux_task_cpu(emu_linux_task *t)
{
    return t->cpu;
}

EMU_API int emu_linux_read(emu_linux_task *t, uint64_t addr, void *buf, size_t len)
{
    return emu_user_copy_in(t, buf, addr, len) < 0 ? -1 : 0;
}

EMU_API int emu_linux_write(emu_linux_task *t, uint64_t addr, const void *buf, size_t len)
{
    return emu_user_copy_out(t, addr, buf, len) < 0 ? -1 : 0;
}
