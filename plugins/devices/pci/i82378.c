/* Intel 82378 System I/O (SIO) PCI-to-ISA bridge: its PCI function (8086:0484).
 *
 * On the bus it is a configuration header; its ISA-side devices (the 8259
 * pair, 8254, DMA) are separate devices of the machine, placed in the PCI
 * I/O space the bridge forwards to ISA.  The SIO's own configuration
 * registers at 0x40 and up are plain read/write bytes, as in QEMU.  All of its guest-visible
 * state is that configuration space, which the PCI bus saves and restores in snapshots. */
#include "emu/emu.h"
#include "emu/pci.h"

typedef struct i82378 {
    emu_device dev;
    emu_device *bus;
    int64_t devfn;
    int64_t subsys_vendor, subsys_id;
    emu_pci_function *fn;
} i82378;

static const emu_prop_desc i82378_props[] = {
    { "bus", EMU_PROP_LINK, offsetof(i82378, bus), NULL, "the PCI bus the bridge sits on", NULL, 0,
      0, NULL, EMU_PROP_REQUIRED },
    EMU_PROP_INT_DEF("devfn", i82378, devfn, "0x58", 0, 255,
                     "PCI address (slot << 3 | fn); PReP: slot 11"),
    EMU_PROP_INT_DEF("subsystem-vendor-id", i82378, subsys_vendor, "0x1af4", 0, 0xffff,
                     "subsystem vendor ID (QEMU gives every device 1af4)"),
    EMU_PROP_INT_DEF("subsystem-id", i82378, subsys_id, "0x1100", 0, 0xffff,
                     "subsystem ID (QEMU gives every device 1100)"),
    EMU_PROP_END,
};

static int i82378_realize(emu_device *dev, emu_error **err)
{
    i82378 *s = (i82378 *)dev;
    const emu_pci_bus_ops *pci = emu_pci_bus(s->bus);
    if (!pci) {
        emu_error_set(err, "bus: '%s' is not a PCI bus", s->bus->id);
        return -1;
    }
    if (!(s->fn = pci->attach(s->bus, dev, (int)s->devfn, NULL, s, err)))
        return -1;
    uint8_t *cfg = pci->config(s->fn);
    emu_pci_set_word(cfg + EMU_PCI_VENDOR_ID, 0x8086);
    emu_pci_set_word(cfg + EMU_PCI_DEVICE_ID, 0x0484);
    emu_pci_set_word(cfg + EMU_PCI_STATUS, EMU_PCI_STATUS_DEVSEL_MEDIUM);
    cfg[EMU_PCI_REVISION_ID] = 0x03;
    emu_pci_set_word(cfg + EMU_PCI_CLASS_DEVICE, 0x0601);   /* ISA bridge */
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_VENDOR_ID, (uint16_t)s->subsys_vendor);
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_ID, (uint16_t)s->subsys_id);
    cfg[EMU_PCI_INTERRUPT_PIN] = 1;
    return 0;
}

static const emu_type i82378_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "i82378",
    .summary = "Intel 82378 SIO PCI-to-ISA bridge (PCI function)",
    .instance_size = sizeof(i82378),
    .props = i82378_props,
    .realize = i82378_realize,
    .save = emu_state_none,   /* its configuration space is saved by the bus */
};

static const emu_type *const i82378_types[] = { &i82378_type, NULL };

EMU_PLUGIN(i82378) = {
    EMU_PLUGIN_HEADER, "i82378", "1.0", "Intel 82378 SIO PCI-to-ISA bridge", i82378_types,
};
