/* Guest nonsense: every PReP device of this folder, wired as in machines.d/prep.yaml, and the
 * CMD646 PCI IDE controller of prep-pci-ide.yaml take a fixed-seed stream of random accesses
 * (any size, any offset, any value), random IDE commands and ATAPI packets with random task
 * files, random PCI configuration cycles and random fw_cfg DMA descriptors, random ISA DMA
 * transfers, and snapshots of all the devices restored with random bytes changed or cut
 * short.  The host must survive all of it (run under the sanitizers too) and the devices must
 * still answer sensibly afterwards.  CHAOS_SEED=N in the environment picks another stream. */
#include <fcntl.h>
#include <unistd.h>
#include "prep-test.h"
#include "backends/backends.h"
#include "clock/clock.h"
#include "emu/isa-dma.h"
#include "state.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static unsigned pick_size(void)
{
    static const unsigned sizes[] = { 1, 2, 4, 8 };
    return sizes[next() % 4];
}

static char *make_image(const char *tmpl, size_t len)
{
    char *path = strdup(tmpl);
    int fd = mkstemp(path);
    uint8_t buf[512];
    for (size_t done = 0; done < len; done += sizeof buf) {
        for (unsigned i = 0; i < sizeof buf; i++)
            buf[i] = (uint8_t)next();
        if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
            tap_ok(0, "write image");
    }
    close(fd);
    return path;
}

