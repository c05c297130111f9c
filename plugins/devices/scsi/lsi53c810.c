/* LSI (Symbios) 53C810 PCI SCSI controller: its registers (I/O and memory BARs), the SCRIPTS
 * processor (block moves direct, indirect and table indirect; select, disconnect, wait
 * reselect, set, clear; register moves; jumps, calls, returns and interrupts with phase, data
 * and carry conditions; memory moves; loads and stores) fetching from and moving data by
 * bus-master DMA, and up to seven targets (disks, CD-ROM drives) on its bus, ID 7 being the
 * chip's own.
 *
 * Where the guest can see it, the SCSI bus behaves as QEMU's lsi53c895a model, which is what
 * OpenBIOS's driver was written against: a SELECT while connected jumps to its alternate
 * address, a selection timeout stops the script at the next SCSI instruction, "wait
 * disconnect" just lets the bus go, a target disconnects after a READ or WRITE command and
 * reselects when the script waits for it, and ISTAT never shows the connected bit. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emu/emu.h"
#include "emu/pci.h"
#include "scsi-target.h"
#include "../state-fields.h"

enum { PH_DO = 0, PH_DI = 1, PH_CMD = 2, PH_ST = 3, PH_MO = 6, PH_MI = 7 };
enum { MSG_TO_COMMAND, MSG_TO_DISCONNECT, MSG_TO_DATA };

#define ISTAT_DIP  0x01
#define ISTAT_SIP  0x02
#define ISTAT_INTF 0x04
#define ISTAT_SIGP 0x20
#define ISTAT_SRST 0x40
#define ISTAT_ABRT 0x80
#define DSTAT_IID  0x01
#define DSTAT_SIR  0x04
#define DSTAT_SSI  0x08
#define DSTAT_ABRT 0x10
#define DSTAT_DFE  0x80
#define SIST0_MA   0x80
#define SIST0_RST  0x02
#define SIST1_STO  0x04
#define SCNTL1_CON 0x10
#define SCNTL1_RST 0x08
#define DCNTL_SSM  0x10
#define DCNTL_STD  0x04
#define DMODE_MAN  0x01
#define SBCL_REQ   0x80

#define NTARGETS 7
#define INSNS_PER_SLICE 10000u     /* then the script goes on from a timer */
#define DATA_CHUNK (64u * 1024)    /* medium data staged per transfer */

static const char *const media_choices[] = { "none", "disk", "cdrom", NULL };

typedef struct lsi {
    emu_device dev;
    emu_device *bus;
    int64_t devfn;
    bool pci_intx;
    emu_blockdev *blk[NTARGETS];
    int media[NTARGETS];
    const emu_pci_bus_ops *pci;
    emu_pci_function *fn;
    emu_line *irq;
    emu_timer *slice;
    scsi_target tgt[NTARGETS];

    /* registers */
    uint8_t scntl0, scntl1, scntl2, scntl3, scid, sxfer, sdid, socl, ssid, sbcl;
    uint8_t dstat, sstat0, sstat1, istat, ctest2, ctest3, ctest4, ctest5, dfifo, dcmd;
    uint8_t dmode, dien, sbr, dcntl, sien0, sien1, sist0, sist1, stime0, stime1;
    uint8_t respid, stest1, stest2, stest3, sidl, sfbr, gpreg, gpcntl;
    uint32_t dsa, temp, dbc, dnad, dsp, dsps, scratcha, scratchb, adder;
    bool carry, running;

    /* the SCSI bus */
    int target;                 /* connected target, or -1 */
    unsigned select_id;
    uint8_t msg[8];
    unsigned msg_len;
    int msg_to;                 /* what follows the message in bytes */
    uint8_t status;             /* of the command in progress */
    /* data of the command in progress: reply bytes, or medium blocks staged in buf */
    uint8_t *buf;
    uint32_t avail, pos;        /* staged bytes and how many went out */
    scsi_result cmd;            /* the command's medium access still to do */
    bool data_out;
    int deferred;               /* a disconnected target that will reselect, or -1 */
} lsi;

