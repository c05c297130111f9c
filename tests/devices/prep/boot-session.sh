# Sourced by test-boot-*.sh: OpenBIOS loads a program from a disk or CD image on the PReP
# machine and starts it; the console must show what the program prints and be byte for byte
# boot/NAME.expected, QEMU's 40p console for the same session and images.
#
# The session is typed at the "0 > " prompt (see docs/prep.md, "Booting programs" for why it
# is not the word `boot`):
#   " DEVICE:ARGS" open-dev value ih           the firmware's disk, partition and file packages
#   load-base " load" ih $call-method .        its loaders put the image at load-base
#   ih close-dev init-program                  PReP image or ELF: entry point, residual data
#   go                                         enters the program
#
# BOOT_CAPTURE=1 in the environment first records each session on qemu-system-ppc into
# boot/NAME.expected in the source tree (make check does not: QEMU's time base follows the
# host clock, and on a busy host its firmware's disk waits stretch for minutes).
# Helpers: build_guest, boot_session.
. "$EMU_SRCDIR/tests/tap.sh"
FW=/usr/share/qemu/openbios-ppc
[ -r "$FW" ] || skip_all "no OpenBIOS ($FW, Debian package qemu-system-data)"
[ -n "$PPC_CC" ] || skip_all "no PowerPC cross compiler (gcc-powerpc-linux-gnu)"
OBJCOPY=${PPC_CC%gcc}objcopy
D="$EMU_SRCDIR/tests/devices/prep"
T=$(mktemp -d) || exit 1
qpid=
trap '[ -n "$qpid" ] && kill $qpid 2>/dev/null; rm -rf "$T"' EXIT

# build_guest ADDRESS OUT.elf: tests/guests/prep/boot-prep.c linked to run at ADDRESS
build_guest() {
    "$PPC_CC" -O2 -fno-toplevel-reorder -ffreestanding -nostdlib -static \
        -fno-asynchronous-unwind-tables -Wl,-N -Wl,-Ttext="$1" -Wl,--build-id=none \
        -Wl,--no-warn-rwx-segments -o "$2" "$EMU_SRCDIR/tests/guests/prep/boot-prep.c"
}

# session_input DEVICE-PATH: the lines typed at the prompt, into $T/session.in
session_input() {
    printf '%s\n' "\" $1\" open-dev value ih" 'load-base " load" ih $call-method .' \
        'ih close-dev init-program' 'go' > "$T/session.in"
}

# count_prompts FILE: how many "0 > " prompts the console in FILE has shown
count_prompts() {
    tr '\r\n' '  ' < "$1" | grep -o '0 > ' | wc -l
}

# qemu_session OUT QEMU-ARGS...: types $T/session.in at QEMU's prompts, one line per prompt,
# and records the console in OUT until the program has printed its last line, "done"; status
# 1 when it did not within a minute.
qemu_session() {
    out=$1
    shift
    rm -f "$T/fifo"
    mkfifo "$T/fifo" || return 1
    : > "$out"
    qemu-system-ppc -M 40p -nographic -m 128 "$@" < "$T/fifo" > "$out" 2>/dev/null &
    qpid=$!
    exec 3> "$T/fifo"
    n=0 i=0
    while IFS= read -r line; do
        n=$((n + 1))
        while [ $i -lt 600 ] && [ "$(count_prompts "$out")" -lt $n ]; do
            sleep 0.1
            i=$((i + 1))
        done
        printf '%s\r' "$line" >&3
    done < "$T/session.in"
    while [ $i -lt 600 ] && ! grep -q '^done' "$out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    sleep 0.5
    exec 3>&-
    kill $qpid 2>/dev/null
    wait $qpid 2>/dev/null
    qpid=
    grep -q '^done' "$out"
}

# boot_session NAME MACHINE.yaml SET DEVICE-PATH ENTRY QEMU-ARGS...: the session on emu's
# machine (with --set SET) must run the program, which must say it was entered at ENTRY; the
# console is then compared with boot/NAME.expected (QEMU's with QEMU-ARGS).
boot_session() {
    name=$1 machine=$2 set=$3 path=$4 entry=$5
    shift 5
    session_input "$path"
    "$EMU" --machine "$EMU_SRCDIR/machines.d/$machine" --set "$set" --set serial=buffer \
        --lua "$D/boot-console.lua,input=$T/session.in,until=done\\r\\n,output=$T/$name.emu"
    is $? 0 "$name: the program ran to its end"
    out=$(tr -d '\r' < "$T/$name.emu")
    like "$out" "Hello from a program the firmware booted" "$name: the program printed"
    like "$out" "load base: 04000000" "$name: r4 holds load-base"
    like "$out" "residual model: IBM PPS Model 6015" "$name: r3 points to PReP residual data"
    like "$out" "entry: $entry" "$name: entered at $entry"
    if [ -n "$BOOT_CAPTURE" ]; then
        qemu_session "$T/$name.qemu" "$@" || { echo "Bail out! QEMU did not finish $name"; exit 1; }
        cp "$T/$name.qemu" "$D/boot/$name.expected"
    fi
    if cmp -s "$D/boot/$name.expected" "$T/$name.emu"; then
        ok 0 "$name: the console is byte for byte QEMU's"
    else
        ok 1 "$name: the console is byte for byte QEMU's"
        diff "$D/boot/$name.expected" "$T/$name.emu" | head -20 | sed 's/^/# /'
    fi
}
