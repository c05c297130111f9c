## Tests: TAP programs and scripts run by `make check`.
EXTRA_DIST += tests/tap.h tests/tap.sh
include tests/unit/local.mk
include tests/plugins/local.mk
include tests/user/local.mk
include tests/lua/local.mk
include tests/sdk/local.mk
include tests/devices/local.mk
include tests/devices/prep/local.mk
include tests/machines/local.mk
include tests/bad-machines/local.mk
include tests/cpu/local.mk
