/* ioctl: guest request numbers mapped to generic ids by the ABI's table, terminal structures
 * (termios with the guest's flag values and c_cc order, winsize) converted; loop devices
 * (whose request numbers are the same in every Linux ABI) with loop_info, loop_info64 and
 * loop_config converted; anything else is ENOTTY, logged once. */
#include <errno.h>
#include <linux/loop.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "user.h"

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)

static const struct { speed_t code; uint32_t baud; } bauds[] = {
    { B0, 0 }, { B50, 50 }, { B75, 75 }, { B110, 110 }, { B134, 134 }, { B150, 150 },
    { B200, 200 }, { B300, 300 }, { B600, 600 }, { B1200, 1200 }, { B1800, 1800 },
    { B2400, 2400 }, { B4800, 4800 }, { B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 },
    { B57600, 57600 }, { B115200, 115200 }, { B230400, 230400 }, { B460800, 460800 },
    { B500000, 500000 }, { B576000, 576000 }, { B921600, 921600 }, { B1000000, 1000000 },
    { B1152000, 1152000 }, { B1500000, 1500000 }, { B2000000, 2000000 }, { B2500000, 2500000 },
    { B3000000, 3000000 }, { B3500000, 3500000 }, { B4000000, 4000000 },
};

static uint32_t baud_of(speed_t code)
{
    for (size_t i = 0; i < sizeof bauds / sizeof bauds[0]; i++)
        if (bauds[i].code == code)
            return bauds[i].baud;
    return 0;
}

static int64_t get_termios(emu_linux_task *t, int fd, uint64_t addr)
{
    const emu_linux_termios_abi *ta = t->proc->abi->termios;
    emu_user_proc *p = t->proc;
    struct termios tio;
    if (tcgetattr(fd, &tio) < 0)
        return -errno;
    uint8_t buf[128] = { 0 };
    emu_user_put_field(p, buf, ta->iflag, emu_user_bits_to_guest(ta->iflag_bits, tio.c_iflag));
    emu_user_put_field(p, buf, ta->oflag, emu_user_bits_to_guest(ta->oflag_bits, tio.c_oflag));
    emu_user_put_field(p, buf, ta->cflag, emu_user_bits_to_guest(ta->cflag_bits, tio.c_cflag));
    emu_user_put_field(p, buf, ta->lflag, emu_user_bits_to_guest(ta->lflag_bits, tio.c_lflag));
    emu_user_put_field(p, buf, ta->line, tio.c_line);
    for (unsigned i = 0; i < ta->ncc; i++)
        if (ta->cc_map[i] >= 0 && ta->cc_map[i] < NCCS)
            buf[ta->cc_offset + i] = tio.c_cc[ta->cc_map[i]];
    emu_user_put_field(p, buf, ta->ispeed, baud_of(cfgetispeed(&tio)));
    emu_user_put_field(p, buf, ta->ospeed, baud_of(cfgetospeed(&tio)));
    return emu_user_copy_out(t, addr, buf, ta->size);
}

static int64_t set_termios(emu_linux_task *t, int fd, uint64_t addr, int when)
{
    const emu_linux_termios_abi *ta = t->proc->abi->termios;
    emu_user_proc *p = t->proc;
    uint8_t buf[128];
    if (emu_user_copy_in(t, buf, addr, ta->size) < 0)
        return -EFAULT;
    struct termios tio;
    if (tcgetattr(fd, &tio) < 0)
        return -errno;
    tio.c_iflag = emu_user_bits_to_host(ta->iflag_bits, (uint32_t)emu_user_get_field(p, buf, ta->iflag));
    tio.c_oflag = emu_user_bits_to_host(ta->oflag_bits, (uint32_t)emu_user_get_field(p, buf, ta->oflag));
    tio.c_cflag = emu_user_bits_to_host(ta->cflag_bits, (uint32_t)emu_user_get_field(p, buf, ta->cflag));
    tio.c_lflag = emu_user_bits_to_host(ta->lflag_bits, (uint32_t)emu_user_get_field(p, buf, ta->lflag));
    tio.c_line = (cc_t)emu_user_get_field(p, buf, ta->line);
    for (unsigned i = 0; i < ta->ncc; i++)
        if (ta->cc_map[i] >= 0 && ta->cc_map[i] < NCCS)
            tio.c_cc[ta->cc_map[i]] = buf[ta->cc_offset + i];
    /* glibc keeps the speeds in c_cflag; its c_ispeed/c_ospeed follow them. */
    cfsetispeed(&tio, tio.c_cflag & CBAUD);
    cfsetospeed(&tio, tio.c_cflag & CBAUD);
    RET(tcsetattr(fd, when, &tio));
}

