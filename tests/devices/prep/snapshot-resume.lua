-- snapshot-resume.lua: one half of test-snapshot-resume.sh.
--   mode=save: wait for OpenBIOS's "0 > " prompt, define a word and a value, save the machine
--              to file= at the next prompt and write a set of CPU registers to regs=;
--   mode=load: (run with --load-state) compare the CPU registers with regs= before the first
--              instruction, then use the word and the value and check the answer.
--   mode=stop: end the run at once (for --save-state before the first instruction).
-- Ends emu with status 0 when all went well, 1 on a timeout, 3 when registers differ.
local args = ...
local console = emu.serial("serial0")
local cpu = emu.cpu(0)
local names = { "pc", "msr", "cr", "xer", "lr", "ctr", "r1", "r2", "r3", "r13", "r31", "f0", "f31",
                "fpscr", "srr0", "srr1", "sprg0", "sprg3", "dar", "dsisr", "sdr1", "hid0",
                "sr0", "sr15", "ibat0u", "ibat0l", "dbat3u", "dbat3l", "pvr" }

local function fail(status, why)
  io.stderr:write("snapshot-resume.lua: ", why, "\n")
  emu.quit(status)
end

local function expect(pattern, limit)
  if console:expect(pattern, limit) then return true end
  fail(1, string.format("no '%s' on the console; it shows: %s", pattern, console:read()))
  return false
end

if args.mode == "stop" then
  emu.spawn(function() emu.quit(0) end)
elseif args.mode == "save" then
  emu.spawn(function()
    if not expect("0 > ", 3000000000) then return end
    console:write(": sq dup * ; 1234 value kept\n")
    if not expect("ok\r?\n0 > ", 300000000) then return end
    emu.save_state(args.file)
    local f = assert(io.open(args.regs, "w"))
    for _, n in ipairs(names) do f:write(n, " ", string.format("%x", cpu:reg(n)), "\n") end
    f:close()
    emu.quit(0)
  end)
else
  local differ = 0
  for line in io.lines(args.regs) do
    local n, v = line:match("^(%w+) (%x+)$")
    local now = string.format("%x", cpu:reg(n))
    if now ~= v then
      io.stderr:write(string.format("snapshot-resume.lua: %s is %s, was %s\n", n, now, v))
      differ = differ + 1
    end
  end
  emu.spawn(function()
    console:write("kept sq .\n")
    if not expect("14b5a90  ok", 300000000) then return end
    if differ > 0 then return fail(3, differ .. " registers differ") end
    io.stderr:write("snapshot-resume.lua: PASS\n")
    emu.quit(0)
  end)
end
