/* Benchmark: an interpreter loop — a small stack bytecode machine running nested loops
 * (indirect branches through a switch). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum { PUSH, LOAD, STORE, ADD, SUB, MUL, XOR, JNZ, JMP, DUP, POP, HALT };

int main(int argc, char **argv)
{
    int32_t outer = argc > 1 ? atoi(argv[1]) : 3000;
    /* v0 = outer; do { v1 = 10000; do { v2 = v2*31 ^ v1; v1--; } while (v1); v0--; } while (v0); */
    const int32_t code[] = {
        PUSH, 0, STORE, 0,
        /* 4 */ PUSH, 10000, STORE, 1,
        /* 8 */ LOAD, 2, PUSH, 31, MUL, LOAD, 1, XOR, STORE, 2,
        LOAD, 1, PUSH, 1, SUB, DUP, STORE, 1, JNZ, 8,
        LOAD, 0, PUSH, 1, SUB, DUP, STORE, 0, JNZ, 4,
        HALT,
    };
    int32_t vars[4] = { 0, 0, 7, 0 }, stack[64];
    int sp = 0, pc = 0;
    int32_t prog[sizeof code / sizeof code[0]];
    for (unsigned i = 0; i < sizeof code / sizeof code[0]; i++)
        prog[i] = code[i];
    prog[1] = outer;
    for (;;) {
        switch (prog[pc++]) {
        case PUSH: stack[sp++] = prog[pc++]; break;
        case LOAD: stack[sp++] = vars[prog[pc++]]; break;
        case STORE: vars[prog[pc++]] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
        case JNZ: { int32_t t = prog[pc++]; if (stack[--sp]) pc = t; break; }
        case JMP: pc = prog[pc]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case POP: sp--; break;
        case HALT: printf("vm_interp %d\n", vars[2]); return 0;
        }
    }
}
