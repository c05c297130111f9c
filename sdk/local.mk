## SDK: public headers and the pkg-config file.
emuinclude_HEADERS += \
	sdk/include/emu/base.h sdk/include/emu/plugin.h sdk/include/emu/device.h \
	sdk/include/emu/memory.h sdk/include/emu/line.h sdk/include/emu/clock.h \
	sdk/include/emu/chardev.h sdk/include/emu/block.h sdk/include/emu/cpu.h \
	sdk/include/emu/emu.h sdk/include/emu/linux-abi.h sdk/include/emu/ir.h sdk/include/emu/cpu-plugin.h
# The example plugins, distributed and installed with the documentation
# ($(docdir)/examples/NAME/): each folder builds on its own against the installed SDK.
wdtexampledir = $(docdir)/examples/watchdog
dist_wdtexample_DATA = sdk/examples/watchdog/Makefile sdk/examples/watchdog/example_wdt.c \
	sdk/examples/watchdog/watchdog.yaml sdk/examples/watchdog/watchdog.lua \
	sdk/examples/watchdog/watchdog.expected
pciexampledir = $(docdir)/examples/pci-crc
dist_pciexample_DATA = sdk/examples/pci-crc/Makefile sdk/examples/pci-crc/example_pci_crc.c \
	sdk/examples/pci-crc/pci-crc.yaml sdk/examples/pci-crc/pci-crc.lua \
	sdk/examples/pci-crc/pci-crc.expected
emuinclude_HEADERS += sdk/include/emu/pci.h sdk/include/emu/intack.h
emuinclude_HEADERS += sdk/include/emu/fw_cfg.h
emuinclude_HEADERS += sdk/include/emu/nvram.h
emuinclude_HEADERS += sdk/include/emu/isa-dma.h
