/* The object model inside the core: creating, configuring, realizing and destroying instances. */
#ifndef EMU_CORE_OBJECT_H
#define EMU_CORE_OBJECT_H

#include "emu/device.h"
#include "machine.h"

/* Allocate an instance of `type` with id `id` in machine `m`, run init and
   apply property defaults.  The id must be unique in the machine. */
emu_device *emu_device_new(emu_machine *m, const emu_type *type, const char *id, emu_error **err);
/* Set a property from its text form (as written in a machine file).  LINK,
   CHARDEV and BLOCK values name things that must already exist in `m`. */
int emu_device_set_prop(emu_device *dev, const char *name, const char *text, emu_error **err);
/* Check required properties, then call realize. */
int emu_device_realize(emu_device *dev, emu_error **err);
bool emu_device_is_realized(const emu_device *dev);
void emu_device_reset(emu_device *dev);
/* Run destroy and free the instance (it must be removed from the machine first). */
void emu_device_free(emu_device *dev);

const emu_prop_desc *emu_type_prop(const emu_type *type, const char *name);
/* Check that `text` is a valid value for property p (syntax, range,
   choices) without an instance.  LINK, CHARDEV and BLOCK names are only
   checked to be non-empty: whether they exist depends on the machine. */
int emu_prop_check(const emu_prop_desc *p, const char *text, emu_error **err);
/* Index of the region/line named `name` in the type's table, or -1. */
int emu_type_region_index(const emu_type *type, const char *name);
int emu_type_input_index(const emu_type *type, const char *name);
int emu_type_output_index(const emu_type *type, const char *name);
const char *emu_kind_name(emu_kind k);
const char *emu_prop_type_name(emu_prop_type t);
/* Comma-separated list of the type's property names ("" when none). */
char *emu_type_prop_names(const emu_type *type);
/* Write a property's current value of an instance as text. */
char *emu_device_prop_text(emu_device *dev, const emu_prop_desc *p);

/* Regions the device created, in creation order. */
size_t emu_device_region_count(emu_device *dev);
emu_region *emu_device_region_at(emu_device *dev, size_t i, const char **name);

/* Lines. Connect output `out`[oi] of `src` to input `in`[ii] of `dst`. */
int emu_line_connect(emu_device *src, const char *out, unsigned oi,
                     emu_device *dst, const char *in, unsigned ii, emu_error **err);

#endif
