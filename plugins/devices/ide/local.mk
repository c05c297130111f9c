## IDE: an ISA-style channel with ATA disks and ATAPI CD-ROM drives (PIO), and the CMD646
## PCI IDE controller whose channels are such devices.
pkglib_LTLIBRARIES += plugins/devices/ide/ide.la
plugins_devices_ide_ide_la_SOURCES = plugins/devices/ide/ide.c plugins/devices/ide/ata.c \
	plugins/devices/ide/atapi.c plugins/devices/ide/ide-state.c plugins/devices/ide/cmd646.c \
	plugins/devices/ide/ide-internal.h
plugins_devices_ide_ide_la_CFLAGS = $(plugin_cflags)
plugins_devices_ide_ide_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_ide_ide_la_LIBADD = $(plugin_libadd)
