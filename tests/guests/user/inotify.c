/* Guest test: inotify (init, init1 with flags, add_watch, rm_watch) with struct inotify_event
 * records read back in the guest's byte order: create, modify, rename pairs with one cookie,
 * delete, the IN_IGNORED that rm_watch leaves, several events in one read, readv. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *mask_name(uint32_t m)
{
    static char buf[128];
    buf[0] = 0;
    static const struct { uint32_t bit; const char *name; } names[] = {
        { IN_CREATE, "CREATE" }, { IN_MODIFY, "MODIFY" }, { IN_CLOSE_WRITE, "CLOSE_WRITE" },
        { IN_MOVED_FROM, "MOVED_FROM" }, { IN_MOVED_TO, "MOVED_TO" }, { IN_DELETE, "DELETE" },
        { IN_IGNORED, "IGNORED" }, { IN_ISDIR, "ISDIR" }, { IN_OPEN, "OPEN" },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (m & names[i].bit) {
            strcat(buf, buf[0] ? "|" : "");
            strcat(buf, names[i].name);
        }
    return buf;
}

/* Print the events of one read; rename pairs must share a non-zero cookie. */
static void show(const char *what, int fd, int wd)
{
    char buf[4096] __attribute__((aligned(8)));
    ssize_t n = read(fd, buf, sizeof buf);
    printf("%s:", what);
    if (n < 0) {
        printf(" read failed: %s\n", strerrorname_np(errno));
        return;
    }
    uint32_t cookie = 0;
    for (ssize_t off = 0; off < n;) {
        struct inotify_event *e = (struct inotify_event *)(buf + off);
        printf(" [%s%s%s%s", e->wd == wd ? "" : "other wd ", mask_name(e->mask), e->len ? " " : "",
               e->len ? e->name : "");
        if (e->mask & (IN_MOVED_FROM | IN_MOVED_TO)) {
            if (!cookie)
                cookie = e->cookie;
            printf(" cookie %s", e->cookie && e->cookie == cookie ? "shared" : "wrong");
        }
        printf("]");
        off += sizeof *e + e->len;
    }
    printf("\n");
}

int main(void)
{
    char dir[] = "inotify-test.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    printf("init1 ok: %d nonblock %d cloexec %d\n", fd >= 0, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    int wd = inotify_add_watch(fd, dir, IN_CREATE | IN_MODIFY | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE);
    printf("watch ok: %d\n", wd > 0);
    show("nothing yet", fd, wd);

    char path[64], path2[64];
    snprintf(path, sizeof path, "%s/a-file-with-a-long-name", dir);
    snprintf(path2, sizeof path2, "%s/b", dir);
    int f = open(path, O_CREAT | O_WRONLY, 0644);
    write(f, "x", 1);
    close(f);
    rename(path, path2);
    snprintf(path, sizeof path, "%s/sub", dir);
    mkdir(path, 0755);
    show("create, modify, rename, mkdir", fd, wd);

    unlink(path2);
    rmdir(path);
    char a[40], b[600];
    struct iovec iov[2] = { { a, sizeof a }, { b, sizeof b } };
    /* Each buffer is read on its own (inotify has no vectored read): the first holds one
       event, and its short read ends the call. */
    ssize_t n = readv(fd, iov, 2);
    struct inotify_event *e = (struct inotify_event *)a;
    printf("readv: %zd bytes, first %s %s\n", n, mask_name(e->mask), e->name);

    printf("rm_watch: %d\n", inotify_rm_watch(fd, wd));
    show("after rm_watch", fd, wd);
    int r = inotify_rm_watch(fd, wd);
    printf("rm_watch again: %d %s\n", r, strerrorname_np(errno));
    r = syscall(SYS_inotify_init1, 1);
    printf("bad flags: %d %s\n", r, strerrorname_np(errno));
    r = inotify_add_watch(fd, "no/such/dir", IN_CREATE);
    printf("missing path: %d %s\n", r, strerrorname_np(errno));
    close(fd);

    /* The old call makes a blocking descriptor. */
    fd = syscall(SYS_inotify_init);
    printf("init: %d nonblock %d\n", fd >= 0, (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
    wd = inotify_add_watch(fd, dir, IN_CLOSE_WRITE);
    snprintf(path, sizeof path, "%s/c", dir);
    close(open(path, O_CREAT | O_WRONLY, 0644));
    show("blocking read", fd, wd);
    unlink(path);
    rmdir(dir);
    return 0;
}
