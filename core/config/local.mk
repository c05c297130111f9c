## core/config (placeholder until the real implementation lands)
core_libemu_la_SOURCES += core/config/placeholder.c
