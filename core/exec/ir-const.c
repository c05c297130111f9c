/* Constant addresses: which loads and stores of a block reach memory at an address known when
 * the block is compiled, because every path to them set the address register from constants
 * (lis r10, hi; lwz r9, lo(r10)).  The interpreter gives such accesses a record with the
 * address and its TLB entry resolved, so they neither read the register nor index the TLB.
 *
 * One forward pass over the IR keeps the 32-bit values known at each point: a move of a
 * constant makes its destination known, add/or/... with a known operand and an immediate keep
 * it known, any other write forgets it, a helper that may write guest state forgets all.  A
 * label starts from what every branch to it knew (and the fall-through, when there is one);
 * a label some branch reaches backwards starts from nothing. */
#include <stdlib.h>
#include <string.h>
#include "exec-internal.h"
#include "util.h"

#define KNOWN_MAX 16

typedef struct known {
    unsigned n;
    struct {
        emu_ir_val v;     /* a temporary or a 32-bit state field */
        uint32_t value;
    } e[KNOWN_MAX];
} known;

/* Bytes of guest state a value covers (temporaries: none, they never alias state). */
static void state_range(emu_ir_val v, uint32_t *lo, uint32_t *hi)
{
    if (!(v & EMU_IR_ENV_BIT)) {
        *lo = *hi = 0;
        return;
    }
    *lo = v & 0x0fffffffu;
    *hi = *lo + (((v >> 28) & 3) == EMU_IR_I32 ? 4 : 8);
}

static bool is_i32(const emu_ir_block *b, emu_ir_val v)
{
    if (v & EMU_IR_ENV_BIT)
        return ((v >> 28) & 3) == EMU_IR_I32;
    return v <= IR_MAX_TEMPS && b->temp_type[v] == EMU_IR_I32;
}

static bool lookup(const known *k, emu_ir_val v, uint32_t *value)
{
    for (unsigned i = 0; i < k->n; i++)
        if (k->e[i].v == v) {
            *value = k->e[i].value;
            return true;
        }
    return false;
}

/* Forget v and every state field overlapping it. */
static void forget(known *k, emu_ir_val v)
{
    uint32_t lo, hi;
    state_range(v, &lo, &hi);
    for (unsigned i = 0; i < k->n;) {
        uint32_t l2, h2;
        state_range(k->e[i].v, &l2, &h2);
        if (k->e[i].v == v || (lo < hi && l2 < h2 && l2 < hi && lo < h2))
            k->e[i] = k->e[--k->n];
        else
            i++;
    }
}

static void remember(known *k, emu_ir_val v, uint32_t value)
{
    if (k->n < KNOWN_MAX) {
        k->e[k->n].v = v;
        k->e[k->n].value = value;
        k->n++;
    }
}

/* Keep only what a and b agree on (into a). */
static void meet(known *a, const known *b)
{
    for (unsigned i = 0; i < a->n;) {
        uint32_t v;
        if (lookup(b, a->e[i].v, &v) && v == a->e[i].value)
            i++;
        else
            a->e[i] = a->e[--a->n];
    }
}

static bool fold(unsigned op, uint32_t a, uint32_t c, uint32_t *r)
{
    switch (op) {
    case EMU_IR_ADD: *r = a + c; return true;
    case EMU_IR_SUB: *r = a - c; return true;
    case EMU_IR_AND: *r = a & c; return true;
    case EMU_IR_OR: *r = a | c; return true;
    case EMU_IR_XOR: *r = a ^ c; return true;
    case EMU_IR_SHL: *r = c >= 32 ? 0 : a << c; return true;
    case EMU_IR_SHR: *r = c >= 32 ? 0 : a >> c; return true;
    default: return false;
    }
}

/* The value op o writes to its destination, when known. */
static bool result(const emu_ir_block *b, const known *k, const ir_op *o, uint32_t *r)
{
    uint32_t a, c;
    if (!is_i32(b, o->d))
        return false;
    switch (o->opc) {
    case IR_MOVI:
        *r = (uint32_t)o->imm;
        return true;
    case IR_MOV:
        return is_i32(b, o->a) && lookup(k, o->a, r);
    case IR_BINOP:
        if (o->type != EMU_IR_I32 || !lookup(k, o->a, &a))
            return false;
        if (o->flags & IR_F_IMM)
            c = (uint32_t)o->imm2;
        else if (!lookup(k, o->c, &c))
            return false;
        return fold(o->sub, a, c, r);
    default:
        return false;
    }
}

static bool ends_flow(unsigned opc)
{
    return opc == IR_BR || opc == IR_GOTO_TB || opc == IR_EXIT_INDIRECT || opc == IR_EXIT_LOOP ||
           opc == IR_EXIT_EXCP || opc == IR_EXIT_EXCP_AT;
}

static bool is_branch(unsigned opc)
{
    return opc == IR_BR || opc == IR_BRCOND || opc == IR_BRTEST;
}

void ir_const_addresses(const emu_ir_block *b, bool *has, uint32_t *addr)
{
    unsigned nl = b->nlabels + 1;
    known *at = emu_xcalloc(nl, sizeof *at);      /* what the branches seen so far agree on */
    bool *reached = emu_xcalloc(nl, sizeof *reached);
    bool *backward = emu_xcalloc(nl, sizeof *backward);
    bool *placed = emu_xcalloc(nl, sizeof *placed);
    for (unsigned i = 0; i < b->nops; i++) {
        const ir_op *o = &b->ops[i];
        if (o->opc == IR_LABEL && o->imm < nl)
            placed[o->imm] = true;
        else if (is_branch(o->opc) && o->imm < nl && placed[o->imm])
            backward[o->imm] = true;
    }
    known k = { 0 };
    bool flows = true;    /* the previous op can fall through to this one */
    for (unsigned i = 0; i < b->nops; i++) {
        const ir_op *o = &b->ops[i];
        has[i] = false;
        uint32_t v;
        switch (o->opc) {
        case IR_LABEL:
            if (o->imm >= nl || backward[o->imm]) {
                k.n = 0;
            } else if (!flows) {
                k = at[o->imm];
                if (!reached[o->imm])
                    k.n = 0;
            } else if (reached[o->imm]) {
                meet(&k, &at[o->imm]);
            }
            break;
        case IR_BR: case IR_BRCOND: case IR_BRTEST:
            if (o->imm < nl) {
                if (reached[o->imm])
                    meet(&at[o->imm], &k);
                else
                    at[o->imm] = k;
                reached[o->imm] = true;
            }
            break;
        case IR_LOAD: case IR_STORE:
            if (is_i32(b, o->a) && lookup(&k, o->a, &v)) {
                has[i] = true;
                addr[i] = v + (uint32_t)o->imm;
            }
            if (o->opc == IR_LOAD)
                forget(&k, o->d);
            break;
        case IR_CALL: case IR_CALL_CONST:
            if (o->sub & EMU_HELPER_WRITES_STATE)
                k.n = 0;
            else if (o->d)
                forget(&k, o->d);
            break;
        case IR_MOV: case IR_MOVI: case IR_BINOP: case IR_UNOP: case IR_SETCOND: case IR_SELECT:
        case IR_CMP3: case IR_FOP: case IR_FMA: {
            bool r = result(b, &k, o, &v);
            forget(&k, o->d);
            if (r)
                remember(&k, o->d, v);
            break;
        }
        default:
            break;
        }
        flows = !ends_flow(o->opc);
    }
    free(at);
    free(reached);
    free(backward);
    free(placed);
}
