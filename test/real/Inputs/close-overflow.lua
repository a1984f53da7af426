-- Lua 5.4.4 bug (lua.org bugs page, fixed in 5.4.5): C-stack overflow with deep nesting of
-- coroutine.close. Each close runs the previous coroutine's __close handler, which closes
-- the one before, recursing in C until the stack is exhausted (at a depth between 5 000
-- and 10 000 with 8 MiB stacks, in the sensor and the Oracle; 20 000 leaves a margin and
-- stays within the Oracle's guarded slots, about 1 GiB there).
local coro = false
for i = 1, 20000 do
  local previous = coro
  coro = coroutine.create(function()
    local cc <close> = setmetatable({}, {__close = function()
      if previous then assert(coroutine.close(previous)) end
    end})
    coroutine.yield()
  end)
  assert(coroutine.resume(coro))
end
print(coroutine.close(coro))
