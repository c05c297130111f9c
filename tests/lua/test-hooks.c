/* Unit tests: the hook registry — kind mask, range queries, firing, filters, replacement,
 * removal from inside a callback, invalidation, and the IRQ line observer. */
#include "../tap.h"
#include "emu/emu.h"
#include "hooks.h"
#include "machine.h"
#include "object.h"

/* ---- a recording callback ---- */
typedef struct rec {
    int calls;
    emu_hook_event last;
    uint64_t seen[16];        /* addresses or values, in order */
    int released;
    /* actions */
    bool replace;
    uint64_t replacement;
    bool skip;
    int64_t result;
    emu_machine *m;
    emu_hook_id remove_id;    /* remove this hook when called */
    emu_hook_id *add_into;    /* add another EXEC hook at last.pc when called */
    struct rec *added;
} rec;

static void record(void *opaque, emu_hook_event *ev)
{
    rec *r = opaque;
    if (r->calls < 16)
        r->seen[r->calls] = ev->kind == EMU_HOOK_WRITE || ev->kind == EMU_HOOK_READ ? ev->value : ev->pc;
    r->calls++;
    r->last = *ev;
    if (r->replace) {
        ev->replace = true;
        ev->value = r->replacement;
    }
    if (r->skip) {
        ev->skip = true;
        ev->result = r->result;
    }
    if (r->remove_id) {
        emu_hooks_remove(r->m, r->remove_id);
        r->remove_id = 0;
    }
    if (r->add_into) {
        emu_hook_spec s = { .kind = EMU_HOOK_EXEC, .lo = ev->pc, .hi = ev->pc, .fn = record,
                            .opaque = r->added };
        *r->add_into = emu_hooks_add(r->m, &s, NULL);
        r->add_into = NULL;
    }
}

static void release(void *opaque)
{
    ((rec *)opaque)->released++;
}

static emu_hook_id add(emu_machine *m, emu_hook_kind kind, uint64_t lo, uint64_t hi, rec *r)
{
    emu_hook_spec s = { .kind = kind, .lo = lo, .hi = hi, .fn = record, .opaque = r,
                        .release = release };
    return emu_hooks_add(m, &s, NULL);
}

/* ---- the invalidator records what it was told ---- */
typedef struct inval {
    int calls;
    emu_hook_kind kind;
    uint64_t lo, hi;
} inval;

static void on_invalidate(void *opaque, emu_hook_kind kind, uint64_t lo, uint64_t hi)
{
    inval *iv = opaque;
    iv->calls++;
    iv->kind = kind;
    iv->lo = lo;
    iv->hi = hi;
}

/* ---- a device with one input and one output line, for IRQ hooks ---- */
typedef struct pin {
    emu_device dev;
    emu_line *out;
    int level;
} pin;

static const emu_line_desc pin_in[] = { { "in", 2, "input" }, { NULL, 0, NULL } };
static const emu_line_desc pin_out[] = { { "irq", 1, "output" }, { NULL, 0, NULL } };

static int pin_realize(emu_device *dev, emu_error **err)
{
    (void)err;
    ((pin *)dev)->out = emu_device_output(dev, "irq", 0);
    return 0;
}

static void pin_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    (void)line, (void)index;
    ((pin *)dev)->level = level;
}

static const emu_type pin_type = {
    .struct_size = sizeof(emu_type), .kind = EMU_KIND_DEVICE, .name = "pin",
    .instance_size = sizeof(pin), .inputs = pin_in, .outputs = pin_out,
    .realize = pin_realize, .set_input = pin_input,
};

