/* CMD646 PCI IDE controller tests, through PCI configuration cycles and the BARs as a driver
 * sees them: the header (IDs, native-mode class, BAR sizes and kinds), a disk read through the
 * command block at BAR0 and the control block at BAR1+2, the secondary channel's CD-ROM at
 * BAR2/BAR3, the interrupt bits (CFR, ARTTIM23, MRDMODE and the bus-master status) and INTA
 * with blocking, the bus-master registers, DMA (IDENTIFY's modes, READ/WRITE DMA along PRD
 * tables with the engine started before or after the command, tables longer and shorter than
 * the transfer, a direction mismatch, bus mastering off, a command waiting across a
 * snapshot), a snapshot round trip, and refused wirings. */
#include <fcntl.h>
#include <unistd.h>
#include "prep-test.h"
#include "backends/backends.h"
#include "state.h"
#include "emu/pci.h"

#define DEVFN 0x20
#define P_CMD 0x1000u   /* where the test puts the BARs in PCI I/O space */
#define P_CTL 0x1010u
#define S_CMD 0x1020u
#define S_CTL 0x1030u
#define BMDMA 0x1040u

#define BUS(x) (0x80000000u + (x))   /* RAM as a bus master sees it */
#define PRD 0x1000u

static emu_space *io, *sys;
static emu_device *bus;
static const emu_pci_bus_ops *pci;

static uint32_t cfg_rd(unsigned reg, unsigned size) { return pci->config_read(bus, 0, DEVFN, reg, size); }
static void cfg_wr(unsigned reg, uint32_t v, unsigned size) { pci->config_write(bus, 0, DEVFN, reg, v, size); }

/* BAR i sized as firmware does: write all ones, read back the mask. */
static uint32_t bar_mask(unsigned i)
{
    uint32_t old = cfg_rd(0x10 + 4 * i, 4);
    cfg_wr(0x10 + 4 * i, 0xffffffff, 4);
    uint32_t m = cfg_rd(0x10 + 4 * i, 4);
    cfg_wr(0x10 + 4 * i, old, 4);
    return m;
}

static void place_bars(void)
{
    static const uint32_t at[5] = { P_CMD, P_CTL, S_CMD, S_CTL, BMDMA };
    for (unsigned i = 0; i < 5; i++)
        cfg_wr(0x10 + 4 * i, at[i], 4);
    cfg_wr(0x04, 0x0005, 2);   /* I/O space, bus master */
}

/* LBA28 READ SECTORS of one sector through the primary channel's BARs. */
static void read_sector(uint32_t lba, uint8_t *out)
{
    pt_wr8(io, P_CMD + 6, 0xe0 | (lba >> 24 & 15));
    pt_wr8(io, P_CMD + 2, 1);
    pt_wr8(io, P_CMD + 3, lba & 0xff);
    pt_wr8(io, P_CMD + 4, lba >> 8 & 0xff);
    pt_wr8(io, P_CMD + 5, lba >> 16 & 0xff);
    pt_wr8(io, P_CMD + 7, 0x20);
    for (unsigned i = 0; i < 512; i += 2) {
        uint64_t w = pt_rd16(io, P_CMD);
        out[i] = (uint8_t)w;
        out[i + 1] = (uint8_t)(w >> 8);
    }
}

/* A PRD table at PRD: n entries of (address, bytes), the last marked end of table. */
static void prd_table(const uint32_t (*e)[2], unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        pt_wr32(sys, PRD + 8 * i, BUS(e[i][0]));
        pt_wr32(sys, PRD + 8 * i + 4, (e[i][1] & 0xffff) | (i == n - 1 ? 0x80000000u : 0));
    }
    pt_wr32(io, BMDMA + 4, BUS(PRD));
}

/* An LBA28 DMA command (0xc8 read, 0xca write) on the primary master. */
static void dma_cmd(uint8_t cmd, uint32_t lba, uint8_t count)
{
    pt_wr8(io, P_CMD + 6, 0xe0 | (lba >> 24 & 15));
    pt_wr8(io, P_CMD + 2, count);
    pt_wr8(io, P_CMD + 3, lba & 0xff);
    pt_wr8(io, P_CMD + 4, lba >> 8 & 0xff);
    pt_wr8(io, P_CMD + 5, lba >> 16 & 0xff);
    pt_wr8(io, P_CMD + 7, cmd);
}