static int64_t int_out(emu_linux_task *t, uint64_t addr, int v)
{
    uint8_t buf[4];
    emu_user_st(t->proc, buf, 4, (uint32_t)v);
    return emu_user_copy_out(t, addr, buf, 4);
}

static int64_t int_in(emu_linux_task *t, uint64_t addr, int *v)
{
    uint8_t buf[4];
    if (emu_user_copy_in(t, buf, addr, 4) < 0)
        return -EFAULT;
    *v = (int)emu_user_ld(t->proc, buf, 4);
    return 0;
}

/* ioctls with an int result written through the pointer argument. */
static int64_t ioctl_int_out(emu_linux_task *t, int fd, unsigned long req, uint64_t addr)
{
    int v;
    if (ioctl(fd, req, &v) < 0)
        return -errno;
    return int_out(t, addr, v);
}

static int64_t ioctl_int_in(emu_linux_task *t, int fd, unsigned long req, uint64_t addr)
{
    int v;
    if (int_in(t, addr, &v) < 0)
        return -EFAULT;
    RET(ioctl(fd, req, &v));
}

/* ---- Loop devices (linux/loop.h) ----
 * loop_info64 has fixed-size fields: only the byte order changes.  Its layout: */
enum {
    LI64_DEVICE = 0, LI64_INODE = 8, LI64_RDEVICE = 16, LI64_OFFSET = 24, LI64_SIZELIMIT = 32,
    LI64_NUMBER = 40, LI64_ENCRYPT_TYPE = 44, LI64_ENCRYPT_KEY_SIZE = 48, LI64_FLAGS = 52,
    LI64_FILE_NAME = 56, LI64_CRYPT_NAME = 120, LI64_ENCRYPT_KEY = 184, LI64_INIT = 216,
    LI64_SIZE = 232,
    /* struct loop_config: fd, block_size, loop_info64, 8 reserved u64 */
    LCONF_FD = 0, LCONF_BLOCK_SIZE = 4, LCONF_INFO = 8, LCONF_RESERVED = 240, LCONF_SIZE = 304,
};

static void loop64_from_guest(const emu_user_proc *p, const uint8_t *b, struct loop_info64 *li)
{
    memset(li, 0, sizeof *li);
    li->lo_device = emu_user_ld(p, b + LI64_DEVICE, 8);
    li->lo_inode = emu_user_ld(p, b + LI64_INODE, 8);
    li->lo_rdevice = emu_user_ld(p, b + LI64_RDEVICE, 8);
    li->lo_offset = emu_user_ld(p, b + LI64_OFFSET, 8);
    li->lo_sizelimit = emu_user_ld(p, b + LI64_SIZELIMIT, 8);
    li->lo_number = (uint32_t)emu_user_ld(p, b + LI64_NUMBER, 4);
    li->lo_encrypt_type = (uint32_t)emu_user_ld(p, b + LI64_ENCRYPT_TYPE, 4);
    li->lo_encrypt_key_size = (uint32_t)emu_user_ld(p, b + LI64_ENCRYPT_KEY_SIZE, 4);
    li->lo_flags = (uint32_t)emu_user_ld(p, b + LI64_FLAGS, 4);
    memcpy(li->lo_file_name, b + LI64_FILE_NAME, LO_NAME_SIZE);
    memcpy(li->lo_crypt_name, b + LI64_CRYPT_NAME, LO_NAME_SIZE);
    memcpy(li->lo_encrypt_key, b + LI64_ENCRYPT_KEY, LO_KEY_SIZE);
    li->lo_init[0] = emu_user_ld(p, b + LI64_INIT, 8);
    li->lo_init[1] = emu_user_ld(p, b + LI64_INIT + 8, 8);
}

