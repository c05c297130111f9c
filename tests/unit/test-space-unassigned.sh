#!/bin/sh
# What a read of nothing answers, per address space, from the machine file (spaces: NAME:
# unassigned: VALUE, also for `system`) and from --set: a PowerPC program in ROM loads from a
# hole in `system` and from a hole in a space seen through a window, and stores what it got
# in RAM for a Lua script to print.  Without the key, holes read all ones.
. "$EMU_SRCDIR/tests/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# word HEX...: big-endian instruction words as bytes.
word() {
    for w; do
        w=$((0x$w))
        printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $((w >> 24 & 255)) $((w >> 16 & 255)) \
            $((w >> 8 & 255)) $((w & 255)))"
    done
}
# The 604 starts at 0xfff00100 in real mode.
{
    head -c 256 /dev/zero
    word 3C608000   # lis  r3,0x8000        the io window
    word 80830010   # lwz  r4,0x10(r3)      a hole in io, 4 bytes
    word 90800100   # stw  r4,0x100(0)
    word 88830010   # lbz  r4,0x10(r3)      the same hole, 1 byte
    word 90800104   # stw  r4,0x104(0)
    word 3CE04000   # lis  r7,0x4000        a hole in system
    word 80C70000   # lwz  r6,0(r7)
    word 90C00108   # stw  r6,0x108(0)
    word 48000000   # b    .                (0xfff00120)
} > "$tmp/rom.bin"

cat > "$tmp/m.yaml" <<'EOF'
emu-machine: 1
name: unassigned-values
cpus:
  cpu0: { type: ppc604 }
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
  rom: { kind: rom, file: rom.bin, map: system@0xfff00000 }
spaces:
  system: { unassigned: 0x5a5a5a5a5a5a5a5a }
  io: { size: 64K, map: system@0x80000000, unassigned: 0x12345678 }
EOF
grep -v 'system: { unassigned' "$tmp/m.yaml" | sed 's/, unassigned: 0x12345678//' > "$tmp/plain.yaml"
cat > "$tmp/show.lua" <<'EOF'
emu.on_exec(0xfff00120, function(cpu)
  local m = emu.memory("system")
  print(("%08x %08x %08x"):format(m:read_u32(0x100), m:read_u32(0x104), m:read_u32(0x108)))
  emu.quit(0)
end)
EOF
run() { (cd "$tmp" && timeout 20 "$EMU" "$@" --lua show.lua </dev/null 2>&1); }

is "$(run --machine m.yaml)" "12345678 00000078 5a5a5a5a" \
    "each space answers its own value (io through its window, system), truncated to the access size"
is "$(run --machine plain.yaml)" "ffffffff 000000ff ffffffff" "without the key, holes read all ones"
is "$(run --machine m.yaml --set spaces.io.unassigned=0 --set spaces.system.unassigned=7)" \
    "00000000 00000000 00000007" "--set spaces.NAME.unassigned changes them"
out=$(run --machine m.yaml --set spaces.system.size=4G); st=$?
is $st 2 "a size for system is refused"
like "$out" "only its 'unassigned' value can be set" "... saying what can be set"

done_testing
