-- boot-console.lua: types lines at OpenBIOS's "0 > " prompt, each after the prompt the previous
-- one gave back, then records the console until the guest prints a pattern and ends emu with
-- status 0 (1 when a prompt or the pattern does not come within the timeout).  The whole
-- console, boot text included, goes to the output file in both cases.
--   emu ... --set serial=buffer --lua 'boot-console.lua,input=FILE,until=done\r\n,output=FILE'
-- Arguments: input=FILE until=LUA-PATTERN output=FILE [serial=NAME] [timeout=N instructions
-- per wait].  The last line of the input is the one that starts the program (e.g. "go").
local args = ...
local console = emu.serial(args.serial or "serial0")
local timeout = math.tointeger(tonumber(args.timeout or "20000000000"))
local pattern = assert(args["until"], "boot-console.lua: until= is required")
  :gsub("\\r", "\r"):gsub("\\n", "\n")
assert(args.input and args.output, "boot-console.lua: input= and output= are required")

emu.spawn(function()
  local out = assert(io.open(args.output, "wb"))
  local function finish(status, why)
    out:write(console:read())
    out:close()
    if why then io.stderr:write("boot-console.lua: " .. why .. "\n") end
    emu.quit(status)
  end
  local lines = {}
  for line in io.lines(args.input) do lines[#lines + 1] = line end
  for i, line in ipairs(lines) do
    local got = console:expect("^.- > $", timeout)
    if not got then return finish(1, "no prompt before '" .. line .. "'") end
    out:write(got)
    console:write(line .. "\r")
    if i == #lines then break end
  end
  local got = console:expect("^.-" .. pattern, timeout)
  if not got then return finish(1, "the pattern never came") end
  out:write(got)
  finish(0)
end)
