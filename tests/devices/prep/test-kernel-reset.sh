#!/bin/sh
# A bare-metal program started as QEMU's -kernel reboots the PReP machine twice through port
# 0x92 (wired to machine.reset in machines.d/prep.yaml): OpenBIOS starts it three times, RAM
# outside its image keeps its count of starts, and the board copies the image in again at each
# reset.  Not compared with QEMU: its port 0x92 restarts only the CPU (the CPU's HRESET), and
# with -kernel its second start never comes.
. "$EMU_SRCDIR/tests/tap.sh"
FW=/usr/share/qemu/openbios-ppc
[ -r "$FW" ] || skip_all "no OpenBIOS ($FW, Debian package qemu-system-data)"
[ -n "$PPC_CC" ] || skip_all "no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

sh "$EMU_SRCDIR/tests/devices/prep/kernel-image.sh" "$EMU_SRCDIR/tests/guests/prep/reset-prep.c" "$T/reset.bin"
ok $? "guest program built"

"$EMU" --machine "$EMU_SRCDIR/machines.d/prep.yaml" --set serial=buffer --set kernel="$T/reset.bin" \
    --lua "$EMU_SRCDIR/tests/devices/prep/console-until.lua,until=done\\r\\n,output=$T/emu.txt"
is $? 0 "the program ran to its end"
out=$(tr -d '\r' < "$T/emu.txt")
is "$(printf '%s\n' "$out" | grep -c '^>> OpenBIOS 1.1')" 3 "OpenBIOS booted three times"
is "$(printf '%s\n' "$out" | grep '^start ')" "start 00000001, image fresh
start 00000002, image fresh
start 00000003, image fresh" "three starts counted in RAM, each from a fresh copy of the image"
done_testing
