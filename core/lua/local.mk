## core/lua: the instrumentation hook registry and the Lua 5.4 host.
core_libemu_la_SOURCES += core/hooks.c core/hooks.h
