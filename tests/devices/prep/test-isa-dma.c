/* ISA DMA controller tests through its ports and the device interface: reset state, address
 * and count registers behind the flip-flop, write and read transfers on byte and word
 * channels, terminal count (mask, status, auto-initialisation), address decrement, page
 * registers, the channel's direction and mask and the cascade enforced, addresses that reach
 * no memory, DREQ in the status register, and snapshots (save, change, restore, a bad record
 * refused). */
#include <string.h>
#include "prep-test.h"
#include "emu/isa-dma.h"
#include "state.h"

static emu_space *sys, *io;
static emu_device *dma;
static const emu_isa_dma_ops *ops;

static uint8_t in(unsigned port) { return (uint8_t)pt_rd8(io, port); }
static void out(unsigned port, uint8_t v) { pt_wr8(io, port, v); }

/* Program channel 0-3 as a PC driver does: mask, mode, flip-flop, address, page, count. */
static void program8(unsigned ch, uint8_t mode, uint32_t addr, uint16_t count)
{
    static const unsigned page_port[4] = { 0x87, 0x83, 0x81, 0x82 };
    out(0x0a, (uint8_t)(4 | ch));
    out(0x0b, (uint8_t)(mode | ch));
    out(0x0c, 0);
    out(2 * ch, (uint8_t)addr);
    out(2 * ch, (uint8_t)(addr >> 8));
    out(page_port[ch], (uint8_t)(addr >> 16));
    out(2 * ch + 1, (uint8_t)count);
    out(2 * ch + 1, (uint8_t)(count >> 8));
    out(0x0a, (uint8_t)ch);
}

static unsigned read16(unsigned port)
{
    unsigned lo = in(port);
    return lo | (unsigned)in(port) << 8;
}

static void test_reset(void)
{
    is_u64(in(0x0f), 0x0f, "DMA 1: all channels masked after reset (mask readable at 0x0F)");
    is_u64(in(0xde), 0x0f, "DMA 2: all channels masked after reset (0xDE)");
    is_u64(in(0x08), 0x00, "DMA 1 status: no terminal count, no request");
    bool tc = true;
    uint8_t b[4];
    is_u64(ops->transfer(dma, 2, b, 4, true, &tc), 0, "a masked channel moves nothing");
    ok(!tc, "and reports no terminal count");
}

static void test_write_transfer(void)
{
    out(0xd4, 0x00);   /* unmask channel 4, the cascade */
    program8(2, 0x44, 0x012000, 0x00ff);   /* single mode, write to memory: 256 bytes */
    out(0x0c, 0);
    is_u64(read16(0x04), 0x2000, "channel 2 address reads back");
    is_u64(read16(0x05), 0x00ff, "channel 2 count reads back");
    is_u64(in(0x81), 0x01, "channel 2 page register");

    uint8_t data[300];
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    bool tc = true;
    is_u64(ops->transfer(dma, 2, data, 100, true, &tc), 100, "100 bytes to memory");
    ok(!tc, "no terminal count yet");
    uint8_t mem[256];
    emu_space_read_bytes(sys, 0x12000, mem, 100);
    ok(!memcmp(mem, data, 100), "the bytes are at page 1, address 0x2000");
    out(0x0c, 0);
    is_u64(read16(0x04), 0x2064, "the current address advanced");
    is_u64(read16(0x05), 0x009b, "the current count went down");
    is_u64(ops->transfer(dma, 2, data + 100, 200, true, &tc), 156, "only the 156 bytes left move");
    ok(tc, "terminal count");
    emu_space_read_bytes(sys, 0x12000, mem, 256);
    ok(!memcmp(mem, data, 256), "all 256 bytes arrived");
    is_u64(in(0x08) & 0x0f, 0x04, "status: channel 2 reached terminal count");
    is_u64(in(0x08) & 0x0f, 0x00, "reading the status cleared it");
    is_u64(in(0x0f) & 0x04, 0x04, "channel 2 masked itself");
    is_u64(ops->transfer(dma, 2, data, 1, true, NULL), 0, "and moves nothing more");
}

