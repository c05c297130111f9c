#!/bin/sh
# OpenBIOS's `boot` starts programs from drives on the CMD646 PCI IDE controller
# (machines.d/prep-pci-disk.yaml, prep-pci-cdrom.yaml): at power-on from the boot device, and
# typed at the prompt with a device and file, or with no argument after `setenv boot-device`.
# The program is tests/guests/prep/boot-prep.c, which prints where it was entered, its load
# base and the model in the PReP residual data the firmware passed.
#
# Images: a disk with a PReP boot partition (MBR type 0x41) and an ext2 partition holding the
# program as an ELF file; an ISO 9660 disc (xorriso, names kept in lower case as CHRP discs
# have them) with \ppc\bootinfo.txt, whose boot script boots \hello.elf, and an appended
# PReP boot partition; a disc with no partition table at all (genisoimage's, or xorriso's
# without -append_partition) holding HELLO.ELF;1.
# QEMU 7.2's qemu-system-ppc has no CMD646 (and `boot` on its 40p's ISA IDE never returns:
# docs/prep.md), so these consoles have no QEMU transcript; what the program prints is checked.
. "$EMU_SRCDIR/tests/devices/prep/boot-session.sh"
MKE2FS=$(command -v mke2fs || command -v /sbin/mke2fs)
[ -n "$MKE2FS" ] || skip_all "no mke2fs (Debian package e2fsprogs)"
command -v xorriso >/dev/null 2>&1 || skip_all "no xorriso (Debian package xorriso)"

mkdir -p "$T/fs" "$T/cd/ppc" &&
    build_guest 0x04000400 "$T/prep.elf" &&
    "$OBJCOPY" -O binary -j .text -j .rodata -j .got2 "$T/prep.elf" "$T/prep.bin" &&
    build_guest 0x01000000 "$T/fs/hello.elf" &&
    "$MKE2FS" -q -F -t ext2 -d "$T/fs" "$T/fs.img" 1M > /dev/null &&
    sh "$D/prep-boot-image.sh" "$T/prep.bin" "$T/load.img" "$T/disk.img" "$T/fs.img"
ok $? "disk: a PReP boot partition and an ext2 partition with hello.elf"

cp "$T/fs/hello.elf" "$T/cd/hello.elf" &&
    printf '%s\n' '<chrp-boot>' '<description>emu boot test</description>' \
        '<os-name>hello</os-name>' '<boot-script>boot &device;:\hello.elf</boot-script>' \
        '</chrp-boot>' > "$T/cd/ppc/bootinfo.txt" &&
    xorriso -as mkisofs -quiet -untranslated-filenames -o "$T/cd.iso" \
        -append_partition 2 0x41 "$T/load.img" "$T/cd" 2>/dev/null
ok $? "disc: ppc/bootinfo.txt booting hello.elf, and a PReP boot partition"
mkdir -p "$T/plain" && cp "$T/fs/hello.elf" "$T/plain/" &&
    if command -v genisoimage >/dev/null 2>&1; then
        genisoimage -quiet -o "$T/plain.iso" "$T/plain"
    else
        xorriso -as mkisofs -quiet -o "$T/plain.iso" "$T/plain" 2>/dev/null
    fi
ok $? "disc without a partition table (genisoimage, else xorriso)"

# pci_boot NAME MACHINE.yaml ENTRY SETTINGS... (input lines in $T/NAME.in): emu runs the
# machine, types the lines at the prompts, and the program must run, entered at ENTRY.
pci_boot() {
    name=$1 machine=$2 entry=$3
    shift 3
    [ -f "$T/$name.in" ] || : > "$T/$name.in"
    set -- --machine "$EMU_SRCDIR/machines.d/$machine" --set serial=buffer "$@"
    "$EMU" "$@" --lua "$D/boot-console.lua,input=$T/$name.in,until=done\\r\\n,output=$T/$name.out"
    st=$?
    is $st 0 "$name: the program ran to its end"
    out=$(tr -d '\r' < "$T/$name.out")
    [ $st -eq 0 ] || printf '%s\n' "$out" | tail -n 12 | sed 's/^/# /'
    like "$out" "Hello from a program the firmware booted" "$name: the program printed"
    like "$out" "entry: $entry" "$name: entered at $entry"
    like "$out" "load base: 04000000" "$name: r4 holds load-base"
    like "$out" "residual model: IBM PPS Model 6015" "$name: r3 points to PReP residual data"
}

# At power-on: boot device c, `hd:,\\:tbxi` opens the disk, whose PReP partition is loaded.
pci_boot disk-power-on prep-pci-disk.yaml 04000400 --set "disk=$T/disk.img" --set disk-mode=ro
like "$out" "Trying hd:," "disk-power-on: the firmware's own boot from its hd alias"
unlike "$out" "bootinfo.txt" "disk-power-on: its first path (the disk's PReP partition) worked"
unlike "$out" "0 > " "disk-power-on: never at the prompt"

# At the prompt (boot device d finds no disc and stops there): `boot` with a file on ext2.
printf '%s\n' 'boot hd:1,\hello.elf' > "$T/disk-typed.in"
pci_boot disk-typed prep-pci-disk.yaml 01000000 --set "disk=$T/disk.img" --set disk-mode=ro \
    --set boot=d
like "$out" "0 > boot hd:1,\\hello.elf" "disk-typed: typed at the prompt"

# `boot` with no argument boots the boot-device the user set.
printf '%s\n' 'setenv boot-device hd:,%BOOT' 'boot' > "$T/disk-setenv.in"
pci_boot disk-setenv prep-pci-disk.yaml 04000400 --set "disk=$T/disk.img" --set disk-mode=ro \
    --set boot=d

# At power-on from the disc: the CHRP boot script in \ppc\bootinfo.txt boots \hello.elf.
pci_boot cd-power-on prep-pci-cdrom.yaml 01000000 --set "cdrom=$T/cd.iso"
like "$out" "Trying cd:,\\ppc\\bootinfo.txt...
>> switching to new context:" "cd-power-on: the firmware booted the disc's bootinfo.txt"
unlike "$out" "0 > " "cd-power-on: never at the prompt"

# At the prompt (boot device c: no disk), the disc's PReP boot partition.
printf '%s\n' 'boot cd:1,%BOOT' > "$T/cd-typed.in"
pci_boot cd-typed prep-pci-cdrom.yaml 04000400 --set "cdrom=$T/cd.iso" --set boot=c

# A disc without a partition table: the file is named without a partition (no comma).
printf '%s\n' 'boot cd:\HELLO.ELF;1' > "$T/cd-plain.in"
pci_boot cd-plain prep-pci-cdrom.yaml 01000000 --set "cdrom=$T/plain.iso" --set boot=c
done_testing