#define TARGET_PROPS(n) \
    EMU_PROP_BLOCK_DEF("scsi" #n, lsi, blk[n], "image of the target with SCSI ID " #n), \
    EMU_PROP_ENUM_DEF("scsi" #n "-media", lsi, media[n], "none", media_choices, \
                      "device at SCSI ID " #n ": none, a disk, or a CD-ROM drive (may be empty)")

static const emu_prop_desc lsi_props[] = {
    { "bus", EMU_PROP_LINK, offsetof(lsi, bus), NULL, "the PCI bus the controller sits on", NULL,
      0, 0, NULL, EMU_PROP_REQUIRED },
    EMU_PROP_INT_DEF("devfn", lsi, devfn, "-1", -1, 255, "PCI address (slot << 3 | fn), -1: first free"),
    EMU_PROP_BOOL_DEF("pci-intx", lsi, pci_intx, "true",
                      "interrupt on the PCI INTA pin; false: on the irq line (PReP wires IRQ 13)"),
    TARGET_PROPS(0), TARGET_PROPS(1), TARGET_PROPS(2), TARGET_PROPS(3), TARGET_PROPS(4),
    TARGET_PROPS(5), TARGET_PROPS(6),
    EMU_PROP_END,
};

static const emu_region_desc lsi_regions[] = {
    { "io", "BAR 0: the registers in I/O space (256 bytes)" },
    { "mmio", "BAR 1: the registers in memory space (1 KiB)" },
    { "ram", "BAR 2: 8 KiB of SCRIPTS RAM" },
    { NULL, NULL },
};

static const emu_line_desc lsi_outputs[] = {
    { "irq", 1, "interrupt request when pci-intx is false" },
    { NULL, 0, NULL },
};

/* ---- interrupts ---- */

static void update_irq(lsi *s)
{
    bool level = (s->dstat & s->dien) || (s->sist0 & s->sien0) || (s->sist1 & s->sien1) ||
                 (s->istat & ISTAT_INTF);
    s->istat = (uint8_t)((s->istat & ~(ISTAT_DIP | ISTAT_SIP)) | (s->dstat ? ISTAT_DIP : 0) |
                         (s->sist0 || s->sist1 ? ISTAT_SIP : 0));
    if (s->pci_intx)
        s->pci->set_irq(s->fn, level);
    else
        emu_line_set(s->irq, level);
}

static void stop(lsi *s)
{
    s->running = false;
    emu_timer_cancel(s->slice);
}

static void dma_interrupt(lsi *s, uint8_t stat)
{
    s->dstat |= stat;
    update_irq(s);
    stop(s);
}

/* A SCSI interrupt stops the script, except a selection timeout: that stops it at the next
   instruction that uses the bus (as QEMU does). */
static void scsi_interrupt(lsi *s, uint8_t stat0, uint8_t stat1)
{
    s->sist0 |= stat0;
    s->sist1 |= stat1;
    if (stat0 || (stat1 & ~SIST1_STO))
        stop(s);
    update_irq(s);
}

/* ---- the bus ---- */

static void set_phase(lsi *s, int phase)
{
    s->sbcl = (uint8_t)((s->sbcl & ~7) | phase | SBCL_REQ);
    s->sstat1 = (uint8_t)((s->sstat1 & ~7) | phase);
}

static int phase(const lsi *s)
{
    return s->sstat1 & 7;
}

static void bus_free(lsi *s)
{
    s->scntl1 &= (uint8_t)~SCNTL1_CON;
    s->sstat1 &= (uint8_t)~7;
    s->sbcl = 0;
    s->target = -1;
}

static void add_msg(lsi *s, uint8_t b)
{
    if (s->msg_len < sizeof s->msg)
        s->msg[s->msg_len++] = b;
}

static bool dma_read(lsi *s, uint32_t addr, void *buf, size_t len)
{
    return s->pci->dma_read(s->fn, addr, buf, len) == 0;
}

static bool dma_write(lsi *s, uint32_t addr, const void *buf, size_t len)
{
    return s->pci->dma_write(s->fn, addr, buf, len) == 0;
}

static uint32_t read_dword(lsi *s, uint32_t addr)
{
    uint8_t b[4] = { 0 };
    dma_read(s, addr, b, 4);
    return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The command is over: status phase. */
static void to_status(lsi *s)
{
    s->avail = s->pos = 0;
    s->cmd.medium = false;
    set_phase(s, PH_ST);
}

/* Stage the next piece of a medium access in buf. */
static bool stage_medium(lsi *s)
{
    scsi_target *t = &s->tgt[s->target];
    uint32_t per = DATA_CHUNK / t->block_size;
    uint32_t n = s->cmd.blocks < per ? s->cmd.blocks : per;
    s->avail = n * t->block_size;
    s->pos = 0;
    if (!s->cmd.write && scsi_target_rw(t, false, s->cmd.lba, n, s->buf) < 0) {
        s->status = SCSI_CHECK_CONDITION;
        return false;
    }
    return true;
}

static void begin_data(lsi *s)
{
    if (s->cmd.medium && !stage_medium(s)) {
        to_status(s);
        return;
    }
    set_phase(s, s->data_out ? PH_DO : PH_DI);
}

/* A block of data went to or came from the host: flush writes, stage more, or finish. */
static void data_moved(lsi *s)
{
    if (s->pos < s->avail)
        return;
    if (s->cmd.medium) {
        scsi_target *t = &s->tgt[s->target];
        uint32_t n = s->avail / t->block_size;
        if (s->cmd.write && scsi_target_rw(t, true, s->cmd.lba, n, s->buf) < 0) {
            s->status = SCSI_CHECK_CONDITION;
            to_status(s);
            return;
        }
        s->cmd.lba += n;
        s->cmd.blocks -= n;
        if (s->cmd.blocks) {
            if (!stage_medium(s))
                to_status(s);
            return;
        }
    }
    to_status(s);
}

static void do_command(lsi *s)
{
    uint8_t cdb[16] = { 0 };
    if (s->dbc > 16)
        s->dbc = 16;
    dma_read(s, s->dnad, cdb, s->dbc);
    s->sfbr = cdb[0];
    scsi_target *t = &s->tgt[s->target];
    scsi_target_command(t, cdb, s->dbc, &s->cmd);
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&s->dev, EMU_LOG_TRACE, "target %d: command %02x %02x %02x %02x %02x %02x: status "
                "%u, %u bytes%s", s->target, cdb[0], cdb[1], cdb[2], cdb[3], cdb[4], cdb[5],
                s->cmd.status, s->cmd.medium ? s->cmd.blocks * t->block_size : s->cmd.reply_len,
                s->cmd.medium ? " from the medium" : "");
    s->status = s->cmd.status;
    s->data_out = s->cmd.medium && s->cmd.write;
    if (s->cmd.medium) {
        /* A medium access: the target lets the bus go and reselects for the data. */
        s->deferred = s->target;
        add_msg(s, 0x02);   /* SAVE DATA POINTER */
        add_msg(s, 0x04);   /* DISCONNECT */
        s->msg_to = MSG_TO_DISCONNECT;
        set_phase(s, PH_MI);
    } else if (s->cmd.reply_len) {
        memcpy(s->buf, s->cmd.reply, s->cmd.reply_len);
        s->avail = s->cmd.reply_len;
        s->pos = 0;
        set_phase(s, PH_DI);
    } else {
        to_status(s);
    }
}

static void do_status(lsi *s)
{
    s->sfbr = s->status;
    dma_write(s, s->dnad, &s->status, 1);
    s->dbc = 0;
    add_msg(s, 0x00);   /* COMMAND COMPLETE */
    s->msg_to = MSG_TO_DISCONNECT;
    set_phase(s, PH_MI);
}

static void do_msgin(lsi *s)
{
    if (!s->msg_len) {
        bus_free(s);
        return;
    }
    unsigned len = s->msg_len < s->dbc ? s->msg_len : s->dbc;
    s->sfbr = s->msg[0];
    dma_write(s, s->dnad, s->msg, len);
    s->sidl = s->msg[len ? len - 1 : 0];
    s->dbc -= len;
    s->msg_len -= len;
    memmove(s->msg, s->msg + len, s->msg_len);
    if (s->msg_len)
        return;
    switch (s->msg_to) {
    case MSG_TO_COMMAND:
        set_phase(s, PH_CMD);
        break;
    case MSG_TO_DATA:
        begin_data(s);
        break;
    default:
        bus_free(s);
        break;
    }
}

static void do_msgout(lsi *s)
{
    while (s->dbc) {
        uint8_t m = 0;
        dma_read(s, s->dnad, &m, 1);
        s->dnad++;
        s->dbc--;
        s->sfbr = m;
        if (m & 0x80) {                      /* IDENTIFY: LUN 0 only */
            set_phase(s, PH_CMD);
        } else if (m == 0x08) {              /* NO OPERATION */
            set_phase(s, PH_CMD);
        } else if (m == 0x04 || m == 0x06 || m == 0x0c || m == 0x0d || m == 0x0e) {
            if (m != 0x04 && s->deferred == s->target)   /* abort, reset: drop its command */
                s->deferred = -1;
            bus_free(s);
            return;
        } else if (m == 0x20 || m == 0x21 || m == 0x22) {   /* queue tags: taken, ignored */
            if (s->dbc) {
                s->dnad++;
                s->dbc--;
            }
        } else {
            emu_log(&s->dev, EMU_LOG_UNIMP, "SCSI message 0x%02x rejected", m);
            add_msg(s, 0x07);   /* MESSAGE REJECT */
            s->msg_to = MSG_TO_COMMAND;
            set_phase(s, PH_MI);
            return;
        }
    }
}

/* Data phases: move min(dbc, what is left) bytes.  A command whose data ends before the
   block move's count is a phase mismatch. */
static void do_data(lsi *s, bool out)
{
    uint32_t n = s->avail - s->pos;
    if (n > s->dbc)
        n = s->dbc;
    if (out)
        dma_read(s, s->dnad, s->buf + s->pos, n);
    else
        dma_write(s, s->dnad, s->buf + s->pos, n);
    s->pos += n;
    s->dnad += n;
    s->dbc -= n;
    data_moved(s);
    if (s->dbc && phase(s) != (out ? PH_DO : PH_DI))
        scsi_interrupt(s, SIST0_MA, 0);
}

static void reselect(lsi *s)
{
    int id = s->deferred;
    s->deferred = -1;
    s->target = id;
    s->ssid = (uint8_t)(0x80 | id);
    s->sfbr = (uint8_t)(1u << id);
    s->scntl1 |= SCNTL1_CON;
    add_msg(s, 0x80);   /* IDENTIFY */
    s->msg_to = MSG_TO_DATA;
    set_phase(s, PH_MI);
}

/* ---- SCRIPTS ---- */

static uint8_t reg_read(lsi *s, unsigned r);
static void reg_write(lsi *s, unsigned r, uint8_t v);

static void block_move(lsi *s, uint32_t insn, uint32_t addr)
{
    if (s->sist1 & SIST1_STO) {   /* the delayed stop after a selection timeout */
        stop(s);
        return;
    }
    s->dbc = insn & 0xffffff;
    if (insn & (1u << 29)) {                 /* indirect */
        addr = read_dword(s, addr);
    } else if (insn & (1u << 28)) {          /* table indirect: { count, address } at DSA+offset */
        int32_t off = (int32_t)(addr << 8) >> 8;
        uint8_t e[8] = { 0 };
        dma_read(s, s->dsa + (uint32_t)off, e, 8);
        s->dbc = (e[0] | e[1] << 8 | (uint32_t)e[2] << 16);
        addr = e[4] | e[5] << 8 | e[6] << 16 | (uint32_t)e[7] << 24;
    }
    if (s->target < 0 || phase(s) != (int)((insn >> 24) & 7)) {
        scsi_interrupt(s, SIST0_MA, 0);
        return;
    }
    s->dnad = addr;
    switch (phase(s)) {
    case PH_DO: do_data(s, true); break;
    case PH_DI: do_data(s, false); break;
    case PH_CMD: do_command(s); break;
    case PH_ST: do_status(s); break;
    case PH_MO: do_msgout(s); break;
    case PH_MI: do_msgin(s); break;
    default:
        emu_log(&s->dev, EMU_LOG_UNIMP, "block move in reserved phase %d", phase(s));
        dma_interrupt(s, DSTAT_IID);
        return;
    }
    s->dfifo = (uint8_t)s->dbc;
}

static void io_insn(lsi *s, uint32_t insn, uint32_t addr)
{
    unsigned op = (insn >> 27) & 7;
    uint32_t id = (insn & (1u << 25)) ? read_dword(s, s->dsa + (uint32_t)((int32_t)(insn << 8) >> 8))
                                      : insn;
    id = (id >> 16) & 0xf;
    if (insn & (1u << 26))
        addr = s->dsp + (uint32_t)((int32_t)(addr << 8) >> 8);
    s->dnad = addr;
    switch (op) {
    case 0:   /* SELECT */
        s->sdid = (uint8_t)id;
        if (s->scntl1 & SCNTL1_CON) {   /* reselected first: go to the alternate address */
            s->dsp = addr;
            break;
        }
        if (id >= NTARGETS || !s->tgt[id].present) {
            scsi_interrupt(s, 0, SIST1_STO);
            bus_free(s);
            break;
        }
        s->target = (int)id;
        s->select_id = id;
        s->scntl1 |= SCNTL1_CON;
        s->msg_len = 0;
        set_phase(s, PH_MO);
        break;
    case 1:   /* WAIT DISCONNECT: the bus is let go at once */
        bus_free(s);
        break;
    case 2:   /* WAIT RESELECT */
        if (s->istat & ISTAT_SIGP)
            s->dsp = addr;
        else if (s->deferred >= 0)
            reselect(s);
        else
            stop(s);   /* nothing will reselect: the script waits for the host's SIGP */
        break;
    case 3:   /* SET */
    case 4:   /* CLEAR */
        if (insn & (1u << 10))
            s->carry = op == 3;
        if (insn & (1u << 3) && op == 3 && s->target >= 0)
            set_phase(s, PH_MO);   /* ATN: the target takes a message */
        break;
    default:
        dma_interrupt(s, DSTAT_IID);
        break;
    }
}

static void rw_register(lsi *s, uint32_t insn)
{
    unsigned op = (insn >> 27) & 7, operator = (insn >> 24) & 7;
    unsigned reg = ((insn >> 16) & 0x7f) | (insn & 0x80);
    uint8_t data = (uint8_t)(insn >> 8), a = 0, b = data;
    if (op == 5)
        a = s->sfbr;
    else if (operator)
        a = reg_read(s, reg);
    if (op == 7 && (insn & (1u << 23)))
        b = s->sfbr;
    unsigned c;
    switch (operator) {
    case 0: a = b; break;
    case 1: c = a >> 7; a = (uint8_t)(a << 1 | s->carry); s->carry = c; break;
    case 2: a |= b; break;
    case 3: a ^= b; break;
    case 4: a &= b; break;
    case 5: c = a & 1; a = (uint8_t)(a >> 1 | s->carry << 7); s->carry = c; break;
    case 6: c = a + b; s->carry = c > 0xff; a = (uint8_t)c; break;
    default: c = a + b + s->carry; s->carry = c > 0xff; a = (uint8_t)c; break;
    }
    if (op == 6)
        s->sfbr = a;
    else
        reg_write(s, reg, a);
}

static void transfer_control(lsi *s, uint32_t insn, uint32_t addr)
{
    if ((insn & 0x002e0000) == 0)
        return;   /* no condition tested: a no-op */
    if (s->sist1 & SIST1_STO) {
        stop(s);
        return;
    }
    bool jmp = insn & (1u << 19), cond = jmp;
    if (cond == jmp && (insn & (1u << 21)))
        cond = s->carry;
    if (cond == jmp && (insn & (1u << 17)))
        cond = phase(s) == (int)((insn >> 24) & 7);
    if (cond == jmp && (insn & (1u << 18))) {
        uint8_t mask = (uint8_t)(~insn >> 8);
        cond = (s->sfbr & mask) == (insn & mask);
    }
    if (cond != jmp)
        return;
    if (insn & (1u << 23))
        addr = s->dsp + (uint32_t)((int32_t)(addr << 8) >> 8);
    switch ((insn >> 27) & 7) {
    case 0: s->adder = addr; s->dsp = addr; break;    /* JUMP */
    case 1: s->temp = s->dsp; s->dsp = addr; break;   /* CALL */
    case 2: s->dsp = s->temp; break;                  /* RETURN */
    case 3:                                           /* INT, INTFLY */
        if (insn & (1u << 20)) {
            s->istat |= ISTAT_INTF;
            update_irq(s);
        } else {
            dma_interrupt(s, DSTAT_SIR);
        }
        break;
    default:
        dma_interrupt(s, DSTAT_IID);
        break;
    }
}

static void memory_insn(lsi *s, uint32_t insn, uint32_t addr)
{
    if (!(insn & (1u << 29))) {   /* MEMORY MOVE: count bytes from addr to the next dword */
        uint32_t dest = read_dword(s, s->dsp), n = insn & 0xffffff;
        s->dsp += 4;
        uint8_t tmp[512];
        while (n) {
            uint32_t k = n < sizeof tmp ? n : sizeof tmp;
            if (!dma_read(s, addr, tmp, k) || !dma_write(s, dest, tmp, k)) {
                emu_log(&s->dev, EMU_LOG_GUEST, "memory move 0x%08" PRIx32 " -> 0x%08" PRIx32
                        " reaches nothing", addr, dest);
                dma_interrupt(s, DSTAT_IID);
                return;
            }
            addr += k, dest += k, n -= k;
        }
        return;
    }
    /* LOAD / STORE of 1-4 register bytes, DSA-relative with bit 28 */
    if (insn & (1u << 28))
        addr = s->dsa + (uint32_t)((int32_t)(addr << 8) >> 8);
    unsigned n = insn & 7, reg = (insn >> 16) & 0xff;
    if (n == 0 || n > 4) {
        dma_interrupt(s, DSTAT_IID);
        return;
    }
    uint8_t b[4] = { 0 };
    if (insn & (1u << 24)) {
        dma_read(s, addr, b, n);
        for (unsigned i = 0; i < n; i++)
            reg_write(s, reg + i, b[i]);
    } else {
        for (unsigned i = 0; i < n; i++)
            b[i] = reg_read(s, reg + i);
        dma_write(s, addr, b, n);
    }
}

static void run_script(lsi *s)
{
    s->running = true;
    for (unsigned done = 0; s->running; done++) {
        if (done == INSNS_PER_SLICE) {   /* a long script goes on later, the CPU runs meanwhile */
            emu_timer_arm(s->slice, emu_clock_ns(s->dev.machine) + 1000);
            return;
        }
        uint32_t insn = read_dword(s, s->dsp);
        if (!insn) {   /* an empty slot: one dword further */
            s->dsp += 4;
            continue;
        }
        uint32_t addr = read_dword(s, s->dsp + 4);
        s->dsps = addr;
        s->dcmd = (uint8_t)(insn >> 24);
        s->dsp += 8;
        switch (insn >> 30) {
        case 0: block_move(s, insn, addr); break;
        case 1:
            if (((insn >> 27) & 7) < 5)
                io_insn(s, insn, addr);
            else
                rw_register(s, insn);
            break;
        case 2: transfer_control(s, insn, addr); break;
        default: memory_insn(s, insn, addr); break;
        }
        if (s->running && (s->dcntl & DCNTL_SSM))
            dma_interrupt(s, DSTAT_SSI);   /* single step */
    }
}

static void slice_fire(void *opaque)
{
    lsi *s = opaque;
    if (s->running)
        run_script(s);
}

/* ---- registers ---- */

static uint8_t byte_of(uint32_t v, unsigned i)
{
    return (uint8_t)(v >> (8 * i));
}

static void set_byte(uint32_t *v, unsigned i, uint8_t b)
{
    *v = (*v & ~(0xffu << (8 * i))) | (uint32_t)b << (8 * i);
}

static void chip_reset(lsi *s)
{
    stop(s);
    s->scntl0 = 0xc0;
    s->scntl1 = s->scntl2 = s->scntl3 = s->sxfer = s->sdid = s->socl = s->ssid = s->sbcl = 0;
    s->scid = 7;
    s->dstat = s->sstat0 = s->sstat1 = s->istat = 0;
    s->ctest2 = 0x01;   /* DACK */
    s->ctest3 = s->ctest4 = s->ctest5 = s->dfifo = 0;
    s->dcmd = 0x40;
    s->dmode = s->dien = s->sbr = s->dcntl = s->sien0 = s->sien1 = s->sist0 = s->sist1 = 0;
    s->stime0 = s->stime1 = s->respid = s->stest1 = s->stest2 = s->stest3 = s->sidl = s->sfbr = 0;
    s->dsa = s->temp = s->dbc = s->dnad = s->dsp = s->dsps = s->scratcha = s->scratchb = 0;
    s->adder = 0;
    s->carry = false;
    s->msg_len = 0;
    s->msg_to = MSG_TO_COMMAND;
    s->avail = s->pos = 0;
    s->deferred = -1;
    bus_free(s);
    update_irq(s);
}

static uint8_t reg_read(lsi *s, unsigned r)
{
    uint8_t v;
    switch (r) {
    case 0x00: return s->scntl0;
    case 0x01: return s->scntl1;
    case 0x02: return s->scntl2;
    case 0x03: return s->scntl3;
    case 0x04: return s->scid;
    case 0x05: return s->sxfer;
    case 0x06: return s->sdid;
    case 0x07: return 0x7f;   /* GPREG: pins high */
    case 0x08: return s->sfbr;
    case 0x09: return s->socl;
    case 0x0a: return s->ssid;
    case 0x0b: return s->sbcl;
    case 0x0c:   /* DSTAT: reading clears it (unless INTF waits) */
        v = s->dstat | DSTAT_DFE;
        if (!(s->istat & ISTAT_INTF))
            s->dstat = 0;
        update_irq(s);
        return v;
    case 0x0d: return s->sstat0;
    case 0x0e: return s->sstat1;
    case 0x0f: return s->scntl1 & SCNTL1_CON ? 0 : 2;
    case 0x10: case 0x11: case 0x12: case 0x13: return byte_of(s->dsa, r - 0x10);
    case 0x14: return s->istat;
    case 0x18: return 0xff;   /* CTEST0 */
    case 0x19: return 0;
    case 0x1a:
        v = s->ctest2 | 0x01 | 0x08;   /* DACK, CM */
        if (s->istat & ISTAT_SIGP) {
            s->istat &= (uint8_t)~ISTAT_SIGP;
            v |= 0x40;
        }
        return v;
    case 0x1b: return s->ctest3;
    case 0x1c: case 0x1d: case 0x1e: case 0x1f: return byte_of(s->temp, r - 0x1c);
    case 0x20: return s->dfifo;
    case 0x21: return s->ctest4;
    case 0x22: return s->ctest5;
    case 0x23: return 0;
    case 0x24: case 0x25: case 0x26: return byte_of(s->dbc, r - 0x24);
    case 0x27: return s->dcmd;
    case 0x28: case 0x29: case 0x2a: case 0x2b: return byte_of(s->dnad, r - 0x28);
    case 0x2c: case 0x2d: case 0x2e: case 0x2f: return byte_of(s->dsp, r - 0x2c);
    case 0x30: case 0x31: case 0x32: case 0x33: return byte_of(s->dsps, r - 0x30);
    case 0x34: case 0x35: case 0x36: case 0x37: return byte_of(s->scratcha, r - 0x34);
    case 0x38: return s->dmode;
    case 0x39: return s->dien;
    case 0x3a: return s->sbr;
    case 0x3b: return s->dcntl;
    case 0x3c: case 0x3d: case 0x3e: case 0x3f: return byte_of(s->adder, r - 0x3c);
    case 0x40: return s->sien0;
    case 0x41: return s->sien1;
    case 0x42: v = s->sist0; s->sist0 = 0; update_irq(s); return v;
    case 0x43: v = s->sist1; s->sist1 = 0; update_irq(s); return v;
    case 0x46: return 0x0f;   /* MACNTL */
    case 0x47: return s->gpcntl;
    case 0x48: return s->stime0;
    case 0x49: return s->stime1;
    case 0x4a: return s->respid;
    case 0x4d: return s->stest1;
    case 0x4e: return s->stest2;
    case 0x4f: return s->stest3;
    case 0x50: return s->sidl;
    case 0x58: return phase(s) == PH_MI && s->msg_len ? s->msg[0] : 0;   /* SBDL */
    case 0x5c: case 0x5d: case 0x5e: case 0x5f: return byte_of(s->scratchb, r - 0x5c);
    default:
        emu_log(&s->dev, EMU_LOG_UNIMP, "read of register 0x%02x answers 0", r);
        return 0;
    }
}

static void reg_write(lsi *s, unsigned r, uint8_t v)
{
    switch (r) {
    case 0x00: s->scntl0 = v; break;
    case 0x01:
        s->scntl1 = (uint8_t)((v & ~SCNTL1_CON) | (s->scntl1 & SCNTL1_CON));
        if (v & SCNTL1_RST) {   /* SCSI bus reset */
            for (unsigned i = 0; i < NTARGETS; i++)
                if (s->tgt[i].present)
                    scsi_target_reset(&s->tgt[i]);
            s->deferred = -1;
            bus_free(s);
            s->scntl1 = v;
            scsi_interrupt(s, SIST0_RST, 0);
        }
        break;
    case 0x02: s->scntl2 = v & 0xf3; break;
    case 0x03: s->scntl3 = v; break;
    case 0x04: s->scid = v; break;
    case 0x05: s->sxfer = v; break;
    case 0x06: s->sdid = v & 0x0f; break;
    case 0x07: break;
    case 0x08: s->sfbr = v; break;
    case 0x09: s->socl = v; break;
    case 0x0a: case 0x0b: case 0x0c: case 0x0d: case 0x0e: case 0x0f: break;   /* read-only */
    case 0x10: case 0x11: case 0x12: case 0x13: set_byte(&s->dsa, r - 0x10, v); break;
    case 0x14:
        s->istat = (uint8_t)((s->istat & 0x0f) | (v & 0xf0));
        if (v & ISTAT_ABRT)
            dma_interrupt(s, DSTAT_ABRT);
        if (v & ISTAT_INTF) {
            s->istat &= (uint8_t)~ISTAT_INTF;
            update_irq(s);
        }
        if (v & ISTAT_SRST)
            chip_reset(s);
        break;
    case 0x18: case 0x19: case 0x1a: case 0x20: case 0x23: break;
    case 0x1b: s->ctest3 = v & 0x0f; break;
    case 0x1c: case 0x1d: case 0x1e: case 0x1f: set_byte(&s->temp, r - 0x1c, v); break;
    case 0x21: s->ctest4 = v; break;
    case 0x22: s->ctest5 = v; break;
    case 0x24: case 0x25: case 0x26: set_byte(&s->dbc, r - 0x24, v); break;
    case 0x27: s->dcmd = v; break;
    case 0x28: case 0x29: case 0x2a: case 0x2b: set_byte(&s->dnad, r - 0x28, v); break;
    case 0x2c: case 0x2d: case 0x2e: case 0x2f:
        set_byte(&s->dsp, r - 0x2c, v);
        /* Writing DSP's last byte starts the script (unless manual start mode). */
        if (r == 0x2f && !(s->dmode & DMODE_MAN) && !s->running)
            run_script(s);
        break;
    case 0x30: case 0x31: case 0x32: case 0x33: set_byte(&s->dsps, r - 0x30, v); break;
    case 0x34: case 0x35: case 0x36: case 0x37: set_byte(&s->scratcha, r - 0x34, v); break;
    case 0x38: s->dmode = v; break;
    case 0x39: s->dien = v; update_irq(s); break;
    case 0x3a: s->sbr = v; break;
    case 0x3b:
        s->dcntl = v & (uint8_t)~(0x40 | DCNTL_STD);
        if ((v & DCNTL_STD) && !s->running)
            run_script(s);
        break;
    case 0x40: s->sien0 = v; update_irq(s); break;
    case 0x41: s->sien1 = v; update_irq(s); break;
    case 0x42: case 0x43: break;   /* SIST: read-only */
    case 0x47: s->gpcntl = v; break;
    case 0x48: s->stime0 = v; break;
    case 0x49: s->stime1 = v; break;
    case 0x4a: s->respid = v; break;
    case 0x4d: s->stest1 = v; break;
    case 0x4e: s->stest2 = v; break;
    case 0x4f: s->stest3 = v; break;
    case 0x5c: case 0x5d: case 0x5e: case 0x5f: set_byte(&s->scratchb, r - 0x5c, v); break;
    default:
        emu_log(&s->dev, EMU_LOG_UNIMP, "write of 0x%02x to register 0x%02x ignored", v, r);
        break;
    }
}

static uint64_t regs_read(void *opaque, uint64_t off, unsigned size)
{
    lsi *s = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)reg_read(s, (unsigned)((off + i) & 0x7f)) << (8 * i);
    return v;
}

static void regs_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    lsi *s = opaque;
    for (unsigned i = 0; i < size; i++)
        reg_write(s, (unsigned)((off + i) & 0x7f), (uint8_t)(value >> (8 * i)));
}

