/*
 * The emu command with its serial port on a terminal: a pseudo-terminal made here stands in for
 * the user's, so this runs without one (CI has no controlling terminal).  A small "shell" child
 * owns the terminal's session and runs emu as its foreground job, like an interactive shell, so
 * ^Z really stops emu and `fg` resumes it.  For every way emu can end (Lua quit, Lua error, an
 * error exit after the terminal went raw, SIGINT/TERM/HUP/QUIT, SIGSEGV/SIGABRT) and for ^Z/fg,
 * the terminal's whole termios state (what `stty -g` prints) must be the one it had before.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "../tap.h"

static char dir[] = "/tmp/emu-test-stdio-tty-XXXXXX";
static char machine[128], busy_machine[128], rom[128], script[128], flag[128], upflag[128], errlog[128];
static const char *emu;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static bool same_termios(const struct termios *a, const struct termios *b)
{
    return a->c_iflag == b->c_iflag && a->c_oflag == b->c_oflag && a->c_cflag == b->c_cflag &&
           a->c_lflag == b->c_lflag && !memcmp(a->c_cc, b->c_cc, sizeof a->c_cc) &&
           cfgetispeed(a) == cfgetispeed(b) && cfgetospeed(a) == cfgetospeed(b);
}

static bool is_raw(int fd)
{
    struct termios t;
    return tcgetattr(fd, &t) == 0 && !(t.c_lflag & (ICANON | ECHO));
}

/* Poll the terminal's mode (the terminal's state is all there is to wait on). */
static bool wait_mode(int fd, bool raw, double timeout)
{
    double end = now_s() + timeout;
    while (now_s() < end) {
        if (is_raw(fd) == raw)
            return true;
        usleep(5000);
    }
    return false;
}

static bool wait_file(const char *path, double timeout)
{
    double end = now_s() + timeout;
    while (now_s() < end) {
        if (access(path, F_OK) == 0)
            return true;
        usleep(5000);
    }
    return false;
}

/* One byte from the shell child, or 0 after the timeout. */
static char read_report(int fd, double timeout)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    char ch;
    if (poll(&p, 1, (int)(timeout * 1000)) == 1 && read(fd, &ch, 1) == 1)
        return ch;
    return 0;
}

/*
 * The shell child: a session of its own with the slave as controlling terminal, emu in its own
 * process group in the foreground.  Reports to the test: "P" + pid once emu is started, "S" when
 * emu stopped (the shell then takes the terminal back and waits for "C" to resume it, as `fg`
 * does), "X" + the wait status when emu is gone.
 */
static void shell(const char *slave, char *const argv[], int report, int control, bool nohup,
                  bool ctty)
{
    setsid();
    /* Without ctty: a terminal emu merely has as stdin (a harness's pty), no session around it. */
    int fd = open(slave, ctty ? O_RDWR : O_RDWR | O_NOCTTY);
    if (fd < 0 || (ctty && ioctl(fd, TIOCSCTTY, 0) < 0))
        _exit(90);
    signal(SIGTTOU, SIG_IGN);
    signal(SIGTTIN, SIG_IGN);
    signal(SIGTSTP, SIG_IGN);
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        tcsetpgrp(fd, getpid());
        signal(SIGTTOU, SIG_DFL);
        signal(SIGTTIN, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
        signal(SIGHUP, nohup ? SIG_IGN : SIG_DFL);
        int err = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(fd, 0);
        dup2(fd, 1);
        if (err >= 0)
            dup2(err, 2);
        execv(emu, argv);
        _exit(127);
    }
    setpgid(pid, pid);
    tcsetpgrp(fd, pid);
    if (write(report, "P", 1) != 1 || write(report, &pid, sizeof pid) != sizeof pid)
        _exit(91);
    for (;;) {
        int st;
        if (waitpid(pid, &st, WUNTRACED) < 0)
            _exit(92);
        if (WIFSTOPPED(st)) {
            tcsetpgrp(fd, getpgrp());
            char ch;
            if (write(report, "S", 1) != 1 || read(control, &ch, 1) != 1)
                _exit(93);
            tcsetpgrp(fd, pid);
            kill(-pid, SIGCONT);
            continue;
        }
        if (write(report, "X", 1) != 1 || write(report, &st, sizeof st) != sizeof st)
            _exit(94);
        _exit(0);
    }
}

