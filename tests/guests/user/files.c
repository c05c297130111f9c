/* Guest test: files and directories — open/read/write and their positioned and vectored forms,
 * seeking, the stat family, directories, links, permissions, fcntl, dup, pipes and errors. */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#define CHECK(expr) do { if (!(expr)) printf("FAILED: %s (line %d, errno %s)\n", #expr, __LINE__, strerror(errno)); } while (0)

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

int main(void)
{
    char tmpl[] = "emu-files-XXXXXX";
    CHECK(mkdtemp(tmpl) != NULL);
    CHECK(chdir(tmpl) == 0);

    int fd = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    CHECK(fd >= 0);
    CHECK(write(fd, "hello world\n", 12) == 12);
    struct iovec iov[2] = { { "abc", 3 }, { "defg\n", 5 } };
    printf("writev=%zd\n", writev(fd, iov, 2));
    printf("pwrite=%zd\n", pwrite(fd, "HELLO", 5, 0));
    printf("lseek end=%ld\n", (long)lseek(fd, 0, SEEK_END));
    close(fd);

    char buf[64] = { 0 };
    fd = open("a.txt", O_RDONLY);
    printf("read=%zd [%.12s]\n", read(fd, buf, 12), buf);
    memset(buf, 0, sizeof buf);
    printf("pread=%zd [%s]\n", pread(fd, buf, 5, 6), buf);
    char b1[4] = { 0 }, b2[6] = { 0 };
    struct iovec riov[2] = { { b1, 3 }, { b2, 5 } };
    printf("readv=%zd [%s][%.4s]\n", readv(fd, riov, 2), b1, b2);
    printf("lseek cur=%ld\n", (long)lseek(fd, 0, SEEK_CUR));
    int flags = fcntl(fd, F_GETFL);
    printf("O_RDONLY=%d O_APPEND=%d\n", (flags & O_ACCMODE) == O_RDONLY, !!(flags & O_APPEND));
    close(fd);

    struct stat st;
    CHECK(stat("a.txt", &st) == 0);
    printf("size=%lld mode=%o regular=%d nlink=%lu\n", (long long)st.st_size, (unsigned)(st.st_mode & 0777),
           S_ISREG(st.st_mode), (unsigned long)st.st_nlink);
    CHECK(symlink("a.txt", "link") == 0);
    CHECK(lstat("link", &st) == 0);
    printf("lstat symlink=%d size=%lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
    CHECK(fstatat(AT_FDCWD, "link", &st, 0) == 0);
    printf("fstatat follows=%d\n", S_ISREG(st.st_mode));
    char target[64] = { 0 };
    printf("readlink=%zd [%s]\n", readlink("link", target, sizeof target), target);
    CHECK(link("a.txt", "hard") == 0);
    CHECK(stat("a.txt", &st) == 0);
    printf("nlink after link=%lu\n", (unsigned long)st.st_nlink);

    CHECK(mkdir("dir", 0755) == 0);
    printf("mkdir again: %s\n", mkdir("dir", 0755) < 0 ? strerror(errno) : "ok");
    CHECK(rename("hard", "dir/moved") == 0);
    int dfd = open("dir", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    printf("openat in dir=%d\n", openat(dfd, "moved", O_RDONLY) >= 0);
    printf("O_DIRECTORY on a file: %s\n", open("a.txt", O_RDONLY | O_DIRECTORY) < 0 ? strerror(errno) : "opened");
    printf("O_NOFOLLOW on a link: %s\n", open("link", O_RDONLY | O_NOFOLLOW) < 0 ? strerror(errno) : "opened");
    close(dfd);

    DIR *d = opendir(".");
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 16)
        names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("entries:");
    for (int i = 0; i < n; i++)
        printf(" %s", names[i]);
    printf("\n");

    printf("access R_OK=%d X_OK=%d\n", access("a.txt", R_OK), access("a.txt", X_OK));
    CHECK(chmod("a.txt", 0600) == 0);
    CHECK(stat("a.txt", &st) == 0);
    printf("chmod mode=%o\n", (unsigned)(st.st_mode & 0777));
    mode_t old = umask(077);
    printf("umask old=%03o\n", (unsigned)umask(old));
    CHECK(truncate("a.txt", 4) == 0);
    CHECK(stat("a.txt", &st) == 0);
    printf("truncated size=%lld\n", (long long)st.st_size);

    struct timespec times[2] = { { 1000000000, 0 }, { 1234567890, 500 } };
    printf("utimensat=%d\n", utimensat(AT_FDCWD, "a.txt", times, 0));
    CHECK(stat("a.txt", &st) == 0);
    printf("mtime=%ld.%09ld atime=%ld\n", (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec, (long)st.st_atim.tv_sec);
    struct timeval tv[2] = { { 2000000000, 0 }, { 1500000000, 250000 } };
    printf("utimes=%d\n", utimes("a.txt", tv));
    CHECK(stat("a.txt", &st) == 0);
    printf("mtime=%ld.%09ld\n", (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);

    char cwd[4096];
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    printf("cwd ends with dir: %d\n", strcmp(cwd + strlen(cwd) - strlen(tmpl), tmpl) == 0);
    CHECK(chdir("dir") == 0);
    CHECK(getcwd(cwd, sizeof cwd) != NULL);
    printf("chdir: %s\n", strrchr(cwd, '/'));
    CHECK(chdir("..") == 0);

    int p[2];
    CHECK(pipe(p) == 0);
    int dupped = dup(p[1]);
    CHECK(write(dupped, "xyz", 3) == 3);
    CHECK(dup2(p[1], 100) == 100);
    CHECK(write(100, "!", 1) == 1);
    memset(buf, 0, sizeof buf);
    printf("pipe read=%zd [%s]\n", read(p[0], buf, sizeof buf), buf);
    printf("cloexec=%d\n", fcntl(dup3(p[0], 101, O_CLOEXEC), F_GETFD));
    CHECK(pipe2(p, O_NONBLOCK) == 0);
    printf("nonblocking empty read: %s\n", read(p[0], buf, 1) < 0 ? strerror(errno) : "data");

    fd = open("a.txt", O_RDWR);
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10 };
    printf("setlk=%d\n", fcntl(fd, F_SETLK, &fl));
    fl.l_type = F_RDLCK;
    CHECK(fcntl(fd, F_GETLK, &fl) == 0);
    printf("getlk own lock: type unlocked=%d\n", fl.l_type == F_UNLCK);
    close(fd);

    printf("read bad fd: %s\n", read(999, buf, 1) < 0 ? strerror(errno) : "ok");
    printf("open missing: %s\n", open("nope/x", O_RDONLY) < 0 ? strerror(errno) : "ok");
    printf("rmdir non-empty: %s\n", rmdir("dir") < 0 ? strerror(errno) : "ok");
    printf("unlink dir: %s\n", unlink("dir") < 0 ? strerror(errno) : "ok");

    char self[4096] = { 0 };
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    printf("/proc/self/exe names the program: %d\n", sl > 0 && strstr(self, "files") != NULL);

    CHECK(unlink("dir/moved") == 0);
    CHECK(rmdir("dir") == 0);
    CHECK(unlink("link") == 0);
    CHECK(unlink("a.txt") == 0);
    CHECK(chdir("..") == 0);
    CHECK(rmdir(tmpl) == 0);
    printf("done\n");
    return 0;
}
