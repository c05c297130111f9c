/* Test plugin: built as if against ABI 1.0, an older minor than the core's, with the 1.0
   sizes of emu_plugin_desc and emu_type (neither has grown since; a field appended later
   would be absent from it and read as zero). */
#include "tp-common.h"
TP_TYPE(widget, "tp-old-widget", offsetof(emu_type, kind_ops) + sizeof(void *));
EMU_PLUGIN(tp_old) = { offsetof(emu_plugin_desc, types) + sizeof(void *), EMU_ABI_MAJOR, 0,
                       "tp_old", "0.9", "old-minor widget", widget_list };