static void test_add_and_query(emu_machine *m)
{
    emu_error *err = NULL;
    rec r = { 0 };
    ok(m->hook_mask == 0 && !emu_hooks_any(m, EMU_HOOK_EXEC), "no hooks: empty mask");
    ok(!emu_hooks_exec_at(m, 0x1000), "no hooks: no exec hook anywhere");

    emu_hook_spec bad = { .kind = EMU_HOOK_EXEC, .lo = 1, .hi = 2, .fn = record };
    ok(emu_hooks_add(m, &bad, &err) == 0, "exec hook over a range refused");
    has_str(emu_error_message(err), "one address", "message says why");
    emu_error_free(err), err = NULL;
    bad = (emu_hook_spec){ .kind = EMU_HOOK_READ, .lo = 9, .hi = 2, .fn = record };
    ok(emu_hooks_add(m, &bad, &err) == 0, "range with lo > hi refused");
    emu_error_free(err), err = NULL;
    bad = (emu_hook_spec){ .kind = EMU_HOOK_BLOCK, .hi = 2 };
    ok(emu_hooks_add(m, &bad, &err) == 0, "hook without a callback refused");
    emu_error_free(err), err = NULL;
    bad = (emu_hook_spec){ .kind = EMU_HOOK_NKINDS, .fn = record };
    ok(emu_hooks_add(m, &bad, &err) == 0, "unknown kind refused");
    emu_error_free(err), err = NULL;
    ok(m->hook_mask == 0, "refused hooks leave the mask empty");

    emu_hook_id a = add(m, EMU_HOOK_EXEC, 0x1000, 0x1000, &r);
    emu_hook_id b = add(m, EMU_HOOK_WRITE, 0x2000, 0x2003, &r);
    ok(a && b && a != b, "hooks get distinct ids");
    is_u64(m->hook_mask, EMU_HOOK_BIT(EMU_HOOK_EXEC) | EMU_HOOK_BIT(EMU_HOOK_WRITE),
           "mask has exactly the kinds registered");
    ok(emu_hooks_exec_at(m, 0x1000), "exec hook found at its address");
    ok(!emu_hooks_exec_at(m, 0x1004) && !emu_hooks_exec_at(m, 0xffc), "and nowhere else");
    ok(emu_hooks_overlap(m, EMU_HOOK_WRITE, 0x1000, 0x1fff + 1), "page overlapping the range");
    ok(!emu_hooks_overlap(m, EMU_HOOK_WRITE, 0x2004, 0x2fff), "range after the hook");
    ok(!emu_hooks_overlap(m, EMU_HOOK_READ, 0, UINT64_MAX), "no read hook");

    ok(emu_hooks_remove(m, a) == 0, "remove exec hook");
    ok(emu_hooks_remove(m, a) < 0, "second removal refused");
    ok(emu_hooks_remove(m, 12345) < 0 && emu_hooks_remove(m, 0) < 0, "unknown ids refused");
    ok(!emu_hooks_any(m, EMU_HOOK_EXEC) && !emu_hooks_exec_at(m, 0x1000), "exec bit cleared");
    is_u64(r.released, 1, "removed hook's opaque released at once outside callbacks");
    emu_hooks_remove(m, b);
    is_u64(m->hook_mask, 0, "mask empty again");
    emu_hook_id c = add(m, EMU_HOOK_BLOCK, 0, UINT64_MAX, &r);
    ok(c > b, "ids are not reused");
    emu_hooks_remove(m, c);
}

static void test_invalidation(emu_machine *m)
{
    inval iv = { 0 };
    rec r = { 0 };
    emu_hooks_set_invalidator(m, on_invalidate, &iv);
    emu_hook_id a = add(m, EMU_HOOK_INSN, 0x100, 0x1ff, &r);
    ok(iv.calls == 1 && iv.kind == EMU_HOOK_INSN && iv.lo == 0x100 && iv.hi == 0x1ff,
       "adding an insn hook invalidates its range");
    emu_hooks_remove(m, a);
    ok(iv.calls == 2 && iv.lo == 0x100 && iv.hi == 0x1ff, "removing it invalidates the range again");
    a = add(m, EMU_HOOK_READ, 0x10, 0x13, &r);
    ok(iv.calls == 3 && iv.kind == EMU_HOOK_READ, "read hooks invalidate (TLB)");
    emu_hooks_remove(m, a);
    a = add(m, EMU_HOOK_SYSCALL, 0, 0, &r);
    emu_hook_id b = add(m, EMU_HOOK_EXCEPTION, 0, 0, &r);
    emu_hooks_remove(m, a);
    emu_hooks_remove(m, b);
    is_u64(iv.calls, 4, "syscall and exception hooks need no invalidation");
    emu_hooks_set_invalidator(m, NULL, NULL);
    a = add(m, EMU_HOOK_EXEC, 4, 4, &r);
    emu_hooks_remove(m, a);
    is_u64(iv.calls, 4, "invalidator removed");
}

