## libemu (the core) and the emu command.  Areas under core/ append their
## sources in their own local.mk.
lib_LTLIBRARIES += core/libemu.la
core_libemu_la_SOURCES = \
	core/util.c core/util.h core/error.c core/log.c core/log.h \
	core/plugins.c core/plugins.h core/object.c core/object.h \
	core/machine.c core/machine.h core/machine-lines.c core/machine-reset.c core/run.c core/run.h \
	core/session.c core/session.h core/describe.c core/describe.h core/options.c core/options.h \
	core/state.c core/state.h
core_libemu_la_CPPFLAGS = $(AM_CPPFLAGS) $(YAML_CFLAGS) $(LUA_CFLAGS) $(CAPSTONE_CFLAGS)
core_libemu_la_LIBADD = $(LTDL_LIBS) $(YAML_LIBS) $(LUA_LIBS) $(CAPSTONE_LIBS) -lm -lutil
core_libemu_la_LDFLAGS = -version-info 0:0:0 -no-undefined -export-symbols-regex "^emu_" $(SAN_LDFLAGS)

bin_PROGRAMS += emu
emu_SOURCES = core/main.c
emu_LDADD = core/libemu.la

include core/memory/local.mk
include core/clock/local.mk
include core/backends/local.mk
include core/config/local.mk
include core/exec/local.mk
include core/lua/local.mk

# Internal interfaces between core areas (each area lists its own private headers).
noinst_HEADERS += core/backends/backends.h core/clock/clock.h core/config/machine-file.h
include core/user/local.mk
