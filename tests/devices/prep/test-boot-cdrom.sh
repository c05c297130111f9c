#!/bin/sh
# OpenBIOS boots programs from an IDE CD-ROM: an ISO 9660 image made with xorriso, holding the
# program as an ELF file (HELLO.ELF;1, read by the firmware's iso9660 package, started by its
# ELF loader) and, as an appended partition of type 0x41, the same program as a PReP boot
# image (cdrom:1 is the second MBR entry).  The consoles are compared with QEMU's 40p plus an
# isa-ide CD-ROM drive (boot/cd-*.expected; see boot-session.sh).
. "$EMU_SRCDIR/tests/devices/prep/boot-session.sh"
command -v xorriso >/dev/null 2>&1 || skip_all "no xorriso (Debian package xorriso)"

mkdir "$T/root" &&
    build_guest 0x01000000 "$T/root/hello.elf" &&
    build_guest 0x04000400 "$T/prep.elf" && "$OBJCOPY" -O binary -j .text -j .rodata -j .got2 \
    "$T/prep.elf" "$T/prep.bin" &&
    sh "$D/prep-boot-image.sh" "$T/prep.bin" "$T/load.img" &&
    xorriso -as mkisofs -quiet -o "$T/cd.iso" -append_partition 2 0x41 "$T/load.img" "$T/root" \
        2>/dev/null
ok $? "ISO 9660 image with the program as an ELF file and a PReP boot partition"

# -boot d: the machine's boot device is the CD-ROM (fw_cfg 'd', OpenBIOS tries cd:...)
set -- -boot d -device isa-ide,iobase=0x1f0,iobase2=0x3f6,irq=14 \
    -drive "if=none,id=cd0,file=$T/cd.iso,format=raw,media=cdrom,readonly=on" \
    -device ide-cd,drive=cd0,bus=ide.0,unit=0
boot_session cd-elf prep-ide-cdrom.yaml "cdrom=$T/cd.iso" \
    '/pci@80000000/isa@b/ata/cdrom:,\HELLO.ELF;1' 01000000 "$@"
boot_session cd-prep prep-ide-cdrom.yaml "cdrom=$T/cd.iso" \
    "/pci@80000000/isa@b/ata/cdrom:1,%BOOT" 04000400 "$@"
done_testing
