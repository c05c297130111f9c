/* Sockets: the individual calls and socketcall(2).  Socket addresses keep their network-order
 * fields; only the family (and netlink's host-order ids) change byte order.  Integer socket
 * options are converted; sendmsg/recvmsg carry data and SCM_RIGHTS descriptors. */
#include <errno.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include "user.h"
#include "util.h"

#define RET(expr) do { long r_ = (long)(expr); return r_ < 0 ? -errno : r_; } while (0)
#define MAX_ADDR 128

static void swap_addr(const emu_user_proc *p, uint8_t *sa, size_t len, bool to_host)
{
    if (len < 2)
        return;
    uint16_t fam = to_host ? (uint16_t)emu_user_ld(p, sa, 2) : *(uint16_t *)sa;
    if (to_host)
        *(uint16_t *)sa = fam;
    else
        emu_user_st(p, sa, 2, fam);
    if (fam == AF_NETLINK && len >= 12)
        for (int off = 4; off <= 8; off += 4) {
            uint32_t v = to_host ? (uint32_t)emu_user_ld(p, sa + off, 4) : *(uint32_t *)(sa + off);
            if (to_host)
                *(uint32_t *)(sa + off) = v;
            else
                emu_user_st(p, sa + off, 4, v);
        }
}

static int64_t addr_in(emu_linux_task *t, uint64_t g, uint64_t len, struct sockaddr_storage *ss)
{
    if (len > sizeof *ss)
        return -EINVAL;
    if (emu_user_copy_in(t, ss, g, len) < 0)
        return -EFAULT;
    swap_addr(t->proc, (uint8_t *)ss, len, true);
    return 0;
}

/* Write an address back to the guest with the kernel's truncation rules. */
static int64_t addr_out(emu_linux_task *t, uint64_t g, uint64_t glen, struct sockaddr_storage *ss, socklen_t len)
{
    if (!g)
        return 0;
    uint8_t lb[4];
    if (emu_user_copy_in(t, lb, glen, 4) < 0)
        return -EFAULT;
    uint32_t room = (uint32_t)emu_user_ld(t->proc, lb, 4);
    swap_addr(t->proc, (uint8_t *)ss, len, false);
    if (emu_user_copy_out(t, g, ss, room < len ? room : len) < 0)
        return -EFAULT;
    emu_user_st(t->proc, lb, 4, len);
    return emu_user_copy_out(t, glen, lb, 4);
}

static int64_t sys_socket(emu_linux_task *t, const uint64_t *a) { RET(socket((int)a[0], (int)a[1], (int)a[2])); }

static int64_t sys_socketpair(emu_linux_task *t, const uint64_t *a)
{
    int sv[2];
    if (!emu_user_gptr(t, a[3], 8, EMU_VM_WRITE))
        return -EFAULT;
    if (socketpair((int)a[0], (int)a[1], (int)a[2], sv) < 0)
        return -errno;
    uint8_t buf[8];
    emu_user_st(t->proc, buf, 4, (uint32_t)sv[0]);
    emu_user_st(t->proc, buf + 4, 4, (uint32_t)sv[1]);
    return emu_user_copy_out(t, a[3], buf, 8);
}

static int64_t sys_bind(emu_linux_task *t, const uint64_t *a)
{
    struct sockaddr_storage ss;
    int64_t e = addr_in(t, a[1], a[2], &ss);
    if (e < 0)
        return e;
    RET(bind((int)a[0], (struct sockaddr *)&ss, (socklen_t)a[2]));
}

static int64_t sys_connect(emu_linux_task *t, const uint64_t *a)
{
    struct sockaddr_storage ss;
    int64_t e = addr_in(t, a[1], a[2], &ss);
    if (e < 0)
        return e;
    return emu_user_safe_syscall(t, SYS_connect, (int)a[0], (long)&ss, (socklen_t)a[2], 0, 0, 0);
}

static int64_t sys_listen(emu_linux_task *t, const uint64_t *a) { RET(listen((int)a[0], (int)a[1])); }

