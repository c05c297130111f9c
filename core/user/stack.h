/* The initial stack of a user-mode process: argument and environment strings, the platform
 * string and AT_RANDOM bytes, then argc, argv[], envp[] and the auxiliary vector, as Linux's
 * create_elf_tables lays them out. */
#ifndef EMU_CORE_USER_STACK_H
#define EMU_CORE_USER_STACK_H

#include "elf.h"
#include "emu/linux-abi.h"
#include "vm.h"

typedef struct emu_user_stack_args {
    const emu_linux_abi *abi;
    char *const *argv;               /* argc strings */
    int argc;
    char *const *envp;               /* NULL-terminated */
    const char *execfn;              /* AT_EXECFN: the path execve was given */
    const emu_elf *exe;              /* the program */
    emu_elf_image exe_image;
    bool has_interp;
    emu_elf_image interp_image;      /* its bias is AT_BASE */
    uint64_t stack_size;             /* bytes mapped below abi->stack_top */
    uint8_t random[16];              /* AT_RANDOM bytes */
    uint32_t uid, euid, gid, egid;
    uint64_t vdso;                   /* AT_SYSINFO_EHDR (0: no vDSO) */
} emu_user_stack_args;

/* Map the stack and fill it; *start gets sp, argc/argv/envp/auxv and the
   entry point (the interpreter's when there is one). */
int emu_user_build_stack(emu_user_vm *vm, const emu_user_stack_args *a, emu_linux_start *start,
                         emu_error **err);

#endif
