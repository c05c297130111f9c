/* QEMU firmware configuration device (fw_cfg): items selected by key, read byte by byte (or
 * data-width bytes at a time), a sorted file directory, and the DMA interface; as a memory-
 * mapped device (selector, data and DMA registers: ARM, PPC, SPARC) or in I/O space (one
 * 2-byte port pair and the DMA register: x86).  Same guest-visible behaviour as QEMU 7.2. */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/fw_cfg.h"
#include "../state-fields.h"

#define ENTRY_MASK     0x3fffu          /* key without the write-channel and arch bits */
#define INVALID_KEY    0xffffu
#define FILE_ENTRY_LEN 64u              /* u32 size, u16 select, u16 reserved, name[56] */
#define DMA_SIGNATURE  0x51454d5520434647ull   /* "QEMU CFG" */
#define DMA_CTL_ERROR  0x01u
#define DMA_CTL_READ   0x02u
#define DMA_CTL_SKIP   0x04u
#define DMA_CTL_SELECT 0x08u
#define DMA_CTL_WRITE  0x10u

typedef struct entry {
    uint8_t *data;
    uint32_t len;
} entry;

typedef struct fw_cfg {
    emu_device dev;
    /* properties */
    bool dma_enabled;
    char *dma_space_name;
    int64_t file_slots;
    char *uuid;
    bool nographic, boot_menu;
    int64_t reboot_timeout;
    int64_t data_width;           /* fw-cfg-mem only */
    /* state */
    emu_space *dma_space;
    entry *entries[2];            /* [generic, arch-local][key & ENTRY_MASK] */
    uint32_t max_entry;           /* EMU_FW_CFG_FILE_FIRST + file_slots */
    uint8_t *dir;                 /* the file directory item (big-endian) */
    uint32_t nfiles;
    uint16_t cur_key;
    uint32_t cur_offset;
    uint64_t dma_addr;
} fw_cfg;

#define COMMON_PROPS \
    EMU_PROP_BOOL_DEF("dma", fw_cfg, dma_enabled, "false", \
                      "offer the DMA interface (id bit 1, the 'dma' region)"), \
    EMU_PROP_STRING_DEF("dma-space", fw_cfg, dma_space_name, "system", \
                        "address space DMA descriptors and buffers are in"), \
    EMU_PROP_INT_DEF("file-slots", fw_cfg, file_slots, "32", 16, 0x3fe0, \
                     "number of file keys (from 0x20)"), \
    EMU_PROP_STRING_DEF("uuid", fw_cfg, uuid, "00000000-0000-0000-0000-000000000000", \
                        "machine UUID (item 0x02)"), \
    EMU_PROP_BOOL_DEF("nographic", fw_cfg, nographic, "true", \
                      "item 0x04: the machine has no display (firmware uses the serial console)"), \
    EMU_PROP_BOOL_DEF("boot-menu", fw_cfg, boot_menu, "false", "item 0x0e: offer a boot menu"), \
    EMU_PROP_INT_DEF("reboot-timeout", fw_cfg, reboot_timeout, "-1", -1, 65535, \
                     "etc/boot-fail-wait: ms before rebooting after a failed boot (-1: never)")

static const emu_prop_desc fw_cfg_mem_props[] = {
    COMMON_PROPS,
    EMU_PROP_INT_DEF("data-width", fw_cfg, data_width, "1", 1, 8,
                     "bytes the data register returns per read (1, 2, 4 or 8)"),
    EMU_PROP_END,
};

static const emu_prop_desc fw_cfg_io_props[] = {
    COMMON_PROPS,
    EMU_PROP_END,
};

static const emu_region_desc fw_cfg_mem_regions[] = {
    { "ctl", "selector: 16-bit big-endian writes (PReP: at 0xF0000510)" },
    { "data", "data register, data-width bytes (PReP: at 0xF0000512)" },
    { "dma", "DMA address register, 8 bytes big-endian (only with dma=true)" },
    { NULL, NULL },
};