enum how {
    LUA_QUIT, LUA_ERROR, LUA_OS_EXIT, LUA_START_ERROR, LOAD_STATE_ERROR,
    SIG_INT, SIG_TERM, SIG_HUP, SIG_QUIT, SIG_SEGV, SIG_ABRT, SIG_USR1, SIG_XFSZ, NOHUP, BUSY_INT,
    NOT_CTTY, CTRL_Z,
};

static const struct {
    const char *name;
    const char *mode;     /* MODE for the script */
    int sig;              /* sent while emu runs */
} cases[] = {
    [LUA_QUIT] = { "emu.quit from Lua", "quit", 0 },
    [LUA_ERROR] = { "a Lua error while running", "error", 0 },
    [LUA_OS_EXIT] = { "os.exit(4) from Lua", "os-exit", 0 },
    [LUA_START_ERROR] = { "a Lua error before the run", "start-error", 0 },
    [LOAD_STATE_ERROR] = { "an error exit (--load-state of a bad file)", "wait", 0 },
    [SIG_INT] = { "SIGINT", "wait", SIGINT },
    [SIG_TERM] = { "SIGTERM", "wait", SIGTERM },
    [SIG_HUP] = { "SIGHUP", "wait", SIGHUP },
    [SIG_QUIT] = { "SIGQUIT", "wait", SIGQUIT },
    [SIG_SEGV] = { "SIGSEGV", "wait", SIGSEGV },
    [SIG_ABRT] = { "SIGABRT", "wait", SIGABRT },
    [SIG_USR1] = { "SIGUSR1", "wait", SIGUSR1 },
    [SIG_XFSZ] = { "SIGXFSZ", "wait", SIGXFSZ },
    [BUSY_INT] = { "SIGINT with a CPU spinning", "wait", SIGINT },
    [NOT_CTTY] = { "SIGTERM on a terminal that is not emu's controlling one", "wait", SIGTERM },
    [NOHUP] = { "SIGHUP ignored from the start (nohup), then emu.quit", "quit", SIGHUP },
    [CTRL_Z] = { "^Z, fg, then emu.quit", "quit", 0 },
};

