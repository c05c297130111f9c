-- forth-console.lua: types lines at OpenBIOS's "N > " prompt and records the console, so a
-- boot and a Forth session can be compared byte for byte with a transcript of QEMU's.
--
--   emu --machine machines.d/prep.yaml --set serial=buffer \
--       --lua 'tests/devices/prep/forth-console.lua,input=cases.in,output=got.txt'
--
-- The transcript holds the boot output up to the first prompt, then for each input line
-- everything the console printed until the next prompt (the echo included).  Each line is
-- sent with a carriage return; "\xNN" in a line stands for byte NN (\x7f DEL, \x03 ^C).
-- A prompt counts once the console has been quiet for `settle` instructions after it.
-- Arguments: input=FILE output=FILE [serial=NAME] [settle=N] [timeout=N] (instructions).
local args = ...
local console = emu.serial(args.serial or "serial0")
local settle = math.tointeger(tonumber(args.settle or "500000"))
local timeout = math.tointeger(tonumber(args.timeout or "20000000000"))
assert(args.input and args.output, "forth-console.lua: input= and output= are required")

local function unescape(line)
  return (line:gsub("\\x(%x%x)", function(h) return string.char(tonumber(h, 16)) end))
end

-- Everything up to a prompt followed by `settle` instructions of silence; nil on timeout.
local function until_prompt()
  local text = ""
  local start = emu.icount()
  while emu.icount() - start < timeout do
    local m = console:expect("^.* > $", timeout)
    if not m then return nil end
    text = text .. m
    emu.wait(settle)
    local more = console:read()
    if more == "" then return text end
    text = text .. more
    if text:find(" > $") then
      -- more output ended in a prompt too: let it settle again
      emu.wait(settle)
      more = console:read()
      if more == "" then return text end
      text = text .. more
    end
  end
  return nil
end

emu.spawn(function()
  local out = assert(io.open(args.output, "wb"))
  local boot = until_prompt()
  if not boot then
    io.stderr:write("forth-console.lua: no prompt after the boot\n")
    emu.quit(1)
    return
  end
  out:write(boot)
  for line in io.lines(args.input) do
    console:write(unescape(line) .. "\r")
    local reply = until_prompt()
    if not reply then
      io.stderr:write(("forth-console.lua: no prompt after '%s'\n"):format(line))
      out:close()
      emu.quit(1)
      return
    end
    out:write(reply)
  end
  out:close()
  emu.quit(0)
end)
