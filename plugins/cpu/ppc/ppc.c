/* The PowerPC CPU types (ppc603e, ppc604, ppc750): models, properties, registers, reset state,
 * the "int" input line, the decrementer timer, and the plugin descriptor. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu/clock.h"
#include "emu/plugin.h"
#include "ppc-cpu.h"

typedef struct ppc_cpu {
    emu_device dev;
    uint64_t tb_freq;          /* property "tb-freq" */
    emu_cpu *cpu;
} ppc_cpu;

/* PVRs of the models QEMU 7.2 means by "603e", "604" and "750" (target/ppc/cpu-models.h:
   603e v4.1, 604, 740/750 v3.1) */
static const ppc_model model_603e = { "ppc603e", 0x00060401, true, false, true, false };
static const ppc_model model_604 = { "ppc604", 0x00040103, false, false, false, false };
static const ppc_model model_750 = { "ppc750", 0x00080301, true, true, false, true };

/* ---- registers ---- */
enum { R_GPR = 0, R_FPR = 32, R_PC = 64, R_MSR, R_CR, R_LR, R_CTR, R_XER, R_FPSCR,
       R_SRR0, R_SRR1, R_SPRG0, R_DAR = R_SPRG0 + 4, R_DSISR, R_SDR1, R_HID0, R_HID1, R_PVR, R_PIR,
       R_DEC, R_TBL, R_TBU, R_SR0, R_IBAT = R_SR0 + 16, R_DBAT = R_IBAT + 8, R_COUNT = R_DBAT + 8 };

static emu_reg_info regs[R_COUNT];
static char reg_names[R_COUNT][12];

static void init_regs(void)
{
    if (regs[0].name)
        return;
    for (int i = 0; i < R_COUNT; i++) {
        char *n = reg_names[i];
        unsigned group = 2;
        if (i < 32) { snprintf(n, 12, "r%d", i); group = 0; }
        else if (i < 64) { snprintf(n, 12, "f%d", i - 32); group = 1; }
        else if (i >= R_SPRG0 && i < R_SPRG0 + 4) snprintf(n, 12, "sprg%d", i - R_SPRG0);
        else if (i >= R_SR0 && i < R_SR0 + 16) snprintf(n, 12, "sr%d", i - R_SR0);
        else if (i >= R_IBAT && i < R_IBAT + 8) snprintf(n, 12, "ibat%d%c", (i - R_IBAT) / 2, (i - R_IBAT) % 2 ? 'l' : 'u');
        else if (i >= R_DBAT && i < R_DBAT + 8) snprintf(n, 12, "dbat%d%c", (i - R_DBAT) / 2, (i - R_DBAT) % 2 ? 'l' : 'u');
        else {
            static const char *const special[] = {
                [R_PC] = "pc", [R_MSR] = "msr", [R_CR] = "cr", [R_LR] = "lr", [R_CTR] = "ctr",
                [R_XER] = "xer", [R_FPSCR] = "fpscr", [R_SRR0] = "srr0", [R_SRR1] = "srr1",
                [R_DAR] = "dar", [R_DSISR] = "dsisr", [R_SDR1] = "sdr1", [R_HID0] = "hid0",
                [R_HID1] = "hid1", [R_PVR] = "pvr", [R_PIR] = "pir", [R_DEC] = "dec",
                [R_TBL] = "tbl", [R_TBU] = "tbu",
            };
            snprintf(n, 12, "%s", special[i]);
            if (i == R_FPSCR) group = 1;
        }
        regs[i].name = n;
        regs[i].bits = (i >= R_FPR && i < R_FPR + 32) ? 64 : 32;
        regs[i].group = group;
    }
}