static const emu_region_desc fw_cfg_io_regions[] = {
    { "io", "2 ports: 16-bit selector at +0, data byte at +0 or +1 (x86: at 0x510)" },
    { "dma", "DMA address register, 8 bytes big-endian (x86: at 0x514; only with dma=true)" },
    { NULL, NULL },
};

/* ---- items ---- */

static entry *entry_of(fw_cfg *s, uint16_t key)
{
    if (key == INVALID_KEY || (key & ENTRY_MASK) >= s->max_entry)
        return NULL;
    return &s->entries[(key & EMU_FW_CFG_ARCH_LOCAL) ? 1 : 0][key & ENTRY_MASK];
}

static void store(entry *e, const void *data, size_t len)
{
    free(e->data);
    e->data = len ? malloc(len) : NULL;
    if (len && !e->data)
        abort();   /* host out of memory; board data are small */
    if (len)
        memcpy(e->data, data, len);
    e->len = (uint32_t)len;
}

static int fw_set(emu_device *dev, uint16_t key, const void *data, size_t len, emu_error **err)
{
    fw_cfg *s = (fw_cfg *)dev;
    uint16_t n = key & ENTRY_MASK;
    bool arch = key & EMU_FW_CFG_ARCH_LOCAL;
    if ((key & 0x4000) || n >= s->max_entry || (!arch && n >= EMU_FW_CFG_FILE_FIRST) ||
        (!arch && (n == EMU_FW_CFG_SIGNATURE || n == EMU_FW_CFG_ID || n == EMU_FW_CFG_FILE_DIR))) {
        emu_error_set(err, "fw_cfg key 0x%04x cannot be set (generic keys 0x02..0x1f except "
                      "0x19, or 0x8000 | n below 0x%x; files go through set_file)", key, s->max_entry);
        return -1;
    }
    if (len > UINT32_MAX) {
        emu_error_set(err, "fw_cfg item 0x%04x: %zu bytes is too large", key, len);
        return -1;
    }
    store(entry_of(s, key), data, len);
    return 0;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

static void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static uint8_t *dir_slot(fw_cfg *s, uint32_t i)
{
    return s->dir + 4 + FILE_ENTRY_LEN * i;
}

static int fw_set_file(emu_device *dev, const char *name, const void *data, size_t len,
                       emu_error **err)
{
    fw_cfg *s = (fw_cfg *)dev;
    size_t nlen = strlen(name);
    if (!nlen || nlen >= EMU_FW_CFG_MAX_FILE_PATH) {
        emu_error_set(err, "fw_cfg file name '%s' must have 1..%d characters", name,
                      EMU_FW_CFG_MAX_FILE_PATH - 1);
        return -1;
    }
    if (len > UINT32_MAX) {
        emu_error_set(err, "fw_cfg file '%s': %zu bytes is too large", name, len);
        return -1;
    }
    /* Find it, or the insertion point that keeps names sorted. */
    uint32_t at = s->nfiles;
    for (uint32_t i = 0; i < s->nfiles; i++) {
        int c = strcmp(name, (const char *)dir_slot(s, i) + 8);
        if (c == 0) {
            store(&s->entries[0][EMU_FW_CFG_FILE_FIRST + i], data, len);
            put_be32(dir_slot(s, i), (uint32_t)len);
            return 0;
        }
        if (c < 0 && at == s->nfiles)
            at = i;
    }
    if (s->nfiles >= (uint32_t)s->file_slots) {
        emu_error_set(err, "fw_cfg has no free file slot for '%s' (file-slots is %" PRId64 ")", name,
                      s->file_slots);
        return -1;
    }
    /* Shift the later files (and their items) up one key. */
    entry *files = &s->entries[0][EMU_FW_CFG_FILE_FIRST];
    memmove(&files[at + 1], &files[at], (s->nfiles - at) * sizeof *files);
    memmove(dir_slot(s, at + 1), dir_slot(s, at), (size_t)(s->nfiles - at) * FILE_ENTRY_LEN);
    s->nfiles++;
    for (uint32_t i = at + 1; i < s->nfiles; i++)
        put_be16(dir_slot(s, i) + 4, (uint16_t)(EMU_FW_CFG_FILE_FIRST + i));
    files[at] = (entry){ NULL, 0 };
    store(&files[at], data, len);
    uint8_t *slot = dir_slot(s, at);
    memset(slot, 0, FILE_ENTRY_LEN);
    put_be32(slot, (uint32_t)len);
    put_be16(slot + 4, (uint16_t)(EMU_FW_CFG_FILE_FIRST + at));
    memcpy(slot + 8, name, nlen);
    put_be32(s->dir, s->nfiles);
    return 0;
}

static const emu_fw_cfg_ops fw_ops = {
    .struct_size = sizeof(emu_fw_cfg_ops),
    .set = fw_set,
    .set_file = fw_set_file,
};

static const emu_iface fw_cfg_ifaces[] = {
    { EMU_FW_CFG_IFACE, &fw_ops },
    { NULL, NULL },
};

/* ---- the guest side ---- */

static void select_key(fw_cfg *s, uint16_t key)
{
    s->cur_offset = 0;
    s->cur_key = entry_of(s, key) ? key : INVALID_KEY;
}

/* `size` bytes of the current item as a big-endian string; zeros past the end. */
static uint64_t data_read(fw_cfg *s, unsigned size)
{
    entry *e = entry_of(s, s->cur_key);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        uint8_t b = 0;
        if (e && s->cur_offset < e->len)
            b = e->data[s->cur_offset++];
        v = v << 8 | b;
    }
    return v;
}

