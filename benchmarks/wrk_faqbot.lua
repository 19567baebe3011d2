-- wrk script for benchmarks/http_bench.py.
--
-- With a file argument (one JSON body a line) every request is a POST /ask
-- with the next body, each thread starting at a different place, so that the
-- server sees every question in turn; without one it requests the URL as is.
-- done() prints one machine-readable RESULT line.

local bodies = {}
local next_index = 0
local threads = 0

function setup(thread)
  thread:set("thread_number", threads)
  threads = threads + 1
end

function init(args)
  if args[1] == nil then
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

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d "
                         .. "errors_connect=%d errors_read=%d errors_write=%d errors_status=%d errors_timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
