## core/memory (placeholder until the real implementation lands)
core_libemu_la_SOURCES += core/memory/placeholder.c
