#!/bin/sh
# OpenBIOS's LSI 53C810 driver (SCRIPTS) on an emu SCSI disk (target 0) and CD (target 2):
# forth/scsi.in lists the nodes and aliases and reads through them, compared with QEMU's 40p
# run by qemu-capture.py with -drive file=disk.img,format=raw,if=scsi,index=0 -cdrom cd.img
# (see forth-session.sh).  Its reads come back empty on QEMU, and so they do here.
name=scsi
machine="$EMU_SRCDIR/tests/devices/prep/scsi-machine.yaml"
setup() {
    sector_images "$1" || return 1
    echo "disk=$1/disk.img"
    echo "cdrom=$1/cd.img"
}
. "$EMU_SRCDIR/tests/devices/prep/forth-session.sh"
