/* ELF executables for user mode: read and validate the header and program headers of an
 * ELF32/ELF64 file of either byte order, then load its segments into a guest address space. */
#ifndef EMU_CORE_USER_ELF_H
#define EMU_CORE_USER_ELF_H

#include <stdbool.h>
#include <stdint.h>
#include "emu/base.h"
#include "vm.h"

enum { EMU_ELF_CLASS32 = 1, EMU_ELF_CLASS64 = 2 };
enum { EMU_ELF_LSB = 1, EMU_ELF_MSB = 2 };
enum { EMU_ELF_EXEC = 2, EMU_ELF_DYN = 3 };

typedef struct emu_elf_segment {
    uint64_t vaddr, memsz, offset, filesz;
    int prot;                        /* EMU_VM_READ/WRITE/EXEC from p_flags */
} emu_elf_segment;

typedef struct emu_elf {
    char *path;
    int fd;
    uint64_t file_size;
    uint8_t elf_class, data;         /* EMU_ELF_CLASS*, EMU_ELF_LSB/MSB */
    uint16_t type, machine;
    uint64_t entry, phoff;
    uint16_t phnum, phentsize;
    emu_elf_segment *loads;          /* PT_LOAD, in file order */
    size_t nloads;
    char *interp;                    /* PT_INTERP, or NULL */
    uint64_t phdr_vaddr;             /* PT_PHDR's address, or where the headers are loaded (0 = not loaded) */
} emu_elf;

/* Where an image landed. */
typedef struct emu_elf_image {
    uint64_t bias;                   /* added to every p_vaddr (0 for ET_EXEC) */
    uint64_t entry, phdr, end;       /* entry point, program headers, end of the last segment */
} emu_elf_image;

/* Open and validate `path`.  Errors name the file and what is wrong. */
int emu_elf_open(const char *path, emu_elf *e, emu_error **err);
void emu_elf_close(emu_elf *e);
/* "PowerPC", "x86-64"... for messages ("machine N" when unknown; static storage). */
const char *emu_elf_machine_name(uint16_t machine);
/* Map the PT_LOAD segments.  ET_DYN images go at `base` when it is free,
   else where the address space has room; ET_EXEC ones at their addresses. */
int emu_elf_load(emu_elf *e, emu_user_vm *vm, uint64_t base, emu_elf_image *img,
                 emu_error **err);

#endif
