/* Snapshots of the PReP devices: program every device of a PReP-like machine (PCI bus, Raven,
 * i82378, a placeholder function, LSI SCSI, system I/O, RTC, NVRAM, keyboard controller,
 * fw_cfg), save, change everything, restore, and compare what the guest reads; restore into a
 * second machine; and check that a record whose value the device cannot take is refused with a
 * message naming it, leaving the device as it was. */
#include <string.h>
#include "prep-test.h"
#include "clock/clock.h"
#include "emu/fw_cfg.h"
#include "emu/pci.h"
#include "state.h"

#define CTL 0xf0000510u
#define DATA 0xf0000512u
#define LSI_REGS 0x00100000u     /* LSI BAR 1 in PCI memory */
#define LSI_RAM 0x00200000u      /* LSI BAR 2 (SCRIPTS RAM) */
#define STUB_IO 0x1000u          /* placeholder BAR 1 in PCI I/O */

typedef struct rig {
    emu_machine *m;
    emu_space *sys, *io, *mem;
    emu_device *bus;
    const emu_pci_bus_ops *pci;
} rig;

static int build(rig *r)
{
    emu_error *err = NULL;
    r->m = emu_machine_new("state-test", &err);
    r->sys = emu_machine_space(r->m, "system");
    r->io = pt_space(r->m, "pci-io", 0x10000);
    r->mem = pt_space(r->m, "pci-mem", 0x3f000000);
    emu_region_map(emu_space_root(r->sys), 0, emu_region_ram(r->m, "ram", 0x10000), 0, NULL);
    r->bus = pt_device(r->m, "pci-bus", "pci", (const char *const[]){
        "dma-base=0x80000000", "dma-size=2G", NULL });
    emu_device *raven = pt_device(r->m, "raven", "raven", (const char *const[]){ "bus=pci", NULL });
    emu_device *sio = pt_device(r->m, "i82378", "sio", (const char *const[]){ "bus=pci", NULL });
    emu_device *stub = pt_device(r->m, "pci-stub", "vga", (const char *const[]){
        "bus=pci", "devfn=0x10", "vendor-id=0x1234", "device-id=0x1111", "class=0x030000",
        "bar1=io:32", NULL });
    emu_device *lsi = pt_device(r->m, "lsi53c810", "scsi", (const char *const[]){
        "bus=pci", "devfn=8", "pci-intx=false", "scsi2-media=cdrom", NULL });
    emu_device *sysio = pt_device(r->m, "prep-systemio", "sysio", NULL);
    emu_device *rtc = pt_device(r->m, "mc146818", "rtc", (const char *const[]){
        "base-year=1900", NULL });
    emu_device *nvram = pt_device(r->m, "m48t59", "nvram", NULL);
    emu_device *kbd = pt_device(r->m, "i8042", "kbd", NULL);
    emu_device *fw = pt_device(r->m, "fw-cfg-mem", "fw", NULL);
    if (!r->bus || !raven || !sio || !stub || !lsi || !sysio || !rtc || !nvram || !kbd || !fw)
        return -1;
    pt_map(raven, "config", "pci-io", 0xcf8);
    pt_map(kbd, "data", "pci-io", 0x60);
    pt_map(kbd, "command", "pci-io", 0x64);
    pt_map(rtc, "io", "pci-io", 0x70);
    pt_map(nvram, "io", "pci-io", 0x74);
    pt_map(sysio, "port92", "pci-io", 0x92);
    pt_map(sysio, "io", "pci-io", 0x808);
    pt_map(fw, "ctl", "system", CTL);
    pt_map(fw, "data", "system", DATA);
    const emu_fw_cfg_ops *ops = emu_fw_cfg(fw);
    if (emu_fw_cfg_set_le(ops, fw, EMU_FW_CFG_RAM_SIZE, 0x08000000, 8, &err) < 0)
        return -1;
    r->pci = emu_pci_bus(r->bus);
    emu_machine_reset(r->m);
    return 0;
}

static void nv_write(rig *r, unsigned addr, uint8_t v)
{
    pt_wr8(r->io, 0x74, addr & 0xff);
    pt_wr8(r->io, 0x75, addr >> 8);
    pt_wr8(r->io, 0x77, v);
}

static uint8_t nv_read(rig *r, unsigned addr)
{
    pt_wr8(r->io, 0x74, addr & 0xff);
    pt_wr8(r->io, 0x75, addr >> 8);
    return (uint8_t)pt_rd8(r->io, 0x77);
}

static void rtc_write(rig *r, unsigned index, uint8_t v)
{
    pt_wr8(r->io, 0x70, index);
    pt_wr8(r->io, 0x71, v);
}

