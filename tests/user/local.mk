## User-mode tests: the loader, address space, stack and system call conversions in-process
## (no CPU), then guest programs run with emu --user.
check_PROGRAMS += tests/user/test-user-core
tests_user_test_user_core_SOURCES = tests/user/test-user-core.c
tests_user_test_user_core_LDADD = core/libemu.la
TESTS += tests/user/test-user-core
check_PROGRAMS += tests/user/test-user-sys
tests_user_test_user_sys_SOURCES = tests/user/test-user-sys.c
tests_user_test_user_sys_LDADD = core/libemu.la -lutil
TESTS += tests/user/test-user-sys

# Guest programs, cross-compiled when gcc-powerpc-linux-gnu is there; the runner compares
# their output with tests/guests/user/NAME.expected.
user_guests = hello files dirs memory process signals time misc threads tty sockets fatal \
	eventfd signalfd inotify oldsignals futex safesyscall procself cancel sigbacktrace \
	sigframe fpexc
user_guests_static = $(user_guests:%=tests/guests/user/%.static)
user_guests_dyn = $(user_guests:%=tests/guests/user/%.dyn)
TESTS += tests/user/guests-static.sh tests/user/guests-dynamic.sh tests/user/bad-input.sh \
	tests/user/strace.sh
EXTRA_DIST += tests/user/run-guests.sh tests/user/guests-static.sh tests/user/guests-dynamic.sh \
	tests/user/bad-input.sh tests/user/strace.sh \
	tests/user/real-programs.sh tests/user/lua
# The guest sources and their expectations, file by file: the folder in a build tree also
# holds the built guests, which must not reach the distribution.
EXTRA_DIST += $(wildcard $(srcdir)/tests/guests/user/*.c $(srcdir)/tests/guests/user/*.expected \
	$(srcdir)/tests/guests/user/*.args $(srcdir)/tests/guests/user/*.qemu-differs)
CLEANFILES += $(user_guests_static) $(user_guests_dyn)
# (the log is NAME.sh.log, or NAME.log once .sh is in TEST_EXTENSIONS)
if HAVE_PPC_CC
tests/user/guests-static.sh.log tests/user/guests-static.log: $(user_guests_static)
tests/user/guests-dynamic.sh.log tests/user/guests-dynamic.log: $(user_guests_dyn)
tests/user/bad-input.sh.log tests/user/bad-input.log: tests/guests/user/hello.static tests/guests/user/hello.dyn
tests/user/strace.sh.log tests/user/strace.log: tests/guests/user/files.static
endif
tests/guests/user/%.static: tests/guests/user/%.c
	@mkdir -p tests/guests/user
	$(AM_V_CC)$(PPC_CC) -static -O2 -o $@ $< -lpthread -lm
tests/guests/user/%.dyn: tests/guests/user/%.c
	@mkdir -p tests/guests/user
	$(AM_V_CC)$(PPC_CC) -O2 -o $@ $< -lpthread -lm

# A C++ guest throwing from a signal handler: the script compiles it with the cross g++ when
# there is one (g++-powerpc-linux-gnu) and skips otherwise.
TESTS += tests/user/sigthrow.sh
EXTRA_DIST += tests/user/sigthrow.sh tests/guests/user/sigthrow.cc

# Loop device ioctls: the guest prints its own TAP (it attaches a scratch file to a loop
# device, so it needs root and a host that lends one; otherwise it reports a skip).
TESTS += tests/user/loop.sh
EXTRA_DIST += tests/user/loop.sh
CLEANFILES += tests/guests/user/loop.static
if HAVE_PPC_CC
tests/user/loop.sh.log tests/user/loop.log: tests/guests/user/loop.static
endif

# Debian's lua5.4 and busybox, cross-built and run under emu and qemu-ppc-static (skipped
# unless EMU_REAL_SOURCES names a folder holding their unpacked sources; .ci/run fetches them).
# The builds are cached in the build tree between runs.
TESTS += tests/user/real-programs.sh
EXTRA_DIST += tests/user/real-programs.qemu-differs
clean-local: clean-real-programs
clean-real-programs:
	rm -rf tests/user/real-programs.cache
.PHONY: clean-real-programs
