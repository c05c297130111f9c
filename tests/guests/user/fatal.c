/* Guest test: ways to die — each argument selects one; the test checks the exit status a shell
 * sees (128 + signal number for a death by signal), as a native run would give. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say(const char *s)
{
    (void)!write(1, s, strlen(s));
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "";
    say(what);
    say(": about to go\n");
    if (!strcmp(what, "segv")) {
        volatile int *p = 0;
        *p = 1;
    } else if (!strcmp(what, "abort")) {
        abort();
    } else if (!strcmp(what, "illegal")) {
        __asm__ volatile(".long 0");
    } else if (!strcmp(what, "jump")) {
        void (*fn)(void) = (void (*)(void))0x0badc0de;
        fn();
    } else if (!strcmp(what, "garbage")) {
        static unsigned int code[4] = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };
        void (*fn)(void) = (void (*)(void))code;
        fn();
    } else if (!strcmp(what, "term")) {
        raise(SIGTERM);
    } else if (!strcmp(what, "exit")) {
        exit(77);
    }
    say("still alive\n");
    return 0;
}
