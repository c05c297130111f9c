## ISA-side chips of the PReP machine: RTC/CMOS, NVRAM, keyboard controller, system I/O.
EXTRA_DIST += plugins/devices/isa/rtc-clock.h
pkglib_LTLIBRARIES += plugins/devices/isa/mc146818.la plugins/devices/isa/m48t59.la \
	plugins/devices/isa/i8042.la plugins/devices/isa/prep-systemio.la

plugins_devices_isa_mc146818_la_SOURCES = plugins/devices/isa/mc146818.c \
	plugins/devices/isa/rtc-clock.c
plugins_devices_isa_mc146818_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_mc146818_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_mc146818_la_LIBADD = $(plugin_libadd)

plugins_devices_isa_m48t59_la_SOURCES = plugins/devices/isa/m48t59.c \
	plugins/devices/isa/rtc-clock.c
plugins_devices_isa_m48t59_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_m48t59_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_m48t59_la_LIBADD = $(plugin_libadd)

plugins_devices_isa_i8042_la_SOURCES = plugins/devices/isa/i8042.c
plugins_devices_isa_i8042_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_i8042_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_i8042_la_LIBADD = $(plugin_libadd)

plugins_devices_isa_prep_systemio_la_SOURCES = plugins/devices/isa/prep-systemio.c
plugins_devices_isa_prep_systemio_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_prep_systemio_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_prep_systemio_la_LIBADD = $(plugin_libadd)

# Checked reading of saved state, shared by the device plugins' load hooks.
EXTRA_DIST += plugins/devices/state-fields.h

pkglib_LTLIBRARIES += plugins/devices/isa/isa-dma.la
plugins_devices_isa_isa_dma_la_SOURCES = plugins/devices/isa/isa-dma.c
plugins_devices_isa_isa_dma_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_isa_dma_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_isa_dma_la_LIBADD = $(plugin_libadd)

pkglib_LTLIBRARIES += plugins/devices/isa/pc87312.la plugins/devices/isa/parallel.la
plugins_devices_isa_pc87312_la_SOURCES = plugins/devices/isa/pc87312.c
plugins_devices_isa_pc87312_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_pc87312_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_pc87312_la_LIBADD = $(plugin_libadd)

plugins_devices_isa_parallel_la_SOURCES = plugins/devices/isa/parallel.c
plugins_devices_isa_parallel_la_CFLAGS = $(plugin_cflags)
plugins_devices_isa_parallel_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_isa_parallel_la_LIBADD = $(plugin_libadd)
