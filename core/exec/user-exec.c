/* User-mode execution: CPUs over one host mapping of the guest address space, host faults turned
 * into guest faults, write-protection of pages holding translated code. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#include "exec-internal.h"
#include "hooks.h"
#include "object.h"
#include "plugins.h"
#include "util.h"

static __thread emu_cpu *tls_cpu;
static struct sigaction old_segv, old_bus;
static pthread_once_t handler_once = PTHREAD_ONCE_INIT;

static bool code_bit(struct emu_exec *ex, uint64_t page)
{
    uint64_t pg = page >> EMU_USER_PAGE_BITS;
    return ex->code_pages && (ex->code_pages[pg >> 3] >> (pg & 7) & 1);
}

static void set_code_bit(struct emu_exec *ex, uint64_t page, bool on)
{
    uint64_t pg = page >> EMU_USER_PAGE_BITS;
    if (on)
        ex->code_pages[pg >> 3] |= (uint8_t)(1u << (pg & 7));
    else
        ex->code_pages[pg >> 3] &= (uint8_t)~(1u << (pg & 7));
}

bool user_code_readable(emu_cpu *cpu, uint64_t pc)
{
    const emu_user_space *s = cpu->space;
    if (pc >= s->size)
        return false;
    unsigned f = s->page_flags[pc >> EMU_USER_PAGE_BITS];
    return (f & (EMU_USER_PAGE_READ | EMU_USER_PAGE_EXEC)) == (EMU_USER_PAGE_READ | EMU_USER_PAGE_EXEC);
}

/* Lock held. */
void user_protect_code(emu_cpu *cpu, uint64_t page)
{
    struct emu_exec *ex = cpu->ex;
    const emu_user_space *s = cpu->space;
    if (!ex->code_pages)
        ex->code_pages = emu_xcalloc((s->size >> EMU_USER_PAGE_BITS) / 8 + 1, 1);
    if (code_bit(ex, page) || !(s->page_flags[page >> EMU_USER_PAGE_BITS] & EMU_USER_PAGE_WRITE))
        return;
    if (mprotect(s->host_base + page, 1u << EMU_USER_PAGE_BITS, PROT_READ) == 0)
        set_code_bit(ex, page, true);
}

/* Lock held: forget the code of pages in [addr, addr+len) and give writes back. */
static void unprotect_range(struct emu_exec *ex, uint64_t addr, uint64_t len)
{
    const emu_user_space *s = ex->space;
    if (!len || addr >= s->size)
        return;
    uint64_t end = addr + len > s->size || addr + len < addr ? s->size : addr + len;
    tb_invalidate_phys_range(ex, addr, end);
    if (!ex->code_pages)
        return;
    for (uint64_t p = addr & ~0xfffull; p < end; p += 0x1000) {
        if (!code_bit(ex, p))
            continue;
        if (s->page_flags[p >> EMU_USER_PAGE_BITS] & EMU_USER_PAGE_WRITE)
            mprotect(s->host_base + p, 0x1000, PROT_READ | PROT_WRITE);
        set_code_bit(ex, p, false);
    }
}

bool user_watching(emu_cpu *cpu)
{
    emu_machine *m = cpu->dev->machine;
    return emu_hooks_any(m, EMU_HOOK_READ) || emu_hooks_any(m, EMU_HOOK_WRITE);
}

static uint64_t raw_load(emu_cpu *cpu, uint32_t addr, unsigned memop)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    const uint8_t *p = cpu->host_base + addr;   /* a fault unwinds through the signal handler */
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)p[i] << ((memop & EMU_MO_BE) ? 8 * (size - 1 - i) : 8 * i);
    return v;
}

static void raw_store(emu_cpu *cpu, uint32_t addr, uint64_t v, unsigned memop)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    uint8_t *p = cpu->host_base + addr;
    for (unsigned i = 0; i < size; i++)
        p[i] = (uint8_t)(v >> ((memop & EMU_MO_BE) ? 8 * (size - 1 - i) : 8 * i));
}

uint64_t user_load_checked(emu_cpu *cpu, uint32_t addr, unsigned memop)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    uint64_t v = raw_load(cpu, addr, memop);
    emu_machine *m = cpu->dev->machine;
    if (emu_hooks_any(m, EMU_HOOK_READ) && emu_hooks_overlap(m, EMU_HOOK_READ, addr, (uint64_t)addr + size - 1))
        v = emu_hooks_fire_read(m, cpu, current_insn_pc(cpu), addr, size, v);
    if ((memop & EMU_MO_SIGN) && size < 8) {
        unsigned sh = 64 - 8 * size;
        v = (uint32_t)((int64_t)(v << sh) >> sh);
    }
    return v;
}