static uint64_t ctl_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque, (void)off, (void)size;
    return 0;
}

static void ctl_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    fw_cfg *s = opaque;
    if (off != 0 || size != 2) {
        emu_log(&s->dev, EMU_LOG_GUEST, "selector write of %u bytes at +%" PRIu64 " ignored "
                "(16-bit writes only)", size, off);
        return;
    }
    select_key(s, (uint16_t)value);
}

static const emu_mmio_ops ctl_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = ctl_read, .write = ctl_write,
    .endian = EMU_BIG_ENDIAN,
    .valid_min = 1, .valid_max = 2,
};

static uint64_t data_mem_read(void *opaque, uint64_t off, unsigned size)
{
    fw_cfg *s = opaque;
    if (off != 0) {
        emu_log(&s->dev, EMU_LOG_GUEST, "data read at +%" PRIu64 " ignored (offset 0 only)", off);
        return 0;
    }
    return data_read(s, size);
}

static void data_mem_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    (void)opaque, (void)off, (void)value, (void)size;
    /* Item writes were removed from QEMU in 2.4; the data register ignores them. */
}

static uint64_t io_read(void *opaque, uint64_t off, unsigned size)
{
    fw_cfg *s = opaque;
    (void)off;
    if (size != 1) {
        emu_log(&s->dev, EMU_LOG_GUEST, "%u-byte read of the fw_cfg ports ignored", size);
        return 0;
    }
    return data_read(s, 1);
}

static void io_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    fw_cfg *s = opaque;
    if (size == 2 && off == 0)
        select_key(s, (uint16_t)value);
    else if (size != 1)
        emu_log(&s->dev, EMU_LOG_GUEST, "%u-byte write at +%" PRIu64 " of the fw_cfg ports ignored",
                size, off);
}

static const emu_mmio_ops io_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = io_read, .write = io_write,
    .endian = EMU_LITTLE_ENDIAN,
    .valid_min = 1, .valid_max = 2,
};

/* ---- DMA ---- */

static uint64_t get_be(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}

static void dma_finish(fw_cfg *s, uint64_t desc, uint32_t control)
{
    uint8_t b[4];
    put_be32(b, control);
    if (emu_space_write_bytes(s->dma_space, desc, b, 4, false) < 0)
        emu_log(&s->dev, EMU_LOG_GUEST, "DMA descriptor at 0x%" PRIx64 " is not in memory", desc);
}

