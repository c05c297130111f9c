#!/bin/sh
# The cost of Lua hooks on a user-mode PowerPC program (bench/lua/hookbench.c): wall time of
# no script, an exec hook on a function never reached, a Lua block counter, and a write hook on
# one variable, each the median of RUNS runs, with its ratio to the run without a script.
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
# median_ms ARGS...: median wall time of RUNS runs of emu ARGS --user hookbench
median_ms() {
    i=0
    : > "$work/times"
    while [ $i -lt "$RUNS" ]; do
        t0=$(now_ms)
        "$EMU" "$@" --user "$work/hookbench" >/dev/null 2>"$work/err"
        t1=$(now_ms)
        echo $((t1 - t0)) >> "$work/times"
        i=$((i + 1))
    done
    sort -n "$work/times" | sed -n "$(( (RUNS + 1) / 2 ))p"
}

base=$(median_ms)
printf '%-40s %8s %8s\n' "case" "ms" "ratio"
printf '%-40s %8d %8s\n' "no script" "$base" "1.00"
for case in "unreached exec hook:unreached.lua" "Lua block counter:blocks.lua" "write hook on one variable:write.lua"; do
    name=${case%%:*}
    ms=$(median_ms --lua "$work/${case#*:}")
    ratio=$(awk -v a="$ms" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
    printf '%-40s %8d %8s  %s\n' "$name" "$ms" "$ratio" "$(cat "$work/err")"
done