static void test_read_decrement_autoinit(void)
{
    uint8_t src[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, got[16];
    emu_space_write_bytes(sys, 0x3000, src, sizeof src, false);
    program8(1, 0x58 | 0x20, 0x003007, 0x0007);   /* read, auto-init, decrement: 8 bytes */
    bool tc = false;
    is_u64(ops->transfer(dma, 1, got, 16, false, &tc), 8, "8 bytes from memory, downwards");
    ok(tc && got[0] == 8 && got[7] == 1, "read from 0x3007 down to 0x3000");
    is_u64(in(0x0f) & 0x02, 0, "auto-initialising: the channel stays unmasked");
    out(0x0c, 0);
    is_u64(read16(0x02), 0x3007, "and starts again from its base address");
    is_u64(ops->transfer(dma, 1, got, 3, false, &tc), 3, "it moves again");
    ok(!tc && got[0] == 8 && got[2] == 6, "the same bytes");
    is_u64(ops->transfer(dma, 1, got, 3, true, NULL), 0,
           "a device writing to memory on a read channel moves nothing");
}

static void test_word_channel(void)
{
    /* Channel 5: word address 0x0800 = byte 0x1000 of page 0x02 (bit 0 of the page unused). */
    out(0xd4, 4 | 1);
    out(0xd6, 0x44 | 1);
    out(0xd8, 0);
    out(0xc4, 0x00);
    out(0xc4, 0x08);
    out(0x8b, 0x03);
    out(0xc6, 0x01);   /* 2 words */
    out(0xc6, 0x00);
    out(0xd4, 1);
    uint8_t w[6] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6 }, mem[6] = { 0 };
    bool tc = false;
    is_u64(ops->transfer(dma, 5, w, 5, true, &tc), 4, "whole words only: 4 of 5 bytes");
    ok(tc, "two words end the count");
    emu_space_read_bytes(sys, 0x21000, mem, 4);
    ok(!memcmp(mem, w, 4), "at page 2 (bit 0 ignored) + 2 x 0x0800");
    is_u64(in(0xd0) & 0x0f, 0x02, "DMA 2 status: channel 5 reached terminal count");
}

static void test_blocking(void)
{
    uint8_t b[4] = { 0 };
    program8(3, 0x44, 0x4000, 3);
    out(0x08, 0x04);   /* disable DMA 1 */
    is_u64(ops->transfer(dma, 3, b, 4, true, NULL), 0, "a disabled controller moves nothing");
    out(0x08, 0x00);
    out(0xd4, 4 | 0);   /* mask the cascade channel 4 */
    is_u64(ops->transfer(dma, 3, b, 4, true, NULL), 0, "nor does DMA 1 with channel 4 masked");
    out(0xd4, 0);
    is_u64(ops->transfer(dma, 4, b, 4, true, NULL), 0, "channel 4 itself is the cascade");
    is_u64(ops->transfer(dma, 9, b, 4, true, NULL), 0, "channel 9 does not exist");
    out(0x0b, 0x4c | 3);   /* transfer type 3 is illegal */
    is_u64(ops->transfer(dma, 3, b, 4, true, NULL), 0, "an illegal transfer type moves nothing");
    out(0x0b, 0x40 | 3);   /* verify */
    bool tc = false;
    is_u64(ops->transfer(dma, 3, b, 8, true, &tc), 4, "verify counts 4 bytes");
    ok(tc, "and reaches terminal count without touching memory");
}

static void test_unassigned_and_pages(void)
{
    /* Page 0x80: ISA 0x800000, where this machine has no memory. */
    program8(0, 0x48, 0x800000, 3);
    uint8_t b[4] = { 0 };
    is_u64(ops->transfer(dma, 0, b, 4, false, NULL), 4, "a read from nowhere still counts");
    ok(b[0] == 0xff && b[3] == 0xff, "and gives 0xFF");
    for (unsigned p = 0x80; p < 0x90; p++)
        out(p, (uint8_t)(p ^ 0x5a));
    unsigned same = 0;
    for (unsigned p = 0x80; p < 0x90; p++)
        same += in(p) == (uint8_t)(p ^ 0x5a);
    is_u64(same, 16, "all 16 page registers read back");
    ops->request(dma, 6, 1);
    ops->request(dma, 1, 1);
    ops->request(dma, 99, 1);
    is_u64(in(0xd0) & 0xf0, 0x40, "DMA 2 status shows DREQ 6");
    is_u64(in(0x08) & 0xf0, 0x20, "DMA 1 status shows DREQ 1");
    ops->request(dma, 6, 0);
    out(0x09, 4 | 3);   /* software request on channel 3 */
    is_u64(in(0xd0) & 0xf0, 0x00, "DREQ 6 dropped");
    is_u64(in(0x08) & 0xf0, 0xa0, "DMA 1 status shows DREQ 1 and the software request 3");
}

