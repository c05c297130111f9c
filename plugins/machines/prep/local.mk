## The PReP (IBM 40p) board: firmware loading, fw_cfg contents, NVRAM header, kernel loading.
pkglib_LTLIBRARIES += plugins/machines/prep/prep.la
plugins_machines_prep_prep_la_SOURCES = plugins/machines/prep/prep.c \
	plugins/machines/prep/firmware.c plugins/machines/prep/firmware.h \
	plugins/machines/prep/prep-nvram.c plugins/machines/prep/prep-nvram.h
plugins_machines_prep_prep_la_CFLAGS = $(plugin_cflags)
plugins_machines_prep_prep_la_LDFLAGS = $(plugin_ldflags)
plugins_machines_prep_prep_la_LIBADD = $(plugin_libadd)

nobase_dist_pkgdata_DATA += machines.d/prep.yaml machines.d/prep-disk.yaml machines.d/prep-cdrom.yaml \
	machines.d/prep-ide-disk.yaml machines.d/prep-ide-cdrom.yaml machines.d/prep-pci-ide.yaml \
	machines.d/prep-pci-disk.yaml machines.d/prep-pci-cdrom.yaml
