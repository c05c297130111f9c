-- Lua under emu: floating point and integer work heavy enough to exercise the FPU and the
-- 64-bit integer helpers of a 32-bit CPU (a Mandelbrot set, an n-body step, a sorted LCG).
local rows = {}
for y = -12, 12 do
  local row = {}
  for x = -39, 20 do
    local cr, ci, zr, zi, n = x / 20, y / 10, 0.0, 0.0, 0
    while n < 60 and zr * zr + zi * zi < 4 do
      zr, zi = zr * zr - zi * zi + cr, 2 * zr * zi + ci
      n = n + 1
    end
    row[#row + 1] = n == 60 and "#" or (n > 8 and "+" or ".")
  end
  rows[#rows + 1] = table.concat(row)
end
print(table.concat(rows, "\n"))

local bodies = { { 0, 0, 0, 0, 39.47 }, { 4.84, -1.16, 0.60, 2.81, 0.037 }, { 8.34, 4.12, -1.01, 1.82, 0.011 } }
for _ = 1, 2000 do
  for i = 1, #bodies do
    local a = bodies[i]
    for j = i + 1, #bodies do
      local b = bodies[j]
      local dx, dy = a[1] - b[1], a[2] - b[2]
      local d2 = dx * dx + dy * dy
      local mag = 0.001 / (d2 * math.sqrt(d2))
      a[3], a[4] = a[3] - dx * b[5] * mag, a[4] - dy * b[5] * mag
      b[3], b[4] = b[3] + dx * a[5] * mag, b[4] + dy * a[5] * mag
    end
  end
  for _, b in ipairs(bodies) do b[1], b[2] = b[1] + 0.001 * b[3], b[2] + 0.001 * b[4] end
end
for i, b in ipairs(bodies) do print(string.format("body %d %.9f %.9f", i, b[1], b[2])) end

local seed, xs = 12345, {}
for i = 1, 5000 do
  seed = (seed * 6364136223846793005 + 1442695040888963407) & 0x7fffffffffffffff
  xs[i] = seed % 1000003
end
table.sort(xs)
local sum = 0
for _, v in ipairs(xs) do sum = sum + v end
print("lcg", xs[1], xs[2500], xs[5000], sum, seed)
print("int", math.maxinteger + 1 == math.mininteger, 7 // -2, -7 % 3, 5 // 0.0, -5 // 0.0, 3 % -2.5)
print("conv", math.tointeger(3.0), math.tointeger(3.5), 2^53 + 1, string.format("%.17g", 0.1),
  string.format("%g %g %g", 1e300 * 1e10, -1e-320, 123456789012), math.ult(1, -1))
print("fn", math.fmod(-7, 3), math.fmod(7, -3), math.abs(math.mininteger), math.floor(-0.5),
  math.ceil(-0.5), string.format("%.6f %.6f %.6f", math.exp(1), math.log(10), math.log(8, 2)))
-- (Not math.sin, cos or atan: glibc's rounding-mode guard in them executes mffscrni, which a
-- pre-POWER9 CPU runs as mffs but qemu-ppc-static 7.2 and emu answer with SIGILL.)