static int64_t sys_accept4(emu_linux_task *t, const uint64_t *a)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int64_t fd = emu_user_safe_syscall(t, SYS_accept4, (int)a[0], (long)(a[1] ? &ss : NULL),
                                       (long)(a[1] ? &len : NULL), (int)a[3], 0, 0);
    if (fd < 0)
        return fd;
    if (a[1] && addr_out(t, a[1], a[2], &ss, len) < 0)
        return -EFAULT;
    return fd;
}

static int64_t sys_accept(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[4] = { a[0], a[1], a[2], 0 };
    return sys_accept4(t, b);
}

static int64_t name_call(emu_linux_task *t, const uint64_t *a, int (*fn)(int, struct sockaddr *, socklen_t *))
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (fn((int)a[0], (struct sockaddr *)&ss, &len) < 0)
        return -errno;
    return addr_out(t, a[1], a[2], &ss, len);
}

static int64_t sys_getsockname(emu_linux_task *t, const uint64_t *a) { return name_call(t, a, getsockname); }
static int64_t sys_getpeername(emu_linux_task *t, const uint64_t *a) { return name_call(t, a, getpeername); }

static int64_t sys_sendto(emu_linux_task *t, const uint64_t *a)
{
    const void *buf = emu_user_gptr(t, a[1], a[2], EMU_VM_READ);
    if (!buf)
        return -EFAULT;
    struct sockaddr_storage ss;
    if (a[4]) {
        int64_t e = addr_in(t, a[4], a[5], &ss);
        if (e < 0)
            return e;
    }
    return emu_user_safe_syscall(t, SYS_sendto, (int)a[0], (long)buf, (long)a[2], (int)a[3], (long)(a[4] ? &ss : NULL),
                                 a[4] ? (socklen_t)a[5] : 0);
}

static int64_t sys_send(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[6] = { a[0], a[1], a[2], a[3], 0, 0 };
    return sys_sendto(t, b);
}

static int64_t sys_recvfrom(emu_linux_task *t, const uint64_t *a)
{
    void *buf = emu_user_gptr(t, a[1], a[2], EMU_VM_WRITE);
    if (!buf)
        return -EFAULT;
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int64_t n = emu_user_safe_syscall(t, SYS_recvfrom, (int)a[0], (long)buf, (long)a[2], (int)a[3],
                                      (long)(a[4] ? &ss : NULL), (long)(a[4] ? &len : NULL));
    if (n < 0)
        return n;
    if (a[4] && addr_out(t, a[4], a[5], &ss, len) < 0)
        return -EFAULT;
    return n;
}

static int64_t sys_recv(emu_linux_task *t, const uint64_t *a)
{
    uint64_t b[6] = { a[0], a[1], a[2], a[3], 0, 0 };
    return sys_recvfrom(t, b);
}

static int64_t sys_shutdown(emu_linux_task *t, const uint64_t *a) { RET(shutdown((int)a[0], (int)a[1])); }

/* Options whose value is a struct of guest longs (timevals) or ints. */
static bool is_timeval_opt(int level, int name)
{
    return level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD);
}

static int64_t sys_setsockopt(emu_linux_task *t, const uint64_t *a)
{
    int level = (int)a[1], name = (int)a[2];
    uint64_t len = a[4];
    if (len > 1024)
        return -EINVAL;
    uint8_t buf[1024];
    if (emu_user_copy_in(t, buf, a[3], len) < 0)
        return -EFAULT;
    if (is_timeval_opt(level, name)) {
        struct timespec ts;
        if (emu_user_get_timespec(t, a[3], &ts, false) < 0)
            return -EFAULT;
        struct timeval tv = { ts.tv_sec, ts.tv_nsec };
        RET(setsockopt((int)a[0], level, name, &tv, sizeof tv));
    }
    if (len % 4 == 0 && len <= 16 && level == SOL_SOCKET)
        for (uint64_t i = 0; i < len; i += 4) {
            uint32_t v = (uint32_t)emu_user_ld(t->proc, buf + i, 4);
            memcpy(buf + i, &v, 4);
        }
    else if (len == 4) {
        uint32_t v = (uint32_t)emu_user_ld(t->proc, buf, 4);
        memcpy(buf, &v, 4);
    }
    RET(setsockopt((int)a[0], level, name, buf, (socklen_t)len));
}

