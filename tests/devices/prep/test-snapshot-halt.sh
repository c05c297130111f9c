#!/bin/sh
# A PowerPC CPU dozing (MSR[POW] set by mtmsr, waiting for an interrupt) when the machine is
# saved is still dozing after --load-state in a new emu: it executes nothing, at the same PC,
# instead of running on into the loop after the mtmsr.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

printf '%s\n' "emu-machine: 1" "name: doze" "cpus:" "  cpu0: { type: ppc604 }" "memory:" \
    "  ram: { kind: ram, size: 64K, map: system@0x0 }" \
    "  boot: { kind: ram, size: 64K, map: system@0xfff00000 }" > "$work/doze.yaml"
cat > "$work/save.lua" <<LUA
local sys = emu.memory("system")
sys:write_u32(0xfff00100, 0x3c600004)   -- lis r3, 4: MSR[POW]
sys:write_u32(0xfff00104, 0x7c600124)   -- mtmsr r3
sys:write_u32(0xfff00108, 0x48000000)   -- b .
emu.spawn(function()
  emu.wait(1000000)
  print(string.format("saved icount=%d pc=%x", emu.cpu(0).icount, emu.cpu(0).pc))
  emu.save_state("$work/doze.snap")
  emu.quit(0)
end)
LUA
cat > "$work/load.lua" <<'LUA'
emu.spawn(function()
  local cpu = emu.cpu(0)
  local n = cpu.icount
  emu.wait(1000000)
  print(string.format("ran=%d pc=%x", cpu.icount - n, cpu.pc))
  emu.quit(0)
end)
LUA

out=$(timeout 30 "$EMU" --machine "$work/doze.yaml" --lua "$work/save.lua" 2>&1 </dev/null)
is "$?" 0 "the CPU dozes after two instructions and the machine is saved"
like "$out" "saved icount=2 pc=fff00108" "at the instruction after the mtmsr"
out=$(timeout 30 "$EMU" --machine "$work/doze.yaml" --load-state "$work/doze.snap" --lua "$work/load.lua" 2>&1 </dev/null)
is "$?" 0 "a new emu loads the snapshot"
like "$out" "ran=0 pc=fff00108" "its CPU still dozes: no instruction in 1 ms, same PC"
done_testing
