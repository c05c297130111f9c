/* emu SDK: CPUs as the rest of emu sees them — registers, PC, run control.
 *
 * The translator side of a CPU plugin (IR, decoder, MMU walk) is described
 * in ir.h / cpu-plugin.h.  This header is what devices, boards, Lua and a
 * gdb stub use, whatever the guest architecture.
 */
#ifndef EMU_CPU_H
#define EMU_CPU_H

#include "base.h"
#include "device.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emu_cpu emu_cpu;

typedef struct emu_reg_info {
    const char *name;      /* "r3", "pc", "msr", "f1", "cr", "xer", ... (lower case) */
    unsigned bits;         /* 32 or 64 */
    unsigned group;        /* 0 = general, 1 = floating point, 2 = special (gdb order) */
} emu_reg_info;

/* The CPU behind a device of kind EMU_KIND_CPU, or NULL. */
EMU_API emu_cpu *emu_cpu_from_device(emu_device *dev);
/* The device of a CPU. */
EMU_API emu_device *emu_cpu_device(emu_cpu *cpu);
/* The i-th CPU of the machine (creation order), or NULL. */
EMU_API emu_cpu *emu_machine_cpu(emu_machine *m, unsigned i);

/* Its registers: how many, and the description of register i (NULL when out of range). */
EMU_API unsigned emu_cpu_reg_count(emu_cpu *cpu);
EMU_API const emu_reg_info *emu_cpu_reg_info(emu_cpu *cpu, unsigned i);
/* Index of the register called `name`, or -1. */
EMU_API int emu_cpu_reg_find(emu_cpu *cpu, const char *name);
/* Read / write register i. */
EMU_API uint64_t emu_cpu_reg_read(emu_cpu *cpu, unsigned i);
EMU_API void emu_cpu_reg_write(emu_cpu *cpu, unsigned i, uint64_t value);
/* The address of the next instruction. */
EMU_API uint64_t emu_cpu_pc(emu_cpu *cpu);
/* Redirect execution (takes effect at the next instruction). */
EMU_API void emu_cpu_set_pc(emu_cpu *cpu, uint64_t pc);
/* Executed instructions since creation. */
EMU_API uint64_t emu_cpu_icount(emu_cpu *cpu);

/* Guest virtual memory through the CPU's current MMU state (for Lua,
   loaders, debuggers).  0, or -1 when a page is not mapped. */
EMU_API int emu_cpu_read_mem(emu_cpu *cpu, uint64_t vaddr, void *buf, size_t len);
EMU_API int emu_cpu_write_mem(emu_cpu *cpu, uint64_t vaddr, const void *buf, size_t len);

/* Drop translated code for guest physical [addr, addr+len) (code loaded by
   a loader, patched by a debugger). */
EMU_API void emu_machine_invalidate_code(emu_machine *m, uint64_t addr, uint64_t len);

#ifdef __cplusplus
}
#endif
#endif
