## core/user: the architecture-neutral Linux user-mode runtime (emu --user).
core_libemu_la_SOURCES += \
	core/user/vm.c core/user/vm.h \
	core/user/elf.c core/user/elf.h \
	core/user/stack.c core/user/stack.h
core_libemu_la_SOURCES += \
	core/user/user.h core/user/guest.c core/user/path.c core/user/syscall.c \
	core/user/sys-file.c core/user/sys-stat.c core/user/sys-mem.c core/user/sys-proc.c \
	core/user/sys-time.c core/user/sys-misc.c core/user/sys-ioctl.c core/user/sys-net.c \
	core/user/sys-eventfd.c core/user/sys-notify.c core/user/fdkind.c core/user/safe-syscall.c \
	core/user/sys-futex.c core/user/procfs.c \
	core/user/signal.c core/user/runtime.c core/user/runtime.h