static void loop64_to_guest(const emu_user_proc *p, const struct loop_info64 *li, uint8_t *b)
{
    emu_user_st(p, b + LI64_DEVICE, 8, li->lo_device);
    emu_user_st(p, b + LI64_INODE, 8, li->lo_inode);
    emu_user_st(p, b + LI64_RDEVICE, 8, li->lo_rdevice);
    emu_user_st(p, b + LI64_OFFSET, 8, li->lo_offset);
    emu_user_st(p, b + LI64_SIZELIMIT, 8, li->lo_sizelimit);
    emu_user_st(p, b + LI64_NUMBER, 4, li->lo_number);
    emu_user_st(p, b + LI64_ENCRYPT_TYPE, 4, li->lo_encrypt_type);
    emu_user_st(p, b + LI64_ENCRYPT_KEY_SIZE, 4, li->lo_encrypt_key_size);
    emu_user_st(p, b + LI64_FLAGS, 4, li->lo_flags);
    memcpy(b + LI64_FILE_NAME, li->lo_file_name, LO_NAME_SIZE);
    memcpy(b + LI64_CRYPT_NAME, li->lo_crypt_name, LO_NAME_SIZE);
    memcpy(b + LI64_ENCRYPT_KEY, li->lo_encrypt_key, LO_KEY_SIZE);
    emu_user_st(p, b + LI64_INIT, 8, li->lo_init[0]);
    emu_user_st(p, b + LI64_INIT + 8, 8, li->lo_init[1]);
}

/* The old struct loop_info has ints, longs and __kernel_old_dev_t fields: its guest layout
 * follows from the guest's word size and the ABI's old_dev_size, with natural alignment. */
typedef struct loop_info_layout {
    emu_linux_field number, device, inode, rdevice, offset, encrypt_type, encrypt_key_size,
        flags, init0, init1;
    uint16_t name, key, size;
} loop_info_layout;

static emu_linux_field next_field(uint16_t *off, uint8_t size)
{
    *off = (uint16_t)((*off + size - 1) / size * size);
    emu_linux_field f = { *off, size };
    *off = (uint16_t)(*off + size);
    return f;
}

static loop_info_layout loop_info_layout_of(const emu_user_proc *p)
{
    uint8_t w = (uint8_t)p->word, d = p->abi->old_dev_size ? p->abi->old_dev_size : 4;
    loop_info_layout l;
    uint16_t off = 0;
    l.number = next_field(&off, 4);
    l.device = next_field(&off, d);
    l.inode = next_field(&off, w);
    l.rdevice = next_field(&off, d);
    l.offset = next_field(&off, 4);
    l.encrypt_type = next_field(&off, 4);
    l.encrypt_key_size = next_field(&off, 4);
    l.flags = next_field(&off, 4);
    l.name = off;
    l.key = (uint16_t)(off + LO_NAME_SIZE);
    off = (uint16_t)(l.key + LO_KEY_SIZE);
    l.init0 = next_field(&off, w);
    l.init1 = next_field(&off, w);
    off = (uint16_t)(off + 4);                      /* char reserved[4] */
    l.size = (uint16_t)((off + w - 1) / w * w);
    return l;
}

static int64_t loop_get_status(emu_linux_task *t, int fd, uint64_t addr)
{
    emu_user_proc *p = t->proc;
    struct loop_info li;
    if (ioctl(fd, LOOP_GET_STATUS, &li) < 0)
        return -errno;
    loop_info_layout l = loop_info_layout_of(p);
    uint8_t b[256] = { 0 };
    emu_user_put_field(p, b, l.number, (uint32_t)li.lo_number);
    emu_user_put_field(p, b, l.device, li.lo_device);
    emu_user_put_field(p, b, l.inode, li.lo_inode);
    emu_user_put_field(p, b, l.rdevice, li.lo_rdevice);
    emu_user_put_field(p, b, l.offset, (uint32_t)li.lo_offset);
    emu_user_put_field(p, b, l.encrypt_type, (uint32_t)li.lo_encrypt_type);
    emu_user_put_field(p, b, l.encrypt_key_size, (uint32_t)li.lo_encrypt_key_size);
    emu_user_put_field(p, b, l.flags, (uint32_t)li.lo_flags);
    memcpy(b + l.name, li.lo_name, LO_NAME_SIZE);
    memcpy(b + l.key, li.lo_encrypt_key, LO_KEY_SIZE);
    emu_user_put_field(p, b, l.init0, li.lo_init[0]);
    emu_user_put_field(p, b, l.init1, li.lo_init[1]);
    return emu_user_copy_out(t, addr, b, l.size);
}

