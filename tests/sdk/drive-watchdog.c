/* Register-level driver for the example-wdt plugin: loads the module given on
 * the command line (built out of tree against the installed SDK), maps it in
 * a machine with no CPU and drives its registers, lines and timer through
 * the core, printing TAP lines.  Usage: drive-watchdog MODULE.so */
#include "drive.h"
#include "state.h"

#define BASE        0x10000000u
#define REG_ID      0x00
#define REG_CTRL    0x04
#define REG_LOAD    0x08
#define REG_VALUE   0x0c
#define REG_KICK    0x10
#define REG_STATUS  0x14
#define EN          1u
#define IRQ_EN      2u
#define RESET_EN    4u
#define KICK_KEY    0x4b49434bu
#define US          1000u    /* ns; the device below counts 1 MHz ticks */

static emu_space *sys;
static int reset_pulses;

static uint64_t rd(unsigned reg)
{
    uint64_t v = 0xdeadbeef;
    if (emu_space_read(sys, BASE + reg, 4, EMU_LITTLE_ENDIAN, &v) != EMU_MEM_OK)
        tap_diag("read of 0x%x failed", reg);
    return v;
}

static void wr(unsigned reg, uint32_t v)
{
    if (emu_space_write(sys, BASE + reg, 4, EMU_LITTLE_ENDIAN, v) != EMU_MEM_OK)
        tap_diag("write of 0x%x failed", reg);
}

static void observe(void *opaque, emu_device *dev, const char *line, unsigned index, int level)
{
    (void)opaque;
    (void)index;
    if (!strcmp(dev->id, "probe") && !strcmp(line, "reset") && level)
        reset_pulses++;
}

/* A machine with the watchdog at BASE, its `freeze` driven by the probe's `irq` and its
   `reset` into the probe's `reset`, reset and ready.  NULL after a failed test. */
