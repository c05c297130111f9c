/* ns16550: the 16550A UART — 16-byte receive FIFO, interrupts by priority, loopback, modem lines.
 *
 * Registers (one byte each, at offset N << regshift):
 *   0 RBR (read) / THR (write); DLL when LCR.DLAB
 *   1 IER; DLM when LCR.DLAB
 *   2 IIR (read) / FCR (write)
 *   3 LCR   4 MCR   5 LSR   6 MSR   7 SCR
 *
 * Transmission is immediate (not timed by the bit rate): a byte written to
 * THR goes to the chardev at once (or, in loopback mode, into the receive
 * FIFO), so THRE and TEMT read as set again right after the write and the
 * THRE interrupt is pending again, after the irq line dropped for the write.  Received bytes come from the chardev only as fast as the FIFO has
 * room, so host input is never lost; only loopback can overrun.  The
 * character timeout interrupt fires four character times (from LCR and
 * the divisor) after the last byte moved in or out of a non-empty FIFO.
 * Outside loopback the modem inputs read as connected: CTS, DSR and DCD
 * high, RI low.  Nothing corrupts a byte on the way, so parity, framing
 * and break errors never arise (LSR bits 2-4 and 7 stay 0); overrun does.
 */
#include <emu/emu.h>
#include <inttypes.h>
#include "state-fields.h"

#define NS_PER_S 1000000000ull
#define FIFO_SIZE 16

enum { REG_RBR, REG_IER, REG_IIR, REG_LCR, REG_MCR, REG_LSR, REG_MSR, REG_SCR };

#define IER_RDI   0x01   /* received data available (and character timeout) */
#define IER_THRI  0x02   /* transmitter holding register empty */
#define IER_RLSI  0x04   /* receiver line status */
#define IER_MSI   0x08   /* modem status */

#define IIR_NO_INT 0x01
#define IIR_MSI    0x00
#define IIR_THRI   0x02
#define IIR_RDI    0x04
#define IIR_RLSI   0x06
#define IIR_CTI    0x0c
#define IIR_FIFO   0xc0   /* both bits set while the FIFOs are enabled */

#define FCR_ENABLE     0x01
#define FCR_CLEAR_RX   0x02
#define FCR_CLEAR_TX   0x04
#define FCR_KEPT       0xc9   /* enable, DMA mode, trigger level */

#define LCR_DLAB 0x80

#define MCR_DTR  0x01
#define MCR_RTS  0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR     0x01
#define LSR_OE     0x02
#define LSR_PE     0x04
#define LSR_FE     0x08
#define LSR_BI     0x10
#define LSR_THRE   0x20
#define LSR_TEMT   0x40
#define LSR_ERRORS (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

#define MSR_DCTS  0x01
#define MSR_DDSR  0x02
#define MSR_TERI  0x04
#define MSR_DDCD  0x08
#define MSR_CTS   0x10
#define MSR_DSR   0x20
#define MSR_RI    0x40
#define MSR_DCD   0x80
#define MSR_DELTAS 0x0f
/* What the modem inputs read outside loopback: a connected terminal. */
#define MSR_CONNECTED (MSR_DCD | MSR_DSR | MSR_CTS)

typedef struct uart {
    emu_device dev;

    /* properties */
    emu_chardev *chr;
    int64_t clock_hz;
    int64_t regshift;

    emu_line *irq;
    emu_timer *timeout_timer;
    bool attached;                /* we are the chardev's input client */

    /* guest-visible state */
    uint8_t ier, fcr, lcr, mcr, lsr, msr, scr;
    uint16_t divisor;
    uint8_t rx[FIFO_SIZE];
    unsigned rx_head, rx_count;
    uint8_t rbr;                  /* the byte last moved out of the receiver */
    bool thr_ipending;            /* THRE interrupt pending (cleared by reading IIR) */
    bool timeout_ipending;        /* character timeout pending */
} uart;

static bool fifo_enabled(const uart *u)
{
    return u->fcr & FCR_ENABLE;
}

static unsigned rx_capacity(const uart *u)
{
    return fifo_enabled(u) ? FIFO_SIZE : 1;
}

static unsigned rx_trigger(const uart *u)
{
    static const unsigned levels[4] = { 1, 4, 8, 14 };
    return levels[u->fcr >> 6];
}

