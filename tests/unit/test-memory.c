/* Unit tests of the memory system: regions, priorities, flat views, MMIO size and byte-order
 * rules, unassigned accesses, dirty and code tracking, listeners. */
#include <stdio.h>
#include "emu/memory.h"
#include "log.h"
#include "machine.h"
#include "memory/memory-internal.h"
#include "../tap.h"

/* ---- a test device: 16 byte-addressed registers, every call recorded ---- */

typedef struct call {
    char kind;              /* 'r' or 'w' */
    uint64_t offset, value;
    unsigned size;
} call;

typedef struct testdev {
    emu_endian endian;
    uint8_t regs[16];
    call calls[32];
    unsigned ncalls;
} testdev;

static uint64_t dev_read(void *opaque, uint64_t offset, unsigned size)
{
    testdev *d = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        unsigned k = d->endian == EMU_BIG_ENDIAN ? size - 1 - i : i;
        v |= (uint64_t)d->regs[(offset + k) % 16] << (8 * i);
    }
    if (d->ncalls < 32)
        d->calls[d->ncalls++] = (call){ 'r', offset, v, size };
    return v;
}

static void dev_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    testdev *d = opaque;
    for (unsigned i = 0; i < size; i++) {
        unsigned k = d->endian == EMU_BIG_ENDIAN ? size - 1 - i : i;
        d->regs[(offset + k) % 16] = (uint8_t)(value >> (8 * i));
    }
    if (d->ncalls < 32)
        d->calls[d->ncalls++] = (call){ 'w', offset, value, size };
}

static void dev_init(testdev *d, emu_endian e)
{
    memset(d, 0, sizeof *d);
    d->endian = e;
    for (unsigned i = 0; i < 16; i++)
        d->regs[i] = (uint8_t)(0x10 + i);
}

static emu_region *dev_region(emu_machine *m, const char *name, testdev *d, emu_endian e,
                              unsigned vmin, unsigned vmax, unsigned imin, unsigned imax)
{
    emu_mmio_ops ops = { sizeof ops, dev_read, dev_write, e, (uint8_t)vmin, (uint8_t)vmax,
                         (uint8_t)imin, (uint8_t)imax, false };
    dev_init(d, e);
    return emu_region_mmio(m, name, 16, &ops, d);
}

static uint64_t rd(emu_space *s, uint64_t a, unsigned size, emu_endian e)
{
    uint64_t v = 0xdeadbeef;
    emu_space_read(s, a, size, e, &v);
    return v;
}

static int map(emu_region *c, uint64_t a, emu_region *r, int prio)
{
    emu_error *err = NULL;
    int rc = emu_region_map(c, a, r, prio, &err);
    if (err) {
        tap_diag("map: %s", emu_error_message(err));
        emu_error_free(err);
    }
    return rc;
}

/* ---- listeners ---- */

static int map_calls;
static void on_map(void *opaque, emu_space *s)
{
    (void)opaque;
    (void)s;
    map_calls++;
}

static int protect_calls;
static const uint8_t *protect_host;
static void on_protect(void *opaque, const uint8_t *host, size_t len)
{
    (void)opaque;
    (void)len;
    protect_calls++;
    protect_host = host;
}

static int code_calls;
static uint64_t code_addr, code_len;
static emu_space *code_space;
static void on_code(void *opaque, emu_space *s, uint64_t addr, uint64_t len)
{
    (void)opaque;
    code_calls++;
    code_space = s;
    code_addr = addr;
    code_len = len;
}

static void test_ram_rom(emu_machine *m, emu_space *sys)
{
    emu_region *ram = emu_region_ram(m, "ram", 0x10000);
    ok(ram && map(emu_space_root(sys), 0x10000, ram, 0) == 0, "RAM mapped");
    emu_space_write(sys, 0x10000, 4, EMU_BIG_ENDIAN, 0x11223344);
    is_u64(rd(sys, 0x10000, 4, EMU_LITTLE_ENDIAN), 0x44332211, "big-endian write, little-endian read");
    is_u64(rd(sys, 0x10000, 2, EMU_BIG_ENDIAN), 0x1122, "2-byte big-endian read");
    is_u64(rd(sys, 0x10003, 1, EMU_LITTLE_ENDIAN), 0x44, "1-byte read");
    emu_space_write(sys, 0x10008, 8, EMU_LITTLE_ENDIAN, 0x0102030405060708ull);
    is_u64(emu_region_ram_ptr(ram)[8], 0x08, "8-byte little-endian write stores the low byte first");
    is_u64(rd(sys, 0x10008, 8, EMU_BIG_ENDIAN), 0x0807060504030201ull, "8-byte read in the other order");
    is_u64(rd(sys, 0x10009, 4, EMU_LITTLE_ENDIAN), 0x04050607, "unaligned RAM read");

    emu_region *rom = emu_region_rom(m, "rom", 0x1000);
    map(emu_space_root(sys), 0xfff00000, rom, 0);
    emu_space_write(sys, 0xfff00000, 4, EMU_BIG_ENDIAN, 0xcafebabe);
    is_u64(rd(sys, 0xfff00000, 4, EMU_BIG_ENDIAN), 0, "guest write to ROM ignored");
    const uint8_t img[4] = { 0x48, 0x00, 0x00, 0x01 };
    ok(emu_space_write_bytes(sys, 0xfff00000, img, 4, true) == 0, "loader writes ROM with force");
    is_u64(rd(sys, 0xfff00000, 4, EMU_BIG_ENDIAN), 0x48000001, "ROM holds the loaded image");
    emu_space_write_bytes(sys, 0xfff00000, "\0\0\0\0", 4, false);
    is_u64(rd(sys, 0xfff00000, 4, EMU_BIG_ENDIAN), 0x48000001, "byte write without force leaves ROM");

    emu_error *err = NULL;
    emu_region *ram2 = emu_region_ram(m, "ram2", 0x1000);
    ok(emu_region_map(emu_space_root(sys), 0x1f000, ram2, 0, &err) < 0, "overlapping RAM refused");
    has_str(err ? emu_error_message(err) : NULL, "overlaps ram", "message names the other region");
    emu_error_free(err);
    err = NULL;
    ok(emu_region_map(emu_space_root(sys), 0x1f000, ram2, 1, NULL) == 0,
       "overlapping RAM accepted at a higher priority");
    emu_space_write(sys, 0x1f000, 1, EMU_LITTLE_ENDIAN, 0x5a);
    ok(emu_region_ram_ptr(ram2)[0] == 0x5a && emu_region_ram_ptr(ram)[0xf000] == 0,
       "the higher-priority RAM takes the write");
    ok(emu_region_map(emu_space_root(sys), 0x90000, ram2, 0, &err) < 0, "a region maps only once");
    has_str(err ? emu_error_message(err) : NULL, "already mapped", "message says it is mapped");
    emu_error_free(err);
}

