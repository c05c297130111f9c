/* Test plugin: built as if against ABI 1.0 with a shorter emu_type (fields appended later are absent). */
#include "tp-common.h"
TP_TYPE(widget, "tp-old-widget", offsetof(emu_type, kind_ops) + sizeof(void *));
EMU_PLUGIN(tp_old) = { offsetof(emu_plugin_desc, types) + sizeof(void *), EMU_ABI_MAJOR, 0,
                       "tp_old", "0.9", "old-minor widget", widget_list };
