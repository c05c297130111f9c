/* Guest test: what a program sees of itself in /proc (the exe link, cmdline, auxv, maps in
 * its own addresses and permissions) and an eventfd inherited across execve, still read and
 * written in the program's byte order by the new image. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    static char buf[65536];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return NULL;
    size_t n = 0;
    ssize_t r;
    while (n < sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
        n += (size_t)r;
    close(fd);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* The maps line whose range holds addr, or an empty string. */
static const char *maps_line(const char *maps, uintptr_t addr)
{
    static char line[512];
    for (const char *p = maps; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        unsigned long s, e;
        if (sscanf(p, "%lx-%lx", &s, &e) == 2 && addr >= s && addr < e) {
            snprintf(line, sizeof line, "%.*s", (int)n, p);
            return line;
        }
        p += n + (nl != NULL);
    }
    return "";
}

static const char *perms(const char *line)
{
    static char p[5];
    const char *sp = strchr(line, ' ');
    snprintf(p, sizeof p, "%s", sp ? sp + 1 : "");
    return p;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

static void child(int fd)
{
    uint64_t v = 0;
    ssize_t n = read(fd, &v, sizeof v);
    printf("new image reads the inherited eventfd: %zd bytes, value %llu\n", n, (unsigned long long)v);
    v = 0x0102030405060708ull;
    write(fd, &v, sizeof v);
    v = 0;
    read(fd, &v, sizeof v);
    printf("and writes it: %#llx\n", (unsigned long long)v);
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "child")) {
        child(atoi(argv[2]));
        return 0;
    }

    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    const char *base = strrchr(exe, '/');
    printf("exe is this program: %d\n", n > 0 && base && !strncmp(base + 1, "procself.", 9));

    size_t len;
    char *cmd = slurp("/proc/self/cmdline", &len);
    printf("cmdline: argv[0] matches %d\n", cmd && !strcmp(cmd, argv[0]) && len == strlen(argv[0]) + 1);

    char *aux = slurp("/proc/self/auxv", &len);
    unsigned long *av = (unsigned long *)aux;
    size_t pairs = len / (2 * sizeof *av);
    int pagesz_ok = 0, entry_ok = 0, phdr_ok = 0;
    for (size_t i = 0; aux && i < pairs; i++) {
        if (av[2 * i] == AT_PAGESZ)
            pagesz_ok = av[2 * i + 1] == 4096;
        if (av[2 * i] == AT_ENTRY)
            entry_ok = av[2 * i + 1] == getauxval(AT_ENTRY);
        if (av[2 * i] == AT_PHDR)
            phdr_ok = av[2 * i + 1] == getauxval(AT_PHDR);
    }
    printf("auxv: whole pairs %d, ends with AT_NULL %d, AT_PAGESZ %d, AT_ENTRY %d, AT_PHDR %d\n",
           len % (2 * sizeof *av) == 0, pairs && av[2 * (pairs - 1)] == AT_NULL, pagesz_ok, entry_ok, phdr_ok);

    void *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    void *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *maps = slurp("/proc/self/maps", &len);
    int local;
    const char *l = maps_line(maps, (uintptr_t)&local);
    printf("maps: stack %s %s\n", perms(l), ends_with(l, " [stack]") ? "[stack]" : "unnamed");
    l = maps_line(maps, (uintptr_t)main);
    printf("maps: code %s, named after the program %d\n", perms(l), base && ends_with(l, base));
    printf("maps: read-only mapping %s\n", perms(maps_line(maps, (uintptr_t)ro)));
    printf("maps: read-write mapping %s\n", perms(maps_line(maps, (uintptr_t)rw)));
    l = maps_line(maps, (uintptr_t)ro);
    unsigned long s, e;
    printf("maps: read-only line covers the mapping %d\n",
           sscanf(l, "%lx-%lx", &s, &e) == 2 && s <= (uintptr_t)ro && e >= (uintptr_t)ro + 8192);
    printf("maps: the program's data is there %s\n", perms(maps_line(maps, (uintptr_t)maps)));

    int fd = eventfd(0, 0);
    uint64_t v = 42;
    write(fd, &v, sizeof v);
    char fdtext[16];
    snprintf(fdtext, sizeof fdtext, "%d", fd);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "child", fdtext, (char *)NULL);
    printf("execl failed: %s\n", strerror(errno));
    return 1;
}
