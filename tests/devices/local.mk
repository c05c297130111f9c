## Register-level device tests (C, TAP): each drives one device plugin through the memory API.
EXTRA_DIST += tests/devices/devtest.h

device_tests = tests/devices/test-ns16550 tests/devices/test-i8259 tests/devices/test-i8254 \
	tests/devices/test-stub
check_PROGRAMS += $(device_tests)
TESTS += $(device_tests)

tests_devices_test_ns16550_SOURCES = tests/devices/test-ns16550.c
tests_devices_test_ns16550_LDADD = core/libemu.la
tests_devices_test_i8259_SOURCES = tests/devices/test-i8259.c
tests_devices_test_i8259_LDADD = core/libemu.la
tests_devices_test_i8254_SOURCES = tests/devices/test-i8254.c
tests_devices_test_i8254_LDADD = core/libemu.la
tests_devices_test_stub_SOURCES = tests/devices/test-stub.c
tests_devices_test_stub_LDADD = core/libemu.la

check_PROGRAMS += tests/devices/test-state
TESTS += tests/devices/test-state
tests_devices_test_state_SOURCES = tests/devices/test-state.c
tests_devices_test_state_LDADD = core/libemu.la
