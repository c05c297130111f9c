-- board-check.lua: what the prep board and machine file put in place before the CPU runs,
-- checked through the CPU's (still untranslated) view of memory, printed as TAP lines.
-- Arguments: ram=BYTES (the RAM size the machine was given), kernel=BYTES (its size, or 0).
local args = ...
local cpu = emu.cpu(0)
local n, failed = 0, 0
local function check(cond, what, got)
  n = n + 1
  if cond then print(("ok %d - %s"):format(n, what))
  else failed = failed + 1; print(("not ok %d - %s (got %s)"):format(n, what, tostring(got))) end
end
local function is(got, want, what) check(got == want, what, got and ("0x%x"):format(got)) end

-- ROM: the ELF's two segments at their physical addresses, nothing in between
is(cpu:read_u32(0xfff00100), 0x48002420, "reset vector: b _entry")
is(cpu:read_u32(0xfffffffc), 0x4bf02525, ".romentry segment at 0xfffffffc")
is(cpu:read_u32(0xfff03000), 0, "ROM bytes no segment covers read 0")

-- fw_cfg, as OpenBIOS reads it: 16-bit big-endian select, byte reads
local function item(key, len)
  cpu:write_u16(0xf0000510, key)
  local v = 0
  for i = 0, len - 1 do v = v | (cpu:read_u8(0xf0000512) << (8 * i)) end
  return v
end
is(item(0x00, 4), 0x554d4551, "fw_cfg signature QEMU")
is(item(0x01, 4), 1, "fw_cfg id 1")
is(item(0x03, 8), math.tointeger(tonumber(args.ram)), "fw_cfg RAM size")
is(item(0x06, 2), 0, "machine id 0: PReP")
is(item(0x0f, 2), 1, "max CPUs 1")
is(item(0x8003, 4), 1000000000, "time base frequency told to OpenBIOS: 1 GHz, as QEMU")
is(item(0x8000, 2), 800, "display width 800")
local kernel = math.tointeger(tonumber(args.kernel or "0"))
if kernel > 0 then
  is(item(0x0c, 2), string.byte("m"), "boot device m with a kernel")
  is(item(0x07, 4), 0x01000000, "kernel address")
  is(item(0x08, 4), kernel, "kernel size")
  is(cpu:read_u32(0x01000000), math.tointeger(tonumber(args.word)), "kernel in RAM")
else
  is(item(0x0c, 2), string.byte("c"), "boot device c")
  is(item(0x08, 4), 0, "no kernel")
end

-- NVRAM (ports 0x74/0x75/0x77) and CMOS (0x70/0x71)
local function nvram(addr)
  cpu:write_u8(0x80000074, addr & 0xff)
  cpu:write_u8(0x80000075, addr >> 8)
  return cpu:read_u8(0x80000077)
end
local s = ""
for i = 0, 8 do s = s .. string.char(nvram(i)) end
check(s == "QEMU_BIOS", "NVRAM header signature", s)
is(nvram(0x30) << 24 | nvram(0x31) << 16 | nvram(0x32) << 8 | nvram(0x33),
   math.tointeger(tonumber(args.ram)), "NVRAM RAM size, big-endian")
if args.crc then
  is(nvram(0xfc) << 8 | nvram(0xfd), math.tointeger(tonumber(args.crc)), "NVRAM header CRC as QEMU's")
end
cpu:write_u8(0x80000070, 0x2e)
is(cpu:read_u8(0x80000071), 0xa9, "CMOS checksum low byte")
cpu:write_u8(0x80000070, 0x3f)
is(cpu:read_u8(0x80000071), 0x6a, "CMOS checksum high byte, second copy")

-- The I/O window, PCI configuration and unassigned ports
is(cpu:read_u8(0x800003fd), 0x60, "UART LSR through the I/O window")
is(cpu:read_u8(0x800103fd), 0x60, "... and its 64 KiB mirror")
is(cpu:read_u8(0x80800000) | cpu:read_u8(0x80800001) << 8, 0x8086, "direct configuration: SIO vendor")
is(cpu:read_u8(0x80000300), 0, "unassigned ports read 0")
is(cpu:read_u8(0x80000852), 0xfc, "planar ID")
is(cpu:read_u8(0xbffffff0), 7, "interrupt acknowledge with nothing pending: the 8259's spurious IRQ 7")

print("1.." .. n)
emu.quit(failed == 0 and 0 or 1)
