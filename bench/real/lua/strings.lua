-- Strings: format, concat, patterns (find/gsub/gmatch), rep, byte/char, table.concat.
local scale = tonumber(arg and arg[1]) or 100
local words = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" }
local h = 0
local function mix(s)
  for i = 1, #s, 7 do h = (h * 31 + s:byte(i)) & 0xffffffff end
end
for r = 1, math.max(1, scale * 60 // 100) do
  local parts = {}
  for i = 1, 2000 do
    parts[#parts + 1] = string.format("%s-%05d:%x;", words[(i + r) % #words + 1], i * r, i)
  end
  local text = table.concat(parts)
  local up = text:upper():gsub("(%a+)%-(%d+)", "%2=%1")
  mix(up)
  local n = 0
  for k, v in text:gmatch("(%a+)%-(%d+)") do n = n + #k + tonumber(v) % 7 end
  h = (h + n) & 0xffffffff
  local s = ""
  for i = 1, 200 do s = s .. words[i % #words + 1]:rep(2) .. i end
  mix(s:reverse())
  local a, b = text:find("golf%-0*" .. (17 * r), 1)
  h = (h + (a or 0) + (b or 0)) & 0xffffffff
end
print(string.format("strings %d", h))
