/* Test plugin: provides a type name another module already provides. */
#include "tp-common.h"
TP_TYPE(widget, "tp-widget", sizeof(emu_type));
EMU_PLUGIN(tp_clash) = { EMU_PLUGIN_HEADER, "tp_clash", "1.0", "clashing widget", widget_list };
