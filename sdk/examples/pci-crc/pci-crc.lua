-- Script of pci-crc.yaml: firmware and driver for the example CRC engine, in Lua.
-- The CPU idles in ROM; the script reaches memory through it (cpu:read/cpu:write, real
-- mode: physical addresses).  PCI is little-endian, so registers are packed as "<I4"
-- (a big-endian PowerPC driver would use lwbrx/stwbrx).
local cpu = emu.cpu(0)
local IO, MEM = 0x80000000, 0xc0000000      -- CPU windows onto PCI I/O and PCI memory
local RAM_ON_BUS = 0x80000000               -- bus address of RAM 0 (the bus's dma-base)

local function w32(addr, v) cpu:write(addr, string.pack("<I4", v)) end
local function r32(addr) return (string.unpack("<I4", cpu:read(addr, 4))) end
-- Configuration cycles through the host bridge's 0xCF8 (address) and 0xCFC (data) ports.
local function cfg_read(devfn, reg)
    w32(IO + 0xcf8, 0x80000000 | devfn << 8 | reg)
    return r32(IO + 0xcfc)
end
local function cfg_write(devfn, reg, v)
    w32(IO + 0xcf8, 0x80000000 | devfn << 8 | reg)
    w32(IO + 0xcfc, v)
end

-- Firmware: find the engine (vendor 1234, device c320), size and place BAR 0, enable it.
local dev
for devfn = 0, 255, 8 do
    if cfg_read(devfn, 0x00) == 0xc3201234 then dev = devfn break end
end
assert(dev, "no example-pci-crc on the bus")
print(string.format("found 1234:c320 in slot %d: class %04x, interrupt pin %d",
    dev >> 3, cfg_read(dev, 0x08) >> 16, cfg_read(dev, 0x3c) >> 8 & 0xff))
cfg_write(dev, 0x10, 0xffffffff)
local size = (~(cfg_read(dev, 0x10) & 0xfffffff0) & 0xffffffff) + 1
local bar = 0x01000000
cfg_write(dev, 0x10, bar)
cfg_write(dev, 0x04, 0x0006)                -- memory space and bus master on
local regs = MEM + bar
print(string.format("BAR 0: %d bytes at bus address 0x%08x; ID register reads %08x",
    size, bar, r32(regs + 0x00)))

-- Driver: CRC-32 of a buffer in RAM, completion by interrupt.
emu.on_irq("pic", function(_, line, level, index)
    print(string.format("%6d ns  interrupt: pic.%s[%d] = %d", emu.time_ns(), line, index, level))
end)
local text = "123456789"
cpu:write(0x10000, text)
w32(regs + 0x04, RAM_ON_BUS + 0x10000)      -- ADDR_LO
w32(regs + 0x08, 0)                         -- ADDR_HI
w32(regs + 0x0c, #text)                     -- LEN
print(string.format("%6d ns  start: %d bytes at bus address 0x%08x", emu.time_ns(), #text,
    RAM_ON_BUS + 0x10000))
w32(regs + 0x10, 3)                         -- CTRL: START | IRQ_EN
emu.spawn(function()
    while r32(regs + 0x10) & 1 ~= 0 do emu.wait(100) end
    print(string.format("%6d ns  done: STATUS %x, CRC-32 %08x", emu.time_ns(),
        r32(regs + 0x14), r32(regs + 0x18)))
    w32(regs + 0x14, 1)                     -- clear DONE: the interrupt goes away
    cfg_write(dev, 0x04, 0x0002)            -- bus mastering off, and try again
    w32(regs + 0x10, 3)
    emu.wait(2000)
    print(string.format("%6d ns  without bus mastering: STATUS %x", emu.time_ns(), r32(regs + 0x14)))
    emu.quit(0)
end)
