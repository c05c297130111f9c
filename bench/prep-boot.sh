#!/bin/sh
# Time from start to OpenBIOS's "0 > " prompt on the PReP machine: emu with machines.d/prep.yaml
# against qemu-system-ppc -M 40p -nographic from the same run, each the median of RUNS runs,
# and their ratio (emu / QEMU; below 1 means emu is faster).
#
#   bench/prep-boot.sh                (from a build folder: uses ./emu)
#   EMU=path/to/emu RUNS=5 bench/prep-boot.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
EMU=${EMU:-./emu}
RUNS=${RUNS:-5}
QEMU=${QEMU:-qemu-system-ppc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now_ms() { date +%s%N | cut -c1-13; }

# to_prompt CMD...: milliseconds until the console output ends with "0 > " (or 60 s).
to_prompt() {
    : > "$work/out"
    t0=$(now_ms)
    "$@" < /dev/null > "$work/out" 2>/dev/null &
    pid=$!
    while :; do
        if [ "$(tail -c 4 "$work/out")" = "0 > " ]; then break; fi
        if [ $(( $(now_ms) - t0 )) -gt 60000 ] || ! kill -0 $pid 2>/dev/null; then
            kill $pid 2>/dev/null; wait $pid 2>/dev/null
            echo "prep-boot.sh: no prompt from $1" >&2
            exit 1
        fi
        sleep 0.01
    done
    t1=$(now_ms)
    kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
    echo $((t1 - t0))
}

median() {   # median of the numbers on stdin
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

runs() {   # runs CMD...: median of RUNS measurements
    i=0
    while [ $i -lt "$RUNS" ]; do to_prompt "$@"; i=$((i + 1)); done | median
}

emu_ms=$(runs "$EMU" --machine "$here/../machines.d/prep.yaml")
qemu_ms=$(runs "$QEMU" -M 40p -nographic -m 128)
echo "emu   $emu_ms ms to the prompt (median of $RUNS)"
echo "qemu  $qemu_ms ms to the prompt (median of $RUNS)"
awk -v e="$emu_ms" -v q="$qemu_ms" 'BEGIN { printf "ratio emu/qemu %.2f\n", e / q }'
