# Sourced by test-forth-NAME.sh, which sets name=NAME: OpenBIOS on the PReP machine, compared byte
# for byte with QEMU's 40p.  The Forth session forth/NAME.in is typed at the prompt after one
# boot and the console, boot text included, must equal forth/NAME.expected, a transcript of
# qemu-system-ppc made by qemu-capture.py.  The test may set `machine` (a machine file;
# default machines.d/prep.yaml) and define `setup DIR`, which prints --set arguments (one per
# line) after making what they name in DIR (sector_images helps), and `checks FILE`, which makes
# more TAP checks of the transcript FILE.
. "$EMU_SRCDIR/tests/tap.sh"
FW=/usr/share/qemu/openbios-ppc
[ -r "$FW" ] || skip_all "no OpenBIOS ($FW, Debian package qemu-system-data)"
D="$EMU_SRCDIR/tests/devices/prep"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# sector_images DIR: a 64-sector disk (DIR/disk.img) and a 20-sector CD (DIR/cd.img) whose
# sectors say which they are, for setup functions.
sector_images() {
    i=0
    while [ $i -lt 64 ]; do
        printf 'emu disk sector %02d' $i | dd of="$1/disk.img" bs=512 seek=$i conv=notrunc,sync 2>/dev/null || return 1
        i=$((i + 1))
    done
    i=0
    while [ $i -lt 20 ]; do
        printf 'emu cd sector %02d' $i | dd of="$1/cd.img" bs=2048 seek=$i conv=notrunc,sync 2>/dev/null || return 1
        i=$((i + 1))
    done
}

set --
if command -v setup >/dev/null 2>&1; then
    setup "$T" > "$T/sets" || skip_all "cannot make the images"
    while IFS= read -r a; do set -- "$@" --set "$a"; done < "$T/sets"
fi
"$EMU" --machine "${machine:-$EMU_SRCDIR/machines.d/prep.yaml}" --set serial=buffer "$@" \
    --lua "$D/forth-console.lua,input=$D/forth/$name.in,output=$T/got.txt"
is $? 0 "$name: every line got its prompt back"
head -c 479 "$T/got.txt" > "$T/boot.txt"
head -c 479 "$D/forth/$name.expected" | cmp -s - "$T/boot.txt"
ok $? "$name: boot text up to the first '0 > ' as QEMU's"
if cmp -s "$T/got.txt" "$D/forth/$name.expected"; then
    ok 0 "$name: the session is byte for byte QEMU's"
else
    ok 1 "$name: the session is byte for byte QEMU's"
    diff "$D/forth/$name.expected" "$T/got.txt" | head -20 | sed 's/^/# /'
fi
if command -v checks >/dev/null 2>&1; then
    checks "$T/got.txt"
fi
done_testing
