/* Guest test: readdir, telldir and seekdir in a program built without large-file support: a
 * 32-bit libc refuses directory offsets that do not fit 32 bits, as a 32-bit kernel never
 * gives them. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
    char dir[] = "emu-dirs-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    for (int i = 0; i < 50; i++) {
        char n[64];
        snprintf(n, sizeof n, "%s/f%02d", dir, i);
        fclose(fopen(n, "w"));
    }
    DIR *d = opendir(dir);
    int n = 0;
    long pos = -1;
    char at[64] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        n++;
        if (n == 20)
            pos = telldir(d);
        if (n == 21)
            snprintf(at, sizeof at, "%s", e->d_name);
    }
    printf("entries=%d\n", n);
    seekdir(d, pos);
    e = readdir(d);
    printf("seekdir returns to the same entry: %d\n", e && !strcmp(e->d_name, at));
    rewinddir(d);
    n = 0;
    while (readdir(d))
        n++;
    printf("after rewinddir: %d\n", n);
    closedir(d);
    for (int i = 0; i < 50; i++) {
        char nm[64];
        snprintf(nm, sizeof nm, "%s/f%02d", dir, i);
        unlink(nm);
    }
    printf("rmdir=%d\n", rmdir(dir));
    return 0;
}
