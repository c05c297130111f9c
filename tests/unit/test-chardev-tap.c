/* Unit tests of chardev output taps and injected input (what scripted consoles use): a tapped
 * chardev records the guest's output and still hands it to its host side, on every kind. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../tap.h"
#include "backends/backends.h"
#include "machine.h"
#include "chardev-sink.h"

static char tmpdir[] = "/tmp/emu-test-tap-XXXXXX";

/* The whole content of a file (NUL-terminated, at most 255 bytes). */
static const char *file_text(const char *path)
{
    static char buf[256];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static void test_file(emu_machine *m)
{
    char *path = emu_asprintf("%s/out.log", tmpdir);
    char *spec = emu_asprintf("file:%s", path);
    ok(emu_backends_add_chardev(m, "log", spec, NULL) == 0, "file chardev created");
    emu_chardev *c = emu_backends_chardev(m, "log");
    ok(!emu_chardev_is_tapped(c), "a chardev starts untapped");
    emu_chardev_write(c, "before ", 7);
    size_t len;
    emu_chardev_tap_output(c, &len);
    is_u64(len, 0, "untapped: nothing is recorded");

    emu_chardev_tap(c);
    ok(emu_chardev_is_tapped(c), "tapped");
    emu_chardev_write(c, "hello ", 6);
    emu_chardev_write(c, "world", 5);
    const char *out = emu_chardev_tap_output(c, &len);
    ok(len == 11 && !memcmp(out, "hello world", 11) && out[11] == 0,
       "the tap records what is written after it is set, NUL-terminated");
    is_str(file_text(path), "before hello world", "and the file still gets every byte");

    emu_chardev_tap_consume(c, 6);
    out = emu_chardev_tap_output(c, &len);
    ok(len == 5 && !strcmp(out, "world"), "consume drops the bytes the reader used");
    emu_chardev_tap_consume(c, 100);
    emu_chardev_tap_output(c, &len);
    is_u64(len, 0, "consuming more than is there empties it");
    emu_chardev_write(c, "!", 1);
    out = emu_chardev_tap_output(c, &len);
    ok(len == 1 && !strcmp(out, "!"), "and recording goes on");

    sink s = { .room = 2 };
    emu_chardev_attach(c, &sink_client, &s);
    emu_chardev_inject_input(c, "abcde", 5);
    is_str(s.got, "ab", "injected input reaches the device at once, as far as it takes it");
    s.room = 10;
    emu_backends_poll(m, 0);
    is_str(s.got, "abcde", "the rest on the next poll (a file chardev has no host input)");
    ok(!emu_backends_input_possible(m), "nothing more can arrive");
    s.room = 0;
    emu_chardev_inject_input(c, "x", 1);
    ok(emu_backends_input_possible(m), "queued injected input counts as possible input");
    free(spec);
    unlink(path);
    free(path);
}

static void test_null_and_buffer(emu_machine *m)
{
    ok(emu_backends_add_chardev(m, "nul", "null", NULL) == 0, "null chardev created");
    emu_chardev *c = emu_backends_chardev(m, "nul");
    emu_chardev_tap(c);
    emu_chardev_write(c, "gone", 4);
    size_t len;
    const char *out = emu_chardev_tap_output(c, &len);
    ok(len == 4 && !strcmp(out, "gone"), "a null chardev's output is seen by its tap");

    ok(emu_backends_add_chardev(m, "buf", "buffer", NULL) == 0, "buffer chardev created");
    c = emu_backends_chardev(m, "buf");
    emu_chardev_tap(c);
    emu_chardev_write(c, "both", 4);
    emu_chardev_tap_consume(c, 4);
    out = emu_chardev_buffer_output(c, &len);
    ok(len == 4 && !strcmp(out, "both"), "consuming the tap leaves a buffer chardev's own record");
}

static void test_tcp_without_client(emu_machine *m)
{
    /* A tcp server without a client drops the output; the tap still sees it all. */
    ok(emu_backends_add_chardev(m, "tcp", "tcp:127.0.0.1:0", NULL) == 0, "tcp chardev created");
    emu_chardev *c = emu_backends_chardev(m, "tcp");
    emu_chardev_tap(c);
    char chunk[4096];
    memset(chunk, 'z', sizeof chunk);
    for (int i = 0; i < 64; i++)
        emu_chardev_write(c, chunk, sizeof chunk);
    size_t len;
    emu_chardev_tap_output(c, &len);
    is_u64(len, 64 * sizeof chunk, "with no client connected the tap still records everything");
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    emu_machine *m = emu_machine_new("tap", NULL);
    test_file(m);
    test_null_and_buffer(m);
    test_tcp_without_client(m);
    emu_machine_free(m);
    rmdir(tmpdir);
    return tap_done();
}