int main(void)
{
    const char *seed = getenv("CHAOS_SEED");
    if (seed)
        rng = strtoull(seed, NULL, 0) * 0x9e3779b97f4a7c15ull | 1;
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("chaos", &err);
    emu_space *sys = emu_machine_space(m, "system");
    emu_space *io = pt_space(m, "pci-io", 0x10000);
    pt_space(m, "pci-mem", 0x3f000000);
    emu_region *ram = emu_region_ram(m, "ram", 0x100000);
    emu_region_map(emu_space_root(sys), 0, ram, 0, NULL);
    char *disk = make_image("/tmp/emu-chaos-disk-XXXXXX", 64 * 512);
    char *cd = make_image("/tmp/emu-chaos-cd-XXXXXX", 8 * 2048);
    ok(emu_backends_add_blockdev(m, "disk", disk, EMU_BLOCK_SNAPSHOT, &err) == 0 &&
       emu_backends_add_blockdev(m, "cd", cd, EMU_BLOCK_RO, &err) == 0, "images");

    emu_device *bus = pt_device(m, "pci-bus", "pci", (const char *const[]){
        "dma-base=0x80000000", "dma-size=2G", NULL });
    emu_device *raven = pt_device(m, "raven", "raven", (const char *const[]){ "bus=pci", NULL });
    emu_device *sio = pt_device(m, "i82378", "sio", (const char *const[]){ "bus=pci", NULL });
    emu_device *rtc = pt_device(m, "mc146818", "rtc", NULL);
    emu_device *nvr = pt_device(m, "m48t59", "nvram", NULL);
    emu_device *kbd = pt_device(m, "i8042", "kbd", NULL);
    emu_device *sysio = pt_device(m, "prep-systemio", "sysio", NULL);
    emu_device *fw = pt_device(m, "fw-cfg-mem", "fw", (const char *const[]){ "dma=on", NULL });
    emu_device *fwio = pt_device(m, "fw-cfg-io", "fwio", (const char *const[]){ "dma=on", NULL });
    emu_device *ide = pt_device(m, "ide", "ide", (const char *const[]){
        "master=disk", "slave=cd", "slave-media=cdrom", NULL });
    emu_device *lsi = pt_device(m, "lsi53c810", "lsi", (const char *const[]){
        "bus=pci", "devfn=8", "scsi0=disk", "scsi0-media=disk", "scsi2-media=cdrom", NULL });
    emu_device *vga = pt_device(m, "pci-stub", "vga", (const char *const[]){
        "bus=pci", "devfn=0x10", "vendor-id=0x1234", "device-id=0x1111", "bar0=mem:16M:prefetch",
        "bar2=mem:4K", "rom=64K", NULL });
    emu_device *pide0 = pt_device(m, "ide", "pide0", (const char *const[]){ "master=cd",
                                  "master-media=cdrom", NULL });
    emu_device *pide1 = pt_device(m, "ide", "pide1", NULL);
    emu_device *cmd646 = pt_device(m, "cmd646", "pci-ide", (const char *const[]){
        "bus=pci", "devfn=0x20", "primary=pide0", "secondary=pide1", NULL });
    emu_device *dma = pt_device(m, "isa-dma", "dma", NULL);
    emu_device *superio = pt_device(m, "pc87312", "superio", NULL);
    emu_device *lpt = pt_device(m, "parallel", "lpt", NULL);
    pt_sink *sink = pt_new_sink(m, "sink");
    if (!bus || !raven || !sio || !rtc || !nvr || !kbd || !sysio || !fw || !fwio || !ide || !lsi ||
        !vga || !pide0 || !pide1 || !cmd646 || !dma || !superio || !lpt || !sink)
        return tap_done();
    const emu_isa_dma_ops *dma_ops = emu_isa_dma(dma);
    pt_map(raven, "config", "pci-io", 0xcf8);
    pt_map(raven, "io-window", "system", 0x80000000);
    pt_map(raven, "direct-config", "system", 0x80800000);
    pt_map(rtc, "io", "pci-io", 0x70);
    pt_map(nvr, "io", "pci-io", 0x74);
    pt_map(nvr, "mem", "system", 0xf8000000);
    pt_map(kbd, "data", "pci-io", 0x60);
    pt_map(kbd, "command", "pci-io", 0x64);
    pt_map(sysio, "port92", "pci-io", 0x92);
    pt_map(sysio, "io", "pci-io", 0x808);
    pt_map(sysio, "parity", "system", 0xbfffeff0);
    pt_map(fw, "ctl", "system", 0xf0000510);
    pt_map(fw, "data", "system", 0xf0000512);
    pt_map(fw, "dma", "system", 0xf0000514);
    pt_map(fwio, "io", "pci-io", 0x510);
    pt_map(fwio, "dma", "pci-io", 0x514);
    pt_map(ide, "cmd", "pci-io", 0x1f0);
    pt_map(ide, "ctl", "pci-io", 0x3f6);
    pt_map(dma, "ctrl8", "pci-io", 0x00);
    pt_map(dma, "ctrl16", "pci-io", 0xc0);
    pt_map(dma, "page", "pci-io", 0x80);
    pt_map(superio, "config", "pci-io", 0x398);
    pt_map(lpt, "io", "pci-io", 0x378);
    pt_connect(ide, "irq", 0, &sink->dev, "in", 0);
    pt_connect(pide0, "irq", 0, cmd646, "irq", 0);
    pt_connect(pide1, "irq", 0, cmd646, "irq", 1);
    pt_connect(sysio, "noncontig", 0, raven, "noncontig", 0);
    emu_machine_reset(m);

    /* Places the guest can reach, and how much of each */
    static const struct { uint64_t base, len; bool system; } places[] = {
        { 0, 0x10000, false },                 /* every port */
        { 0x80000000, 0x800000, true },        /* the I/O window */
        { 0x80800000, 0x400000, true },        /* direct configuration */
        { 0xf0000500, 0x20, true },            /* fw_cfg */
        { 0xf8000000, 0x2000, true },          /* NVRAM as memory */
        { 0xbfffeff0, 0x10, true },
        { 0xc0000000, 0x01000000, true },      /* where BARs land in PCI memory */
    };
    unsigned accesses = 0;
    for (unsigned round = 0; round < 150; round++) {
        for (unsigned i = 0; i < 2000; i++, accesses++) {
            unsigned p = (unsigned)(next() % (sizeof places / sizeof places[0]));
            uint64_t addr = places[p].base + next() % places[p].len;
            emu_space *s = places[p].system ? sys : io;
            emu_endian e = next() & 1 ? EMU_BIG_ENDIAN : EMU_LITTLE_ENDIAN;
            uint64_t v;
            if (next() & 1)
                emu_space_write(s, addr, pick_size(), e, next());
            else
                emu_space_read(s, addr, pick_size(), e, &v);
        }
        /* A random IDE command with a random task file on a random drive, data moved both ways */
        pt_wr8(io, 0x1f6, (uint8_t)(0xa0 | (next() & 0x5f)));
        for (unsigned r = 1; r <= 5; r++)
            pt_wr8(io, 0x1f0 + r, (uint8_t)next());
        pt_wr8(io, 0x1f7, (uint8_t)next());
        for (unsigned i = 0; i < 600; i++) {
            if (next() & 1)
                pt_wr16(io, 0x1f0, next());
            else
                pt_rd16(io, 0x1f0);
        }
        /* A random ATAPI packet to the CD drive */
        pt_wr8(io, 0x1f6, 0xb0);
        pt_wr8(io, 0x1f1, (uint8_t)(next() & 1 ? 0 : next()));
        pt_wr8(io, 0x1f4, (uint8_t)next());
        pt_wr8(io, 0x1f5, (uint8_t)next());
        pt_wr8(io, 0x1f7, 0xa0);
        static const uint8_t ops[] = { 0x00, 0x03, 0x12, 0x1b, 0x25, 0x28, 0xa8, 0xbe, 0x2b, 0x43,
                                       0x46, 0x4a, 0x5a, 0xbd, 0xbb, 0xff };
        uint8_t cdb[12];
        for (unsigned i = 0; i < 12; i++)
            cdb[i] = (uint8_t)next();
        cdb[0] = ops[next() % sizeof ops];
        for (unsigned i = 0; i < 12; i += 2)
            pt_wr16(io, 0x1f0, cdb[i] | cdb[i + 1] << 8);
        for (unsigned i = 0; i < 3000 && (pt_rd8(io, 0x1f7) & 0x08); i++)
            pt_rd32(io, 0x1f0);
        /* A random fw_cfg DMA descriptor, pointing anywhere */
        uint8_t desc[16];
        for (unsigned i = 0; i < 16; i++)
            desc[i] = (uint8_t)next();
        desc[8] = desc[9] = desc[10] = desc[11] = 0;   /* keep most transfers inside 4 GiB */
        emu_space_write_bytes(sys, 0x1000, desc, 16, false);
        emu_space_write(sys, 0xf0000514, 8, EMU_BIG_ENDIAN, next() & 1 ? 0x1000 : next());
        /* Random configuration cycles, then the LSI's and VGA's BARs placed and enabled */
        for (unsigned i = 0; i < 50; i++) {
            unsigned reg = (unsigned)(next() & 0xfc);
            pt_wr32(io, 0xcf8, 0x80000000u | (uint32_t)(next() & 0xff00) | reg);
            pt_wr(io, 0xcfc + (next() & 3), pick_size(), EMU_LITTLE_ENDIAN, next());
        }
        static const uint32_t bars[][3] = { { 0x0810, 0x1000 }, { 0x0814, 0x100000 },
                                            { 0x0818, 0x110000 }, { 0x1010, 0x800000 },
                                            { 0x2010, 0x2000 }, { 0x2014, 0x2010 },
                                            { 0x2018, 0x2020 }, { 0x201c, 0x2030 },
                                            { 0x2020, 0x2040 } };
        for (unsigned i = 0; i < sizeof bars / sizeof bars[0]; i++) {
            pt_wr32(io, 0xcf8, 0x80000000u | bars[i][0]);
            pt_wr32(io, 0xcfc, bars[i][1]);
        }
        pt_wr32(io, 0xcf8, 0x80000804u);
        pt_wr16(io, 0xcfc, 7);
        pt_wr32(io, 0xcf8, 0x80001004u);
        pt_wr16(io, 0xcfc, 7);
        pt_wr32(io, 0xcf8, 0x80002004u);   /* the CMD646: I/O and bus master */
        pt_wr16(io, 0xcfc, 5);
        /* Random accesses to its channels' and bus-master registers */
        for (unsigned i = 0; i < 300; i++) {
            uint64_t port = 0x2000 + next() % 0x50;
            if (next() & 1)
                pt_wr(io, port, pick_size(), EMU_LITTLE_ENDIAN, next());
            else
                pt_rd(io, port, pick_size(), EMU_LITTLE_ENDIAN);
        }
        /* A random SCRIPTS program from RAM, and random LSI registers */
        for (unsigned i = 0; i < 64; i++)
            emu_space_write(sys, 0x8000 + 4 * i, 4, EMU_LITTLE_ENDIAN, next());
        for (unsigned i = 0; i < 40; i++)
            emu_space_write(sys, 0xc0100000 + (next() & 0x7f), 1, EMU_LITTLE_ENDIAN, next());
        emu_space_write(sys, 0xc0100010, 4, EMU_LITTLE_ENDIAN, 0x80000000u | (next() & 0xfffff));
        emu_space_write(sys, 0xc010002c, 4, EMU_LITTLE_ENDIAN, next() & 1 ? 0x80008000u : next());
        emu_space_write(sys, 0xc0100014, 1, EMU_LITTLE_ENDIAN, 0x80);   /* abort it */
        /* Random ISA DMA transfers on channels the guest programmed at random */
        for (unsigned i = 0; i < 8; i++) {
            static uint8_t buf[4096];
            bool tc;
            dma_ops->request(dma, (unsigned)(next() % 10), (int)(next() & 1));
            dma_ops->transfer(dma, (unsigned)(next() % 10), buf, (size_t)(next() % sizeof buf),
                              next() & 1, &tc);
        }
        /* A snapshot restored with random bytes changed, or cut short */
        emu_snapshot snap;
        if (emu_machine_save_state(m, &snap, &err) == 0) {
            for (unsigned n = 1 + (unsigned)(next() % 4); n; n--)
                snap.data[next() % snap.len] ^= (uint8_t)(1u << (next() % 8));
            emu_snapshot cut = snap;
            if (next() & 1)
                cut.len = (size_t)(next() % snap.len);
            if (emu_machine_load_state(m, &cut, &err) < 0)
                emu_error_free(err), err = NULL;
            emu_snapshot_free(&snap);
        }
        emu_clock_advance_to(m, emu_clock_ns(m) + (next() % 100000000));
        emu_clock_run_due(m);
        if (round % 10 == 9)
            emu_machine_reset(m);
    }
    ok(1, "%u random accesses, 150 IDE commands, ATAPI packets, fw_cfg DMA descriptors, 1200 ISA "
       "DMA transfers and 150 damaged snapshots survived", accesses);

    /* Still sane after a reset */
    emu_machine_reset(m);
    pt_wr32(io, 0xcf8, 0x80005800);
    is_u64(pt_rd32(io, 0xcfc), 0x04848086, "the SIO still answers its configuration");
    pt_wr32(io, 0xcf8, 0x80002000);
    is_u64(pt_rd32(io, 0xcfc), 0x06461095, "so does the CMD646");
    pt_wr(sys, 0xf0000510, 2, EMU_BIG_ENDIAN, 0);
    is_u64(pt_rd8(sys, 0xf0000512), 'Q', "fw_cfg still reads its signature");
    pt_wr8(io, 0x1f6, 0xa0);
    pt_wr8(io, 0x1f7, 0xec);
    is_u64(pt_rd8(io, 0x1f7), 0x58, "the disk still identifies itself");

    emu_machine_free(m);
    unlink(disk);
    unlink(cd);
    free(disk);
    free(cd);
    return tap_done();
}
