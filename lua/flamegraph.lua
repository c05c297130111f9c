-- flamegraph.lua: sample the guest's call stacks every N instructions of emulated time and
-- write them in the "folded" format flame graph tools read (one line per distinct stack,
-- outermost function first, then the number of samples):
--
--   main;parse;strtol 12
--
--   emu --lua lua/flamegraph.lua,every=10000,out=prog.folded --user ./prog
--   flamegraph.pl prog.folded > prog.svg
--
-- Arguments: every=N (instructions between samples, default 10000), out=FILE (default
-- flamegraph.folded), depth=N (deepest stack walked, default 64).
-- Stacks are walked the PowerPC way (32-bit SysV/EABI): the pc, the link register for a
-- function that has not saved it yet, then the back chain at r1 with each frame's saved
-- return address at offset 4.  Code built without frames may show shortened stacks.

local args = ...
local every = math.tointeger(tonumber(args.every or "10000"))
if not every or every < 1 then error("flamegraph.lua: every= takes a number of instructions") end
local depth = math.tointeger(tonumber(args.depth or "64")) or 64
local out_name = args.out or "flamegraph.folded"

local samples = {}   -- folded stack -> count

local function name_of(addr)
  return emu.symbol_at(addr) or string.format("0x%x", addr)
end

local function check_registers(cpu)
  local have = {}
  for _, r in ipairs(cpu:regs()) do have[r] = true end
  if not (have.r1 and have.lr) then
    error("flamegraph.lua: walks PowerPC stacks (r1 back chain, lr); cpu " .. cpu.id ..
          " has no r1/lr")
  end
end

local function stack_of(cpu)
  local frames = { name_of(cpu.pc) }
  local function push(addr)
    local f = name_of(addr)
    if f ~= frames[#frames] then frames[#frames + 1] = f end
  end
  push(cpu:reg("lr"))
  local sp = cpu:reg("r1")
  for _ = 1, depth do
    local caller_frame = cpu:read_u32(sp)
    if not caller_frame or caller_frame == 0 or caller_frame <= sp then break end
    local ret = cpu:read_u32(caller_frame + 4)
    if not ret or ret == 0 then break end
    push(ret)
    sp = caller_frame
  end
  -- Outermost first.
  local folded = {}
  for i = #frames, 1, -1 do folded[#folded + 1] = frames[i] end
  return table.concat(folded, ";")
end

local checked = {}
emu.spawn(function()
  while true do
    emu.wait(every)
    local i = 0
    while emu.cpu(i) do
      local cpu = emu.cpu(i)
      if not checked[cpu] then check_registers(cpu); checked[cpu] = true end
      local s = stack_of(cpu)
      samples[s] = (samples[s] or 0) + 1
      i = i + 1
    end
  end
end)

emu.on_exit(function()
  local stacks = {}
  for s in pairs(samples) do stacks[#stacks + 1] = s end
  table.sort(stacks)
  local out = assert(io.open(out_name, "w"))
  for _, s in ipairs(stacks) do out:write(s, " ", samples[s], "\n") end
  out:close()
end)
