/* Test plugin: claims an incompatible ABI major version. */
#include "tp-common.h"
TP_TYPE(widget, "tp-major-widget", sizeof(emu_type));
EMU_PLUGIN(tp_major) = { sizeof(emu_plugin_desc), EMU_ABI_MAJOR + 98, 4, "tp_major", "1.0",
                         "wrong ABI", widget_list };