static const emu_mmio_ops regs_ops = {
    .struct_size = sizeof(emu_mmio_ops), .read = regs_read, .write = regs_write,
    .endian = EMU_LITTLE_ENDIAN, .valid_min = 1, .valid_max = 4,
};

/* ---- lifecycle ---- */

static int lsi_realize(emu_device *dev, emu_error **err)
{
    lsi *s = (lsi *)dev;
    if (!(s->pci = emu_pci_bus(s->bus))) {
        emu_error_set(err, "bus: '%s' is not a PCI bus", s->bus->id);
        return -1;
    }
    for (unsigned i = 0; i < NTARGETS; i++) {
        if (s->blk[i] && s->media[i] == 0) {
            emu_error_set(err, "scsi%u: an image for a target whose scsi%u-media is none", i, i);
            return -1;
        }
        if (s->media[i] == 1 && !s->blk[i]) {
            emu_error_set(err, "scsi%u-media: a disk needs an image (scsi%u)", i, i);
            return -1;
        }
        if (s->media[i])
            scsi_target_init(&s->tgt[i], i, s->blk[i], s->media[i] == 2, dev);
    }
    if (!(s->buf = malloc(DATA_CHUNK))) {
        emu_error_set(err, "out of memory");
        return -1;
    }
    if (!(s->fn = s->pci->attach(s->bus, dev, (int)s->devfn, NULL, s, err)))
        return -1;
    uint8_t *cfg = s->pci->config(s->fn);
    emu_pci_set_word(cfg + EMU_PCI_VENDOR_ID, 0x1000);   /* LSI Logic */
    emu_pci_set_word(cfg + EMU_PCI_DEVICE_ID, 0x0001);   /* 53C810 */
    emu_pci_set_word(cfg + EMU_PCI_CLASS_DEVICE, 0x0100);   /* SCSI */
    emu_pci_set_word(cfg + EMU_PCI_SUBSYSTEM_ID, 0x1000);
    cfg[EMU_PCI_LATENCY_TIMER] = 0xff;
    cfg[EMU_PCI_INTERRUPT_PIN] = 1;
    emu_region *io = emu_device_mmio(dev, "io", 256, &regs_ops, s);
    emu_region *mmio = emu_device_mmio(dev, "mmio", 1024, &regs_ops, s);
    emu_region *ram = emu_device_ram(dev, "ram", 0x2000);
    if (!io || !mmio || !ram ||
        s->pci->bar(s->fn, 0, EMU_PCI_BAR_IO, 256, io, err) < 0 ||
        s->pci->bar(s->fn, 1, EMU_PCI_BAR_MEM32, 1024, mmio, err) < 0 ||
        s->pci->bar(s->fn, 2, EMU_PCI_BAR_MEM32, 0x2000, ram, err) < 0) {
        if (err && !*err)
            emu_error_set(err, "cannot create the controller's regions");
        return -1;
    }
    s->irq = emu_device_output(dev, "irq", 0);
    s->slice = emu_timer_new(dev->machine, slice_fire, s);
    return 0;
}