/* Four character times: bits per frame from LCR, bit rate from the divisor. */
static uint64_t timeout_ns(const uart *u)
{
    unsigned data = 5 + (u->lcr & 3);
    unsigned half_bits = 2 * (1 + data + ((u->lcr & 0x08) ? 1 : 0));
    half_bits += (u->lcr & 0x04) ? (data == 5 ? 3 : 4) : 2;   /* 1, 1.5 or 2 stop bits */
    uint64_t divisor = u->divisor ? u->divisor : 0x10000;
    return 4 * (uint64_t)half_bits * NS_PER_S / 2 * 16 * divisor / (uint64_t)u->clock_hz;
}

/* The interrupt to report, highest priority first (as IIR's low nibble). */
static uint8_t pending_interrupt(const uart *u)
{
    if ((u->ier & IER_RLSI) && (u->lsr & LSR_ERRORS))
        return IIR_RLSI;
    if ((u->ier & IER_RDI) && u->timeout_ipending)
        return IIR_CTI;
    if ((u->ier & IER_RDI) && u->rx_count &&
        (!fifo_enabled(u) || u->rx_count >= rx_trigger(u)))
        return IIR_RDI;
    if ((u->ier & IER_THRI) && u->thr_ipending)
        return IIR_THRI;
    if ((u->ier & IER_MSI) && (u->msr & MSR_DELTAS))
        return IIR_MSI;
    return IIR_NO_INT;
}

static void update_irq(uart *u)
{
    emu_line_set(u->irq, pending_interrupt(u) != IIR_NO_INT);
}

static void restart_timeout(uart *u)
{
    u->timeout_ipending = false;
    if (fifo_enabled(u) && u->rx_count)
        emu_timer_arm(u->timeout_timer, emu_clock_ns(u->dev.machine) + timeout_ns(u));
    else
        emu_timer_cancel(u->timeout_timer);
}

static void timeout_expired(void *opaque)
{
    uart *u = opaque;
    if (fifo_enabled(u) && u->rx_count) {
        u->timeout_ipending = true;
        update_irq(u);
    }
}

static void clear_rx(uart *u)
{
    u->rx_head = u->rx_count = 0;
    u->lsr &= ~(LSR_DR | LSR_BI);
    u->timeout_ipending = false;
    emu_timer_cancel(u->timeout_timer);
}

/* A byte arrives at the receiver (from the chardev or looped back). */
static void rx_push(uart *u, uint8_t byte)
{
    if (u->rx_count == rx_capacity(u)) {
        u->lsr |= LSR_OE;
        if (fifo_enabled(u)) {
            /* The shift register's byte is lost; the FIFO keeps its contents. */
            emu_log(&u->dev, EMU_LOG_GUEST, "receive FIFO overrun");
        } else {
            /* 16450 mode: the unread byte is overwritten. */
            u->rx[u->rx_head] = byte;
        }
    } else {
        u->rx[(u->rx_head + u->rx_count) % FIFO_SIZE] = byte;
        u->rx_count++;
    }
    u->lsr |= LSR_DR;
    restart_timeout(u);
}

/* Modem inputs as the chip sees them: from MCR in loopback, else a connected terminal. */
static void update_modem_inputs(uart *u)
{
    uint8_t in = MSR_CONNECTED;
    if (u->mcr & MCR_LOOP) {
        in = ((u->mcr & MCR_RTS) ? MSR_CTS : 0) | ((u->mcr & MCR_DTR) ? MSR_DSR : 0) |
             ((u->mcr & MCR_OUT1) ? MSR_RI : 0) | ((u->mcr & MCR_OUT2) ? MSR_DCD : 0);
    }
    uint8_t old = u->msr;
    uint8_t changed = (uint8_t)(old ^ in);
    uint8_t deltas = 0;
    if (changed & MSR_CTS)
        deltas |= MSR_DCTS;
    if (changed & MSR_DSR)
        deltas |= MSR_DDSR;
    if (changed & MSR_DCD)
        deltas |= MSR_DDCD;
    if ((old & MSR_RI) && !(in & MSR_RI))
        deltas |= MSR_TERI;   /* trailing edge only */
    u->msr = (uint8_t)(in | (old & MSR_DELTAS) | deltas);
}

/* ---- chardev input ---- */

static size_t uart_can_receive(void *opaque)
{
    uart *u = opaque;
    if (u->mcr & MCR_LOOP)
        return 0;   /* the receiver listens to the transmitter; host input waits */
    return rx_capacity(u) - u->rx_count;
}

