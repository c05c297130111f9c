/* One run of emu: build the machine from its file, run it, tear it down; exit statuses. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "backends/backends.h"
#include "clock/clock.h"
#include "config/machine-file.h"
#include "lua/lua-host.h"
#include "plugins.h"
#include "run.h"
#include "state.h"
#include "session.h"
#include "user/runtime.h"

#define EXIT_USAGE 2

static emu_machine *running;

static void on_signal(int sig)
{
    /* Leave the terminal usable, then let the run loop finish (flushing disks). */
    emu_backends_restore_terminal();
    if (running && !running->quit_requested) {
        emu_machine_request_quit(running, 128 + sig);
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* The signals that end a run cleanly; one ignored when emu started (nohup, a background job of
   a script) stays ignored. */
static void install_signals(void)
{
    static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < EMU_ARRAY_SIZE(quit_signals); i++)
        if (sigaction(quit_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(quit_signals[i], &sa, NULL);
}

/* A snapshot option failed before the run: its message, status 2. */
static int refuse(emu_machine *m, const char *option, const char *path, emu_error *err)
{
    fprintf(stderr, "emu: %s %s: %s\n", option, path, emu_error_message(err));
    emu_error_free(err);
    emu_machine_free(m);
    emu_backends_restore_terminal();
    emu_plugins_shutdown();
    return EXIT_USAGE;
}

int emu_session_machine(const emu_options *o)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_load(o->machine, o->sets, o->nsets, &err);
    if (!m) {
        fprintf(stderr, "emu: %s\n", emu_error_message(err));
        emu_error_free(err);
        emu_plugins_shutdown();
        return EXIT_USAGE;
    }
    if (o->realtime)
        emu_clock_set_realtime(m, true);
    /* A machine that cannot be saved is refused before it runs, not when it stops. */
    if (o->save_state && emu_machine_state_check(m, &err) < 0)
        return refuse(m, "--save-state", o->save_state, err);
    if (o->load_state && emu_machine_load_state_file(m, o->load_state, &err) < 0)
        return refuse(m, "--load-state", o->load_state, err);
    emu_lua *lua;
    if (emu_scripts_start(m, o, NULL, 0, &lua) < 0) {
        emu_machine_free(m);
        emu_backends_restore_terminal();
        emu_plugins_shutdown();
        return EXIT_USAGE;
    }
    running = m;
    install_signals();
    int code = emu_machine_run(m);
    running = NULL;
    if (o->save_state && emu_machine_save_state_file(m, o->save_state, &err) < 0) {
        fprintf(stderr, "emu: --save-state %s: %s\n", o->save_state, emu_error_message(err));
        emu_error_free(err);
        err = NULL;
        code = EXIT_USAGE;
    }
    code = emu_scripts_finish(m, lua, code);
    emu_machine_free(m);
    emu_backends_restore_terminal();
    emu_plugins_shutdown();
    return code;
}

int emu_session_user(const emu_options *o)
{
    return emu_user_run(o);
}
