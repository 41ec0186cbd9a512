"""The Lua scripts of the shared credit ledger (:mod:`fomo.gateway.ledger_redis`).

Redis runs one script at a time, so each is one atomic step across every gateway worker: a hold
checks the balance and every spend limit and reserves against all of them, a settle moves a hold
to the actual charge and appends the usage record to the usage stream (one step: no charge
without its record), and every script first gives back the account's holds whose lease ran out.
Keys are listed above each script; amounts are integer nano-USD (exact up to 2**53 − 1, the
Lua number's range — ``ledger.MAX_EXACT_NANO``). Time comes from Redis (``TIME``).
"""

from __future__ import annotations

from fomo.economics.units import SECONDS_PER_DAY

EXPIRED_KEEP_MS = 7 * SECONDS_PER_DAY * 1000

PRELUDE = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function spend(holdlim, id, delta, forget)
  local names = redis.call('HGET', holdlim, id)
  if names then
    if delta ~= 0 then
      for k in string.gmatch(names, '%S+') do
        if redis.call('EXISTS', k) == 1 then redis.call('INCRBY', k, delta) end
      end
    end
    if forget then redis.call('HDEL', holdlim, id) end
  end
end
local function sweep(avail, holds, exp, expired, holdlim, now)
  local dead = redis.call('ZRANGEBYSCORE', exp, '-inf', now)
  for _, id in ipairs(dead) do
    local amt = redis.call('HGET', holds, id)
    if amt then
      redis.call('HDEL', holds, id)
      redis.call('INCRBY', avail, amt)
      spend(holdlim, id, -tonumber(amt), false)
      redis.call('HSET', expired, id, amt)
      redis.call('PEXPIRE', expired, EXPIRED_KEEP_MS)
    end
    redis.call('ZREM', exp, id)
  end
  return #dead
end
""".replace("EXPIRED_KEEP_MS", str(EXPIRED_KEEP_MS))

# KEYS: avail holds exp expired holdlim ready holders, then the spend counters
# ARGV: hold id, amount, lease ms, account, then per counter: limit (-1: none), TTL ms (0: none)
HOLD = (
    PRELUDE
    + """
if redis.call('EXISTS', KEYS[6]) == 0 then return {-2, 0, 0} end
sweep(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], now_ms())
local avail = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[2])
if amount > avail then return {-1, avail, 0} end
local n = #KEYS - 7
for i = 1, n do
  local lim = tonumber(ARGV[3 + 2 * i])
  if lim >= 0 then
    local used = tonumber(redis.call('GET', KEYS[7 + i]) or '0')
    if used + amount > lim then return {-3, i, used} end
  end
end
redis.call('DECRBY', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], now_ms() + tonumber(ARGV[3]), ARGV[1])
redis.call('SADD', KEYS[7], ARGV[4])
if n > 0 then
  local names = {}
  for i = 1, n do
    local k = KEYS[7 + i]
    -- a counter is created by the first hold of its period: its TTL is set then, once
    if redis.call('INCRBY', k, ARGV[2]) == amount then
      local ttl = tonumber(ARGV[4 + 2 * i])
      if ttl > 0 then redis.call('PEXPIRE', k, ttl) end
    end
    names[i] = k
  end
  redis.call('HSET', KEYS[5], ARGV[1], table.concat(names, ' '))
  redis.call('PEXPIRE', KEYS[5], EXPIRED_KEEP_MS)
end
return {1, avail - amount, 0}
""".replace("EXPIRED_KEEP_MS", str(EXPIRED_KEEP_MS))
)

# KEYS: avail holds exp expired holdlim usage
# ARGV: hold id, charge, account, the usage record's JSON ('': none)
# The record is appended to the usage stream in the same step as its charge, so shared storage
# never holds a charge without its record (any worker drains the stream into the database).
# Fields: a = account, p = what the record charges, c = the spend counters it counted in (for a
# rebuild that runs before the record is stored), r = the record.
SETTLE = (
    PRELUDE
    + """