static void test_firing(emu_machine *m)
{
    rec ex = { 0 }, in = { 0 }, blk = { 0 }, rd = { 0 }, wr = { 0 };
    emu_hook_id ids[8];
    ids[0] = add(m, EMU_HOOK_EXEC, 0x1000, 0x1000, &ex);
    ids[1] = add(m, EMU_HOOK_INSN, 0x1000, 0x100f, &in);
    ids[2] = add(m, EMU_HOOK_BLOCK, 0x1000, 0x1fff, &blk);
    for (uint64_t pc = 0xff8; pc < 0x1018; pc += 4)
        emu_hooks_fire_exec(m, NULL, pc);
    is_u64(ex.calls, 1, "exec hook fires only at its address");
    is_u64(in.calls, 4, "insn hook fires for each instruction in its range");
    ok(in.seen[0] == 0x1000 && in.seen[3] == 0x100c, "insn hook sees each pc");
    emu_hooks_fire_block(m, NULL, 0x1000, 7);
    emu_hooks_fire_block(m, NULL, 0x2000, 3);
    ok(blk.calls == 1 && blk.last.size == 7 && blk.last.pc == 0x1000,
       "block hook fires for blocks starting in range, with the instruction count");

    ids[3] = add(m, EMU_HOOK_READ, 0x2000, 0x2003, &rd);
    uint64_t v = emu_hooks_fire_read(m, NULL, 0x1004, 0x2002, 2, 0xbeef);
    ok(rd.calls == 1 && v == 0xbeef && rd.last.addr == 0x2002 && rd.last.pc == 0x1004,
       "read hook sees a partial overlap; value unchanged");
    rd.replace = true, rd.replacement = 0x12345678;
    v = emu_hooks_fire_read(m, NULL, 0x1004, 0x1fff, 2, 0xbeef);
    is_u64(v, 0x5678, "replaced value is cut to the access size");
    v = emu_hooks_fire_read(m, NULL, 0x1004, 0x2004, 4, 7);
    ok(v == 7 && rd.calls == 2, "read after the range does not fire");
    v = emu_hooks_fire_read(m, NULL, 0x1004, UINT64_MAX - 1, 8, 9);
    ok(v == 9 && rd.calls == 2, "an access wrapping the top of memory is handled");

    ids[4] = add(m, EMU_HOOK_WRITE, 0x3000, 0x3003, &wr);
    for (uint64_t i = 1; i <= 3; i++)
        emu_hooks_fire_write(m, NULL, 0x1008, 0x3000, 4, i * 11);
    emu_hooks_fire_write(m, NULL, 0x1008, 0x3004, 4, 99);
    ok(wr.calls == 3 && wr.seen[0] == 11 && wr.seen[1] == 22 && wr.seen[2] == 33,
       "write hook sees every store in order");

    rec sc = { .skip = true, .result = -38 };
    ids[5] = add(m, EMU_HOOK_SYSCALL, 0, 0, &sc);
    uint64_t args[6] = { 1, 2, 3, 4, 5, 6 };
    int64_t result = 0;
    bool skipped = emu_hooks_fire_syscall(m, NULL, 0x100c, 4, "write", args, &result);
    ok(skipped && result == -38, "syscall hook skips with a chosen result");
    ok(sc.last.nr == 4 && sc.last.args[0] == 1 && sc.last.args[5] == 6 &&
       !strcmp(sc.last.sysname, "write"), "syscall number, name and arguments");
    sc.skip = false, result = 5;
    ok(!emu_hooks_fire_syscall(m, NULL, 0x100c, 4, "write", args, &result) && result == 5,
       "without skip the call proceeds and result is untouched");
    rec ret = { 0 };
    emu_hook_id ret_id = add(m, EMU_HOOK_SYSCALL_RET, 0, 0, &ret);
    emu_hooks_fire_syscall_ret(m, NULL, 0x100c, 4, "write", args, 3);
    ok(ret.calls == 1 && ret.last.result == 3 && ret.last.nr == 4 && ret.last.args[2] == 3,
       "syscall return hook sees the result");
    emu_hooks_remove(m, ret_id);

    rec exc = { 0 }, ex2 = { 0 };
    ids[6] = add(m, EMU_HOOK_EXCEPTION, 0, 0, &exc);
    emu_hooks_fire_exception(m, NULL, EMU_EXCP_ARCH, 0x900, 0x1010);
    ok(exc.calls == 1 && exc.last.excp == EMU_EXCP_ARCH && exc.last.code == 0x900 &&
       exc.last.pc == 0x1010, "exception hook sees class, code and pc");

    ids[7] = add(m, EMU_HOOK_EXIT, 0, 0, &ex2);
    emu_hooks_fire_exit(m, 3);
    emu_hooks_fire_exit(m, 4);
    ok(ex2.calls == 1 && ex2.last.exit_code == 3, "exit hooks fire once with the status");
    for (int i = 0; i < 8; i++)
        emu_hooks_remove(m, ids[i]);
}

