/* A validated machine description: everything checked, numbers parsed, types resolved, ready to build. */
#ifndef EMU_CORE_CONFIG_PLAN_H
#define EMU_CORE_CONFIG_PLAN_H

#include <stdint.h>
#include "backends/backends.h"
#include "config/node.h"

/* SPACE@ADDR[,priority=N]: where a region goes. */
typedef struct mf_place {
    mf_pos pos;
    char *space;
    uint64_t addr;
    int priority;
} mf_place;

typedef struct mf_space_plan {
    const char *name;
    mf_pos pos;
    uint64_t size;               /* 0 = the whole 64-bit range */
    bool mapped;
    mf_place place;              /* the window in the parent space */
    bool is_system;              /* the `system` entry: only its unassigned value is set */
    bool has_unassigned;
    uint64_t unassigned;         /* what reads of nothing answer (default all ones) */
} mf_space_plan;

typedef enum mf_mem_kind { MF_MEM_RAM, MF_MEM_ROM, MF_MEM_ALIAS } mf_mem_kind;

typedef struct mf_memory_plan {
    const char *name;
    mf_pos pos;
    mf_mem_kind kind;
    uint64_t size;
    char *file;                  /* ROM: the image, resolved */
    mf_pos file_pos;
    size_t target;               /* ALIAS: index of the RAM/ROM entry */
    uint64_t offset;             /* ALIAS: offset in the target */
    bool mapped;
    mf_place place;
} mf_memory_plan;

typedef struct mf_prop_plan {
    const char *name;
    const char *text;
    mf_pos pos;
} mf_prop_plan;

typedef struct mf_region_plan {
    const char *region;
    mf_place place;
} mf_region_plan;

/* Output `out`[out_index] of this device to input `in`[in_index] of device `target`. */
#define MF_TARGET_MACHINE SIZE_MAX   /* the machine's own inputs (id "machine") */
typedef struct mf_wire_plan {
    const char *out;
    unsigned out_index;
    size_t target;               /* index into mf_plan.devices, or MF_TARGET_MACHINE */
    const char *in;
    unsigned in_index;
    mf_pos pos;
} mf_wire_plan;

typedef struct mf_device_plan {
    const char *id;
    const emu_type *type;
    mf_pos pos;
    mf_prop_plan *props;
    size_t nprops, props_cap;
    mf_region_plan *maps;
    size_t nmaps, maps_cap;
    mf_wire_plan *wires;
    size_t nwires, wires_cap;
} mf_device_plan;

typedef struct mf_chardev_plan {
    const char *name;
    const char *spec;
    mf_pos pos;
    const char *used_by;         /* the id of the device whose property names it, or NULL */
    mf_pos used_at;
} mf_chardev_plan;

typedef struct mf_blockdev_plan {
    const char *name;
    char *path;
    emu_block_mode mode;
    mf_pos pos;
    const char *used_by;         /* as for chardevs */
    mf_pos used_at;
} mf_blockdev_plan;

typedef struct mf_plan {
    const char *name;
    const char *source;          /* the machine file as given */
    mf_space_plan *spaces;
    size_t nspaces, spaces_cap;
    mf_memory_plan *memory;
    size_t nmemory, memory_cap;
    mf_chardev_plan *chardevs;
    size_t nchardevs, chardevs_cap;
    mf_blockdev_plan *blockdevs;
    size_t nblockdevs, blockdevs_cap;
    mf_device_plan *devices;     /* cpus first, then devices, each in file order */
    size_t ndevices, devices_cap;
    bool has_board;
    mf_device_plan board;        /* id "board" */
    char **scripts;              /* absolute paths */
    size_t nscripts, scripts_cap;
} mf_plan;

/* Check the composed, substituted document and fill `plan` (strings point
   into `doc`, which must outlive the plan).  Loads the plugins `plugins:`
   names.  Returns 0, or -1 with the first error found. */
int mf_validate(const mf_node *doc, const char *source, mf_plan *plan, emu_error **err);
void mf_plan_free(mf_plan *plan);

/* Create the machine the plan describes; on failure nothing is left. */
emu_machine *mf_build(const mf_plan *plan, emu_error **err);

#endif