static void run_case(enum how how)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    char slave[128];
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 ||
        ptsname_r(master, slave, sizeof slave) != 0) {
        printf("ok %d # SKIP %s: no pseudo-terminals here\n", ++tap_n, cases[how].name);
        if (master >= 0)
            close(master);
        return;
    }
    int sfd = open(slave, O_RDWR | O_NOCTTY);
    struct termios before;
    if (sfd < 0 || tcgetattr(sfd, &before) < 0) {
        ok(0, "%s: the test's own terminal", cases[how].name);
        close(master);
        return;
    }
    unlink(flag);
    unlink(upflag);
    setenv("MODE", cases[how].mode, 1);
    setenv("FLAG", flag, 1);
    char *argv[12];
    int n = 0;
    argv[n++] = (char *)emu;
    argv[n++] = (char *)"--realtime";
    argv[n++] = (char *)"--machine";
    argv[n++] = how == BUSY_INT ? busy_machine : machine;
    argv[n++] = (char *)"--lua";
    argv[n++] = script;
    if (how == LOAD_STATE_ERROR) {
        argv[n++] = (char *)"--load-state";
        argv[n++] = errlog;   /* not a snapshot: refused after the machine (and its terminal) is up */
    }
    argv[n] = NULL;

    int rep[2], ctl[2];
    if (pipe(rep) < 0 || pipe(ctl) < 0) {
        ok(0, "pipes");
        return;
    }
    fflush(stdout);
    pid_t sh = fork();
    if (sh == 0) {
        close(rep[0]);
        close(ctl[1]);
        close(master);
        close(sfd);
        shell(slave, argv, rep[1], ctl[0], how == NOHUP, how != NOT_CTTY);
    }
    close(rep[1]);
    close(ctl[0]);
    pid_t pid = 0;
    bool started = read_report(rep[0], 10) == 'P' && read(rep[0], &pid, sizeof pid) == sizeof pid;
    bool ends_early = how == LUA_START_ERROR || how == LOAD_STATE_ERROR;
    /* These two end as soon as the machine is up: whether raw mode was seen is up to timing. */
    bool raw = started && (ends_early || wait_mode(sfd, true, 10));
    /* Signals are sent once the run loop runs (the script says so), not while emu starts. */
    if (raw && !ends_early)
        raw = wait_file(upflag, 10);
    bool stop_ok = true;
    if (started && raw) {
        if (how == NOHUP) {
            kill(pid, SIGHUP);
            /* Still running, still raw, a while later (the signal stays ignored). */
            usleep(200000);
            ok(kill(pid, 0) == 0 && is_raw(sfd), "%s: emu runs on in raw mode", cases[how].name);
        } else if (cases[how].sig) {
            kill(pid, cases[how].sig);
        } else if (how == CTRL_Z) {
            ssize_t w = write(master, "\x1a", 1);   /* the terminal sends SIGTSTP */
            struct termios t;
            bool stopped = w == 1 && read_report(rep[0], 10) == 'S';
            bool cooked = stopped && tcgetattr(sfd, &t) == 0 && same_termios(&t, &before);
            ok(stopped && cooked, "^Z: emu stops and leaves the terminal as it was");
            w = write(ctl[1], "C", 1);
            bool raw_again = w == 1 && wait_mode(sfd, true, 10);
            ok(raw_again, "fg: emu resumes and puts the terminal in raw mode again");
            stop_ok = stopped && cooked && raw_again;
        }
        if (how == LUA_QUIT || how == LUA_ERROR || how == LUA_OS_EXIT || how == CTRL_Z || how == NOHUP)
            write_file(flag, "go\n");
    }
    char ch = read_report(rep[0], 15);
    int st = -1;
    bool ended = ch == 'X' && read(rep[0], &st, sizeof st) == sizeof st;
    if (!ended && pid > 0)
        kill(pid, SIGKILL);
    int shst;
    waitpid(sh, &shst, 0);
    struct termios after;
    bool restored = tcgetattr(sfd, &after) == 0 && same_termios(&after, &before);
    ok(started && raw && ended && restored, "%s: terminal raw while running, exactly as before after",
       cases[how].name);
    if (!(started && raw && ended && restored))
        tap_diag("  started %d raw %d ended %d (status 0x%x) restored %d", started, raw, ended, st,
                 restored);

    /* How emu ended: the status a shell would see. */
    switch (how) {
    case LUA_QUIT:
    case CTRL_Z:
    case NOHUP:
        ok(ended && stop_ok && WIFEXITED(st) && WEXITSTATUS(st) == 5, "%s: exit status 5 (the script's)",
           cases[how].name);
        break;
    case LUA_OS_EXIT:
        ok(ended && WIFEXITED(st) && WEXITSTATUS(st) == 4, "%s: exit status 4", cases[how].name);
        break;
    case LUA_START_ERROR:
    case LOAD_STATE_ERROR:
        ok(ended && WIFEXITED(st) && WEXITSTATUS(st) == 2, "%s: exit status 2", cases[how].name);
        break;
    case LUA_ERROR:
        ok(ended && WIFEXITED(st) && WEXITSTATUS(st) != 0, "%s: a failure status (%d)", cases[how].name,
           WIFEXITED(st) ? WEXITSTATUS(st) : -1);
        break;
    case BUSY_INT:
        ok(ended && WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGINT, "%s: a clean exit with status 130",
           cases[how].name);
        break;
    case SIG_SEGV:
    case SIG_ABRT:
    case SIG_USR1:
    case SIG_XFSZ:
        /* Killed by the signal (a sanitizer build reports and exits instead). */
        ok(ended && (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0)),
           "%s: emu dies of it", cases[how].name);
        break;
    default:
        ok(ended && WIFEXITED(st) && WEXITSTATUS(st) == 128 + cases[how].sig,
           "%s: a clean exit with status 128+%d", cases[how].name, cases[how].sig);
        break;
    }
    close(rep[0]);
    close(ctl[1]);
    close(sfd);
    close(master);
}

