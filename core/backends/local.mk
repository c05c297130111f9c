## core/backends: host chardevs (stdio, null, file, tcp, pty, buffer) and block devices.
core_libemu_la_SOURCES += \
	core/backends/backends.c \
	core/backends/chardev-internal.h core/backends/chardev.c \
	core/backends/chardev-simple.c core/backends/chardev-stdio.c \
	core/backends/chardev-tcp.c core/backends/chardev-pty.c \
	core/backends/block-internal.h core/backends/block.c
