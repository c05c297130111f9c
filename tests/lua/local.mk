## Tests of the hook registry and the Lua host (C and shell, TAP).
check_PROGRAMS += tests/lua/test-hooks
tests_lua_test_hooks_SOURCES = tests/lua/test-hooks.c
tests_lua_test_hooks_LDADD = core/libemu.la
TESTS += tests/lua/test-hooks

check_PROGRAMS += tests/lua/test-host
tests_lua_test_host_SOURCES = tests/lua/test-host.c tests/lua/devices.h
tests_lua_test_host_CPPFLAGS = $(AM_CPPFLAGS) $(LUA_CFLAGS)
tests_lua_test_host_LDADD = core/libemu.la $(LUA_LIBS)
TESTS += tests/lua/test-host

check_PROGRAMS += tests/lua/test-scripts
tests_lua_test_scripts_SOURCES = tests/lua/test-scripts.c tests/lua/devices.h
tests_lua_test_scripts_CPPFLAGS = $(AM_CPPFLAGS) $(LUA_CFLAGS)
tests_lua_test_scripts_LDADD = core/libemu.la $(LUA_LIBS)
TESTS += tests/lua/test-scripts

dist_noinst_SCRIPTS += tests/lua/test-guest.sh
EXTRA_DIST += tests/guests/lua/watch.c
TESTS += tests/lua/test-guest.sh

dist_noinst_SCRIPTS += tests/lua/test-block-hooks.sh
EXTRA_DIST += tests/guests/lua/blocks.c
TESTS += tests/lua/test-block-hooks.sh

dist_noinst_SCRIPTS += tests/lua/test-docs.sh
TESTS += tests/lua/test-docs.sh

dist_noinst_SCRIPTS += tests/lua/test-console.sh
TESTS += tests/lua/test-console.sh

dist_noinst_SCRIPTS += tests/lua/test-console-stdio.sh
TESTS += tests/lua/test-console-stdio.sh

dist_noinst_SCRIPTS += tests/lua/test-memory.sh
TESTS += tests/lua/test-memory.sh

dist_noinst_SCRIPTS += tests/lua/test-state.sh
TESTS += tests/lua/test-state.sh

dist_noinst_SCRIPTS += tests/lua/test-sys-block-hooks.sh
TESTS += tests/lua/test-sys-block-hooks.sh
