#!/bin/sh
# OpenBIOS boots programs from an IDE disk made by prep-boot-image.sh: a PReP boot partition
# (MBR type 0x41) holding tests/guests/prep/boot-prep.c, loaded by the firmware's pc-parts
# package and PReP loader, and an ext2 partition (made with mke2fs -d) holding the same
# program as an ELF file, read by its ext2 package and started by its ELF loader.  The
# consoles are compared with QEMU's 40p plus an isa-ide disk (boot/disk-*.expected; see
# boot-session.sh).
. "$EMU_SRCDIR/tests/devices/prep/boot-session.sh"
MKE2FS=$(command -v mke2fs || command -v /sbin/mke2fs)

build_guest 0x04000400 "$T/prep.elf" && "$OBJCOPY" -O binary -j .text -j .rodata -j .got2 \
    "$T/prep.elf" "$T/prep.bin"
ok $? "guest program built for a PReP boot partition"
if [ -n "$MKE2FS" ]; then
    mkdir "$T/root" && build_guest 0x01000000 "$T/root/hello.elf" &&
        "$MKE2FS" -q -F -t ext2 -d "$T/root" "$T/fs.img" 1M > /dev/null &&
        sh "$D/prep-boot-image.sh" "$T/prep.bin" "$T/load.img" "$T/disk.img" "$T/fs.img"
    ok $? "disk with a PReP boot partition and an ext2 partition holding the ELF program"
else
    sh "$D/prep-boot-image.sh" "$T/prep.bin" "$T/load.img" "$T/disk.img"
    ok $? "disk with a PReP boot partition"
fi

set -- -device isa-ide,iobase=0x1f0,iobase2=0x3f6,irq=14 \
    -drive "if=none,id=hd0,file=$T/disk.img,format=raw" -device ide-hd,drive=hd0,bus=ide.0,unit=0
boot_session disk-prep prep-ide-disk.yaml "disk=$T/disk.img" \
    "/pci@80000000/isa@b/ata/disk:,%BOOT" 04000400 "$@"
if [ -n "$MKE2FS" ]; then
    boot_session disk-ext2 prep-ide-disk.yaml "disk=$T/disk.img" \
        '/pci@80000000/isa@b/ata/disk:1,\hello.elf' 01000000 "$@"
else
    tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no mke2fs (Debian package e2fsprogs)"
fi
done_testing
