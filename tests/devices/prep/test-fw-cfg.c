/* fw_cfg tests: the memory-mapped variant as OpenBIOS drives it on PReP (16-bit big-endian
 * selects, byte reads), the board interface, the sorted file directory, wide data reads, and the
 * I/O variant with the DMA interface, including descriptors that point nowhere. */
#include "prep-test.h"
#include "emu/fw_cfg.h"

#define CTL 0xf0000510u
#define DATA 0xf0000512u

static void sel(emu_space *sys, uint16_t key)
{
    pt_wr(sys, CTL, 2, EMU_BIG_ENDIAN, key);   /* sth */
}

/* n bytes of the selected item, with lbz. */
static void get(emu_space *sys, uint8_t *out, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        out[i] = (uint8_t)pt_rd8(sys, DATA);
}

static uint32_t get_le32(emu_space *sys)
{
    uint8_t b[4];
    get(sys, b, 4);
    return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("fw-cfg-test", &err);
    emu_space *sys = emu_machine_space(m, "system");
    emu_space *io = pt_space(m, "io", 0x10000);
    emu_region *ram = emu_region_ram(m, "ram", 0x10000);
    emu_region_map(emu_space_root(sys), 0, ram, 0, NULL);

    emu_device *fw = pt_device(m, "fw-cfg-mem", "fw", NULL);
    emu_device *wide = pt_device(m, "fw-cfg-mem", "wide", (const char *const[]){
        "data-width=8", "uuid=01234567-89ab-cdef-0123-456789ABCDEF", "nographic=false", NULL });
    emu_device *fio = pt_device(m, "fw-cfg-io", "fio", (const char *const[]){
        "dma=true", "reboot-timeout=1000", NULL });
    if (!fw || !wide || !fio)
        return tap_done();
    pt_map(fw, "ctl", "system", CTL);
    pt_map(fw, "data", "system", DATA);
    pt_map(wide, "ctl", "system", 0xf1000000);
    pt_map(wide, "data", "system", 0xf1000008);
    pt_map(fio, "io", "io", 0x510);
    pt_map(fio, "dma", "io", 0x514);
    ok(emu_device_region(fw, "dma") == NULL, "no DMA region without dma=true");

    const emu_fw_cfg_ops *ops = emu_fw_cfg(fw);
    ok(ops != NULL, "fw-cfg-mem offers the fw-cfg interface");
    if (!ops)
        return tap_done();
    ok(emu_fw_cfg_set_le(ops, fw, EMU_FW_CFG_RAM_SIZE, 0x08000000, 8, &err) == 0, "set RAM size");
    ok(emu_fw_cfg_set_le(ops, fw, EMU_FW_CFG_MACHINE_ID, 0, 2, &err) == 0, "set machine id");
    ok(emu_fw_cfg_set_le(ops, fw, EMU_FW_CFG_ARCH_LOCAL | 3, 1000000000, 4, &err) == 0,
       "set an arch-local key");
    ok(ops->set(fw, EMU_FW_CFG_FILE_DIR, "x", 1, &err) < 0, "the directory cannot be set");
    has_str(emu_error_message(err), "0x0019 cannot be set", "message names the key");
    emu_error_free(err), err = NULL;
    ok(ops->set(fw, 0x20, "x", 1, &err) < 0, "file keys cannot be set directly");
    emu_error_free(err), err = NULL;
    ok(ops->set(fw, 0x8040, "x", 1, &err) < 0, "arch key beyond the table refused");
    emu_error_free(err), err = NULL;
    emu_machine_reset(m);

    uint8_t b[64];
    get(sys, b, 4);
    ok(!memcmp(b, "QEMU", 4), "reset selects the signature");
    sel(sys, EMU_FW_CFG_SIGNATURE);
    get(sys, b, 5);
    ok(!memcmp(b, "QEMU\0", 5), "signature, then zeros past the end");
    sel(sys, EMU_FW_CFG_ID);
    is_u64(get_le32(sys), 1, "id 1: no DMA");
    sel(sys, EMU_FW_CFG_UUID);
    get(sys, b, 16);
    ok(!memcmp(b, (uint8_t[16]){ 0 }, 16), "default UUID is zero");
    sel(sys, EMU_FW_CFG_RAM_SIZE);
    is_u64(get_le32(sys), 0x08000000, "RAM size, little-endian");
    is_u64(get_le32(sys), 0, "its high half");
    sel(sys, EMU_FW_CFG_NOGRAPHIC);
    get(sys, b, 2);
    ok(b[0] == 1 && b[1] == 0, "nographic 1 by default");
    sel(sys, EMU_FW_CFG_NB_CPUS);
    is_u64(get_le32(sys), 0, "an item nobody set reads 0");
    sel(sys, EMU_FW_CFG_ARCH_LOCAL | 3);
    is_u64(get_le32(sys), 1000000000, "arch-local item");
    sel(sys, 0x4003);
    is_u64(get_le32(sys), 0x08000000, "the write-channel bit is ignored when selecting");
    sel(sys, 0x0040);
    is_u64(get_le32(sys), 0, "key beyond the file slots selects nothing");
    is_u64(pt_rd(sys, CTL, 2, EMU_BIG_ENDIAN), 0, "the selector reads 0");
    pt_wr8(sys, CTL, EMU_FW_CFG_ID);
    is_u64(get_le32(sys), 0, "a 1-byte selector write is ignored");

    /* File directory, as OpenBIOS scans it for "bootorder" */
    sel(sys, EMU_FW_CFG_FILE_DIR);
    get(sys, b, 4);
    is_u64(be32(b), 3, "three files by default");
    const char *names[] = { "bios-geometry", "bootorder", "etc/boot-fail-wait" };
    uint32_t sizes[] = { 0, 0, 4 };
    for (unsigned i = 0; i < 3; i++) {
        get(sys, b, 64);
        ok(be32(b) == sizes[i] && (unsigned)(b[4] << 8 | b[5]) == 0x20 + i && !strcmp((char *)b + 8, names[i]),
           "file %u: %s, size %u, key 0x%x", i, names[i], sizes[i], 0x20 + i);
    }
    sel(sys, 0x22);
    is_u64(get_le32(sys), 0xffffffff, "etc/boot-fail-wait is -1");
    ok(ops->set_file(fw, "a-first", "hello", 5, &err) == 0, "board adds a file");
    ok(ops->set_file(fw, "bootorder", "/pci\n", 5, &err) == 0, "board replaces a file");
    sel(sys, EMU_FW_CFG_FILE_DIR);
    get(sys, b, 4);
    is_u64(be32(b), 4, "four files");
    get(sys, b, 64);
    ok(!strcmp((char *)b + 8, "a-first") && (b[4] << 8 | b[5]) == 0x20, "new file sorted first");
    get(sys, b, 64);
    get(sys, b, 64);
    ok(!strcmp((char *)b + 8, "bootorder") && (b[4] << 8 | b[5]) == 0x22 && be32(b) == 5,
       "later files moved up one key, sizes updated");
    sel(sys, 0x22);
    get(sys, b, 5);
    ok(!memcmp(b, "/pci\n", 5), "the file's key follows it");
    sel(sys, 0x20);
    get(sys, b, 5);
    ok(!memcmp(b, "hello", 5), "new file readable at its key");
    char longname[80];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = 0;
    ok(ops->set_file(fw, longname, "", 0, &err) < 0, "a 79-character file name is refused");
    emu_error_free(err), err = NULL;
    unsigned added = 0;
    char name[16];
    while (added < 40) {
        snprintf(name, sizeof name, "f%02u", added);
        if (ops->set_file(fw, name, "", 0, &err) < 0)
            break;
        added++;
    }
    is_u64(added, 28, "32 file slots in all");
    has_str(emu_error_message(err), "no free file slot", "full directory reported");
    emu_error_free(err), err = NULL;

    /* Wide data register: 8 bytes per read, as a big-endian string */
    pt_wr(sys, 0xf1000000, 2, EMU_BIG_ENDIAN, EMU_FW_CFG_UUID);
    is_u64(pt_rd(sys, 0xf1000008, 8, EMU_BIG_ENDIAN), 0x0123456789abcdefull, "8-byte data read");
    is_u64(pt_rd(sys, 0xf1000008, 4, EMU_BIG_ENDIAN), 0x01234567, "then a 4-byte one");
    pt_wr(sys, 0xf1000000, 2, EMU_BIG_ENDIAN, EMU_FW_CFG_NOGRAPHIC);
    is_u64(pt_rd(sys, 0xf1000008, 4, EMU_BIG_ENDIAN), 0, "nographic=false gives 0");
    pt_wr(sys, 0xf1000000, 2, EMU_BIG_ENDIAN, EMU_FW_CFG_SIGNATURE);
    is_u64(pt_rd(sys, 0xf1000008, 8, EMU_BIG_ENDIAN), 0x51454d5500000000ull,
           "a short item is padded with zeros on the right");

    /* I/O variant and DMA */
    pt_wr16(io, 0x510, EMU_FW_CFG_ID);
    is_u64(pt_rd8(io, 0x511), 3, "I/O variant: id 3 with DMA");
    pt_wr16(io, 0x510, EMU_FW_CFG_SIGNATURE);
    is_u64(pt_rd8(io, 0x510) << 8 | pt_rd8(io, 0x511), 0x5145, "data also reads at the selector port");
    is_u64(pt_rd(io, 0x514, 8, EMU_BIG_ENDIAN), 0x51454d5520434647ull, "DMA register signature");
    is_u64(pt_rd(io, 0x518, 4, EMU_BIG_ENDIAN), 0x20434647, "its low half");

    uint8_t desc[16] = { 0x00, 0x02, 0x00, 0x0a,   /* select key 2, read */
                         0, 0, 0, 20,               /* 20 bytes */
                         0, 0, 0, 0, 0, 0, 0x20, 0 };   /* to 0x2000 */
    emu_space_write_bytes(sys, 0x1000, desc, 16, false);
    emu_space_write_bytes(sys, 0x2000, "################################", 32, false);
    pt_wr(io, 0x514, 4, EMU_BIG_ENDIAN, 0);
    pt_wr(io, 0x518, 4, EMU_BIG_ENDIAN, 0x1000);
    emu_space_read_bytes(sys, 0x1000, b, 4);
    is_u64(be32(b), 0, "DMA read completes with control 0");
    emu_space_read_bytes(sys, 0x2000, b, 24);
    ok(!memcmp(b, (uint8_t[20]){ 0 }, 16) && !memcmp(b + 16, "\0\0\0\0####", 8),
       "16 bytes of UUID then 4 zero bytes past the item, nothing beyond");

    uint8_t skip[16] = { 0x00, 0x00, 0x00, 0x0c, 0, 0, 0, 2 };   /* select 0, skip 2 */
    emu_space_write_bytes(sys, 0x1000, skip, 16, false);
    pt_wr(io, 0x514, 8, EMU_BIG_ENDIAN, 0x1000);
    is_u64(pt_rd8(io, 0x511), 'M', "8-byte DMA register write; skip moved the offset by 2");

    uint8_t wr[16] = { 0x00, 0x00, 0x00, 0x18, 0, 0, 0, 4 };     /* select 0, write */
    emu_space_write_bytes(sys, 0x1000, wr, 16, false);
    pt_wr(io, 0x514, 8, EMU_BIG_ENDIAN, 0x1000);
    emu_space_read_bytes(sys, 0x1000, b, 4);
    is_u64(be32(b), 1, "DMA write to a read-only item reports an error");

    uint8_t huge[16] = { 0x00, 0x19, 0x00, 0x0a, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x80, 0 };
    emu_space_write_bytes(sys, 0x1000, huge, 16, false);
    pt_wr(io, 0x514, 8, EMU_BIG_ENDIAN, 0x1000);
    emu_space_read_bytes(sys, 0x1000, b, 4);
    is_u64(be32(b), 1, "a 4 GiB DMA read stops with an error at the end of RAM");
    pt_wr(io, 0x514, 8, EMU_BIG_ENDIAN, 0xfffffffffffffff8ull);
    ok(1, "a descriptor address pointing nowhere is survived");

    emu_machine_reset(m);
    pt_wr16(io, 0x510, EMU_FW_CFG_SIGNATURE);
    pt_wr(io, 0x514, 4, EMU_BIG_ENDIAN, 1);
    emu_machine_reset(m);
    emu_space_write_bytes(sys, 0x1000, desc, 16, false);
    pt_wr(io, 0x518, 4, EMU_BIG_ENDIAN, 0x1000);
    emu_space_read_bytes(sys, 0x1000, b, 4);
    is_u64(be32(b), 0, "reset clears a half-written DMA address");

    /* Bad properties */
    char *msg = pt_device_error(m, "fw-cfg-mem", "bad1", (const char *const[]){ "uuid=123", NULL });
    has_str(msg, "uuid: '123' is not of the form", "bad UUID refused");
    free(msg);
    msg = pt_device_error(m, "fw-cfg-mem", "bad2", (const char *const[]){ "data-width=3", NULL });
    has_str(msg, "data-width: 3 is not 1, 2, 4 or 8", "bad data width refused");
    free(msg);
    msg = pt_device_error(m, "fw-cfg-io", "bad3", (const char *const[]){ "dma=on", "dma-space=x", NULL });
    has_str(msg, "no address space 'x'", "missing DMA space refused");
    free(msg);

    emu_machine_free(m);
    return tap_done();
}