static uint64_t reg_read(void *envp, unsigned i)
{
    ppc_env *e = envp;
    if (i < 32) return e->gpr[i];
    if (i < 64) return e->fpr[i - 32];
    if (i >= R_SPRG0 && i < R_SPRG0 + 4) return e->sprg[i - R_SPRG0];
    if (i >= R_SR0 && i < R_SR0 + 16) return e->sr[i - R_SR0];
    if (i >= R_IBAT && i < R_IBAT + 8) return e->ibat[i - R_IBAT];
    if (i >= R_DBAT && i < R_DBAT + 8) return e->dbat[i - R_DBAT];
    switch (i) {
    case R_PC: return e->pc;
    case R_MSR: return e->msr;
    case R_CR: return ppc_get_cr(e);
    case R_LR: return e->lr;
    case R_CTR: return e->ctr;
    case R_XER: return ppc_get_xer(e);
    case R_FPSCR: return e->fpscr;
    case R_SRR0: return e->srr0;
    case R_SRR1: return e->srr1;
    case R_DAR: return e->dar;
    case R_DSISR: return e->dsisr;
    case R_SDR1: return e->sdr1;
    case R_HID0: return e->hid0;
    case R_HID1: return e->hid1;
    case R_PVR: return e->pvr;
    case R_PIR: return e->pir;
    case R_DEC: return e->machine ? ppc_read_dec(e) : e->dec_base;
    case R_TBL: return e->machine ? (uint32_t)ppc_read_tb(e) : 0;
    case R_TBU: return e->machine ? ppc_read_tb(e) >> 32 : 0;
    }
    return 0;
}

static void reg_write(void *envp, unsigned i, uint64_t v64)
{
    ppc_env *e = envp;
    uint32_t v = (uint32_t)v64;
    if (i < 32) { e->gpr[i] = v; return; }
    if (i < 64) { e->fpr[i - 32] = v64; return; }
    if (i >= R_SPRG0 && i < R_SPRG0 + 4) { e->sprg[i - R_SPRG0] = v; return; }
    if (i >= R_SR0 && i < R_SR0 + 16) { e->sr[i - R_SR0] = v; emu_cpu_tlb_flush(e->cpu); return; }
    if (i >= R_IBAT && i < R_IBAT + 8) { e->ibat[i - R_IBAT] = v; emu_cpu_tlb_flush(e->cpu); return; }
    if (i >= R_DBAT && i < R_DBAT + 8) { e->dbat[i - R_DBAT] = v; emu_cpu_tlb_flush(e->cpu); return; }
    switch (i) {
    case R_PC: e->pc = v & ~3u; break;
    case R_MSR: ppc_store_msr(e, v); break;
    case R_CR: ppc_set_cr(e, v); break;
    case R_LR: e->lr = v; break;
    case R_CTR: e->ctr = v; break;
    case R_XER: ppc_set_xer(e, v); break;
    case R_FPSCR: e->fpscr = v & ~(FPSCR_FEX | FPSCR_VX); break;
    case R_SRR0: e->srr0 = v; break;
    case R_SRR1: e->srr1 = v; break;
    case R_DAR: e->dar = v; break;
    case R_DSISR: e->dsisr = v; break;
    case R_SDR1: e->sdr1 = v; emu_cpu_tlb_flush(e->cpu); break;
    case R_HID0: e->hid0 = v; break;
    case R_HID1: e->hid1 = v; break;
    case R_DEC: if (e->machine) ppc_write_dec(e, v); break;
    default: break;   /* PVR, PIR, TB: read-only here */
    }
}

/* ---- lifecycle ---- */
static const ppc_model *model_of(emu_device *dev)
{
    const char *n = dev->type->name;
    return !strcmp(n, "ppc603e") ? &model_603e : !strcmp(n, "ppc750") ? &model_750 : &model_604;
}

static void dec_fire(void *opaque)
{
    ppc_env *e = opaque;
    e->dec_pending = 1;
    emu_cpu_interrupt_request(e->cpu);
}

