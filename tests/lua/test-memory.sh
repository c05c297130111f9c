#!/bin/sh
# emu.memory on a machine without a CPU: a script drives a 16550 UART's and an 8254 timer's
# registers through the address space (so the devices' callbacks run), reads and writes RAM in
# both byte orders, and meets clear errors for unmapped addresses and bad arguments.  The UART's
# chardev is a file: its output lands in the file and the script's console sees it too.
. "$EMU_SRCDIR/tests/tap.sh"
work=$(mktemp -d) || skip_all "cannot create a temporary directory"
trap 'rm -rf "$work"' EXIT

cat > "$work/regs.yaml" <<YAML
emu-machine: 1
name: regs
description: RAM, a UART and a timer, no CPU
memory:
  ram: { kind: ram, size: 64K, map: system@0x0 }
spaces:
  io: { size: 64K, map: system@0x80000000 }
devices:
  uart: { type: ns16550, map: io@0x3f8, props: { chardev: serial0 } }
  pit: { type: i8254, map: io@0x40 }
chardevs: { serial0: "file:$work/uart.out" }
YAML

cat > "$work/regs.lua" <<'LUA'
local function say(k, v) print(k .. "=" .. tostring(v)) end
local function err(f, ...) local ok, e = pcall(f, ...) return ok and "no error" or e end
local io, ram = emu.memory("io"), emu.memory()
say("default", tostring(ram))

-- RAM in both byte orders
ram:write_u32(0x100, 0x11223344)
say("u8", string.format("%x", ram:read_u8(0x100)))
say("u16", string.format("%x", ram:read_u16(0x102)))
say("be32", string.format("%x", emu.memory("system", "big"):read_u32(0x100)))
ram:write_u64(0x108, -1)
say("u64", ram:read_u64(0x108))
ram:write(0x200, "hello")
say("bytes", ram:read(0x200, 5))

-- the UART: scratch register, divisor latch, a byte sent, a byte received
io:write_u8(0x3ff, 0x5a)
say("scr", string.format("%x", io:read_u8(0x3ff)))
say("window", string.format("%x", ram:read_u8(0x800003ff)))
say("lsr", string.format("%x", io:read_u8(0x3fd)))
io:write_u8(0x3fb, 0x83)
io:write_u8(0x3f8, 0x0c)
io:write_u8(0x3f9, 0x00)
say("dll", io:read_u8(0x3f8))
io:write_u8(0x3fb, 0x03)
local tty = emu.serial("serial0")
for c in ("hi\n"):gmatch(".") do io:write_u8(0x3f8, c:byte()) end
say("tapped", (tty:read():gsub("\n", "|")))
tty:write("x")
say("dr", io:read_u8(0x3fd) & 1)
say("rbr", string.char(io:read_u8(0x3f8)))

-- errors
say("unmapped", err(io.read_u8, io, 0x9000))
say("unmapped_bytes", err(ram.read, ram, 0xfffe, 4))
say("space", err(emu.memory, "nowhere"))
say("order", err(emu.memory, "io", "middle"))
say("wide", err(io.write_u8, io, 0x3ff, 0x100))
say("neg", err(io.write_u8, io, 0x3ff, -1))

-- the timer counts down in emulated time: mode 2, count 10000, latched before and after a wait
emu.spawn(function()
  io:write_u8(0x43, 0x34)
  io:write_u8(0x40, 0x10) ; io:write_u8(0x40, 0x27)
  local function count() io:write_u8(0x43, 0x00) return io:read_u8(0x40) | io:read_u8(0x40) << 8 end
  local before = count()
  emu.wait(1000000)          -- 1 ms at the default 1 ns per instruction: ~1193 ticks
  local after = count()
  say("pit", (before > after and before - after > 1000) and "counts" or (before .. "->" .. after))
  emu.quit(0)
end)
LUA

timeout 30 "$EMU" --machine "$work/regs.yaml" --lua "$work/regs.lua" </dev/null >"$work/out" 2>"$work/err"
st=$?
is "$st" 0 "a CPU-less machine runs a script that drives device registers"
[ "$st" = 0 ] || sed 's/^/# /' "$work/err"
val() { sed -n "s/^$1=//p" "$work/out"; }
is "$(val default)" "memory system (little-endian)" "emu.memory() is the system space, little-endian without a CPU"
is "$(val u8)" "44" "write_u32 then read_u8: little-endian bytes in RAM"
is "$(val u16)" "1122" "read_u16 of the upper half"
is "$(val be32)" "44332211" "a big-endian view of the same bytes"
is "$(val u64)" "-1" "write_u64(-1) reads back as all ones"
is "$(val bytes)" "hello" "write(addr, s) and read(addr, n)"
is "$(val window)" "5a" "the io space seen through its window in system space"
is "$(val scr)" "5a" "UART scratch register written and read back"
is "$(val lsr)" "60" "UART LSR after reset: THR empty, transmitter empty"
is "$(val dll)" "12" "divisor latch behind DLAB"
is "$(val tapped)" "hi|" "bytes written to THR reach the console tap"
is "$(cat "$work/uart.out")" "hi" "and the file chardev"
is "$(val dr)" "1" "a byte typed by the script sets LSR.DR"
is "$(val rbr)" "x" "and is read from RBR"
like "$(val unmapped)" "memory io: nothing is mapped at 0x9000 (1-byte read)" "an unmapped register is an error naming space, address and size"
like "$(val unmapped_bytes)" "part of the 4 bytes at 0xfffe is not mapped" "a byte range running off RAM too"
like "$(val space)" "no address space 'nowhere' in this machine (spaces: system, io)" "an unknown space lists the valid ones"
like "$(val order)" "invalid option 'middle'" "a byte order other than big or little is refused"
like "$(val wide)" "256 does not fit in 1 byte" "a value too wide for the access is refused"
like "$(val neg)" "no error" "a negative value that fits is accepted"
is "$(val pit)" "counts" "the 8254 counter runs down in emulated time, read through latches"
done_testing