void user_store_checked(emu_cpu *cpu, uint32_t addr, uint64_t value, unsigned memop)
{
    unsigned size = 1u << (memop & EMU_MO_SIZE);
    emu_machine *m = cpu->dev->machine;
    if (emu_hooks_any(m, EMU_HOOK_WRITE) && emu_hooks_overlap(m, EMU_HOOK_WRITE, addr, (uint64_t)addr + size - 1))
        emu_hooks_fire_write(m, cpu, current_insn_pc(cpu), addr, size,
                             size == 8 ? value : value & ((1ull << (8 * size)) - 1));
    raw_store(cpu, addr, value, memop);
}

void emu_user_flush_range(emu_machine *m, uint64_t addr, uint64_t len)
{
    struct emu_exec *ex = m->exec;
    if (!ex || !ex->space)
        return;
    pthread_mutex_lock(&ex->lock);
    unprotect_range(ex, addr, len);
    pthread_mutex_unlock(&ex->lock);
}

static void fault_handler(int sig, siginfo_t *si, void *uc_)
{
    emu_cpu *cpu = tls_cpu;
    if (cpu && cpu->in_exec && cpu->user) {
        const emu_user_space *s = cpu->space;
        uintptr_t a = (uintptr_t)si->si_addr, base = (uintptr_t)s->host_base;
        if (a >= base && a - base < s->size) {
            uint64_t g = a - base;
            unsigned f = s->page_flags[g >> EMU_USER_PAGE_BITS];
            bool write;
#if defined(__x86_64__) && defined(REG_ERR)
            ucontext_t *uc = uc_;
            write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#else
            (void)uc_;
            write = (f & EMU_USER_PAGE_READ) != 0;   /* reads of readable pages do not fault */
#endif
            if (write && (f & EMU_USER_PAGE_WRITE) && code_bit(cpu->ex, g & ~0xfffull)) {
                /* A store into a page holding translated code: drop the page's blocks, make
                   it writable and retry the store.  The running block finishes as it was
                   translated, which PowerPC allows until the next context synchronisation
                   (icbi; isync), and the interpreter never holds the lock while it runs. */
                struct emu_exec *ex = cpu->ex;
                pthread_mutex_lock(&ex->lock);
                unprotect_range(ex, g & ~0xfffull, 0x1000);
                pthread_mutex_unlock(&ex->lock);
                return;
            }
            cpu->fault_addr = g;
            cpu->fault_access = write ? EMU_ACCESS_WRITE : EMU_ACCESS_READ;
            cpu->excp = EMU_EXCP_MEM;
            cpu->excp_code = 0;
            cpu->excp_after = false;
            cpu->in_exec = false;
            siglongjmp(cpu->jmp, 1);
        }
    }
    /* Not a guest access: a host bug.  Hand it to whoever had the signal before. */
    struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;
    if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
        old->sa_sigaction(sig, si, uc_);
        return;
    }
    if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
        old->sa_handler(sig);
        return;
    }
    signal(sig, SIG_DFL);   /* returning re-executes the access and dies with the right signal */
}

static void install_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;   /* siglongjmp out without restoring a mask */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &old_segv);
    sigaction(SIGBUS, &sa, &old_bus);
}

emu_cpu *emu_user_cpu_new(emu_machine *m, const char *type_name, const char *id,
                          const emu_user_space *space, emu_error **err)
{
    if (sysconf(_SC_PAGESIZE) != 1 << EMU_USER_PAGE_BITS) {
        emu_error_set(err, "user mode needs a host with 4 KiB pages");
        return NULL;
    }
    const emu_type *t = emu_plugins_find_type(type_name, EMU_KIND_CPU, err);
    if (!t)
        return NULL;
    struct emu_exec *ex = emu_exec_get(m);
    if (ex->space && ex->space != space) {
        emu_error_set(err, "all user-mode CPUs of a process share one address space");
        return NULL;
    }
    ex->space = space;
    emu_device *dev = emu_device_new(m, t, id, err);
    if (!dev)
        return NULL;
    if (emu_device_realize(dev, err) < 0) {
        emu_device_free(dev);   /* leaves the machine's device list to its owner */
        return NULL;
    }
    emu_cpu *cpu = emu_cpu_from_device(dev);
    if (!cpu) {
        emu_error_set(err, "type '%s' did not create a CPU", type_name);
        return NULL;
    }
    pthread_once(&handler_once, install_handler);
    return cpu;
}

emu_cpu *emu_user_cpu_clone(emu_cpu *cpu, const char *id, emu_error **err)
{
    emu_cpu *n = emu_user_cpu_new(cpu->dev->machine, cpu->dev->type->name, id, cpu->space, err);
    if (!n)
        return NULL;
    memcpy(n->env, cpu->env, cpu->ops->state_size);
    return n;
}

void emu_user_cpu_free(emu_cpu *cpu)
{
    emu_machine *m = cpu->dev->machine;
    emu_device *dev = cpu->dev;
    for (size_t i = 0; i < m->ndevices; i++) {
        if (m->devices[i] == dev) {
            memmove(&m->devices[i], &m->devices[i + 1], (m->ndevices - i - 1) * sizeof *m->devices);
            m->ndevices--;
            break;
        }
    }
    emu_device_free(dev);
}

