-- Binary trees: allocation and garbage collection (after the benchmarks game).
local scale = tonumber(arg and arg[1]) or 100
local function make(d)
  if d == 0 then return {} end
  d = d - 1
  return { make(d), make(d) }
end
local function check(t)
  if t[1] then return 1 + check(t[1]) + check(t[2]) end
  return 1
end
local maxdepth = 12
local sum = 0
do
  local long = make(maxdepth)
  for d = 4, maxdepth, 2 do
    local iters = math.max(1, (1 << (maxdepth - d + 4)) * scale // 100)
    for _ = 1, iters do sum = sum + check(make(d)) end
  end
  sum = sum + check(long)
end
print(string.format("binarytrees %d", sum))