static void lsi_reset(emu_device *dev)
{
    lsi *s = (lsi *)dev;
    chip_reset(s);
    for (unsigned i = 0; i < NTARGETS; i++)
        if (s->tgt[i].present)
            scsi_target_reset(&s->tgt[i]);
}

static void lsi_destroy(emu_device *dev)
{
    lsi *s = (lsi *)dev;
    if (s->slice)
        emu_timer_free(s->slice);
    free(s->buf);
}

/* ---- snapshots: registers, the SCSI bus and the command in progress, targets' sense,
   SCRIPTS RAM ---- */

#define REG8_COUNT 40
#define REG32_COUNT 9

static void reg8_ptrs(lsi *s, uint8_t *p[REG8_COUNT])
{
    uint8_t *q[REG8_COUNT] = {
        &s->scntl0, &s->scntl1, &s->scntl2, &s->scntl3, &s->scid, &s->sxfer, &s->sdid, &s->socl,
        &s->ssid, &s->sbcl, &s->dstat, &s->sstat0, &s->sstat1, &s->istat, &s->ctest2, &s->ctest3,
        &s->ctest4, &s->ctest5, &s->dfifo, &s->dcmd, &s->dmode, &s->dien, &s->sbr, &s->dcntl,
        &s->sien0, &s->sien1, &s->sist0, &s->sist1, &s->stime0, &s->stime1, &s->respid,
        &s->stest1, &s->stest2, &s->stest3, &s->sidl, &s->sfbr, &s->gpreg, &s->gpcntl,
        &s->status, &s->cmd.status,
    };
    memcpy(p, q, sizeof q);
}

