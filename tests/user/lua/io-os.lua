-- Lua under emu: files, os functions, string<->number conversions and sorting with a comparator.
local name = os.tmpname()
local f = assert(io.open(name, "w"))
for i = 1, 100 do f:write(i, "\t", i * i, "\n") end
f:close()
local total, lines = 0, 0
for line in io.lines(name) do
  local a, b = line:match("(%d+)\t(%d+)")
  total = total + tonumber(b)
  lines = lines + 1
end
print("file", lines, total)
f = assert(io.open(name, "rb"))
local all = f:read("a")
print("size", #all, f:seek("end"), f:seek("set", 10), f:read(5))
f:close()
print("remove", os.remove(name), io.open(name) == nil)
print("getenv", os.getenv("EMU_LUA_TEST"), os.getenv("NO_SUCH_VARIABLE_HERE"))
print("time", type(os.time()), os.time({ year = 2020, month = 1, day = 1, hour = 12 }) - os.time({ year = 2020, month = 1, day = 1, hour = 0 }))
print("date", os.date("!%Y-%m-%d %H:%M:%S", 1600000000))
print("clock", type(os.clock()))
local people = { { "ann", 31 }, { "bob", 25 }, { "cid", 31 }, { "dee", 19 } }
table.sort(people, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
local out = {}
for _, p in ipairs(people) do out[#out + 1] = p[1] .. p[2] end
print("sort", table.concat(out, ","))
print("tonumber", tonumber("0x1F"), tonumber("1e3"), tonumber("z", 36), tonumber("  12  "), math.type(3), math.type(3.0))
local p = io.popen("echo from a shell")
print("popen", p:read("l"), p:close())
os.exit(5)