static void uart_receive(void *opaque, const uint8_t *buf, size_t len)
{
    uart *u = opaque;
    for (size_t i = 0; i < len; i++)
        rx_push(u, buf[i]);
    update_irq(u);
}

static const emu_chardev_client uart_client = {
    .struct_size = sizeof(emu_chardev_client),
    .can_receive = uart_can_receive,
    .receive = uart_receive,
};

/* ---- registers ---- */

static uint8_t read_rbr(uart *u)
{
    bool had_data = u->rx_count > 0;
    if (had_data) {
        u->rbr = u->rx[u->rx_head];
        u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
        u->rx_count--;
    }
    if (!u->rx_count)
        u->lsr &= ~(LSR_DR | LSR_BI);
    restart_timeout(u);
    update_irq(u);
    if (had_data)
        emu_chardev_accept_input(u->chr);
    return u->rbr;
}

static uint64_t uart_read(void *opaque, uint64_t offset, unsigned size)
{
    uart *u = opaque;
    uint64_t stride = 1ull << u->regshift;
    if (offset & (stride - 1))
        return 0;   /* only the first byte of each register slot decodes */
    uint8_t v;
    switch (offset >> u->regshift) {
    case REG_RBR:
        v = (u->lcr & LCR_DLAB) ? (uint8_t)u->divisor : read_rbr(u);
        break;
    case REG_IER:
        v = (u->lcr & LCR_DLAB) ? (uint8_t)(u->divisor >> 8) : u->ier;
        break;
    case REG_IIR: {
        uint8_t id = pending_interrupt(u);
        if (id == IIR_THRI) {
            u->thr_ipending = false;   /* reading IIR while THRE is the source clears it */
            update_irq(u);
        }
        v = id | (fifo_enabled(u) ? IIR_FIFO : 0);
        break;
    }
    case REG_LCR:
        v = u->lcr;
        break;
    case REG_MCR:
        v = u->mcr;
        break;
    case REG_LSR:
        v = u->lsr;
        u->lsr &= ~LSR_ERRORS;
        update_irq(u);
        break;
    case REG_MSR:
        v = u->msr;
        u->msr &= ~MSR_DELTAS;
        update_irq(u);
        break;
    default:
        v = u->scr;
        break;
    }
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&u->dev, EMU_LOG_TRACE, "read  %" PRIu64 " -> 0x%02x", offset >> u->regshift, v);
    return v;
}

static void write_fcr(uart *u, uint8_t val)
{
    /* Turning the FIFOs on or off empties them. */
    if ((val ^ u->fcr) & FCR_ENABLE)
        val |= FCR_CLEAR_RX | FCR_CLEAR_TX;
    if (val & FCR_CLEAR_RX)
        clear_rx(u);
    if (val & FCR_CLEAR_TX) {
        u->lsr |= LSR_THRE | LSR_TEMT;
        u->thr_ipending = true;
    }
    u->fcr = val & FCR_KEPT;
    if (!(u->fcr & FCR_ENABLE))
        u->fcr = 0;   /* the other bits only take with the enable bit */
}

static void transmit(uart *u, uint8_t byte)
{
    /* Writing THR clears the THRE interrupt; the line drops before the byte
       leaves, so the THRE interrupt that follows is a new edge for an
       edge-triggered PIC even when nothing read IIR in between. */
    u->thr_ipending = false;
    u->lsr &= ~(LSR_THRE | LSR_TEMT);
    update_irq(u);
    if (u->mcr & MCR_LOOP)
        rx_push(u, byte);
    else
        emu_chardev_write(u->chr, &byte, 1);
    /* Sent at once: the holding and shift registers are empty again. */
    u->lsr |= LSR_THRE | LSR_TEMT;
    u->thr_ipending = true;
}

