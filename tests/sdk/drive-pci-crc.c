/* Register-level driver for the example-pci-crc plugin: loads the module given on the command
 * line (built out of tree against the installed SDK), puts it on the build tree's generic PCI
 * bus in a machine with RAM and no CPU, and drives configuration space, BAR 0, DMA and INTx,
 * printing TAP lines.  Usage: drive-pci-crc MODULE.so */
#include "drive.h"
#include "emu/pci.h"
#include "state.h"

#define BAR_ADDR    0x80000000u
#define BUF         0x1000u
#define DEVFN       EMU_PCI_DEVFN(5, 0)   /* slot 5: INTA swizzles to intx[1] (INTB) */
#define REG_ID      0x00
#define REG_ADDR_LO 0x04
#define REG_ADDR_HI 0x08
#define REG_LEN     0x0c
#define REG_CTRL    0x10
#define REG_STATUS  0x14
#define REG_RESULT  0x18
#define START       1u
#define IRQ_EN      2u
#define DONE        1u
#define ERROR       2u

static emu_space *pcimem;
static emu_device *bus;
static const emu_pci_bus_ops *pci;

static uint64_t rd(unsigned reg)
{
    uint64_t v = 0;
    if (emu_space_read(pcimem, BAR_ADDR + reg, 4, EMU_LITTLE_ENDIAN, &v) != EMU_MEM_OK)
        return 0xdead0000u | reg;
    return v;
}

static void wr(unsigned reg, uint32_t v)
{
    emu_space_write(pcimem, BAR_ADDR + reg, 4, EMU_LITTLE_ENDIAN, v);
}

static uint32_t cfg_rd(unsigned reg, unsigned size)
{
    return pci->config_read(bus, 0, DEVFN, reg, size);
}

static void cfg_wr(unsigned reg, uint32_t v, unsigned size)
{
    pci->config_write(bus, 0, DEVFN, reg, v, size);
}

/* A machine with 1 MiB of RAM, PCI I/O and memory spaces, a pci-bus whose DMA window is the
   RAM, and the engine in slot 5, reset; the globals point at it.  NULL after a failed test. */
