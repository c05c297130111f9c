/* System-mode test machine helpers for the PowerPC tests that run bare-metal code on an
 * in-process machine (RAM + a ppc604): the machine's pieces, writing code and reading words in
 * its system space, CPU registers by name, and the supervisor instructions both use. */
#ifndef EMU_TESTS_PPC_SYS_H
#define EMU_TESTS_PPC_SYS_H

#include <stdio.h>
#include "emu/memory.h"
#include "exec/exec.h"
#include "object.h"
#include "plugins.h"
#include "ppc-harness.h"

#define MTMSR(s) P_X(31, s, 0, 0, 146, 0)
#define MFMSR(t) P_X(31, t, 0, 0, 83, 0)
#define MTSPR(spr, s) P_X(31, s, (spr) & 31, (spr) >> 5, 467, 0)
#define MFSPR(t, spr) P_X(31, t, (spr) & 31, (spr) >> 5, 339, 0)
#define ISYNC 0x4c00012cu
#define RFI 0x4c000064u

typedef struct sys {
    emu_machine *m;
    emu_space *space;
    emu_device *dev;
    emu_cpu *cpu;
} sys;

/* Build the machine: 16 MiB of RAM at 0 and a realized ppc604 `cpu0`.  False when it cannot
   be had, after printing the TAP skip or bail-out line; *status is then the exit status. */
static inline bool sys_open(sys *s, const char *name, int *status)
{
    emu_error *err = NULL;
    memset(s, 0, sizeof *s);
    s->m = emu_machine_new(name, &err);
    const emu_type *t = s->m ? emu_plugins_find_type("ppc604", EMU_KIND_CPU, &err) : NULL;
    if (!t) {
        printf("1..0 # SKIP no ppc604 CPU type (%s)\n", err ? emu_error_message(err) : "?");
        *status = 0;
        return false;
    }
    s->space = emu_machine_space(s->m, "system");
    emu_region *ram = emu_region_ram(s->m, "ram", 16 << 20);
    s->dev = emu_region_map(emu_space_root(s->space), 0, ram, 0, &err) < 0
             ? NULL : emu_device_new(s->m, t, "cpu0", &err);
    if (!s->dev || emu_device_realize(s->dev, &err) < 0) {
        printf("Bail out! %s\n", err ? emu_error_message(err) : "cannot build the machine");
        *status = 1;
        return false;
    }
    s->cpu = emu_cpu_from_device(s->dev);
    return true;
}

/* Write n big-endian words at addr. */
static inline void put(sys *s, uint32_t addr, const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++)
        emu_space_write(s->space, addr + 4 * i, 4, EMU_BIG_ENDIAN, w[i]);
}

static inline uint32_t get(sys *s, uint32_t addr)
{
    uint64_t v = 0;
    emu_space_read(s->space, addr, 4, EMU_BIG_ENDIAN, &v);
    return (uint32_t)v;
}

/* A CPU register by name. */
static inline uint64_t reg(sys *s, const char *n)
{
    return emu_cpu_reg_read(s->cpu, (unsigned)emu_cpu_reg_find(s->cpu, n));
}

static inline void set(sys *s, const char *n, uint64_t v)
{
    emu_cpu_reg_write(s->cpu, (unsigned)emu_cpu_reg_find(s->cpu, n), v);
}

#endif
