/* Unit tests of the host backends: chardev kinds (buffer, file, null, tcp, stdio, pty) and block images. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "../tap.h"
#include "backends/backends.h"
#include "log.h"
#include "machine.h"
#include "chardev-sink.h"

static char tmpdir[] = "/tmp/emu-test-backends-XXXXXX";

static char *tmp_path(const char *name)
{
    return emu_asprintf("%s/%s", tmpdir, name);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- specs ---- */

static void test_specs(void)
{
    emu_error *e = NULL;
    ok(emu_chardev_spec_check("stdio", NULL) == 0 && emu_chardev_spec_check("null", NULL) == 0 &&
       emu_chardev_spec_check("pty", NULL) == 0 && emu_chardev_spec_check("buffer", NULL) == 0 &&
       emu_chardev_spec_check("file:/tmp/x", NULL) == 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:4444", NULL) == 0 &&
       emu_chardev_spec_check("tcp:localhost:0", NULL) == 0, "valid chardev specs pass the check");
    ok(emu_chardev_spec_check("serial", &e) < 0, "unknown chardev refused");
    has_str(emu_error_message(e), "valid: stdio, null, file:PATH, tcp:127.0.0.1:PORT, pty, buffer",
            "the message lists the valid kinds");
    emu_error_free(e);
    e = NULL;
    ok(emu_chardev_spec_check("tcp:0.0.0.0:4444", &e) < 0, "tcp on a non-loopback host refused");
    has_str(emu_error_message(e), "loopback only", "the message says why");
    emu_error_free(e);
    e = NULL;
    ok(emu_chardev_spec_check("tcp:127.0.0.1:70000", &e) < 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:", NULL) < 0 &&
       emu_chardev_spec_check("tcp:4444", NULL) < 0, "bad tcp ports refused");
    ok(emu_chardev_spec_check("tcp:127.0.0.1: 80", NULL) < 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:+80", NULL) < 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:-0", NULL) < 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:0x50", NULL) < 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:99999999999999999999", NULL) < 0 &&
       emu_chardev_spec_check("tcp:127.0.0.1:080", NULL) == 0, "a port is decimal digits only");
    has_str(emu_error_message(e), "0 to 65535", "port message names the range");
    emu_error_free(e);
    ok(emu_chardev_spec_check("file:", NULL) < 0 && emu_chardev_spec_check("file", NULL) < 0,
       "file without a path refused");
    ok(emu_chardev_spec_check("stdio:x", NULL) < 0, "argument to stdio refused");
    emu_block_mode mode;
    ok(emu_block_mode_parse("snapshot", &mode) == 0 && mode == EMU_BLOCK_SNAPSHOT &&
       emu_block_mode_parse("rw", &mode) == 0 && mode == EMU_BLOCK_RW &&
       emu_block_mode_parse("readonly", &mode) < 0, "block mode names");
}

/* ---- buffer, null, file ---- */

static void test_buffer(emu_machine *m)
{
    ok(emu_backends_add_chardev(m, "buf", "buffer", NULL) == 0, "buffer chardev created");
    emu_chardev *c = emu_backends_chardev(m, "buf");
    ok(c && !strcmp(emu_chardev_name(c), "buf"), "looked up by name");
    emu_error *e = NULL;
    ok(emu_backends_add_chardev(m, "buf", "null", &e) < 0, "duplicate chardev name refused");
    has_str(emu_error_message(e), "defined twice", "duplicate message");
    emu_error_free(e);

    is_u64(emu_chardev_write(c, "hello ", 6), 6, "write takes every byte");
    emu_chardev_write(c, "world", 5);
    size_t len;
    const char *out = emu_chardev_buffer_output(c, &len);
    ok(len == 11 && !memcmp(out, "hello world", 11) && out[11] == 0, "buffer keeps the output");
    emu_chardev_buffer_clear(c);
    emu_chardev_buffer_output(c, &len);
    is_u64(len, 0, "clear empties it");

    sink s = { .room = 3 };
    emu_chardev_attach(c, &sink_client, &s);
    emu_chardev_buffer_input(c, "abcdefgh", 8);
    emu_backends_poll(m, 0);
    is_str(s.got, "abc", "input respects can_receive");
    s.room = 2;
    emu_chardev_accept_input(c);
    is_str(s.got, "abcde", "accept_input delivers more at once");
    s.room = 100;
    emu_backends_poll(m, 0);
    is_str(s.got, "abcdefgh", "the rest on the next poll");
}

