-- Script of watchdog.yaml: a driver for the example watchdog, in Lua.  The CPU idles in ROM;
-- the script reaches the registers through it (cpu:read/cpu:write in real mode, physical
-- addresses), packing values little-endian as the device declares.  Every change of the
-- watchdog's lines is printed as the interrupt controller receives it.
local cpu = emu.cpu(0)
local WDT = 0x10000000
local ID, CTRL, LOAD, VALUE, KICK, STATUS = 0x00, 0x04, 0x08, 0x0c, 0x10, 0x14
local function w32(reg, v) cpu:write(WDT + reg, string.pack("<I4", v)) end
local function r32(reg) return (string.unpack("<I4", cpu:read(WDT + reg, 4))) end
local function now() return string.format("%8d ns", emu.time_ns()) end

emu.on_irq("pic", function(_, line, level, index)
    local what = ({ [3] = "irq", [5] = "reset" })[index] or "?"
    print(string.format("%s  wdt %-5s -> pic.%s[%d] = %d", now(), what, line, index, level))
end)

print(string.format("%s  ID %08x, CTRL %x, LOAD %d", now(), r32(ID), r32(CTRL), r32(LOAD)))
w32(LOAD, 1000)                         -- 1000 ticks: 1 ms
w32(CTRL, 7)                            -- EN | IRQ_EN | RESET_EN
emu.spawn(function()
    for _ = 1, 3 do
        emu.wait(600000)                -- 600 us of guest time
        print(string.format("%s  VALUE %d: kick", now(), r32(VALUE)))
        w32(KICK, 0x4b49434b)
    end
    -- No more kicks: the next timeout raises irq, the one after pulses reset.
    emu.wait(2500000)
    print(string.format("%s  STATUS %x: clear it, stop the watchdog", now(), r32(STATUS)))
    w32(STATUS, 3)
    w32(CTRL, 0)
    emu.wait(2000000)
    print(string.format("%s  STATUS %x, VALUE %d", now(), r32(STATUS), r32(VALUE)))
    emu.quit(0)
end)
