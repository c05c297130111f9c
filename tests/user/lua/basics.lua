-- Lua under emu: strings, tables, closures, integer and float arithmetic, metatables.
local t = {}
for i = 1, 10 do t[#t + 1] = i * i end
print("squares", table.concat(t, ","))
print("sum", (function(...) local s = 0 for _, v in ipairs({...}) do s = s + v end return s end)(table.unpack(t)))
print("format", string.format("%5.2f|%-6s|%x|%q", math.pi, "ab", 255, "a\nb"))
print("int", 7 // 2, 7 % 3, -7 // 2, 2^10, 1 << 40, math.maxinteger, math.mininteger)
print("float", 1 / 3, math.sqrt(2), math.floor(-2.5), math.huge, -math.huge, 0.1 + 0.2)
print("tostring", tostring(1e15), tostring(1e16), tostring(-0.0), 3 | 5, 6 & 3, ~0)
local counter = function() local n = 0 return function() n = n + 1 return n end end
local c = counter(); c(); c()
print("closure", c())
local V = setmetatable({}, { __index = function(_, k) return k .. "!" end, __call = function(_, x) return x * 2 end })
print("meta", V.hello, V(21))
print("gsub", ("hello world from lua"):gsub("(%w+)", "<%1>"))
print("find", ("key=value; other=thing"):match("(%w+)=(%w+)"))
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do words[#words + 1] = w end
table.sort(words)
print("sorted", table.concat(words, " "))
print("utf8", utf8.char(72, 228, 8364, 128512), utf8.len("häll€"))
print("pack", string.unpack(">i4", string.pack(">i4", 0x12345678)), #string.pack("<d", 1.5))
