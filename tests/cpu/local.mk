## CPU engine and PowerPC translator tests: in-process user-mode runs, differential tests
## against qemu-ppc, bare-metal system-mode tests, decoder fuzzing.
EXTRA_DIST += tests/cpu/ppc-harness.h tests/cpu/ppc-sys.h
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
check_PROGRAMS += tests/cpu/test-ppc-guests
tests_cpu_test_ppc_guests_SOURCES = tests/cpu/test-ppc-guests.c
tests_cpu_test_ppc_guests_LDADD = core/libemu.la
TESTS += tests/cpu/test-ppc-guests

# Bare-metal supervisor programs for test-ppc-guests: flat images linked at 0, built when
# gcc-powerpc-linux-gnu is there (the test skips them otherwise).
sys_guests = tlb603 mcheck align tlbinsn checkstop
sys_guests_bin = $(sys_guests:%=tests/guests/sys/%.bin)
EXTRA_DIST += tests/guests/sys/sys.h $(sys_guests:%=tests/guests/sys/%.S) \
	$(wildcard $(srcdir)/tests/guests/sys/*.expected)
CLEANFILES += $(sys_guests_bin)
TESTS += tests/cpu/test-ppc-checkstop.sh
EXTRA_DIST += tests/cpu/test-ppc-checkstop.sh
if HAVE_PPC_CC
EXTRA_tests_cpu_test_ppc_guests_DEPENDENCIES = $(sys_guests_bin)
# (the log is NAME.sh.log, or NAME.log once .sh is in TEST_EXTENSIONS)
tests/cpu/test-ppc-checkstop.sh.log tests/cpu/test-ppc-checkstop.log: tests/guests/sys/checkstop.bin
endif
tests/guests/sys/%.bin: tests/guests/sys/%.S tests/guests/sys/sys.h
	@mkdir -p tests/guests/sys
	$(AM_V_CC)$(PPC_CC) -nostdlib -static -Wl,-Ttext=0 -Wl,--entry=0 -Wl,--oformat=binary -o $@ $<
check_PROGRAMS += tests/cpu/test-ppc-sysexec
tests_cpu_test_ppc_sysexec_SOURCES = tests/cpu/test-ppc-sysexec.c
tests_cpu_test_ppc_sysexec_LDADD = core/libemu.la
TESTS += tests/cpu/test-ppc-sysexec
