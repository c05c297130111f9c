/* Decoder and engine fuzzing: pages of random instruction words run in user mode and on a
 * system-mode machine (random MSR, MMU and FPSCR settings included) must only ever end in guest
 * stops or exceptions: never a host crash, abort or hang.  Fixed seeds; run it under
 * --enable-sanitizers to catch memory errors too. */
#include <stdio.h>
#include "../tap.h"
#include "clock/clock.h"
#include "emu/memory.h"
#include "exec/exec.h"
#include "object.h"
#include "plugins.h"
#include "ppc-harness.h"

#define CODE 0x10000000u
#define DATA 0x20000000u

static uint64_t rs;
static uint32_t rnd32(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (uint32_t)rs;
}

/* Mostly valid-looking words: random primary opcodes with random fields, some pure noise. */
static uint32_t random_insn(void)
{
    uint32_t w = rnd32();
    if (rnd32() % 4 == 0)
        return w;
    static const unsigned common[] = { 14, 15, 24, 31, 31, 31, 32, 36, 19, 16, 18, 21, 20, 63, 59,
                                       48, 50, 52, 54, 46, 47, 11, 10, 17, 31, 28 };
    return (w & 0x03ffffffu) | (uint32_t)common[rnd32() % (sizeof common / sizeof *common)] << 26;
}

static void fuzz_user(unsigned rounds)
{
    ph h;
    if (ph_init(&h, "ppc750") < 0) {
        ok(0, "user-mode CPU");
        return;
    }
    ph_map(&h, DATA, 0x10000, EMU_USER_PAGE_READ | EMU_USER_PAGE_WRITE);
    unsigned stops[16] = { 0 };
    for (unsigned r = 0; r < rounds; r++) {
        uint32_t words[1024];
        for (unsigned i = 0; i < 1024; i++)
            words[i] = random_insn();
        ph_code(&h, CODE, words, 1024);
        for (unsigned i = 0; i < 32; i++) {
            char n[8];
            snprintf(n, sizeof n, "r%u", i);
            ph_set(&h, n, rnd32() % 2 ? DATA + (rnd32() & 0xfff0) : rnd32());
            snprintf(n, sizeof n, "f%u", i);
            ph_set(&h, n, (uint64_t)rnd32() << 32 | rnd32());
        }
        ph_set(&h, "fpscr", rnd32() & ~0xf8u);   /* no FP exceptions enabled */
        emu_cpu_set_pc(h.cpu, CODE + 4 * (rnd32() % 1024));
        for (unsigned k = 0; k < 200; k++) {
            emu_user_stop st;
            emu_user_stop_kind kind = emu_user_cpu_run(h.cpu, 2000, &st);
            stops[kind & 15]++;
            /* continue after the instruction, like a guest that ignores its signals */
            uint32_t pc = (uint32_t)st.pc;
            if (pc - CODE >= 0x1000 - 4 || kind == EMU_USER_STOP_BUDGET)
                pc = CODE + 4 * (rnd32() % 1024);
            else if (kind != EMU_USER_STOP_SYSCALL)
                pc += 4;
            emu_cpu_set_pc(h.cpu, pc);
        }
    }
    ok(1, "user mode: %u pages of random code ran (syscall %u, fault %u, illegal %u, trap %u, fp %u, align %u, budget %u)",
       rounds, stops[EMU_USER_STOP_SYSCALL], stops[EMU_USER_STOP_FAULT], stops[EMU_USER_STOP_ILLEGAL],
       stops[EMU_USER_STOP_TRAP], stops[EMU_USER_STOP_FP], stops[EMU_USER_STOP_ALIGN],
       stops[EMU_USER_STOP_BUDGET]);
    ph_fini(&h);
}

static void fuzz_system(unsigned rounds)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("fuzz", &err);
    const emu_type *t = emu_plugins_find_type("ppc604", EMU_KIND_CPU, &err);
    emu_space *space = emu_machine_space(m, "system");
    emu_region *ram = emu_region_ram(m, "ram", 4 << 20);
    emu_region_map(emu_space_root(space), 0, ram, 0, &err);
    emu_device *dev = emu_device_new(m, t, "cpu0", &err);
    if (!dev || emu_device_realize(dev, &err) < 0) {
        ok(0, "system-mode CPU: %s", err ? emu_error_message(err) : "?");
        return;
    }
    emu_cpu *cpu = emu_cpu_from_device(dev);
    uint64_t total = 0;
    for (unsigned r = 0; r < rounds; r++) {
        /* random code everywhere in the first 64 KiB, vectors included */
        for (uint32_t a = 0; a < 0x10000; a += 4)
            emu_space_write(space, a, 4, EMU_BIG_ENDIAN, random_insn());
        emu_machine_invalidate_code(m, 0, 0x10000);
        for (unsigned i = 0; i < emu_cpu_reg_count(cpu); i++) {
            const char *n = emu_cpu_reg_info(cpu, i)->name;
            if (strcmp(n, "pc") && strcmp(n, "dec"))
                emu_cpu_reg_write(cpu, i, (uint64_t)rnd32() << 32 | rnd32());
        }
        emu_cpu_reg_write(cpu, (unsigned)emu_cpu_reg_find(cpu, "sdr1"), 0x00100000);
        emu_cpu_set_pc(cpu, 4 * (rnd32() % 0x4000));
        for (unsigned k = 0; k < 20; k++) {
            uint64_t n = 0;
            if (emu_exec_run(m, 5000, &n) == EMU_EXEC_IDLE)
                emu_cpu_set_pc(cpu, 4 * (rnd32() % 0x4000));   /* wake a dozing CPU */
            total += n;
            emu_clock_advance_to(m, emu_clock_ns(m) + n);
            emu_clock_run_due(m);
        }
    }
    ok(1, "system mode: %u rounds of random code and state ran (%llu instructions)", rounds,
       (unsigned long long)total);
    emu_machine_free(m);
}

int main(int argc, char **argv)
{
    unsigned rounds = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 200;
    rs = argc > 2 ? strtoull(argv[2], NULL, 0) | 1 : 0x2545f4914f6cdd1dull;
    fuzz_user(rounds);
    fuzz_system(rounds);
    tap_done();
    return 0;
}
