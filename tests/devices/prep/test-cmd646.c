/* CMD646 PCI IDE controller tests, through PCI configuration cycles and the BARs as a driver
 * sees them: the header (IDs, native-mode class, BAR sizes and kinds), a disk read through the
 * command block at BAR0 and the control block at BAR1+2, the secondary channel's CD-ROM at
 * BAR2/BAR3, the interrupt bits (CFR, ARTTIM23, MRDMODE and the bus-master status) and INTA
 * with blocking, the bus-master registers, a snapshot round trip, and refused wirings. */
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

static emu_space *io;
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

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("cmd646-test", &err);
    io = pt_space(m, "pci-io", 0x10000);
    pt_space(m, "pci-mem", 0x1000000);
    char *disk = pt_make_image("/tmp/emu-cmd646-XXXXXX", 16, 512);
    char *cd = pt_make_image("/tmp/emu-cmd646-cd-XXXXXX", 4, 2048);
    ok(emu_backends_add_blockdev(m, "hd", disk, EMU_BLOCK_RO, &err) == 0 &&
       emu_backends_add_blockdev(m, "cd", cd, EMU_BLOCK_RO, &err) == 0, "images");
    bus = pt_device(m, "pci-bus", "pci", (const char *const[]){ "io-space=pci-io",
                    "mem-space=pci-mem", NULL });
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