static void reg32_ptrs(lsi *s, uint32_t *p[REG32_COUNT])
{
    uint32_t *q[REG32_COUNT] = { &s->dsa, &s->temp, &s->dbc, &s->dnad, &s->dsp, &s->dsps,
                                 &s->scratcha, &s->scratchb, &s->adder };
    memcpy(p, q, sizeof q);
}

static unsigned present_targets(const lsi *s)
{
    unsigned mask = 0;
    for (unsigned i = 0; i < NTARGETS; i++)
        if (s->tgt[i].present)
            mask |= 1u << i;
    return mask;
}

static int lsi_save(emu_device *dev, emu_state_writer *w)
{
    lsi *s = (lsi *)dev;
    uint8_t *r8[REG8_COUNT], regs[REG8_COUNT];
    uint32_t *r32[REG32_COUNT];
    uint64_t words[REG32_COUNT];
    reg8_ptrs(s, r8);
    reg32_ptrs(s, r32);
    for (unsigned i = 0; i < REG8_COUNT; i++)
        regs[i] = *r8[i];
    for (unsigned i = 0; i < REG32_COUNT; i++)
        words[i] = *r32[i];
    emu_state_put_bytes(w, "registers", regs, sizeof regs);
    emu_state_put_bytes(w, "words", words, sizeof words);
    emu_state_put_u64(w, "carry", s->carry);
    emu_state_put_u64(w, "script-ns-left", s->running ? state_timer_left(dev, s->slice) : 0);
    emu_state_put_u64(w, "targets", present_targets(s));
    emu_state_put_u64(w, "connected", (uint64_t)(s->target + 1));
    emu_state_put_u64(w, "deferred", (uint64_t)(s->deferred + 1));
    emu_state_put_bytes(w, "message", s->msg, sizeof s->msg);
    emu_state_put_u64(w, "message-length", s->msg_len);
    emu_state_put_u64(w, "after-message", (uint64_t)s->msg_to);
    emu_state_put_u64(w, "data-length", s->avail);
    emu_state_put_bytes(w, "data", s->buf, s->avail);
    emu_state_put_u64(w, "data-position", s->pos);
    emu_state_put_u64(w, "data-out", s->data_out);
    emu_state_put_bytes(w, "reply", s->cmd.reply, sizeof s->cmd.reply);
    emu_state_put_u64(w, "reply-length", s->cmd.reply_len);
    emu_state_put_u64(w, "medium", (uint64_t)s->cmd.medium | (uint64_t)s->cmd.write << 1);
    emu_state_put_u64(w, "lba", s->cmd.lba);
    emu_state_put_u64(w, "blocks", s->cmd.blocks);
    for (unsigned i = 0; i < NTARGETS; i++) {
        const scsi_target *t = &s->tgt[i];
        if (!t->present)
            continue;
        char name[32];
        snprintf(name, sizeof name, "target%u.sense", i);
        emu_state_put_u64(w, name, (uint64_t)t->sense_key | (uint64_t)t->asc << 8 |
                                   (uint64_t)t->ascq << 16 | (uint64_t)t->unit_attention << 24);
    }
    emu_state_put_bytes(w, "scripts-ram", emu_region_ram_ptr(emu_device_region(dev, "ram")),
                        0x2000);
    return 0;
}

