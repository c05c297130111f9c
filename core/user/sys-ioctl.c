/* ioctl: guest request numbers mapped to generic ids by the ABI's table, terminal structures
 * (termios with the guest's flag values and c_cc order, winsize) converted; anything else is
 * ENOTTY, logged once. */
#include <errno.h>
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
    default:
        log_once(req);
        return -ENOTTY;
    }
}

const emu_sys_entry emu_sys_ioctl_table[] = {
    { EMU_SYS_ioctl, sys_ioctl, "ixx", 'd', EMU_SYSF_RESTART },
    { 0 },
};
