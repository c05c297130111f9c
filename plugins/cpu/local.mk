## plugins/cpu: CPU translators (one module per guest architecture).
pkglib_LTLIBRARIES += plugins/cpu/ppc.la
plugins_cpu_ppc_la_SOURCES = plugins/cpu/ppc/ppc-cpu.h plugins/cpu/ppc/ppc.c \
	plugins/cpu/ppc/translate.c plugins/cpu/ppc/helpers.c plugins/cpu/ppc/fpu.c plugins/cpu/ppc/mmu.c \
	plugins/cpu/ppc/tlb603.c plugins/cpu/ppc/state.c
plugins_cpu_ppc_la_CFLAGS = $(plugin_cflags) -frounding-math
plugins_cpu_ppc_la_LDFLAGS = $(plugin_ldflags)
plugins_cpu_ppc_la_LIBADD = $(plugin_libadd) -lm