static void power_on(ppc_env *e)
{
    /* keep the links to the core and the levels of the input lines, clear the guest state */
    const ppc_model *model = e->model;
    bool user_mode = e->user_mode;
    emu_machine *m = e->machine;
    emu_cpu *cpu = e->cpu;
    emu_timer *t = e->dec_timer;
    uint64_t freq = e->tb_freq;
    uint32_t int_level = e->int_level, mcp = e->mcp_level, tea = e->tea_level;
    uint32_t sreset = e->sreset_level, hreset = e->hreset_level;
    memset(e, 0, offsetof(ppc_env, model));
    e->int_level = int_level;
    e->mcp_level = mcp;
    e->tea_level = tea;
    e->sreset_level = sreset;
    e->hreset_level = hreset;
    e->model = model;
    e->user_mode = user_mode;
    e->machine = m;
    e->cpu = cpu;
    e->dec_timer = t;
    e->tb_freq = freq;
    e->pvr = model->pvr;
    e->msr = MSR_IP;
    e->pc = 0xfff00100u;
    e->dec_base = 0xffffffffu;
}

static void init_state(emu_device *dev, void *envp, bool user)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    ppc_env *e = envp;
    e->model = model_of(dev);
    e->user_mode = user;
    e->machine = dev->machine;
    e->tb_freq = p->tb_freq ? p->tb_freq : 100000000u;
    power_on(e);
    if (user) {
        e->msr = MSR_PR | MSR_FP | MSR_EE | MSR_ME | MSR_IR | MSR_DR | MSR_RI;
        e->pc = 0;
    }
}

static const emu_cpu_ops ppc_ops;

static int ppc_realize(emu_device *dev, emu_error **err)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    p->cpu = emu_cpu_realize(dev, err);
    if (!p->cpu)
        return -1;
    ppc_env *e = emu_cpu_env(p->cpu);
    e->cpu = p->cpu;
    if (!emu_cpu_is_user_mode(p->cpu)) {
        e->dec_timer = emu_timer_new(dev->machine, dec_fire, e);
        e->dec_base_ns = emu_clock_ns(dev->machine);
    }
    return 0;
}

void ppc_hard_reset(ppc_env *e)
{
    power_on(e);
    e->dec_base_ns = emu_clock_ns(e->machine);
    if (e->dec_timer)
        emu_timer_cancel(e->dec_timer);
    emu_cpu_tlb_flush(e->cpu);
}

static void ppc_reset(emu_device *dev)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    if (!p->cpu || emu_cpu_is_user_mode(p->cpu))
        return;
    ppc_env *e = emu_cpu_env(p->cpu);
    ppc_hard_reset(e);
    emu_cpu_set_pc(p->cpu, e->pc);
}

static void ppc_destroy(emu_device *dev)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    if (p->cpu) {
        ppc_env *e = emu_cpu_env(p->cpu);
        if (e->dec_timer)
            emu_timer_free(e->dec_timer);
        emu_cpu_unrealize(dev);
        p->cpu = NULL;
    }
}

/* Input lines (the order of ppc_inputs).  Events are taken at the next block boundary by
   ppc_check_interrupts, never in the middle of an instruction (a device's line may move
   during this CPU's own store). */
enum { IN_INT, IN_MCP, IN_TEA, IN_SRESET, IN_HRESET };

static void ppc_set_input(emu_device *dev, unsigned line, unsigned index, int level)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    if (!p->cpu || emu_cpu_is_user_mode(p->cpu))
        return;
    ppc_env *e = emu_cpu_env(p->cpu);
    uint32_t on = level != 0, rose;
    switch (line) {
    case IN_INT:
        e->int_level = on;
        break;
    case IN_MCP:   /* edge: a machine check if HID0[EMCP] enables the input */
        rose = on && !e->mcp_level;
        e->mcp_level = on;
        if (rose && (e->hid0 & HID0_EMCP))
            e->mc_pending |= SRR1_MC_MCP;
        break;
    case IN_TEA:   /* a board's bus error (transfer error acknowledge) */
        rose = on && !e->tea_level;
        e->tea_level = on;
        if (rose)
            e->mc_pending |= SRR1_MC_TEA;
        break;
    case IN_SRESET:
        rose = on && !e->sreset_level;
        e->sreset_level = on;
        if (rose)
            e->sreset_pending = 1;
        break;
    case IN_HRESET:
        rose = on && !e->hreset_level;
        e->hreset_level = on;
        if (rose)
            e->hreset_pending = 1;
        break;
    default:
        return;
    }
    if (on)
        emu_cpu_interrupt_request(p->cpu);
}

