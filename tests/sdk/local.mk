## SDK tests: the public headers, the installed SDK, the out-of-tree examples.
dist_noinst_SCRIPTS += tests/sdk/test-headers.sh
TESTS += tests/sdk/test-headers.sh

# Drives the watchdog example built out of tree (test-install.sh runs drive-EXAMPLE for each example).
check_PROGRAMS += tests/sdk/drive-watchdog
tests_sdk_drive_watchdog_SOURCES = tests/sdk/drive-watchdog.c
tests_sdk_drive_watchdog_LDADD = core/libemu.la
dist_noinst_SCRIPTS += tests/sdk/test-install.sh
TESTS += tests/sdk/test-install.sh