static int64_t loop_set_status(emu_linux_task *t, int fd, uint64_t addr)
{
    emu_user_proc *p = t->proc;
    loop_info_layout l = loop_info_layout_of(p);
    uint8_t b[256];
    if (emu_user_copy_in(t, b, addr, l.size) < 0)
        return -EFAULT;
    struct loop_info li;
    memset(&li, 0, sizeof li);
    li.lo_number = (int)emu_user_get_field(p, b, l.number);
    li.lo_device = emu_user_get_field(p, b, l.device);
    li.lo_inode = emu_user_get_field(p, b, l.inode);
    li.lo_rdevice = emu_user_get_field(p, b, l.rdevice);
    li.lo_offset = (int)emu_user_get_field(p, b, l.offset);
    li.lo_encrypt_type = (int)emu_user_get_field(p, b, l.encrypt_type);
    li.lo_encrypt_key_size = (int)emu_user_get_field(p, b, l.encrypt_key_size);
    li.lo_flags = (int)emu_user_get_field(p, b, l.flags);
    memcpy(li.lo_name, b + l.name, LO_NAME_SIZE);
    memcpy(li.lo_encrypt_key, b + l.key, LO_KEY_SIZE);
    li.lo_init[0] = emu_user_get_field(p, b, l.init0);
    li.lo_init[1] = emu_user_get_field(p, b, l.init1);
    RET(ioctl(fd, LOOP_SET_STATUS, &li));
}

static int64_t loop_status64(emu_linux_task *t, int fd, uint64_t addr, bool set)
{
    uint8_t b[LI64_SIZE];
    struct loop_info64 li;
    if (set) {
        if (emu_user_copy_in(t, b, addr, LI64_SIZE) < 0)
            return -EFAULT;
        loop64_from_guest(t->proc, b, &li);
        RET(ioctl(fd, LOOP_SET_STATUS64, &li));
    }
    if (ioctl(fd, LOOP_GET_STATUS64, &li) < 0)
        return -errno;
    loop64_to_guest(t->proc, &li, b);
    return emu_user_copy_out(t, addr, b, LI64_SIZE);
}

static int64_t loop_configure(emu_linux_task *t, int fd, uint64_t addr)
{
    emu_user_proc *p = t->proc;
    uint8_t b[LCONF_SIZE];
    if (emu_user_copy_in(t, b, addr, LCONF_SIZE) < 0)
        return -EFAULT;
    struct loop_config c;
    memset(&c, 0, sizeof c);
    c.fd = (uint32_t)emu_user_ld(p, b + LCONF_FD, 4);
    c.block_size = (uint32_t)emu_user_ld(p, b + LCONF_BLOCK_SIZE, 4);
    loop64_from_guest(p, b + LCONF_INFO, &c.info);
    /* The kernel refuses a non-zero reserved area: pass it on as the guest wrote it. */
    for (unsigned i = 0; i < sizeof c.__reserved / sizeof c.__reserved[0]; i++)
        c.__reserved[i] = emu_user_ld(p, b + LCONF_RESERVED + 8 * i, 8);
    RET(ioctl(fd, LOOP_CONFIGURE, &c));
}

/* A loop device request (the numbers are plain, not _IO-encoded, so every ABI shares them), or
 * NOT_LOOP_REQUEST when req is none of them. */
#define NOT_LOOP_REQUEST (-1000)
static int64_t loop_ioctl(emu_linux_task *t, int fd, uint32_t req, uint64_t arg)
{
    switch (req) {
    case LOOP_SET_FD: case LOOP_CHANGE_FD: case LOOP_SET_DIRECT_IO: case LOOP_SET_BLOCK_SIZE:
    case LOOP_CTL_ADD: case LOOP_CTL_REMOVE:
        RET(ioctl(fd, req, (unsigned long)arg));
    case LOOP_CLR_FD: case LOOP_SET_CAPACITY: case LOOP_CTL_GET_FREE:
        RET(ioctl(fd, req));
    case LOOP_GET_STATUS: return loop_get_status(t, fd, arg);
    case LOOP_SET_STATUS: return loop_set_status(t, fd, arg);
    case LOOP_GET_STATUS64: return loop_status64(t, fd, arg, false);
    case LOOP_SET_STATUS64: return loop_status64(t, fd, arg, true);
    case LOOP_CONFIGURE: return loop_configure(t, fd, arg);
    default: return NOT_LOOP_REQUEST;
    }
}

/* Each unsupported request is logged once (the first 64 different ones). */
static void log_once(uint32_t req)
{
    static uint32_t seen[64];
    static unsigned nseen;
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&lock);
    bool fresh = true;
    for (unsigned i = 0; i < nseen; i++)
        fresh = fresh && seen[i] != req;
    if (fresh && nseen < 64)
        seen[nseen++] = req;
    pthread_mutex_unlock(&lock);
    if (fresh)
        emu_log(NULL, EMU_LOG_UNIMP, "user mode: unsupported ioctl %#x, returning ENOTTY", req);
}

