/* Device state snapshots: save a machine's UART, PIC and PIT, restore into a fresh machine. */
#include <string.h>
#include "devtest.h"
#include "state.h"

static emu_machine *build(emu_space **io)
{
    emu_machine *m = dt_machine(io);
    static const char *const uart_props[] = { NULL };
    emu_device *u = dt_device(m, "ns16550", "com1", uart_props);
    dt_map(u, "regs", *io, 0x3f8);
    emu_device *p = dt_device(m, "i8259", "pic", NULL);
    dt_map(p, "master", *io, 0x20);
    dt_map(p, "slave", *io, 0xa0);
    emu_device *t = dt_device(m, "i8254", "pit", NULL);
    dt_map(t, "io", *io, 0x40);
    return m;
}

int main(void)
{
    emu_space *io1, *io2;
    emu_machine *a = build(&io1);
    emu_machine *b = build(&io2);
    emu_error *err = NULL;

    /* Program the devices of machine a. */
    dt_out(io1, 0x3fb, 0x83);          /* DLAB */
    dt_out(io1, 0x3f8, 0x0c);          /* divisor 12 */
    dt_out(io1, 0x3fb, 0x1b);          /* 8E1 */
    dt_out(io1, 0x3ff, 0x5a);          /* scratch */
    dt_out(io1, 0x3f9, 0x05);          /* IER */
    dt_out(io1, 0x20, 0x11);           /* ICW1 */
    dt_out(io1, 0x21, 0x08);           /* ICW2: vector base 8 */
    dt_out(io1, 0x21, 0x04);           /* ICW3 */
    dt_out(io1, 0x21, 0x01);           /* ICW4 */
    dt_out(io1, 0x21, 0xb8);           /* IMR */
    dt_out(io1, 0x43, 0x34);           /* PIT ch0 mode 2 */
    dt_out(io1, 0x40, 0x00);
    dt_out(io1, 0x40, 0x10);

    emu_snapshot snap;
    ok(emu_machine_save_state(a, &snap, &err) == 0, "save succeeds");
    ok(snap.len > 16, "snapshot holds data (%zu bytes)", snap.len);
    ok(emu_machine_load_state(b, &snap, &err) == 0, "load into an identical machine succeeds");
    if (err)
        tap_diag("%s", emu_error_message(err));

    is_u64(dt_in(io2, 0x3ff), 0x5a, "UART scratch register restored");
    is_u64(dt_in(io2, 0x3fb), 0x1b, "UART LCR restored");
    is_u64(dt_in(io2, 0x3f9), 0x05, "UART IER restored");
    dt_out(io2, 0x3fb, 0x9b);
    is_u64(dt_in(io2, 0x3f8), 0x0c, "UART divisor restored");
    dt_out(io2, 0x3fb, 0x1b);
    is_u64(dt_in(io2, 0x21), 0xb8, "PIC mask restored");

    /* A UART value the chip cannot hold is refused, and the UART keeps what it had. */
    static const struct { const char *field; uint64_t value; const char *expect; } bad[] = {
        { "ier", 0x10, "ier = 0x10 is out of range" },
        { "fcr", 0x02, "bits the chip does not keep" },
        { "rx_head", 16, "rx_head" },
        { "timeout-ns-left", 1000000000, "four character times" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        emu_snapshot c = { malloc(snap.len), snap.len, snap.len };
        memcpy(c.data, snap.data, snap.len);
        uint16_t nl = (uint16_t)strlen(bad[i].field);
        for (size_t at = 0; at + 2 + nl + 4 + 8 <= c.len; at++)
            if (!memcmp(c.data + at, &nl, 2) && !memcmp(c.data + at + 2, bad[i].field, nl)) {
                memcpy(c.data + at + 2 + nl + 4, &bad[i].value, 8);
                break;
            }
        dt_out(io2, 0x3ff, 0x77);
        ok(emu_machine_load_state(b, &c, &err) < 0, "UART %s = 0x%llx refused", bad[i].field,
           (unsigned long long)bad[i].value);
        has_str(err ? emu_error_message(err) : "", bad[i].expect, "the message says why");
        is_u64(dt_in(io2, 0x3ff), 0x77, "the UART kept its scratch register");
        emu_error_free(err), err = NULL;
        free(c.data);
    }

    /* A truncated or foreign snapshot is refused with a message, never read past its end. */
    emu_snapshot cut = { snap.data, snap.len - 3, snap.cap };
    ok(emu_machine_load_state(b, &cut, &err) < 0, "truncated snapshot refused");
    has_str(emu_error_message(err), "ends inside field", "truncation named");
    emu_error_free(err), err = NULL;
    emu_snapshot junk = { (uint8_t *)"garbage", 8, 8 };
    ok(emu_machine_load_state(b, &junk, &err) < 0, "foreign data refused");
    has_str(emu_error_message(err), "not an emu state snapshot", "foreign data named");
    emu_error_free(err), err = NULL;

    /* A counting PIT restored at another emulated time goes on from the count it had:
       saved times are relative to the clock. */
    dt_run_to(a, 1000000);                     /* 1 ms: 1193 of the 0x1000 clocks */
    emu_snapshot_free(&snap);
    ok(emu_machine_save_state(a, &snap, &err) == 0, "save of a counting PIT");
    emu_space *io3;
    emu_machine *c = build(&io3);
    dt_run_to(c, 7000000);                     /* the restoring machine is 6 ms further on */
    ok(emu_machine_load_state(c, &snap, &err) == 0, "load at another emulated time");
    dt_out(io1, 0x43, 0x00);                   /* latch counter 0 in both */
    dt_out(io3, 0x43, 0x00);
    unsigned ca = dt_in(io1, 0x40), cc = dt_in(io3, 0x40);
    ca |= dt_in(io1, 0x40) << 8;
    cc |= dt_in(io3, 0x40) << 8;
    is_u64(cc, ca, "the restored counter reads what the saved one does (0x%x)", ca);
    ok(ca > 0x1000 - 1193 - 2 && ca < 0x1000 - 1193 + 2, "and that is 1 ms into the count");
    dt_run_to(a, 1500000);
    dt_run_to(c, 7500000);
    dt_out(io1, 0x43, 0x00);
    dt_out(io3, 0x43, 0x00);
    ca = dt_in(io1, 0x40), cc = dt_in(io3, 0x40);
    ca |= dt_in(io1, 0x40) << 8;
    cc |= dt_in(io3, 0x40) << 8;
    is_u64(cc, ca, "0.5 ms later both have counted the same (0x%x)", ca);
    emu_machine_free(c);

    emu_snapshot_free(&snap);
    emu_machine_free(a);
    emu_machine_free(b);
    return tap_done();
}