/* Everything read and checked before any of it replaces the chip's state. */
typedef struct lsi_saved {
    uint8_t regs[REG8_COUNT];
    uint64_t words[REG32_COUNT];
    uint64_t carry, left, targets, connected, deferred, msg_len, msg_to, avail, pos, data_out;
    uint64_t reply_len, medium, lba, blocks, sense[NTARGETS];
    uint8_t msg[8];
    uint8_t reply[SCSI_REPLY_MAX];
    uint8_t ram[0x2000];
} lsi_saved;

static const char *saved_problem(const lsi *s, const lsi_saved *v)
{
    if (v->connected && !(v->targets & (1u << (v->connected - 1))))
        return "connected to a target that is not there";
    if (v->deferred && !(v->targets & (1u << (v->deferred - 1))))
        return "a target that is not there waits to reselect";
    for (unsigned i = 0; i < REG32_COUNT; i++)
        if (v->words[i] > UINT32_MAX)
            return "a 32-bit register holds more than 32 bits";
    if (v->words[2] > 0xffffff)
        return "DBC holds more than 24 bits";
    if ((v->regs[2] & ~0xf3) || v->regs[6] > 0x0f || v->regs[15] > 0x0f ||
        (v->regs[23] & (0x40 | DCNTL_STD)))
        return "a register holds bits the chip never keeps";
    if (v->pos > v->avail)
        return "the data position is past the staged data";
    if (v->medium & 1) {
        if (!v->connected && !v->deferred)
            return "a medium transfer is in progress with no target";
        unsigned id = (unsigned)(v->connected ? v->connected : v->deferred) - 1;
        if (v->avail % s->tgt[id].block_size)
            return "the staged medium data is not a whole number of blocks";
    }
    return NULL;
}