static int64_t sys_ioctl(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    int fd = (int)a[0];
    uint32_t req = (uint32_t)a[1];
    emu_linux_ioctl id = EMU_IOCTL_NONE;
    for (const emu_linux_ioctl_map *m = p->abi->ioctls; m && m->id; m++)
        if (m->guest_request == req) {
            id = m->id;
            break;
        }
    switch (id) {
    case EMU_IOCTL_TCGETS: return get_termios(t, fd, a[2]);
    case EMU_IOCTL_TCSETS: return set_termios(t, fd, a[2], TCSANOW);
    case EMU_IOCTL_TCSETSW: return set_termios(t, fd, a[2], TCSADRAIN);
    case EMU_IOCTL_TCSETSF: return set_termios(t, fd, a[2], TCSAFLUSH);
    case EMU_IOCTL_TCSBRK: RET(ioctl(fd, TCSBRK, (int)a[2]));
    case EMU_IOCTL_TCXONC: RET(ioctl(fd, TCXONC, (int)a[2]));
    case EMU_IOCTL_TCFLSH: RET(ioctl(fd, TCFLSH, (int)a[2]));
    case EMU_IOCTL_TIOCGWINSZ: case EMU_IOCTL_TIOCSWINSZ: {
        struct winsize ws;
        uint8_t buf[8];
        if (id == EMU_IOCTL_TIOCGWINSZ) {
            if (ioctl(fd, TIOCGWINSZ, &ws) < 0)
                return -errno;
            emu_user_st(p, buf, 2, ws.ws_row);
            emu_user_st(p, buf + 2, 2, ws.ws_col);
            emu_user_st(p, buf + 4, 2, ws.ws_xpixel);
            emu_user_st(p, buf + 6, 2, ws.ws_ypixel);
            return emu_user_copy_out(t, a[2], buf, 8);
        }
        if (emu_user_copy_in(t, buf, a[2], 8) < 0)
            return -EFAULT;
        ws.ws_row = (unsigned short)emu_user_ld(p, buf, 2);
        ws.ws_col = (unsigned short)emu_user_ld(p, buf + 2, 2);
        ws.ws_xpixel = (unsigned short)emu_user_ld(p, buf + 4, 2);
        ws.ws_ypixel = (unsigned short)emu_user_ld(p, buf + 6, 2);
        RET(ioctl(fd, TIOCSWINSZ, &ws));
    }
    case EMU_IOCTL_TIOCGPGRP: return ioctl_int_out(t, fd, TIOCGPGRP, a[2]);
    case EMU_IOCTL_TIOCSPGRP: return ioctl_int_in(t, fd, TIOCSPGRP, a[2]);
    case EMU_IOCTL_TIOCGSID: return ioctl_int_out(t, fd, TIOCGSID, a[2]);
    case EMU_IOCTL_TIOCOUTQ: return ioctl_int_out(t, fd, TIOCOUTQ, a[2]);
    case EMU_IOCTL_FIONREAD: return ioctl_int_out(t, fd, FIONREAD, a[2]);
    case EMU_IOCTL_TIOCGPTN: return ioctl_int_out(t, fd, TIOCGPTN, a[2]);
    case EMU_IOCTL_TIOCSPTLCK: return ioctl_int_in(t, fd, TIOCSPTLCK, a[2]);
    case EMU_IOCTL_FIONBIO: return ioctl_int_in(t, fd, FIONBIO, a[2]);
    case EMU_IOCTL_FIOASYNC: return ioctl_int_in(t, fd, FIOASYNC, a[2]);
    case EMU_IOCTL_TIOCSCTTY: RET(ioctl(fd, TIOCSCTTY, (int)a[2]));
    case EMU_IOCTL_TIOCNOTTY: RET(ioctl(fd, TIOCNOTTY));
    case EMU_IOCTL_FIOCLEX: RET(ioctl(fd, FIOCLEX));
    case EMU_IOCTL_FIONCLEX: RET(ioctl(fd, FIONCLEX));
    default: {
        int64_t r = loop_ioctl(t, fd, req, a[2]);
        if (r != NOT_LOOP_REQUEST)
            return r;
        log_once(req);
        return -ENOTTY;
    }
    }
}

const emu_sys_entry emu_sys_ioctl_table[] = {
    { EMU_SYS_ioctl, sys_ioctl, "ixx", 'd', EMU_SYSF_RESTART },
    { 0 },
};
