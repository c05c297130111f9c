/* Guest test: uname, getrandom, resource limits, scheduling, sysinfo, ids, poll and select. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(void)
{
    struct utsname u;
    uname(&u);
    printf("sysname=%s machine=%s\n", u.sysname, u.machine);
    unsigned char buf[64];
    printf("getrandom=%zd\n", getrandom(buf, sizeof buf, 0));
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit lower = { rl.rlim_cur > 64 ? 64 : rl.rlim_cur, rl.rlim_max };
    printf("setrlimit=%d\n", setrlimit(RLIMIT_NOFILE, &lower));
    struct rlimit back;
    getrlimit(RLIMIT_NOFILE, &back);
    printf("NOFILE now %lu\n", (unsigned long)back.rlim_cur);
    struct rlimit64 r64;
    int r = prlimit64(0, RLIMIT_NOFILE, NULL, &r64);
    printf("prlimit64=%d same=%d\n", r, r64.rlim_cur == back.rlim_cur);
    struct rlimit st = { 16 << 20, RLIM_INFINITY };
    getrlimit(RLIMIT_STACK, &rl);
    if (rl.rlim_max != RLIM_INFINITY)
        st.rlim_max = rl.rlim_max;
    if (st.rlim_cur > st.rlim_max)
        st.rlim_cur = st.rlim_max;
    setrlimit(RLIMIT_STACK, &st);
    getrlimit(RLIMIT_STACK, &rl);
    printf("stack limit follows setrlimit: %d\n", rl.rlim_cur == st.rlim_cur);
    printf("sched_yield=%d\n", sched_yield());
    cpu_set_t set;
    CPU_ZERO(&set);
    r = sched_getaffinity(0, sizeof set, &set);
    printf("sched_getaffinity=%d cpus>0=%d\n", r, CPU_COUNT(&set) > 0);
    struct sysinfo si;
    r = sysinfo(&si);
    printf("sysinfo=%d mem_unit>0=%d totalram>0=%d\n", r, si.mem_unit > 0, si.totalram > 0);
    printf("ids consistent: %d %d\n", getuid() == geteuid(), getgid() == getegid());
    gid_t groups[64];
    printf("getgroups >= 0: %d\n", getgroups(64, groups) >= 0);
    printf("getpriority=%d\n", getpriority(PRIO_PROCESS, 0) >= -20);

    int p[2];
    (void)!pipe(p);
    struct pollfd pfd[2] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 } };
    r = poll(pfd, 2, 0);
    printf("poll=%d in=%d out=%d\n", r, !!(pfd[0].revents & POLLIN), !!(pfd[1].revents & POLLOUT));
    (void)!write(p[1], "x", 1);
    r = poll(pfd, 1, 1000);
    printf("poll after write=%d in=%d\n", r, !!(pfd[0].revents & POLLIN));
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    struct timeval tv = { 1, 0 };
    r = select(p[0] + 1, &rs, NULL, NULL, &tv);
    printf("select=%d isset=%d\n", r, FD_ISSET(p[0], &rs));
    char c;
    (void)!read(p[0], &c, 1);
    FD_ZERO(&rs);
    FD_SET(p[0], &rs);
    tv.tv_sec = 0;
    tv.tv_usec = 10000;
    printf("select timeout=%d\n", select(p[0] + 1, &rs, NULL, NULL, &tv));
    struct timespec ts = { 0, 1000000 };
    sigset_t mask;
    sigemptyset(&mask);
    FD_SET(p[0], &rs);
    printf("pselect timeout=%d\n", pselect(p[0] + 1, &rs, NULL, NULL, &ts, &mask));
    printf("ppoll timeout=%d\n", ppoll(pfd, 1, &ts, &mask));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ull };
    printf("epoll_ctl=%d\n", epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev));
    struct epoll_event out[4];
    r = epoll_wait(ep, out, 4, 0);
    printf("epoll_wait empty=%d\n", r);
    (void)!write(p[1], "y", 1);
    memset(out, 0, sizeof out);
    r = epoll_wait(ep, out, 4, 1000);
    printf("epoll_wait=%d in=%d data=%llx\n", r, !!(out[0].events & EPOLLIN), (unsigned long long)out[0].data.u64);
    close(ep);
    long nosys = syscall(9999);
    printf("unknown syscall: %ld %s\n", nosys, strerror(errno));
    return 0;
}