/* Run the descriptor at `desc`: { be32 control, be32 length, be64 address }. */
static void dma_transfer(fw_cfg *s, uint64_t desc)
{
    uint8_t d[16];
    if (emu_space_read_bytes(s->dma_space, desc, d, sizeof d) < 0) {
        emu_log(&s->dev, EMU_LOG_GUEST, "DMA descriptor at 0x%" PRIx64 " is not in memory", desc);
        dma_finish(s, desc, DMA_CTL_ERROR);
        return;
    }
    uint32_t control = (uint32_t)get_be(d, 4);
    uint64_t length = get_be(d + 4, 4);
    uint64_t addr = get_be(d + 8, 8);

    if (control & DMA_CTL_SELECT)
        select_key(s, (uint16_t)(control >> 16));
    bool read = control & DMA_CTL_READ;
    bool write = !read && (control & DMA_CTL_WRITE);
    if (!read && !write && !(control & DMA_CTL_SKIP))
        length = 0;

    entry *e = entry_of(s, s->cur_key);
    uint32_t result = 0;
    while (length > 0 && !(result & DMA_CTL_ERROR)) {
        uint64_t n;
        if (!e || s->cur_offset >= e->len) {
            /* Past the item: reads give zeros, in pieces so a huge length costs no memory. */
            static const uint8_t zeros[4096];
            n = length < sizeof zeros ? length : sizeof zeros;
            if (write)
                result |= DMA_CTL_ERROR;   /* no writable items */
            else if (read && emu_space_write_bytes(s->dma_space, addr, zeros, (size_t)n, false) < 0)
                result |= DMA_CTL_ERROR;
        } else {
            n = e->len - s->cur_offset;
            if (n > length)
                n = length;
            if (write)
                result |= DMA_CTL_ERROR;
            else if (read && emu_space_write_bytes(s->dma_space, addr, e->data + s->cur_offset,
                                                   (size_t)n, false) < 0)
                result |= DMA_CTL_ERROR;
            s->cur_offset += (uint32_t)n;
        }
        addr += n;
        length -= n;
    }
    if (result & DMA_CTL_ERROR)
        emu_log(&s->dev, EMU_LOG_GUEST, "DMA transfer (control 0x%08x) failed near 0x%" PRIx64,
                control, addr);
    dma_finish(s, desc, result);
}

static uint64_t dma_read(void *opaque, uint64_t off, unsigned size)
{
    (void)opaque;
    unsigned shift = (unsigned)(8 - off - size) * 8;
    uint64_t mask = size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
    return (DMA_SIGNATURE >> shift) & mask;
}

static void dma_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    fw_cfg *s = opaque;
    if (size == 4 && off == 0) {
        s->dma_addr = value << 32;
    } else if (size == 4 && off == 4) {
        uint64_t desc = s->dma_addr | value;
        s->dma_addr = 0;
        dma_transfer(s, desc);
    } else if (size == 8 && off == 0) {
        s->dma_addr = 0;
        dma_transfer(s, value);
    } else {
        emu_log(&s->dev, EMU_LOG_GUEST, "%u-byte DMA register write at +%" PRIu64 " ignored",
                size, off);
    }
}

static const emu_mmio_ops dma_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = dma_read, .write = dma_write,
    .endian = EMU_BIG_ENDIAN,
    .valid_min = 1, .valid_max = 8,
};

/* ---- lifecycle ---- */

static int parse_uuid(const char *text, uint8_t out[16])
{
    unsigned n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-' && (p - text == 8 || p - text == 13 || p - text == 18 || p - text == 23))
            continue;
        if (!isxdigit((unsigned char)*p) || n >= 32)
            return -1;
        unsigned v = (unsigned)(isdigit((unsigned char)*p) ? *p - '0' : (tolower(*p) - 'a' + 10));
        out[n / 2] = (uint8_t)(n % 2 ? out[n / 2] | v : v << 4);
        n++;
    }
    return n == 32 && strlen(text) == 36 ? 0 : -1;
}