int main(void)
{
    emu = getenv("EMU");
    if (!emu || access(emu, X_OK) != 0) {
        printf("1..0 # SKIP EMU is not set to the emu command\n");
        return 0;
    }
    int probe = posix_openpt(O_RDWR | O_NOCTTY);
    if (probe < 0) {
        printf("1..0 # SKIP no pseudo-terminals here (%s)\n", strerror(errno));
        return 0;
    }
    close(probe);
    if (!mkdtemp(dir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    /* The deliberate SIGSEGV/SIGABRT must not leave core files behind. */
    struct rlimit no_core = { 0, 0 };
    setrlimit(RLIMIT_CORE, &no_core);
    snprintf(machine, sizeof machine, "%s/tty.yaml", dir);
    snprintf(script, sizeof script, "%s/run.lua", dir);
    snprintf(flag, sizeof flag, "%s/go", dir);
    snprintf(busy_machine, sizeof busy_machine, "%s/busy.yaml", dir);
    snprintf(rom, sizeof rom, "%s/spin.rom", dir);
    snprintf(upflag, sizeof upflag, "%s/go.up", dir);
    snprintf(errlog, sizeof errlog, "%s/stderr", dir);
    /* No CPU: the machine waits for terminal input; the script waits in real time for the flag. */
    write_file(machine,
               "emu-machine: 1\n"
               "name: tty\n"
               "memory:\n"
               "  ram: { kind: ram, size: 64K, map: system@0x0 }\n"
               "devices:\n"
               "  com1: { type: ns16550, map: system@0x1000, props: { chardev: con } }\n"
               "chardevs: { con: stdio }\n");
    /* A PowerPC 604 spinning at its reset vector (b . at 0xfff00100), the same UART on stdio. */
    FILE *f = fopen(rom, "wb");
    if (f) {
        static const unsigned char spin[4] = { 0x48, 0x00, 0x00, 0x00 };
        for (int i = 0; i < 0x100; i++)
            fputc(0, f);
        fwrite(spin, 1, sizeof spin, f);
        fclose(f);
    }
    char text[1024];
    snprintf(text, sizeof text,
             "emu-machine: 1\n"
             "name: busy\n"
             "memory:\n"
             "  ram: { kind: ram, size: 1M, map: system@0x0 }\n"
             "  rom: { kind: rom, file: \"%s\", map: system@0xfff00000 }\n"
             "cpus:\n"
             "  cpu0: { type: ppc604 }\n"
             "devices:\n"
             "  com1: { type: ns16550, map: system@0x80001000, props: { chardev: con } }\n"
             "chardevs: { con: stdio }\n", rom);
    write_file(busy_machine, text);
    write_file(script,
               "local mode, flag = os.getenv('MODE'), os.getenv('FLAG')\n"
               "if mode == 'start-error' then error('deliberate error before the run') end\n"
               "emu.spawn(function()\n"
               "  emu.wait(1)\n"
               "  local up = io.open(flag .. '.up', 'w')\n"
               "  up:close()\n"
               "  while true do\n"
               "    local f = io.open(flag)\n"
               "    if f then\n"
               "      f:close()\n"
               "      if mode == 'error' then error('deliberate error while running') end\n"
               "      if mode == 'os-exit' then os.exit(4) end\n"
               "      emu.quit(5)\n"
               "    end\n"
               "    emu.wait(200000)\n"
               "  end\n"
               "end)\n");
    tap_plan(2 * (CTRL_Z + 1) + 3);
    for (int how = LUA_QUIT; how <= CTRL_Z; how++)
        run_case((enum how)how);
    unlink(machine);
    unlink(busy_machine);
    unlink(rom);
    unlink(script);
    unlink(flag);
    unlink(errlog);
    unlink(upflag);
    rmdir(dir);
    return tap_failed ? 1 : 0;
}
