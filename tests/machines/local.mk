## Machine-file tests: the test plugin providing the mft-* types, and good machine files.
mft_ldflags = -module -avoid-version -shared -rpath '$(abs_builddir)' $(SAN_LDFLAGS)
check_LTLIBRARIES += tests/machines/plugin/mft_devices.la
tests_machines_plugin_mft_devices_la_SOURCES = tests/machines/mft_devices.c tests/machines/mft-devices.h
tests_machines_plugin_mft_devices_la_CFLAGS = $(plugin_cflags)
tests_machines_plugin_mft_devices_la_LDFLAGS = $(mft_ldflags)
tests_machines_plugin_mft_devices_la_LIBADD = $(plugin_libadd)

dist_noinst_SCRIPTS += tests/machines/run.sh
dist_noinst_DATA += tests/machines/isa-pc.yaml tests/machines/isa-pc.lua tests/machines/isa-pc.rom \
	tests/machines/common/isa-io.yaml tests/machines/mft-board.yaml tests/machines/quit.lua
TESTS += tests/machines/run.sh
