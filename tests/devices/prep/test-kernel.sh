#!/bin/sh
# Direct kernel loading, as QEMU's -kernel/-initrd/-append: a bare-metal program built with the
# PowerPC cross compiler is started by OpenBIOS and prints what the board handed it.  When
# qemu-system-ppc is installed, its console is compared byte for byte with QEMU's.
. "$EMU_SRCDIR/tests/tap.sh"
FW=/usr/share/qemu/openbios-ppc
[ -r "$FW" ] || skip_all "no OpenBIOS ($FW, Debian package qemu-system-data)"
[ -n "$PPC_CC" ] || skip_all "no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

sh "$EMU_SRCDIR/tests/devices/prep/kernel-image.sh" "$EMU_SRCDIR/tests/guests/prep/hello-prep.c" "$T/hello.bin"
ok $? "guest program built"
printf 'initrd-contents!' > "$T/initrd.img"
CMDLINE="root=/dev/hda console=ttyS0"

"$EMU" --machine "$EMU_SRCDIR/machines.d/prep.yaml" --set serial=buffer \
    --set kernel="$T/hello.bin" --set initrd="$T/initrd.img" --set cmdline="$CMDLINE" \
    --lua "$EMU_SRCDIR/tests/devices/prep/console-until.lua,until=done\\r\\n,output=$T/emu.txt"
is $? 0 "the program ran to its end"
out=$(tr -d '\r' < "$T/emu.txt")
like "$out" ">> [ppc] Kernel already loaded (0x01000000 + 0x" "OpenBIOS found the preloaded kernel"
like "$out" "Hello from a PReP guest" "the program printed"
like "$out" "cmdline: $CMDLINE" "it found the command line at 0x017FF000"
like "$out" 'initrd: 01800000+00000010 "initrd-contents!"' "it got the initrd in r3/r4"

if command -v qemu-system-ppc >/dev/null 2>&1; then
    # -nodefaults: QEMU 7.2's default 40p refuses -append (its NVRAM code and the board both
    # place the command line at 0x017FF000: "Some ROM regions are overlapping").
    qemu-system-ppc -M 40p -nodefaults -nographic -m 128 -chardev stdio,id=s0 \
        -device isa-serial,chardev=s0 -kernel "$T/hello.bin" -initrd "$T/initrd.img" \
        -append "$CMDLINE" < /dev/null > "$T/qemu.txt" 2>/dev/null &
    qpid=$!
    i=0
    while [ $i -lt 300 ] && ! grep -q '^done' "$T/qemu.txt" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
    head -c "$(wc -c < "$T/emu.txt")" "$T/qemu.txt" | cmp -s - "$T/emu.txt"
    ok $? "the console is byte for byte QEMU's"
else
    tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no qemu-system-ppc to compare with"
fi
done_testing
