/* Test plugin: built against a newer minor ABI than the core has. */
#include "tp-common.h"
TP_TYPE(widget, "tp-newer-widget", sizeof(emu_type));
EMU_PLUGIN(tp_newer) = { sizeof(emu_plugin_desc), EMU_ABI_MAJOR, EMU_ABI_MINOR + 1, "tp_newer",
                         "1.0", "newer minor", widget_list };
