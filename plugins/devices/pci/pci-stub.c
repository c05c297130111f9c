/* A placeholder for a PCI function nothing models yet: its configuration header (IDs, class,
 * interrupt pin, BAR and ROM sizes), so that firmware enumerates the bus as it would find it,
 * and BARs that read 0, ignore writes and log each access as unimplemented.  The PCI
 * counterpart of the `stub` device.  Its only state is the configuration space, which the PCI
 * bus saves and restores in snapshots. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/pci.h"

#define NUM_BARS 7   /* 0..5, then the expansion ROM */

typedef struct pci_stub {
    emu_device dev;
    emu_device *bus;
    int64_t devfn, vendor, device, revision, class_code, subsys_vendor, subsys_id, pin;
    int64_t status, min_gnt, max_lat;
    char *bar[NUM_BARS];
} pci_stub;

#define BAR_PROP(n, name) \
    EMU_PROP_STRING_DEF(name, pci_stub, bar[n], "", \
                        "BAR " #n ": '' (none), io:SIZE, mem:SIZE[:prefetch] or mem64:SIZE[:prefetch]")

static const emu_prop_desc stub_props[] = {
    { "bus", EMU_PROP_LINK, offsetof(pci_stub, bus), NULL, "the PCI bus", NULL, 0, 0, NULL,
      EMU_PROP_REQUIRED },
    EMU_PROP_INT_DEF("devfn", pci_stub, devfn, "-1", -1, 255, "PCI address (slot << 3 | fn), -1: first free"),
    { "vendor-id", EMU_PROP_INT, offsetof(pci_stub, vendor), NULL, "vendor ID", NULL, 0, 0xfffe,
      NULL, EMU_PROP_REQUIRED },
    { "device-id", EMU_PROP_INT, offsetof(pci_stub, device), NULL, "device ID", NULL, 0, 0xffff,
      NULL, EMU_PROP_REQUIRED },
    EMU_PROP_INT_DEF("revision", pci_stub, revision, "0", 0, 0xff, "revision ID"),
    EMU_PROP_INT_DEF("class", pci_stub, class_code, "0", 0, 0xffffff,
                     "class code: class << 16 | subclass << 8 | programming interface"),
    EMU_PROP_INT_DEF("subsystem-vendor-id", pci_stub, subsys_vendor, "0", 0, 0xffff, "subsystem vendor ID"),
    EMU_PROP_INT_DEF("subsystem-id", pci_stub, subsys_id, "0", 0, 0xffff, "subsystem ID"),
    EMU_PROP_INT_DEF("interrupt-pin", pci_stub, pin, "0", 0, 4, "0 none, 1..4 INTA..INTD (never raised)"),
    EMU_PROP_INT_DEF("status", pci_stub, status, "0", 0, 0xffff, "status register at power-on"),
    EMU_PROP_INT_DEF("min-grant", pci_stub, min_gnt, "0", 0, 0xff, "MIN_GNT register"),
    EMU_PROP_INT_DEF("max-latency", pci_stub, max_lat, "0", 0, 0xff, "MAX_LAT register"),
    BAR_PROP(0, "bar0"), BAR_PROP(1, "bar1"), BAR_PROP(2, "bar2"), BAR_PROP(3, "bar3"),
    BAR_PROP(4, "bar4"), BAR_PROP(5, "bar5"),
    EMU_PROP_STRING_DEF("rom", pci_stub, bar[6], "", "expansion ROM: '' (none) or SIZE"),
    EMU_PROP_END,
};

/* A size: decimal or 0x hex, with an optional K, M or G (binary) suffix. */
static bool parse_size(const char *t, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(t, &end, 0);
    unsigned shift = 0;
    if (*end == 'K')
        shift = 10, end++;
    else if (*end == 'M')
        shift = 20, end++;
    else if (*end == 'G')
        shift = 30, end++;
    if (errno || end == t || *end || *t == '-' || (v >> (64 - shift - 1)) >> 1)
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* "io:32", "mem:16M:prefetch", "mem64:1M", or for the ROM just a size. */
static int parse_bar(const char *text, bool rom, unsigned *type, uint64_t *size, emu_error **err)
{
    char kind[8] = "mem", sz[32] = "", extra[16] = "";
    const char *p = text;
    if (!rom) {
        const char *colon = strchr(text, ':');
        if (!colon || (size_t)(colon - text) >= sizeof kind) {
            emu_error_set(err, "'%s' is not io:SIZE, mem:SIZE[:prefetch] or mem64:SIZE[:prefetch]", text);
            return -1;
        }
        memcpy(kind, text, (size_t)(colon - text));
        kind[colon - text] = 0;
        p = colon + 1;
    }
    const char *colon = strchr(p, ':');
    size_t n = colon ? (size_t)(colon - p) : strlen(p);
    if (n == 0 || n >= sizeof sz || (colon && strlen(colon + 1) >= sizeof extra)) {
        emu_error_set(err, "'%s': missing or overlong size", text);
        return -1;
    }
    memcpy(sz, p, n);
    if (colon)
        strcpy(extra, colon + 1);
    if (!parse_size(sz, size) || *size == 0) {
        emu_error_set(err, "'%s': size '%s' is not a number above 0 with an optional K, M or G", text, sz);
        return -1;
    }
    bool pref = !strcmp(extra, "prefetch");
    if (*extra && !pref) {
        emu_error_set(err, "'%s': '%s' is not 'prefetch'", text, extra);
        return -1;
    }
    if (!strcmp(kind, "io") && pref) {
        emu_error_set(err, "'%s': an io BAR cannot be prefetchable (only mem and mem64)", text);
        return -1;
    }
    if (!strcmp(kind, "io"))
        *type = EMU_PCI_BAR_IO;
    else if (!strcmp(kind, "mem"))
        *type = EMU_PCI_BAR_MEM32 | (pref ? EMU_PCI_BAR_PREFETCH : 0);
    else if (!strcmp(kind, "mem64"))
        *type = EMU_PCI_BAR_MEM64 | (pref ? EMU_PCI_BAR_PREFETCH : 0);
    else {
        emu_error_set(err, "'%s': kind '%s' is not io, mem or mem64", text, kind);
        return -1;
    }
    return 0;
}

static int stub_realize(emu_device *dev, emu_error **err)
{
    pci_stub *s = (pci_stub *)dev;
    const emu_pci_bus_ops *pci = emu_pci_bus(s->bus);
    if (!pci) {
        emu_error_set(err, "bus: '%s' is not a PCI bus", s->bus->id);
        return -1;
    }
    unsigned type[NUM_BARS] = { 0 };
    uint64_t size[NUM_BARS] = { 0 };
    for (unsigned i = 0; i < NUM_BARS; i++)
        if (*s->bar[i] && parse_bar(s->bar[i], i == 6, &type[i], &size[i], err) < 0) {
            emu_error_prefix(err, "%s", stub_props[12 + i].name);
            return -1;
        }
    emu_pci_function *fn = pci->attach(s->bus, dev, (int)s->devfn, NULL, s, err);
    if (!fn)
        return -1;
    uint8_t *cfg = pci->config(fn);
    emu_pci_set_word(cfg + EMU_PCI_VENDOR_ID, (uint16_t)s->vendor);
    emu_pci_set_word(cfg + EMU_PCI_DEVICE_ID, (uint16_t)s->device);
    cfg[EMU_PCI_REVISION_ID] = (uint8_t)s->revision;
    cfg[EMU_PCI_CLASS_PROG] = (uint8_t)s->class_code;
    emu_pci_set_word(cfg + EMU_PCI_CLASS_DEVICE, (uint16_t)(s->class_code >> 8));
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_VENDOR_ID, (uint16_t)s->subsys_vendor);
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_ID, (uint16_t)s->subsys_id);
    cfg[EMU_PCI_INTERRUPT_PIN] = (uint8_t)s->pin;
    emu_pci_set_word(cfg + EMU_PCI_STATUS, (uint16_t)s->status);
    cfg[EMU_PCI_MIN_GNT] = (uint8_t)s->min_gnt;
    cfg[EMU_PCI_MAX_LAT] = (uint8_t)s->max_lat;
    for (unsigned i = 0; i < NUM_BARS; i++) {
        if (!size[i])
            continue;
        char name[96];
        snprintf(name, sizeof name, "%s.%s", dev->id, stub_props[12 + i].name);
        emu_region *r = emu_region_stub(dev->machine, name, size[i], true);
        if (!r || pci->bar(fn, i == 6 ? EMU_PCI_ROM_SLOT : i, type[i], size[i], r, err) < 0) {
            if (err && !*err)
                emu_error_set(err, "cannot create BAR %u", i);
            return -1;
        }
    }
    return 0;
}

static const emu_type stub_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "pci-stub",
    .summary = "unmodelled PCI function: configuration header and silent BARs",
    .instance_size = sizeof(pci_stub),
    .props = stub_props,
    .realize = stub_realize,
    .save = emu_state_none,   /* its configuration space is saved by the bus */
};

static const emu_type *const stub_types[] = { &stub_type, NULL };

EMU_PLUGIN(pci_stub) = {
    EMU_PLUGIN_HEADER, "pci-stub", "1.0", "placeholder PCI function", stub_types,
};
