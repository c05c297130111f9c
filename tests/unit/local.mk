## Unit tests of core pieces (C, TAP).
check_PROGRAMS += tests/unit/test-util
tests_unit_test_util_SOURCES = tests/unit/test-util.c
tests_unit_test_util_LDADD = core/libemu.la
TESTS += tests/unit/test-util

check_PROGRAMS += tests/unit/test-object
tests_unit_test_object_SOURCES = tests/unit/test-object.c
tests_unit_test_object_LDADD = core/libemu.la
TESTS += tests/unit/test-object

dist_noinst_SCRIPTS += tests/unit/test-cli.sh tests/unit/test-readme.sh tests/unit/test-space-unassigned.sh
TESTS += tests/unit/test-cli.sh tests/unit/test-readme.sh tests/unit/test-space-unassigned.sh

dist_noinst_SCRIPTS += tests/unit/test-devices-doc.sh
TESTS += tests/unit/test-devices-doc.sh

check_PROGRAMS += tests/unit/test-backends
tests_unit_test_backends_SOURCES = tests/unit/test-backends.c tests/unit/chardev-sink.h
tests_unit_test_backends_LDADD = core/libemu.la
TESTS += tests/unit/test-backends

check_PROGRAMS += tests/unit/test-memory tests/unit/test-clock
tests_unit_test_memory_SOURCES = tests/unit/test-memory.c
tests_unit_test_memory_LDADD = core/libemu.la
tests_unit_test_clock_SOURCES = tests/unit/test-clock.c
tests_unit_test_clock_LDADD = core/libemu.la
TESTS += tests/unit/test-memory tests/unit/test-clock

check_PROGRAMS += tests/unit/test-machine-file
tests_unit_test_machine_file_SOURCES = tests/unit/test-machine-file.c
tests_unit_test_machine_file_LDADD = core/libemu.la
TESTS += tests/unit/test-machine-file

check_PROGRAMS += tests/unit/test-machine-fuzz
tests_unit_test_machine_fuzz_SOURCES = tests/unit/test-machine-fuzz.c
tests_unit_test_machine_fuzz_LDADD = core/libemu.la
TESTS += tests/unit/test-machine-fuzz

check_PROGRAMS += tests/unit/test-chardev-tap
tests_unit_test_chardev_tap_SOURCES = tests/unit/test-chardev-tap.c tests/unit/chardev-sink.h
tests_unit_test_chardev_tap_LDADD = core/libemu.la
TESTS += tests/unit/test-chardev-tap

check_PROGRAMS += tests/unit/test-state-file
tests_unit_test_state_file_SOURCES = tests/unit/test-state-file.c
tests_unit_test_state_file_LDADD = core/libemu.la
TESTS += tests/unit/test-state-file

check_PROGRAMS += tests/unit/test-linux-abi-adopt
tests_unit_test_linux_abi_adopt_SOURCES = tests/unit/test-linux-abi-adopt.c
tests_unit_test_linux_abi_adopt_LDADD = core/libemu.la
TESTS += tests/unit/test-linux-abi-adopt

check_PROGRAMS += tests/unit/test-stdio-tty
tests_unit_test_stdio_tty_SOURCES = tests/unit/test-stdio-tty.c
TESTS += tests/unit/test-stdio-tty

dist_noinst_SCRIPTS += tests/unit/test-blockdev-cli.sh
TESTS += tests/unit/test-blockdev-cli.sh

dist_noinst_SCRIPTS += tests/unit/test-chardev-cli.sh
TESTS += tests/unit/test-chardev-cli.sh