static uint8_t rtc_read(rig *r, unsigned index)
{
    pt_wr8(r->io, 0x70, index);
    return (uint8_t)pt_rd8(r->io, 0x71);
}

/* Put every device into a state that differs from reset (`k` varies the values). */
static void program(rig *r, uint8_t k)
{
    const emu_pci_bus_ops *pci = r->pci;
    pci->config_write(r->bus, 0, 0x58, 0x3c, 0x0f ^ k, 1);             /* i82378 interrupt line */
    pci->config_write(r->bus, 0, 0x10, 0x14, STUB_IO, 4);              /* placeholder I/O BAR */
    pci->config_write(r->bus, 0, 0x10, 0x04, 0x0001, 2);
    pci->config_write(r->bus, 0, 8, 0x14, LSI_REGS, 4);
    pci->config_write(r->bus, 0, 8, 0x18, LSI_RAM, 4);
    pci->config_write(r->bus, 0, 8, 0x04, 0x0006, 2);
    pci->config_write(r->bus, 0, 0, 0x0c, 0x08 ^ k, 1);               /* Raven cache line size */
    pt_wr32(r->io, 0xcf8, 0x80005800u | k);                            /* Raven address register */
    for (unsigned i = 0; i < 4; i++)
        pt_wr8(r->mem, LSI_REGS + 0x34 + i, (uint8_t)(0x11 * (i + 1)) ^ k);   /* SCRATCHA */
    pt_wr8(r->mem, LSI_REGS + 0x39, 0x04);                             /* DIEN */
    pt_wr32(r->mem, LSI_RAM + 0x100, 0xcafe0000u | k);                 /* SCRIPTS RAM */
    pt_wr8(r->io, 0x81c, 0x05 ^ (k & 0x0f));                           /* system control */
    pt_wr8(r->io, 0x850, k & 1);                                       /* I/O map type */
    rtc_write(r, 0x20, 0x5a ^ k);                                      /* CMOS byte */
    rtc_write(r, 0x0a, 0x26);
    rtc_write(r, 0x0b, 0x42);                                          /* 24 h, periodic */
    pt_wr8(r->io, 0x70, 0x0b);
    nv_write(r, 0x0100, 0xa5 ^ k);
    nv_write(r, 0x1ff7, 0x0d);                                         /* watchdog: 3 x 1/4 s */
    pt_wr8(r->io, 0x74, 0x34);                                         /* leave an address latched */
    pt_wr8(r->io, 0x75, 0x12);
    pt_wr8(r->io, 0x64, 0xd2);                                         /* 8042: echo a byte */
    pt_wr8(r->io, 0x60, 0x42 ^ k);
    pt_wr8(r->io, 0x60, 0xf0);                                         /* keyboard: set scancodes */
    pt_wr(r->sys, CTL, 2, EMU_BIG_ENDIAN, EMU_FW_CFG_RAM_SIZE);
    pt_rd8(r->sys, DATA);
    if (!k)
        pt_rd8(r->sys, DATA);
}

/* What the guest reads back, in a fixed order (some reads change the device). */
#define NOBS 20
static void observe(rig *r, uint64_t v[NOBS])
{
    const emu_pci_bus_ops *pci = r->pci;
    unsigned n = 0;
    v[n++] = pt_rd32(r->io, 0xcf8);
    v[n++] = pci->config_read(r->bus, 0, 0x58, 0x3c, 1);
    v[n++] = pci->config_read(r->bus, 0, 0, 0x0c, 1);
    v[n++] = pci->config_read(r->bus, 0, 0x10, 0x14, 4);
    v[n++] = pt_rd32(r->mem, LSI_REGS + 0x34);
    v[n++] = pt_rd8(r->mem, LSI_REGS + 0x39);
    v[n++] = pt_rd32(r->mem, LSI_RAM + 0x100);
    v[n++] = pt_rd8(r->io, 0x81c);
    v[n++] = pt_rd8(r->io, 0x850);
    v[n++] = pt_rd8(r->io, 0x71);                                      /* register B, via the index */
    v[n++] = rtc_read(r, 0x20);
    v[n++] = nv_read(r, 0x0100);
    v[n++] = nv_read(r, 0x1ff7);
    v[n++] = pt_rd8(r->io, 0x64);                                      /* 8042 status */
    v[n++] = pt_rd8(r->io, 0x60);                                      /* the echoed byte */
    v[n++] = pt_rd8(r->io, 0x60);                                      /* keyboard ACK */
    pt_wr8(r->io, 0x60, 0x00);                                         /* ask for the scancode set */
    pt_rd8(r->io, 0x60);
    v[n++] = pt_rd8(r->io, 0x60);                                      /* the set: 2 */
    v[n++] = pt_rd8(r->sys, DATA);                                     /* next RAM-size byte */
    v[n++] = pt_rd8(r->sys, DATA);
    v[n++] = pci->config_read(r->bus, 0, 8, 0x04, 2);
}