static int lsi_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    lsi *s = (lsi *)dev;
    lsi_saved *v = calloc(1, sizeof *v);
    uint8_t *data = NULL;
    if (!v) {
        emu_error_set(err, "out of memory");
        return -1;
    }
    if (state_get_bytes(r, dev, "registers", v->regs, sizeof v->regs, err) < 0 ||
        state_get_bytes(r, dev, "words", v->words, sizeof v->words, err) < 0 ||
        state_get(r, dev, "carry", 1, &v->carry, err) < 0 ||
        state_get(r, dev, "script-ns-left", 1000, &v->left, err) < 0 ||
        state_get(r, dev, "targets", (1u << NTARGETS) - 1, &v->targets, err) < 0 ||
        state_get(r, dev, "connected", NTARGETS, &v->connected, err) < 0 ||
        state_get(r, dev, "deferred", NTARGETS, &v->deferred, err) < 0 ||
        state_get_bytes(r, dev, "message", v->msg, sizeof v->msg, err) < 0 ||
        state_get(r, dev, "message-length", sizeof v->msg, &v->msg_len, err) < 0 ||
        state_get(r, dev, "after-message", MSG_TO_DATA, &v->msg_to, err) < 0 ||
        state_get(r, dev, "data-length", DATA_CHUNK, &v->avail, err) < 0)
        goto refused;
    if (v->targets != present_targets(s)) {   /* the per-target records depend on it */
        emu_error_set(err, "lsi53c810 state: the snapshot's SCSI targets (mask 0x%02x) are not "
                      "this controller's (0x%02x)", (unsigned)v->targets, present_targets(s));
        goto refused;
    }
    if (!(data = malloc(v->avail ? v->avail : 1))) {
        emu_error_set(err, "out of memory");
        goto refused;
    }
    if (state_get_bytes(r, dev, "data", data, v->avail, err) < 0 ||
        state_get(r, dev, "data-position", DATA_CHUNK, &v->pos, err) < 0 ||
        state_get(r, dev, "data-out", 1, &v->data_out, err) < 0 ||
        state_get_bytes(r, dev, "reply", v->reply, sizeof v->reply, err) < 0 ||
        state_get(r, dev, "reply-length", SCSI_REPLY_MAX, &v->reply_len, err) < 0 ||
        state_get(r, dev, "medium", 3, &v->medium, err) < 0 ||
        state_get(r, dev, "lba", UINT64_MAX, &v->lba, err) < 0 ||
        state_get(r, dev, "blocks", UINT32_MAX, &v->blocks, err) < 0)
        goto refused;
    for (unsigned i = 0; i < NTARGETS; i++) {
        if (!s->tgt[i].present)
            continue;
        char name[32];
        snprintf(name, sizeof name, "target%u.sense", i);
        if (state_get(r, dev, name, 0x1ffffff, &v->sense[i], err) < 0)
            goto refused;
    }
    if (state_get_bytes(r, dev, "scripts-ram", v->ram, sizeof v->ram, err) < 0)
        goto refused;
    const char *problem = saved_problem(s, v);
    if (problem) {
        emu_error_set(err, "lsi53c810 state: %s", problem);
        goto refused;
    }

    uint8_t *r8[REG8_COUNT];
    uint32_t *r32[REG32_COUNT];
    reg8_ptrs(s, r8);
    reg32_ptrs(s, r32);
    for (unsigned i = 0; i < REG8_COUNT; i++)
        *r8[i] = v->regs[i];
    for (unsigned i = 0; i < REG32_COUNT; i++)
        *r32[i] = (uint32_t)v->words[i];
    s->carry = v->carry != 0;
    s->target = (int)v->connected - 1;
    s->deferred = (int)v->deferred - 1;
    memcpy(s->msg, v->msg, sizeof s->msg);
    s->msg_len = (unsigned)v->msg_len;
    s->msg_to = (int)v->msg_to;
    memcpy(s->buf, data, v->avail);
    s->avail = (uint32_t)v->avail;
    s->pos = (uint32_t)v->pos;
    s->data_out = v->data_out != 0;
    memcpy(s->cmd.reply, v->reply, sizeof v->reply);
    s->cmd.reply_len = (uint32_t)v->reply_len;
    s->cmd.medium = v->medium & 1;
    s->cmd.write = (v->medium >> 1) & 1;
    s->cmd.lba = v->lba;
    s->cmd.blocks = (uint32_t)v->blocks;
    for (unsigned i = 0; i < NTARGETS; i++) {
        scsi_target *t = &s->tgt[i];
        if (!t->present)
            continue;
        t->sense_key = (uint8_t)v->sense[i];
        t->asc = (uint8_t)(v->sense[i] >> 8);
        t->ascq = (uint8_t)(v->sense[i] >> 16);
        t->unit_attention = (v->sense[i] >> 24) & 1;
    }
    memcpy(emu_region_ram_ptr(emu_device_region(dev, "ram")), v->ram, sizeof v->ram);
    stop(s);
    if (v->left) {
        s->running = true;
        emu_timer_arm(s->slice, emu_clock_ns(dev->machine) + v->left);
    }
    update_irq(s);
    free(data);
    free(v);
    return 0;
refused:
    free(data);
    free(v);
    return -1;
}

static const emu_type lsi_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "lsi53c810",
    .summary = "LSI 53C810 PCI SCSI controller with SCRIPTS, disks and CD-ROM drives",
    .instance_size = sizeof(lsi),
    .props = lsi_props,
    .regions = lsi_regions,
    .outputs = lsi_outputs,
    .realize = lsi_realize,
    .reset = lsi_reset,
    .destroy = lsi_destroy,
    .save = lsi_save,
    .load = lsi_load,
};

static const emu_type *const lsi_types[] = { &lsi_type, NULL };

EMU_PLUGIN(lsi53c810) = {
    EMU_PLUGIN_HEADER, "lsi53c810", "1.0", "LSI 53C810 SCSI controller", lsi_types,
};
