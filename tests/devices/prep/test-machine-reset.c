/* machine.reset and machine.poweroff, end to end: a PowerPC program in ROM resets the machine
 * through the PReP system I/O port 0x92, then through the M48T59 watchdog, then powers it off
 * with the 8042's 0xFE command, each output wired to the machine's own inputs in a machine file.
 * Each boot records what it finds in RAM: the CPU and the devices start from their power-on
 * state every time, RAM keeps its contents, guest time goes on.  Then the machine file errors
 * around the reserved id "machine". */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include "../../tap.h"
#include "clock/clock.h"
#include "config/machine-file.h"
#include "emu/emu.h"
#include "object.h"
#include "run.h"

/* PowerPC instruction encodings the program uses. */
#define D(op, rt, ra, d)  ((uint32_t)(op) << 26 | (uint32_t)(rt) << 21 | (uint32_t)(ra) << 16 | ((uint32_t)(d) & 0xffff))
#define LWZ(rt, d, ra)    D(32, rt, ra, d)
#define STW(rs, d, ra)    D(36, rs, ra, d)
#define LBZ(rt, d, ra)    D(34, rt, ra, d)
#define STB(rs, d, ra)    D(38, rs, ra, d)
#define ADDI(rt, ra, v)   D(14, rt, ra, v)
#define LI(rt, v)         ADDI(rt, 0, v)
#define LIS(rt, v)        D(15, rt, 0, v)
#define CMPWI(ra, v)      D(11, 0, ra, v)
#define SLWI(ra, rs, n)   (21u << 26 | (uint32_t)(rs) << 21 | (uint32_t)(ra) << 16 | (n) << 11 | (31u - (n)) << 1)
#define MFMSR(rt)         (31u << 26 | (uint32_t)(rt) << 21 | 83u << 1)
#define BEQ(insns)        (16u << 26 | 12u << 21 | 2u << 16 | ((uint32_t)((insns) * 4) & 0xfffc))
#define B(insns)          (18u << 26 | ((uint32_t)((insns) * 4) & 0x3fffffc))

enum { COUNT = 0x100, SLOTS = 0x200, KEPT = 0x300 };

/* At 0xfff00100.  Boot n (1, 2, 3; counted in RAM at COUNT) stores at SLOTS + 16n: r5, port
   0x92, the system control register 0x81C, the MSR; then dirties r5 and register 0x81C and
   resets (boot 1: port 0x92; boot 2: the watchdog, after 1/16 s) or powers off (boot 3). */
static const uint32_t program[] = {
    /*  0 */ LWZ(3, COUNT, 0), ADDI(3, 3, 1), STW(3, COUNT, 0), SLWI(4, 3, 4),
    /*  4 */ STW(5, SLOTS, 4), LIS(6, 0x8000), LBZ(7, 0x92, 6), STW(7, SLOTS + 4, 4),
    /*  8 */ LBZ(7, 0x81c, 6), STW(7, SLOTS + 8, 4), MFMSR(8), STW(8, SLOTS + 12, 4),
    /* 12 */ LI(5, 0x1234), LI(9, 5), STB(9, 0x81c, 6), CMPWI(3, 1),
    /* 16 */ BEQ(20 - 16), CMPWI(3, 2), BEQ(23 - 18), B(30 - 19),
    /* 20 */ LI(9, 1), STB(9, 0x92, 6), B(0),
    /* 23 */ LI(9, 0xf7), STB(9, 0x74, 6), LI(9, 0x1f), STB(9, 0x75, 6),
    /* 27 */ LI(9, 0x84), STB(9, 0x77, 6), B(0),
    /* 30 */ LI(9, 0xfe), STB(9, 0x64, 6), B(0),
};

static void write_rom(const char *name)
{
    uint8_t rom[0x100 + sizeof program] = { 0 };
    for (size_t i = 0; i < sizeof program / 4; i++)
        for (int b = 0; b < 4; b++)
            rom[0x100 + 4 * i + b] = (uint8_t)(program[i] >> (24 - 8 * b));
    FILE *f = fopen(name, "wb");
    if (!f || fwrite(rom, 1, sizeof rom, f) != sizeof rom || fclose(f)) {
        perror(name);
        exit(1);
    }
}

/* The machine, with `wires` as the devices' irq entries (prep-systemio, m48t59, i8042). */
static const char machine_fmt[] =
    "emu-machine: 1\n"
    "name: reset-test\n"
    "cpus: { cpu0: { type: ppc604 } }\n"
    "memory:\n"
    "  ram: { kind: ram, size: 64K, map: system@0x0 }\n"
    "  rom: { kind: rom, size: 1M, file: rom.bin, map: system@0xfff00000 }\n"
    "devices:\n"
    "  sysio:\n"
    "    type: prep-systemio\n"
    "    map: { port92: system@0x80000092, io: system@0x80000808, parity: system@0xbfffeff0 }\n"
    "    irq: { %s }\n"
    "  nvram: { type: m48t59, map: { io: system@0x80000074 }, irq: { %s } }\n"
    "  kbd:\n"
    "    type: i8042\n"
    "    map: { data: system@0x80000060, command: system@0x80000064 }\n"
    "    irq: { %s }\n";

/* A machine that never resets spins in `b .` forever: end the run after a while instead. */
static emu_machine *running;
static void give_up(int sig)
{
    (void)sig;
    emu_machine_request_quit(running, 99);
}

static uint32_t ram32(emu_machine *m, uint64_t addr)
{
    uint64_t v = 0;
    emu_space_read(emu_machine_space(m, "system"), addr, 4, EMU_BIG_ENDIAN, &v);
    return (uint32_t)v;
}