static void uart_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    uart *u = opaque;
    uint64_t stride = 1ull << u->regshift;
    if (offset & (stride - 1))
        return;
    uint8_t v = (uint8_t)value;
    if (emu_log_enabled(EMU_LOG_TRACE))
        emu_log(&u->dev, EMU_LOG_TRACE, "write %" PRIu64 " <- 0x%02x", offset >> u->regshift, v);
    switch (offset >> u->regshift) {
    case REG_RBR:
        if (u->lcr & LCR_DLAB)
            u->divisor = (uint16_t)((u->divisor & 0xff00) | v);
        else
            transmit(u, v);
        break;
    case REG_IER:
        if (u->lcr & LCR_DLAB) {
            u->divisor = (uint16_t)((u->divisor & 0x00ff) | (v << 8));
        } else {
            uint8_t changed = (u->ier ^ v) & 0x0f;
            u->ier = v & 0x0f;
            /* Enabling THRI while THR is empty raises it at once (drivers probe this). */
            if (changed & IER_THRI)
                u->thr_ipending = (u->ier & IER_THRI) && (u->lsr & LSR_THRE);
        }
        break;
    case REG_IIR:
        write_fcr(u, v);
        break;
    case REG_LCR:
        u->lcr = v;
        break;
    case REG_MCR: {
        bool was_loop = u->mcr & MCR_LOOP;
        u->mcr = v & MCR_MASK;
        update_modem_inputs(u);
        if (was_loop && !(u->mcr & MCR_LOOP))
            emu_chardev_accept_input(u->chr);   /* host input may flow again */
        break;
    }
    case REG_LSR:
    case REG_MSR:
        emu_log(&u->dev, EMU_LOG_GUEST, "write 0x%02x to read-only %s ignored", v,
                (offset >> u->regshift) == REG_LSR ? "LSR" : "MSR");
        break;
    default:
        u->scr = v;
        break;
    }
    update_irq(u);
}

static const emu_mmio_ops uart_ops = {
    .struct_size = sizeof(emu_mmio_ops),
    .read = uart_read,
    .write = uart_write,
    .endian = EMU_LITTLE_ENDIAN,
    .impl_min = 1, .impl_max = 1,   /* wider accesses reach consecutive registers, as on the bus */
    .unaligned_ok = true,
};

/* ---- lifecycle ---- */

static void uart_reset(emu_device *dev)
{
    uart *u = (uart *)dev;
    u->ier = u->fcr = u->lcr = u->mcr = u->scr = 0;
    u->lsr = LSR_THRE | LSR_TEMT;
    u->msr = MSR_CONNECTED;
    u->divisor = 12;   /* 9600 bit/s at the usual 1.8432 MHz */
    u->rbr = 0;
    u->thr_ipending = false;
    clear_rx(u);
    update_irq(u);
}

static int uart_realize(emu_device *dev, emu_error **err)
{
    uart *u = (uart *)dev;
    if (!emu_device_mmio(dev, "regs", 8ull << u->regshift, &uart_ops, u)) {
        emu_error_set(err, "cannot create the register region");
        return -1;
    }
    u->irq = emu_device_output(dev, "irq", 0);
    u->timeout_timer = emu_timer_new(dev->machine, timeout_expired, u);
    if (u->chr) {
        emu_chardev_attach(u->chr, &uart_client, u);
        u->attached = true;
    }
    uart_reset(dev);
    return 0;
}

static void uart_destroy(emu_device *dev)
{
    uart *u = (uart *)dev;
    if (u->attached)
        emu_chardev_attach(u->chr, NULL, NULL);
    emu_timer_free(u->timeout_timer);
}

static int uart_save(emu_device *dev, emu_state_writer *w)
{
    uart *u = (uart *)dev;
    emu_state_put_u64(w, "ier", u->ier);
    emu_state_put_u64(w, "fcr", u->fcr);
    emu_state_put_u64(w, "lcr", u->lcr);
    emu_state_put_u64(w, "mcr", u->mcr);
    emu_state_put_u64(w, "lsr", u->lsr);
    emu_state_put_u64(w, "msr", u->msr);
    emu_state_put_u64(w, "scr", u->scr);
    emu_state_put_u64(w, "divisor", u->divisor);
    emu_state_put_bytes(w, "rx", u->rx, sizeof u->rx);
    emu_state_put_u64(w, "rx_head", u->rx_head);
    emu_state_put_u64(w, "rx_count", u->rx_count);
    emu_state_put_u64(w, "rbr", u->rbr);
    emu_state_put_u64(w, "thr_ipending", u->thr_ipending);
    emu_state_put_u64(w, "timeout_ipending", u->timeout_ipending);
    emu_state_put_u64(w, "timeout-ns-left", state_timer_left(dev, u->timeout_timer));
    return 0;
}