/* Copy of `s` with the u64 record `name` replaced by v. */
static emu_snapshot with_u64(const emu_snapshot *s, const char *name, uint64_t v)
{
    emu_snapshot c = { malloc(s->len), s->len, s->len };
    memcpy(c.data, s->data, s->len);
    uint16_t nl = (uint16_t)strlen(name);
    for (size_t i = 0; i + 2 + nl + 4 + 8 <= s->len; i++)
        if (!memcmp(c.data + i, &nl, 2) && !memcmp(c.data + i + 2, name, nl)) {
            memcpy(c.data + i + 2 + nl + 4, &v, 8);
            break;
        }
    return c;
}

static void test_snapshot(emu_machine *m)
{
    emu_error *err = NULL;
    program8(2, 0x44, 0x056789, 0x1234);
    out(0x0c, 0);
    out(0x04, 0x11);   /* leave the flip-flop on the high byte */
    emu_snapshot snap;
    ok(emu_machine_save_state(m, &snap, &err) == 0, "save");
    program8(2, 0x48, 0x000000, 0x0001);
    out(0x0f, 0x0f);
    out(0x85, 0x00);
    ok(emu_machine_load_state(m, &snap, &err) == 0, "restore over a changed controller");
    out(0x04, 0x67);   /* the flip-flop still expects the high byte */
    out(0x0c, 0);
    is_u64(read16(0x04), 0x6711, "address register and flip-flop restored");
    is_u64(read16(0x05), 0x1234, "count register restored");
    is_u64(in(0x81), 0x05, "page register restored");
    is_u64(in(0x85), 0x85 ^ 0x5a, "spare page register restored");
    is_u64(in(0x0f), 0x09, "mask restored");
    emu_snapshot bad = with_u64(&snap, "channel2.mode", 0x45);
    ok(emu_machine_load_state(m, &bad, &err) < 0, "a mode naming another channel is refused");
    has_str(err ? emu_error_message(err) : "", "names channel 1", "the message says so");
    emu_error_free(err), err = NULL;
    free(bad.data);
    bad = with_u64(&snap, "dma1", 0x100000);
    ok(emu_machine_load_state(m, &bad, &err) < 0, "a terminal count bit above channel 3 is refused");
    emu_error_free(err), err = NULL;
    free(bad.data);
    emu_snapshot_free(&snap);
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("isa-dma-test", &err);
    sys = emu_machine_space(m, "system");
    io = pt_space(m, "pci-io", 0x10000);
    emu_region_map(emu_space_root(sys), 0, emu_region_ram(m, "ram", 0x100000), 0, NULL);
    dma = pt_device(m, "isa-dma", "dma", NULL);
    if (!dma)
        return tap_done();
    pt_map(dma, "ctrl8", "pci-io", 0x00);
    pt_map(dma, "ctrl16", "pci-io", 0xc0);
    pt_map(dma, "page", "pci-io", 0x80);
    ops = emu_isa_dma(dma);
    ok(ops != NULL, "isa-dma offers the ISA DMA interface");
    if (!ops)
        return tap_done();
    emu_machine *m2 = emu_machine_new("isa-dma-bad", &err);
    char *msg = pt_device_error(m2, "isa-dma", "bad", (const char *const[]){ "dma-space=nope", NULL });
    has_str(msg, "no address space 'nope'", "an unknown DMA space is refused");
    free(msg);
    emu_machine_free(m2);
    emu_machine_reset(m);

    test_reset();
    test_write_transfer();
    test_read_decrement_autoinit();
    test_word_channel();
    test_blocking();
    test_unassigned_and_pages();
    test_snapshot(m);

    emu_machine_free(m);
    return tap_done();
}