/* Does RAM at addr hold image sector s (byte i = s * 7 + i)? */
static bool ram_is_sector(uint32_t addr, unsigned s)
{
    for (unsigned i = 0; i < 512; i += 97)
        if (pt_rd8(sys, addr + i) != (uint8_t)(s * 7 + i))
            return false;
    return true;
}

/* Acknowledge the drive's interrupt and clear the engine for the next case. */
static void dma_reset_engine(void)
{
    pt_rd8(io, P_CMD + 7);
    pt_wr8(io, BMDMA, 0x00);
    pt_wr8(io, BMDMA + 2, 0x06);
    cfg_wr(0x50, 0x04, 1);
}

static void test_dma(emu_machine *m, pt_sink *intx)
{
    uint8_t id[512];
    pt_wr8(io, P_CMD + 6, 0xa0);
    pt_wr8(io, P_CMD + 7, 0xec);
    for (unsigned i = 0; i < 512; i += 2) {
        uint64_t w = pt_rd16(io, P_CMD);
        id[i] = (uint8_t)w;
        id[i + 1] = (uint8_t)(w >> 8);
    }
    ok(id[99] & 0x01, "IDENTIFY word 49: DMA supported behind the bus master");
    is_u64(id[126] | id[127] << 8, 0x0007, "IDENTIFY word 63: multiword DMA 0-2, none selected");
    is_u64(id[176] | id[177] << 8, 0x003f, "IDENTIFY word 88: Ultra DMA 0-5, none selected");
    pt_wr8(io, P_CMD + 1, 0x03);
    pt_wr8(io, P_CMD + 2, 0x45);   /* transfer mode: UDMA 5 */
    pt_wr8(io, P_CMD + 7, 0xef);
    is_u64(pt_rd8(io, P_CMD + 7), 0x50, "SET FEATURES UDMA 5 accepted");
    pt_wr8(io, P_CMD + 7, 0xec);
    for (unsigned i = 0; i < 512; i += 2) {
        uint64_t w = pt_rd16(io, P_CMD);
        id[i] = (uint8_t)w;
        id[i + 1] = (uint8_t)(w >> 8);
    }
    is_u64(id[176] | id[177] << 8, 0x203f, "IDENTIFY word 88 shows UDMA 5 selected");
    pt_wr8(io, P_CMD + 1, 0x03);
    pt_wr8(io, P_CMD + 2, 0x46);
    pt_wr8(io, P_CMD + 7, 0xef);
    is_u64(pt_rd8(io, P_CMD + 7) & 0x01, 1, "SET FEATURES UDMA 6 refused");
    dma_reset_engine();

    /* READ DMA of 3 sectors into two regions; the engine started after the command */
    prd_table((const uint32_t[][2]){ { 0x2000, 512 }, { 0x3000, 1024 } }, 2);
    dma_cmd(0xc8, 3, 3);
    is_u64(pt_rd8(io, P_CTL + 2), 0x58, "READ DMA waits for the engine with DRQ");
    is_u64(intx->level[0], 0, "no interrupt yet");
    pt_wr8(io, BMDMA, 0x09);   /* start, device to memory */
    ok(ram_is_sector(0x2000, 3) && ram_is_sector(0x3000, 4) && ram_is_sector(0x3200, 5),
       "sectors 3, 4, 5 in the two regions of the table");
    is_u64(pt_rd8(io, P_CTL + 2), 0x50, "drive done: DRDY, no DRQ");
    is_u64(pt_rd8(io, BMDMA + 2) & 0x07, 0x04, "engine: interrupt, not active (table used up)");
    is_u64(intx->level[0], 1, "INTA");
    is_u64(pt_rd8(io, P_CMD + 3), 5, "task file: the last sector moved");
    dma_reset_engine();

    /* The engine started first, a table longer than the transfer */
    pt_wr8(sys, 0x4000, 0xee);
    prd_table((const uint32_t[][2]){ { 0x5000, 0 /* 64 KiB */ } }, 1);
    pt_wr8(io, BMDMA, 0x09);
    dma_cmd(0xc8, 9, 1);
    ok(ram_is_sector(0x5000, 9), "sector 9 read with the engine started before the command");
    is_u64(pt_rd8(io, BMDMA + 2) & 0x07, 0x05, "engine: interrupt, still active (table longer)");
    dma_reset_engine();

    /* WRITE DMA from RAM, read back by PIO */
    for (unsigned i = 0; i < 1024; i++)
        pt_wr8(sys, 0x6000 + i, (uint8_t)(i * 13 + 1));
    prd_table((const uint32_t[][2]){ { 0x6000, 256 }, { 0x6100, 768 } }, 2);
    dma_cmd(0xca, 12, 2);
    pt_wr8(io, BMDMA, 0x01);   /* start, memory to device */
    is_u64(pt_rd8(io, P_CMD + 7), 0x50, "WRITE DMA of 2 sectors done");
    uint8_t buf[512];
    read_sector(13, buf);
    ok(buf[0] == (uint8_t)(512 * 13 + 1) && buf[511] == (uint8_t)(1023 * 13 + 1),
       "sector 13 holds what the table's second region gave");
    dma_reset_engine();

    /* A table shorter than the transfer: the command fails */
    prd_table((const uint32_t[][2]){ { 0x2000, 512 } }, 1);
    dma_cmd(0xc8, 1, 2);
    pt_wr8(io, BMDMA, 0x09);
    is_u64(pt_rd8(io, P_CMD + 7) & 0x09, 0x01, "short table: the drive reports an error, no DRQ");
    is_u64(pt_rd8(io, P_CMD + 1) & 0x04, 0x04, "... ABRT");
    is_u64(pt_rd8(io, BMDMA + 2) & 0x07, 0x04, "... and the engine stopped");
    dma_reset_engine();

    /* The engine started in the wrong direction */
    prd_table((const uint32_t[][2]){ { 0x2000, 512 } }, 1);
    dma_cmd(0xc8, 1, 1);
    pt_wr8(io, BMDMA, 0x01);   /* memory to device, for a read */
    is_u64(pt_rd8(io, P_CMD + 7) & 0x01, 0x01, "direction mismatch: the command fails");
    dma_reset_engine();

    /* Bus mastering off in the command register: a bus error */
    cfg_wr(0x04, 0x0001, 2);
    dma_cmd(0xc8, 1, 1);
    pt_wr8(io, BMDMA, 0x09);
    is_u64(pt_rd8(io, BMDMA + 2) & 0x02, 0x02, "bus mastering off: the engine reports an error");
    is_u64(pt_rd8(io, P_CMD + 7) & 0x01, 0x01, "... and the command fails");
    pt_wr8(io, BMDMA + 2, 0x02);
    is_u64(pt_rd8(io, BMDMA + 2) & 0x02, 0, "the error bit is cleared by writing 1");
    cfg_wr(0x04, 0x0005, 2);
    dma_reset_engine();

    /* A DMA command waiting for the engine survives a snapshot */
    prd_table((const uint32_t[][2]){ { 0x7000, 512 } }, 1);
    dma_cmd(0xc8, 6, 1);
    emu_error *err = NULL;
    emu_snapshot snap;
    ok(emu_machine_save_state(m, &snap, &err) == 0, "save with a DMA command waiting");
    emu_machine_reset(m);
    ok(emu_machine_load_state(m, &snap, &err) == 0, "load it after a reset");
    emu_snapshot_free(&snap);
    is_u64(pt_rd8(io, P_CTL + 2), 0x58, "restored: DRQ up");
    pt_wr8(io, BMDMA, 0x09);
    ok(ram_is_sector(0x7000, 6), "restored: the started engine moves sector 6");
    dma_reset_engine();
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("cmd646-test", &err);
    io = pt_space(m, "pci-io", 0x10000);
    pt_space(m, "pci-mem", 0x1000000);
    sys = emu_machine_space(m, "system");
    emu_region_map(emu_space_root(sys), 0, emu_region_ram(m, "ram", 0x100000), 0, NULL);
    char *disk = pt_make_image("/tmp/emu-cmd646-XXXXXX", 16, 512);
    char *cd = pt_make_image("/tmp/emu-cmd646-cd-XXXXXX", 4, 2048);
    ok(emu_backends_add_blockdev(m, "hd", disk, EMU_BLOCK_SNAPSHOT, &err) == 0 &&
       emu_backends_add_blockdev(m, "cd", cd, EMU_BLOCK_RO, &err) == 0, "images");
    bus = pt_device(m, "pci-bus", "pci", (const char *const[]){ "io-space=pci-io",
                    "mem-space=pci-mem", "dma-base=0x80000000", "dma-size=2G", NULL });
    emu_device *ide0 = pt_device(m, "ide", "ide0", (const char *const[]){ "master=hd", NULL });
    emu_device *ide1 = pt_device(m, "ide", "ide1", (const char *const[]){
                                 "master=cd", "master-media=cdrom", NULL });
    emu_device *ctl = pt_device(m, "cmd646", "pci-ide", (const char *const[]){
                                "bus=pci", "devfn=0x20", "primary=ide0", "secondary=ide1", NULL });
    pt_sink *intx = pt_new_sink(m, "intx");
    if (!bus || !ide0 || !ide1 || !ctl || !intx)
        return tap_done();
    pt_connect(ide0, "irq", 0, ctl, "irq", 0);
    pt_connect(ide1, "irq", 0, ctl, "irq", 1);
    pt_connect(bus, "intx", 0, &intx->dev, "in", 0);
    emu_machine_reset(m);
    pci = emu_pci_bus(bus);

    /* The header */
    is_u64(cfg_rd(0x00, 4), 0x06461095, "IDs 1095:0646");
    is_u64(cfg_rd(0x08, 4), 0x01018f07, "class 0101, programming interface 0x8F, revision 7");
    is_u64(cfg_rd(0x3d, 1), 1, "interrupt pin INTA");
    is_u64(cfg_rd(0x51, 1), 0x0c, "CNTRL: both channels enabled");
    is_u64(bar_mask(0), 0xfffffff9, "BAR0: 8 I/O ports (primary command block)");
    is_u64(bar_mask(1), 0xfffffffd, "BAR1: 4 I/O ports (primary control block)");
    is_u64(bar_mask(2), 0xfffffff9, "BAR2: 8 I/O ports (secondary command block)");
    is_u64(bar_mask(3), 0xfffffffd, "BAR3: 4 I/O ports (secondary control block)");
    is_u64(bar_mask(4), 0xfffffff1, "BAR4: 16 I/O ports (bus master)");
    is_u64(bar_mask(5), 0, "BAR5: none");
    is_u64(pt_rd8(io, P_CMD + 7), 0xff, "nothing answers before the BARs are enabled");

    /* The primary channel's disk through BAR0/BAR1 */
    place_bars();
    is_u64(pt_rd8(io, P_CMD + 7), 0x50, "BAR0+7: the disk's status (DRDY, DSC)");
    is_u64(pt_rd8(io, P_CTL + 2), 0x50, "BAR1+2: alternate status");
    is_u64(intx->level[0], 0, "INTA low");
    uint8_t buf[512];
    read_sector(5, buf);
    ok(buf[0] == (uint8_t)(5 * 7) && buf[511] == (uint8_t)(5 * 7 + 511), "sector 5 read through BAR0");
    is_u64(cfg_rd(0x50, 1) & 0x04, 0x04, "CFR: primary interrupt latched");
    is_u64(cfg_rd(0x71, 1) & 0x0c, 0x04, "MRDMODE: primary interrupt bit");
    is_u64(pt_rd8(io, BMDMA + 2) & 0x04, 0x04, "bus-master status: interrupt bit");
    is_u64(pt_rd8(io, BMDMA + 1) & 0x0c, 0x04, "bus-master +1 shows MRDMODE");
    is_u64(intx->level[0], 1, "INTA raised");
    pt_wr8(io, BMDMA + 1, 0x10);   /* block the primary channel's interrupt */
    is_u64(intx->level[0], 0, "MRDMODE blocking bit masks INTA");
    pt_wr8(io, BMDMA + 1, 0x00);
    is_u64(intx->level[0], 1, "unblocked: INTA again");
    cfg_wr(0x50, 0x04, 1);   /* write 1 to clear CFR's interrupt bit */
    is_u64(cfg_rd(0x71, 1) & 0x04, 0, "clearing CFR clears MRDMODE's bit");
    is_u64(intx->level[0], 0, "... and INTA");
    pt_wr8(io, BMDMA + 2, 0x04);
    is_u64(pt_rd8(io, BMDMA + 2) & 0x04, 0, "bus-master interrupt bit cleared by writing 1");
    pt_wr8(io, P_CTL + 2, 0x02);   /* nIEN through BAR1+2 */
    read_sector(1, buf);
    is_u64(cfg_rd(0x50, 1) & 0x04, 0, "nIEN written at BAR1+2 reaches the channel");
    pt_wr8(io, P_CTL + 2, 0x00);
    is_u64(cfg_rd(0x50, 1) & 0x04, 0x04, "clearing nIEN lets the pending interrupt through");
    pt_rd8(io, P_CMD + 7);   /* the status read acknowledges it at the drive */
    cfg_wr(0x50, 0x04, 1);
    is_u64(intx->level[0], 0, "acknowledged and cleared: INTA low");

    /* The secondary channel's CD-ROM through BAR2/BAR3 */
    is_u64(pt_rd8(io, S_CMD + 4) | pt_rd8(io, S_CMD + 5) << 8, 0xeb14, "BAR2: ATAPI signature");
    pt_wr8(io, S_CMD + 6, 0xa0);
    pt_wr8(io, S_CMD + 7, 0x08);   /* DEVICE RESET raises no interrupt; IDENTIFY PACKET does */
    pt_wr8(io, S_CMD + 7, 0xa1);
    is_u64(pt_rd8(io, S_CTL + 2) & 0x08, 0x08, "BAR3+2: DRQ for IDENTIFY PACKET DEVICE");
    is_u64(cfg_rd(0x57, 1) & 0x10, 0x10, "ARTTIM23: secondary interrupt latched");
    is_u64(cfg_rd(0x71, 1) & 0x08, 0x08, "MRDMODE: secondary interrupt bit");
    is_u64(pt_rd8(io, BMDMA + 8 + 2) & 0x04, 0x04, "secondary bus-master status: interrupt");
    is_u64(intx->level[0], 1, "INTA from the secondary channel");
    cfg_wr(0x71, 0x08, 1);   /* write 1 to clear in MRDMODE */
    is_u64(cfg_rd(0x57, 1) & 0x10, 0, "clearing MRDMODE's bit clears ARTTIM23's");
    is_u64(intx->level[0], 0, "INTA low again");

    /* Bus-master registers */
    pt_wr32(io, BMDMA + 4, 0x00123457);
    is_u64(pt_rd32(io, BMDMA + 4), 0x00123454, "PRD table address (dword aligned)");
    pt_wr8(io, BMDMA + 2, 0x60);
    is_u64(pt_rd8(io, BMDMA + 2) & 0x60, 0x60, "drive DMA-capable bits are the guest's");
    pt_wr8(io, BMDMA, 0x09);
    is_u64(pt_rd8(io, BMDMA), 0x09, "command: start, read");
    is_u64(pt_rd8(io, BMDMA + 2) & 0x01, 1, "started: active (no drive requests DMA)");
    pt_wr8(io, BMDMA + 3, 0x15);
    is_u64(cfg_rd(0x73, 1), 0x15, "BMDMA+3 is UDIDETCR0");

    pt_wr8(io, BMDMA, 0x00);
    test_dma(m, intx);
    pt_wr8(io, BMDMA + 3, 0x15);
    pt_wr32(io, BMDMA + 4, 0x00123457);
    pt_wr8(io, BMDMA, 0x09);

    /* Snapshot round trip: the bus-master state comes back */
    emu_snapshot snap;
    ok(emu_machine_save_state(m, &snap, &err) == 0, "save");
    pt_wr8(io, BMDMA, 0x00);
    pt_wr32(io, BMDMA + 4, 0);
    ok(emu_machine_load_state(m, &snap, &err) == 0, "load");
    is_u64(pt_rd8(io, BMDMA), 0x09, "restored: command");
    is_u64(pt_rd32(io, BMDMA + 4), 0x00123454, "restored: PRD address");
    is_u64(pt_rd8(io, P_CMD + 7), 0x50, "restored: BAR0 mapped where the header says");
    emu_snapshot_free(&snap);

    /* Reset: the header's BARs and the bus-master state go back to power-on */
    emu_machine_reset(m);
    is_u64(cfg_rd(0x10, 4), 0x00000001, "reset: BAR0 unassigned");
    is_u64(cfg_rd(0x71, 1) & 0x3c, 0, "reset: no interrupt or blocking bits");

    /* Wirings refused */
    char *msg = pt_device_error(m, "cmd646", "bad1", (const char *const[]){
        "bus=pci", "primary=ide0", "secondary=ide0", NULL });
    has_str(msg, "both 'ide0'", "one channel as primary and secondary refused");
    free(msg);
    msg = pt_device_error(m, "cmd646", "bad2", (const char *const[]){ "bus=ide0", "primary=ide1", NULL });
    has_str(msg, "not a PCI bus", "a bus that is not a PCI bus refused");
    free(msg);
    msg = pt_device_error(m, "cmd646", "bad3", (const char *const[]){ "bus=pci", "primary=pci", NULL });
    ok(msg != NULL, "a primary that is not an ide device refused");
    free(msg);

    emu_machine_free(m);
    unlink(disk);
    unlink(cd);
    free(disk);
    free(cd);
    return tap_done();
}
