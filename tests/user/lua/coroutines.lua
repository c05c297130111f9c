-- Lua under emu: coroutines, error handling, varargs, goto, string buffers, the GC.
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i * 3) end end)
end
local acc = {}
for v in gen(6) do acc[#acc + 1] = v end
print("coroutine", table.concat(acc, " "))
local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b) return c * 2 end)
print("resume", coroutine.resume(co, 2, 3))
print("resume", coroutine.resume(co, 10))
print("status", coroutine.status(co))
local ok, e = pcall(function() error({ code = 42 }) end)
print("pcall", ok, e.code)
print("error msg", select(2, pcall(function() error("boom", 0) end)))
print("xpcall", xpcall(function() return nil + 1 end, function(m) return "handled: " .. (m:match("arithmetic") or m) end))
local i = 0
::top::
i = i + 1
if i < 5 then goto top end
print("goto", i)
local parts = {}
for k = 1, 2000 do parts[k] = tostring(k % 10) end
local s = table.concat(parts)
print("concat", #s, s:sub(1, 20))
collectgarbage()
local before = collectgarbage("count")
do local junk = {} for k = 1, 100000 do junk[k] = { k } end end
collectgarbage()
print("gc reclaimed", collectgarbage("count") < before + 1000)
print("select", select("#", 1, nil, 3), select(-1, "a", "b", "c"))
