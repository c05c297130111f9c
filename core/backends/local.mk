## core/backends (placeholder until the real implementation lands)
core_libemu_la_SOURCES += core/backends/placeholder.c