static emu_machine *build(const char *name)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new(name, &err);
    static const char *const wdt_props[] = { "clock-hz", "1000000", "timeout", "1000", NULL };
    emu_device *wdt = m ? drive_make(m, "example-wdt", "wdt", wdt_props, &err) : NULL;
    emu_device *probe = wdt ? drive_make(m, "tp-widget", "probe", NULL, &err) : NULL;
    if (!probe) {
        tap_ok(0, "machine with the watchdog: %s", emu_error_message(err));
        return NULL;
    }
    sys = emu_machine_space(m, "system");
    m->line_observer = observe;
    ok(emu_region_map(emu_space_root(sys), BASE, emu_device_region(wdt, "regs"), 0, &err) == 0 &&
       emu_line_connect(probe, "irq", 0, wdt, "freeze", 0, &err) == 0 &&
       emu_line_connect(wdt, "reset", 0, probe, "reset", 0, &err) == 0,
       "%s: 'regs' maps, freeze and reset wire up", name);
    emu_machine_reset(m);
    return m;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s MODULE.so\n", argv[0]);
        return 2;
    }
    emu_error *err = NULL;
    ok(emu_plugins_load_path(argv[1], &err) == 0, "the out-of-tree module loads: %s",
       err ? emu_error_message(err) : argv[1]);
    /* A test plugin with an input and an output, to drive `freeze` and watch `reset`. */
    emu_plugins_load_path(EMU_BUILDDIR "/tests/plugins/good/tp_good.la", NULL);
    if (drive_capture_log() < 0)
        return tap_ok(0, "a temporary log file"), tap_done();

    emu_machine *m = build("drive-watchdog");
    if (!m)
        return tap_done();
    emu_device *wdt = emu_machine_device(m, "wdt");
    emu_device *probe = emu_machine_device(m, "probe");
    emu_line *irq = emu_device_output(wdt, "irq", 0);
    emu_line *freeze = emu_device_output(probe, "irq", 0);

    is_u64(rd(REG_ID), 0x57445401, "ID reads 'WDT' version 1");
    is_u64(rd(REG_CTRL), 0, "stopped after reset");
    is_u64(rd(REG_LOAD), 1000, "LOAD is the timeout property");
    is_u64(rd(REG_VALUE), 1000, "VALUE holds a full period while stopped");

    wr(REG_CTRL, EN | IRQ_EN);
    drive_advance_to(m, 400 * US);
    is_u64(rd(REG_VALUE), 600, "counts down at clock-hz");
    ok(!emu_line_level(irq), "irq low before the timeout");
    drive_advance_to(m, 1000 * US);
    is_u64(rd(REG_STATUS), 1, "STATUS.TIMEOUT set at the timeout");
    ok(emu_line_level(irq), "irq high after the timeout");
    is_u64(rd(REG_VALUE), 1000, "reloaded for the next period");
    wr(REG_STATUS, 1);
    ok(!emu_line_level(irq) && rd(REG_STATUS) == 0, "writing 1 to STATUS clears it and the irq");

    drive_advance_to(m, 1700 * US);
    wr(REG_KICK, 0x1234);
    is_u64(rd(REG_VALUE), 300, "a wrong kick key does not reload");
    wr(REG_KICK, KICK_KEY);
    is_u64(rd(REG_VALUE), 1000, "the kick key reloads");

    emu_line_set(freeze, 1);
    drive_advance_to(m, 5000 * US);
    is_u64(rd(REG_VALUE), 1000, "frozen: the counter stands still");
    ok(!emu_line_level(irq), "frozen: no timeout");
    emu_line_set(freeze, 0);
    drive_advance_to(m, 5250 * US);
    is_u64(rd(REG_VALUE), 750, "thawed: counting resumes where it stopped");

    wr(REG_CTRL, EN | IRQ_EN | RESET_EN);
    /* Timeouts at 6000 us (the first: irq) and 7000 us (the second: reset). */
    drive_advance_to(m, 6999 * US);
    is_u64(reset_pulses, 0, "no reset before the second timeout");
    drive_advance_to(m, 7000 * US);
    is_u64(reset_pulses, 1, "the second timeout without a kick pulses reset once");
    is_u64(rd(REG_STATUS), 3, "STATUS shows TIMEOUT and BITE");

    wr(REG_VALUE, 5);
    wr(REG_LOAD, 0);
    const char *text = drive_log_text();
    ok(strstr(text, "emu: wdt: KICK written with 0x00001234") != NULL,
       "a wrong kick key is logged as a guest error, with the device id");
    ok(strstr(text, "write of read-only register 0x0c") != NULL, "a write to VALUE is logged");
    ok(strstr(text, "LOAD 0 ignored") != NULL, "LOAD 0 is refused and logged");
    is_u64(rd(REG_LOAD), 1000, "LOAD keeps its value");
    uint64_t v;
    ok(emu_space_read(sys, BASE + REG_ID, 2, EMU_LITTLE_ENDIAN, &v) != EMU_MEM_OK,
       "a 2-byte access is refused by the core (valid size 4 only)");

    /* Save in the middle of a period, with TIMEOUT still set, and restore into a new machine. */
    drive_advance_to(m, 7300 * US);
    emu_snapshot snap;
    ok(emu_machine_save_state(m, &snap, &err) == 0, "the machine's state saves");
    emu_machine *m2 = build("restored");
    if (!m2)
        return tap_done();
    int pulses = reset_pulses;
    ok(emu_machine_load_state(m2, &snap, &err) == 0, "and restores into a second machine: %s",
       err ? emu_error_message(err) : "");
    is_u64(rd(REG_CTRL), EN | IRQ_EN | RESET_EN, "restored CTRL");
    is_u64(rd(REG_STATUS), 3, "restored STATUS");
    is_u64(rd(REG_VALUE), 700, "restored VALUE: the time left in the period");
    ok(emu_line_level(emu_device_output(emu_machine_device(m2, "wdt"), "irq", 0)),
       "restored irq level");
    drive_advance_to(m2, 699 * US);
    is_u64(reset_pulses, pulses, "the restored counter has not run out early");
    drive_advance_to(m2, 700 * US);
    is_u64(reset_pulses, pulses + 1, "and runs out on time, pulsing reset");
    emu_machine_free(m2);

    /* A snapshot whose CTRL field holds reserved bits is refused by the device. */
    static const uint8_t ctrl_rec[] = { 4, 0, 'c', 't', 'r', 'l', 8, 0, 0, 0 };
    uint8_t *at = memmem(snap.data, snap.len, ctrl_rec, sizeof ctrl_rec);
    if (at)
        at[sizeof ctrl_rec] = 0xff;
    emu_machine *m3 = build("corrupt");
    if (!m3)
        return tap_done();
    emu_error_free(err);
    err = NULL;
    ok(at && emu_machine_load_state(m3, &snap, &err) < 0 && err &&
       strstr(emu_error_message(err), "example-wdt 'wdt'") &&
       strstr(emu_error_message(err), "saved ctrl 0xff is out of range"),
       "a bad saved CTRL is refused: %s", err ? emu_error_message(err) : "");
    emu_machine_free(m3);
    emu_snapshot_free(&snap);
    sys = emu_machine_space(m, "system");

    static const char *const fast[] = { "clock-hz", "1000000000", "timeout", "10", NULL };
    emu_error_free(err);
    err = NULL;
    emu_device *bad_dev = drive_make(m, "example-wdt", "fast", fast, &err);
    ok(!bad_dev && err &&
       strstr(emu_error_message(err), "example-wdt 'fast'") &&
       strstr(emu_error_message(err), "timeout of 10 ticks at clock-hz 1000000000 is 10 ns"),
       "realize refuses a period under 1 us, naming the device: %s", err ? emu_error_message(err) : "");
    emu_error_free(err);

    emu_machine_free(m);
    drive_end_log();
    emu_plugins_shutdown();
    return tap_done();
}
