## User-mode tests: the loader, address space, stack and system call conversions in-process
## (no CPU), then guest programs run with emu --user.
check_PROGRAMS += tests/user/test-user-core
tests_user_test_user_core_SOURCES = tests/user/test-user-core.c
tests_user_test_user_core_LDADD = core/libemu.la
TESTS += tests/user/test-user-core
