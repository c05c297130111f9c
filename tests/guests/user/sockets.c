/* Guest test: sockets — a socketpair, a UNIX stream socket, TCP over the loopback with an
 * ephemeral port, socket options, and passing a descriptor with SCM_RIGHTS. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(void)
{
    int sv[2];
    printf("socketpair=%d\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    printf("send=%zd\n", send(sv[0], "ping", 4, 0));
    char buf[32] = { 0 };
    ssize_t n = recv(sv[1], buf, sizeof buf, 0);
    printf("recv=%zd [%s]\n", n, buf);

    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    printf("SO_REUSEADDR=%d\n", setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    int got = 0;
    socklen_t gl = sizeof got;
    getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &got, &gl);
    printf("getsockopt: set=%d len=%u\n", got != 0, (unsigned)gl);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    printf("bind=%d\n", bind(l, (struct sockaddr *)&a, sizeof a));
    printf("listen=%d\n", listen(l, 1));
    socklen_t al = sizeof a;
    getsockname(l, (struct sockaddr *)&a, &al);
    printf("family=%d port>0=%d addr=%s\n", a.sin_family, ntohs(a.sin_port) > 0, inet_ntoa(a.sin_addr));
    int c = socket(AF_INET, SOCK_STREAM, 0);
    printf("connect=%d\n", connect(c, (struct sockaddr *)&a, sizeof a));
    struct sockaddr_in peer;
    socklen_t pl = sizeof peer;
    int s = accept(l, (struct sockaddr *)&peer, &pl);
    printf("accept ok=%d peer family=%d\n", s >= 0, peer.sin_family);
    printf("TCP_NODELAY=%d\n", setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one));
    printf("write=%zd\n", write(c, "over tcp", 8));
    memset(buf, 0, sizeof buf);
    n = read(s, buf, sizeof buf);
    printf("read=%zd [%s]\n", n, buf);
    printf("shutdown=%d\n", shutdown(c, SHUT_WR));
    printf("read at EOF=%zd\n", read(s, buf, sizeof buf));

    /* SCM_RIGHTS: send one end of a pipe over the socketpair. */
    int p[2];
    (void)!pipe(p);
    struct msghdr msg = { 0 };
    struct iovec iov = { "fd", 2 };
    char ctl[CMSG_SPACE(sizeof(int))];
    memset(ctl, 0, sizeof ctl);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = ctl;
    msg.msg_controllen = sizeof ctl;
    struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &p[1], sizeof(int));
    printf("sendmsg=%zd\n", sendmsg(sv[0], &msg, 0));
    char rbuf[8] = { 0 };
    struct iovec riov = { rbuf, sizeof rbuf };
    char rctl[CMSG_SPACE(sizeof(int))];
    struct msghdr rmsg = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl, .msg_controllen = sizeof rctl };
    n = recvmsg(sv[1], &rmsg, 0);
    printf("recvmsg=%zd [%s]\n", n, rbuf);
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rmsg);
    int fd = -1;
    if (rc && rc->cmsg_type == SCM_RIGHTS)
        memcpy(&fd, CMSG_DATA(rc), sizeof fd);
    printf("received a descriptor: %d\n", fd >= 0);
    printf("write through it=%zd\n", write(fd, "!", 1));
    n = read(p[0], buf, 1);
    printf("read from the pipe=%zd [%c]\n", n, buf[0]);
    return 0;
}
