/* emu SDK: types (classes) and instances — properties, regions, lines, lifecycle. */
#ifndef EMU_DEVICE_H
#define EMU_DEVICE_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct emu_region emu_region;
typedef struct emu_line emu_line;
typedef struct emu_chardev emu_chardev;
typedef struct emu_blockdev emu_blockdev;
typedef struct emu_state_writer emu_state_writer;
typedef struct emu_state_reader emu_state_reader;
typedef struct emu_mmio_ops emu_mmio_ops;

/* What a type is.  The machine file's `cpus:` take EMU_KIND_CPU, `devices:` EMU_KIND_DEVICE. */
typedef enum emu_kind {
    EMU_KIND_DEVICE = 1,
    EMU_KIND_CPU,
    EMU_KIND_BOARD,     /* glue the YAML cannot say (firmware hand-off...) */
    EMU_KIND_FRONTEND,  /* host display / input */
    EMU_KIND_ABI,       /* a guest architecture's Linux ABI for user mode */
} emu_kind;

/* Property types and the C storage each uses in the instance struct. */
typedef enum emu_prop_type {
    EMU_PROP_INT = 1,   /* int64_t; text: decimal, 0x hex, optional sign */
    EMU_PROP_SIZE,      /* uint64_t; text: number with optional K/M/G/T suffix */
    EMU_PROP_ADDR,      /* uint64_t; text: number */
    EMU_PROP_BOOL,      /* bool; text: true/false/yes/no/on/off/1/0 */
    EMU_PROP_STRING,    /* char * owned by the core, freed at destroy */
    EMU_PROP_ENUM,      /* int: index into `choices` */
    EMU_PROP_LINK,      /* emu_device *: id of another device in the machine */
    EMU_PROP_CHARDEV,   /* emu_chardev *: name in the machine's `chardevs:` */
    EMU_PROP_BLOCK,     /* emu_blockdev *: name in the machine's `blockdevs:` */
} emu_prop_type;

#define EMU_PROP_REQUIRED 1u   /* no default: the machine file must set it */

typedef struct emu_prop_desc {
    const char *name;           /* NULL ends the table */
    emu_prop_type type;
    size_t offset;              /* of the storage in the instance struct */
    const char *defval;         /* default, as text; NULL = zero / NULL / unset */
    const char *doc;            /* one line */
    const char *const *choices; /* ENUM: NULL-terminated names */
    int64_t min, max;           /* INT/SIZE/ADDR: inclusive range, checked when min < max */
    const char *link_type;      /* LINK: required type name, or NULL for any */
    unsigned flags;             /* EMU_PROP_REQUIRED */
} emu_prop_desc;

#define EMU_PROP_INT_DEF(n, T, f, def, lo, hi, d) \
    { (n), EMU_PROP_INT, offsetof(T, f), (def), (d), NULL, (lo), (hi), NULL, 0 }
#define EMU_PROP_SIZE_DEF(n, T, f, def, d) \
    { (n), EMU_PROP_SIZE, offsetof(T, f), (def), (d), NULL, 0, 0, NULL, 0 }
#define EMU_PROP_ADDR_DEF(n, T, f, def, d) \
    { (n), EMU_PROP_ADDR, offsetof(T, f), (def), (d), NULL, 0, 0, NULL, 0 }
#define EMU_PROP_BOOL_DEF(n, T, f, def, d) \
    { (n), EMU_PROP_BOOL, offsetof(T, f), (def), (d), NULL, 0, 0, NULL, 0 }
#define EMU_PROP_STRING_DEF(n, T, f, def, d) \
    { (n), EMU_PROP_STRING, offsetof(T, f), (def), (d), NULL, 0, 0, NULL, 0 }
#define EMU_PROP_ENUM_DEF(n, T, f, def, choices, d) \
    { (n), EMU_PROP_ENUM, offsetof(T, f), (def), (d), (choices), 0, 0, NULL, 0 }
#define EMU_PROP_LINK_DEF(n, T, f, ltype, d) \
    { (n), EMU_PROP_LINK, offsetof(T, f), NULL, (d), NULL, 0, 0, (ltype), 0 }
#define EMU_PROP_CHARDEV_DEF(n, T, f, d) \
    { (n), EMU_PROP_CHARDEV, offsetof(T, f), NULL, (d), NULL, 0, 0, NULL, 0 }
#define EMU_PROP_BLOCK_DEF(n, T, f, d) \
    { (n), EMU_PROP_BLOCK, offsetof(T, f), NULL, (d), NULL, 0, 0, NULL, 0 }
#define EMU_PROP_END { NULL, (emu_prop_type)0, 0, NULL, NULL, NULL, 0, 0, NULL, 0 }

/* A region the type exposes, to be placed by the machine file's `map:`. */
typedef struct emu_region_desc {
    const char *name;           /* NULL ends the table; the first one is the default */
    const char *doc;
} emu_region_desc;

/* A named array of `count` input or output lines. */
typedef struct emu_line_desc {
    const char *name;           /* NULL ends the table; the first one is the default */
    unsigned count;
    const char *doc;
} emu_line_desc;

/*
 * A type.  Instances are `instance_size` bytes, zeroed, whose first member
 * is `emu_device` (so a `struct my_dev *` and its `emu_device *` convert
 * by a cast).  Callbacks marked optional may be NULL.
 */
