#!/bin/sh
# OpenBIOS's IDE and ATAPI drivers on an emu disk and CD-ROM (forth/ide.in: the device tree and
# aliases they produce, reads through the disk and CD nodes), compared with QEMU's 40p with an
# isa-ide channel holding the same images (see forth-session.sh); qemu-capture.py ran with
#   -device isa-ide,iobase=0x1f0,iobase2=0x3f6,irq=14
#   -drive if=none,id=hd0,file=disk.img,format=raw -device ide-hd,drive=hd0,bus=ide.0,unit=0
#   -drive if=none,id=cd0,file=cd.img,format=raw,media=cdrom,readonly=on
#   -device ide-cd,drive=cd0,bus=ide.0,unit=1
name=ide
machine="$EMU_SRCDIR/tests/devices/prep/ide-machine.yaml"
setup() {
    sector_images "$1" || return 1
    echo "disk=$1/disk.img"
    echo "cdrom=$1/cd.img"
}
. "$EMU_SRCDIR/tests/devices/prep/forth-session.sh"
