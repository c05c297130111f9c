/* User-mode system calls without a CPU: the linux-ppc ABI plugin's tables driving the generic
 * handlers on a guest address space — structure layouts and byte order (stat64, termios, pipe
 * descriptors, dirents, timespecs, sigaction, utsname), flag translation, sysroot paths, and
 * guest pointers that must never reach host memory. */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tap.h"
#include "plugins.h"
#include "user/user.h"

static emu_user_proc proc;
static emu_linux_task task;
static uint64_t scratch;          /* a guest page for arguments */

static uint32_t be32(uint64_t addr)
{
    const uint8_t *b = emu_vm_host(&proc.vm, addr);
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(uint64_t addr)
{
    return (uint64_t)be32(addr) << 32 | be32(addr + 4);
}

static void put32(uint64_t addr, uint32_t v)
{
    uint8_t *b = emu_vm_host(&proc.vm, addr);
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

/* A guest string at addr. */
static uint64_t gstr(uint64_t addr, const char *s)
{
    memcpy(emu_vm_host(&proc.vm, addr), s, strlen(s) + 1);
    return addr;
}

static int64_t sys(unsigned id, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
    uint64_t raw[6] = { a0, a1, a2, a3, a4, a5 };
    return emu_user_do_syscall(&task, id, raw);
}

static void test_files(const char *dir)
{
    char path[512];
    snprintf(path, sizeof path, "%s/f", dir);
    FILE *f = fopen(path, "w");
    fputs("0123456789", f);
    fclose(f);
    uint64_t p = gstr(scratch, path), st = scratch + 1024;
    is_u64(sys(EMU_SYS_stat64, p, st, 0, 0, 0, 0), 0, "stat64");
    struct stat hs;
    stat(path, &hs);
    is_u64(be64(st + 8), hs.st_ino, "stat64 st_ino: big-endian u64 at offset 8");
    is_u64(be32(st + 16), hs.st_mode, "st_mode at 16");
    is_u64(be64(st + 48), 10, "st_size at 48");
    is_u64(be32(st + 80), (uint32_t)hs.st_mtim.tv_sec, "st_mtime at 80");
    is_u64(sys(EMU_SYS_stat, p, st, 0, 0, 0, 0), hs.st_ino > 0xffffffffu ? (uint64_t)-EOVERFLOW : 0,
           "old stat (32-bit inode) answers or says EOVERFLOW");

    /* open flags: PowerPC's O_DIRECTORY is 040000 (the host's O_DIRECT). */
    is_u64(sys(EMU_SYS_open, p, 040000, 0, 0, 0, 0), (uint64_t)-ENOTDIR, "guest O_DIRECTORY on a file: ENOTDIR");
    int64_t fd = sys(EMU_SYS_open, p, O_RDWR | 0200000 /* guest O_LARGEFILE */, 0, 0, 0, 0);
    ok(fd >= 0, "open with the guest's O_LARGEFILE");
    int64_t fl = sys(EMU_SYS_fcntl64, (uint64_t)fd, F_GETFL, 0, 0, 0, 0);
    ok(fl >= 0 && (fl & 0200000) && !(fl & 0100000), "F_GETFL reports the guest's O_LARGEFILE (0200000), not the host's");
    /* pread64 takes its offset from an aligned register pair: fd, buf, count, pad, hi, lo */
    uint64_t buf = scratch + 2048;
    is_u64(sys(EMU_SYS_pread64, (uint64_t)fd, buf, 3, 0, 0, 4), 3, "pread64 with the offset in r7:r8");
    ok(!memcmp(emu_vm_host(&proc.vm, buf), "456", 3), "read from offset 4");
    /* _llseek(fd, hi, lo, &result, whence) */
    is_u64(sys(EMU_SYS__llseek, (uint64_t)fd, 0, 7, scratch + 3000, SEEK_SET, 0), 0, "_llseek");
    is_u64(be64(scratch + 3000), 7, "_llseek result as a big-endian loff_t");
    close((int)fd);

    /* pipe: two big-endian ints */
    is_u64(sys(EMU_SYS_pipe2, scratch + 100, 0, 0, 0, 0, 0), 0, "pipe2");
    int rfd = (int)be32(scratch + 100), wfd = (int)be32(scratch + 104);
    ok(write(wfd, "x", 1) == 1 && read(rfd, path, 1) == 1, "the descriptors are real and big-endian");
    close(rfd);
    close(wfd);

    /* getdents64: d_ino/d_off/d_reclen converted */
    int64_t dfd = sys(EMU_SYS_open, gstr(scratch, dir), 040000, 0, 0, 0, 0);
    ok(dfd >= 0, "open a directory with the guest's O_DIRECTORY");
    int64_t n = sys(EMU_SYS_getdents64, (uint64_t)dfd, buf, 1024, 0, 0, 0);
    bool found = false;
    for (int64_t off = 0; off < n;) {
        uint32_t reclen = (uint32_t)emu_user_ld(&proc, emu_vm_host(&proc.vm, buf + (uint64_t)off + 16), 2);
        const char *name = emu_vm_host(&proc.vm, buf + (uint64_t)off + 19);
        if (!strcmp(name, "f") && be64(buf + (uint64_t)off) == hs.st_ino)
            found = true;
        if (reclen == 0)
            break;
        off += reclen;
    }
    ok(n > 0 && found, "getdents64 entry with a big-endian d_ino and d_reclen");
    close((int)dfd);

    /* /proc/self/exe names the guest program */
    is_u64(sys(EMU_SYS_readlink, gstr(scratch, "/proc/self/exe"), buf, 100, 0, 0, 0), strlen(proc.exe_path),
           "readlink /proc/self/exe");
    ok(!memcmp(emu_vm_host(&proc.vm, buf), proc.exe_path, strlen(proc.exe_path)), "... is the guest program");
}

static void test_sysroot(const char *dir)
{
    char lib[512], host[600], map[600];
    snprintf(lib, sizeof lib, "%s/lib", dir);
    mkdir(lib, 0755);
    snprintf(host, sizeof host, "%s/lib/only-in-sysroot", dir);
    fclose(fopen(host, "w"));
    proc.sysroot = (char *)dir;
    is_str(emu_user_path(&proc, "/lib/only-in-sysroot", map, sizeof map), host, "an absolute path found in the sysroot");
    is_str(emu_user_path(&proc, "/etc/hostname-not-in-sysroot", map, sizeof map), "/etc/hostname-not-in-sysroot",
           "other absolute paths stay the host's");
    is_str(emu_user_path(&proc, "relative", map, sizeof map), "relative", "relative paths are unchanged");
    proc.sysroot = NULL;
}

static void test_pointers(void)
{
    /* Nothing outside mapped guest pages is ever touched. */
    is_u64(sys(EMU_SYS_read, 0, 0x10, 4, 0, 0, 0), (uint64_t)-EFAULT, "read into page 0: EFAULT");
    is_u64(sys(EMU_SYS_write, 1, 0xfffffff0, 0x20, 0, 0, 0), (uint64_t)-EFAULT, "write from a range wrapping 4 GiB: EFAULT");
    is_u64(sys(EMU_SYS_open, 0x12345678, 0, 0, 0, 0, 0), (uint64_t)-EFAULT, "a path in unmapped memory: EFAULT");
    is_u64(sys(EMU_SYS_uname, (uint64_t)(uintptr_t)&proc, 0, 0, 0, 0, 0), (uint64_t)-EFAULT,
           "a host address as a guest pointer: EFAULT");
    is_u64(sys(EMU_SYS_clock_gettime, 0, scratch + 4090, 0, 0, 0, 0), (uint64_t)-EFAULT,
           "a timespec crossing into an unmapped page: EFAULT");
    char big[5000];
    memset(big, 'a', sizeof big);
    big[sizeof big - 1] = 0;
    memcpy(emu_vm_host(&proc.vm, scratch), big, 4096);
    is_u64(sys(EMU_SYS_open, scratch, 0, 0, 0, 0, 0), (uint64_t)-EFAULT, "an unterminated path at the end of mapped memory");
    is_u64(sys(EMU_SYS_mmap2, 0, 4096, 3, 0x22 | 0x40 /* MAP_NORESERVE on PowerPC */, (uint64_t)-1, 0) > 0, 1,
           "mmap2 with PowerPC's MAP_NORESERVE");
    is_u64(sys(EMU_SYS_mmap2, 0x1000, 4096, 3, 0x32, (uint64_t)-1, 0), (uint64_t)-EPERM,
           "MAP_FIXED below mmap_min_addr: EPERM");
    is_u64(sys(EMU_SYS_munmap, 0x1001, 4096, 0, 0, 0, 0), (uint64_t)-EINVAL, "munmap unaligned: EINVAL");
}

static void test_misc(void)
{
    is_u64(sys(EMU_SYS_uname, scratch, 0, 0, 0, 0, 0), 0, "uname");
    is_str((char *)emu_vm_host(&proc.vm, scratch + 4 * 65), "ppc", "utsname.machine is the guest's");
    is_u64(sys(EMU_SYS_clock_gettime, 1, scratch, 0, 0, 0, 0), 0, "clock_gettime (32-bit timespec)");
    uint32_t sec = be32(scratch), nsec = be32(scratch + 4);
    ok(sec > 0 && nsec < 1000000000u, "two big-endian 32-bit words");
    is_u64(sys(EMU_SYS_clock_gettime64, 1, scratch, 0, 0, 0, 0), 0, "clock_gettime64");
    ok(be64(scratch) >= sec && be64(scratch + 8) < 1000000000u, "two big-endian 64-bit words");
    /* rt_sigaction round trip: { handler, flags, restorer, mask[2] } */
    put32(scratch, 0x10001234);
    put32(scratch + 4, 0x14000004);      /* SA_SIGINFO | SA_RESTART | SA_RESTORER bits */
    put32(scratch + 8, 0);
    put32(scratch + 12, 1u << 1);        /* mask: SIGINT */
    put32(scratch + 16, 1u << 2);        /* mask: signal 35 */
    is_u64(sys(EMU_SYS_rt_sigaction, 10, scratch, 0, 8, 0, 0), 0, "rt_sigaction sets SIGUSR1");
    is_u64(proc.sigact[10].handler, 0x10001234, "handler kept");
    is_u64(proc.sigact[10].mask, (1ull << 1) | (1ull << 34), "mask words: low word first");
    is_u64(sys(EMU_SYS_rt_sigaction, 10, 0, scratch + 32, 8, 0, 0), 0, "rt_sigaction reads it back");
    ok(be32(scratch + 32) == 0x10001234 && be32(scratch + 48) == 1u << 2, "same layout back");
    is_u64(sys(EMU_SYS_rt_sigaction, 9, scratch, 0, 8, 0, 0), (uint64_t)-EINVAL, "SIGKILL cannot be caught");
    is_u64(sys(EMU_SYS_rt_sigaction, 10, scratch, 0, 16, 0, 0), (uint64_t)-EINVAL, "wrong sigset size");
    /* rt_sigprocmask */
    put32(scratch, 1u << 9);
    put32(scratch + 4, 0);
    is_u64(sys(EMU_SYS_rt_sigprocmask, SIG_BLOCK, scratch, scratch + 8, 8, 0, 0), 0, "rt_sigprocmask");
    is_u64(task.blocked, 1u << 9, "SIGUSR1 blocked");
    is_u64(sys(EMU_SYS_rt_sigprocmask, SIG_SETMASK, 0, scratch + 8, 8, 0, 0), 0, "read the mask");
    is_u64(be32(scratch + 8), 1u << 9, "as a guest sigset");
    task.blocked = 0;
    emu_user_sync_mask(&task);
    /* prlimit64 with 64-bit infinity */
    is_u64(sys(EMU_SYS_prlimit64, 0, 7, 0, scratch, 0, 0), 0, "prlimit64 RLIMIT_NOFILE");
    ok(be64(scratch) > 0 && be64(scratch) <= be64(scratch + 8), "soft <= hard, big-endian 64-bit");
    is_u64(sys(EMU_SYS_set_tid_address, scratch, 0, 0, 0, 0, 0), (uint64_t)task.tid, "set_tid_address returns the tid");
    is_u64(sys(EMU_SYS_futex, scratch + 2, 1, 1, 0, 0, 0), (uint64_t)-EINVAL, "an unaligned futex: EINVAL");
    put32(scratch + 64, 5);
    struct timespec ts = { 0, 0 };
    put32(scratch + 72, 0);
    put32(scratch + 76, 1000);
    (void)ts;
    is_u64(sys(EMU_SYS_futex, scratch + 64, 0 /* FUTEX_WAIT */, 6, scratch + 72, 0, 0), (uint64_t)-EAGAIN,
           "FUTEX_WAIT compares the big-endian word (5 != 6): EAGAIN");
    is_u64(sys(EMU_SYS_futex, scratch + 64, 0, 5, scratch + 72, 0, 0), (uint64_t)-ETIMEDOUT,
           "FUTEX_WAIT with the right value waits, then times out");
    is_u64(sys(EMU_SYS_ioctl, 0, 0x12345678, 0, 0, 0, 0), (uint64_t)-ENOTTY, "an unknown ioctl: ENOTTY");
}

static void test_termios(void)
{
    int m, s;
    if (openpty(&m, &s, NULL, NULL, NULL) < 0) {
        ok(1, "# SKIP no pseudo-terminal: %s", strerror(errno));
        return;
    }
    uint32_t tcgets = 0x402c7413, tcsets = 0x802c7414;
    is_u64(sys(EMU_SYS_ioctl, (uint64_t)s, tcgets, scratch, 0, 0, 0), 0, "TCGETS (PowerPC number 0x402c7413)");
    uint32_t lflag = be32(scratch + 12);
    ok(lflag & 0x100, "ICANON is PowerPC's 0x100 in c_lflag");
    ok(lflag & 0x8, "ECHO is 0x8");
    ok(!(lflag & 0x2 && !(lflag & 0x8)), "ECHOE with ECHO");
    const uint8_t *cc = emu_vm_host(&proc.vm, scratch + 16);
    is_u64(cc[0], 3, "c_cc[VINTR] (index 0) is ^C");
    is_u64(cc[4], 4, "c_cc[VEOF] (PowerPC index 4) is ^D");
    is_u64(cc[12], 26, "c_cc[VSUSP] (PowerPC index 12) is ^Z");
    /* raw mode: clear ICANON and ECHO, VMIN (PowerPC index 5) = 3 */
    put32(scratch + 12, lflag & ~0x108u);
    ((uint8_t *)emu_vm_host(&proc.vm, scratch + 16))[5] = 3;
    is_u64(sys(EMU_SYS_ioctl, (uint64_t)s, tcsets, scratch, 0, 0, 0), 0, "TCSETS");
    struct termios t;
    tcgetattr(s, &t);
    ok(!(t.c_lflag & ICANON) && !(t.c_lflag & ECHO), "the host terminal is in raw mode");
    is_u64(t.c_cc[VMIN], 3, "host VMIN set from PowerPC c_cc[5]");
    struct winsize ws = { 33, 101, 0, 0 };
    ioctl(s, TIOCSWINSZ, &ws);
    is_u64(sys(EMU_SYS_ioctl, (uint64_t)s, 0x40087468, scratch, 0, 0, 0), 0, "TIOCGWINSZ");
    is_u64(be32(scratch), 33u << 16 | 101, "rows and columns as big-endian shorts");
    int p[2];
    if (pipe(p) == 0) {
        is_u64(sys(EMU_SYS_ioctl, (uint64_t)p[0], tcgets, scratch, 0, 0, 0), (uint64_t)-ENOTTY, "TCGETS on a pipe: ENOTTY");
        close(p[0]);
        close(p[1]);
    }
    close(m);
    close(s);
}

int main(void)
{
    emu_error *err = NULL;
    const emu_type *ty = emu_plugins_find_type("linux-ppc", EMU_KIND_ABI, &err);
    if (!ty) {
        printf("1..0 # SKIP linux-ppc plugin not found: %s\n", emu_error_message(err));
        return 0;
    }
    proc.abi = ty->kind_ops;
    proc.msb = true;
    proc.word = 4;
    proc.exe_path = "/guest/bin/prog";
    pthread_mutex_init(&proc.lock, NULL);
    if (emu_vm_init(&proc.vm, 1ull << 32, &err) < 0) {
        printf("1..0 # SKIP %s\n", emu_error_message(err));
        return 0;
    }
    proc.vm.mmap_top = 0xb0000000;
    scratch = (uint64_t)emu_vm_map(&proc.vm, 0x20000000, 4096, EMU_VM_READ | EMU_VM_WRITE, EMU_VM_FIXED, -1, 0);
    task.proc = &proc;
    task.tid = getpid();
    proc.tasks = &task;
    char dir[] = "/tmp/emu-user-sys-XXXXXX";
    if (!mkdtemp(dir)) {
        printf("1..0 # SKIP no temporary directory\n");
        return 0;
    }
    test_files(dir);
    test_sysroot(dir);
    test_pointers();
    test_misc();
    test_termios();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        tap_diag("could not remove %s", dir);
    emu_vm_fini(&proc.vm);
    emu_plugins_shutdown();
    return tap_done();
}
