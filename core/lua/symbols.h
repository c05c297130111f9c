/* Symbol tables read from ELF files (the user-mode program, a firmware or kernel image):
 * name -> address for emu.symbol(), address -> enclosing symbol for reports by function. */
#ifndef EMU_CORE_LUA_SYMBOLS_H
#define EMU_CORE_LUA_SYMBOLS_H

#include <stdbool.h>
#include <stdint.h>
#include "emu/base.h"

typedef struct emu_symbol {
    const char *name;
    uint64_t addr;           /* with the load bias added */
    uint64_t size;           /* bytes, 0 when the ELF file does not say */
    bool is_func;            /* STT_FUNC (else an object or untyped label) */
    bool is_global;          /* STB_GLOBAL or STB_WEAK */
} emu_symbol;

typedef struct emu_symtab emu_symtab;

emu_symtab *emu_symtab_new(void);
void emu_symtab_free(emu_symtab *t);

/* Add the symbols of the ELF file `path` (ELF32 or ELF64, either byte
   order; .symtab, or .dynsym when the file is stripped), each address plus
   `bias` (where a position-independent image was loaded).  Undefined,
   section and file symbols are skipped.  Every offset and size in the file
   is checked; a malformed file is refused with a message naming it. */
int emu_symtab_load_elf(emu_symtab *t, const char *path, uint64_t bias, emu_error **err);

/* The symbol called `name` (a global one when several share the name),
   or NULL. */
const emu_symbol *emu_symtab_find(emu_symtab *t, const char *name);

/* The symbol containing `addr`: the highest-addressed symbol at or below
   it whose size covers it, or, for symbols without a size, the nearest
   function below it.  NULL when none. */
const emu_symbol *emu_symtab_lookup(emu_symtab *t, uint64_t addr);

size_t emu_symtab_count(const emu_symtab *t);

#endif
