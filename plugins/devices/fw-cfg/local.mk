## fw_cfg: QEMU's firmware configuration device (memory-mapped and I/O variants).
pkglib_LTLIBRARIES += plugins/devices/fw-cfg/fw-cfg.la
plugins_devices_fw_cfg_fw_cfg_la_SOURCES = plugins/devices/fw-cfg/fw-cfg.c
plugins_devices_fw_cfg_fw_cfg_la_CFLAGS = $(plugin_cflags)
plugins_devices_fw_cfg_fw_cfg_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_fw_cfg_fw_cfg_la_LIBADD = $(plugin_libadd)
