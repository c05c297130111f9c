/* Guest test of the loop device ioctls, printing TAP itself: attaches a scratch file to a free
 * loop device (LOOP_CTL_GET_FREE, LOOP_SET_FD), reads and changes its status through
 * LOOP_GET/SET_STATUS64 and the old LOOP_GET/SET_STATUS, reads the device to see the offset
 * took effect, detaches (LOOP_CLR_FD), then attaches again with LOOP_CONFIGURE (which
 * must work natively and under qemu-ppc-static as under emu).  Needs root
 * and /dev/loop-control: without them it prints a TAP skip with the reason. */
#include <errno.h>
#include <fcntl.h>
#include <linux/loop.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int n;

static void check(int cond, const char *what)
{
    printf("%sok %d - %s\n", cond ? "" : "not ", ++n, what);
}

/* A host that lends no loop devices (not root, a container, none free) is a skip; any other
   error (ENOTTY: the request was not understood) is a failure. */
static void skip_or_fail(const char *why, int err)
{
    if (err == EPERM || err == EACCES || err == ENOENT || err == ENODEV || err == ENXIO ||
        err == EBUSY || err == ENOSPC || err == EROFS) {
        printf("1..0 # SKIP %s: %s\n", why, strerror(err));
        exit(0);
    }
    printf("1..1\nnot ok 1 - %s: %s\n", why, strerror(err));
    exit(1);
}

/* The device's first 8 bytes. */
static void read_dev(const char *dev, char *out)
{
    memset(out, 0, 9);
    int fd = open(dev, O_RDONLY);
    if (fd >= 0) {
        if (pread(fd, out, 8, 0) != 8)
            out[0] = 0;
        close(fd);
    }
}

int main(int argc, char **argv)
{
    const char *image = argc > 1 ? argv[1] : "loop-image";
    int ctl = open("/dev/loop-control", O_RDWR);
    if (ctl < 0)
        skip_or_fail("cannot open /dev/loop-control", errno);
    int nr = ioctl(ctl, LOOP_CTL_GET_FREE);
    if (nr < 0)
        skip_or_fail("LOOP_CTL_GET_FREE refused", errno);
    char dev[32];
    snprintf(dev, sizeof dev, "/dev/loop%d", nr);
    int lfd = open(dev, O_RDWR);
    if (lfd < 0)
        skip_or_fail("cannot open the free loop device", errno);

    /* 1024 bytes: "block0.." at 0, "block1.." at 512. */
    int ffd = open(image, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char data[1024] = { 0 };
    memcpy(data, "block0..", 8);
    memcpy(data + 512, "block1..", 8);
    if (ffd < 0 || write(ffd, data, sizeof data) != (ssize_t)sizeof data) {
        printf("1..0 # SKIP cannot write the image file %s\n", image);
        return 0;
    }
    struct stat st;
    fstat(ffd, &st);

    if (ioctl(lfd, LOOP_SET_FD, ffd) < 0) {
        int e = errno;
        unlink(image);
        skip_or_fail("LOOP_SET_FD refused", e);
    }
    printf("1..16\n");
    check(1, "LOOP_SET_FD attaches the image");

    struct loop_info64 i64;
    memset(&i64, 0xa5, sizeof i64);
    check(ioctl(lfd, LOOP_GET_STATUS64, &i64) == 0, "LOOP_GET_STATUS64");
    check(i64.lo_number == (unsigned)nr && i64.lo_offset == 0 && i64.lo_sizelimit == 0,
          "loop_info64: number of the device, offset and size limit 0");
    check(i64.lo_inode == st.st_ino && major(i64.lo_device) == major(st.st_dev) &&
          minor(i64.lo_device) == minor(st.st_dev), "loop_info64: the image's inode and device");

    char buf[9];
    read_dev(dev, buf);
    check(strcmp(buf, "block0..") == 0, "the device starts with the image's first block");

    i64.lo_offset = 512;
    memset(i64.lo_file_name, 0, sizeof i64.lo_file_name);
    strcpy((char *)i64.lo_file_name, "emu-loop-test");
    check(ioctl(lfd, LOOP_SET_STATUS64, &i64) == 0, "LOOP_SET_STATUS64 with offset 512");
    read_dev(dev, buf);
    check(strcmp(buf, "block1..") == 0, "the device now starts at offset 512");

    struct loop_info old;
    memset(&old, 0xa5, sizeof old);
    check(ioctl(lfd, LOOP_GET_STATUS, &old) == 0, "LOOP_GET_STATUS");
    check(old.lo_number == nr && old.lo_offset == 512 && old.lo_inode == st.st_ino &&
          strcmp(old.lo_name, "emu-loop-test") == 0,
          "loop_info: number, offset, inode and name as set");
    old.lo_offset = 0;
    strcpy(old.lo_name, "old-status");
    check(ioctl(lfd, LOOP_SET_STATUS, &old) == 0, "LOOP_SET_STATUS with offset 0");
    memset(&i64, 0, sizeof i64);
    ioctl(lfd, LOOP_GET_STATUS64, &i64);
    check(i64.lo_offset == 0 && strcmp((char *)i64.lo_file_name, "old-status") == 0,
          "LOOP_GET_STATUS64 sees what LOOP_SET_STATUS set");

    check(ioctl(lfd, LOOP_CLR_FD, 0) == 0, "LOOP_CLR_FD detaches");
    check(ioctl(lfd, LOOP_GET_STATUS64, &i64) < 0 && errno == ENXIO,
          "a detached device has no status (ENXIO)");

    /* Recent kernels finish the detach at the last close of the device. */
    close(lfd);
    lfd = open(dev, O_RDWR);

    /* LOOP_CONFIGURE (Linux 5.8) attaches and sets the status in one call. */
    struct loop_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.fd = (unsigned)ffd;
    cfg.info.lo_offset = 512;
    cfg.info.lo_flags = LO_FLAGS_READ_ONLY;
    strcpy((char *)cfg.info.lo_file_name, "configured");
    if (ioctl(lfd, LOOP_CONFIGURE, &cfg) < 0 && errno == EINVAL) {
        printf("ok %d # SKIP LOOP_CONFIGURE: the host kernel is older than 5.8\n", ++n);
        printf("ok %d # SKIP LOOP_CONFIGURE\n", ++n);
        printf("ok %d # SKIP LOOP_CONFIGURE\n", ++n);
    } else {
        memset(&i64, 0, sizeof i64);
        check(ioctl(lfd, LOOP_GET_STATUS64, &i64) == 0 && i64.lo_offset == 512 &&
              (i64.lo_flags & LO_FLAGS_READ_ONLY) &&
              strcmp((char *)i64.lo_file_name, "configured") == 0,
              "LOOP_CONFIGURE sets offset, flags and name");
        read_dev(dev, buf);
        check(strcmp(buf, "block1..") == 0, "the configured device starts at offset 512");
        check(ioctl(lfd, LOOP_CLR_FD, 0) == 0, "LOOP_CLR_FD detaches it again");
    }
    close(lfd);
    close(ffd);
    close(ctl);
    unlink(image);
    return 0;
}