static void test_null_and_file(emu_machine *m)
{
    ok(emu_backends_add_chardev(m, "nul", "null", NULL) == 0, "null chardev created");
    is_u64(emu_chardev_write(emu_backends_chardev(m, "nul"), "xyz", 3), 3, "null swallows output");

    char *path = tmp_path("serial.log");
    char *spec = emu_asprintf("file:%s", path);
    ok(emu_backends_add_chardev(m, "log", spec, NULL) == 0, "file chardev created");
    emu_chardev *c = emu_backends_chardev(m, "log");
    emu_chardev_write(c, "boot\n", 5);
    emu_chardev_write(c, "ok\n", 3);
    FILE *f = fopen(path, "r");
    char buf[64] = "";
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = 0;
    if (f)
        fclose(f);
    is_str(buf, "boot\nok\n", "file chardev writes the file");

    emu_error *e = NULL;
    char *bad = emu_asprintf("file:%s/no/such/dir/x", tmpdir);
    ok(emu_backends_add_chardev(m, "bad", bad, &e) < 0, "file in a missing directory refused");
    has_str(emu_error_message(e), "No such file or directory", "with the system's reason");
    emu_error_free(e);
    free(bad);
    free(spec);
    free(path);
}

/* ---- tcp ---- */

static int connect_to(uint16_t port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Poll the backends until `cond` holds or a second has passed. */
#define POLL_UNTIL(m, cond) do { \
        double t0_ = now_s(); \
        while (!(cond) && now_s() - t0_ < 1.0) \
            emu_backends_poll((m), 10); \
    } while (0)

static ssize_t recv_wait(int fd, char *buf, size_t len)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, 1000) <= 0)
        return -1;
    return recv(fd, buf, len, 0);
}

