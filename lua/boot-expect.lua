-- boot-expect.lua: a scripted console.  Waits for the login prompt on a serial port, logs in,
-- runs one command, checks its answer, and ends emu with status 0 (or 1 when a step times
-- out), so a boot can be a test:
--
--   emu --machine machines.d/prep.yaml --set kernel=vmlinux.bin \
--       --lua 'lua/boot-expect.lua,serial=serial0,user=root,cmd=uname -a,want=Linux'
--
-- or against OpenBIOS's Forth prompt (which counts in hex):
--
--   emu --machine machines.d/prep.yaml \
--       --lua 'lua/boot-expect.lua,login=0 > ,user=1 2 + .,prompt=3  ok.-0 > ,cmd=4 5 * .,want=14  ok'
--
-- The serial port's chardev may be of any kind: the script reads the guest's output through
-- the chardev's tap while it still reaches the terminal (or file, pty, socket).
-- Arguments (Lua patterns where it says so; a value cannot hold a comma):
--   serial=NAME     chardev of the console (default serial0)
--   login=PATTERN   the login prompt (default "login: ")
--   user=NAME       typed at the login prompt (default root)
--   prompt=PATTERN  the shell prompt (default "# ")
--   cmd=TEXT        the command (default "uname -a")
--   want=PATTERN    what its output must contain (default "Linux")
--   timeout=N       instructions each step may take (default 5000000000)

local args = ...
local console = emu.serial(args.serial or "serial0")
local timeout = math.tointeger(tonumber(args.timeout or "5000000000"))
if not timeout then error("boot-expect.lua: timeout= takes a number of instructions") end

local steps = {
  { wait = args.login or "login: ", type = (args.user or "root") .. "\n" },
  { wait = args.prompt or "# ", type = (args.cmd or "uname -a") .. "\n" },
  { wait = args.want or "Linux" },
}

emu.spawn(function()
  for i, step in ipairs(steps) do
    if not console:expect(step.wait, timeout) then
      io.stderr:write(string.format("boot-expect.lua: step %d: no '%s' within %d instructions\n",
                                    i, step.wait, timeout))
      emu.quit(1)
      return
    end
    if step.type then console:write(step.type) end
  end
  io.stderr:write("boot-expect.lua: PASS\n")
  emu.quit(0)
end)