struct emu_type {
    uint32_t struct_size;           /* required: sizeof(emu_type) when built */
    emu_kind kind;                  /* required */
    const char *name;               /* required: type name used in machine files, e.g. "ns16550" */
    const char *summary;            /* one line, shown by --list-plugins */
    size_t instance_size;           /* required: >= sizeof(emu_device) */
    const emu_prop_desc *props;     /* optional, ends with EMU_PROP_END */
    const emu_region_desc *regions; /* optional */
    const emu_line_desc *inputs;    /* optional */
    const emu_line_desc *outputs;   /* optional */

    /* optional: right after allocation, with the properties' defaults
       applied, before the machine file's values are set.  May fail. */
    int (*init)(emu_device *dev, emu_error **err);
    /* required for devices: properties are set; create regions, fetch
       output lines, allocate state.  May fail with a message. */
    int (*realize)(emu_device *dev, emu_error **err);
    /* optional: power-on / system reset */
    void (*reset)(emu_device *dev);
    /* optional: free what realize allocated (also after a failed realize) */
    void (*destroy)(emu_device *dev);
    /* optional: input line `line` (index into `inputs`), element `index`,
       changed to `level` (0 or 1) */
    void (*set_input)(emu_device *dev, unsigned line, unsigned index, int level);
    /* optional: snapshot support.  save writes the guest-visible state as
       named fields in a fixed order (emu_state_put_*), times relative to
       the clock; 0, or -1. */
    int (*save)(emu_device *dev, emu_state_writer *w);
    /* optional (with save): read the same fields in the same order, check
       them like guest input, rebuild derived state (timers, line levels);
       0, or -1 with a message. */
    int (*load)(emu_device *dev, emu_state_reader *r, emu_error **err);

    /* kind-specific operations: emu_cpu_ops for EMU_KIND_CPU, ...; for
       EMU_KIND_DEVICE an optional emu_iface array (see below) */
    const void *kind_ops;
};

/* The header of every instance. Read-only for plugins. */
struct emu_device {
    const emu_type *type;
    emu_machine *machine;
    const char *id;                 /* the key in the machine file */
    void *core_private;             /* the core's bookkeeping */
};

/* Create a named region owned by the device (call from realize).  The
   machine file maps it with `map:`; devices that decode their own
   sub-buses may also map regions themselves (see memory.h). */
EMU_API emu_region *emu_device_mmio(emu_device *dev, const char *name, uint64_t size,
                                    const emu_mmio_ops *ops, void *opaque);
/* A RAM region owned by the device (video memory, buffers), mapped like an MMIO one. */
EMU_API emu_region *emu_device_ram(emu_device *dev, const char *name, uint64_t size);
/* The region `name` the device created, or NULL. */
EMU_API emu_region *emu_device_region(emu_device *dev, const char *name);

/* The output line `name`[index] of the device (from realize on).  Never
   NULL for a declared output; unconnected lines simply go nowhere. */
EMU_API emu_line *emu_device_output(emu_device *dev, const char *name, unsigned index);

/* Another device of the same machine by id, or NULL. */
EMU_API emu_device *emu_machine_device(emu_machine *m, const char *id);

/* Snapshot streams: fixed-order fields, checked on load. */
/* Write a number field / a field of n bytes (from save). */
EMU_API void emu_state_put_u64(emu_state_writer *w, const char *field, uint64_t v);
EMU_API void emu_state_put_bytes(emu_state_writer *w, const char *field, const void *p, size_t n);
/* Read the next field (from load): it must be named `field` and hold a
   number / exactly n bytes.  0, or -1 (the restore then fails, naming the
   mismatch). */
EMU_API int emu_state_get_u64(emu_state_reader *r, const char *field, uint64_t *v);
EMU_API int emu_state_get_bytes(emu_state_reader *r, const char *field, void *p, size_t n);
/* The save callback of a device type with no state of its own (`.save =
   emu_state_none`, no load): it writes no field.  A type whose save is
   NULL is taken as not supporting snapshots, and a machine holding one
   cannot be snapshotted. */
EMU_API int emu_state_none(emu_device *dev, emu_state_writer *w);

/*
 * Interfaces between plugins.  A plugin cannot call functions of another
 * plugin, so a device type that offers services to other devices (a PCI bus
 * to its functions, fw_cfg to a board, an interrupt controller to a host
 * bridge) lists them: for EMU_KIND_DEVICE types, `kind_ops` may point at
 * an array of emu_iface ended by an entry whose name is NULL.  Each `ops`
 * structure begins with a uint32_t struct_size (the interface's header
 * says which fields exist at which size).  The user of an interface finds
 * the providing device through a LINK property and looks the interface up
 * by name.
 */
typedef struct emu_iface {
    const char *name;     /* e.g. "pci-bus" (EMU_PCI_BUS_IFACE); NULL ends the array */
    const void *ops;
} emu_iface;

/* The ops of interface `name` offered by dev, or NULL when it offers none. */
static inline const void *emu_device_iface(const emu_device *dev, const char *name)
{
    if (!dev || !dev->type || dev->type->kind != EMU_KIND_DEVICE || !dev->type->kind_ops)
        return NULL;
    for (const emu_iface *i = (const emu_iface *)dev->type->kind_ops; i->name; i++) {
        const char *a = i->name, *b = name;
        while (*a && *a == *b)
            a++, b++;
        if (*a == *b)
            return i->ops;
    }
    return NULL;
}

#ifdef __cplusplus
}
#endif
#endif