static int64_t sys_getsockopt(emu_linux_task *t, const uint64_t *a)
{
    int level = (int)a[1], name = (int)a[2];
    uint8_t lb[4];
    if (emu_user_copy_in(t, lb, a[4], 4) < 0)
        return -EFAULT;
    uint32_t room = (uint32_t)emu_user_ld(t->proc, lb, 4);
    uint8_t buf[1024];
    socklen_t len = sizeof buf;
    if (is_timeval_opt(level, name)) {
        struct timeval tv;
        len = sizeof tv;
        if (getsockopt((int)a[0], level, name, &tv, &len) < 0)
            return -errno;
        struct timespec ts = { tv.tv_sec, tv.tv_usec };
        if (room < 2 * t->proc->word)
            return -EINVAL;
        emu_user_st(t->proc, lb, 4, 2 * t->proc->word);
        if (emu_user_put_timespec(t, a[3], &ts, false) < 0)
            return -EFAULT;
        return emu_user_copy_out(t, a[4], lb, 4);
    }
    if (getsockopt((int)a[0], level, name, buf, &len) < 0)
        return -errno;
    if (len % 4 == 0 && len <= 16 && (level == SOL_SOCKET || len == 4))
        for (socklen_t i = 0; i < len; i += 4) {
            uint32_t v;
            memcpy(&v, buf + i, 4);
            emu_user_st(t->proc, buf + i, 4, v);
        }
    if (len > room)
        len = room;
    if (emu_user_copy_out(t, a[3], buf, len) < 0)
        return -EFAULT;
    emu_user_st(t->proc, lb, 4, len);
    return emu_user_copy_out(t, a[4], lb, 4);
}

/* struct msghdr of the guest: name, namelen, iov, iovlen, control, controllen, flags. */
typedef struct guest_msghdr {
    uint64_t name, iov, iovlen, control, controllen;
    uint32_t namelen;
    int flags;
} guest_msghdr;

static int64_t get_msghdr(emu_linux_task *t, uint64_t addr, guest_msghdr *m)
{
    unsigned w = t->proc->word;
    uint8_t buf[56];
    size_t size = w == 4 ? 28 : 56;
    if (emu_user_copy_in(t, buf, addr, size) < 0)
        return -EFAULT;
    emu_user_proc *p = t->proc;
    m->name = emu_user_ld(p, buf, w);
    m->namelen = (uint32_t)emu_user_ld(p, buf + w, 4);
    m->iov = emu_user_ld(p, buf + 2 * w, w);
    m->iovlen = emu_user_ld(p, buf + 3 * w, w);
    m->control = emu_user_ld(p, buf + 4 * w, w);
    m->controllen = emu_user_ld(p, buf + 5 * w, w);
    m->flags = (int)emu_user_ld(p, buf + 6 * w, 4);
    return 0;
}

static int64_t build_iov(emu_linux_task *t, const guest_msghdr *m, int prot, struct iovec **out)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    if (m->iovlen > 1024)
        return -EMSGSIZE;
    const uint8_t *g = emu_user_gptr(t, m->iov, m->iovlen * 2 * w, EMU_VM_READ);
    if (!g && m->iovlen)
        return -EFAULT;
    struct iovec *iov = emu_xcalloc(m->iovlen + 1, sizeof *iov);
    for (uint64_t i = 0; i < m->iovlen; i++) {
        uint64_t base = emu_user_ld(p, g + 2 * w * i, w), len = emu_user_ld(p, g + 2 * w * i + w, w);
        iov[i].iov_base = emu_user_gptr(t, base, len, prot);
        iov[i].iov_len = len;
        if (!iov[i].iov_base && len) {
            free(iov);
            return -EFAULT;
        }
    }
    *out = iov;
    return 0;
}

/* Guest cmsg headers: { long len; int level; int type; } then data aligned to a long. */
static unsigned cmsg_align(unsigned w, uint64_t n) { return (unsigned)((n + w - 1) & ~(uint64_t)(w - 1)); }