/* Copy of `s` with the value of record `name` (its `nth` occurrence, from 0) replaced by the
   `len` bytes at `val` at byte offset `at` of the value. */
static emu_snapshot patched(const emu_snapshot *s, const char *name, unsigned nth, size_t at,
                            const void *val, size_t len)
{
    emu_snapshot c = { malloc(s->len), s->len, s->len };
    memcpy(c.data, s->data, s->len);
    uint16_t nl = (uint16_t)strlen(name);
    for (size_t i = 0; i + 2 + nl + 4 <= s->len; i++) {
        if (memcmp(c.data + i, &nl, 2) || memcmp(c.data + i + 2, name, nl))
            continue;
        if (nth--)
            continue;
        uint32_t vl;
        memcpy(&vl, c.data + i + 2 + nl, 4);
        if (at + len <= vl && i + 2 + nl + 4 + vl <= s->len)
            memcpy(c.data + i + 2 + nl + 4 + at, val, len);
        return c;
    }
    tap_diag("record '%s' not found", name);
    return c;
}

/* Copy of `s` with the first record named `name` renamed: its last letter becomes 'x'. */
static emu_snapshot renamed(const emu_snapshot *s, const char *name)
{
    emu_snapshot c = { malloc(s->len), s->len, s->len };
    memcpy(c.data, s->data, s->len);
    uint16_t nl = (uint16_t)strlen(name);
    for (size_t i = 0; i + 2 + nl <= s->len; i++)
        if (!memcmp(c.data + i, &nl, 2) && !memcmp(c.data + i + 2, name, nl)) {
            c.data[i + 2 + nl - 1] = 'x';
            break;
        }
    return c;
}

static emu_snapshot with_u64(const emu_snapshot *s, const char *name, unsigned nth, uint64_t v)
{
    return patched(s, name, nth, 0, &v, sizeof v);
}

static void refused(rig *r, emu_snapshot c, const char *what, const char *expect)
{
    emu_error *err = NULL;
    ok(emu_machine_load_state(r->m, &c, &err) < 0, "refused: %s", what);
    has_str(err ? emu_error_message(err) : "", expect, "the message names it (%s)", expect);
    emu_error_free(err);
    free(c.data);
}

