#!/bin/sh
# Block hooks in system mode: a 604 runs a bare-metal counting loop from ROM (the image is
# written here, no cross compiler needed).  Every executed block fires once: the loop's block
# is seen as often as the loop runs, and the instruction counts the callbacks add up to
# cpu.icount at the end.  Hooks added and removed from a callback take effect at once, and
# an error in a block callback stops emu with status 2 naming the script and line.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

# The image, at 0xfff00000; the 604 starts at its reset vector 0xfff00100:
#   fff00100  li r3,0 ; li r4,3000 ; mtctr r4
#   fff0010c  loop: addi r3,r3,1 ; bdnz loop
#   fff00114  done: b done
# Blocks: the first one (5 instructions, up to the first bdnz), the loop's 2999 times
# (2 instructions), then `done` (1 instruction) again and again.
bytes() { for b in "$@"; do printf "\\$(printf %o "0x$b")"; done; }
{
    head -c 256 /dev/zero
    bytes 38 60 00 00  38 80 0b b8  7c 89 03 a6
    bytes 38 63 00 01  42 00 ff fc
    bytes 48 00 00 00
} > "$work/loop.rom"
cat > "$work/loop.yaml" <<YAML
emu-machine: 1
name: block-loop
description: a 604 counting in a loop in ROM, then spinning
memory:
  ram: { kind: ram, size: 1M, map: system@0x0 }
  rom: { kind: rom, file: "$work/loop.rom", map: system@0xfff00000 }
cpus:
  cpu0: { type: ppc604 }
YAML

# run SCRIPT: emu on the machine with the script; sets $out, $err, $st.
run() {
    timeout 20 "$EMU" --machine "$work/loop.yaml" --lua "$work/$1" </dev/null >"$work/out" 2>"$work/err"
    st=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

cat > "$work/count.lua" <<'LUA'
local loop, done = 0xfff0010c, 0xfff00114
local blocks, at_loop, insns, bad = 0, 0, 0, 0
emu.on_block(loop, loop, function(cpu, pc, n)
  at_loop = at_loop + 1
  if pc ~= loop or cpu.pc ~= loop or n ~= 2 then bad = bad + 1 end
end)
local live_ok = 0
emu.on_block(function(cpu, pc, n)
  -- inside the run, the counts are the instructions completed before this block
  if cpu.icount == insns and emu.icount() == insns then live_ok = live_ok + 1 end
  if pc == done then emu.quit(0) return end   -- before done's first instruction runs
  blocks = blocks + 1
  insns = insns + n
end)
emu.on_exit(function()
  local cpu = emu.cpu(0)
  print(string.format("blocks=%d at_loop=%d bad=%d insns=%s r3=%d live=%d", blocks, at_loop, bad,
                      tostring(insns == cpu.icount), cpu:reg("r3"), live_ok))
end)
LUA
run count.lua
is "$st" 0 "a system-mode machine runs under block hooks"
is "$out" "blocks=3000 at_loop=2999 bad=0 insns=true r3=3000 live=3001" \
    "every executed block fires once, with its pc and length, the lengths add up to cpu.icount, and cpu.icount/emu.icount() are exact inside the callbacks"

# Hooks added and removed by a block callback: the new one sees the next block, the removed
# one none after its removal.
cat > "$work/change.lua" <<'LUA'
local loop, done = 0xfff0010c, 0xfff00114
local first, second, h2 = 0, 0, nil
local h1
h1 = emu.on_block(loop, loop, function()
  first = first + 1
  if first == 1000 then
    h1:remove()
    h2 = emu.on_block(loop, loop, function() second = second + 1 end)
  end
end)
emu.on_block(done, done, function()
  print(string.format("first=%d second=%d", first, second))
  emu.quit(0)
end)
LUA
run change.lua
is "$st" 0 "hooks change from inside a block callback"
is "$out" "first=1000 second=1999" "removal and addition take effect at the next block"

printf '%s\n' 'local n = 0' 'emu.on_block(function() n = n + 1' \
    '  if n == 500 then error("stop here") end end)' > "$work/fail.lua"
run fail.lua
is "$st" 2 "an error in a system-mode block callback exits with status 2"
like "$err" "fail.lua:3: stop here" "the message names the script and line"

done_testing
