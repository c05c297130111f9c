## core/clock: the virtual clock (deterministic or real time) and timers.
core_libemu_la_SOURCES += \
	core/clock/clock.h core/clock/clock-private.h core/clock/clock.c core/clock/timer.c
