// A plugin written in C++, built by test-install.sh against the installed SDK: the headers
// give C linkage, and the descriptor and type work from C++ (no designated initializers in
// C++11: the type is filled in by a function).
#include <emu/emu.h>

namespace {

struct widget {
    emu_device dev;
    int64_t count;
};

int widget_realize(emu_device *dev, emu_error **)
{
    emu_log(dev, EMU_LOG_INFO, "realized with count %lld",
            static_cast<long long>(reinterpret_cast<widget *>(dev)->count));
    return 0;
}

const emu_prop_desc widget_props[] = {
    EMU_PROP_INT_DEF("count", widget, count, "1", 0, 10, "how many"),
    EMU_PROP_END,
};

emu_type make_type()
{
    emu_type t = emu_type();
    t.struct_size = sizeof(emu_type);
    t.kind = EMU_KIND_DEVICE;
    t.name = "cxx-widget";
    t.summary = "a device written in C++";
    t.instance_size = sizeof(widget);
    t.props = widget_props;
    t.realize = widget_realize;
    return t;
}

const emu_type widget_type = make_type();
const emu_type *const widget_types[] = { &widget_type, nullptr };

} // namespace

EMU_PLUGIN(cxx_widget) = { EMU_PLUGIN_HEADER, "cxx_widget", "1.0", "C++ widget", widget_types };
