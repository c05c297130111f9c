## core/user: the architecture-neutral Linux user-mode runtime (emu --user).
core_libemu_la_SOURCES += \
	core/user/vm.c core/user/vm.h \
	core/user/elf.c core/user/elf.h \
	core/user/stack.c core/user/stack.h
