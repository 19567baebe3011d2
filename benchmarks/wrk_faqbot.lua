-- wrk script for benchmarks/http_bench.py.
--
-- With a file argument (one JSON body a line) every request is a POST /ask
-- with the next body, each thread starting at a different place, so that the
-- server sees every question in turn; without one it requests the URL as is.
--
-- A second argument, SECONDS, ends the load after that many seconds: each
-- connection then sends nothing more and only waits for its last reply, so
-- that when wrk stops (run it with -d a second or two longer) no request is
-- in flight and every request the server answered was counted here. (The
-- question log is checked against that count.)
--
-- done() prints one machine-readable RESULT line.

local bodies = {}
local next_index = 0
local threads = {}
local stop_at = nil

-- a monotonic clock in seconds (LuaJIT's FFI; wrk has no clock of its own)
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } faqbot_timespec;
  int clock_gettime(int clk_id, faqbot_timespec *tp);
]]
local ts = ffi.new("faqbot_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  if args[2] ~= nil and args[2] ~= "" then
    stop_at = now() + tonumber(args[2])
  end
  if args[1] == nil or args[1] == "" then
    return
  end
  local headers = { ["Content-Type"] = "application/json" }
  for line in io.lines(args[1]) do
    bodies[#bodies + 1] = wrk.format("POST", "/ask", headers, line)
  end
  next_index = ((thread_number or 0) * 7919) % #bodies
end

function request()
  if #bodies == 0 then
    return wrk.request()
  end
  next_index = next_index % #bodies + 1
  return bodies[next_index]
end

-- after SECONDS, hold every connection (for longer than any run) instead of sending
function delay()
  if stop_at ~= nil and now() >= stop_at then
    return 3600000
  end
  return 0
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
                         .. "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
