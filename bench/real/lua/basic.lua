-- Basic tests of a Lua build: the language and every standard library, with asserts.
-- Lua's own test suite is not in Debian's source package; this checks the interpreter a
-- compiler produced, not Lua. Prints "basic: N checks passed" or dies with the failing check.
local n = 0
local function check(cond, what)
  n = n + 1
  if not cond then error("check " .. n .. " failed: " .. what, 2) end
end

-- numbers: integers wrap, floats, conversions, division
check(math.maxinteger + 1 == math.mininteger, "integer wrap")
check(7 // 2 == 3 and -7 // 2 == -4 and 7 % -3 == -2, "floor division and modulo")
check(7 / 2 == 3.5 and math.type(1) == "integer" and math.type(1.0) == "float", "float division")
check(tonumber("0x10") == 16 and tonumber("1e2") == 100.0 and tonumber("z", 36) == 35, "tonumber")
check(1 << 62 == 4611686018427387904 and (0xff >> 4) == 15 and (5 ~ 3) == 6, "bit operators")
check(string.format("%.3f", math.pi) == "3.142" and math.floor(-2.5) == -3, "math")
check(math.ult(1, -1) and math.abs(math.mininteger) == math.mininteger, "math.ult, abs")
check(tostring(1e300 * 1e10) == "inf" and (0/0) ~= (0/0), "inf and nan")

-- strings
local s = "hello, world"
check(#s == 12 and s:sub(-5) == "world" and s:upper() == "HELLO, WORLD", "sub, upper")
check(s:find("o, w", 1, true) == 5 and s:match("(%a+), (%a+)") == "hello", "find, match")
check(select(2, s:gsub("o", "0")) == 2 and ("abc"):rep(3, "-") == "abc-abc-abc", "gsub, rep")
check(string.char(72, 105) == "Hi" and ("A"):byte() == 65, "char, byte")
check(string.format("%5d|%-5s|%q", 42, "ab", "a\nb") == '   42|ab   |"a\\\nb"', "format")
local packed = string.pack("<i4 d s2", -2, 1.5, "xyz")
local a, b, c = string.unpack("<i4 d s2", packed)
check(#packed == 17 and a == -2 and b == 1.5 and c == "xyz", "pack, unpack")
local words = {}
for w in ("one two  three"):gmatch("%S+") do words[#words + 1] = w end
check(#words == 3 and words[3] == "three", "gmatch")
check(("%d items"):format(3) == "3 items" and ("x"):len() == 1, "method calls on strings")
check(utf8.char(228, 8364) == "ä€" and utf8.len("ä€") == 2 and utf8.codepoint("€") == 8364, "utf8")

-- tables
local t = {}
for i = 1, 100 do t[i] = i * i end
check(#t == 100 and t[10] == 100, "array part")
table.insert(t, 1, 0); check(t[1] == 0 and #t == 101, "table.insert")
check(table.remove(t, 1) == 0 and #t == 100, "table.remove")
check(table.concat({1, 2, 3}, ",") == "1,2,3" and select("#", table.unpack({1, 2, nil, 4}, 1, 4)) == 4, "concat, unpack")
local m = table.move({1, 2, 3}, 1, 3, 2, {}); check(m[1] == nil and m[4] == 3, "table.move")
local r = {5, 3, 9, 1, 7}; table.sort(r, function(x, y) return x > y end)
check(r[1] == 9 and r[5] == 1, "table.sort")
local keys = 0
for _ in pairs({a = 1, b = 2, c = 3, 4}) do keys = keys + 1 end
check(keys == 4, "pairs")

-- functions: closures, varargs, tail calls, multiple results
local function counter() local c = 0; return function() c = c + 1; return c end end
local c1, c2 = counter(), counter(); c1(); c1()
check(c1() == 3 and c2() == 1, "closures")
local function va(...) return select("#", ...), ... end
check(va(1, nil, 3) == 3 and select(3, va(1, nil, 3)) == nil, "varargs")
local function loop(k) if k == 0 then return "done" end return loop(k - 1) end
check(loop(100000) == "done", "proper tail calls")
do
  local i = 0
  ::top:: i = i + 1
  if i < 5 then goto top end
  check(i == 5, "goto")
end

-- metatables
local V = {}
V.__index = V
V.__add = function(x, y) return setmetatable({x[1] + y[1]}, V) end
V.__eq = function(x, y) return x[1] == y[1] end
V.__tostring = function(x) return "V(" .. x[1] .. ")" end
V.__len = function() return 99 end
V.__call = function(x, k) return x[1] * k end
local v = setmetatable({2}, V) + setmetatable({3}, V)
check(v == setmetatable({5}, V) and tostring(v) == "V(5)" and #v == 99 and v(2) == 10, "metamethods")
local defaults = setmetatable({}, {__index = function(_, k) return k .. "!" end})
check(defaults.x == "x!" and rawget(defaults, "x") == nil, "__index function")

-- errors
local ok, err = pcall(error, {code = 7})
check(not ok and err.code == 7, "error with a table")
ok, err = pcall(function() local x = nil; return x.y end)
check(not ok and err:find("attempt to index a nil value"), "runtime error message")
local function deep(k) return 1 + deep(k + 1) end
ok, err = pcall(deep, 1)
check(not ok and err:find("stack overflow"), "Lua stack overflow is an error")
ok, err = xpcall(function() error("boom") end, debug.traceback)
check(not ok and err:find("boom") and err:find("stack traceback"), "xpcall with traceback")
ok, err = pcall(string.rep, "x", -1)
check(ok and err == "", "string.rep with a negative count")
ok = pcall(setmetatable, 1, {})
check(not ok, "bad argument")

-- coroutines
local gen = coroutine.wrap(function(a) local x = a; while true do x = x + coroutine.yield(x) end end)
check(gen(1) == 1 and gen(2) == 3 and gen(10) == 13, "coroutine.wrap")
local co = coroutine.create(function() error("inside") end)
ok, err = coroutine.resume(co)
check(not ok and err:find("inside") and coroutine.status(co) == "dead", "error in a coroutine")
check(coroutine.isyieldable() == false and coroutine.running() ~= nil, "coroutine.running")
local co2 = coroutine.create(function() coroutine.yield(1) end)
coroutine.resume(co2)
check(coroutine.close(co2) and coroutine.status(co2) == "dead", "coroutine.close")

-- garbage collection: weak tables, finalizers, to-be-closed variables
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1
local finalized = false
setmetatable({}, {__gc = function() finalized = true end})
collectgarbage(); collectgarbage()
check(next(weak) == nil and finalized, "weak keys and __gc")
local closed = false
do
  local _ <close> = setmetatable({}, {__close = function() closed = true end})
end
check(closed, "to-be-closed variable")
check(collectgarbage("count") > 0 and collectgarbage("step") ~= nil, "collectgarbage")
local big = {}
for i = 1, 200000 do big[i] = {i} end
big = nil; collectgarbage()
check(collectgarbage("count") < 20000, "memory released")

-- load, string.dump, environments
local f = load("return 1 + ...")
check(f(41) == 42, "load")
local g = load(string.dump(f), "dumped", "b")
check(g(1) == 2, "string.dump round trip")
local env = {y = 5}
check(load("return y", "env", "t", env)() == 5, "load with an environment")
check(load("syntax error here") == nil, "syntax error")

-- io and os
local name = os.tmpname()
local fh = assert(io.open(name, "w"))
fh:write("line 1\n", 2, "\n", 3.5, "\n"); fh:close()
local lines = {}
for l in io.lines(name) do lines[#lines + 1] = l end
check(#lines == 3 and lines[2] == "2" and lines[3] == "3.5", "io.write, io.lines")
fh = assert(io.open(name, "r"))
check(fh:read("n") == nil and fh:seek("set", 0) == 0 and fh:read("l") == "line 1" and fh:read("n") == 2, "io.read")
fh:close()
check(os.remove(name) and io.open(name) == nil, "os.remove")
check(type(os.time()) == "number" and os.date("!%Y-%m-%d", 0) == "1970-01-01", "os.time, os.date")
check(os.clock() >= 0 and os.getenv("HEAL_BASIC_UNSET_VAR") == nil, "os.clock, os.getenv")
local p = io.popen("echo piped")
if p then check(p:read("l") == "piped" and p:close(), "io.popen") end

-- debug
local info = debug.getinfo(1, "Sl")
check(info.short_src:find("basic") and info.currentline > 0, "debug.getinfo")
local lname = debug.getlocal(1, 1)
check(lname == "n", "debug.getlocal")

-- require: a module from package.preload, and package.path search
package.preload.mymod = function() return {answer = 42} end
check(require("mymod").answer == 42 and package.loaded.mymod, "require")

print("basic: " .. n .. " checks passed")
