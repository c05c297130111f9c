/* emu SDK: PCI — functions on a bus: configuration space, BARs, INTx interrupts, bus-master DMA.
 *
 * A PCI bus is a device (type "pci-bus") that offers the interface
 * EMU_PCI_BUS_IFACE.  A PCI device is an ordinary device type with a LINK
 * property naming its bus; in realize it attaches itself as a function,
 * fills in its configuration header and declares its BARs:
 *
 *     const emu_pci_bus_ops *pci = emu_pci_bus(s->bus);   // NULL: not a PCI bus
 *     s->fn = pci->attach(s->bus, dev, EMU_PCI_DEVFN(5, 0), &my_fn_ops, s, err);
 *     uint8_t *cfg = pci->config(s->fn);
 *     emu_pci_set_word(cfg + EMU_PCI_VENDOR_ID, 0x8086);  ... class, pin, ...
 *     s->mmio = emu_device_mmio(dev, "regs", 4096, &ops, s);   // not mapped by the machine file
 *     pci->bar(s->fn, 0, EMU_PCI_BAR_MEM32, 4096, s->mmio, err);
 *
 * The bus then answers configuration cycles for the function, maps each BAR
 * region into the bus's memory or I/O space at the address the guest
 * programs (while the command register enables that space), routes the
 * function's interrupt pin to the bus's INTx output lines, and carries its
 * bus-master DMA.  Configuration bytes are little-endian, as on the bus.
 *
 * Writes from the guest go through two masks per byte: bits set in wmask
 * are writable, bits set in w1cmask are cleared by writing 1.  A new
 * function starts with the standard masks (command I/O, memory, master,
 * SERR and INTx-disable bits, cache line size, interrupt line, the status
 * error bits as write-1-to-clear, and 0x40-0xFF writable) and all bytes 0.
 * The configuration as it stands when the machine is first reset is the
 * function's power-on state: every later reset restores it.
 */
#ifndef EMU_PCI_H
#define EMU_PCI_H

#include "base.h"
#include "device.h"
#include "memory.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EMU_PCI_BUS_IFACE "pci-bus"

/* Type 0 configuration header. */
#define EMU_PCI_VENDOR_ID           0x00   /* 16 bits */
#define EMU_PCI_DEVICE_ID           0x02   /* 16 bits */
#define EMU_PCI_COMMAND             0x04   /* 16 bits */
#define EMU_PCI_STATUS              0x06   /* 16 bits */
#define EMU_PCI_REVISION_ID         0x08
#define EMU_PCI_CLASS_PROG          0x09   /* programming interface */
#define EMU_PCI_CLASS_DEVICE        0x0a   /* 16 bits: class << 8 | subclass */
#define EMU_PCI_CACHE_LINE_SIZE     0x0c
#define EMU_PCI_LATENCY_TIMER       0x0d
#define EMU_PCI_HEADER_TYPE         0x0e   /* bit 7: multi-function */
#define EMU_PCI_BIST                0x0f
#define EMU_PCI_BAR0                0x10   /* BAR i at 0x10 + 4 * i, i < 6 */
#define EMU_PCI_SUBSYSTEM_VENDOR_ID 0x2c   /* 16 bits */
#define EMU_PCI_SUBSYSTEM_ID        0x2e   /* 16 bits */
#define EMU_PCI_ROM_ADDRESS         0x30   /* expansion ROM BAR; bit 0 enables it */
#define EMU_PCI_CAPABILITY_LIST     0x34
#define EMU_PCI_INTERRUPT_LINE      0x3c
#define EMU_PCI_INTERRUPT_PIN       0x3d   /* 0 none, 1..4 = INTA..INTD */
#define EMU_PCI_MIN_GNT             0x3e
#define EMU_PCI_MAX_LAT             0x3f
#define EMU_PCI_CONFIG_SIZE         256

#define EMU_PCI_COMMAND_IO           0x0001
#define EMU_PCI_COMMAND_MEMORY       0x0002
#define EMU_PCI_COMMAND_MASTER       0x0004
#define EMU_PCI_COMMAND_SERR         0x0100
#define EMU_PCI_COMMAND_INTX_DISABLE 0x0400

#define EMU_PCI_STATUS_INTERRUPT     0x0008   /* INTx asserted (read-only, kept by the bus) */
#define EMU_PCI_STATUS_DEVSEL_MEDIUM 0x0200

/* Slot 0..31 and function 0..7 as one number, as in configuration addresses. */
#define EMU_PCI_DEVFN(slot, fn) ((((slot) & 0x1f) << 3) | ((fn) & 7))
#define EMU_PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define EMU_PCI_FUNC(devfn) ((devfn) & 7)

/* BAR index of the expansion ROM, for emu_pci_bus_ops.bar. */
#define EMU_PCI_ROM_SLOT 6