static int ppc_save(emu_device *dev, emu_state_writer *w)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    return p->cpu ? ppc_state_save(emu_cpu_env(p->cpu), w) : -1;
}

static int ppc_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    ppc_cpu *p = (ppc_cpu *)dev;
    if (!p->cpu) {
        emu_error_set(err, "the CPU is not realized");
        return -1;
    }
    return ppc_state_load(emu_cpu_env(p->cpu), r, err);
}

static int fp_round(uint32_t flags)
{
    (void)flags;
    return 0;   /* FE_TONEAREST: IR f64 ops are only used for sign operations here */
}

static const emu_cpu_ops ppc_ops = {
    .struct_size = sizeof(emu_cpu_ops),
    .arch = "ppc",
    .addr_bits = 32,
    .big_endian = true,
    .state_size = sizeof(ppc_env),
    .pc_offset = offsetof(ppc_env, pc),
    .regs = regs,
    .nregs = R_COUNT,
    .reg_read = reg_read,
    .reg_write = reg_write,
    .init_state = init_state,
    .tb_flags = ppc_tb_flags,
    .code_mmu_idx = ppc_code_mmu_idx,
    .fp_round = fp_round,
    .translate = ppc_translate,
    .mmu_translate = ppc_mmu_translate,
    .do_interrupt = ppc_do_interrupt,
    .check_interrupts = ppc_check_interrupts,
};

static const emu_prop_desc ppc_props[] = {
    { "tb-freq", EMU_PROP_INT, offsetof(ppc_cpu, tb_freq), "100000000",
      "time base and decrementer frequency in Hz (100 MHz on the PReP board)", NULL, 1, 4000000000, NULL, 0 },
    EMU_PROP_END
};

static const emu_line_desc ppc_inputs[] = {
    { "int", 1, "external interrupt request (level, active high)" },
    { "mcp", 1, "machine check request: a rising edge raises a machine check when HID0[EMCP] is set" },
    { "tea", 1, "transfer error (bus error): a rising edge raises a machine check" },
    { "sreset", 1, "soft reset: a rising edge takes the system reset exception (0x100)" },
    { "hreset", 1, "hard reset: a rising edge restarts the processor from its power-on state (0xfff00100)" },
    { NULL, 0, NULL },
};

#define PPC_TYPE(var, tname, summary_text)                                 \
    static const emu_type var = {                                          \
        .struct_size = sizeof(emu_type), .kind = EMU_KIND_CPU,             \
        .name = tname, .summary = summary_text,                            \
        .instance_size = sizeof(ppc_cpu), .props = ppc_props,              \
        .inputs = ppc_inputs, .realize = ppc_realize, .reset = ppc_reset,  \
        .destroy = ppc_destroy, .set_input = ppc_set_input,                \
        .save = ppc_save, .load = ppc_load,                                \
        .kind_ops = &ppc_ops,                                              \
    }

PPC_TYPE(type_603e, "ppc603e", "PowerPC 603e (PVR 0x00060401)");
PPC_TYPE(type_604, "ppc604", "PowerPC 604 (PVR 0x00040103)");
PPC_TYPE(type_750, "ppc750", "PowerPC 750 / G3 (PVR 0x00080301)");

static const emu_type *const ppc_types[] = { &type_603e, &type_604, &type_750, NULL };

__attribute__((constructor)) static void ppc_plugin_init(void)
{
    init_regs();
}

EMU_PLUGIN(ppc) = { EMU_PLUGIN_HEADER, "ppc", "0.1", "32-bit PowerPC CPUs (603e, 604, 750)", ppc_types };
