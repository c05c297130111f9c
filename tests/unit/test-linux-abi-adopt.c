/* The ABI policy for user-mode ABI plugins: emu_user_abi_adopt takes an emu_linux_abi of the
   1.0 layout (ending with tramp_size) with the fields added in 1.1 read as zero/NULL, keeps
   every field of a current one, reads no byte past struct_size, and refuses a smaller one. */
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "../tap.h"
#include "user/runtime.h"

/* ABI 1.0's emu_linux_abi ended with tramp_size; its sizeof rounded that up to the alignment. */
#define END_1_0 (offsetof(emu_linux_abi, tramp_size) + sizeof(uint32_t))
#define SIZEOF_1_0 ((END_1_0 + alignof(emu_linux_abi) - 1) / alignof(emu_linux_abi) * alignof(emu_linux_abi))

static const uint8_t tramp[8], vdso[64];
static const uint16_t machines[] = { 20, 0 };

static bool fake_emulate(emu_linux_task *t, uint64_t pc) { return false; }
static bool fake_prctl(emu_linux_task *t, const uint64_t args[5], int64_t *result) { return false; }

static emu_linux_abi full_abi(void)
{
    return (emu_linux_abi){
        .struct_size = sizeof(emu_linux_abi), .elf_machines = machines, .elf_class = 1,
        .elf_data = 2, .page_size = 4096, .emulate = fake_emulate, .tramp_rt = tramp,
        .tramp_old = tramp + 4, .tramp_size = 4, .old_dev_size = 8, .vdso = vdso,
        .vdso_size = sizeof vdso, .vdso_sigtramp_rt = 16, .vdso_sigtramp = 32,
        .prctl = fake_prctl,
    };
}

/* A plugin's struct in a heap block of exactly `size` bytes (so ASan sees any read past it):
   the first `keep` bytes from `abi`, the rest set to `fill`. */
static emu_linux_abi *plugin_copy(const emu_linux_abi *abi, size_t size, size_t keep, uint8_t fill)
{
    uint8_t *p = malloc(size);
    memset(p, fill, size);
    memcpy(p, abi, keep < sizeof *abi ? keep : sizeof *abi);
    ((emu_linux_abi *)p)->struct_size = (uint32_t)size;
    return (emu_linux_abi *)p;
}

int main(void)
{
    emu_linux_abi want = full_abi(), got;

    /* Built against this SDK: every field kept. */
    emu_linux_abi *cur = plugin_copy(&want, sizeof want, sizeof want, 0);
    ok(emu_user_abi_adopt(cur, &got), "a current emu_linux_abi is accepted");
    is_u64(got.struct_size, sizeof got, "the adopted copy has the full size");
    ok(got.elf_machines == machines && got.elf_class == 1 && got.elf_data == 2, "ELF matching kept");
    ok(got.emulate == fake_emulate && got.tramp_rt == tramp && got.tramp_size == 4,
       "1.0 callbacks and trampolines kept");
    is_u64(got.old_dev_size, 8, "old_dev_size kept");
    ok(got.vdso == vdso && got.vdso_size == sizeof vdso && got.vdso_sigtramp_rt == 16 &&
       got.vdso_sigtramp == 32, "vDSO fields kept");
    ok(got.prctl == fake_prctl, "prctl kept");
    free(cur);

    /* Built against ABI 1.0: the struct ends with tramp_size; its tail padding, where
       old_dev_size now sits, holds garbage. */
    ok(SIZEOF_1_0 < sizeof want, "emu_linux_abi grew since 1.0 (%zu -> %zu bytes)",
       (size_t)SIZEOF_1_0, sizeof want);
    emu_linux_abi *old = plugin_copy(&want, SIZEOF_1_0, END_1_0, 0xa5);
    ok(emu_user_abi_adopt(old, &got), "a 1.0 emu_linux_abi (%zu bytes) is accepted", (size_t)SIZEOF_1_0);
    is_u64(got.struct_size, sizeof got, "its adopted copy has the full size");
    ok(got.elf_machines == machines && got.page_size == 4096, "its 1.0 fields are read");
    ok(got.emulate == fake_emulate && got.tramp_old == tramp + 4 && got.tramp_size == 4,
       "its last 1.0 fields are read");
    is_u64(got.old_dev_size, 0, "old_dev_size (in the 1.0 struct's padding) reads as 0");
    ok(got.vdso == NULL && got.vdso_size == 0 && got.vdso_sigtramp_rt == 0 && got.vdso_sigtramp == 0,
       "no vDSO");
    ok(got.prctl == NULL, "no prctl callback");
    free(old);

    /* Built against a newer minor (a longer struct): the fields this core knows are read. */
    emu_linux_abi *newer = plugin_copy(&want, sizeof want + 16, sizeof want, 0x5a);
    ok(emu_user_abi_adopt(newer, &got), "a longer emu_linux_abi is accepted");
    ok(got.prctl == fake_prctl && got.struct_size == sizeof got, "its known fields are read");
    free(newer);

    /* Smaller than 1.0: refused, and the copy is left zeroed. */
    emu_linux_abi *tiny = plugin_copy(&want, END_1_0 - 1, END_1_0 - 1, 0);
    ok(!emu_user_abi_adopt(tiny, &got), "an emu_linux_abi smaller than the 1.0 layout is refused");
    ok(got.struct_size == 0 && got.elf_machines == NULL && got.prctl == NULL, "and nothing is copied");
    free(tiny);
    return tap_done();
}
