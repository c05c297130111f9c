## plugins/machines: board glue and each guest architecture's Linux ABI for user mode.
pkglib_LTLIBRARIES += plugins/machines/linux-ppc.la
plugins_machines_linux_ppc_la_SOURCES = plugins/machines/linux-ppc/linux-ppc.c \
	plugins/machines/linux-ppc/linux-ppc-signal.c plugins/machines/linux-ppc/linux-ppc-vdso.c \
	plugins/machines/linux-ppc/linux-ppc.h \
	plugins/machines/linux-ppc/ppc-syscalls.h
plugins_machines_linux_ppc_la_CFLAGS = $(plugin_cflags)
plugins_machines_linux_ppc_la_LDFLAGS = $(plugin_ldflags)
plugins_machines_linux_ppc_la_LIBADD = $(plugin_libadd)
