/* The PowerPC CPU of machines.d/prep.yaml in a snapshot: every register set to its own value
 * comes back equal in a second machine, and records the CPU could never hold (MSR bits the
 * 604 lacks, a BAT block length that is no power of two, an XER bit of 2, another PVR or
 * time base frequency) are refused with a message naming the CPU and what is wrong; a 603e's
 * TLB entry comes back, and one filed under the wrong set is refused. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "prep-test.h"
#include "config/machine-file.h"
#include "state.h"

#define FW "/usr/share/qemu/openbios-ppc"

static emu_machine *build(void)
{
    const char *src = getenv("EMU_SRCDIR");
    char *path = emu_asprintf("%s/machines.d/prep.yaml", src ? src : ".");
    const char *sets[] = { "serial=null" };
    emu_error *err = NULL;
    emu_machine *m = emu_machine_load(path, sets, 1, &err);
    if (!m)
        tap_diag("%s: %s", path, emu_error_message(err));
    emu_error_free(err);
    free(path);
    return m;
}

/* A value for register i that the CPU keeps as written. */
static uint64_t value_for(const char *name, unsigned i)
{
    if (!strcmp(name, "pc"))
        return 0x00123450;
    if (!strcmp(name, "msr"))
        return 0x3032;                      /* FP ME IR DR RI */
    if (!strcmp(name, "xer"))
        return 0xa0000045;
    if (!strcmp(name, "fpscr"))
        return 0x000000f8;
    if (!strncmp(name, "ibat", 4) || !strncmp(name, "dbat", 4))
        return name[5] == 'u' ? (0x10000000u * (i % 8)) | 0x1e : 0x00800012u + i;
    if (!strcmp(name, "dec"))
        return 0x01000000;
    return 0x01010101u * (i % 200) + 0x10000u * i + 7;
}

static bool read_only(const char *name)
{
    return !strcmp(name, "pvr") || !strcmp(name, "pir") || !strcmp(name, "tbl") ||
           !strcmp(name, "tbu") || !strcmp(name, "hid1");
}

/* The value bytes of the first record named `field` in the snapshot (u16 name length, name,
   u32 value length, value), or NULL. */
static uint8_t *field(emu_snapshot *s, const char *name, size_t len)
{
    size_t nl = strlen(name);
    for (size_t p = 0; p + 2 + nl + 4 + len <= s->len; p++) {
        uint16_t l;
        uint32_t vl;
        memcpy(&l, s->data + p, 2);
        memcpy(&vl, s->data + p + 2 + nl, 4);
        if (l == nl && vl == len && !memcmp(s->data + p + 2, name, nl))
            return s->data + p + 2 + nl + 4;
    }
    return NULL;
}

/* Load a copy of `snap` with `len` bytes of record `name` replaced by `v`: refused, saying `why`. */
static void refused(emu_machine *m, const emu_snapshot *snap, const char *name, const void *v,
                    size_t len, const char *why)
{
    emu_snapshot bad = { emu_xmalloc(snap->len), snap->len, snap->len };
    memcpy(bad.data, snap->data, snap->len);
    uint8_t *p = field(&bad, name, len);
    ok(p != NULL, "the snapshot has the record '%s'", name);
    if (p) {
        memcpy(p, v, len);
        emu_error *err = NULL;
        ok(emu_machine_load_state(m, &bad, &err) < 0, "a bad '%s' is refused", name);
        has_str(err ? emu_error_message(err) : "", why, "saying: %s", why);
        emu_error_free(err);
    }
    emu_snapshot_free(&bad);
}

/* The 603e's software TLBs: an entry comes back in a second CPU; a valid entry filed under a
   set its page does not belong to is refused. */
