#!/bin/sh
# The cost of Lua hooks on a user-mode PowerPC program (bench/lua/hookbench.c): no script, an
# exec hook on a function never reached, a Lua block counter, and a write hook on one variable,
# each the median of RUNS runs, with its ratio to the run without a script.  Two measures: the
# CPU time emu used (user + system, what the hooks cost; steady on a busy machine) and the wall
# time (also counts waiting for a CPU when other work runs).
#
#   bench/lua-hooks.sh                 (from a build folder: uses ./emu)
#   EMU=path/to/emu PPC_CC=powerpc-linux-gnu-gcc RUNS=5 bench/lua-hooks.sh
set -e
here=$(cd "$(dirname "$0")" && pwd)
EMU=${EMU:-./emu}
PPC_CC=${PPC_CC:-powerpc-linux-gnu-gcc}
RUNS=${RUNS:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PPC_CC" -static -O2 -o "$work/hookbench" "$here/lua/hookbench.c"
cat > "$work/unreached.lua" <<'LUA'
emu.on_exec("never_called", function() error("reached") end)
LUA
cat > "$work/blocks.lua" <<'LUA'
local n = 0
emu.on_block(function() n = n + 1 end)
emu.on_exit(function() io.stderr:write("blocks ", n, "\n") end)
LUA
cat > "$work/write.lua" <<'LUA'
local n = 0
emu.on_write("progress", function() n = n + 1 end)
emu.on_exit(function() io.stderr:write("writes ", n, "\n") end)
LUA

now_ms() { date +%s%N | cut -c1-13; }
# cpu_ms FILE: user + system time of this shell's finished children, in milliseconds, from
# what `times` wrote to FILE (`times` itself must run in this shell, not in a $(...) subshell)
cpu_ms() {
    awk 'NR == 2 {
        t = 0
        for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); t += p[1] * 60 + p[2] }
        printf "%d\n", t * 1000 }' "$1"
}
# median_ms ARGS...: runs emu ARGS --user hookbench RUNS times; sets cpu and wall to the
# medians of the CPU and wall times (ms)
median_ms() {
    i=0
    : > "$work/cpu"
    : > "$work/wall"
    while [ $i -lt "$RUNS" ]; do
        t0=$(now_ms)
        times > "$work/times0"
        "$EMU" "$@" --user "$work/hookbench" >/dev/null 2>"$work/err"
        times > "$work/times1"
        t1=$(now_ms)
        echo $(( $(cpu_ms "$work/times1") - $(cpu_ms "$work/times0") )) >> "$work/cpu"
        echo $((t1 - t0)) >> "$work/wall"
        i=$((i + 1))
    done
    cpu=$(sort -n "$work/cpu" | sed -n "$(( (RUNS + 1) / 2 ))p")
    wall=$(sort -n "$work/wall" | sed -n "$(( (RUNS + 1) / 2 ))p")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

median_ms
base_cpu=$cpu
base_wall=$wall
printf '%-30s %8s %6s %8s %6s\n' "case" "cpu ms" "ratio" "wall ms" "ratio"
printf '%-30s %8d %6s %8d %6s\n' "no script" "$cpu" "1.00" "$wall" "1.00"
for case in "unreached exec hook:unreached.lua" "Lua block counter:blocks.lua" "write hook on one variable:write.lua"; do
    name=${case%%:*}
    median_ms --lua "$work/${case#*:}"
    printf '%-30s %8d %6s %8d %6s  %s\n' "$name" "$cpu" "$(ratio "$cpu" "$base_cpu")" \
        "$wall" "$(ratio "$wall" "$base_wall")" "$(cat "$work/err")"
done
