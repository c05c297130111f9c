/* emu SDK: the plugin descriptor every module exports, and the ABI version. */
#ifndef EMU_PLUGIN_H
#define EMU_PLUGIN_H

#include "base.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * ABI policy: the core refuses a plugin whose abi_major differs from its
 * own.  A minor bump only appends fields at the end of structs, so a plugin
 * built against an older minor still loads (the core reads struct_size to
 * know which fields exist).  A plugin built against a newer minor than the
 * core is refused.
 */
#define EMU_ABI_MAJOR 1
#define EMU_ABI_MINOR 2

typedef struct emu_plugin_desc {
    uint32_t struct_size;          /* sizeof(emu_plugin_desc) when built */
    uint16_t abi_major, abi_minor; /* EMU_ABI_MAJOR / EMU_ABI_MINOR when built */
    const char *name;              /* module name, e.g. "ns16550" */
    const char *version;           /* the plugin's own version string */
    const char *summary;           /* one line */
    const emu_type *const *types;  /* NULL-terminated list of types provided */
} emu_plugin_desc;

/*
 * Declare the descriptor of a module.  MODNAME must be the module's file
 * name without extension ("ns16550" for ns16550.so), with '-' written '_'.
 * The core looks up MODNAME_LTX_emu_plugin first, then emu_plugin.
 *
 *   EMU_PLUGIN(ns16550) = { EMU_PLUGIN_HEADER, "ns16550", "1.0", "16550 UART", types };
 */
#define EMU_PLUGIN_SYMBOL "emu_plugin"
#define EMU_PLUGIN(modname) \
    EMU_API extern const emu_plugin_desc modname##_LTX_emu_plugin; \
    const emu_plugin_desc modname##_LTX_emu_plugin
#define EMU_PLUGIN_HEADER sizeof(emu_plugin_desc), EMU_ABI_MAJOR, EMU_ABI_MINOR

#ifdef __cplusplus
}
#endif
#endif
