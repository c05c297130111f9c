/* The "stdio" chardev: the guest's console on emu's own terminal (raw mode, restored on every exit). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "chardev-internal.h"

/*
 * One process has one terminal, so this state is global.  The saved
 * termios and the flag are what signal handlers read: they are set before
 * the handlers are installed and only ever cleared afterwards.
 */
static emu_chardev *stdio_owner;
static struct termios saved_termios;
static volatile sig_atomic_t raw_active;   /* the terminal is in raw mode now */
static volatile sig_atomic_t raw_wanted;   /* raw mode belongs on while emu runs in the foreground */
static bool atexit_registered;
static bool handlers_installed;
static bool out_fd_owned;                  /* out_fd is our own reopened descriptor */

/* Signals whose default action ends the process: put the terminal back, then let the old
   action run.  One ignored when emu started (nohup, a background job) stays ignored. */
static const int fatal_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS,
    SIGXCPU, SIGXFSZ, SIGALRM, SIGVTALRM, SIGPROF, SIGUSR1, SIGUSR2, SIGIO,
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};
static struct sigaction old_fatal[EMU_ARRAY_SIZE(fatal_signals)];
static bool fatal_caught[EMU_ARRAY_SIZE(fatal_signals)];
static struct sigaction old_tstp, old_cont;

void emu_backends_restore_terminal(void)
{
    if (raw_active) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
        raw_active = 0;
    }
}

static void enter_raw(void)
{
    struct termios t = saved_termios;
    /* Bytes pass through unchanged; output keeps its newline translation and
       Ctrl-C/Ctrl-Z still reach emu (as with QEMU's -serial stdio). */
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | IEXTEN);
    t.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    t.c_cflag |= CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
        raw_active = 1;
}

/* Raw mode may be set now: emu is in the terminal's foreground process group, or the terminal is
   not emu's controlling terminal at all (a harness's pty as stdin: no job control applies).
   From the background, touching the terminal would stop emu with SIGTTOU. */
static bool may_set_terminal(int fd)
{
    pid_t fg = tcgetpgrp(fd);
    return fg == getpgrp() || (fg < 0 && errno == ENOTTY);
}

static void on_fatal_signal(int sig)
{
    int saved_errno = errno;
    emu_backends_restore_terminal();
    for (size_t i = 0; i < EMU_ARRAY_SIZE(fatal_signals); i++) {
        if (fatal_signals[i] == sig) {
            sigaction(sig, &old_fatal[i], NULL);
            break;
        }
    }
    /* Delivered again when this handler returns (a fault re-faults), now to the old action. */
    raise(sig);
    errno = saved_errno;
}

static void on_stop_signal(int sig)
{
    int saved_errno = errno;
    emu_backends_restore_terminal();
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(SIGTSTP, &dfl, NULL);
    raise(SIGTSTP);   /* stops us once this handler returns */
    errno = saved_errno;
}

static void install_stop_handler(void);

static void on_continue(int sig)
{
    int saved_errno = errno;
    /* Back in the foreground after Ctrl-Z / fg: raw again (never from the background,
       where changing the terminal would stop us with SIGTTOU). */
    if (raw_wanted && may_set_terminal(STDIN_FILENO))
        enter_raw();
    install_stop_handler();
    errno = saved_errno;
}

static void install_stop_handler(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTSTP, &sa, NULL);
}

static void restore_at_exit(void)
{
    emu_backends_restore_terminal();
}

/*
 * The fatal-signal handler runs on a stack of its own, so a stack overflow (a SIGSEGV with no
 * stack left to run a handler on) still puts the terminal back.  A stack set up already (a
 * sanitizer's) is used as it is.
 */
static void ensure_signal_stack(void)
{
    static void *stack_mem;
    stack_t cur;
    if (stack_mem || (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)))
        return;
    const size_t size = 64 * 1024;
    stack_mem = emu_xmalloc(size);
    stack_t ss = { .ss_sp = stack_mem, .ss_size = size, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
}

static void install_handlers(void)
{
    ensure_signal_stack();
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < EMU_ARRAY_SIZE(fatal_signals); i++) {
        sigaction(fatal_signals[i], NULL, &old_fatal[i]);
        fatal_caught[i] = old_fatal[i].sa_handler != SIG_IGN;
        if (fatal_caught[i])
            sigaction(fatal_signals[i], &sa, NULL);
    }
    sigaction(SIGTSTP, NULL, &old_tstp);
    install_stop_handler();
    sa.sa_handler = on_continue;
    sigaction(SIGCONT, &sa, &old_cont);
    if (!atexit_registered) {
        atexit(restore_at_exit);
        atexit_registered = true;
    }
    handlers_installed = true;
}

static void remove_handlers(void)
{
    if (!handlers_installed)
        return;
    handlers_installed = false;
    for (size_t i = 0; i < EMU_ARRAY_SIZE(fatal_signals); i++) {
        /* Leave a handler someone installed after us (the session's quit handler) alone. */
        struct sigaction cur;
        sigaction(fatal_signals[i], NULL, &cur);
        if (fatal_caught[i] && cur.sa_handler == on_fatal_signal)
            sigaction(fatal_signals[i], &old_fatal[i], NULL);
    }
    sigaction(SIGCONT, &old_cont, NULL);
    sigaction(SIGTSTP, &old_tstp, NULL);
}

/*
 * A descriptor for writing to `fd` without ever blocking.  A terminal or a
 * pipe is opened again through /proc, so O_NONBLOCK lands on our own open
 * file description and not on the one the shell shares with us; a socket
 * is written with MSG_DONTWAIT; regular files and /dev/null never block.
 */
static int nonblocking_writer(int fd, bool *is_socket)
{
    struct stat st;
    *is_socket = false;
    out_fd_owned = false;
    if (fstat(fd, &st) < 0)
        return -1;
    if (S_ISSOCK(st.st_mode)) {
        *is_socket = true;
        return fd;
    }
    if (S_ISFIFO(st.st_mode) || (S_ISCHR(st.st_mode) && isatty(fd))) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        int nfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (nfd >= 0) {
            out_fd_owned = true;
            return nfd;
        }
    }
    return fd;
}

static int stdio_open(emu_chardev *c, const char *arg, emu_error **err)
{
    if (stdio_owner) {
        emu_error_set(err, "chardev '%s': stdio is already used by chardev '%s' (one terminal, one owner)",
                      c->name, stdio_owner->name);
        return -1;
    }
    c->in_fd = fcntl(STDIN_FILENO, F_GETFD) >= 0 ? STDIN_FILENO : -1;
    c->out_fd = nonblocking_writer(STDOUT_FILENO, &c->out_is_socket);
    stdio_owner = c;
    if (c->in_fd >= 0 && isatty(c->in_fd) && tcgetattr(c->in_fd, &saved_termios) == 0) {
        raw_wanted = 1;
        install_handlers();
        /* From the background, touching the terminal would stop us: start raw on `fg` instead. */
        if (may_set_terminal(c->in_fd))
            enter_raw();
    }
    return 0;
}

static void stdio_close(emu_chardev *c)
{
    raw_wanted = 0;
    emu_backends_restore_terminal();
    if (stdio_owner == c) {
        remove_handlers();
        stdio_owner = NULL;
    }
    if (out_fd_owned && c->out_fd >= 0)
        close(c->out_fd);
    out_fd_owned = false;
}

const chardev_kind emu_chardev_stdio_kind = {
    .name = "stdio", .usage = "stdio", .open = stdio_open, .close = stdio_close,
};