void emu_user_cpu_kick(emu_cpu *cpu)
{
    atomic_store(&cpu->kicked, 1);
    atomic_store(&cpu->exit_request, 1);
}

static emu_user_stop_kind stop_kind(emu_excp_class c)
{
    switch (c) {
    case EMU_EXCP_SYSCALL: return EMU_USER_STOP_SYSCALL;
    case EMU_EXCP_MEM: return EMU_USER_STOP_FAULT;
    case EMU_EXCP_PRIV: return EMU_USER_STOP_PRIV;
    case EMU_EXCP_TRAP: return EMU_USER_STOP_TRAP;
    case EMU_EXCP_FP: return EMU_USER_STOP_FP;
    case EMU_EXCP_ALIGN: return EMU_USER_STOP_ALIGN;
    default: return EMU_USER_STOP_ILLEGAL;
    }
}

typedef struct user_run {
    emu_cpu *cpu;
    emu_user_stop_kind kind;      /* why the loop stopped */
} user_run;

/* The loop of emu_user_cpu_run: blocks until a stop; faults and unwinds from inside a block
   come back to its sigsetjmp. */
static void run_blocks(void *opaque)
{
    user_run *r = opaque;
    emu_cpu *cpu = r->cpu;
    tb *from = NULL;
    unsigned slot = 0;

    if (sigsetjmp(cpu->jmp, 0)) {
        cpu->in_exec = false;
        from = NULL;
        cpu_restore_state(cpu);
    }
    for (;;) {
        if (cpu->excp != EMU_EXCP_NONE) {
            r->kind = stop_kind(cpu->excp);
            break;
        }
        if (atomic_load_explicit(&cpu->exit_request, memory_order_relaxed)) {
            atomic_store(&cpu->exit_request, 0);
            if (atomic_exchange(&cpu->kicked, 0)) {
                r->kind = EMU_USER_STOP_KICK;
                break;
            }
        }
        if (cpu->budget <= 0) {
            r->kind = EMU_USER_STOP_BUDGET;
            break;
        }
        hooks_sync(cpu);
        if (!from)
            tb_quiescent(cpu);   /* no block is referenced here: retired ones may be freed */
        uint32_t flags = cpu->ops->tb_flags(cpu->env);
        tb *t = tb_find(cpu, cpu_get_pc(cpu), flags);
        if (!t)
            continue;   /* exception recorded */
        if (emu_exec_trace_flags || emu_log_enabled(EMU_LOG_EXEC)) {
            trace_exec(cpu, t);
            atomic_store(&cpu->exit_request, 1);   /* come back here after each block */
        } else if (from) {
            tb_link(cpu, from, slot, t);
        }
        from = NULL;
        cpu->in_exec = true;
        interp_run(cpu, t, &cpu->budget, &from, &slot);
        cpu->in_exec = false;
        cpu->hook_resume = false;
    }
}

emu_user_stop_kind emu_user_cpu_run(emu_cpu *cpu, uint64_t budget, emu_user_stop *stop)
{
    const int64_t start = budget > (uint64_t)INT64_MAX / 2 ? INT64_MAX / 2 : (int64_t)budget;
    user_run r = { .cpu = cpu, .kind = EMU_USER_STOP_BUDGET };

    tls_cpu = cpu;
    cpu->budget = start;
    cpu->run_start = start;
    cpu->in_run = true;
    cpu->excp = EMU_EXCP_NONE;
    /* The only CPU thread (no other can start before the run ends: threads are created by
       system calls, which end runs) may run inside the hook owners' frame. */
    if (__atomic_load_n(&cpu->ex->ncpus, __ATOMIC_ACQUIRE) != 1) {
        run_blocks(&r);
    } else if (!emu_hooks_run(cpu->dev->machine, cpu, run_blocks, &r)) {
        /* a hook callback left the run, after asking emu to stop */
        cpu->in_exec = false;
        cpu_restore_state(cpu);
        r.kind = EMU_USER_STOP_KICK;
    }
    emu_user_stop_kind kind = r.kind;
    cpu->last_gen = UINT64_MAX;
    cpu->icount += (uint64_t)(start - cpu->budget);
    cpu->in_run = false;
    cpu->hook_resume = false;
    if (kind != EMU_USER_STOP_BUDGET && kind != EMU_USER_STOP_KICK)
        hooks_exception(cpu, cpu->excp, cpu->excp_code);
    if (stop) {
        memset(stop, 0, sizeof *stop);
        stop->kind = kind;
        stop->pc = cpu_get_pc(cpu);
        if (kind == EMU_USER_STOP_FAULT || kind == EMU_USER_STOP_ALIGN) {
            stop->addr = cpu->fault_addr;
            stop->access = cpu->fault_access;
        }
        stop->code = cpu->excp_code;
    }
    cpu->excp = EMU_EXCP_NONE;
    return kind;
}
