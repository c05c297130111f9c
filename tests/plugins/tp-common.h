/* Test plugins: one small device type whose descriptor each test module dresses differently. */
#ifndef EMU_TESTS_TP_COMMON_H
#define EMU_TESTS_TP_COMMON_H
#include "emu/emu.h"

typedef struct tp_widget {
    emu_device dev;
    uint64_t size;
    bool fail;
} tp_widget;

static int tp_realize(emu_device *dev, emu_error **err)
{
    tp_widget *w = (tp_widget *)dev;
    if (w->fail) {
        emu_error_set(err, "widget refused to start (fail=true)");
        return -1;
    }
    return 0;
}

static const emu_prop_desc tp_props[] = {
    EMU_PROP_SIZE_DEF("size", tp_widget, size, "4K", "how big the widget is"),
    EMU_PROP_BOOL_DEF("fail", tp_widget, fail, "false", "make realize fail"),
    EMU_PROP_END,
};
static const emu_region_desc tp_regions[] = { { "regs", "widget registers" }, { NULL, NULL } };
static const emu_line_desc tp_outputs[] = { { "irq", 1, "interrupt request" }, { NULL, 0, NULL } };
static const emu_line_desc tp_inputs[] = { { "reset", 1, "reset input" }, { NULL, 0, NULL } };

#define TP_TYPE(var, tname, size) \
    static const emu_type var = { \
        .struct_size = (size), .kind = EMU_KIND_DEVICE, .name = (tname), \
        .summary = "a widget for plugin tests", .instance_size = sizeof(tp_widget), \
        .props = tp_props, .regions = tp_regions, .inputs = tp_inputs, .outputs = tp_outputs, \
        .realize = tp_realize, \
    }; \
    static const emu_type *const var##_list[] = { &var, NULL }

#endif
