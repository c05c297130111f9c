#!/bin/sh
# emu --user benchmarks: build each program of this folder for 32-bit PowerPC (static) and for
# the host, run it under emu, qemu-ppc-static and natively in one go, check the three print the
# same result, and print the times, the ratios and their geometric means.
#
#   bench/run.sh [-e EMU] [-q QEMU] [-c PPC_CC] [-n REPEATS] [PROGRAM...]
#
# EMU defaults to $EMU, else ./emu (run from a build folder); QEMU to qemu-ppc-static; the
# best of REPEATS runs (default 1) counts.  Not a test: nothing here runs in make check.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
emu=${EMU:-./emu}
qemu=${QEMU_PPC:-qemu-ppc-static}
ppc_cc=${PPC_CC:-powerpc-linux-gnu-gcc}
host_cc=${CC:-cc}
repeats=1
while getopts e:q:c:n: opt; do
    case $opt in
    e) emu=$OPTARG ;;
    q) qemu=$OPTARG ;;
    c) ppc_cc=$OPTARG ;;
    n) repeats=$OPTARG ;;
    *) echo "usage: $0 [-e EMU] [-q QEMU] [-c PPC_CC] [-n REPEATS] [PROGRAM...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
progs=${*:-int_hash mem_sort fp_nbody call_rec vm_interp sys_calls str_ops}
for tool in "$emu" "$qemu" "$ppc_cc" "$host_cc"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$0: '$tool' not found" >&2; exit 2; }
done
out=${BENCH_BUILD:-$(mktemp -d "${TMPDIR:-/tmp}/emu-bench.XXXXXX")}
mkdir -p "$out"

# seconds (with nanoseconds) of the best of $repeats runs; the output goes to $out/last
timeit() {
    best=
    i=0
    while [ "$i" -lt "$repeats" ]; do
        s=$(date +%s%N)
        "$@" >"$out/last"
        e=$(date +%s%N)
        t=$(echo "$s $e" | awk '{ printf "%.3f", ($2 - $1) / 1e9 }')
        if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then best=$t; fi
        i=$((i + 1))
    done
    echo "$best"
}

printf '%-10s %9s %9s %9s %10s %10s %10s\n' program emu qemu native emu/qemu emu/native qemu/native
sum_eq=0; sum_en=0; sum_qn=0; count=0
for p in $progs; do
    "$ppc_cc" -O2 -static -o "$out/$p.ppc" "$here/$p.c" -lm
    "$host_cc" -O2 -o "$out/$p.host" "$here/$p.c" -lm
    te=$(timeit "$emu" --user "$out/$p.ppc"); cp "$out/last" "$out/$p.emu.out"
    tq=$(timeit "$qemu" "$out/$p.ppc"); cp "$out/last" "$out/$p.qemu.out"
    tn=$(timeit "$out/$p.host"); cp "$out/last" "$out/$p.native.out"
    same=""
    cmp -s "$out/$p.emu.out" "$out/$p.qemu.out" || same=" (emu and qemu print different results!)"
    cmp -s "$out/$p.emu.out" "$out/$p.native.out" || same="$same (emu and native differ)"
    printf '%-10s %8ss %8ss %8ss %10.2f %10.2f %10.2f%s\n' "$p" "$te" "$tq" "$tn" \
        "$(awk "BEGIN { print $te / $tq }")" "$(awk "BEGIN { print $te / $tn }")" \
        "$(awk "BEGIN { print $tq / $tn }")" "$same"
    sum_eq=$(awk "BEGIN { print $sum_eq + log($te / $tq) }")
    sum_en=$(awk "BEGIN { print $sum_en + log($te / $tn) }")
    sum_qn=$(awk "BEGIN { print $sum_qn + log($tq / $tn) }")
    count=$((count + 1))
    if [ "$p" = sys_calls ]; then
        # two system calls per iteration, 1000000 iterations by default
        printf '%-10s %8.0fns %7.0fns %7.0fns   per system call\n' "" \
            "$(awk "BEGIN { print $te / 2e6 * 1e9 }")" "$(awk "BEGIN { print $tq / 2e6 * 1e9 }")" \
            "$(awk "BEGIN { print $tn / 2e6 * 1e9 }")"
    fi
done
printf '%-10s %9s %9s %9s %10.2f %10.2f %10.2f\n' geomean "" "" "" \
    "$(awk "BEGIN { print exp($sum_eq / $count) }")" "$(awk "BEGIN { print exp($sum_en / $count) }")" \
    "$(awk "BEGIN { print exp($sum_qn / $count) }")"
[ -n "${BENCH_BUILD:-}" ] || rm -rf "$out"