typedef enum emu_pci_bar_type {
    EMU_PCI_BAR_IO = 1,      /* I/O space */
    EMU_PCI_BAR_MEM32,       /* 32-bit memory */
    EMU_PCI_BAR_MEM64,       /* 64-bit memory: uses BARs index and index + 1 */
} emu_pci_bar_type;
/* Or'ed into a memory BAR type: prefetchable. */
#define EMU_PCI_BAR_PREFETCH 0x100u

typedef struct emu_pci_function emu_pci_function;  /* one function on a bus; owned by the bus */

/* What the function tells the bus.  Every callback is optional. */
typedef struct emu_pci_function_ops {
    uint32_t struct_size;   /* sizeof(emu_pci_function_ops) */
    /* A configuration read of `size` (1, 2, 4) bytes at `reg`: `stored`
       is what the configuration bytes hold; return the value to answer. */
    uint32_t (*config_read)(void *opaque, unsigned reg, unsigned size, uint32_t stored);
    /* After the bus stored a configuration write (through the masks) and
       updated BAR mappings: bytes reg..reg+size-1 may have changed. */
    void (*config_written)(void *opaque, unsigned reg, uint32_t value, unsigned size);
} emu_pci_function_ops;

/* The interface of a PCI bus device. */
typedef struct emu_pci_bus_ops {
    uint32_t struct_size;   /* sizeof(emu_pci_bus_ops) */

    /* ---- for PCI devices ---- */
    /* Attach `dev` as function `devfn` (EMU_PCI_DEVFN; -1 = function 0 of
       the first free slot).  `ops` (may be NULL) and `opaque` receive the
       function's callbacks.  NULL with a message when the slot is taken or
       out of range.  Call from realize. */
    emu_pci_function *(*attach)(emu_device *bus, emu_device *dev, int devfn,
                                const emu_pci_function_ops *ops, void *opaque, emu_error **err);
    /* The function's 256 configuration bytes and its write masks (valid
       for the life of the machine). */
    uint8_t *(*config)(emu_pci_function *f);
    uint8_t *(*wmask)(emu_pci_function *f);
    uint8_t *(*w1cmask)(emu_pci_function *f);
    /* Declare BAR `index` (0..5, or EMU_PCI_ROM_SLOT) of `size` bytes (a
       power of two, at least 4 for I/O and 16 for memory) backed by
       `region`, which the bus maps and unmaps; the device must not map it
       itself.  `type` is an emu_pci_bar_type, with EMU_PCI_BAR_PREFETCH
       for memory.  Call from realize. */
    int (*bar)(emu_pci_function *f, unsigned index, unsigned type, uint64_t size,
               emu_region *region, emu_error **err);
    /* Drive the function's interrupt pin (level-triggered; ignored while
       the command register's INTx-disable bit is set). */
    void (*set_irq)(emu_pci_function *f, int level);
    /* Bus-master DMA at bus address `addr`.  0, or -1 when the command
       register has bus mastering off or part of the range reaches nothing
       (the guest's mistake; logged, the rest is still transferred). */
    int (*dma_read)(emu_pci_function *f, uint64_t addr, void *buf, size_t len);
    int (*dma_write)(emu_pci_function *f, uint64_t addr, const void *buf, size_t len);

    /* ---- for host bridges ---- */
    /* A configuration cycle on bus `bus_nr` for `devfn`, `size` (1, 2, 4)
       bytes at `reg` (size-aligned, below 256).  No function there (or an
       unknown bus number): reads answer all ones, writes are dropped. */
    uint32_t (*config_read)(emu_device *bus, unsigned bus_nr, unsigned devfn, unsigned reg,
                            unsigned size);
    void (*config_write)(emu_device *bus, unsigned bus_nr, unsigned devfn, unsigned reg,
                         uint32_t value, unsigned size);
    /* The bus's I/O and memory spaces (where BARs are mapped). */
    emu_space *(*io_space)(emu_device *bus);
    emu_space *(*mem_space)(emu_device *bus);
} emu_pci_bus_ops;

/* The PCI bus interface of `bus`, or NULL when it is not a PCI bus. */
static inline const emu_pci_bus_ops *emu_pci_bus(emu_device *bus)
{
    const emu_pci_bus_ops *ops = (const emu_pci_bus_ops *)emu_device_iface(bus, EMU_PCI_BUS_IFACE);
    return ops && ops->struct_size >= sizeof(emu_pci_bus_ops) ? ops : NULL;
}

/* Little-endian configuration values. */
static inline void emu_pci_set_byte(uint8_t *p, uint8_t v) { p[0] = v; }
static inline void emu_pci_set_word(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void emu_pci_set_long(uint8_t *p, uint32_t v)
{
    emu_pci_set_word(p, (uint16_t)v);
    emu_pci_set_word(p + 2, (uint16_t)(v >> 16));
}
static inline uint16_t emu_pci_get_word(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t emu_pci_get_long(const uint8_t *p)
{
    return emu_pci_get_word(p) | (uint32_t)emu_pci_get_word(p + 2) << 16;
}

#ifdef __cplusplus
}
#endif
#endif
