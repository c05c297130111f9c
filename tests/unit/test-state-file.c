/* Unit tests of snapshot files (core/state.c): a machine with a device type that has no state
 * support is refused naming it (and no file is touched), emu_state_none marks a stateless type,
 * files are replaced whole, and a load that does not fit leaves the machine as it was. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../tap.h"
#include "emu/emu.h"
#include "machine.h"
#include "object.h"
#include "state.h"

/* "reg": one register saved as a field, checked on load. */
typedef struct reg {
    emu_device dev;
    uint64_t value;
} reg;

static int reg_realize(emu_device *dev, emu_error **err)
{
    (void)dev, (void)err;
    return 0;
}

static int reg_save(emu_device *dev, emu_state_writer *w)
{
    emu_state_put_u64(w, "value", ((reg *)dev)->value);
    return 0;
}

static int reg_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    uint64_t v;
    if (emu_state_get_u64(r, "value", &v) < 0)
        return -1;
    if (v > 0xff) {
        emu_error_set(err, "value 0x%llx is out of range", (unsigned long long)v);
        return -1;
    }
    ((reg *)dev)->value = v;
    return 0;
}

static const emu_type reg_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "reg",
    .instance_size = sizeof(reg), .realize = reg_realize, .save = reg_save, .load = reg_load,
};
static const emu_type plain_type = {   /* stateless, says so */
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "plain",
    .instance_size = sizeof(emu_device), .realize = reg_realize, .save = emu_state_none,
};
static const emu_type legacy_type = {  /* no state support */
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "legacy",
    .instance_size = sizeof(emu_device), .realize = reg_realize,
};

static char tmpdir[] = "/tmp/emu-test-state-file-XXXXXX";

static emu_device *add(emu_machine *m, const emu_type *t, const char *id)
{
    emu_error *err = NULL;
    emu_device *d = emu_device_new(m, t, id, &err);
    if (!d || emu_device_realize(d, &err) < 0) {
        tap_diag("%s", emu_error_message(err));
        exit(1);
    }
    return d;
}

/* reg "a", plain "p", reg "b" (and legacy devices when asked). */
static emu_machine *build(int legacy)
{
    emu_machine *m = emu_machine_new("state-file", NULL);
    add(m, &reg_type, "a");
    add(m, &plain_type, "p");
    add(m, &reg_type, "b");
    if (legacy > 0)
        add(m, &legacy_type, "old1");
    if (legacy > 1)
        add(m, &legacy_type, "old2");
    return m;
}

static uint64_t value(emu_machine *m, const char *id)
{
    return ((reg *)emu_machine_device(m, id))->value;
}

static void set(emu_machine *m, const char *id, uint64_t v)
{
    ((reg *)emu_machine_device(m, id))->value = v;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

static size_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        printf("1..0 # SKIP cannot create a temporary directory\n");
        return 0;
    }
    char *path = emu_asprintf("%s/m.state", tmpdir);
    char *other = emu_asprintf("%s/other.state", tmpdir);
    emu_error *err = NULL;

    emu_machine *m = build(0);
    ok(emu_machine_state_check(m, &err) == 0, "reg and a stateless type with emu_state_none: savable");
    set(m, "a", 0x11);
    set(m, "b", 0x22);
    write_text(path, "old content");
    ok(emu_machine_save_state_file(m, path, &err) == 0, "saved");
    ok(file_size(path) > 20, "the file was replaced by the snapshot");

    emu_machine *m2 = build(0);
    ok(emu_machine_load_state_file(m2, path, &err) == 0, "loaded into a second machine");
    ok(value(m2, "a") == 0x11 && value(m2, "b") == 0x22, "both registers restored");

    /* A snapshot whose second device holds a value the device refuses: nothing changes. */
    set(m, "b", 0x1ff);
    ok(emu_machine_save_state_file(m, other, &err) == 0, "a snapshot with a bad value saved");
    set(m2, "a", 0x33);
    set(m2, "b", 0x44);
    ok(emu_machine_load_state_file(m2, other, &err) < 0, "its load fails");
    has_str(err ? emu_error_message(err) : "", "reg 'b': restoring its state failed: value 0x1ff",
            "naming the device and the reason");
    emu_error_free(err);
    err = NULL;
    ok(value(m2, "a") == 0x33 && value(m2, "b") == 0x44,
       "and the machine keeps the state it had (a was restored, then put back)");

    ok(emu_machine_load_state_file(m2, tmpdir, &err) < 0, "a directory is refused");
    has_str(err ? emu_error_message(err) : "", "not an emu state snapshot", "as no snapshot");
    emu_error_free(err);
    err = NULL;

    /* Types without state support: refused, naming each, and the file is left alone. */
    emu_machine *m3 = build(2);
    ok(emu_machine_save_state_file(m3, path, &err) < 0, "a machine with legacy devices is refused");
    is_str(err ? emu_error_message(err) : "", "cannot snapshot this machine: devices old1 (legacy), "
           "old2 (legacy) have no state support (save/load) yet", "one message naming them");
    emu_error_free(err);
    err = NULL;
    ok(file_size(path) > 20 && emu_machine_load_state_file(m2, path, &err) == 0,
       "the earlier snapshot is still there, whole");
    ok(emu_machine_load_state_file(m3, path, &err) < 0, "loading into such a machine is refused too");
    emu_error_free(err);
    err = NULL;
    emu_machine *m4 = build(1);
    emu_machine_state_check(m4, &err);
    is_str(err ? emu_error_message(err) : "", "cannot snapshot this machine: device old1 (legacy) "
           "has no state support (save/load) yet", "one device: singular");
    emu_error_free(err);

    char *missing = emu_asprintf("%s/none/x.state", tmpdir);
    err = NULL;
    ok(emu_machine_save_state_file(m, missing, &err) < 0, "a file in a missing directory");
    has_str(err ? emu_error_message(err) : "", "cannot create", "says it cannot create it");
    emu_error_free(err);

    emu_machine_free(m);
    emu_machine_free(m2);
    emu_machine_free(m3);
    emu_machine_free(m4);
    unlink(path);
    unlink(other);
    rmdir(tmpdir);
    free(path);
    free(other);
    free(missing);
    return tap_done();
}
