## CPU engine and PowerPC translator tests: in-process user-mode runs, differential tests
## against qemu-ppc, bare-metal system-mode tests, decoder fuzzing.
EXTRA_DIST += tests/cpu/ppc-harness.h
check_PROGRAMS += tests/cpu/test-ppc-user
tests_cpu_test_ppc_user_SOURCES = tests/cpu/test-ppc-user.c
tests_cpu_test_ppc_user_LDADD = core/libemu.la -lpthread
TESTS += tests/cpu/test-ppc-user
check_PROGRAMS += tests/cpu/test-ppc-diff
tests_cpu_test_ppc_diff_SOURCES = tests/cpu/test-ppc-diff.c
tests_cpu_test_ppc_diff_LDADD = core/libemu.la
TESTS += tests/cpu/test-ppc-diff
check_PROGRAMS += tests/cpu/test-ppc-system
tests_cpu_test_ppc_system_SOURCES = tests/cpu/test-ppc-system.c
tests_cpu_test_ppc_system_LDADD = core/libemu.la
TESTS += tests/cpu/test-ppc-system
check_PROGRAMS += tests/cpu/test-ppc-fuzz
tests_cpu_test_ppc_fuzz_SOURCES = tests/cpu/test-ppc-fuzz.c
tests_cpu_test_ppc_fuzz_LDADD = core/libemu.la
TESTS += tests/cpu/test-ppc-fuzz
check_PROGRAMS += tests/cpu/test-ppc-fpu
tests_cpu_test_ppc_fpu_SOURCES = tests/cpu/test-ppc-fpu.c
tests_cpu_test_ppc_fpu_LDADD = core/libemu.la -lm
TESTS += tests/cpu/test-ppc-fpu
check_PROGRAMS += tests/cpu/test-ppc-fpexc
tests_cpu_test_ppc_fpexc_SOURCES = tests/cpu/test-ppc-fpexc.c
tests_cpu_test_ppc_fpexc_LDADD = core/libemu.la -lm
TESTS += tests/cpu/test-ppc-fpexc
