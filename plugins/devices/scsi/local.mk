## SCSI: the LSI 53C810 PCI controller and its targets (disks, CD-ROM drives).
pkglib_LTLIBRARIES += plugins/devices/scsi/lsi53c810.la
plugins_devices_scsi_lsi53c810_la_SOURCES = plugins/devices/scsi/lsi53c810.c \
	plugins/devices/scsi/scsi-target.c plugins/devices/scsi/scsi-target.h
plugins_devices_scsi_lsi53c810_la_CFLAGS = $(plugin_cflags)
plugins_devices_scsi_lsi53c810_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_scsi_lsi53c810_la_LIBADD = $(plugin_libadd)
