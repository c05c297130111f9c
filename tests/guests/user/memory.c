/* Guest test: brk, anonymous and file mmap, munmap, mprotect (a write to a read-only page is a
 * SIGSEGV with si_addr), mremap, MAP_FIXED, madvise, and large malloc. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile void *fault_addr;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig; (void)uc;
    fault_addr = si->si_addr;
    fault_code = si->si_code;
    siglongjmp(env, 1);
}

int main(void)
{
    long page = sysconf(_SC_PAGESIZE);
    printf("page=%ld\n", page);
    char *b0 = sbrk(0);
    char *b1 = sbrk(3 * page);
    printf("sbrk returns old break: %d\n", b0 == b1);
    memset(b1, 0x11, 3 * page);
    printf("brk grown: %d\n", (char *)sbrk(0) == b0 + 3 * page);
    printf("brk shrink: %d\n", sbrk(-page) != (void *)-1 && (char *)sbrk(0) == b0 + 2 * page);

    unsigned char *m = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap ok: %d zero: %d\n", m != MAP_FAILED, m[0] == 0 && m[4 * page - 1] == 0);
    memset(m, 0xab, 4 * page);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);

    printf("mprotect=%d\n", mprotect(m + page, page, PROT_READ));
    if (sigsetjmp(env, 1) == 0) {
        m[page + 8] = 1;
        printf("write to read-only page did not fault\n");
    } else {
        printf("SIGSEGV at offset %ld code %s\n", (long)((unsigned char *)fault_addr - m),
               fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
    }
    printf("read still works: %#x\n", m[page + 8]);
    printf("munmap=%d\n", munmap(m + 2 * page, page));
    if (sigsetjmp(env, 1) == 0) {
        volatile unsigned char c = m[2 * page];
        (void)c;
        printf("read of unmapped page did not fault\n");
    } else {
        printf("SIGSEGV at offset %ld code %s\n", (long)((unsigned char *)fault_addr - m),
               fault_code == SEGV_MAPERR ? "SEGV_MAPERR" : "other");
    }
    unsigned char *fixed = mmap(m + 2 * page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED into the hole: %d\n", fixed == m + 2 * page);
    printf("MAP_FIXED_NOREPLACE over it: %s\n",
           mmap(m + 2 * page, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED
               ? strerror(errno) : "mapped");

    unsigned char *r = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy((char *)r, "keep me");
    unsigned char *r2 = mremap(r, page, 64 * page, MREMAP_MAYMOVE);
    printf("mremap grow: %d contents: %s\n", r2 != MAP_FAILED, (char *)r2);
    r2[64 * page - 1] = 5;
    printf("mremap shrink: %d\n", mremap(r2, 64 * page, page, 0) == r2);
    printf("madvise DONTNEED zeroes: ");
    memset(m, 7, page);
    madvise(m, page, MADV_DONTNEED);
    printf("%d\n", m[0] == 0);

    char path[] = "emu-mmap-XXXXXX";
    int fd = mkstemp(path);
    (void)!write(fd, "file contents here", 18);
    char *fm = mmap(NULL, page, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("file mmap: %.13s\n", fm);
    char *sm = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(sm, "FILE", 4);
    msync(sm, page, MS_SYNC);
    char back[8] = { 0 };
    (void)!pread(fd, back, 4, 0);
    printf("shared mapping wrote the file: %s\n", back);
    close(fd);
    unlink(path);

    size_t big = 64u << 20;
    char *p = malloc(big);
    memset(p, 1, big);
    long sum = 0;
    for (size_t i = 0; i < big; i += 4096)
        sum += p[i];
    printf("64 MiB malloc touched: %ld pages\n", sum);
    free(p);
    printf("mmap PROT_NONE then access: ");
    unsigned char *none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (sigsetjmp(env, 1) == 0) {
        volatile unsigned char c = none[0];
        (void)c;
        printf("no fault\n");
    } else {
        printf("fault %s\n", fault_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other");
    }
    return 0;
}
