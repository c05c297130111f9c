## SDK tests: the public headers, the installed SDK, the out-of-tree examples.
dist_noinst_SCRIPTS += tests/sdk/test-headers.sh
TESTS += tests/sdk/test-headers.sh

# Register-level drivers of the examples built out of tree: test-install.sh runs
# tests/sdk/drive-EXAMPLE on the module it built from sdk/examples/EXAMPLE.
check_PROGRAMS += tests/sdk/drive-watchdog tests/sdk/drive-pci-crc
tests_sdk_drive_watchdog_SOURCES = tests/sdk/drive-watchdog.c tests/sdk/drive.h
tests_sdk_drive_watchdog_LDADD = core/libemu.la
tests_sdk_drive_pci_crc_SOURCES = tests/sdk/drive-pci-crc.c tests/sdk/drive.h
tests_sdk_drive_pci_crc_LDADD = core/libemu.la
dist_noinst_SCRIPTS += tests/sdk/test-install.sh
TESTS += tests/sdk/test-install.sh
dist_noinst_SCRIPTS += tests/sdk/test-failures.sh
TESTS += tests/sdk/test-failures.sh
dist_noinst_SCRIPTS += tests/sdk/test-docs.sh
TESTS += tests/sdk/test-docs.sh
EXTRA_DIST += tests/sdk/cxx_widget.cc
# test-install runs `make install`, and libtool relinks every plugin for it, rewriting their
# .la files in the build tree: run it after every other test, so that none of them loads a
# plugin while it is being rewritten.
# (A prerequisite only: the target is spelled through a variable so that Automake keeps its
# own rule for the log.)
sdk_install_log = tests/sdk/test-install.sh.log
$(sdk_install_log): $(filter-out $(sdk_install_log),$(TEST_LOGS))
