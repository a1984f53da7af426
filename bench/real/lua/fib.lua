-- Recursive Fibonacci: function calls and integer adds. arg[1] = work in percent.
local scale = tonumber(arg and arg[1]) or 100
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local rounds = math.max(1, scale * 20 // 100)
local sum = 0
for _ = 1, rounds do sum = sum + fib(27) end
print(string.format("fib %d", sum))
