/* Register-level tests of the stub device: fixed reads of every size, ignored writes, logging,
 * and the errors for a missing or zero size and an unknown log category. */
#include <string.h>
#include "devtest.h"
#include "log.h"

static char *create_error(emu_machine *m, const char *id, const char *const *props)
{
    emu_error *err = NULL;
    const emu_type *t = emu_plugins_find_type("stub", EMU_KIND_DEVICE, &err);
    emu_device *d = t ? emu_device_new(m, t, id, &err) : NULL;
    int rc = d ? 0 : -1;
    for (size_t i = 0; rc == 0 && props[i]; i += 2)
        rc = emu_device_set_prop(d, props[i], props[i + 1], &err);
    if (rc == 0)
        rc = emu_device_realize(d, &err);
    char *msg = emu_xstrdup(rc < 0 ? emu_error_message(err) : "");
    emu_error_free(err);
    return msg;
}

int main(void)
{
    emu_space *io;
    emu_machine *m = dt_machine(&io);
    emu_device *zero = dt_device(m, "stub", "dummy", (const char *const[]){ "size", "4K", NULL });
    dt_map(zero, "regs", io, 0x1000);
    uint64_t v = 1;
    ok(emu_space_read(io, 0x1004, 4, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_OK && v == 0,
       "default: a 4-byte read answers 0");
    is_u64(emu_region_size(emu_device_region(zero, "regs")), 4096, "region of the given size");

    FILE *log = tmpfile();
    const char *bad;
    emu_log_enable_list("unimp", &bad);
    emu_log_set_file(log);
    emu_device *flash = dt_device(m, "stub", "flash",
                                  (const char *const[]){ "size", "256", "log", "unimp", "read-byte", "0xff", NULL });
    dt_map(flash, "regs", io, 0x800);
    is_u64(dt_in(io, 0x804), 0xff, "read-byte 0xff: a byte read");
    ok(emu_space_read(io, 0x808, 8, EMU_BIG_ENDIAN, &v) == EMU_MEM_OK && v == UINT64_MAX,
       "an 8-byte read is all ones");
    ok(emu_space_read(io, 0x801, 2, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_OK && v == 0xffff,
       "unaligned accesses are accepted");
    dt_out(io, 0x804, 0x12);
    is_u64(dt_in(io, 0x804), 0xff, "writes are ignored");
    emu_log_set_file(NULL);
    char text[1024] = "";
    rewind(log);
    size_t n = fread(text, 1, sizeof text - 1, log);
    text[n] = 0;
    fclose(log);
    has_str(text, "flash: read of 1 byte at offset 0x4: 0xff", "log=unimp logs reads with the device id");
    has_str(text, "flash: write (ignored) of 1 byte at offset 0x4: 0x12", "and writes");

    /* log=unassigned logs under that category only; an 8-byte write shows its whole value. */
    log = tmpfile();
    emu_log_enable_list("unassigned", &bad);
    emu_log_set_file(log);
    emu_device *hole = dt_device(m, "stub", "hole",
                                 (const char *const[]){ "size", "16", "log", "unassigned", NULL });
    dt_map(hole, "regs", io, 0x2000);
    emu_space_write(io, 0x2008, 8, EMU_LITTLE_ENDIAN, 0x1122334455667788ull);
    ok(emu_space_read(io, 0x200f, 2, EMU_LITTLE_ENDIAN, &v) == EMU_MEM_UNASSIGNED && v == 0xff00,
       "a read running past the stub's end: its byte reads 0, the next is unassigned");
    emu_device *quiet = dt_device(m, "stub", "quiet", (const char *const[]){ "size", "16", NULL });
    dt_map(quiet, "regs", io, 0x3000);
    dt_out(io, 0x3000, 1);
    emu_log_set_file(NULL);
    rewind(log);
    n = fread(text, 1, sizeof text - 1, log);
    text[n] = 0;
    fclose(log);
    has_str(text, "hole: write (ignored) of 8 bytes at offset 0x8: 0x1122334455667788",
            "log=unassigned: an 8-byte write logged with its value");
    has_str(text, "hole: read of 1 byte at offset 0xf: 0x0", "the stub's part of a crossing read is logged");
    ok(!strstr(text, "quiet"), "log=none (the default) logs nothing");

    char *msg = create_error(m, "s1", (const char *const[]){ NULL });
    has_str(msg, "required property 'size'", "size is required");
    free(msg);
    msg = create_error(m, "s2", (const char *const[]){ "size", "0", NULL });
    has_str(msg, "at least 1 byte", "size 0 refused");
    free(msg);
    msg = create_error(m, "s3", (const char *const[]){ "size", "16", "log", "loud", NULL });
    has_str(msg, "valid: none, unimp, unassigned", "unknown log category lists the choices");
    free(msg);

    emu_machine_free(m);
    emu_plugins_shutdown();
    return tap_done();
}
