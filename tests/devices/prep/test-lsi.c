/* LSI 53C810 tests: SCRIPTS programs written into RAM and started through DSP, as OpenBIOS's
 * and Linux's drivers do: table-indirect selects and block moves for INQUIRY, TEST UNIT
 * READY and REQUEST SENSE; a selection timeout; a READ(10) with disconnect and reselection;
 * phase mismatch on short data; register moves with carry, jumps on phase and data, calls,
 * memory moves, loads and stores, INTFLY; abort and reset; and the PCI header. */
#include <fcntl.h>
#include <unistd.h>
#include "prep-test.h"
#include "backends/backends.h"
#include "emu/pci.h"

#define REGS 0x00100000u          /* BAR 1 in PCI memory */
#define BUS(x) (0x80000000u + (x))   /* RAM as a bus master sees it */
#define SCRIPT 0x1000u
#define TABLE 0x2000u
#define BUF 0x3000u

static emu_space *sys, *mem;
static emu_device *bus;

static uint8_t rd(unsigned r) { return (uint8_t)pt_rd8(mem, REGS + r); }
static void wr(unsigned r, uint8_t v) { pt_wr8(mem, REGS + r, v); }
static void put32(uint32_t addr, uint32_t v) { pt_wr32(sys, addr, v); }
static uint32_t get32(uint32_t addr) { return (uint32_t)pt_rd32(sys, addr); }

/* Write the program (pairs of dwords) at SCRIPT and start it. */
static void run(const uint32_t *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        put32(SCRIPT + 4 * i, p[i]);
    uint32_t dsp = BUS(SCRIPT);
    wr(0x2c, (uint8_t)dsp);
    wr(0x2d, (uint8_t)(dsp >> 8));
    wr(0x2e, (uint8_t)(dsp >> 16));
    wr(0x2f, (uint8_t)(dsp >> 24));
}

/* The OpenBIOS-style table at DSA: id, then { count, address } per phase. */
enum { T_ID = 0, T_MSGOUT = 8, T_CMD = 16, T_DATA = 24, T_STATUS = 32, T_MSGIN = 40 };

static void table(unsigned id, const uint8_t *cdb, unsigned cdb_len, unsigned data_len,
                  unsigned msgin_len)
{
    put32(TABLE + T_ID, id << 16);
    put32(TABLE + T_MSGOUT, 1);
    put32(TABLE + T_MSGOUT + 4, BUS(BUF));
    put32(TABLE + T_CMD, cdb_len);
    put32(TABLE + T_CMD + 4, BUS(BUF + 0x10));
    put32(TABLE + T_DATA, data_len);
    put32(TABLE + T_DATA + 4, BUS(BUF + 0x100));
    put32(TABLE + T_STATUS, 1);
    put32(TABLE + T_STATUS + 4, BUS(BUF + 0x40));
    put32(TABLE + T_MSGIN, msgin_len);
    put32(TABLE + T_MSGIN + 4, BUS(BUF + 0x50));
    emu_space_write_bytes(sys, BUF, "\x80", 1, false);   /* IDENTIFY, LUN 0 */
    emu_space_write_bytes(sys, BUF + 0x10, cdb, cdb_len, false);
    emu_space_write_bytes(sys, BUF + 0x100, (uint8_t[64]){ 0 }, 64, false);
}

#define SELECT 0x47000000u
#define MOVE(phase) (0x10000000u | (phase) << 24)
#define WAIT_DISCONNECT 0x48000000u
#define WAIT_RESELECT 0x50000000u
#define INT 0x98080000u

/* select, message out, command, [data in,] status, message in, disconnect, interrupt */
static const uint32_t with_data[] = {
    SELECT, 0, MOVE(6), T_MSGOUT, MOVE(2), T_CMD, MOVE(1), T_DATA, MOVE(3), T_STATUS,
    MOVE(7), T_MSGIN, WAIT_DISCONNECT, 0, INT, 0x1234,
};
static const uint32_t no_data[] = {
    SELECT, 0, MOVE(6), T_MSGOUT, MOVE(2), T_CMD, MOVE(3), T_STATUS, MOVE(7), T_MSGIN,
    WAIT_DISCONNECT, 0, INT, 0x5678,
};

