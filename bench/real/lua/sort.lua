-- Sorting: table.sort with a Lua comparator, records in tables, closures.
local scale = tonumber(arg and arg[1]) or 100
local seed = 42
local function rand()  -- deterministic LCG, independent of math.random
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed
end
local h = 0
for _ = 1, math.max(1, scale * 2 // 100) do
  local recs = {}
  for i = 1, 20000 do recs[i] = { key = rand() % 1000, id = i, name = tostring(rand() % 99991) } end
  table.sort(recs, function(a, b)
    if a.key ~= b.key then return a.key < b.key end
    return a.id < b.id
  end)
  local nums = {}
  for i = 1, 40000 do nums[i] = rand() end
  table.sort(nums)
  table.sort(recs, function(a, b) return a.name < b.name or (a.name == b.name and a.id < b.id) end)
  for i = 1, #recs, 97 do h = (h * 33 + recs[i].id + nums[i]) & 0xffffffff end
end
print(string.format("sort %d", h))
