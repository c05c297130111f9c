## Tests of the hook registry and the Lua host (C and shell, TAP).
check_PROGRAMS += tests/lua/test-hooks
tests_lua_test_hooks_SOURCES = tests/lua/test-hooks.c
tests_lua_test_hooks_LDADD = core/libemu.la
TESTS += tests/lua/test-hooks
