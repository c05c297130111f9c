## Plugins: every CPU, device, board and frontend is a libtool module.
include plugins/devices/local.mk
include plugins/devices/pci/local.mk
include plugins/devices/fw-cfg/local.mk
include plugins/cpu/local.mk
include plugins/devices/isa/local.mk
include plugins/machines/local.mk
include plugins/devices/ide/local.mk
include plugins/machines/prep/local.mk
include plugins/devices/scsi/local.mk
