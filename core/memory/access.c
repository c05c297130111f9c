/* Guest accesses through a space: sized reads/writes with byte order, MMIO size rules
 * (valid sizes, implemented sizes, alignment), splits across regions, unassigned
 * addresses, and the byte-copy interface for DMA and loaders.
 *
 * Every access is carried as bytes in address order; values are converted at
 * the edges (the accessor's byte order at the top, the device's declared byte
 * order at an MMIO callback), so splitting and widening are byte copies.
 *
 * MMIO rules (documented in memory.h too):
 *  - an access of a size outside valid_min..valid_max is refused
 *    (EMU_MEM_BAD_SIZE, a guest-error log, reads answer the unassigned value);
 *  - an access not aligned to its size is refused the same way unless the
 *    region sets unaligned_ok;
 *  - wider than impl_max: split into impl_max pieces, lowest address first;
 *  - narrower than impl_min: reads read each containing impl_min-aligned
 *    unit and keep the bytes asked for; writes write those units with the
 *    other bytes 0 (never read-modify-write: device reads have side effects);
 *  - a part of an access that crosses into or out of an MMIO region (or a
 *    byte copy) is cut into naturally aligned power-of-two pieces of at most
 *    valid_max bytes, each checked as above;
 *  - an access reaching a region whose callback is already running (a device
 *    DMAing into its own registers) is refused and logged, never recursed.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "hooks.h"
#include "memory-private.h"

typedef enum access_mode {
    MODE_SIZED,     /* emu_space_read/write: a CPU or device access of 1/2/4/8 bytes */
    MODE_BYTES,     /* emu_space_read/write_bytes: DMA, guests' loaders */
    MODE_FORCE,     /* emu_space_write_bytes with force: loaders writing ROM */
} access_mode;

static uint64_t bytes_to_value(const uint8_t *b, unsigned n, emu_endian e)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)b[e == EMU_BIG_ENDIAN ? n - 1 - i : i] << (8 * i);
    return v;
}