int main(void)
{
    rig a, b;
    if (build(&a) < 0 || build(&b) < 0)
        return tap_done();
    emu_error *err = NULL;

    program(&a, 0);
    emu_snapshot snap;
    ok(emu_machine_save_state(a.m, &snap, &err) == 0, "save the PReP devices");
    uint64_t before[NOBS], after[NOBS], other[NOBS];
    observe(&a, before);
    is_u64(before[0], 0x80005800u, "Raven configuration address");
    is_u64(before[1], 0x0f, "i82378 interrupt line");
    is_u64(before[3], STUB_IO | 1, "placeholder I/O BAR");
    is_u64(before[4], 0x44332211u, "LSI SCRATCHA");
    is_u64(before[6], 0xcafe0000u, "LSI SCRIPTS RAM");
    is_u64(before[7], 0x05, "system control register");
    is_u64(before[8], 0x00, "I/O map type");
    is_u64(before[9], 0x42, "RTC register B through the saved index");
    is_u64(before[10], 0x5a, "CMOS byte");
    is_u64(before[11], 0xa5, "NVRAM byte");
    is_u64(before[13] & 0x21, 0x01, "8042 output buffer full (keyboard)");
    is_u64(before[14], 0x42, "8042 reply byte");
    is_u64(before[15], 0xfa, "keyboard ACK");
    is_u64(before[16], 0x02, "keyboard scancode set");
    is_u64(before[17], 0x00, "fw_cfg RAM size byte 2");
    is_u64(before[18], 0x08, "fw_cfg RAM size byte 3");

    /* Change everything, restore, and read the same again. */
    program(&a, 0xff);
    pt_wr8(a.io, 0x70, 0x20);
    ok(emu_machine_load_state(a.m, &snap, &err) == 0, "restore over changed devices");
    if (err)
        tap_diag("%s", emu_error_message(err)), emu_error_free(err), err = NULL;
    observe(&a, after);
    for (unsigned i = 0; i < NOBS; i++)
        is_u64(after[i], before[i], "restored read %u matches the saved machine", i);

    /* A fresh machine takes the snapshot too; its timers run from the restore. */
    ok(emu_machine_load_state(b.m, &snap, &err) == 0, "restore into a second machine");
    if (err)
        tap_diag("%s", emu_error_message(err)), emu_error_free(err), err = NULL;
    uint64_t t0 = emu_clock_ns(b.m);
    emu_clock_advance_to(b.m, t0 + 2000000);
    emu_clock_run_due(b.m);
    is_u64(rtc_read(&b, 0x0c) & 0xc0, 0xc0, "RTC periodic interrupt pending after 2 ms");
    observe(&b, other);
    for (unsigned i = 0; i < NOBS; i++)
        if (i != 9)   /* register B was just read through a different index */
            is_u64(other[i], before[i], "second machine: read %u matches", i);

    /* Records the devices cannot take. */
    refused(&b, with_u64(&snap, "config-address", 0, 1ull << 32), "a 33-bit Raven address",
            "config-address");
    refused(&b, with_u64(&snap, "noncontig", 0, 2), "a line level of 2", "noncontig");
    refused(&b, patched(&snap, "fn0b.0.config", 0, 0, "\x00", 1), "another vendor ID at 0b.0",
            "read-only bits");
    refused(&b, patched(&snap, "fn01.0.config", 0, 0x14, "\x01", 1), "a BAR type changed",
            "register 0x14");
    refused(&b, with_u64(&snap, "fn02.0.pin", 0, 5), "a pin level of 5", "fn02.0.pin");
    refused(&b, with_u64(&snap, "iomap-type", 0, 3), "I/O map type 3", "iomap-type");
    refused(&b, with_u64(&snap, "system-control", 0, 0x10), "system control bit 4",
            "system-control");
    refused(&b, with_u64(&snap, "index", 0, 0x80), "an RTC index above 127", "index");
    refused(&b, patched(&snap, "cmos", 0, 0x0d, "\x00", 1), "RTC register D cleared",
            "register D");
    refused(&b, patched(&snap, "cmos", 0, 0x0c, "\x80", 1), "IRQF without a flag", "IRQF");
    refused(&b, with_u64(&snap, "periodic-ns-left", 0, 5000000000ull),
            "a periodic interrupt 5 s away", "more than a period");
    refused(&b, with_u64(&snap, "watchdog-ns-left", 0, 60000000000ull),
            "a watchdog 60 s away with a 0.75 s period", "watchdog");
    refused(&b, with_u64(&snap, "address", 0, 0x10000), "a 17-bit NVRAM address", "address");
    refused(&b, with_u64(&snap, "status", 0, 0x02), "8042 input buffer full", "status");
    refused(&b, with_u64(&snap, "write-command", 0, 0x55), "8042 waiting on command 0x55",
            "write-command");
    emu_snapshot empty = with_u64(&snap, "status", 0, 0x10);   /* output buffer empty */
    refused(&b, with_u64(&empty, "reply-pending", 0, 1), "an 8042 reply waiting behind nothing",
            "output buffer is empty");
    free(empty.data);
    refused(&b, with_u64(&snap, "kbd.head", 0, 16), "a keyboard queue head past the end",
            "kbd.head");
    refused(&b, with_u64(&snap, "kbd.pending", 0, 0xf4), "keyboard waiting on 0xF4's argument",
            "takes none");
    refused(&b, with_u64(&snap, "key", 0, 0x1234), "an fw_cfg key with no item", "no such item");
    refused(&b, with_u64(&snap, "offset", 0, 9), "reading past an 8-byte fw_cfg item", "8 bytes");
    refused(&b, with_u64(&snap, "dma-address", 0, 0x1000), "a DMA latch without DMA",
            "dma-address");
    refused(&b, with_u64(&snap, "targets", 0, 1), "other SCSI targets", "targets");
    refused(&b, with_u64(&snap, "data-position", 0, 1), "a data position past the data",
            "data position");
    refused(&b, with_u64(&snap, "connected", 0, 1), "connected to a missing target",
            "not there");
    refused(&b, with_u64(&snap, "script-ns-left", 0, 1000000), "a script slice 1 ms away",
            "script-ns-left");
    refused(&b, renamed(&snap, "carry"), "a renamed record", "expected field");

    /* A refused record leaves the device as it was: the LSI keeps what the guest wrote. */
    pt_wr8(b.mem, LSI_REGS + 0x34, 0x99);
    refused(&b, with_u64(&snap, "blocks", 0, 1ull << 32), "a 33-bit block count", "blocks");
    is_u64(pt_rd8(b.mem, LSI_REGS + 0x34), 0x99, "the LSI kept its SCRATCHA after a refusal");

    emu_snapshot_free(&snap);
    emu_machine_free(a.m);
    emu_machine_free(b.m);
    return tap_done();
}
