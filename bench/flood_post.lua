-- wrk script for bench/flood.py: POST reader comments to /discussion/comments/ at a steady
-- rate, each with its own form token (a token is good for one post), from the addresses the
-- mode names in X-Forwarded-For (the app believes it from TRUSTED_PROXIES=127.0.0.1, as from
-- nginx). Counts the answers by status; prints them and the latency percentiles at the end.
--
-- wrk -t1 -c2 -d60s --latency -s bench/flood_post.lua URL -- TOKENS STORY RATE MODE RUN
--   TOKENS  a file with one form token a line
--   STORY   the story id the comments are for
--   RATE    posts a minute (the schedule is kept whatever the answers' latency)
--   MODE    "flood:N" (N addresses 203.0.113.1..N in turn) or "reader" (a new address a post)
--   RUN     a word that makes this run's texts its own (the same text twice is a duplicate)

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

tokens = {}
statuses = {}
local sent, story, interval, mode, run, addresses, next_due = 0, "", 0, "", "", 1, nil

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  story = args[2]
  interval = 60000 / tonumber(args[3])
  mode = args[4]
  run = args[5] or ""
  if mode:sub(1, 6) == "flood:" then
    addresses = tonumber(mode:sub(7))
  end
end

function delay() -- each request claims the next slot of the schedule
  local now = now_ms()
  local due = next_due or now
  next_due = due + interval
  return math.max(0, math.floor(due - now))
end

function request()
  sent = sent + 1
  local address
  if mode == "reader" then
    address = string.format("198.51.%d.%d", math.floor(sent / 250), sent % 250 + 1)
  else
    address = string.format("203.0.113.%d", (sent - 1) % addresses + 1)
  end
  local token = tokens[(sent - 1) % #tokens + 1]
  local body = "form_token=" .. token .. "&website=&story=" .. story .. "&name=N&text=" .. mode
    .. "+post+" .. sent .. "+of+run+" .. run
  return wrk.format("POST", "/discussion/comments/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Forwarded-For"] = address,
    ["Host"] = "127.0.0.1",
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("STATUS %d %d\n", status, count))
  end
  io.write(string.format("LATENCY_US %d %d %d\n", latency:percentile(50), latency:percentile(99),
    latency.max))
  io.write(string.format("ERRORS connect %d read %d write %d timeout %d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout))
end