static void test_tcp(emu_machine *m)
{
    ok(emu_backends_add_chardev(m, "net", "tcp:127.0.0.1:0", NULL) == 0, "tcp chardev listening");
    emu_chardev *c = emu_backends_chardev(m, "net");
    uint16_t port = emu_chardev_tcp_port(c);
    ok(port != 0, "it picked a port (%u)", port);
    sink s = { .room = 1000 };
    emu_chardev_attach(c, &sink_client, &s);

    is_u64(emu_chardev_write(c, "lost", 4), 4, "output without a client is dropped, not blocked");
    int fd = connect_to(port);
    ok(fd >= 0, "a client connects");
    double t0 = now_s();
    emu_backends_poll(m, 200);   /* accepts */
    ok(now_s() - t0 < 0.15, "accept happens without waiting for the timeout");
    emu_chardev_write(c, "login: ", 7);
    char buf[64] = "";
    ssize_t n = recv_wait(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    is_str(buf, "login: ", "guest output reaches the client");
    send(fd, "root\r", 5, 0);
    POLL_UNTIL(m, s.len >= 5);
    is_str(s.got, "root\r", "client input reaches the device");

    int fd2 = connect_to(port);   /* waits in the backlog while the first one is served */
    close(fd);
    if (fd2 >= 0)
        send(fd2, "2", 1, 0);
    POLL_UNTIL(m, s.len >= 6);    /* the hang-up is seen, then the second client accepted */
    is_str(s.got, "root\r2", "after a disconnect the next client is accepted");
    emu_chardev_write(c, "again", 5);
    n = fd2 >= 0 ? recv_wait(fd2, buf, sizeof buf - 1) : -1;
    buf[n > 0 ? n : 0] = 0;
    is_str(buf, "again", "and it gets the output");

    /* A client that never reads: the guest keeps running, the excess is dropped with a warning. */
    FILE *log = tmpfile();
    emu_log_set_file(log);
    static char chunk[4096];
    memset(chunk, 'x', sizeof chunk);
    double t1 = now_s();
    size_t taken = 0;
    /* More than the kernel's socket buffers and our 1 MiB queue together. */
    for (int i = 0; i < 8192; i++)
        taken += emu_chardev_write(c, chunk, sizeof chunk);
    emu_backends_poll(m, 0);
    ok(now_s() - t1 < 2.0 && taken == 32u << 20, "32 MiB to a client that does not read: never blocks");
    emu_log_set_file(NULL);
    char text[512] = "";
    rewind(log);
    size_t tn = fread(text, 1, sizeof text - 1, log);
    text[tn] = 0;
    fclose(log);
    has_str(text, "chardev net: the host is not reading output; dropping it", "a warning says so");
    if (fd2 >= 0)
        close(fd2);

    emu_error *e = NULL;
    char *spec = emu_asprintf("tcp:127.0.0.1:%u", port);
    ok(emu_backends_add_chardev(m, "net2", spec, &e) < 0, "a port in use is refused");
    has_str(emu_error_message(e), "cannot listen", "with a clear message");
    emu_error_free(e);
    free(spec);
}

/* ---- stdio on pipes: byte stream input, EOF does not spin ---- */

static void test_stdio_pipes(void)
{
    int in[2], out[2];
    if (pipe(in) < 0 || pipe(out) < 0) {
        ok(0, "pipes");
        return;
    }
    fflush(stdout);
    int saved_in = dup(0), saved_out = dup(1);
    dup2(in[0], 0);
    dup2(out[1], 1);
    close(in[0]);
    close(out[1]);

    emu_machine *m = emu_machine_new("stdio-test", NULL);
    emu_error *e = NULL;
    int r1 = emu_backends_add_chardev(m, "con", "stdio", &e);
    int r2 = emu_backends_add_chardev(m, "con2", "stdio", NULL);
    emu_chardev *c = emu_backends_chardev(m, "con");
    sink s = { .room = 100 };
    emu_chardev_attach(c, &sink_client, &s);
    ssize_t w = write(in[1], "ls\n", 3);
    POLL_UNTIL(m, s.len >= 3);
    close(in[1]);
    emu_backends_poll(m, 0);      /* reads the end of input */
    double t0 = now_s();
    emu_backends_poll(m, 100);
    double waited = now_s() - t0;
    emu_chardev_write(c, "out", 3);
    emu_machine_free(m);

    fflush(stdout);
    dup2(saved_in, 0);
    dup2(saved_out, 1);
    close(saved_in);
    close(saved_out);
    char buf[16] = "";
    ssize_t n = read(out[0], buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    close(out[0]);

    ok(r1 == 0 && w == 3, "stdio chardev on a pipe");
    ok(r2 < 0, "a second stdio chardev is refused");
    is_str(s.got, "ls\n", "stdin is read as a byte stream");
    ok(waited >= 0.08, "after EOF the poll sleeps instead of spinning (%.3f s)", waited);
    is_str(buf, "out", "output goes to stdout");
    emu_error_free(e);
}

/* ---- stdio on a terminal: raw mode, restored on every way out ---- */

enum { EXIT_NORMAL, EXIT_SEGV, EXIT_TERM, EXIT_ABORT, EXIT_STACK_OVERFLOW };

/* Deep enough to overflow any stack (the bound only keeps the compiler from calling it endless). */
static size_t recurse(volatile char *up, size_t depth)
{
    volatile char frame[1024];
    frame[0] = up ? up[0] : 1;
    if (!depth)
        return frame[0];
    return recurse(frame, depth - 1) + frame[0];
}

/* In a child: make the pty our controlling terminal and stdin, open stdio, then end as told. */
static void tty_child(const char *slave, int ready_fd, int go_fd, int how)
{
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);   /* the fatal signals below must not leave core files */
    /* Plain default actions behind ours (no sanitizer report for the deliberate crash). */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGABRT, SIG_DFL);
    setsid();
    int fd = open(slave, O_RDWR);
    if (fd < 0)
        _exit(90);
    dup2(fd, 0);
    dup2(fd, 1);
    emu_machine *m = emu_machine_new("tty", NULL);
    if (emu_backends_add_chardev(m, "con", "stdio", NULL) < 0)
        _exit(91);
    char go;
    if (write(ready_fd, "r", 1) != 1 || read(go_fd, &go, 1) != 1)
        _exit(92);
    switch (how) {
    case EXIT_NORMAL: exit(3);                      /* atexit */
    case EXIT_SEGV: raise(SIGSEGV); break;
    case EXIT_ABORT: abort();
    case EXIT_TERM: pause(); break;                 /* the parent sends SIGTERM */
    case EXIT_STACK_OVERFLOW: recurse(NULL, SIZE_MAX); break;
    }
    _exit(93);
}

