#!/bin/sh
# OpenBIOS boots a program from an IDE disk: a PReP boot partition (MBR type 0x41, made by
# prep-boot-image.sh) holding tests/guests/prep/boot-prep.c, loaded by the firmware's
# pc-parts package and PReP loader and started with residual data; compared with QEMU's 40p
# plus an isa-ide disk (see boot-session.sh).
. "$EMU_SRCDIR/tests/devices/prep/boot-session.sh"

build_guest 0x04000400 "$T/prep.elf" && "$OBJCOPY" -O binary -j .text -j .rodata -j .got2 \
    "$T/prep.elf" "$T/prep.bin" &&
    sh "$D/prep-boot-image.sh" "$T/prep.bin" "$T/load.img" "$T/disk.img" &&
    dd if=/dev/zero of="$T/disk.img" bs=512 seek=64 count=0 2>/dev/null
ok $? "guest program built into a disk with a PReP boot partition"

boot_session disk prep-ide-disk.yaml "disk=$T/disk.img" \
    "/pci@80000000/isa@b/ata/disk:,%BOOT" 04000400 \
    -device isa-ide,iobase=0x1f0,iobase2=0x3f6,irq=14 \
    -drive "if=none,id=hd0,file=$T/disk.img,format=raw" -device ide-hd,drive=hd0,bus=ide.0,unit=0
done_testing
