#!/bin/sh
# Block hooks on a real PowerPC guest (emu --user) whose function step() runs a known number of
# times, first in four threads at once, then in the main thread alone: every executed block
# fires once (also when several CPU threads share the hook, and after they are gone), the
# callback sees (cpu, pc, ninsns) as it declares them, removal takes effect at once, and an
# error in a block callback stops emu with status 2 naming the script and line.
. "$EMU_SRCDIR/tests/tap.sh"

[ -n "$PPC_CC" ] && command -v "$PPC_CC" >/dev/null 2>&1 ||
    skip_all "no PowerPC cross compiler (Debian: gcc-powerpc-linux-gnu libc6-dev-powerpc-cross)"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT
guest="$work/blocks"
"$PPC_CC" -static -O1 -o "$guest" "$EMU_SRCDIR/tests/guests/lua/blocks.c" -lpthread 2>"$work/cc.err" ||
    skip_all "cannot build tests/guests/lua/blocks.c: $(head -1 "$work/cc.err")"
plain=$("$EMU" --user "$guest" 2>&1)
case "$plain" in
calls=9000*) ;;
*) skip_all "emu --user does not run a threaded PowerPC program yet" ;;
esac

# script NAME TEXT: write a script into the work folder.
script() { printf '%s\n' "$2" > "$work/$1"; }
# run ARGS...: emu on the guest; sets $out (stdout), $err (stderr), $st (status).
run() {
    "$EMU" "$@" --user "$guest" >"$work/out" 2>"$work/err"
    st=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

# Blocks starting at step's first instruction: exactly one per call.
script count.lua '
local step = emu.symbol("step")
local at_step, all, bad = 0, 0, 0
emu.on_block(step, step, function(cpu, pc, n)
  at_step = at_step + 1
  if pc ~= step or cpu.pc ~= step or n < 1 then bad = bad + 1 end
end)
emu.on_block(function() all = all + 1 end)
emu.on_exit(function()
  io.stderr:write("at_step=", at_step, " bad=", bad, " more=", tostring(all > at_step), "\n")
end)'
run --lua "$work/count.lua"
is "$st" 0 "a program with threads runs under block hooks"
is "$out" "$plain" "and prints what it prints without them"
like "$err" "at_step=9000 " "each call of step fires the block hook once, from every thread and after they end"
like "$err" "bad=0 " "with the block's pc in the argument and in cpu.pc, and its length"
like "$err" "more=true" "a hook on every block sees more blocks"

# What the callback declares is what it gets.
script args.lua '
local step = emu.symbol("step")
local seen = {}
emu.on_block(step, step, function(...) seen.n = select("#", ...) seen.pc = select(2, ...) end)
emu.on_block(step, step, function(cpu) seen.cpu = cpu.pc end)
emu.on_block(step, step, function(cpu, pc) seen.two = pc end)
emu.on_exit(function()
  io.stderr:write(string.format("n=%d pc=%s cpu=%s two=%s\n", seen.n, tostring(seen.pc == step),
                                tostring(seen.cpu == step), tostring(seen.two == step)))
end)'
run --lua "$work/args.lua"
like "$err" "n=3 pc=true cpu=true two=true" "a vararg callback gets cpu, pc and ninsns; fewer parameters get the first ones"

# Removed from inside its own callback: not one call more, while threads run (call 500) or
# once main runs alone (call 8500: the first 8000 are the threads').
script remove.lua '
local step = emu.symbol("step")
local n, h = 0, nil
h = emu.on_block(step, step, function() n = n + 1 if n == LAST then h:remove() end end)
emu.on_exit(function() io.stderr:write("fired=", n, "\n") end)'
sed 's/LAST/500/' "$work/remove.lua" > "$work/remove500.lua"
sed 's/LAST/8500/' "$work/remove.lua" > "$work/remove8500.lua"
run --lua "$work/remove500.lua"
like "$err" "fired=500" "a block hook removed by its callback stops at once (threads running)"
run --lua "$work/remove8500.lua"
like "$err" "fired=8500" "and with one thread left"

# An error in a block callback.
script fail.lua '
local step = emu.symbol("step")
local n = 0
emu.on_block(step, step, function()
  n = n + 1
  if n == 3000 then error("enough blocks") end
end)'
run --lua "$work/fail.lua"
is "$st" 2 "an error in a block callback exits with status 2"
like "$err" "fail.lua:6: enough blocks" "and names the script, line and message"
unlike "$out" "calls=" "the program stops"

# The same once main runs alone, with an error without a position (error(msg, 0)) and one
# raised by Lua itself.
script late.lua '
local step = emu.symbol("step")
local n = 0
emu.on_block(step, step, function()
  n = n + 1
  if n == 8500 then error("late", 0) end
end)'
run --lua "$work/late.lua"
is "$st" 2 "an error in a block callback with one thread left exits with status 2"
like "$err" "late.lua:6: late" "and is located in the script"
unlike "$out" "calls=" "the program stops"
script nil.lua '
local step = emu.symbol("step")
local n, t = 0, nil
emu.on_block(step, step, function(cpu, pc)
  n = n + 1
  if n == 8600 then return t.x end
end)'
run --lua "$work/nil.lua"
is "$st" 2 "a Lua runtime error in a block callback exits with status 2"
like "$err" "nil.lua:6: attempt to index a nil value" "naming script, line and message"

done_testing