static void test_io_and_irq(emu_machine *m)
{
    emu_error *err = NULL;
    pin *a = (pin *)emu_device_new(m, &pin_type, "a", &err);
    pin *b = (pin *)emu_device_new(m, &pin_type, "b", &err);
    ok(a && b && emu_line_connect(&a->dev, "irq", 0, &b->dev, "in", 1, &err) == 0 &&
       emu_device_realize(&a->dev, &err) == 0 && emu_device_realize(&b->dev, &err) == 0,
       "two devices wired a.irq -> b.in[1]");
    if (err) {
        tap_diag("%s", emu_error_message(err));
        emu_error_free(err);
        return;
    }
    rec io_a = { 0 }, io_all = { 0 };
    emu_hook_spec s = { .kind = EMU_HOOK_IO, .device = &a->dev, .fn = record, .opaque = &io_a };
    emu_hook_id h1 = emu_hooks_add(m, &s, NULL);
    s.device = NULL, s.opaque = &io_all;
    emu_hook_id h2 = emu_hooks_add(m, &s, NULL);
    emu_hooks_fire_io(m, NULL, &a->dev, "regs", 0x4, 1, 0x55, true);
    emu_hooks_fire_io(m, NULL, &b->dev, "regs", 0x0, 4, 0x1, false);
    ok(io_a.calls == 1 && io_all.calls == 2, "io hook filters by device; NULL means every device");
    ok(io_a.last.addr == 4 && io_a.last.size == 1 && io_a.last.value == 0x55 && io_a.last.is_write &&
       !strcmp(io_a.last.region, "regs"), "io hook sees region, offset, size, value, direction");
    emu_hooks_remove(m, h1);
    emu_hooks_remove(m, h2);

    ok(m->line_observer == NULL, "no irq hook: no line observer");
    rec irq = { 0 };
    s = (emu_hook_spec){ .kind = EMU_HOOK_IRQ, .fn = record, .opaque = &irq };
    emu_hook_id h3 = emu_hooks_add(m, &s, NULL);
    ok(m->line_observer != NULL, "irq hook installs the line observer");
    emu_line_set(a->out, 1);
    ok(irq.calls == 1 && irq.last.device == &b->dev && !strcmp(irq.last.line, "in") &&
       irq.last.index == 1 && irq.last.level == 1 && b->level == 1,
       "irq hook sees device, line, index and level; the device still gets it");
    emu_line_set(a->out, 0);
    ok(irq.calls == 2 && irq.last.level == 0, "and the falling edge");
    emu_hooks_remove(m, h3);
    ok(m->line_observer == NULL, "last irq hook removed: observer gone");
    emu_line_set(a->out, 1);
    is_u64(irq.calls, 2, "removed irq hook does not fire");
}

static void test_removal_in_callback(emu_machine *m)
{
    /* A removes itself and B; C runs after B in the same event. */
    rec a = { .m = m }, b = { 0 }, c = { 0 };
    emu_hook_id ia = add(m, EMU_HOOK_EXEC, 0x40, 0x40, &a);
    emu_hook_id ib = add(m, EMU_HOOK_EXEC, 0x40, 0x40, &b);
    emu_hook_id ic = add(m, EMU_HOOK_EXEC, 0x40, 0x40, &c);
    a.remove_id = ia;
    emu_hooks_fire_exec(m, NULL, 0x40);
    ok(a.calls == 1 && b.calls == 1 && c.calls == 1, "all three fire once");
    is_u64(a.released, 1, "self-removed hook released once the event is over");
    a.remove_id = 0;
    c.m = m, c.remove_id = ib;         /* C removes B: B must not fire after that */
    emu_hooks_fire_exec(m, NULL, 0x40);
    ok(a.calls == 1, "self-removed hook does not fire again");
    ok(b.calls == 2 && c.calls == 2, "B fired before C removed it");
    emu_hooks_fire_exec(m, NULL, 0x40);
    ok(b.calls == 2 && c.calls == 3, "B removed from inside C stops firing");

    /* A hook added by a callback waits for the next event. */
    rec adder = { .m = m }, added = { 0 };
    emu_hook_id newid = 0;
    adder.add_into = &newid;
    adder.added = &added;
    emu_hook_id iadder = add(m, EMU_HOOK_EXEC, 0x80, 0x80, &adder);
    emu_hooks_fire_exec(m, NULL, 0x80);
    ok(newid != 0 && added.calls == 0, "hook added during an event is not called for it");
    emu_hooks_fire_exec(m, NULL, 0x80);
    is_u64(added.calls, 1, "but fires from the next event on");
    ok(emu_hooks_remove(m, ic) == 0 && emu_hooks_remove(m, iadder) == 0 &&
       emu_hooks_remove(m, newid) == 0 && m->hook_mask == 0, "all removed");
}

int main(void)
{
    emu_error *err = NULL;
    emu_machine *m = emu_machine_new("test", &err);
    ok(m != NULL, "machine created");
    if (!m) {
        tap_diag("%s", emu_error_message(err));
        return tap_done();
    }
    test_add_and_query(m);
    test_invalidation(m);
    test_firing(m);
    test_io_and_irq(m);
    test_removal_in_callback(m);

    rec left = { 0 };
    add(m, EMU_HOOK_WRITE, 0, 10, &left);
    emu_machine_free(m);
    is_u64(left.released, 1, "freeing the machine releases hooks still registered");
    return tap_done();
}