static emu_machine *build(const char *name)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new(name, &err);
    emu_region *ram = m ? emu_region_ram(m, "ram", 0x100000) : NULL;
    if (!ram || !emu_space_new(m, "pci-io", 0x10000, &err) ||
        !(pcimem = emu_space_new(m, "pci-mem", 0, &err)) ||
        emu_region_map(emu_space_root(emu_machine_space(m, "system")), 0, ram, 0, &err) < 0) {
        tap_ok(0, "%s: RAM and PCI spaces: %s", name, err ? emu_error_message(err) : "");
        return NULL;
    }
    static const char *const bus_props[] = { "dma-size", "1M", NULL };
    static const char *const crc_props[] = { "bus", "pci", "devfn", "40", "ns-per-byte", "10", NULL };
    bus = drive_make(m, "pci-bus", "pci", bus_props, &err);
    if (!bus || !drive_make(m, "example-pci-crc", "crc", crc_props, &err)) {
        tap_ok(0, "%s: create and realize: %s", name, emu_error_message(err));
        return NULL;
    }
    pci = emu_pci_bus(bus);
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
    if (emu_plugins_load_path(EMU_BUILDDIR "/plugins/devices/pci/pci-bus.la", &err) < 0) {
        printf("1..0 # SKIP the generic PCI bus plugin is not built: %s\n", emu_error_message(err));
        return 0;
    }
    if (drive_capture_log() < 0)
        return tap_ok(0, "a temporary log file"), tap_done();

    emu_machine *m = build("drive-pci-crc");
    if (!m)
        return tap_done();
    emu_space *sys = emu_machine_space(m, "system");
    emu_line *intb = emu_device_output(bus, "intx", 1);

    is_u64(cfg_rd(EMU_PCI_VENDOR_ID, 4), 0xc3201234, "vendor 0x1234, device 0xc320 in slot 5");
    is_u64(cfg_rd(EMU_PCI_CLASS_DEVICE, 2), 0xff00, "class 0xff00");
    is_u64(cfg_rd(EMU_PCI_INTERRUPT_PIN, 1), 1, "interrupt pin INTA");
    cfg_wr(EMU_PCI_BAR0, 0xffffffff, 4);
    is_u64(cfg_rd(EMU_PCI_BAR0, 4), 0xfffff000, "BAR 0 sizes as 4 KiB of 32-bit memory");
    cfg_wr(EMU_PCI_BAR0, BAR_ADDR, 4);
    is_u64(rd(REG_ID), 0xdead0000, "BAR 0 not decoded while memory space is off");
    cfg_wr(EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER, 2);
    is_u64(rd(REG_ID), 0x43524331, "ID reads 'CRC1' at the programmed BAR");

    static const char check[] = "123456789";
    emu_space_write_bytes(sys, BUF, check, 9, false);
    wr(REG_ADDR_LO, BUF);
    wr(REG_ADDR_HI, 0);
    wr(REG_LEN, 9);
    wr(REG_CTRL, START | IRQ_EN);
    is_u64(rd(REG_CTRL), START | IRQ_EN, "CTRL.START reads 1 while the job runs");
    drive_advance_to(m, 89);
    ok(rd(REG_STATUS) == 0 && !emu_line_level(intb), "not done before 9 bytes x 10 ns");
    drive_advance_to(m, 90);
    is_u64(rd(REG_STATUS), DONE, "STATUS.DONE after 90 ns");
    is_u64(rd(REG_RESULT), 0xcbf43926, "RESULT is the CRC-32 check value of \"123456789\"");
    ok(emu_line_level(intb), "INTA of slot 5 asserts the bus's INTB line");
    ok(cfg_rd(EMU_PCI_STATUS, 2) & EMU_PCI_STATUS_INTERRUPT, "config status shows the interrupt");
    wr(REG_STATUS, DONE);
    ok(!emu_line_level(intb), "writing 1 to STATUS.DONE deasserts INTA");

    cfg_wr(EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY, 2);
    wr(REG_CTRL, START | IRQ_EN);
    drive_advance_to(m, 1000);
    is_u64(rd(REG_STATUS), ERROR, "with bus mastering off the job ends in STATUS.ERROR");
    ok(strstr(drive_log_text(), "crc: DMA read of 9 bytes at 0x1000 while bus mastering is disabled")
       != NULL, "the bus logs the refused DMA as a guest error of the device");
    is_u64(rd(REG_RESULT), 0xcbf43926, "RESULT keeps the last good CRC");
    wr(REG_STATUS, ERROR);

    cfg_wr(EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER |
           EMU_PCI_COMMAND_INTX_DISABLE, 2);
    emu_space_write_bytes(sys, BUF, "", 1, false);
    wr(REG_LEN, 0);
    wr(REG_CTRL, START | IRQ_EN);
    drive_advance_to(m, 1000);
    ok(rd(REG_STATUS) == DONE && rd(REG_RESULT) == 0, "an empty buffer is done at once with CRC 0");
    ok(!emu_line_level(intb), "INTx-disable in the command register keeps INTA off the bus");

    wr(REG_LEN, 0x200000);
    is_u64(rd(REG_LEN), 0x100000, "LEN is capped at 1 MiB");
    ok(strstr(drive_log_text(), "LEN 2097152 is over the 1048576 byte limit") != NULL,
       "an oversized LEN is logged");

    /* Save in the middle of a job (9 bytes at 10 ns each, 40 ns in), restore into a new
       machine.  Guest RAM and the bus's configuration are not part of the engine's state:
       the test puts them back as the rest of a restored machine would. */
    cfg_wr(EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER, 2);
    emu_space_write_bytes(sys, BUF, check, 9, false);
    wr(REG_STATUS, DONE | ERROR);
    wr(REG_LEN, 9);
    uint64_t t0 = emu_clock_ns(m);
    wr(REG_CTRL, START | IRQ_EN);
    drive_advance_to(m, t0 + 40);
    emu_snapshot snap;
    ok(emu_machine_save_state(m, &snap, &err) == 0, "state saves with a job running");
    emu_machine *m1 = m;
    emu_device *bus1 = bus;
    emu_space *pcimem1 = pcimem;
    emu_machine *m2 = build("restored");
    if (!m2)
        return tap_done();
    ok(emu_machine_load_state(m2, &snap, &err) == 0, "and restores into a second machine: %s",
       err ? emu_error_message(err) : "");
    emu_snapshot_free(&snap);
    cfg_wr(EMU_PCI_BAR0, BAR_ADDR, 4);
    cfg_wr(EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY | EMU_PCI_COMMAND_MASTER, 2);
    emu_space_write_bytes(emu_machine_space(m2, "system"), BUF, check, 9, false);
    ok(rd(REG_CTRL) == (START | IRQ_EN) && rd(REG_LEN) == 9 && rd(REG_ADDR_LO) == BUF,
       "restored: busy, with its length and address");
    drive_advance_to(m2, 49);
    is_u64(rd(REG_STATUS), 0, "restored job not done before its remaining 50 ns");
    drive_advance_to(m2, 50);
    ok(rd(REG_STATUS) == DONE && rd(REG_RESULT) == 0xcbf43926 &&
       emu_line_level(emu_device_output(bus, "intx", 1)), "restored job completes with the right CRC and INTA");
    emu_machine_free(m2);
    m = m1;
    bus = bus1;
    pcimem = pcimem1;
    pci = emu_pci_bus(bus);
    drive_advance_to(m, t0 + 1000);
    wr(REG_STATUS, DONE);

    emu_machine_reset(m);
    ok(cfg_rd(EMU_PCI_COMMAND, 2) == 0 && rd(REG_ID) == 0xdead0000,
       "machine reset: command register cleared, BAR 0 no longer decoded");
    cfg_wr(EMU_PCI_BAR0, BAR_ADDR, 4);
    cfg_wr(EMU_PCI_COMMAND, EMU_PCI_COMMAND_MEMORY, 2);
    ok(rd(REG_STATUS) == 0 && rd(REG_RESULT) == 0 && rd(REG_LEN) == 0,
       "machine reset: the engine's registers are cleared");

    static const char *const not_bus[] = { "bus", "crc", NULL };
    emu_device *bad = drive_make(m, "example-pci-crc", "crc2", not_bus, &err);
    ok(!bad && err && strstr(emu_error_message(err), "example-pci-crc 'crc2'") &&
       strstr(emu_error_message(err), "'crc' is not a PCI bus"),
       "realize refuses a bus that is not a PCI bus: %s", err ? emu_error_message(err) : "");
    emu_error_free(err);
    err = NULL;
    static const char *const taken[] = { "bus", "pci", "devfn", "40", NULL };
    bad = drive_make(m, "example-pci-crc", "crc3", taken, &err);
    ok(!bad && err && strstr(emu_error_message(err), "example-pci-crc 'crc3'"),
       "realize passes on the bus's refusal of a taken slot: %s", err ? emu_error_message(err) : "");
    emu_error_free(err);

    emu_machine_free(m);
    drive_end_log();
    emu_plugins_shutdown();
    return tap_done();
}
