/* Guest test: terminals through a pseudo-terminal — termios get/set round trips (PowerPC's flag
 * values and c_cc order differ from the host's), raw mode, window size, isatty on a pipe. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int main(void)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    if (m < 0) {
        printf("no pty: %s\n", strerror(errno));
        return 0;
    }
    grantpt(m);
    unlockpt(m);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    printf("slave open=%d isatty=%d\n", s >= 0, isatty(s));
    struct termios t;
    printf("tcgetattr=%d\n", tcgetattr(s, &t));
    printf("defaults: ICANON=%d ECHO=%d ISIG=%d ICRNL=%d OPOST=%d ONLCR=%d CS8=%d\n",
           !!(t.c_lflag & ICANON), !!(t.c_lflag & ECHO), !!(t.c_lflag & ISIG), !!(t.c_iflag & ICRNL),
           !!(t.c_oflag & OPOST), !!(t.c_oflag & ONLCR), (t.c_cflag & CSIZE) == CS8);
    printf("VINTR=%d VEOF=%d VERASE=%d VSUSP=%d\n", t.c_cc[VINTR], t.c_cc[VEOF], t.c_cc[VERASE], t.c_cc[VSUSP]);
    cfmakeraw(&t);
    t.c_cc[VMIN] = 3;
    t.c_cc[VTIME] = 5;
    cfsetspeed(&t, B115200);
    printf("tcsetattr raw=%d\n", tcsetattr(s, TCSANOW, &t));
    struct termios u;
    tcgetattr(s, &u);
    printf("raw: ICANON=%d ECHO=%d OPOST=%d VMIN=%d VTIME=%d speed115200=%d\n", !!(u.c_lflag & ICANON),
           !!(u.c_lflag & ECHO), !!(u.c_oflag & OPOST), u.c_cc[VMIN], u.c_cc[VTIME], cfgetospeed(&u) == B115200);
    u.c_lflag |= ICANON | ECHO | ECHOE | IEXTEN;
    u.c_iflag |= IXON | ICRNL;
    u.c_cc[VINTR] = 7;
    tcsetattr(s, TCSADRAIN, &u);
    tcgetattr(s, &t);
    printf("set back: ICANON=%d ECHO=%d ECHOE=%d IEXTEN=%d IXON=%d ICRNL=%d VINTR=%d\n", !!(t.c_lflag & ICANON),
           !!(t.c_lflag & ECHO), !!(t.c_lflag & ECHOE), !!(t.c_lflag & IEXTEN), !!(t.c_iflag & IXON),
           !!(t.c_iflag & ICRNL), t.c_cc[VINTR]);
    struct winsize ws = { 24, 80, 0, 0 };
    printf("TIOCSWINSZ=%d\n", ioctl(m, TIOCSWINSZ, &ws));
    memset(&ws, 0, sizeof ws);
    int r = ioctl(s, TIOCGWINSZ, &ws);
    printf("TIOCGWINSZ=%d rows=%d cols=%d\n", r, ws.ws_row, ws.ws_col);
    (void)!write(m, "abc\n", 4);
    struct pollfd pfd = { s, POLLIN, 0 };
    poll(&pfd, 1, 5000);
    int avail = 0;
    r = ioctl(s, FIONREAD, &avail);
    printf("FIONREAD=%d avail=%d\n", r, avail);
    char buf[8] = { 0 };
    ssize_t n = read(s, buf, sizeof buf - 1);
    printf("read=%zd [%.3s]\n", n, buf);
    printf("tcflush=%d\n", tcflush(s, TCIOFLUSH));
    int p[2];
    (void)!pipe(p);
    r = isatty(p[0]);
    printf("isatty(pipe)=%d errno=%s\n", r, strerror(errno));
    return 0;
}