static int common_realize(fw_cfg *s, emu_error **err)
{
    uint8_t uuid[16];
    if (parse_uuid(s->uuid, uuid) < 0) {
        emu_error_set(err, "uuid: '%s' is not of the form 01234567-89ab-cdef-0123-456789abcdef",
                      s->uuid);
        return -1;
    }
    if (s->dma_enabled && !(s->dma_space = emu_machine_space(s->dev.machine, s->dma_space_name))) {
        emu_error_set(err, "dma-space: no address space '%s'", s->dma_space_name);
        return -1;
    }
    s->max_entry = EMU_FW_CFG_FILE_FIRST + (uint32_t)s->file_slots;
    s->entries[0] = calloc(s->max_entry, sizeof(entry));
    s->entries[1] = calloc(s->max_entry, sizeof(entry));
    size_t dir_len = 4 + FILE_ENTRY_LEN * (size_t)s->file_slots;
    s->dir = calloc(1, dir_len);
    if (!s->entries[0] || !s->entries[1] || !s->dir) {
        emu_error_set(err, "out of memory");
        return -1;
    }
    /* The directory item shares the live buffer: it is never replaced, only edited. */
    s->entries[0][EMU_FW_CFG_FILE_DIR] = (entry){ s->dir, (uint32_t)dir_len };

    store(&s->entries[0][EMU_FW_CFG_SIGNATURE], "QEMU", 4);
    uint8_t id[4] = { s->dma_enabled ? 3 : 1, 0, 0, 0 };
    store(&s->entries[0][EMU_FW_CFG_ID], id, 4);
    store(&s->entries[0][EMU_FW_CFG_UUID], uuid, 16);
    uint8_t u16[2] = { s->nographic, 0 };
    store(&s->entries[0][EMU_FW_CFG_NOGRAPHIC], u16, 2);
    u16[0] = s->boot_menu;
    store(&s->entries[0][EMU_FW_CFG_BOOT_MENU], u16, 2);
    uint32_t wait = (uint32_t)s->reboot_timeout;
    uint8_t le32[4] = { (uint8_t)wait, (uint8_t)(wait >> 8), (uint8_t)(wait >> 16),
                        (uint8_t)(wait >> 24) };
    if (fw_set_file(&s->dev, "etc/boot-fail-wait", le32, 4, err) < 0 ||
        fw_set_file(&s->dev, "bootorder", NULL, 0, err) < 0 ||
        fw_set_file(&s->dev, "bios-geometry", NULL, 0, err) < 0)
        return -1;
    return 0;
}

/* The data register, one table per width (the valid sizes are part of the table). */
#define DATA_OPS(w) { .struct_size = sizeof(emu_mmio_ops), .read = data_mem_read, \
                      .write = data_mem_write, .endian = EMU_BIG_ENDIAN, .valid_min = 1, .valid_max = (w) }
static const emu_mmio_ops data_ops[4] = { DATA_OPS(1), DATA_OPS(2), DATA_OPS(4), DATA_OPS(8) };

static int fw_cfg_mem_realize(emu_device *dev, emu_error **err)
{
    fw_cfg *s = (fw_cfg *)dev;
    unsigned w = (unsigned)s->data_width;
    int wi = w == 1 ? 0 : w == 2 ? 1 : w == 4 ? 2 : w == 8 ? 3 : -1;
    if (wi < 0) {
        emu_error_set(err, "data-width: %u is not 1, 2, 4 or 8", w);
        return -1;
    }
    if (common_realize(s, err) < 0)
        return -1;
    if (!emu_device_mmio(dev, "ctl", 2, &ctl_ops, s) ||
        !emu_device_mmio(dev, "data", w, &data_ops[wi], s) ||
        (s->dma_enabled && !emu_device_mmio(dev, "dma", 8, &dma_ops, s))) {
        emu_error_set(err, "cannot create the fw_cfg regions");
        return -1;
    }
    return 0;
}

static int fw_cfg_io_realize(emu_device *dev, emu_error **err)
{
    fw_cfg *s = (fw_cfg *)dev;
    if (common_realize(s, err) < 0)
        return -1;
    if (!emu_device_mmio(dev, "io", 2, &io_ops, s) ||
        (s->dma_enabled && !emu_device_mmio(dev, "dma", 8, &dma_ops, s))) {
        emu_error_set(err, "cannot create the fw_cfg regions");
        return -1;
    }
    return 0;
}

static void fw_cfg_reset(emu_device *dev)
{
    fw_cfg *s = (fw_cfg *)dev;
    select_key(s, EMU_FW_CFG_SIGNATURE);
    s->dma_addr = 0;
}

