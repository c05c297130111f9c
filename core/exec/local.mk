## core/exec: the execution engine (block cache, IR, interpreter, software TLB, user mode).
core_libemu_la_SOURCES += core/exec/exec.h core/exec/user-exec.h core/exec/exec-internal.h core/exec/host-mem.h \
	core/exec/ir.c core/exec/ir-const.c core/exec/interp.c core/exec/tb.c core/exec/cpu.c core/exec/softmmu.c \
	core/exec/user-exec.c core/exec/sys-exec.c core/exec/trace.c core/exec/hooks-exec.c
