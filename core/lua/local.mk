## core/lua: the instrumentation hook registry and the Lua 5.4 host.
core_libemu_la_SOURCES += core/hooks.c core/hooks.h \
	core/lua/lua-host.h core/lua/lua-internal.h core/lua/host.c core/lua/scripts.c \
	core/lua/lua-hooks.c core/lua/lua-cpu.c core/lua/lua-time.c core/lua/lua-serial.c \
	core/lua/lua-symbols.c core/lua/symbols.c core/lua/symbols.h core/lua/lua-memory.c \
	core/lua/lua-state.c

## Ready-made scripts, installed under $(pkgdatadir)/lua.
nobase_dist_pkgdata_DATA += lua/strace.lua lua/count.lua lua/coverage.lua lua/memwatch.lua \
	lua/flamegraph.lua lua/boot-expect.lua

## The hook-cost benchmark (run by hand, never by make check).
EXTRA_DIST += bench/lua-hooks.sh bench/lua/hookbench.c