static void test_stdio_tty(void)
{
    static const char *const names[] = { "exit()", "SIGSEGV", "SIGTERM", "abort()", "a stack overflow" };
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    char slave[128];
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
        ptsname_r(master, slave, sizeof slave) != 0) {
        printf("ok %d # SKIP no pseudo-terminals here\n", ++tap_n);
        return;
    }
    int sfd = open(slave, O_RDWR | O_NOCTTY);
    for (int how = EXIT_NORMAL; how <= EXIT_STACK_OVERFLOW; how++) {
        int p[2], g[2];
        if (pipe(p) < 0 || pipe(g) < 0)
            break;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            close(g[1]);
            tty_child(slave, p[1], g[0], how);
        }
        close(p[1]);
        close(g[0]);
        char ch;
        bool ready = read(p[0], &ch, 1) == 1;
        close(p[0]);
        struct termios t;
        bool raw = ready && tcgetattr(sfd, &t) == 0 && !(t.c_lflag & (ICANON | ECHO));
        ssize_t w = write(g[1], "g", 1);
        (void)w;
        close(g[1]);
        if (how == EXIT_TERM)
            kill(pid, SIGTERM);
        int st;
        waitpid(pid, &st, 0);
        bool restored = tcgetattr(sfd, &t) == 0 && (t.c_lflag & ICANON) && (t.c_lflag & ECHO);
        ok(raw && restored, "raw terminal while running, restored after %s", names[how]);
    }
    close(sfd);
    close(master);
}

static void test_pty(void)
{
    emu_machine *m = emu_machine_new("pty", NULL);
    ok(emu_backends_add_chardev(m, "p", "pty", NULL) == 0, "pty chardev created");
    emu_chardev *c = emu_backends_chardev(m, "p");
    sink s = { .room = 100 };
    emu_chardev_attach(c, &sink_client, &s);
    double t0 = now_s();
    emu_backends_poll(m, 100);
    ok(now_s() - t0 >= 0.08, "an unopened pty does not wake the poll (no hang-up spin)");
    emu_machine_free(m);
}

/* ---- block devices ---- */

static char *make_image(const char *name, size_t size)
{
    char *path = tmp_path(name);
    FILE *f = fopen(path, "wb");
    for (size_t i = 0; i < size; i++)
        fputc((int)(i * 7 % 251), f);
    fclose(f);
    return path;
}

static bool image_is_pristine(const char *path, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t i;
    int ch;
    for (i = 0; (ch = fgetc(f)) != EOF; i++)
        if (ch != (int)(i * 7 % 251))
            break;
    fclose(f);
    return i == size;
}

/* A snapshot of a huge sparse image: what it keeps grows with what the guest writes, not with
   the image (a bitmap of a 4 EiB image does not fit in memory).  tmpfs holds such a file; other
   file systems stop at a few TiB, which still checks the rest. */
static void test_block_sparse(void)
{
    static const struct { const char *dir; uint64_t size; } where[] = {
        { "/dev/shm", 4ull << 60 }, { NULL, 8ull << 40 },
    };
    char *img = NULL;
    uint64_t size = 0;
    for (size_t w = 0; w < EMU_ARRAY_SIZE(where) && !size; w++) {
        img = where[w].dir ? emu_asprintf("%s/emu-test-sparse-%d.img", where[w].dir, (int)getpid())
                           : tmp_path("sparse.img");
        int fd = open(img, O_RDWR | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0 && ftruncate(fd, (off_t)where[w].size) == 0)
            size = where[w].size;
        if (fd >= 0)
            close(fd);
        if (!size) {
            unlink(img);
            free(img);
        }
    }
    if (!size) {
        printf("ok %d # SKIP no file system here holds a huge sparse file\n", ++tap_n);
        return;
    }
    /* Writes stay in the first 8 TiB: the private copy lives in TMPDIR, maybe not on tmpfs. */
    const uint64_t span = 8ull << 40;
    emu_machine *m = emu_machine_new("sparse", NULL);
    emu_error *e = NULL;
    ok(emu_backends_add_blockdev(m, "big", img, EMU_BLOCK_SNAPSHOT, &e) == 0,
       "snapshot of a %llu TiB sparse image opens", (unsigned long long)(size >> 40));
    emu_blockdev *b = emu_backends_blockdev(m, "big");
    /* 3000 clusters spread over the whole image, each tagged with its number. */
    bool all_written = b != NULL, all_read = b != NULL;
    for (uint64_t i = 0; b && i < 3000; i++) {
        uint64_t off = (i * 2654435761u % (span / 4096)) * 4096 + 8;
        all_written &= emu_block_write(b, off, &i, sizeof i) == 0;
    }
    for (uint64_t i = 0; b && i < 3000; i++) {
        uint64_t off = (i * 2654435761u % (span / 4096)) * 4096 + 8, got = ~0ull, zero = 1;
        all_read &= emu_block_read(b, off, &got, sizeof got) == 0 && got == i &&
                    emu_block_read(b, off - 8, &zero, sizeof zero) == 0 && zero == 0;
    }
    ok(all_written && all_read, "3000 writes across it read back, with the image's zeros around them");
    uint64_t last = 0;
    ok(b && emu_block_read(b, size - 4096 * 7, &last, sizeof last) == 0 && last == 0,
       "an unwritten cluster reads the image");
    emu_machine_free(m);
    struct stat st;
    ok(stat(img, &st) == 0 && st.st_blocks == 0 && (uint64_t)st.st_size == size, "the image is untouched");
    emu_error_free(e);
    unlink(img);
    free(img);
}

