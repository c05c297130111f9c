## core/clock (placeholder until the real implementation lands)
core_libemu_la_SOURCES += core/clock/placeholder.c
