-- console-until.lua: records a console until the guest prints a pattern, then ends emu with
-- status 0 (1 when the pattern does not come within the timeout).
--   emu ... --set serial=buffer --lua 'console-until.lua,until=done\r\n,output=FILE'
-- Arguments: until=LUA-PATTERN output=FILE [serial=NAME] [timeout=N instructions]
local args = ...
local console = emu.serial(args.serial or "serial0")
local timeout = math.tointeger(tonumber(args.timeout or "20000000000"))
local pattern = assert(args["until"], "console-until.lua: until= is required")
  :gsub("\\r", "\r"):gsub("\\n", "\n")
emu.spawn(function()
  local out = assert(io.open(assert(args.output, "console-until.lua: output= is required"), "wb"))
  local got = console:expect("^.-" .. pattern, timeout)
  out:write(got or console:read())
  out:close()
  if not got then io.stderr:write("console-until.lua: the pattern never came\n") end
  emu.quit(got and 0 or 1)
end)