/* Every field is checked against what the chip can hold before any of it is taken. */
static int uart_load(emu_device *dev, emu_state_reader *r, emu_error **err)
{
    uart *u = (uart *)dev;
    uart saved = *u;
    uint64_t v[14];
    static const char *const names[14] = {
        "ier", "fcr", "lcr", "mcr", "lsr", "msr", "scr", "divisor",
        "rx_head", "rx_count", "rbr", "thr_ipending", "timeout_ipending", "timeout-ns-left",
    };
    static const uint64_t max[14] = {
        0x0f, 0xff, 0xff, MCR_MASK, 0xff, 0xff, 0xff, 0xffff,
        FIFO_SIZE - 1, FIFO_SIZE, 0xff, 1, 1, UINT64_MAX,
    };
    for (int i = 0; i < 14; i++) {
        if (i == 8 && state_get_bytes(r, dev, "rx", saved.rx, sizeof saved.rx, err) < 0)
            return -1;
        if (state_get(r, dev, names[i], max[i], &v[i], err) < 0)
            return -1;
    }
    if (v[1] & ~(uint64_t)FCR_KEPT) {
        emu_error_set(err, "ns16550 state: fcr 0x%02x has bits the chip does not keep",
                      (unsigned)v[1]);
        return -1;
    }
    if ((v[4] & LSR_THRE) == 0 && (v[4] & LSR_TEMT)) {
        emu_error_set(err, "ns16550 state: lsr says the transmitter is empty but not its "
                      "holding register");
        return -1;
    }
    saved.ier = (uint8_t)v[0];
    saved.fcr = (uint8_t)v[1];
    saved.lcr = (uint8_t)v[2];
    saved.mcr = (uint8_t)v[3];
    saved.lsr = (uint8_t)v[4];
    saved.msr = (uint8_t)v[5];
    saved.scr = (uint8_t)v[6];
    saved.divisor = (uint16_t)v[7];
    saved.rx_head = (unsigned)v[8];
    saved.rx_count = (unsigned)v[9];
    saved.rbr = (uint8_t)v[10];
    saved.thr_ipending = v[11] != 0;
    saved.timeout_ipending = v[12] != 0;
    if (v[13] > timeout_ns(&saved)) {
        emu_error_set(err, "ns16550 state: timeout-ns-left is longer than four character times");
        return -1;
    }
    *u = saved;
    if (v[13])
        emu_timer_arm(u->timeout_timer, emu_clock_ns(dev->machine) + v[13]);
    else
        emu_timer_cancel(u->timeout_timer);
    update_irq(u);
    return 0;
}

static const emu_prop_desc uart_props[] = {
    EMU_PROP_CHARDEV_DEF("chardev", uart, chr,
                         "host side of the serial line (a name under chardevs:); unset: output is dropped"),
    EMU_PROP_INT_DEF("clock-hz", uart, clock_hz, "1843200", 1, 1000000000,
                     "input clock; the bit rate is clock-hz / (16 * divisor)"),
    EMU_PROP_INT_DEF("regshift", uart, regshift, "0", 0, 4,
                     "register N sits at offset N << regshift (0 for ISA, 2 for 32-bit-spaced MMIO)"),
    EMU_PROP_END,
};

static const emu_region_desc uart_regions[] = {
    { "regs", "the 8 registers RBR/THR IER IIR/FCR LCR MCR LSR MSR SCR (DLL/DLM when LCR.DLAB), byte access" },
    { NULL, NULL },
};

static const emu_line_desc uart_outputs[] = {
    { "irq", 1, "interrupt request: high while an enabled interrupt is pending (IIR bit 0 clear)" },
    { NULL, 0, NULL },
};

static const emu_type uart_type = {
    .struct_size = sizeof(emu_type),
    .kind = EMU_KIND_DEVICE,
    .name = "ns16550",
    .summary = "16550A UART with 16-byte FIFOs on a chardev",
    .instance_size = sizeof(uart),
    .props = uart_props,
    .regions = uart_regions,
    .outputs = uart_outputs,
    .realize = uart_realize,
    .reset = uart_reset,
    .destroy = uart_destroy,
    .save = uart_save,
    .load = uart_load,
};

static const emu_type *const types[] = { &uart_type, NULL };

EMU_PLUGIN(ns16550) = {
    EMU_PLUGIN_HEADER, "ns16550", "1.0", "16550A UART", types,
};
