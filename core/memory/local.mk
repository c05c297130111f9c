## core/memory: address spaces, regions, flat views, accesses, dirty and code tracking.
core_libemu_la_SOURCES += \
	core/memory/memory-internal.h core/memory/memory-private.h \
	core/memory/space.c core/memory/region.c core/memory/flatview.c \
	core/memory/access.c core/memory/tracking.c