static void test_three_boots(void)
{
    write_rom("rom.bin");
    tap_write_file("reset.yaml", machine_fmt, "soft-reset: machine.reset", "reset: machine.reset",
               "reset: machine.poweroff");
    emu_error *err = NULL;
    emu_machine *m = emu_machine_load("reset.yaml", NULL, 0, &err);
    ok(m != NULL, "a machine wiring outputs to machine.reset and machine.poweroff loads");
    if (!m) {
        tap_diag("  %s", emu_error_message(err));
        emu_error_free(err);
        return;
    }
    emu_device *lines = emu_machine_device(m, "machine");
    ok(lines && !strcmp(lines->type->name, "machine"), "the machine's lines are device 'machine'");
    emu_space_write(emu_machine_space(m, "system"), KEPT, 4, EMU_BIG_ENDIAN, 0xc0ffee42);

    running = m;
    signal(SIGALRM, give_up);
    alarm(20);
    int code = emu_machine_run(m);
    alarm(0);
    is_u64(code, 0, "the 8042's pulse on machine.poweroff ends the run with status 0");
    is_u64(ram32(m, COUNT), 3, "three boots: port 0x92 and the watchdog reset the machine, "
           "each time a new rising edge");
    for (uint32_t n = 1; n <= 3; n++) {
        uint32_t slot = SLOTS + 16 * n;
        is_u64(ram32(m, slot), 0, "boot %u: r5 is 0 (the CPU's power-on state)", n);
        is_u64(ram32(m, slot + 4), 0, "boot %u: port 0x92 reads 0 (the device was reset)", n);
        is_u64(ram32(m, slot + 8), 0, "boot %u: register 0x81C reads 0 (the device was reset)", n);
        is_u64(ram32(m, slot + 12), 0x40, "boot %u: MSR is MSR[IP] alone (power-on)", n);
    }
    is_u64(ram32(m, KEPT), 0xc0ffee42, "RAM written before the resets is kept");
    ok(emu_clock_ns(m) >= 62500000, "guest time went on past the watchdog's 1/16 s (%llu ns)",
       (unsigned long long)emu_clock_ns(m));
    emu_machine_free(m);
}

/* The 8042 raises its A20 output when it is reset: wired to machine.reset, the power-on reset
   itself makes a rising edge, which that reset answers (no second reset when the run starts). */
static void test_request_during_reset(void)
{
    tap_write_file("a20.yaml", machine_fmt, "soft-reset: machine.reset", "reset: machine.reset",
               "a20: machine.reset");
    emu_error *err = NULL;
    emu_machine *m = emu_machine_load("a20.yaml", NULL, 0, &err);
    ok(m && !m->reset_requested, "a reset request made while the machine is being reset is "
       "answered by that reset");
    if (!m)
        tap_diag("  %s", emu_error_message(err));
    emu_error_free(err);
    emu_machine_free(m);
    unlink("a20.yaml");
}

/* `wire` on the system I/O's soft-reset output (or the whole devices section in `devices`)
   is refused at FILE:LINE:COL with a message containing `fragment`. */
static void refused(const char *devices, const char *wire, const char *where, const char *fragment,
                    const char *what)
{
    if (devices)
        tap_write_file("bad.yaml", "emu-machine: 1\nname: bad\ndevices:\n%s", devices);
    else
        tap_write_file("bad.yaml", machine_fmt, wire, "irq: machine.reset", "kbd-irq: sysio");
    emu_error *err = NULL;
    int rc = emu_machine_check("bad.yaml", NULL, 0, &err);
    const char *msg = err ? emu_error_message(err) : "(accepted)";
    ok(rc < 0 && !strncmp(msg, where, strlen(where)) && strstr(msg, fragment), "%s", what);
    if (rc == 0 || strncmp(msg, where, strlen(where)) || !strstr(msg, fragment))
        tap_diag("  got '%s', want '%s' ... '%s'", msg, where, fragment);
    emu_error_free(err);
}

static void test_errors(void)
{
    refused(NULL, "soft-reset: machine.reboot", "bad.yaml:11:24: ",
            "device 'sysio': irq: machine: no input line 'reboot' (valid: reset, poweroff)",
            "machine.NAME must name one of its inputs");
    refused(NULL, "soft-reset: machine", "bad.yaml:11:24: ",
            "irq: machine: name the input (valid: reset, poweroff)",
            "a bare 'machine' target is refused (no default input)");
    refused(NULL, "soft-reset: machine.0", "bad.yaml:11:24: ", "no input line '0'",
            "machine inputs are named, not numbered");
    refused(NULL, "soft-reset: [machine.reset, machine.reset]", "bad.yaml:11:40: ",
            "output 'soft-reset[0]' is wired to machine.reset[0] twice",
            "the same wire to machine.reset twice is refused");
    refused(NULL, "soft-reset: sysio2.reset", "bad.yaml:11:24: ",
            "no cpu or device 'sysio2' (ids: cpu0, sysio, nvram, kbd); the machine's own inputs "
            "are machine.reset, machine.poweroff", "an unknown target lists the machine's inputs too");
    refused("  machine: { type: i8042 }\n", NULL, "bad.yaml:4:3: ",
            "the id 'machine' is reserved for the machine's own inputs",
            "a device cannot take the id 'machine'");
}

int main(void)
{
    char dir[] = "/tmp/emu-test-reset-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0) {
        printf("1..0 # SKIP no temporary folder\n");
        return 0;
    }
    test_three_boots();
    test_request_during_reset();
    test_errors();
    unlink("rom.bin");
    unlink("reset.yaml");
    unlink("bad.yaml");
    if (chdir("/") < 0 || rmdir(dir) < 0)
        tap_diag("could not remove %s", dir);
    return tap_done();
}