static void value_to_bytes(uint64_t v, uint8_t *b, unsigned n, emu_endian e)
{
    for (unsigned i = 0; i < n; i++)
        b[e == EMU_BIG_ENDIAN ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static const char *rw(bool write)
{
    return write ? "write" : "read";
}

/* One call of the device's callback: `n` bytes (within impl sizes) at `off`. */
static void mmio_call(emu_region *r, uint64_t off, uint8_t *buf, unsigned n, bool write)
{
    const emu_mmio_ops *o = &r->ops;
    r->busy = true;
    if (write) {
        if (o->write)
            o->write(r->opaque, off, bytes_to_value(buf, n, o->endian), n);
    } else {
        uint64_t v = o->read ? o->read(r->opaque, off, n) : 0;
        value_to_bytes(v, buf, n, o->endian);
    }
    r->busy = false;
}

/* Report a guest access of a device's region to I/O hooks: writes before the
   device sees them, reads once it answered; the value in the device's byte order. */
static void fire_io(emu_space *s, emu_region *r, uint64_t off, const uint8_t *buf, unsigned n,
                    bool write)
{
    emu_machine *m = s->mem->m;
    if (r->owner && emu_hooks_any(m, EMU_HOOK_IO))
        emu_hooks_fire_io(m, NULL, r->owner, r->owner_region, off, n,
                          bytes_to_value(buf, n, r->ops.endian), write);
}

/* An accepted access adapted to the sizes the device implements. */
static emu_mem_result mmio_adapt(emu_region *r, uint64_t off, uint8_t *buf, unsigned n, bool write,
                                 emu_space *s);

/* One access of `n` (1/2/4/8) bytes to MMIO region r at `off`, checked and
   adapted to the sizes the device implements. */
static emu_mem_result mmio_access(emu_space *s, emu_region *r, uint64_t off, uint8_t *buf,
                                  unsigned n, bool write)
{
    const emu_mmio_ops *o = &r->ops;
    if (n < o->valid_min || n > o->valid_max) {
        emu_log(NULL, EMU_LOG_GUEST, "%s: %u-byte %s at offset 0x%" PRIx64 " refused "
                "(valid sizes %u..%u; space '%s')", r->name, n, rw(write), off, o->valid_min,
                o->valid_max, s->name);
        return EMU_MEM_BAD_SIZE;
    }
    if ((off & (n - 1)) && !o->unaligned_ok) {
        emu_log(NULL, EMU_LOG_GUEST, "%s: unaligned %u-byte %s at offset 0x%" PRIx64 " refused "
                "(space '%s')", r->name, n, rw(write), off, s->name);
        return EMU_MEM_BAD_SIZE;
    }
    if (r->busy) {
        emu_log(NULL, EMU_LOG_GUEST, "%s: re-entrant %u-byte %s at offset 0x%" PRIx64 " refused "
                "(the device's own callback is running; space '%s')", r->name, n, rw(write), off,
                s->name);
        return EMU_MEM_UNASSIGNED;
    }
    if (write)
        fire_io(s, r, off, buf, n, true);
    emu_mem_result res = mmio_adapt(r, off, buf, n, write, s);
    if (!write && res == EMU_MEM_OK)
        fire_io(s, r, off, buf, n, false);
    return res;
}

static emu_mem_result mmio_adapt(emu_region *r, uint64_t off, uint8_t *buf, unsigned n, bool write,
                                 emu_space *s)
{
    const emu_mmio_ops *o = &r->ops;
    if (n > o->impl_max) {
        for (unsigned i = 0; i < n; i += o->impl_max)
            mmio_call(r, off + i, buf + i, o->impl_max, write);
        return EMU_MEM_OK;
    }
    if (n >= o->impl_min) {
        mmio_call(r, off, buf, n, write);
        return EMU_MEM_OK;
    }
    /* Widen to the impl_min-aligned units that hold [off, off+n). */
    unsigned u = o->impl_min;
    uint64_t first = off & ~(uint64_t)(u - 1), end = off + n;
    uint64_t last_unit = (end - 1) & ~(uint64_t)(u - 1);
    if (last_unit > r->last || r->last - last_unit < u - 1) {
        emu_log(NULL, EMU_LOG_GUEST, "%s: %u-byte %s at offset 0x%" PRIx64 " cannot be widened to "
                "%u bytes inside the region (space '%s')", r->name, n, rw(write), off, u, s->name);
        return EMU_MEM_BAD_SIZE;
    }
    for (uint64_t unit = first; unit < end; unit += u) {
        uint8_t tmp[8] = { 0 };
        uint64_t lo = off > unit ? off : unit, hi = end < unit + u ? end : unit + u;
        if (write) {
            memcpy(tmp + (lo - unit), buf + (lo - off), hi - lo);
            mmio_call(r, unit, tmp, u, true);
        } else {
            mmio_call(r, unit, tmp, u, false);
            memcpy(buf + (lo - off), tmp + (lo - unit), hi - lo);
        }
    }
    return EMU_MEM_OK;
}

static emu_mem_result worse(emu_mem_result a, emu_mem_result b)
{
    return a > b ? a : b;
}

/* An arbitrary byte range of an MMIO region, cut into aligned power-of-two pieces. */
static emu_mem_result mmio_bytes(emu_space *s, emu_region *r, uint64_t off, uint8_t *buf,
                                 uint64_t len, bool write)
{
    emu_mem_result res = EMU_MEM_OK;
    while (len) {
        unsigned n = r->ops.valid_max;
        while (n > 1 && (n > len || (off & (n - 1))))
            n /= 2;
        res = worse(res, mmio_access(s, r, off, buf, n, write));
        off += n;
        buf += n;
        len -= n;
    }
    return res;
}

static void log_stub(emu_space *s, const emu_region *r, uint64_t off, const uint8_t *buf,
                     uint64_t len, bool write)
{
    if (!r->log || !emu_log_enabled(EMU_LOG_UNIMP))
        return;
    if (write && len <= 8)
        emu_log(NULL, EMU_LOG_UNIMP, "%s: unimplemented %" PRIu64 "-byte write at offset 0x%" PRIx64
                " (bytes as little-endian value 0x%" PRIx64 "; space '%s')", r->name, len, off,
                bytes_to_value(buf, (unsigned)len, EMU_LITTLE_ENDIAN), s->name);
    else
        emu_log(NULL, EMU_LOG_UNIMP, "%s: unimplemented %" PRIu64 "-byte %s at offset 0x%" PRIx64
                " (space '%s')", r->name, len, rw(write), off, s->name);
}

/* Bytes [off, off+len) of leaf r, all inside it. */
static emu_mem_result leaf_access(emu_space *s, emu_region *r, uint64_t off, uint8_t *buf,
                                  uint64_t len, bool write, access_mode mode, bool whole)
{
    switch (r->kind) {
    case EMU_REGION_RAM:
    case EMU_REGION_ROM:
        if (!write) {
            memcpy(buf, r->host + off, len);
        } else if (r->kind == EMU_REGION_RAM || mode == MODE_FORCE) {
            memcpy(r->host + off, buf, len);
            emu_track_write(r, off, len);
        } else {
            emu_log(NULL, EMU_LOG_GUEST, "%s: %" PRIu64 "-byte write to ROM at offset 0x%" PRIx64
                    " ignored (space '%s')", r->name, len, off, s->name);
        }
        return EMU_MEM_OK;
    case EMU_REGION_MMIO:
        if (whole)
            return mmio_access(s, r, off, buf, (unsigned)len, write);
        return mmio_bytes(s, r, off, buf, len, write);
    case EMU_REGION_STUB:
        if (!write)
            memset(buf, 0, len);
        log_stub(s, r, off, buf, len, write);
        return EMU_MEM_OK;
    default:
        return EMU_MEM_UNASSIGNED;   /* containers and aliases never reach a flat view */
    }
}

static uint64_t size_mask(unsigned size)
{
    return size == 8 ? UINT64_MAX : (1ull << (8 * size)) - 1;
}

/* The unassigned bytes an access met: how many, and the space and address of the first
   (a hole inside a window onto another space belongs to that space). */
typedef struct holes {
    uint64_t bytes;
    emu_space *space;
    uint64_t addr;
} holes;

/* How a read answers unassigned bytes: with the bytes of the unassigned value of the space
   they belong to, at their place in a `size`-byte access in byte order `e`; size 0 (byte
   copies): every byte is the value's low byte. */
typedef struct fill {
    unsigned size;
    emu_endian e;
} fill;

static void fill_hole(const emu_space *hs, uint8_t *buf, uint64_t pos, uint64_t n, const fill *f)
{
    if (!f->size) {
        memset(buf, (uint8_t)hs->unassigned, n);
        return;
    }
    uint8_t tmp[8];
    value_to_bytes(hs->unassigned & size_mask(f->size), tmp, f->size, f->e);
    memcpy(buf, tmp + pos, n);
}

/* Walk [addr, addr+len) through the flat view (wrapping at 2^64).  Holes of s itself
   leave buf as the caller pre-filled it (with s's unassigned value); holes inside a
   window onto another space are filled per `f` on reads. */
static emu_mem_result space_access(emu_space *s, uint64_t addr, uint8_t *buf, uint64_t len,
                                   bool write, access_mode mode, holes *h, const fill *f)
{
    emu_mem_result res = EMU_MEM_OK;
    uint64_t pos = 0;
    *h = (holes){ 0 };
    while (len) {
        flat_range fr;
        /* Copied: a callback may remap and free the view under us. */
        emu_flat_lookup(s, addr, &fr);
        uint64_t room = fr.last - addr;   /* bytes available - 1 */
        uint64_t n = room >= len - 1 ? len : room + 1;
        if (fr.leaf) {
            uint64_t off = fr.offset + (addr - fr.start);
            bool whole = mode == MODE_SIZED && n == len;
            res = worse(res, leaf_access(s, fr.leaf, off, buf, n, write, mode, whole));
        } else {
            res = worse(res, EMU_MEM_UNASSIGNED);
            if (!h->bytes) {
                h->space = fr.hole ? fr.hole : s;
                h->addr = fr.hole ? fr.offset + (addr - fr.start) : addr;
            }
            h->bytes += n;
            if (!write && fr.hole && fr.hole->unassigned != s->unassigned)
                fill_hole(fr.hole, buf, pos, n, f);
        }
        addr += n;
        buf += n;
        pos += n;
        len -= n;
    }
    return res;
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

/* " (at 0x... in space '...')" when the first unassigned byte is in another space
   seen through a window, else "". */
static char *where_else(const emu_space *s, const holes *h)
{
    if (h->space == s)
        return NULL;
    return emu_asprintf(" (at 0x%" PRIx64 " in space '%s', seen through a window)", h->addr,
                        h->space->name);
}

emu_mem_result emu_space_read(emu_space *s, uint64_t addr, unsigned size, emu_endian e,
                              uint64_t *value)
{
    if (!valid_size(size)) {
        *value = 0;
        return EMU_MEM_BAD_SIZE;
    }
    uint8_t buf[8];
    /* Unassigned or refused bytes answer the space's value, truncated to the size. */
    value_to_bytes(s->unassigned & size_mask(size), buf, size, e);
    holes h;
    emu_mem_result res = space_access(s, addr, buf, size, false, MODE_SIZED, &h,
                                      &(fill){ size, e });
    *value = bytes_to_value(buf, size, e);
    if (h.bytes && emu_log_enabled(EMU_LOG_UNASSIGNED)) {
        char *other = where_else(s, &h);
        emu_log(NULL, EMU_LOG_UNASSIGNED, "unassigned %u-byte read at 0x%" PRIx64 " in space '%s'%s",
                size, addr, s->name, other ? other : "");
        free(other);
    }
    return res;
}

emu_mem_result emu_space_write(emu_space *s, uint64_t addr, unsigned size, emu_endian e,
                               uint64_t value)
{
    if (!valid_size(size))
        return EMU_MEM_BAD_SIZE;
    uint8_t buf[8];
    value_to_bytes(value, buf, size, e);
    holes h;
    emu_mem_result res = space_access(s, addr, buf, size, true, MODE_SIZED, &h, NULL);
    if (h.bytes && emu_log_enabled(EMU_LOG_UNASSIGNED)) {
        char *other = where_else(s, &h);
        emu_log(NULL, EMU_LOG_UNASSIGNED, "unassigned %u-byte write at 0x%" PRIx64 " in space '%s'"
                " (value 0x%" PRIx64 ")%s", size, addr, s->name, value & size_mask(size),
                other ? other : "");
        free(other);
    }
    return res;
}

int emu_space_read_bytes(emu_space *s, uint64_t addr, void *buf, size_t len)
{
    if (!len)
        return 0;
    memset(buf, (uint8_t)s->unassigned, len);
    holes h;
    space_access(s, addr, buf, len, false, MODE_BYTES, &h, &(fill){ 0, EMU_LITTLE_ENDIAN });
    if (h.bytes) {
        emu_log(NULL, EMU_LOG_UNASSIGNED, "read of %zu bytes at 0x%" PRIx64 " in space '%s': %"
                PRIu64 " of them unassigned", len, addr, s->name, h.bytes);
        return -1;
    }
    return 0;
}

int emu_space_write_bytes(emu_space *s, uint64_t addr, const void *buf, size_t len, bool force)
{
    if (!len)
        return 0;
    holes h;
    /* space_access never writes into buf on a write. */
    space_access(s, addr, (uint8_t *)buf, len, true, force ? MODE_FORCE : MODE_BYTES, &h, NULL);
    if (h.bytes) {
        emu_log(NULL, EMU_LOG_UNASSIGNED, "write of %zu bytes at 0x%" PRIx64 " in space '%s': %"
                PRIu64 " of them unassigned", len, addr, s->name, h.bytes);
        return -1;
    }
    return 0;
}