static void test_603e(void)
{
    emu_error *err = NULL;
    emu_machine *m[2];
    for (int i = 0; i < 2; i++) {
        m[i] = emu_machine_new("e603", &err);
        if (!m[i] || !pt_device(m[i], "ppc603e", "cpu0", NULL)) {
            tap_ok(0, "a machine with a 603e");
            return;
        }
    }
    emu_snapshot snap;
    ok(emu_machine_save_state(m[0], &snap, &err) == 0, "save a 603e");
    /* 2 TLBs x 32 sets x 2 ways of (cmp, rpa, epn) words */
    uint32_t tlb[2][32][2][3];
    uint8_t *p = field(&snap, "tlb603", sizeof tlb);
    ok(p != NULL, "its snapshot has the TLBs");
    if (p) {
        memcpy(tlb, p, sizeof tlb);
        tlb[1][5][1][0] = 0x80000123u;        /* data TLB, set 5, way 1: valid */
        tlb[1][5][1][1] = 0x00345012u;
        tlb[1][5][1][2] = 0x12345000u;        /* EA bits 15-19 = 5 */
        memcpy(p, tlb, sizeof tlb);
        ok(emu_machine_load_state(m[1], &snap, &err) == 0, "a valid entry in its set loads");
        if (err)
            tap_diag("%s", emu_error_message(err)), emu_error_free(err), err = NULL;
        emu_snapshot again;
        ok(emu_machine_save_state(m[1], &again, &err) == 0 && again.len == snap.len &&
           !memcmp(again.data, snap.data, snap.len), "and is saved again as it was");
        emu_snapshot_free(&again);
        tlb[1][5][1][2] = 0x12346000u;        /* set 6 */
        refused(m[1], &snap, "tlb603", tlb, sizeof tlb, "a TLB entry's page does not belong to its set");
    }
    emu_snapshot_free(&snap);
    emu_machine_free(m[0]);
    emu_machine_free(m[1]);
}

int main(void)
{
    if (access(FW, R_OK) != 0) {
        printf("1..0 # SKIP %s (Debian's qemu-system-data) is not installed\n", FW);
        return 0;
    }
    emu_machine *a = build(), *b = build();
    ok(a && b, "two machines from prep.yaml");
    if (!a || !b)
        return tap_done();
    emu_cpu *ca = emu_machine_cpu(a, 0), *cb = emu_machine_cpu(b, 0);
    unsigned n = emu_cpu_reg_count(ca);
    for (unsigned i = 0; i < n; i++) {
        const char *name = emu_cpu_reg_info(ca, i)->name;
        if (!read_only(name))
            emu_cpu_reg_write(ca, i, value_for(name, i));
    }
    emu_snapshot snap;
    emu_error *err = NULL;
    ok(emu_machine_save_state(a, &snap, &err) == 0, "save the machine");
    ok(emu_machine_load_state(b, &snap, &err) == 0, "load it into a second machine");
    if (err)
        tap_diag("%s", emu_error_message(err)), emu_error_free(err), err = NULL;
    unsigned same = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t va = emu_cpu_reg_read(ca, i), vb = emu_cpu_reg_read(cb, i);
        if (va == vb)
            same++;
        else
            tap_diag("%s: 0x%llx, restored 0x%llx", emu_cpu_reg_info(ca, i)->name,
                     (unsigned long long)va, (unsigned long long)vb);
    }
    is_u64(same, n, "all %u registers are restored as they were", n);
    is_u64(emu_cpu_pc(cb), 0x00123450, "the core runs from the restored PC");

    uint32_t msr = 0x3032 | 0x80;           /* bit 24 (0x80) is not a 604 MSR bit */
    refused(b, &snap, "msr", &msr, 4, "MSR has bits this model does not implement");
    uint32_t ibat[8] = { 0x00000014 };      /* BL 0b101 */
    refused(b, &snap, "ibat", ibat, sizeof ibat, "block length is not a power of two");
    uint32_t two = 2;
    refused(b, &snap, "xer-so", &two, 4, "XER bits out of range");
    uint32_t pvr = 0x00080301;
    refused(b, &snap, "pvr", &pvr, 4, "the PVR is not this model's");
    uint64_t freq = 33000000;
    refused(b, &snap, "tb-freq", &freq, 8, "ppc604 'cpu0': restoring its state failed: the time base frequency differs");

    emu_snapshot_free(&snap);
    emu_machine_free(a);
    emu_machine_free(b);
    test_603e();
    return tap_done();
}
