## CPU engine and PowerPC translator tests: in-process user-mode runs, differential tests
## against qemu-ppc, bare-metal system-mode tests, decoder fuzzing.
EXTRA_DIST += tests/cpu/ppc-harness.h
check_PROGRAMS += tests/cpu/test-ppc-user
tests_cpu_test_ppc_user_SOURCES = tests/cpu/test-ppc-user.c
tests_cpu_test_ppc_user_LDADD = core/libemu.la -lpthread
TESTS += tests/cpu/test-ppc-user