static int64_t sys_sendmsg(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    guest_msghdr m;
    if (get_msghdr(t, a[1], &m) < 0)
        return -EFAULT;
    struct msghdr hm;
    memset(&hm, 0, sizeof hm);
    struct sockaddr_storage ss;
    if (m.name) {
        int64_t e = addr_in(t, m.name, m.namelen, &ss);
        if (e < 0)
            return e;
        hm.msg_name = &ss;
        hm.msg_namelen = m.namelen;
    }
    struct iovec *iov;
    int64_t e = build_iov(t, &m, EMU_VM_READ, &iov);
    if (e < 0)
        return e;
    hm.msg_iov = iov;
    hm.msg_iovlen = m.iovlen;
    uint8_t control[512];
    if (m.controllen) {
        if (m.controllen > 256) {
            free(iov);
            return -ENOBUFS;
        }
        const uint8_t *g = emu_user_gptr(t, m.control, m.controllen, EMU_VM_READ);
        if (!g) {
            free(iov);
            return -EFAULT;
        }
        size_t out = 0;
        for (uint64_t off = 0; off + 2 * 4 + w <= m.controllen;) {
            uint64_t len = emu_user_ld(p, g + off, w);
            int level = (int)emu_user_ld(p, g + off + w, 4), type = (int)emu_user_ld(p, g + off + w + 4, 4);
            unsigned hdr = cmsg_align(w, w + 8);
            if (len < hdr || off + len > m.controllen)
                break;
            uint64_t dlen = len - hdr;
            struct cmsghdr *c = (struct cmsghdr *)(control + out);
            if (out + CMSG_SPACE(dlen) > sizeof control)
                break;
            c->cmsg_len = CMSG_LEN(dlen);
            c->cmsg_level = level;
            c->cmsg_type = type;
            memcpy(CMSG_DATA(c), g + off + hdr, dlen);
            if (level == SOL_SOCKET && type == SCM_RIGHTS)
                for (uint64_t i = 0; i + 4 <= dlen; i += 4) {
                    uint32_t fd = (uint32_t)emu_user_ld(p, g + off + hdr + i, 4);
                    memcpy(CMSG_DATA(c) + i, &fd, 4);
                }
            out += CMSG_SPACE(dlen);
            off += cmsg_align(w, len);
        }
        hm.msg_control = control;
        hm.msg_controllen = out;
    }
    int64_t n = emu_user_safe_syscall(t, SYS_sendmsg, (int)a[0], (long)&hm, (int)a[2], 0, 0, 0);
    free(iov);
    return n;
}

static int64_t sys_recvmsg(emu_linux_task *t, const uint64_t *a)
{
    emu_user_proc *p = t->proc;
    unsigned w = p->word;
    guest_msghdr m;
    if (get_msghdr(t, a[1], &m) < 0)
        return -EFAULT;
    struct msghdr hm;
    memset(&hm, 0, sizeof hm);
    struct sockaddr_storage ss;
    if (m.name) {
        hm.msg_name = &ss;
        hm.msg_namelen = sizeof ss;
    }
    struct iovec *iov;
    int64_t e = build_iov(t, &m, EMU_VM_WRITE, &iov);
    if (e < 0)
        return e;
    hm.msg_iov = iov;
    hm.msg_iovlen = m.iovlen;
    uint8_t control[512];
    if (m.controllen) {
        /* Host headers are larger: give room for as many entries as the
           guest's buffer holds. */
        uint64_t want = 2 * m.controllen + 32;
        hm.msg_control = control;
        hm.msg_controllen = want > sizeof control ? sizeof control : want;
    }
    int64_t n = emu_user_safe_syscall(t, SYS_recvmsg, (int)a[0], (long)&hm, (int)a[2], 0, 0, 0);
    free(iov);
    if (n < 0)
        return n;
    uint64_t clen = 0;
    if (m.controllen && hm.msg_controllen) {
        uint8_t *g = emu_user_gptr(t, m.control, m.controllen, EMU_VM_WRITE);
        if (!g)
            return -EFAULT;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&hm); c; c = CMSG_NXTHDR(&hm, c)) {
            size_t dlen = c->cmsg_len - CMSG_LEN(0);
            unsigned hdr = cmsg_align(w, w + 8);
            if (clen + hdr + dlen > m.controllen) {
                hm.msg_flags |= MSG_CTRUNC;
                break;
            }
            emu_user_st(p, g + clen, w, hdr + dlen);
            emu_user_st(p, g + clen + w, 4, (uint32_t)c->cmsg_level);
            emu_user_st(p, g + clen + w + 4, 4, (uint32_t)c->cmsg_type);
            memcpy(g + clen + hdr, CMSG_DATA(c), dlen);
            if (c->cmsg_level == SOL_SOCKET && (c->cmsg_type == SCM_RIGHTS || c->cmsg_type == SCM_CREDENTIALS))
                for (size_t i = 0; i + 4 <= dlen; i += 4) {
                    uint32_t v;
                    memcpy(&v, CMSG_DATA(c) + i, 4);
                    emu_user_st(p, g + clen + hdr + i, 4, v);
                }
            clen += cmsg_align(w, hdr + dlen);
        }
    }
    /* Write back namelen, controllen and flags. */
    uint8_t buf[8];
    if (m.name) {
        swap_addr(p, (uint8_t *)&ss, hm.msg_namelen, false);
        if (emu_user_copy_out(t, m.name, &ss, hm.msg_namelen < m.namelen ? hm.msg_namelen : m.namelen) < 0)
            return -EFAULT;
        emu_user_st(p, buf, 4, hm.msg_namelen);
        if (emu_user_copy_out(t, a[1] + w, buf, 4) < 0)
            return -EFAULT;
    }
    emu_user_st(p, buf, w, clen);
    if (emu_user_copy_out(t, a[1] + 5 * w, buf, w) < 0)
        return -EFAULT;
    emu_user_st(p, buf, 4, (uint32_t)hm.msg_flags);
    if (emu_user_copy_out(t, a[1] + 6 * w, buf, 4) < 0)
        return -EFAULT;
    return n;
}

