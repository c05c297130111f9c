/* Guest paths on the host: absolute paths are looked up in --sysroot first (so the dynamic
 * loader finds the guest's libraries), and /proc/self/exe is the guest program, not emu. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "user.h"

bool emu_user_is_proc_exe(const char *path)
{
    if (!strcmp(path, "/proc/self/exe") || !strcmp(path, "/proc/thread-self/exe"))
        return true;
    char mine[64];
    snprintf(mine, sizeof mine, "/proc/%d/exe", (int)getpid());
    return !strcmp(path, mine);
}

const char *emu_user_path(emu_user_proc *p, const char *guest, char *buf, size_t size)
{
    if (guest[0] != '/')
        return guest;
    if (emu_user_is_proc_exe(guest))
        return p->exe_path;
    if (!p->sysroot)
        return guest;
    int n = snprintf(buf, size, "%s%s", p->sysroot, guest);
    if (n < 0 || (size_t)n >= size)
        return guest;
    /* Only what exists in the sysroot is taken from it; "/" itself and
       everything else (/tmp, /proc, /dev, the user's files) is the host's. */
    if (!strcmp(guest, "/") || faccessat(AT_FDCWD, buf, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
        return guest;
    return buf;
}
