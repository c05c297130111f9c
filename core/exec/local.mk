## core/exec: the execution engine.
core_libemu_la_SOURCES += core/exec/exec.h core/exec/user-exec.h core/exec/exec-none.c
