/* System call dispatch: guest number -> generic id -> handler, with the arguments decoded from
 * their registers (64-bit values from register pairs), restarts after signals, --strace output,
 * and ENOSYS (logged once per number) for anything without a handler.
 *
 * Argument kinds (one letter per argument in a table entry's `args`):
 *   i  int (sign-extended from 32 bits)     u  unsigned long     x  hex word
 *   p  guest pointer                        s  guest string (a path)
 *   o  octal (modes)                        f  flags (hex)
 *   L  64-bit value (a register pair on 32-bit guests)
 *   S  signal number
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "user.h"
#include "util.h"

static const char *const sys_names[EMU_SYS_COUNT] = {
#define NAME_(n) [EMU_SYS_##n] = #n,
    EMU_LINUX_SYSCALLS(NAME_)
#undef NAME_
};

static const emu_sys_entry *sys_table[EMU_SYS_COUNT];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void)
{
    const emu_sys_entry *groups[] = {
        emu_sys_file_table, emu_sys_stat_table, emu_sys_mem_table, emu_sys_proc_table,
        emu_sys_signal_table, emu_sys_time_table, emu_sys_misc_table, emu_sys_net_table,
        emu_sys_ioctl_table, emu_sys_eventfd_table, emu_sys_notify_table,
        emu_sys_futex_table,
    };
    for (size_t g = 0; g < EMU_ARRAY_SIZE(groups); g++)
        for (const emu_sys_entry *e = groups[g]; e->id; e++)
            sys_table[e->id] = e;
}

const char *emu_sys_name(unsigned id)
{
    return id < EMU_SYS_COUNT ? sys_names[id] : NULL;
}

/* Decode raw argument registers into one value per argument. */
static void decode_args(const emu_user_proc *p, const char *kinds, const uint64_t raw[6],
                        uint64_t out[6])
{
    unsigned r = 0;
    for (unsigned i = 0; kinds[i] && i < 6; i++) {
        uint64_t v = 0;
        if (kinds[i] == 'L' && p->word == 4) {
            if (p->abi->regpair_align && (r & 1))
                r++;
            uint64_t a = r < 6 ? raw[r] & 0xffffffffu : 0, b = r + 1 < 6 ? raw[r + 1] & 0xffffffffu : 0;
            v = p->msb ? a << 32 | b : b << 32 | a;
            r += 2;
        } else {
            v = r < 6 ? raw[r] : 0;
            if (p->word == 4)
                v = kinds[i] == 'i' || kinds[i] == 'S' ? (uint64_t)(int64_t)(int32_t)v : v & 0xffffffffu;
            r++;
        }
        out[i] = v;
    }
}

/* ---- --strace ---- */

static void print_string(emu_linux_task *t, FILE *f, uint64_t addr)
{
    char buf[68];
    int64_t n = emu_vm_strlen(&t->proc->vm, addr, 64);
    if (!addr) {
        fputs("NULL", f);
        return;
    }
    if (n < 0 && !emu_vm_check(&t->proc->vm, addr, 1, EMU_VM_READ)) {
        fprintf(f, "%#" PRIx64, addr);
        return;
    }
    size_t len = n < 0 ? 64 : (size_t)n;
    memcpy(buf, emu_vm_host(&t->proc->vm, addr), len);
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c < 32 || c >= 127)
            fprintf(f, "\\%o", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
    if (n < 0)
        fputs("...", f);
}

static void print_call(emu_linux_task *t, FILE *f, const char *name, const char *kinds,
                       const uint64_t *a)
{
    fprintf(f, "%d %s(", (int)t->tid, name);
    for (unsigned i = 0; kinds[i] && i < 6; i++) {
        if (i)
            fputs(", ", f);
        switch (kinds[i]) {
        case 'i': case 'S': fprintf(f, "%" PRId64, (int64_t)a[i]); break;
        case 'u': case 'L': fprintf(f, "%" PRIu64, a[i]); break;
        case 'o': fprintf(f, "%#" PRIo64, a[i]); break;
        case 's': print_string(t, f, a[i]); break;
        case 'p': if (!a[i]) { fputs("NULL", f); break; } /* fall through */
        default: fprintf(f, "%#" PRIx64, a[i]); break;
        }
    }
    fputc(')', f);
}

static void print_result(FILE *f, char kind, int64_t r)
{
    if (r < 0 && r >= -4095) {
        int e = (int)-r;
        static const char *const restarts[] = { "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND" };
        if (e >= EMU_ERESTARTSYS && e <= EMU_ERESTARTNOHAND)
            fprintf(f, " = -1 %s (restart)\n", restarts[e - EMU_ERESTARTSYS]);
        else
            fprintf(f, " = -1 %s (%s)\n", strerrorname_np(e) ? strerrorname_np(e) : "?", strerror(e));
    } else if (kind == 'x') {
        fprintf(f, " = %#" PRIx64 "\n", (uint64_t)r);
    } else {
        fprintf(f, " = %" PRId64 "\n", r);
    }
}

