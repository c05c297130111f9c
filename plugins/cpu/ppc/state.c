/* PowerPC CPU snapshots: the whole architectural state (registers, SPRs, BATs, segment
 * registers, the 603e TLBs and miss registers, reservation, line levels and pending events)
 * saved as named fields; the time base and decrementer relative to the clock.  A load reads
 * every field into a copy, checks it like guest input, and only then takes it. */
#include <string.h>
#include "emu/clock.h"
#include "emu/device.h"
#include "ppc-cpu.h"

/* The 32-bit fields, in snapshot order: name, offset in ppc_env, number of words. */
static const struct {
    const char *name;
    uint32_t off;
    unsigned n;
} words[] = {
    { "gpr", ENV_OFF(gpr), 32 }, { "tgpr", ENV_OFF(tgpr), 4 }, { "pc", ENV_OFF(pc), 1 },
    { "msr", ENV_OFF(msr), 1 }, { "lr", ENV_OFF(lr), 1 }, { "ctr", ENV_OFF(ctr), 1 },
    { "crf", ENV_OFF(crf), 8 }, { "xer-so", ENV_OFF(so), 1 }, { "xer-ov", ENV_OFF(ov), 1 },
    { "xer-ca", ENV_OFF(ca), 1 }, { "xer-rest", ENV_OFF(xer_rest), 1 },
    { "fpscr", ENV_OFF(fpscr), 1 }, { "reserve-addr", ENV_OFF(reserve_addr), 1 },
    { "reserve-val", ENV_OFF(reserve_val), 1 }, { "reserve-valid", ENV_OFF(reserve_valid), 1 },
    { "srr0", ENV_OFF(srr0), 1 }, { "srr1", ENV_OFF(srr1), 1 }, { "sprg", ENV_OFF(sprg), 4 },
    { "dar", ENV_OFF(dar), 1 }, { "dsisr", ENV_OFF(dsisr), 1 }, { "sdr1", ENV_OFF(sdr1), 1 },
    { "sr", ENV_OFF(sr), 16 }, { "ibat", ENV_OFF(ibat), 8 }, { "dbat", ENV_OFF(dbat), 8 },
    { "hid0", ENV_OFF(hid0), 1 }, { "hid1", ENV_OFF(hid1), 1 }, { "pir", ENV_OFF(pir), 1 },
    { "pvr", ENV_OFF(pvr), 1 }, { "iabr", ENV_OFF(iabr), 1 }, { "dabr", ENV_OFF(dabr), 1 },
    { "ear", ENV_OFF(ear), 1 }, { "l2cr", ENV_OFF(l2cr), 1 }, { "thrm", ENV_OFF(thrm), 3 },
    { "ictc", ENV_OFF(ictc), 1 }, { "mmcr", ENV_OFF(mmcr), 2 }, { "pmc", ENV_OFF(pmc), 4 },
    { "sia", ENV_OFF(sia), 1 }, { "sda", ENV_OFF(sda), 1 },
    { "excp-srr1", ENV_OFF(excp_srr1), 1 }, { "fp-prog", ENV_OFF(fp_prog), 1 },
    { "imiss", ENV_OFF(imiss), 1 }, { "icmp", ENV_OFF(icmp), 1 }, { "dmiss", ENV_OFF(dmiss), 1 },
    { "dcmp", ENV_OFF(dcmp), 1 }, { "hash1", ENV_OFF(hash1), 1 }, { "hash2", ENV_OFF(hash2), 1 },
    { "rpa", ENV_OFF(rpa), 1 }, { "last-wimg", ENV_OFF(last_wimg), 1 },
    { "int-level", ENV_OFF(int_level), 1 }, { "mcp-level", ENV_OFF(mcp_level), 1 },
    { "tea-level", ENV_OFF(tea_level), 1 }, { "sreset-level", ENV_OFF(sreset_level), 1 },
    { "hreset-level", ENV_OFF(hreset_level), 1 }, { "dec-pending", ENV_OFF(dec_pending), 1 },
    { "mc-pending", ENV_OFF(mc_pending), 1 }, { "sreset-pending", ENV_OFF(sreset_pending), 1 },
    { "hreset-pending", ENV_OFF(hreset_pending), 1 }, { "checkstop", ENV_OFF(checkstop), 1 },
};

#define NO_DEADLINE UINT64_MAX

static uint64_t ns_to_ticks(const ppc_env *e, uint64_t ns)
{
    return (uint64_t)((unsigned __int128)ns * e->tb_freq / 1000000000u);
}

int ppc_state_save(ppc_env *e, emu_state_writer *w)
{
    if (e->user_mode || !e->machine)
        return -1;
    const uint8_t *base = (const uint8_t *)e;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        emu_state_put_bytes(w, words[i].name, base + words[i].off, 4u * words[i].n);
    emu_state_put_bytes(w, "fpr", e->fpr, sizeof e->fpr);
    emu_state_put_bytes(w, "tlb603", e->tlb603, sizeof e->tlb603);
    emu_state_put_bytes(w, "tlb603-next", e->tlb603_next, sizeof e->tlb603_next);
    /* time: the frequency they count at, TB and DEC now, and how far off the DEC interrupt is */
    emu_state_put_u64(w, "tb-freq", e->tb_freq);
    emu_state_put_u64(w, "tb", ppc_read_tb(e));
    emu_state_put_u64(w, "dec", ppc_read_dec(e));
    uint64_t now = emu_clock_ns(e->machine);
    uint64_t left = NO_DEADLINE;
    if (e->dec_timer && emu_timer_pending(e->dec_timer)) {
        uint64_t d = emu_timer_deadline(e->dec_timer);
        left = d > now ? d - now : 0;
    }
    emu_state_put_u64(w, "dec-timer-ns", left);
    return 0;
}

