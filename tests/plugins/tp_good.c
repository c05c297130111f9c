/* Test plugin: a well-formed module providing type tp-widget. */
#include "tp-common.h"
TP_TYPE(widget, "tp-widget", sizeof(emu_type));
EMU_PLUGIN(tp_good) = { EMU_PLUGIN_HEADER, "tp_good", "1.2.3", "test widget", widget_list };