/* ---- dispatch ---- */

static void log_enosys(emu_user_proc *p, uint64_t nr, unsigned id)
{
    if (nr >= p->enosys_seen_bits)
        nr = p->enosys_seen_bits - 1;       /* all out-of-range numbers share one bit */
    uint8_t bit = (uint8_t)(1u << (nr & 7));
    if (__atomic_fetch_or(&p->enosys_seen[nr / 8], bit, __ATOMIC_RELAXED) & bit)
        return;
    const char *name = id ? emu_sys_name(id) : NULL;
    emu_log(NULL, EMU_LOG_UNIMP, "user mode: unsupported system call %" PRIu64 "%s%s%s, returning ENOSYS",
            nr, name ? " (" : "", name ? name : "", name ? ")" : "");
}

int64_t emu_user_do_syscall(emu_linux_task *t, unsigned id, const uint64_t raw[6])
{
    pthread_once(&table_once, build_table);
    const emu_sys_entry *e = id < EMU_SYS_COUNT ? sys_table[id] : NULL;
    if (!e)
        return -ENOSYS;
    uint64_t a[6] = { 0 };
    decode_args(t->proc, e->args, raw, a);
    int64_t r = e->fn(t, a);
    if (r == -EINTR && (e->flags & EMU_SYSF_RESTART))
        r = -EMU_ERESTARTSYS;
    return r;
}

/* Whether the next signal to deliver has a handler, and its flags. */
static bool handler_pending(emu_linux_task *t, uint64_t *flags);

void emu_user_syscall(emu_linux_task *t)
{
    pthread_once(&table_once, build_table);
    emu_user_proc *p = t->proc;
    const emu_linux_abi *abi = p->abi;
    uint64_t nr, raw[6];
    abi->syscall_args(t->cpu, &nr, raw);
    unsigned id = nr < abi->nsyscalls ? abi->syscalls[nr] : 0;
    const emu_sys_entry *e = id < EMU_SYS_COUNT ? sys_table[id] : NULL;
    if (!e) {
        log_enosys(p, nr, id);
        if (p->strace) {
            if (id)
                fprintf(stderr, "%d %s(...) = -1 ENOSYS (not implemented by emu)\n", (int)t->tid, sys_names[id]);
            else
                fprintf(stderr, "%d syscall_%" PRIu64 "(...) = -1 ENOSYS (unknown)\n", (int)t->tid, nr);
        }
        t->last_result = -ENOSYS;
        abi->syscall_result(t->cpu, -ENOSYS);
        return;
    }
    uint64_t a[6] = { 0 };
    decode_args(p, e->args, raw, a);
    if (p->strace && e->ret == 'n') {
        print_call(t, stderr, sys_names[id], e->args, a);
        fputc('\n', stderr);
    }
    int64_t r = e->fn(t, a);
    if (r == -EINTR && (e->flags & EMU_SYSF_RESTART))
        r = -EMU_ERESTARTSYS;
    if (p->strace && e->ret != 'n' && r != EMU_SYS_NORESULT) {
        char *line = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&line, &len);
        print_call(t, f, sys_names[id], e->args, a);
        print_result(f, e->ret, r);
        fclose(f);
        fputs(line, stderr);
        free(line);
    }
    if (r == EMU_SYS_NORESULT)
        return;
    if (r == -EMU_ERESTARTSYS || r == -EMU_ERESTARTNOHAND || r == -EMU_ERESTARTNOINTR) {
        uint64_t flags = 0;
        bool handler = handler_pending(t, &flags) && r != -EMU_ERESTARTNOINTR;
        if (handler && (r == -EMU_ERESTARTNOHAND || !(flags & 0x10000000u /* SA_RESTART */)))
            r = -EINTR;
        else {
            abi->syscall_restart(t->cpu);
            t->last_result = r;
            return;
        }
    }
    t->last_result = r;
    abi->syscall_result(t->cpu, r);
}

static bool handler_pending(emu_linux_task *t, uint64_t *flags)
{
    int sig;
    if (!emu_user_signal_next(t, &sig))
        return false;
    emu_user_proc *p = t->proc;
    pthread_mutex_lock(&p->lock);
    emu_user_sigaction act = p->sigact[sig];
    pthread_mutex_unlock(&p->lock);
    *flags = act.flags;
    return act.handler > 1;
}