static void test_mmio(emu_machine *m, emu_space *sys)
{
    static testdev be, narrow, wide, sz;
    emu_region *r = dev_region(m, "be", &be, EMU_BIG_ENDIAN, 0, 0, 0, 0);
    map(emu_space_root(sys), 0x100000, r, 0);
    is_u64(rd(sys, 0x100000, 4, EMU_LITTLE_ENDIAN), 0x13121110, "big-endian device read little-endian");
    ok(be.ncalls == 1 && be.calls[0].size == 4 && be.calls[0].value == 0x10111213,
       "device sees its own byte order, one call");
    be.ncalls = 0;
    emu_space_write(sys, 0x100004, 4, EMU_LITTLE_ENDIAN, 0xaabbccdd);
    ok(be.ncalls == 1 && be.calls[0].value == 0xddccbbaa && be.calls[0].offset == 4,
       "little-endian write reaches a big-endian device swapped");
    is_u64(rd(sys, 0x100004, 4, EMU_BIG_ENDIAN), 0xddccbbaa, "same-order read gives the device value");

    /* valid sizes 1..4: an 8-byte access is refused */
    emu_region *rs = dev_region(m, "sized", &sz, EMU_LITTLE_ENDIAN, 1, 4, 0, 0);
    map(emu_space_root(sys), 0x100100, rs, 0);
    uint64_t v = 0;
    ok(emu_space_read(sys, 0x100100, 8, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_BAD_SIZE,
       "access wider than valid_max refused");
    ok(v == UINT64_MAX && sz.ncalls == 0, "refused read answers all ones, no callback");
    ok(emu_space_read(sys, 0x100102, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_BAD_SIZE,
       "unaligned access refused without unaligned_ok");

    /* impl 1..1: an 8-byte access becomes 8 byte calls */
    emu_region *rn = dev_region(m, "narrow", &narrow, EMU_LITTLE_ENDIAN, 0, 0, 1, 1);
    map(emu_space_root(sys), 0x100200, rn, 0);
    is_u64(rd(sys, 0x100200, 8, EMU_BIG_ENDIAN), 0x1011121314151617ull, "split read assembled in order");
    ok(narrow.ncalls == 8 && narrow.calls[0].offset == 0 && narrow.calls[7].offset == 7 &&
       narrow.calls[3].size == 1, "8-byte read split into 8 one-byte calls");
    narrow.ncalls = 0;
    emu_space_write(sys, 0x100208, 4, EMU_BIG_ENDIAN, 0xa1a2a3a4);
    ok(narrow.ncalls == 4 && narrow.calls[0].value == 0xa1 && narrow.calls[3].value == 0xa4 &&
       narrow.calls[3].offset == 0xb, "split write sends bytes to their addresses");

    /* impl 4..4: a byte access is widened */
    emu_region *rw = dev_region(m, "wide", &wide, EMU_LITTLE_ENDIAN, 0, 0, 4, 4);
    map(emu_space_root(sys), 0x100300, rw, 0);
    is_u64(rd(sys, 0x100305, 1, EMU_LITTLE_ENDIAN), 0x15, "widened read extracts the byte");
    ok(wide.ncalls == 1 && wide.calls[0].offset == 4 && wide.calls[0].size == 4,
       "widened read is one aligned 4-byte call");
    wide.ncalls = 0;
    emu_space_write(sys, 0x100306, 1, EMU_LITTLE_ENDIAN, 0x77);
    ok(wide.ncalls == 1 && wide.calls[0].offset == 4 && wide.calls[0].value == 0x00770000,
       "widened write: 4-byte call, other bytes 0");

    /* a 4-byte access crossing from RAM into MMIO */
    emu_region *ram = emu_region_ram(m, "ram-before-mmio", 0x1000);
    map(emu_space_root(sys), 0x200000, ram, 0);
    static testdev cross;
    emu_region *rc = dev_region(m, "cross", &cross, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    map(emu_space_root(sys), 0x201000, rc, 0);
    emu_region_ram_ptr(ram)[0xffe] = 0xaa;
    emu_region_ram_ptr(ram)[0xfff] = 0xbb;
    is_u64(rd(sys, 0x200ffe, 4, EMU_LITTLE_ENDIAN), 0x1110bbaa, "access split at a region boundary");
    ok(cross.ncalls == 1 && cross.calls[0].offset == 0 && cross.calls[0].size == 2,
       "the MMIO part is one 2-byte call at offset 0");
}

static void test_layout(emu_machine *m, emu_space *sys)
{
    emu_region *root = emu_space_root(sys);
    /* priorities: stub over RAM, later equal priority wins, lower never wins */
    emu_region *ram = emu_region_ram(m, "base", 0x1000);
    map(root, 0x300000, ram, 0);
    emu_region_ram_ptr(ram)[0x900] = 0x42;
    static testdev hi;
    emu_region *mm = dev_region(m, "hi", &hi, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    map(root, 0x300800, mm, 1);
    is_u64(rd(sys, 0x300800, 1, EMU_LITTLE_ENDIAN), 0x10, "higher priority MMIO wins over RAM");
    is_u64(rd(sys, 0x300900, 1, EMU_LITTLE_ENDIAN), 0x42, "RAM shows around it");
    emu_region *st = emu_region_stub(m, "later", 16, false);
    map(root, 0x300808, st, 1);
    is_u64(rd(sys, 0x300808, 1, EMU_LITTLE_ENDIAN), 0, "equal priority: the region mapped last wins");
    is_u64(rd(sys, 0x300807, 1, EMU_LITTLE_ENDIAN), 0x17, "the earlier one keeps its other part");
    emu_region *lo = emu_region_stub(m, "low", 0x1000, false);
    map(root, 0x300000, lo, -1);
    is_u64(rd(sys, 0x300900, 1, EMU_LITTLE_ENDIAN), 0x42, "a lower priority region mapped later loses");

    /* enable / disable / unmap */
    emu_region_set_enabled(mm, false);
    is_u64(rd(sys, 0x300800, 1, EMU_LITTLE_ENDIAN), 0, "disabled MMIO: RAM below shows");
    emu_region_set_enabled(mm, true);
    is_u64(rd(sys, 0x300801, 1, EMU_LITTLE_ENDIAN), 0x11, "re-enabled MMIO answers again");
    emu_region_unmap(st);
    is_u64(rd(sys, 0x300808, 1, EMU_LITTLE_ENDIAN), 0x18, "unmapped stub no longer hides MMIO");
    ok(map(root, 0x400000, st, 0) == 0, "an unmapped region can be mapped again");

    /* alias window */
    emu_region *al = emu_region_alias(m, "window", ram, 0x900, 0x100);
    map(root, 0x500000, al, 0);
    is_u64(rd(sys, 0x500000, 1, EMU_LITTLE_ENDIAN), 0x42, "alias shows the target at its offset");
    emu_mem_where w;
    ok(!emu_mem_find(sys, 0x500100, &w), "alias window ends at its size");

    /* nested containers */
    emu_region *outer = emu_region_container(m, "outer", 0x10000);
    emu_region *inner = emu_region_container(m, "inner", 0x1000);
    emu_region *leaf = emu_region_ram(m, "leaf", 0x100);
    map(inner, 0x80, leaf, 0);
    map(outer, 0x2000, inner, 0);
    map(root, 0x600000, outer, 0);
    ok(emu_mem_find(sys, 0x602090, &w) && w.region == leaf && w.offset == 0x10,
       "nested containers resolve to the leaf and offset");

    /* a space mapped into another: an alias of its root, holding MMIO */
    emu_error *err = NULL;
    emu_space *io = emu_space_new(m, "isa-io", 0x10000, &err);
    ok(io && !emu_space_new(m, "isa-io", 0x10, NULL), "space created, duplicate name refused");
    static testdev uart;
    emu_region *ur = dev_region(m, "uart", &uart, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    map(emu_space_root(io), 0x3f8, ur, 0);
    emu_region *iow = emu_region_alias(m, "isa-io-window", emu_space_root(io), 0, 0x10000);
    map(root, 0x80000000, iow, 0);
    emu_space_write(sys, 0x800003fb, 1, EMU_LITTLE_ENDIAN, 0x83);
    ok(uart.ncalls == 1 && uart.calls[0].kind == 'w' && uart.calls[0].offset == 3 &&
       uart.calls[0].value == 0x83, "write through the window reaches the device at its offset");
    is_u64(rd(io, 0x3fb, 1, EMU_LITTLE_ENDIAN), 0x83, "the same register from its own space");

    /* alias of a container that contains MMIO, with an offset */
    emu_region *part = emu_region_alias(m, "io-part", emu_space_root(io), 0x3f0, 0x10);
    map(root, 0x700000, part, 0);
    uart.ncalls = 0;
    is_u64(rd(sys, 0x700009, 1, EMU_LITTLE_ENDIAN), 0x11, "alias into a container dispatches to MMIO");
    ok(uart.ncalls == 1 && uart.calls[0].offset == 1, "with the device's own offset");

    /* cycles and nesting */
    emu_region *loop = emu_region_alias(m, "loop", outer, 0, 0x100);
    ok(emu_region_map(inner, 0x800, loop, 0, &err) < 0, "alias cycle refused");
    has_str(err ? emu_error_message(err) : NULL, "cycle", "message names the cycle");
    emu_error_free(err);
    err = NULL;
    emu_region *deep = emu_region_ram(m, "deep", 0x10);
    for (int i = 0; i < EMU_MEM_MAX_DEPTH + 2; i++) {
        emu_region *c = emu_region_container(m, "level", 0x100);
        if (emu_region_map(c, 0, deep, 0, &err) < 0)
            break;
        deep = c;
    }
    has_str(err ? emu_error_message(err) : NULL, "levels deep", "absurd nesting refused");
    emu_error_free(err);
    err = NULL;

    /* nesting built top-down passes each map but not the space check */
    emu_space *tall = emu_space_new(m, "tall", 0x1000, NULL);
    emu_region *level = emu_space_root(tall);
    for (int i = 0; i < EMU_MEM_MAX_DEPTH + 2; i++) {
        emu_region *c = emu_region_container(m, "down", 0x100);
        map(level, 0, c, 0);
        level = c;
    }
    map(level, 0, emu_region_ram(m, "bottom", 0x10), 0);
    char *errlog = NULL;
    size_t errlen = 0;
    FILE *ef = open_memstream(&errlog, &errlen);
    emu_log_set_file(ef);
    ok(emu_space_check(tall, &err) < 0, "space check finds nesting built from the top");
    emu_log_set_file(NULL);
    fclose(ef);
    has_str(errlog, "space 'tall'", "rendering it logs an error naming the space");
    free(errlog);
    has_str(err ? emu_error_message(err) : NULL, "levels deep", "and says so");
    emu_error_free(err);
    err = NULL;

    /* alias bomb: each level holds eight aliases of the one below */
    emu_region *bomb = emu_region_ram(m, "byte", 1);
    uint64_t size = 1;
    int refused_at = -1;
    for (int i = 1; i < 12 && refused_at < 0; i++) {
        emu_region *c = emu_region_container(m, "bomb", size * 8);
        for (int k = 0; k < 8 && refused_at < 0; k++)
            if (emu_region_map(c, size * (uint64_t)k, emu_region_alias(m, "eight", bomb, 0, size), 0,
                               &err) < 0)
                refused_at = i;
        bomb = c;
        size *= 8;
    }
    ok(refused_at > 0, "alias bomb refused (at level %d)", refused_at);
    has_str(err ? emu_error_message(err) : NULL, "ranges", "message says it expands too much");
    emu_error_free(err);

    /* unassigned */
    uint64_t v = 0;
    ok(emu_space_read(sys, 0x900000, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED,
       "unassigned read reports EMU_MEM_UNASSIGNED");
    is_u64(v, 0xffffffff, "and answers all ones truncated to the size");
    emu_space_set_unassigned_value(sys, 0);
    is_u64(rd(sys, 0x900000, 8, EMU_LITTLE_ENDIAN), 0, "the unassigned value is per space");
    emu_space_set_unassigned_value(sys, UINT64_MAX);
    ok(emu_space_write(sys, 0x900000, 2, EMU_LITTLE_ENDIAN, 1) == EMU_MEM_UNASSIGNED,
       "unassigned write dropped with EMU_MEM_UNASSIGNED");
    uint8_t buf[4];
    ok(emu_space_read_bytes(sys, 0x300ffe, buf, 4) < 0 && buf[0] == 0 && buf[3] == 0xff,
       "byte read across a hole copies what exists and fails");

    char *dump = NULL;
    size_t dlen = 0;
    FILE *f = open_memstream(&dump, &dlen);
    emu_space_dump(sys, f);
    fclose(f);
    has_str(dump, "isa-io-window @isa-io", "dump shows the alias and its target");
    free(dump);
}

static void test_tracking(emu_machine *m, emu_space *sys)
{
    emu_region *fb = emu_region_ram(m, "fb", 0x4000);
    map(emu_space_root(sys), 0x1000000, fb, 0);
    emu_mem_add_protect_listener(m, on_protect, NULL);
    emu_mem_page pg;
    emu_mem_page_lookup(sys, 0x1000000, &pg);
    ok(pg.host == emu_region_ram_ptr(fb) && pg.flags == (EMU_PAGE_READ_FAST | EMU_PAGE_WRITE_FAST),
       "TLB fill of plain RAM: host pointer, read and write fast");

    protect_calls = 0;
    emu_region_track_dirty(fb, true);
    ok(protect_calls == 1, "tracking a region takes back fast writes");
    ok(!emu_region_test_and_clear_dirty(fb, 0, 0x4000), "clean after tracking starts");
    emu_mem_page_lookup(sys, 0x1001000, &pg);
    ok(!(pg.flags & EMU_PAGE_WRITE_FAST), "clean tracked page is not write fast");
    emu_space_write(sys, 0x1001004, 4, EMU_BIG_ENDIAN, 1);
    emu_mem_page_lookup(sys, 0x1001000, &pg);
    ok(pg.flags & EMU_PAGE_WRITE_FAST, "once dirty it is write fast");
    ok(!emu_region_test_and_clear_dirty(fb, 0x2000, 0x2000), "other pages still clean");
    ok(emu_region_test_and_clear_dirty(fb, 0, 0x4000), "the written page is dirty");
    ok(!emu_region_test_and_clear_dirty(fb, 0, 0x4000), "and clean after the test");
    emu_space_write_bytes(sys, 0x1003ff0, "abcd", 4, false);
    ok(emu_region_test_and_clear_dirty(fb, 0x3000, 0x1000), "byte writes mark pages too");

    /* code pages */
    emu_region *ram = emu_region_ram(m, "code-ram", 0x10000);
    map(emu_space_root(sys), 0x2000000, ram, 0);
    emu_mem_add_code_write_handler(m, on_code, NULL);
    protect_calls = 0;
    ok(emu_mem_mark_code(sys, 0x2001000, 0x20) == 0, "RAM page marked as code");
    ok(protect_calls == 1 && protect_host == emu_region_ram_ptr(ram) + 0x1000,
       "protect listener gets the page's host address");
    emu_mem_page_lookup(sys, 0x2001000, &pg);
    ok(pg.flags == EMU_PAGE_READ_FAST, "code page is read fast, not write fast");
    emu_space_write(sys, 0x2001ffc, 4, EMU_BIG_ENDIAN, 0x60000000);
    ok(code_calls == 1 && code_space == sys && code_addr == 0x2001ffc && code_len == 4,
       "write to a code page calls the handler with space, address, length");
    is_u64(rd(sys, 0x2001ffc, 4, EMU_BIG_ENDIAN), 0x60000000, "and the write is stored");
    emu_space_write(sys, 0x2001000, 4, EMU_BIG_ENDIAN, 0);
    ok(code_calls == 1, "the bit is cleared after the first hit");
    emu_mem_page_lookup(sys, 0x2001000, &pg);
    ok(pg.flags & EMU_PAGE_WRITE_FAST, "page write fast again");
    emu_region *mm = emu_region_stub(m, "not-ram", 0x1000, false);
    map(emu_space_root(sys), 0x2100000, mm, 0);
    ok(emu_mem_mark_code(sys, 0x2100000, 4) < 0, "marking code outside RAM/ROM fails");

    /* map listener */
    emu_mem_add_map_listener(m, on_map, NULL);
    emu_mem_page_lookup(sys, 0x2000000, &pg);   /* a CPU fills its TLB from the view */
    map_calls = 0;
    emu_region_set_enabled(ram, false);
    ok(map_calls >= 1, "map listener told when the layout changes");
    emu_mem_page_lookup(sys, 0x2000000, &pg);
    ok(pg.host == NULL && pg.flags == 0, "disabled RAM gives no fast access");
    emu_mem_remove_map_listener(m, on_map, NULL);
    map_calls = 0;
    emu_region_set_enabled(ram, true);
    ok(map_calls == 0, "removed listener not called");
}

static void test_many(emu_machine *m, emu_space *sys)
{
    /* 10,000 small RAM regions, 16 bytes each, every 32 bytes */
    emu_region *c = emu_region_container(m, "many", 0x100000);
    map(emu_space_root(sys), 0x10000000, c, 0);
    enum { N = 10000 };
    for (unsigned i = 0; i < N; i++)
        map(c, (uint64_t)i * 32, emu_region_ram(m, "small", 16), 0);
    for (unsigned i = 0; i < N; i++)
        emu_space_write(sys, 0x10000000 + (uint64_t)i * 32 + 4, 4, EMU_LITTLE_ENDIAN, i);
    unsigned good = 0, holes = 0;
    for (unsigned i = 0; i < N; i++) {
        uint64_t v;
        if (rd(sys, 0x10000000 + (uint64_t)(N - 1 - i) * 32 + 4, 4, EMU_LITTLE_ENDIAN) == N - 1 - i)
            good++;
        if (emu_space_read(sys, 0x10000000 + (uint64_t)i * 32 + 16, 4, EMU_LITTLE_ENDIAN, &v) ==
            EMU_MEM_UNASSIGNED)
            holes++;
    }
    is_u64(good, N, "10,000 regions each hold their own value");
    is_u64(holes, N, "the gaps between them are unassigned");
}

/* Last: categories enabled here stay enabled for the rest of the process. */
static void test_logs(emu_space *sys)
{
    char *logtext = NULL;
    size_t loglen = 0;
    FILE *logf = open_memstream(&logtext, &loglen);
    const char *bad;
    emu_log_enable_list("unassigned,guest", &bad);
    emu_log_set_file(logf);
    emu_space_write(sys, 0x900010, 4, EMU_BIG_ENDIAN, 0x1234);
    emu_space_write(sys, 0xfff00000, 1, EMU_BIG_ENDIAN, 0);
    emu_log_set_file(NULL);
    fclose(logf);
    has_str(logtext, "unassigned 4-byte write at 0x900010 in space 'system' (value 0x1234)",
            "unassigned write logged with space, address, size and value");
    has_str(logtext, "rom: 1-byte write to ROM", "ROM write logged as a guest error");
    free(logtext);
}


/* ---- edges: crossing regions, splitting and widening in both byte orders, alias chains,
   priorities in nested containers, remapping at run time, the top of the 64-bit space ---- */

static emu_region *ram_pattern(emu_machine *m, const char *name, uint64_t size, uint8_t base)
{
    emu_region *r = emu_region_ram(m, name, size);
    for (uint64_t i = 0; r && i < size; i++)
        emu_region_ram_ptr(r)[i] = (uint8_t)(base + i);
    return r;
}

static void test_crossing(emu_machine *m, emu_space *s)
{
    emu_region *root = emu_space_root(s);
    emu_region *a = ram_pattern(m, "cross-a", 0x1000, 0x00), *b = ram_pattern(m, "cross-b", 0x1000, 0x80);
    map(root, 0x10000, a, 0);
    map(root, 0x11000, b, 0);
    is_u64(rd(s, 0x10ffe, 4, EMU_LITTLE_ENDIAN), 0x8180fffeu, "unaligned read across two RAM regions");
    is_u64(rd(s, 0x10ffd, 8, EMU_BIG_ENDIAN), 0xfdfeff8081828384ull, "8-byte big-endian read across them");
    emu_space_write(s, 0x10fff, 2, EMU_BIG_ENDIAN, 0xa1b2);
    ok(emu_region_ram_ptr(a)[0xfff] == 0xa1 && emu_region_ram_ptr(b)[0] == 0xb2,
       "a 2-byte write across the boundary lands in both");
    uint64_t v = 0;
    ok(emu_space_read(s, 0x11ffe, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED,
       "a read running off RAM into a hole reports unassigned");
    is_u64(v, 0xffff7f7eu, "the RAM bytes are kept, the hole's bytes read as all ones");

    /* RAM then a 4-byte-only device: the piece for the device is too small to be accepted. */
    static testdev d4;
    emu_region *r4 = dev_region(m, "cross-dev", &d4, EMU_LITTLE_ENDIAN, 4, 4, 4, 4);
    map(root, 0x12000, r4, 0);
    emu_region *c = ram_pattern(m, "cross-c", 0x1000, 0x40);
    map(root, 0x22000, c, 0);
    d4.ncalls = 0;
    ok(emu_space_read(s, 0x11ffe, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_BAD_SIZE && d4.ncalls == 0,
       "2 bytes of a read reaching a 4-byte-only device are refused, the device is not called");
    is_u64(v, 0xffff7f7eu, "and read as the unassigned value");
    ok(emu_space_read(s, 0x11ffc, 8, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_OK && d4.ncalls == 1 &&
       d4.calls[0].offset == 0 && d4.calls[0].size == 4,
       "an 8-byte read of which 4 aligned bytes reach the device: one 4-byte call");
    is_u64(v, 0x131211107f7e7d7cull, "bytes from RAM and device in address order");
}

static void test_split_widen(emu_machine *m, emu_space *s)
{
    emu_region *root = emu_space_root(s);
    static testdev be4, le4, bew;
    /* 8-byte accesses to a device implementing 4: two calls, lowest address first. */
    emu_region *rbe = dev_region(m, "split-be", &be4, EMU_BIG_ENDIAN, 1, 8, 4, 4);
    map(root, 0x30000, rbe, 0);
    is_u64(rd(s, 0x30000, 8, EMU_BIG_ENDIAN), 0x1011121314151617ull,
           "BE device, impl 4: an 8-byte BE read is both halves in order");
    ok(be4.ncalls == 2 && be4.calls[0].offset == 0 && be4.calls[0].value == 0x10111213 &&
       be4.calls[1].offset == 4 && be4.calls[1].value == 0x14151617, "as two 4-byte calls");
    is_u64(rd(s, 0x30000, 8, EMU_LITTLE_ENDIAN), 0x1716151413121110ull, "the same bytes read little-endian");
    be4.ncalls = 0;
    emu_space_write(s, 0x30008, 8, EMU_LITTLE_ENDIAN, 0x8877665544332211ull);
    ok(be4.ncalls == 2 && be4.calls[0].value == 0x11223344 && be4.calls[1].value == 0x55667788,
       "an 8-byte LE write: the BE device sees each half in its order");

    /* Narrower than implemented: widened; writes carry zeros in the other bytes (no read-modify-write). */
    be4.ncalls = 0;
    is_u64(rd(s, 0x30001, 1, EMU_LITTLE_ENDIAN), 0x11, "1-byte read of a BE 4-byte register: byte 1");
    ok(be4.ncalls == 1 && be4.calls[0].offset == 0 && be4.calls[0].size == 4, "one widened call at 0");
    be4.ncalls = 0;
    emu_space_write(s, 0x30002, 1, EMU_LITTLE_ENDIAN, 0xaa);
    ok(be4.ncalls == 1 && be4.calls[0].kind == 'w' && be4.calls[0].size == 4 &&
       be4.calls[0].value == 0x0000aa00, "1-byte write at 2 of a BE device: 4-byte write 0x0000aa00");
    be4.ncalls = 0;
    emu_space_write(s, 0x30006, 2, EMU_BIG_ENDIAN, 0xbbcc);
    ok(be4.ncalls == 1 && be4.calls[0].offset == 4 && be4.calls[0].value == 0x0000bbcc,
       "2-byte BE write at 6: the low half of the BE register");
    emu_region *rle = dev_region(m, "split-le", &le4, EMU_LITTLE_ENDIAN, 1, 8, 4, 4);
    map(root, 0x30100, rle, 0);
    emu_space_write(s, 0x30102, 2, EMU_BIG_ENDIAN, 0xbbcc);
    ok(le4.ncalls == 1 && le4.calls[0].offset == 0 && le4.calls[0].value == 0xccbb0000,
       "2-byte BE write at 2 of an LE device: 0xccbb0000");

    /* Every byte order pair round-trips, and the device sees bytes in address order. */
    int good = 0;
    for (int de = 0; de < 2; de++) {
        for (int ae = 0; ae < 2; ae++) {
            for (unsigned size = 1; size <= 8; size *= 2) {
                dev_init(&bew, (emu_endian)de);
                emu_mmio_ops ops = { sizeof ops, dev_read, dev_write, (emu_endian)de, 1, 8, 1, 8, false };
                char name[32];
                snprintf(name, sizeof name, "pair-%d-%d-%u", de, ae, size);
                emu_region *r = emu_region_mmio(m, name, 16, &ops, &bew);
                map(root, 0x31000, r, 0);
                uint64_t val = 0x0102030405060708ull & (size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1);
                emu_space_write(s, 0x31000, size, (emu_endian)ae, val);
                /* Accessor order ae: byte i at address i is the value's byte (ae LE: i, BE: size-1-i). */
                int bytes_ok = 1;
                for (unsigned i = 0; i < size; i++) {
                    unsigned k = ae == EMU_BIG_ENDIAN ? size - 1 - i : i;
                    bytes_ok &= bew.regs[i] == (uint8_t)(val >> (8 * k));
                }
                good += bytes_ok && rd(s, 0x31000, size, (emu_endian)ae) == val;
                emu_region_unmap(r);
            }
        }
    }
    is_u64(good, 16, "device LE/BE x accessor LE/BE x sizes 1-8: bytes in address order, value round-trips");
}

static void test_alias_priority(emu_machine *m, emu_space *s)
{
    emu_region *root = emu_space_root(s);
    emu_region *ram = ram_pattern(m, "al-ram", 0x1000, 0);
    emu_region *a1 = emu_region_alias(m, "al-1", ram, 0x100, 0x800);
    emu_region *a2 = emu_region_alias(m, "al-2", a1, 0x40, 0x100);
    ok(a1 && a2 && map(root, 0x40000, a2, 0) == 0, "an alias of an alias maps");
    is_u64(rd(s, 0x40000, 1, EMU_LITTLE_ENDIAN), 0x40, "offsets add up: RAM byte 0x140");
    is_u64(rd(s, 0x400ff, 1, EMU_LITTLE_ENDIAN), 0x3f, "last byte: RAM 0x23f");
    emu_mem_where w;
    ok(!emu_mem_find(s, 0x40100, &w), "the inner alias's size bounds the window");
    ok(!emu_region_alias(m, "al-bad", a1, 0x700, 0x200), "an alias reaching past its target is refused");
    emu_region_ram_ptr(ram)[0x150] = 0xee;
    is_u64(rd(s, 0x40010, 1, EMU_LITTLE_ENDIAN), 0xee, "the window shows the RAM live");
    emu_space_write(s, 0x40011, 1, EMU_LITTLE_ENDIAN, 0xdd);
    is_u64(emu_region_ram_ptr(ram)[0x151], 0xdd, "and writes through it land in the RAM");

    /* Priorities are local to a container. */
    emu_region *outer = emu_region_container(m, "prio-outer", 0x1000);
    static testdev hi;
    emu_region *inner_hi = dev_region(m, "prio-inner-100", &hi, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    map(outer, 0, inner_hi, 100);
    map(root, 0x50000, outer, 1);
    emu_region *sib = ram_pattern(m, "prio-sibling", 0x1000, 0x77);
    map(root, 0x50000, sib, 2);
    is_u64(rd(s, 0x50000, 1, EMU_LITTLE_ENDIAN), 0x77,
           "priority 100 inside a priority-1 container loses to a priority-2 sibling");
    emu_region_unmap(sib);
    map(root, 0x50000, sib, 0);
    is_u64(rd(s, 0x50000, 1, EMU_LITTLE_ENDIAN), 0x10, "remapped at priority 0 it loses");
    is_u64(rd(s, 0x50010, 1, EMU_LITTLE_ENDIAN), 0x87, "and shows where the container has nothing");
    emu_region *neg = ram_pattern(m, "prio-neg", 0x2000, 0x33);
    map(root, 0x4f000, neg, -5);
    is_u64(rd(s, 0x4f000, 1, EMU_LITTLE_ENDIAN), 0x33, "negative priority: shows where nothing else is");
    is_u64(rd(s, 0x50000, 1, EMU_LITTLE_ENDIAN), 0x10, "and loses elsewhere");

    /* Equal priority, MMIO: the one mapped last wins, and unmapping it uncovers the other. */
    static testdev e1, e2;
    emu_region *m1 = dev_region(m, "eq-1", &e1, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    emu_region *m2 = dev_region(m, "eq-2", &e2, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    e2.regs[0] = 0x99;
    map(root, 0x60000, m1, 3);
    map(root, 0x60000, m2, 3);
    is_u64(rd(s, 0x60000, 1, EMU_LITTLE_ENDIAN), 0x99, "equal priority: mapped last wins");
    emu_region_unmap(m2);
    is_u64(rd(s, 0x60000, 1, EMU_LITTLE_ENDIAN), 0x10, "unmapped: the first shows again");
    map(root, 0x60000, m2, 3);
    emu_region_unmap(m1);
    map(root, 0x60000, m1, 3);
    is_u64(rd(s, 0x60000, 1, EMU_LITTLE_ENDIAN), 0x10, "remapping makes it the last mapped");
}

static void test_remap(emu_machine *m, emu_space *s)
{
    emu_region *root = emu_space_root(s);
    static testdev bar;
    emu_region *r = dev_region(m, "bar0", &bar, EMU_LITTLE_ENDIAN, 0, 0, 0, 0);
    emu_region *pci = emu_region_container(m, "pci-mem", 0x100000);
    map(root, 0x80000000ull, pci, 0);
    map(pci, 0x1000, r, 0);
    int good = 0;
    uint64_t v;
    for (unsigned i = 0; i < 64; i++) {
        uint64_t at = 0x1000 + 0x1000 * (uint64_t)(i % 16) * 3;
        good += rd(s, 0x80000000ull + at, 1, EMU_LITTLE_ENDIAN) == 0x10;     /* warm the lookup cache */
        emu_region_unmap(r);
        good += emu_space_read(s, 0x80000000ull + at, 1, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED;
        uint64_t next = 0x1000 + 0x1000 * (uint64_t)((i + 1) % 16) * 3;
        map(pci, next, r, 0);
        good += rd(s, 0x80000000ull + next, 1, EMU_LITTLE_ENDIAN) == 0x10;
        good += next == at || emu_space_read(s, 0x80000000ull + at, 1, EMU_LITTLE_ENDIAN, &v) ==
                              EMU_MEM_UNASSIGNED;
    }
    is_u64(good, 256, "a BAR moved 64 times: found at each new place, gone from the old one");
    emu_region_unmap(pci);
    map(root, 0x90000000ull, pci, 0);
    is_u64(rd(s, 0x90001000ull, 1, EMU_LITTLE_ENDIAN), 0x10,
           "moving the whole bus container moves what is in it");
}

static void test_top(emu_machine *m)
{
    emu_error *err = NULL;
    emu_space *s = emu_space_new(m, "top", 0, &err);
    emu_region *root = emu_space_root(s);
    emu_region *hi = ram_pattern(m, "top-hi", 0x1000, 0xa0), *lo = ram_pattern(m, "top-lo", 0x1000, 0x00);
    ok(map(root, 0xfffffffffffff000ull, hi, 0) == 0, "RAM at the very top of a 64-bit space");
    map(root, 0, lo, 0);
    is_u64(rd(s, 0xfffffffffffffff8ull, 8, EMU_BIG_ENDIAN), 0x98999a9b9c9d9e9full,
           "the last 8 bytes");
    is_u64(rd(s, 0xfffffffffffffffcull, 8, EMU_BIG_ENDIAN), 0x9c9d9e9f00010203ull,
           "an access past 2^64 wraps to address 0");
    emu_space_write(s, 0xffffffffffffffffull, 2, EMU_LITTLE_ENDIAN, 0x5566);
    ok(emu_region_ram_ptr(hi)[0xfff] == 0x66 && emu_region_ram_ptr(lo)[0] == 0x55,
       "a write across the top wraps too");
    uint8_t buf[4];
    ok(emu_space_read_bytes(s, 0xfffffffffffffffeull, buf, 4) == 0 && buf[1] == 0x66 && buf[2] == 0x55,
       "byte copies wrap");
    emu_region *big = emu_region_ram(m, "top-big", 0x2000);
    ok(emu_region_map(root, 0xfffffffffffff000ull, big, 1, &err) < 0, "a region past 2^64 is refused");
    has_str(err ? emu_error_message(err) : NULL, "does not fit", "saying it does not fit");
    emu_error_free(err);
    err = NULL;
    emu_space *small = emu_space_new(m, "small", 0x10000, &err);
    emu_region *sr = emu_region_ram(m, "small-ram", 0x100);
    ok(emu_region_map(emu_space_root(small), 0xffff, sr, 0, &err) < 0, "a region past a space's end is refused");
    emu_error_free(err);
    uint64_t v;
    ok(emu_space_read(small, 0xfffe, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED && v == 0xffffffff,
       "reads past a small space's end are unassigned");
    emu_space_set_unassigned_value(small, 0x1122334455667788ull);
    char *logtext = NULL;
    size_t loglen = 0;
    FILE *logf = open_memstream(&logtext, &loglen);
    const char *bad;
    emu_log_enable_list("unassigned", &bad);
    emu_log_set_file(logf);
    ok(emu_space_read(small, 0x100, 2, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED && v == 0x7788,
       "a space's own unassigned value, truncated to the size");
    ok(emu_space_read(s, 0x5000, 2, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED && v == 0xffff,
       "another space keeps all ones");
    emu_log_set_file(NULL);
    fclose(logf);
    has_str(logtext, "unassigned 2-byte read at 0x100 in space 'small'", "logged with the space's name");
    free(logtext);
}

static void test_dirty_api(emu_machine *m, emu_space *s)
{
    emu_region *fb = emu_region_ram(m, "fb2", 0x10000);
    map(emu_space_root(s), 0x100000, fb, 0);
    ok(emu_region_test_and_clear_dirty(fb, 0, 0x10000), "an untracked region always reads dirty");
    emu_region_track_dirty(fb, true);
    ok(!emu_region_test_and_clear_dirty(fb, 0, 0x10000), "tracking starts clean");
    emu_space_write(s, 0x100ffc, 8, EMU_LITTLE_ENDIAN, 1);   /* pages 0 and 1 */
    ok(emu_region_test_and_clear_dirty(fb, 0x1000, 1), "a write across a page boundary dirties the second page");
    ok(emu_region_test_and_clear_dirty(fb, 0xff0, 4), "and the first");
    ok(!emu_region_test_and_clear_dirty(fb, 0, 0x2000), "both clear after their tests (whole pages)");
    uint8_t line[0x3000];
    memset(line, 1, sizeof line);
    emu_space_write_bytes(s, 0x102800, line, sizeof line, false);   /* pages 2-5 */
    ok(!emu_region_test_and_clear_dirty(fb, 0x6000, 0xa000), "pages after a DMA stay clean");
    ok(emu_region_test_and_clear_dirty(fb, 0x5000, 0x1000), "the DMA's last page is dirty");
    ok(emu_region_test_and_clear_dirty(fb, 0x2000, 0x100), "its first too");
    ok(!emu_region_test_and_clear_dirty(fb, 0x10000, 0x1000), "a range past the region: nothing");
    ok(emu_region_test_and_clear_dirty(fb, 0x3000, UINT64_MAX), "a length past the end is cut to the region");
    ok(!emu_region_test_and_clear_dirty(fb, 0, 0x10000), "everything clean now");
    emu_region *win = emu_region_alias(m, "fb2-window", fb, 0x8000, 0x1000);
    map(emu_space_root(s), 0x200000, win, 0);
    emu_space_write(s, 0x200004, 1, EMU_LITTLE_ENDIAN, 9);
    ok(emu_region_test_and_clear_dirty(fb, 0x8000, 0x1000), "a write through an alias dirties the RAM's page");
    emu_region_track_dirty(fb, false);
    ok(emu_region_test_and_clear_dirty(fb, 0, 1), "tracking off: dirty again");

    /* Code marked through one view, written through another: the handler hears the marked view. */
    emu_mem_remove_code_write_handler(m, on_code, NULL);   /* registered once, whoever did before */
    emu_mem_add_code_write_handler(m, on_code, NULL);
    code_calls = 0;
    ok(emu_mem_mark_code(s, 0x200100, 4) == 0, "code marked through the alias window");
    emu_space_write(s, 0x108104, 4, EMU_BIG_ENDIAN, 0x60000000);
    ok(code_calls == 1 && code_space == s && code_addr == 0x200104 && code_len == 4,
       "a write through the direct mapping reports the address the code was marked at");
    emu_space_write(s, 0x108104, 4, EMU_BIG_ENDIAN, 0x60000000);
    is_u64(code_calls, 1, "only once: the code bit is gone");
    emu_mem_remove_code_write_handler(m, on_code, NULL);
}


/* ---- random layouts against a reference: what the documented rules say is at an address ---- */

typedef struct ref_node {
    emu_region *r;
    int kind;                   /* 0 leaf (RAM), 1 container, 2 alias */
    uint64_t size;
    struct ref_node *target;    /* alias */
    uint64_t toff;
    struct ref_node *kids[8];
    uint64_t kaddr[8];
    int kprio[8];
    unsigned nkids;
    bool enabled;
} ref_node;

static uint64_t fz_state;
static uint64_t fz_rand(void)
{
    fz_state = fz_state * 6364136223846793005ull + 1442695040888963407ull;
    return fz_state >> 33;
}

/* The leaf and offset answering `a` inside node n, or NULL: children by priority, then the
   one placed last; a child with nothing at `a` lets the next one show through. */
static ref_node *ref_resolve(ref_node *n, uint64_t a, uint64_t *off, unsigned depth)
{
    if (!n->enabled || depth > 40 || a >= n->size)
        return NULL;
    if (n->kind == 0) {
        *off = a;
        return n;
    }
    if (n->kind == 2)
        return ref_resolve(n->target, a + n->toff, off, depth + 1);
    for (int i = (int)n->nkids - 1; i >= 0; i--) {   /* kids kept in precedence order */
        ref_node *k = n->kids[i];
        if (a < n->kaddr[i] || a - n->kaddr[i] >= k->size)
            continue;
        ref_node *hit = ref_resolve(k, a - n->kaddr[i], off, depth + 1);
        if (hit)
            return hit;
    }
    return NULL;
}

static void ref_place(ref_node *c, ref_node *k, uint64_t addr, int prio)
{
    unsigned i = c->nkids;
    while (i > 0 && c->kprio[i - 1] > prio) {
        c->kids[i] = c->kids[i - 1];
        c->kaddr[i] = c->kaddr[i - 1];
        c->kprio[i] = c->kprio[i - 1];
        i--;
    }
    c->kids[i] = k;
    c->kaddr[i] = addr;
    c->kprio[i] = prio;
    c->nkids++;
}

static void test_random_layouts(emu_machine *m)
{
    static ref_node nodes[64];
    int bad = 0, checked = 0, hits = 0;
    fz_state = 2026;
    for (int layout = 0; layout < 40 && !bad; layout++) {
        char name[32];
        snprintf(name, sizeof name, "fuzz%d", layout);
        emu_space *s = emu_space_new(m, name, 0x4000, NULL);
        unsigned nn = 0;
        ref_node *root = &nodes[nn++];
        *root = (ref_node){ .r = emu_space_root(s), .kind = 1, .size = 0x4000, .enabled = true };
        unsigned leaves = 0;
        for (int step = 0; step < 80 && nn < 64; step++) {
            ref_node *c = &nodes[fz_rand() % nn];
            if (c->kind != 1 || c->nkids == 8)
                continue;
            ref_node *k = &nodes[nn];
            int what = (int)(fz_rand() % 3);
            uint64_t size = 0x100 * (1 + fz_rand() % 16);
            if (size > c->size)
                size = c->size;
            *k = (ref_node){ .kind = what, .size = size, .enabled = true };
            snprintf(name, sizeof name, "f%d-%u", layout, nn);
            if (what == 0) {
                k->r = emu_region_ram(m, name, size);
                for (uint64_t i = 0; i < size; i += 0x10)
                    emu_region_ram_ptr(k->r)[i] = (uint8_t)(nn * 7 + i / 0x10);
                leaves++;
            } else if (what == 1) {
                k->r = emu_region_container(m, name, size);
            } else {
                ref_node *t = &nodes[fz_rand() % nn];
                if (t == c || t->size < size)
                    continue;
                k->target = t;
                k->toff = (fz_rand() % (t->size - size + 1)) & ~0xfull;
                k->r = emu_region_alias(m, name, t->r, k->toff, size);
            }
            uint64_t addr = ((fz_rand() % (c->size - size + 1)) & ~0xfull);
            int prio = (int)(fz_rand() % 3);
            if (emu_region_map(c->r, addr, k->r, prio, NULL) < 0)
                continue;   /* refused (RAM overlap at equal priority, cycle): not placed */
            ref_place(c, k, addr, prio);
            nn++;
            if (fz_rand() % 8 == 0) {
                k->enabled = false;
                emu_region_set_enabled(k->r, false);
            }
        }
        for (int probe = 0; probe < 400; probe++) {
            uint64_t a = (fz_rand() % 0x400) * 0x10;
            uint64_t off = 0;
            ref_node *want = ref_resolve(root, a, &off, 0);
            emu_mem_where w;
            bool found = emu_mem_find(s, a, &w);
            checked++;
            hits += want != NULL;
            if (found != (want != NULL) || (want && (w.region != want->r || w.offset != off))) {
                tap_diag("layout %d addr 0x%llx: flat view says %s+0x%llx, reference %s+0x%llx", layout,
                         (unsigned long long)a, found ? emu_region_name(w.region) : "-",
                         (unsigned long long)w.offset, want ? emu_region_name(want->r) : "-",
                         (unsigned long long)off);
                bad++;
                break;
            }
        }
    }
    ok(!bad, "40 random layouts (RAM, containers, aliases, priorities, disabled regions): "
       "the flat view agrees with the rules at %d addresses (%d decoded)", checked, hits);
}


/* A window onto another space: what nothing decodes behind it follows that space's rule. */
static void test_window_rule(emu_machine *m)
{
    char *logtext = NULL;
    size_t loglen = 0;
    FILE *logf = open_memstream(&logtext, &loglen);
    const char *bad;
    emu_log_enable_list("unassigned", &bad);
    emu_log_set_file(logf);
    emu_space *outer = emu_space_new(m, "outer", 0, NULL);
    emu_space *isa = emu_space_new(m, "isa", 0x10000, NULL);
    emu_space_set_unassigned_value(isa, 0);
    emu_region *win = emu_region_alias(m, "space:isa", emu_space_root(isa), 0, 0x10000);
    map(emu_space_root(outer), 0x80000000ull, win, 0);
    emu_region *port = ram_pattern(m, "isa-port", 0x10, 0x61);
    map(emu_space_root(isa), 0x3f8, port, 0);
    uint64_t v;
    ok(emu_space_read(outer, 0x80000300ull, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED && v == 0,
       "a hole behind a window answers the inner space's value (0), not the outer one's");
    ok(emu_space_read(outer, 0x7ffffffeull, 4, EMU_BIG_ENDIAN, &v) == EMU_MEM_UNASSIGNED && v == 0xffff0000,
       "an access straddling the window's edge: outer bytes all ones, inner bytes 0");
    is_u64(rd(outer, 0x800003f6ull, 4, EMU_LITTLE_ENDIAN), 0x62610000, "a hole and a device behind the window");
    is_u64(rd(outer, 0x90000000ull, 2, EMU_LITTLE_ENDIAN), 0xffff, "outside the window: the outer value");
    uint8_t buf[4];
    ok(emu_space_read_bytes(outer, 0x800003f6ull, buf, 4) < 0 && buf[0] == 0 && buf[1] == 0 && buf[2] == 0x61,
       "byte copies too");
    emu_space_set_unassigned_value(isa, 0xff);
    is_u64(rd(outer, 0x80000300ull, 2, EMU_LITTLE_ENDIAN), 0x00ff, "the inner value changed: seen at once");

    rd(outer, 0x80000300ull, 1, EMU_LITTLE_ENDIAN);
    emu_space_write(outer, 0x80000302ull, 1, EMU_LITTLE_ENDIAN, 7);
    rd(outer, 0x90000000ull, 1, EMU_LITTLE_ENDIAN);
    emu_log_set_file(NULL);
    fclose(logf);
    has_str(logtext, "unassigned 1-byte read at 0x80000300 in space 'outer' (at 0x300 in space 'isa', "
            "seen through a window)", "the log names the space behind the window and the address there");
    has_str(logtext, "unassigned 1-byte write at 0x80000302 in space 'outer' (value 0x7) (at 0x302 in space 'isa'",
            "writes too");
    has_str(logtext, "unassigned 1-byte read at 0x90000000 in space 'outer'\n", "outer holes as before");
    free(logtext);
    char *dump = NULL;
    size_t dlen = 0;
    FILE *df = open_memstream(&dump, &dlen);
    emu_space_dump(outer, df);
    fclose(df);
    has_str(dump, "unassigned in space isa", "the flat view shows the window's background");
    free(dump);
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("test", &err);
    ok(m != NULL, "machine created");
    if (!m)
        return tap_done();
    emu_space *sys = emu_machine_space(m, "system");
    ok(sys && !strcmp(emu_space_name(sys), "system"), "the system space exists");
    test_ram_rom(m, sys);
    test_mmio(m, sys);
    test_layout(m, sys);
    test_tracking(m, sys);
    test_many(m, sys);
    emu_space *edge = emu_space_new(m, "edge", 0, &err);
    ok(edge != NULL, "a second 64-bit space");
    test_crossing(m, edge);
    test_split_widen(m, edge);
    test_alias_priority(m, edge);
    test_remap(m, edge);
    test_top(m);
    test_dirty_api(m, edge);
    test_random_layouts(m);
    test_window_rule(m);
    test_logs(sys);
    emu_machine_free(m);
    return tap_done();
}
