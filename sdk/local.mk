## SDK: public headers and the pkg-config file.
emuinclude_HEADERS += \
	sdk/include/emu/base.h sdk/include/emu/plugin.h sdk/include/emu/device.h \
	sdk/include/emu/memory.h sdk/include/emu/line.h sdk/include/emu/clock.h \
	sdk/include/emu/chardev.h sdk/include/emu/block.h sdk/include/emu/cpu.h \
	sdk/include/emu/emu.h sdk/include/emu/linux-abi.h sdk/include/emu/ir.h sdk/include/emu/cpu-plugin.h
EXTRA_DIST += sdk/examples
emuinclude_HEADERS += sdk/include/emu/pci.h sdk/include/emu/intack.h
emuinclude_HEADERS += sdk/include/emu/fw_cfg.h
emuinclude_HEADERS += sdk/include/emu/nvram.h
