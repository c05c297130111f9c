/* Shared between the PowerPC Linux ABI's files: register indices and the signal frame calls. */
#ifndef EMU_LINUX_PPC_H
#define EMU_LINUX_PPC_H

#include <stdio.h>
#include "emu/linux-abi.h"

#define PPC_CR0_SO 0x10000000u

/* Register indices of the CPU, looked up by name once. */
typedef struct ppc_regs {
    int gpr[32], fpr[32];
    int pc, msr, cr, lr, ctr, xer, fpscr;
    int pvr;                  /* -1 when the CPU has none */
} ppc_regs;

extern ppc_regs ppc_reg;

int ppc_signal_frame(emu_linux_task *t, const emu_linux_sigframe_info *info);
int ppc_sigreturn(emu_linux_task *t, bool rt, emu_linux_sigreturn_info *out);

/* The vDSO image, a page (linux-ppc-vdso.c, built when the plugin loads), and where its
   trampolines are: __kernel_sigtramp32 and __kernel_sigtramp_rt32. */
#define PPC_VDSO_SIGTRAMP 0x180
#define PPC_VDSO_SIGTRAMP_RT 0x190
extern uint8_t ppc_vdso_image[4096];

#endif
