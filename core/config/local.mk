## core/config: machine files (YAML) — read, compose, substitute, validate, build.
core_libemu_la_SOURCES += \
	core/config/machine-file.c core/config/machine-file.h \
	core/config/node.c core/config/node.h \
	core/config/yaml-read.c core/config/yaml-read.h \
	core/config/compose.c core/config/compose.h \
	core/config/vars.c core/config/vars.h \
	core/config/check.c core/config/check.h \
	core/config/plan.h core/config/validate.h \
	core/config/validate.c core/config/validate-memory.c core/config/validate-devices.c \
	core/config/build.c
