## Device plugins (one module per device model).
pkglib_LTLIBRARIES += plugins/devices/ns16550.la plugins/devices/i8259.la \
	plugins/devices/i8254.la plugins/devices/stub.la

plugins_devices_ns16550_la_SOURCES = plugins/devices/ns16550.c
plugins_devices_ns16550_la_CFLAGS = $(plugin_cflags)
plugins_devices_ns16550_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_ns16550_la_LIBADD = $(plugin_libadd)

plugins_devices_i8259_la_SOURCES = plugins/devices/i8259.c
plugins_devices_i8259_la_CFLAGS = $(plugin_cflags)
plugins_devices_i8259_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_i8259_la_LIBADD = $(plugin_libadd)

plugins_devices_i8254_la_SOURCES = plugins/devices/i8254.c
plugins_devices_i8254_la_CFLAGS = $(plugin_cflags)
plugins_devices_i8254_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_i8254_la_LIBADD = $(plugin_libadd)

plugins_devices_stub_la_SOURCES = plugins/devices/stub.c
plugins_devices_stub_la_CFLAGS = $(plugin_cflags)
plugins_devices_stub_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_stub_la_LIBADD = $(plugin_libadd)
