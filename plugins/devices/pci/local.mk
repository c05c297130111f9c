## PCI: the generic bus, the Raven PReP host bridge, the i82378 PCI-to-ISA bridge.
pkglib_LTLIBRARIES += plugins/devices/pci/pci-bus.la plugins/devices/pci/raven.la \
	plugins/devices/pci/i82378.la

plugins_devices_pci_pci_bus_la_SOURCES = plugins/devices/pci/pci-bus.c
plugins_devices_pci_pci_bus_la_CFLAGS = $(plugin_cflags)
plugins_devices_pci_pci_bus_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_pci_pci_bus_la_LIBADD = $(plugin_libadd)

plugins_devices_pci_raven_la_SOURCES = plugins/devices/pci/raven.c
plugins_devices_pci_raven_la_CFLAGS = $(plugin_cflags)
plugins_devices_pci_raven_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_pci_raven_la_LIBADD = $(plugin_libadd)

plugins_devices_pci_i82378_la_SOURCES = plugins/devices/pci/i82378.c
plugins_devices_pci_i82378_la_CFLAGS = $(plugin_cflags)
plugins_devices_pci_i82378_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_pci_i82378_la_LIBADD = $(plugin_libadd)

pkglib_LTLIBRARIES += plugins/devices/pci/pci-stub.la
plugins_devices_pci_pci_stub_la_SOURCES = plugins/devices/pci/pci-stub.c
plugins_devices_pci_pci_stub_la_CFLAGS = $(plugin_cflags)
plugins_devices_pci_pci_stub_la_LDFLAGS = $(plugin_ldflags)
plugins_devices_pci_pci_stub_la_LIBADD = $(plugin_libadd)
