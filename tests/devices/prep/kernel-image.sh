#!/bin/sh
# kernel-image.sh SRC.c OUT.bin: a bare-metal PowerPC program for the PReP board's `kernel`
# (QEMU's -kernel): built with $PPC_CC, linked to run at 0x01000000 where the board loads it,
# as a raw binary of its code and data.  OUT.elf is left beside it.
set -e
[ $# -eq 2 ] || { echo "usage: $0 SRC.c OUT.bin" >&2; exit 2; }
src=$1 out=$2
"$PPC_CC" -O2 -fno-toplevel-reorder -ffreestanding -nostdlib -static -fno-asynchronous-unwind-tables \
    -Wl,-N -Wl,-Ttext=0x01000000 -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
    -o "${out%.bin}.elf" "$src"
"${PPC_CC%gcc}objcopy" -O binary -j .text -j .rodata -j .got2 -j .data "${out%.bin}.elf" "$out"
