/* Guest test: arguments, environment, auxiliary vector basics and the exit status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    const char *v = getenv("EMU_TEST_VAR");
    printf("EMU_TEST_VAR=%s\n", v ? v : "(unset)");
    printf("pagesz=%lu\n", getauxval(AT_PAGESZ));
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("platform is set: %s\n", plat && *plat ? "yes" : "no");
    const unsigned char *rnd = (const unsigned char *)getauxval(AT_RANDOM);
    printf("AT_RANDOM present: %s\n", rnd ? "yes" : "no");
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("uid matches: %s\n", getauxval(AT_UID) == (unsigned long)getuid() ? "yes" : "no");
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("execfn ends with the program: %s\n",
           execfn && strstr(execfn, argv[0] + (strrchr(argv[0], '/') ? strrchr(argv[0], '/') - argv[0] + 1 : 0)) ? "yes" : "no");
    FILE *f = fopen("/proc/self/cmdline", "r");
    char cmd[256];
    size_t n = f ? fread(cmd, 1, sizeof cmd, f) : 0;
    printf("/proc/self/cmdline arguments after argv[0]:");
    for (size_t i = strlen(cmd) + 1; i < n; i++)
        putchar(cmd[i] ? cmd[i] : ' ');
    printf("\n");
    fflush(stdout);
    return 3;
}
