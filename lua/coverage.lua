-- coverage.lua: which guest instructions ran, and how often, written when the run ends.
--
--   emu --lua lua/coverage.lua --user ./prog                     plain report to coverage.txt
--   emu --lua lua/coverage.lua,format=lcov,out=prog.info --user ./prog
--   emu --lua lua/coverage.lua,sym=main --user ./prog            only inside one function
--
-- Arguments:
--   out=FILE        report file (default coverage.txt, or coverage.info for lcov)
--   format=plain    one line per executed instruction: address, times executed, symbol+offset
--                   (feed the addresses to addr2line for source lines)
--   format=lcov     function coverage in lcov's tracefile format (FN/FNDA records; a
--                   function's count is how often its first instruction ran; without
--                   source lines, the FN line number is the function's rank by name)
--   lo=ADDR,hi=ADDR or sym=NAME   only blocks starting in that range
--   insn_size=N     bytes per instruction (default 4: PowerPC, ARM; fixed-width ISAs only)
--   source=NAME     the SF: name of the lcov record (default "guest")

local args = ...
local format = args.format or "plain"
if format ~= "plain" and format ~= "lcov" then
  error("coverage.lua: format=" .. format .. " (valid: plain, lcov)")
end
local insn_size = tonumber(args.insn_size) or 4
local out_name = args.out or (format == "lcov" and "coverage.info" or "coverage.txt")

local lo, hi = 0, -1                    -- -1 is 0xffffffffffffffff: everything
if args.sym then
  local addr, size = emu.symbol(args.sym)
  if not addr then error("coverage.lua: unknown symbol '" .. args.sym .. "'") end
  lo, hi = addr, addr + math.max(size, 1) - 1
elseif args.lo or args.hi then
  lo, hi = math.tointeger(tonumber(args.lo or "0")), math.tointeger(tonumber(args.hi or "-1"))
  if not lo or not hi then error("coverage.lua: lo= and hi= take integer addresses") end
end

-- Executions of each block start, and the longest block seen starting there.
local runs, length = {}, {}
emu.on_block(lo, hi, function(cpu, pc, n)
  runs[pc] = (runs[pc] or 0) + 1
  if (length[pc] or 0) < n then length[pc] = n end
end)

local function where(addr)
  local name, off = emu.symbol_at(addr)
  return name and string.format("%s+0x%x", name, off) or "?"
end

-- Times each instruction address ran.
local function instruction_counts()
  local hits = {}
  for pc, count in pairs(runs) do
    for i = 0, length[pc] - 1 do
      local a = pc + i * insn_size
      hits[a] = (hits[a] or 0) + count
    end
  end
  return hits
end

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return math.ult(a, b) end)
  return keys
end

local function write_plain(out)
  local hits = instruction_counts()
  for _, a in ipairs(sorted_keys(hits)) do
    out:write(string.format("0x%x %d %s\n", a, hits[a], where(a)))
  end
end

local function write_lcov(out)
  local hits = instruction_counts()
  local calls, seen = {}, {}
  for a, count in pairs(hits) do
    local name, off = emu.symbol_at(a)
    if name then
      seen[name] = true
      if off == 0 then calls[name] = count end
    end
  end
  local names = {}
  for name in pairs(seen) do names[#names + 1] = name end
  table.sort(names)
  out:write("TN:\n", "SF:", args.source or "guest", "\n")
  local hit = 0
  for i, name in ipairs(names) do
    out:write(string.format("FN:%d,%s\n", i, name))
  end
  for _, name in ipairs(names) do
    out:write(string.format("FNDA:%d,%s\n", calls[name] or 0, name))
    if (calls[name] or 0) > 0 then hit = hit + 1 end
  end
  out:write(string.format("FNF:%d\nFNH:%d\nend_of_record\n", #names, hit))
end

emu.on_exit(function()
  local out = assert(io.open(out_name, "w"))
  if format == "lcov" then write_lcov(out) else write_plain(out) end
  out:close()
end)
