#!/bin/sh
# The prep board and machines.d/prep.yaml: firmware, fw_cfg, NVRAM and memory map as set up
# before the CPU runs (checked by board-check.lua), and the clear refusals of bad input.
. "$EMU_SRCDIR/tests/tap.sh"
FW=/usr/share/qemu/openbios-ppc
[ -r "$FW" ] || skip_all "no OpenBIOS ($FW, Debian package qemu-system-data)"
M="$EMU_SRCDIR/machines.d/prep.yaml"
T=$(mktemp -d) || exit 1
trap 'chattr -i "$T/ro.img" 2>/dev/null; rm -rf "$T"' EXIT

# board-check.lua prints its own TAP lines; renumber them into this test's sequence.
check() {
    out=$("$EMU" --machine "$M" --set serial=null "$@" 2>&1); st=$?
    while IFS= read -r line; do
        case "$line" in
        "ok "*) ok 0 "${line#ok * - }" ;;
        "not ok "*) ok 1 "${line#not ok * - }" ;;
        "1.."*) ;;
        *) echo "# $line" ;;
        esac
    done <<END
$out
END
    is "$st" 0 "board check exits 0 ($*)"
}

check --lua "$EMU_SRCDIR/tests/devices/prep/board-check.lua,ram=134217728,crc=0x9506"
printf '\170\126\064\022rest of a kernel' > "$T/kernel.bin"
check --set ram=64M --set kernel="$T/kernel.bin" \
    --lua "$EMU_SRCDIR/tests/devices/prep/board-check.lua,ram=67108864,kernel=20,word=0x78563412"

# Bad input: one message, status 2
refuse() {   # DESCRIPTION EXPECTED-TEXT ARGS...
    what=$1 want=$2; shift 2
    err=$("$EMU" --machine "$M" --set serial=null "$@" 2>&1 </dev/null); st=$?
    is "$st" 2 "$what: exit status 2"
    like "$err" "$want" "$what: message"
}
refuse "missing firmware" "install qemu-system-data" --set firmware="$T/none"
printf 'not an ELF at all' > "$T/text.bin"
refuse "non-ELF firmware" "is not an ELF file (for a raw ROM image set firmware-format=raw)" \
    --set firmware="$T/text.bin"
head -c 4000 "$FW" > "$T/short.elf"
refuse "truncated firmware" "is truncated: segment 0 needs bytes" --set firmware="$T/short.elf"
head -c 20 "$FW" > "$T/tiny.elf"
refuse "firmware shorter than an ELF header" "shorter than an ELF header" --set firmware="$T/tiny.elf"
printf '\177ELF\002\002\001' > "$T/elf64"; head -c 100 /dev/zero >> "$T/elf64"
refuse "64-bit ELF firmware" "is a 64-bit ELF file" --set firmware="$T/elf64"
refuse "RAM size the board cannot take" "112M does not fit the 40p's SIMM sockets" --set ram=112M
refuse "RAM size the board cannot take" "256M does not fit" --set ram=256M
refuse "missing kernel" "kernel: cannot open" --set kernel="$T/none"
refuse "initrd without kernel" "initrd: given without a kernel" --set initrd="$T/kernel.bin"
refuse "kernel in 16M of RAM" "beyond the 16M of RAM" --set ram=16M --set kernel="$T/kernel.bin"
refuse "missing disk image" "" --set blockdevs.hd.file="$T/none.img" --set devices.ide.props.master=hd
err=$("$EMU" --machine "$M" --set blockdevs.hd.file="$T/none.img" --set devices.ide.props.master=hd 2>&1 </dev/null)
like "$err" "none.img" "missing disk image: named"
: > "$T/ro.img"; head -c 65536 /dev/zero > "$T/ro.img"; chmod a-w "$T/ro.img"
# root writes anything a mode forbids: make the file immutable instead where the filesystem can
[ -w "$T/ro.img" ] && chattr +i "$T/ro.img" 2>/dev/null && immutable=1
if [ -w "$T/ro.img" ] && [ -z "$immutable" ]; then
    for i in 1 2; do tap_n=$((tap_n + 1)); echo "ok $tap_n # SKIP no read-only file for this user here"; done
else
    refuse "read-only image opened for writing" "ro.img': opened read-write but the file is read-only; use mode ro or snapshot" \
        --set blockdevs.hd.file="$T/ro.img" \
        --set devices.ide.props.master=hd
fi
[ -n "$immutable" ] && chattr -i "$T/ro.img"
done_testing
