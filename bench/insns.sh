#!/bin/sh
# Host instructions per guest instruction, for emu --user and qemu-ppc-static, counted with
# callgrind (exact and repeatable, unlike wall time).  Each program runs at two sizes; the
# difference of the counts removes start-up, so the figure is the steady state.  The guest
# instruction count comes from emu itself (emu.icount() at exit); QEMU runs the same guest code.
#
#   bench/insns.sh [-e EMU] [-q QEMU] [-c PPC_CC] [PROGRAM...]
#
# Run from a build folder (EMU defaults to ./emu).  Slow (valgrind): about a minute per program.
# Not a test: nothing here runs in make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
emu=${EMU:-./emu}
qemu=${QEMU_PPC:-qemu-ppc-static}
ppc_cc=${PPC_CC:-powerpc-linux-gnu-gcc}
while getopts e:q:c: opt; do
    case $opt in
    e) emu=$OPTARG ;;
    q) qemu=$OPTARG ;;
    c) ppc_cc=$OPTARG ;;
    *) echo "usage: $0 [-e EMU] [-q QEMU] [-c PPC_CC] [PROGRAM...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
progs=${*:-int_hash mem_sort fp_nbody call_rec vm_interp sys_calls str_ops}
for tool in "$emu" "$qemu" "$ppc_cc" valgrind; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0: '$tool' not found" >&2; exit 2; }
done
out=$(mktemp -d "${TMPDIR:-/tmp}/emu-insns.XXXXXX")
trap 'rm -rf "$out"' EXIT
printf '%s\n' 'emu.on_exit(function() io.stderr:write("guest-insns ", emu.icount(), "\n") end)' > "$out/icount.lua"

# Two small sizes per program (callgrind runs the emulators about 50 times slower); call_rec's
# argument is fib's n, so its second size is n + 2, not twice n.
sizes() {
    case $1 in
    int_hash) echo 2000000 4000000 ;; mem_sort) echo 100000 200000 ;;
    fp_nbody) echo 50000 100000 ;; call_rec) echo 20 22 ;; vm_interp) echo 20 40 ;;
    sys_calls) echo 50000 100000 ;; str_ops) echo 20000 40000 ;;
    *) echo "$0: no sizes for '$1'" >&2; exit 2 ;;
    esac
}

# host instructions of a command, from callgrind's summary line
host_insns() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>"$out/vg" >/dev/null || true
    sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$out/vg" | tail -1
}

# the wrapper script of an uninstalled emu would be measured instead of emu: use the binary
bin=$emu
case $(head -c 2 "$emu") in
'#!') d=$(dirname "$emu"); [ -x "$d/.libs/emu" ] && bin="$d/.libs/emu"
      export LD_LIBRARY_PATH="$d/core/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ;;
esac

printf '%-10s %12s %12s %12s %10s\n' program guest-insns emu/insn qemu/insn emu/qemu
for p in $progs; do
    "$ppc_cc" -O2 -static -o "$out/$p.ppc" "$here/$p.c" -lm
    set -- $(sizes "$p"); n1=$1; n2=$2
    g1=$("$bin" --lua "$out/icount.lua" --user "$out/$p.ppc" "$n1" 2>&1 >/dev/null | sed -n 's/^guest-insns //p')
    g2=$("$bin" --lua "$out/icount.lua" --user "$out/$p.ppc" "$n2" 2>&1 >/dev/null | sed -n 's/^guest-insns //p')
    e1=$(host_insns "$bin" --user "$out/$p.ppc" "$n1"); e2=$(host_insns "$bin" --user "$out/$p.ppc" "$n2")
    q1=$(host_insns "$qemu" "$out/$p.ppc" "$n1"); q2=$(host_insns "$qemu" "$out/$p.ppc" "$n2")
    awk -v p="$p" -v g="$((g2 - g1))" -v e="$((e2 - e1))" -v q="$((q2 - q1))" 'BEGIN {
        printf "%-10s %12d %12.1f %12.1f %10.2f\n", p, g, e / g, q / g, e / q }'
done