sweep(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], now_ms())
local charge = tonumber(ARGV[2])
local names = ''
if ARGV[4] ~= '' then names = redis.call('HGET', KEYS[5], ARGV[1]) or '' end
local status, taken = 0, 0
local amt = redis.call('HGET', KEYS[2], ARGV[1])
if amt then
  amt = tonumber(amt)
  taken = math.min(charge, amt)
  redis.call('HDEL', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('INCRBY', KEYS[1], amt - taken)
  spend(KEYS[5], ARGV[1], taken - amt, true)
  status = 1
else
  amt = redis.call('HGET', KEYS[4], ARGV[1])
  if amt then
    taken = math.min(charge, tonumber(amt))
    redis.call('HDEL', KEYS[4], ARGV[1])
    redis.call('DECRBY', KEYS[1], taken)
    spend(KEYS[5], ARGV[1], taken, true)
    status = 2
  end
end
if ARGV[4] ~= '' then
  redis.call('XADD', KEYS[6], '*', 'a', ARGV[3], 'p', ARGV[2], 'c', names, 'r', ARGV[4])
end
return {status, taken}
"""
)

# KEYS: avail holds exp expired holdlim holders   ARGV: account
BALANCE = (
    PRELUDE
    + """
sweep(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], now_ms())
local held = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do held = held + tonumber(v) end
if held == 0 then redis.call('SREM', KEYS[6], ARGV[1]) end
return {tonumber(redis.call('GET', KEYS[1]) or '0'), held}
"""
)

# KEYS: avail holds exp expired holdlim, then spend counters   ARGV: -
SPENT = (
    PRELUDE
    + """
sweep(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], now_ms())
local out = {}
for i = 6, #KEYS do out[#out + 1] = tonumber(redis.call('GET', KEYS[i]) or '0') end
return out
"""
)

# KEYS: avail credits ready   ARGV: idempotency key, amount, max balance
CREDIT = """
if redis.call('EXISTS', KEYS[3]) == 0 then return -2 end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if cur + tonumber(ARGV[2]) > tonumber(ARGV[3]) then return -3 end
redis.call('SADD', KEYS[2], ARGV[1])
redis.call('INCRBY', KEYS[1], ARGV[2])
return 1
"""

# KEYS: avail holds holdlim usage, then spend counters
# ARGV: credits − charged from the database, account, the usage-stream id up to which every
# record is in the database, then per counter: charged in its period, TTL ms
# Records in the stream past that id were charged but are not in the database yet (settled
# while the database was read): they count here, exactly once.
INIT_ACCOUNT = """
local held = 0
for _, v in ipairs(redis.call('HVALS', KEYS[2])) do held = held + tonumber(v) end
local rebuilt = {}
for i = 5, #KEYS do
  local j = 4 + 2 * (i - 5)
  redis.call('SET', KEYS[i], ARGV[j])
  if tonumber(ARGV[j + 1]) > 0 then redis.call('PEXPIRE', KEYS[i], ARGV[j + 1]) end
  rebuilt[KEYS[i]] = true
end
local unstored = 0
for _, e in ipairs(redis.call('XRANGE', KEYS[4], '(' .. ARGV[3], '+')) do
  local f = e[2]  -- a, p, c, r (in the order SETTLE writes them)
  local paid = tonumber(f[4])
  if f[2] == ARGV[2] and paid > 0 then
    unstored = unstored + paid
    for k in string.gmatch(f[6], '%S+') do
      if rebuilt[k] then redis.call('INCRBY', k, paid) end
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('DECRBY', KEYS[1], held + unstored)
local live = redis.call('HGETALL', KEYS[2])
for j = 1, #live, 2 do  -- holds still in flight count in the counters they were taken in
  local names = redis.call('HGET', KEYS[3], live[j])
  if names then
    for k in string.gmatch(names, '%S+') do
      if rebuilt[k] then redis.call('INCRBY', k, live[j + 1]) end
    end
  end
end
return held
"""

# KEYS: usage, drain lock   ARGV: token, lock ms, then the entry ids now in the database
# Deletes them and renews the lock only while the caller still holds it: a drainer that lost it
# (paused past its TTL) leaves them to the holder, who stores them again (insert-or-ignore).
STORED = """
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return redis.call('XDEL', KEYS[1], unpack(ARGV, 3))
"""

# KEYS: lock   ARGV: token
UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
