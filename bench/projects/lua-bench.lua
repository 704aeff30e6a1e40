-- A benchmark for tuning the Lua interpreter (bench/projects/lua.sh): a few
-- seconds of the interpreter's common paths (calls, tables, strings, closures,
-- floating point), printing results the tuner compares with -O3's output.
local n = tonumber(arg and arg[1]) or 1

local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end

local function sieve(limit)
  local composite, count = {}, 0
  for i = 2, limit do
    if not composite[i] then
      count = count + 1
      for j = i * i, limit, i do composite[j] = true end
    end
  end
  return count
end

local function strings(rounds)
  local parts = {}
  for i = 1, rounds do parts[#parts + 1] = string.format("%d:%x", i, i * 7919) end
  local s = table.concat(parts, ",")
  local words = 0
  for _ in s:gmatch("[^,]+") do words = words + 1 end
  return #s, words, s:sub(1, 24)
end

local function sorting(size)
  local t, seed = {}, 42
  for i = 1, size do
    seed = (seed * 1103515245 + 12345) % 2147483648
    t[i] = seed % 100000
  end
  table.sort(t)
  local sum = 0
  for i = 1, size, 97 do sum = sum + t[i] end
  return t[1], t[size], sum
end

local function closures(count)
  local acc = 0
  local function adder(k) return function(x) return x + k end end
  for i = 1, count do acc = adder(i % 13)(acc) % 1000003 end
  return acc
end

local function nbody(steps)
  local x, y, vx, vy = 1.0, 0.0, 0.0, 1.0
  local dt = 0.001
  for _ = 1, steps do
    local r2 = x * x + y * y
    local r3 = r2 * math.sqrt(r2)
    vx = vx - x / r3 * dt
    vy = vy - y / r3 * dt
    x = x + vx * dt
    y = y + vy * dt
  end
  return string.format("%.9f %.9f", x, y)
end

for _ = 1, n do
  print("fib", fib(27))
  print("sieve", sieve(2000000))
  print("strings", strings(200000))
  print("sort", sorting(300000))
  print("closures", closures(2000000))
  print("nbody", nbody(2000000))
end