static void fw_cfg_destroy(emu_device *dev)
{
    fw_cfg *s = (fw_cfg *)dev;
    for (int a = 0; a < 2; a++) {
        for (uint32_t i = 0; s->entries[a] && i < s->max_entry; i++)
            if (!(a == 0 && i == EMU_FW_CFG_FILE_DIR))
                free(s->entries[a][i].data);
        free(s->entries[a]);
    }
    free(s->dir);
}

/* ---- snapshots: the selected item, the read position in it, the DMA address latch ---- */

static int fw_cfg_save(emu_device *dev, emu_state_writer *w)
{
    fw_cfg *s = (fw_cfg *)dev;
    entry *e = entry_of(s, s->cur_key);
    emu_state_put_u64(w, "key", s->cur_key);
    emu_state_put_u64(w, "item-length", e ? e->len : 0);
    emu_state_put_u64(w, "offset", s->cur_offset);
    emu_state_put_u64(w, "dma-address", s->dma_addr);
    return 0;
}

static int fw_cfg_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    fw_cfg *s = (fw_cfg *)dev;
    uint64_t key, len, offset, dma;
    if (state_get(r, dev, "key", 0xffff, &key, err) < 0 ||
        state_get(r, dev, "item-length", UINT32_MAX, &len, err) < 0 ||
        state_get(r, dev, "offset", UINT32_MAX, &offset, err) < 0 ||
        state_get(r, dev, "dma-address", UINT64_MAX, &dma, err) < 0)
        return -1;
    entry *e = entry_of(s, (uint16_t)key);
    /* The items are the board's: the selected one must exist here with the saved length. */
    if (key != INVALID_KEY && !e) {
        emu_error_set(err, "%s state: item 0x%04x is selected, but this machine has no such item",
                      dev->type->name, (unsigned)key);
        return -1;
    }
    if ((e ? e->len : 0) != len || offset > len) {
        emu_error_set(err, "%s state: item 0x%04x has %u bytes here, the snapshot says %" PRIu64
                      " (read up to %" PRIu64 ")", dev->type->name, (unsigned)key,
                      e ? e->len : 0, len, offset);
        return -1;
    }
    /* Only the high half of the DMA address is ever latched, and only with DMA offered. */
    if ((dma & UINT32_MAX) || (dma && !s->dma_enabled)) {
        emu_error_set(err, "%s state: dma-address 0x%" PRIx64 " cannot be latched", dev->type->name,
                      dma);
        return -1;
    }
    s->cur_key = (uint16_t)key;
    s->cur_offset = (uint32_t)offset;
    s->dma_addr = dma;
    return 0;
}

static const emu_type fw_cfg_mem_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "fw-cfg-mem",
    .summary = "QEMU firmware configuration, memory-mapped (selector, data, DMA registers)",
    .instance_size = sizeof(fw_cfg),
    .props = fw_cfg_mem_props,
    .regions = fw_cfg_mem_regions,
    .realize = fw_cfg_mem_realize,
    .reset = fw_cfg_reset,
    .destroy = fw_cfg_destroy,
    .save = fw_cfg_save,
    .load = fw_cfg_load,
    .kind_ops = fw_cfg_ifaces,
};

static const emu_type fw_cfg_io_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "fw-cfg-io",
    .summary = "QEMU firmware configuration in I/O space (ports 0x510/0x511, DMA at 0x514)",
    .instance_size = sizeof(fw_cfg),
    .props = fw_cfg_io_props,
    .regions = fw_cfg_io_regions,
    .realize = fw_cfg_io_realize,
    .reset = fw_cfg_reset,
    .destroy = fw_cfg_destroy,
    .save = fw_cfg_save,
    .load = fw_cfg_load,
    .kind_ops = fw_cfg_ifaces,
};

static const emu_type *const fw_cfg_types[] = { &fw_cfg_mem_type, &fw_cfg_io_type, NULL };

EMU_PLUGIN(fw_cfg) = {
    EMU_PLUGIN_HEADER, "fw-cfg", "1.0", "QEMU firmware configuration device", fw_cfg_types,
};
