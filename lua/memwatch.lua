-- memwatch.lua: every write (and optionally read) to a variable or an address range, with the
-- instruction that made it and the value.
--
--   emu --lua lua/memwatch.lua,sym=counter --user ./prog
--   emu --lua lua/memwatch.lua,lo=0x10020000,hi=0x1002000f,reads --user ./prog
--
-- Arguments: sym=NAME (the symbol's extent) or lo=ADDR,hi=ADDR (inclusive); reads (also
-- show reads); out=FILE (default stderr).  One line per access:
--   write 0x10020010 size 4 value 0x2a at 0x100004a8 main+0x48

local args = ...
local out = args.out and assert(io.open(args.out, "w")) or io.stderr

local lo, hi
if args.sym then
  local addr, size = emu.symbol(args.sym)
  if not addr then error("memwatch.lua: unknown symbol '" .. args.sym .. "'") end
  lo, hi = addr, addr + math.max(size, 1) - 1
elseif args.lo and args.hi then
  lo, hi = math.tointeger(tonumber(args.lo)), math.tointeger(tonumber(args.hi))
  if not lo or not hi then error("memwatch.lua: lo= and hi= take integer addresses") end
else
  error("memwatch.lua: say what to watch: sym=NAME, or lo=ADDR,hi=ADDR")
end

local function where(pc)
  local name, off = emu.symbol_at(pc)
  return name and string.format("%s+0x%x", name, off) or "?"
end

local function report(what)
  return function(cpu, addr, size, value, pc)
    out:write(string.format("%s 0x%x size %d value 0x%x at 0x%x %s\n",
                            what, addr, size, value, pc, where(pc)))
  end
end

emu.on_write(lo, hi, report("write"))
if args.reads then emu.on_read(lo, hi, report("read")) end
emu.on_exit(function() out:flush() end)
