-- count.lua: instructions and translated blocks executed per function (by symbol), printed
-- when the run ends, most instructions first.
--
--   emu --lua lua/count.lua --user ./prog
--   emu --lua lua/count.lua,out=counts.txt,top=20 --user ./prog
--
-- Arguments: out=FILE (default stderr), top=N (only the N busiest functions).
-- A block is counted in the function where it starts; addresses no symbol covers are
-- counted as "[unknown]".  For a firmware or kernel, load its symbols first
-- (emu.load_symbols in another script given before this one).

local args = ...
local out = args.out and assert(io.open(args.out, "w")) or io.stderr
local top = tonumber(args.top)

local function_of = {}   -- block address -> function name (symbol lookups are cached)
local insns, blocks = {}, {}

emu.on_block(function(cpu, pc, n)
  local f = function_of[pc]
  if not f then
    f = emu.symbol_at(pc) or "[unknown]"
    function_of[pc] = f
  end
  insns[f] = (insns[f] or 0) + n
  blocks[f] = (blocks[f] or 0) + 1
end)

emu.on_exit(function()
  local names, total_insns, total_blocks = {}, 0, 0
  for f, n in pairs(insns) do
    names[#names + 1] = f
    total_insns = total_insns + n
    total_blocks = total_blocks + blocks[f]
  end
  table.sort(names, function(a, b)
    if insns[a] ~= insns[b] then return insns[a] > insns[b] end
    return a < b
  end)
  out:write(string.format("%14s %12s  %s\n", "instructions", "blocks", "function"))
  for i, f in ipairs(names) do
    if top and i > top then break end
    out:write(string.format("%14d %12d  %s\n", insns[f], blocks[f], f))
  end
  out:write(string.format("%14d %12d  %s\n", total_insns, total_blocks, "total"))
  out:flush()
end)