static char *image(unsigned sectors, unsigned size)
{
    char *path = strdup("/tmp/emu-lsi-XXXXXX");
    int fd = mkstemp(path);
    uint8_t *b = calloc(1, size);
    for (unsigned s = 0; s < sectors; s++) {
        snprintf((char *)b, size, "sector %u", s);
        if (write(fd, b, size) != (ssize_t)size)
            tap_ok(0, "write image");
    }
    free(b);
    close(fd);
    return path;
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("lsi-test", &err);
    sys = emu_machine_space(m, "system");
    pt_space(m, "pci-io", 0x10000);
    mem = pt_space(m, "pci-mem", 0x3f000000);
    emu_region_map(emu_space_root(sys), 0, emu_region_ram(m, "ram", 0x100000), 0, NULL);
    char *disk = image(64, 512), *cd = image(8, 2048);
    ok(emu_backends_add_blockdev(m, "disk", disk, EMU_BLOCK_SNAPSHOT, &err) == 0 &&
       emu_backends_add_blockdev(m, "cd", cd, EMU_BLOCK_RO, &err) == 0, "images");
    bus = pt_device(m, "pci-bus", "pci", (const char *const[]){
        "dma-base=0x80000000", "dma-size=2G", NULL });
    emu_device *lsi = pt_device(m, "lsi53c810", "scsi", (const char *const[]){
        "bus=pci", "devfn=8", "scsi0=disk", "scsi0-media=disk", "scsi2=cd", "scsi2-media=cdrom",
        "scsi3-media=cdrom", NULL });
    if (!bus || !lsi)
        return tap_done();
    emu_machine_reset(m);
    const emu_pci_bus_ops *pci = emu_pci_bus(bus);
    ok(pci->config_read(bus, 0, 8, 0, 4) == 0x00011000, "PCI IDs 1000:0001");
    is_u64(pci->config_read(bus, 0, 8, 0x0a, 2), 0x0100, "class: SCSI");
    is_u64(pci->config_read(bus, 0, 8, 0x0d, 1), 0xff, "latency timer 255");
    is_u64(pci->config_read(bus, 0, 8, 0x2e, 2), 0x1000, "subsystem ID 1000");
    pci->config_write(bus, 0, 8, 0x14, 0xffffffff, 4);
    is_u64(pci->config_read(bus, 0, 8, 0x14, 4), 0xfffffc00, "BAR 1: 1 KiB of registers");
    pci->config_write(bus, 0, 8, 0x14, REGS, 4);
    pci->config_write(bus, 0, 8, 0x04, 0x0006, 2);   /* memory, bus master */
    is_u64(rd(0x04), 7, "SCID: the chip is ID 7");
    is_u64(rd(0x00), 0xc0, "SCNTL0 after reset");

    /* INQUIRY of the disk, as OpenBIOS's probe */
    table(0, (uint8_t[6]){ 0x12, 0, 0, 0, 36, 0 }, 6, 36, 1);
    wr(0x10, (uint8_t)BUS(TABLE)), wr(0x11, (uint8_t)(BUS(TABLE) >> 8));
    wr(0x12, (uint8_t)(BUS(TABLE) >> 16)), wr(0x13, (uint8_t)(BUS(TABLE) >> 24));
    run(with_data, 16);
    is_u64(rd(0x14), 0x01, "ISTAT: DMA interrupt");
    is_u64(rd(0x0c) & 0x7f, 0x04, "DSTAT: SCRIPTS interrupt instruction");
    is_u64(rd(0x14), 0, "reading DSTAT cleared it");
    uint8_t b[64];
    emu_space_read_bytes(sys, BUF + 0x100, b, 36);
    ok(b[0] == 0 && !memcmp(b + 16, "QEMU HARDDISK", 13), "INQUIRY data: a disk");
    is_u64(rd(0x30) | rd(0x31) << 8, 0x1234, "DSPS holds the interrupt vector");
    is_u64(pt_rd8(sys, BUF + 0x40), 0, "status GOOD");
    is_u64(pt_rd8(sys, BUF + 0x50), 0, "message COMMAND COMPLETE");

    /* A selection timeout */
    table(5, (uint8_t[6]){ 0x12, 0, 0, 0, 36, 0 }, 6, 36, 1);
    run(with_data, 16);
    is_u64(rd(0x14), 0x02, "ISTAT: SCSI interrupt for an absent target");
    ok(rd(0x42) == 0 && rd(0x43) == 0x04, "SIST1: selection timeout");

    /* TEST UNIT READY: unit attention after reset, then sense */
    table(2, (uint8_t[6]){ 0 }, 6, 0, 1);
    run(no_data, 14);
    rd(0x0c);
    is_u64(pt_rd8(sys, BUF + 0x40), 2, "TEST UNIT READY: CHECK CONDITION after reset");
    table(2, (uint8_t[6]){ 0x03, 0, 0, 0, 18, 0 }, 6, 18, 1);
    run(with_data, 16);
    rd(0x0c);
    emu_space_read_bytes(sys, BUF + 0x100, b, 18);
    ok(b[2] == 6 && b[12] == 0x29, "REQUEST SENSE: unit attention, power on or reset");
    table(2, (uint8_t[6]){ 0 }, 6, 0, 1);
    run(no_data, 14);
    rd(0x0c);
    is_u64(pt_rd8(sys, BUF + 0x40), 0, "then GOOD");

    /* Short data: READ CAPACITY of the empty drive has none: phase mismatch */
    table(3, (uint8_t[10]){ 0x25 }, 10, 8, 1);
    run(with_data, 16);
    is_u64(rd(0x14), 0x02, "no data where the script wanted some: SCSI interrupt");
    is_u64(rd(0x42), 0x80, "SIST0: phase mismatch");
    is_u64(rd(0x0e) & 7, 3, "the target sits in the status phase");
    table(0, (uint8_t[6]){ 0x12, 0, 0, 0, 36, 0 }, 6, 36, 1);
    run(with_data, 16);
    ok(rd(0x14) == 0x02 && rd(0x42) == 0x80, "a SELECT while connected jumps to its alternate");
    rd(0x43);
    wr(0x14, 0x40);   /* software reset */
    wr(0x14, 0x00);
    is_u64(rd(0x0f), 2, "software reset let the bus go");

    /* READ(10) of disk sector 5: disconnect, then reselection for the data */
    static const uint32_t read_cmd[] = {
        SELECT, 0, MOVE(6), T_MSGOUT, MOVE(2), T_CMD, MOVE(7), T_MSGIN, INT, 1,
        WAIT_RESELECT, 0, MOVE(7), T_MSGIN, MOVE(1), T_DATA, WAIT_DISCONNECT, 0, INT, 2,
    };
    wr(0x10, (uint8_t)BUS(TABLE)), wr(0x11, (uint8_t)(BUS(TABLE) >> 8));
    wr(0x12, (uint8_t)(BUS(TABLE) >> 16)), wr(0x13, (uint8_t)(BUS(TABLE) >> 24));
    table(0, (uint8_t[6]){ 0 }, 6, 0, 1);   /* TEST UNIT READY takes the unit attention */
    run(no_data, 14);
    rd(0x0c);
    table(0, (uint8_t[10]){ 0x28, 0, 0, 0, 0, 5, 0, 0, 1, 0 }, 10, 512, 2);
    run(read_cmd, 20);
    ok(rd(0x14) == 0x01 && (rd(0x0c) & 0x7f) == 0x04 && rd(0x30) == 1, "READ(10): first interrupt");
    emu_space_read_bytes(sys, BUF + 0x50, b, 2);
    ok(b[0] == 0x02 && b[1] == 0x04, "messages: SAVE DATA POINTER, DISCONNECT");
    put32(TABLE + T_MSGIN, 1);
    uint32_t resume = BUS(SCRIPT + 40);
    wr(0x2c, (uint8_t)resume), wr(0x2d, (uint8_t)(resume >> 8));
    wr(0x2e, (uint8_t)(resume >> 16)), wr(0x2f, (uint8_t)(resume >> 24));
    ok(rd(0x14) == 0x01 && (rd(0x0c) & 0x7f) == 0x04 && rd(0x30) == 2, "after reselection: done");
    is_u64(pt_rd8(sys, BUF + 0x50), 0x80, "reselection message: IDENTIFY");
    emu_space_read_bytes(sys, BUF + 0x100, b, 9);
    ok(!memcmp(b, "sector 5", 9), "sector 5 arrived by DMA");

    /* Register instructions, jumps, calls, memory moves, loads and stores */
    static const uint32_t regs_prog[] = {
        0x78340000u | 0xf0u << 8, 0,          /* MOVE 0xf0 TO SCRATCHA0 */
        0x7e340000u | 0x20u << 8, 0,          /* SCRATCHA0 += 0x20: carry out */
        0x80a80000u, 8,                       /* JUMP REL(+8) IF CARRY: skips the INT */
        0x98080000u, 0xbad,                   /* INT 0xbad */
        0x72340000u, 0,                       /* MOVE SCRATCHA0 | 0 TO SFBR */
        0x808c0010u, 8,                       /* JUMP REL(+8) IF DATA == 0x10 */
        0x98080000u, 0xbad,                   /* INT 0xbad */
        0x88080000u, BUS(SCRIPT + 108),       /* CALL the subroutine */
        0xc0000004u, BUS(0x4000), BUS(0x4010),   /* MEMORY MOVE 4 bytes */
        0xe1340004u, BUS(0x4010),             /* LOAD SCRATCHA, 4 */
        0xe05c0004u, BUS(0x4020),             /* STORE SCRATCHB -> memory */
        0x98180000u, 0,                       /* INTFLY */
        0x98080000u, 0x600d,                  /* INT 0x600d */
        0x785c0000u | 0x77u << 8, 0,          /* subroutine: MOVE 0x77 TO SCRATCHB0 */
        0x90080000u, 0,                       /* RETURN */
    };
    put32(0x4000, 0xdeadbeef);
    run(regs_prog, sizeof regs_prog / 4);
    is_u64(rd(0x30) | rd(0x31) << 8, 0x600d, "the program ran its way to INT 0x600d");
    is_u64(rd(0x14) & 0x05, 0x05, "ISTAT: INTFLY and DMA interrupt");
    is_u64(get32(0x4010), 0xdeadbeef, "memory move");
    ok(rd(0x34) == 0xef && rd(0x37) == 0xde, "load into SCRATCHA");
    is_u64(pt_rd8(sys, 0x4020), 0x77, "store from SCRATCHB, set by the subroutine");
    wr(0x14, 0x04);
    rd(0x0c);
    is_u64(rd(0x14), 0, "INTFLY cleared by writing it");

    /* A script that spins forever: ABRT stops it */
    static const uint32_t spin[] = { 0x80080000u, BUS(SCRIPT) };
    run(spin, 2);
    wr(0x14, 0x80);
    ok(rd(0x14) & 0x01 && (rd(0x0c) & 0x10), "ABRT stops a spinning script");
    wr(0x14, 0x00);
    /* DSP into nothing: zero words are skipped, then the chip keeps reading nothing */
    wr(0x2c, 0), wr(0x2d, 0), wr(0x2e, 0xf0), wr(0x2f, 0x7f);
    wr(0x14, 0x80);
    ok(1, "a script in unassigned memory is survived and aborted");

    char *msg = pt_device_error(m, "lsi53c810", "scsi2", (const char *const[]){
        "bus=pci", "scsi1-media=disk", NULL });
    has_str(msg, "a disk needs an image", "a disk without an image refused");
    free(msg);
    emu_machine_free(m);
    unlink(disk);
    unlink(cd);
    free(disk);
    free(cd);
    return tap_done();
}