/* socketcall(call, args): the arguments are guest longs in memory. */
static int64_t sys_socketcall(emu_linux_task *t, const uint64_t *a)
{
    const emu_linux_abi *abi = t->proc->abi;
    if (!abi->socketcalls || a[0] >= abi->nsocketcalls || !abi->socketcalls[a[0]])
        return -EINVAL;
    unsigned w = t->proc->word;
    uint8_t buf[6 * 8];
    uint64_t raw[6] = { 0 };
    /* Read what is there (up to six longs): the call decides how many count. */
    for (unsigned i = 0; i < 6; i++) {
        if (emu_user_copy_in(t, buf + i * w, a[1] + i * w, w) < 0) {
            if (i == 0)
                return -EFAULT;
            break;
        }
        raw[i] = emu_user_ld(t->proc, buf + i * w, w);
    }
    return emu_user_do_syscall(t, abi->socketcalls[a[0]], raw);
}

const emu_sys_entry emu_sys_net_table[] = {
    { EMU_SYS_socket, sys_socket, "iii", 'd', 0 },
    { EMU_SYS_socketpair, sys_socketpair, "iiip", 'd', 0 },
    { EMU_SYS_bind, sys_bind, "ipu", 'd', 0 },
    { EMU_SYS_connect, sys_connect, "ipu", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_listen, sys_listen, "ii", 'd', 0 },
    { EMU_SYS_accept, sys_accept, "ipp", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_accept4, sys_accept4, "ippf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_getsockname, sys_getsockname, "ipp", 'd', 0 },
    { EMU_SYS_getpeername, sys_getpeername, "ipp", 'd', 0 },
    { EMU_SYS_sendto, sys_sendto, "ipufpu", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_send, sys_send, "ipuf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_recvfrom, sys_recvfrom, "ipufpp", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_recv, sys_recv, "ipuf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_shutdown, sys_shutdown, "ii", 'd', 0 },
    { EMU_SYS_setsockopt, sys_setsockopt, "iiipu", 'd', 0 },
    { EMU_SYS_getsockopt, sys_getsockopt, "iiipp", 'd', 0 },
    { EMU_SYS_sendmsg, sys_sendmsg, "ipf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_recvmsg, sys_recvmsg, "ipf", 'd', EMU_SYSF_RESTART },
    { EMU_SYS_socketcall, sys_socketcall, "ip", 'd', 0 },
    { 0 },
};