static void test_block(void)
{
    const size_t size = 3 * 4096 + 512;   /* not a whole number of snapshot clusters */
    char *img = make_image("disk.img", size);
    emu_machine *m = emu_machine_new("blk", NULL);
    emu_error *e = NULL;

    /* snapshot */
    ok(emu_backends_add_blockdev(m, "snap", img, EMU_BLOCK_SNAPSHOT, NULL) == 0, "snapshot opened");
    emu_blockdev *b = emu_backends_blockdev(m, "snap");
    is_u64(emu_block_size(b), size, "size from the file");
    ok(!emu_block_read_only(b), "a snapshot is writable");
    uint8_t buf[8192], pat[600];
    memset(pat, 0xaa, sizeof pat);
    ok(emu_block_write(b, 4000, pat, sizeof pat) == 0, "snapshot write across a cluster boundary");
    ok(emu_block_write(b, size - 100, pat, 100) == 0, "snapshot write into the partial last cluster");
    ok(emu_block_read(b, 3900, buf, 800) == 0, "snapshot read");
    bool merged = true;
    for (int i = 0; i < 800; i++) {
        uint64_t off = 3900 + (uint64_t)i;
        uint8_t want = off >= 4000 && off < 4600 ? 0xaa : (uint8_t)(off * 7 % 251);
        merged &= buf[i] == want;
    }
    ok(merged, "reads merge the written bytes with the image around them");
    ok(emu_block_read(b, size - 200, buf, 200) == 0 && buf[99] == (uint8_t)((size - 101) * 7 % 251) &&
       buf[100] == 0xaa && buf[199] == 0xaa, "the last cluster too");
    ok(emu_block_flush(b) == 0, "flushing a snapshot succeeds");
    ok(image_is_pristine(img, size), "the image file is unchanged by snapshot writes");

    /* range checks */
    is_u64(emu_block_read(b, size - 10, buf, 11), (uint64_t)-EINVAL, "read past the end -> EINVAL");
    is_u64(emu_block_write(b, UINT64_MAX - 5, buf, 10), (uint64_t)-EINVAL, "offset+len overflow -> EINVAL");
    is_u64(emu_block_read(b, size, buf, 0), 0, "empty read at the end is fine");

    /* ro */
    ok(emu_backends_add_blockdev(m, "ro", img, EMU_BLOCK_RO, NULL) == 0, "ro opened (shares the lock)");
    b = emu_backends_blockdev(m, "ro");
    ok(emu_block_read_only(b), "ro reports read-only");
    is_u64(emu_block_write(b, 0, pat, 16), (uint64_t)-EROFS, "ro refuses writes with EROFS");
    ok(emu_block_read(b, 0, buf, 16) == 0 && buf[1] == 7, "ro reads the image");
    ok(emu_backends_add_blockdev(m, "rw-while-shared", img, EMU_BLOCK_RW, &e) < 0,
       "rw refused while another user holds the image");
    has_str(emu_error_message(e), "in use", "lock conflict message");
    emu_error_free(e);
    e = NULL;
    emu_machine_free(m);
    ok(image_is_pristine(img, size), "the image is unchanged after the snapshot is gone");

    /* rw */
    m = emu_machine_new("blk2", NULL);
    ok(emu_backends_add_blockdev(m, "rw", img, EMU_BLOCK_RW, NULL) == 0, "rw opened");
    b = emu_backends_blockdev(m, "rw");
    ok(emu_block_write(b, 100, "EMU!", 4) == 0 && emu_block_flush(b) == 0, "rw write and flush");
    emu_machine_free(m);
    m = emu_machine_new("blk3", NULL);
    emu_backends_add_blockdev(m, "again", img, EMU_BLOCK_RO, NULL);
    memset(buf, 0, 8);
    ok(emu_block_read(emu_backends_blockdev(m, "again"), 100, buf, 4) == 0 && !memcmp(buf, "EMU!", 4),
       "rw data persists");

    /* errors */
    char *missing = tmp_path("nope.img");
    ok(emu_backends_add_blockdev(m, "x", missing, EMU_BLOCK_RO, &e) < 0, "missing image refused");
    has_str(emu_error_message(e), "No such file", "missing image message");
    emu_error_free(e);
    e = NULL;
    ok(emu_backends_add_blockdev(m, "y", tmpdir, EMU_BLOCK_SNAPSHOT, &e) < 0, "a directory refused");
    has_str(emu_error_message(e), "is a directory", "directory message");
    emu_error_free(e);
    e = NULL;
    ok(emu_backends_add_blockdev(m, "z", "/dev/null", EMU_BLOCK_RO, &e) < 0 &&
       strstr(emu_error_message(e), "not a regular file or a block device"), "/dev/null refused");
    emu_error_free(e);
    e = NULL;
    char *empty = make_image("empty.img", 0);
    ok(emu_backends_add_blockdev(m, "e", empty, EMU_BLOCK_SNAPSHOT, &e) < 0 &&
       strstr(emu_error_message(e), "is empty"), "an empty image refused");
    emu_error_free(e);
    e = NULL;
    char *odd = make_image("odd.img", 1000);
    ok(emu_backends_add_blockdev(m, "o", odd, EMU_BLOCK_RW, &e) < 0, "an image of 1000 bytes refused");
    has_str(emu_error_message(e), "is 1000 bytes, not a whole number of 512-byte sectors (pad it: truncate -s 1024",
            "saying how to pad it");
    emu_error_free(e);
    e = NULL;
    unlink(empty);
    unlink(odd);
    free(empty);
    free(odd);
    emu_machine_free(m);

    /* rw on a read-only file (as an unprivileged user: root may write anything) */
    char *roimg = make_image("ro.img", 512);
    chmod(roimg, 0444);
    chmod(tmpdir, 0755);
    int p[2];
    char msg[512] = "";
    if (pipe(p) == 0) {
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            struct passwd *pw = getpwnam("nobody");
            if (geteuid() == 0 && (!pw || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0))
                _exit(1);
            emu_machine *cm = emu_machine_new("child", NULL);
            emu_error *ce = NULL;
            if (emu_backends_add_blockdev(cm, "r", roimg, EMU_BLOCK_RW, &ce) < 0) {
                ssize_t w = write(p[1], emu_error_message(ce), strlen(emu_error_message(ce)));
                (void)w;
            }
            _exit(0);
        }
        close(p[1]);
        ssize_t n = read(p[0], msg, sizeof msg - 1);
        msg[n > 0 ? n : 0] = 0;
        close(p[0]);
        waitpid(pid, NULL, 0);
    }
    has_str(msg, "opened read-write but the file is read-only; use mode ro or snapshot",
            "rw on a read-only file says what to do");
    unlink(roimg);
    free(roimg);
    free(missing);
    unlink(img);
    free(img);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    test_specs();
    emu_machine *m = emu_machine_new("backends", NULL);
    test_buffer(m);
    test_null_and_file(m);
    test_tcp(m);
    emu_machine_free(m);
    test_pty();
    test_stdio_pipes();
    test_stdio_tty();
    test_block();
    test_block_sparse();

    char *log = tmp_path("serial.log");
    unlink(log);
    free(log);
    rmdir(tmpdir);
    return tap_done();
}
