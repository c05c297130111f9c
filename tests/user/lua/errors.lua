-- Lua under emu: an uncaught error ends the interpreter with a message on stderr and status 1,
-- after the output written so far (buffered stdout flushed at exit) and a finalizer ran.
setmetatable({}, { __gc = function() io.stdout:write("finalizer ran\n") end })
io.stdout:setvbuf("full")
io.write("before the error\n")
local function deep(n) if n == 0 then error("deep failure") end return deep(n - 1) + 1 end
print("depth", select(2, pcall(deep, 50)):match("deep failure"))
print("stack overflow caught", not pcall(function() local function f() return 1 + f() end return f() end))
print("string to number error", pcall(function() return "abc" + 1 end))
local t = setmetatable({}, { __newindex = function(_, k) error("read-only: " .. k, 2) end })
print("newindex", pcall(function() t.x = 1 end))
error({ "a table error" })