static bool is_bool(uint32_t v)
{
    return v <= 1;
}

/* Why the state in t cannot be taken, or NULL. */
static const char *check(const ppc_env *t, const ppc_env *cur)
{
    if (t->msr & ~ppc_msr_mask(cur))
        return "MSR has bits this model does not implement";
    if (t->pc & 3)
        return "the PC is not word aligned";
    if (t->pvr != cur->model->pvr)
        return "the PVR is not this model's";
    for (int i = 0; i < 8; i++)
        if (t->crf[i] > 15)
            return "a CR field is wider than 4 bits";
    if (!is_bool(t->so) || !is_bool(t->ov) || !is_bool(t->ca) || (t->xer_rest & 0xe00c0000u))
        return "XER bits out of range";
    if (t->fpscr & 0x800u)
        return "FPSCR reserved bit 20 is set";
    if (!is_bool(t->reserve_valid) || !is_bool(t->int_level) || !is_bool(t->mcp_level) ||
        !is_bool(t->tea_level) || !is_bool(t->sreset_level) || !is_bool(t->hreset_level) ||
        !is_bool(t->dec_pending) || !is_bool(t->sreset_pending) || !is_bool(t->hreset_pending) ||
        !is_bool(t->checkstop))
        return "a flag is neither 0 nor 1";
    if (t->mc_pending & ~(SRR1_MC_MCP | SRR1_MC_TEA))
        return "unknown machine check cause";
    if (t->last_wimg > 15)
        return "WIMG wider than 4 bits";
    for (int i = 0; i < 8; i += 2) {
        /* BL (upper word bits 19-29) must be a block length: ones from the right */
        uint32_t bl[2] = { (t->ibat[i] >> 2) & 0x7ff, (t->dbat[i] >> 2) & 0x7ff };
        for (int k = 0; k < 2; k++)
            if (bl[k] & (bl[k] + 1))
                return "a BAT's block length is not a power of two";
    }
    for (int side = 0; side < 2; side++)
        for (unsigned set = 0; set < TLB603_SETS; set++) {
            if (t->tlb603_next[side][set] > 1)
                return "a TLB replacement way is neither 0 nor 1";
            for (int way = 0; way < 2; way++) {
                /* a valid entry (V, the compare word's top bit) answers for its page's set */
                const ppc_tlb603_entry *te = &t->tlb603[side][set][way];
                if ((te->epn & 0xfffu) || ((te->cmp >> 31) && ((te->epn >> 12) & (TLB603_SETS - 1)) != set))
                    return "a TLB entry's page does not belong to its set";
            }
        }
    return NULL;
}

int ppc_state_load(ppc_env *e, emu_state_reader *r, emu_error **err)
{
    if (e->user_mode || !e->machine) {
        emu_error_set(err, "a user-mode CPU has no snapshot");
        return -1;
    }
    ppc_env t = *e;
    uint8_t *base = (uint8_t *)&t;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (emu_state_get_bytes(r, words[i].name, base + words[i].off, 4u * words[i].n) < 0)
            return -1;
    uint64_t freq, tb, dec, left;
    if (emu_state_get_bytes(r, "fpr", t.fpr, sizeof t.fpr) < 0 ||
        emu_state_get_bytes(r, "tlb603", t.tlb603, sizeof t.tlb603) < 0 ||
        emu_state_get_bytes(r, "tlb603-next", t.tlb603_next, sizeof t.tlb603_next) < 0 ||
        emu_state_get_u64(r, "tb-freq", &freq) < 0 || emu_state_get_u64(r, "tb", &tb) < 0 ||
        emu_state_get_u64(r, "dec", &dec) < 0 || emu_state_get_u64(r, "dec-timer-ns", &left) < 0)
        return -1;
    const char *bad = check(&t, e);
    if (!bad && freq != e->tb_freq)
        bad = "the time base frequency differs (property tb-freq)";
    if (!bad && dec > UINT32_MAX)
        bad = "DEC wider than 32 bits";
    uint64_t now = emu_clock_ns(e->machine);
    if (!bad && left != NO_DEADLINE && left >= NO_DEADLINE - now)
        bad = "the decrementer deadline is out of range";
    if (bad) {
        emu_error_set(err, "%s", bad);
        return -1;
    }
    memcpy(e, &t, offsetof(ppc_env, model));
    e->tb_offset = tb - ns_to_ticks(e, now);
    e->dec_base = (uint32_t)dec;
    e->dec_base_ns = now;
    if (e->dec_timer) {
        if (left == NO_DEADLINE)
            emu_timer_cancel(e->dec_timer);
        else
            emu_timer_arm(e->dec_timer, now + left);
    }
    /* nothing translated for the old state may be used: TLB entries and the PC */
    emu_cpu_tlb_flush(e->cpu);
    emu_cpu_set_pc(e->cpu, e->pc);
    emu_cpu_interrupt_request(e->cpu);
    return 0;
}
