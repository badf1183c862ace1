-- wrk script of bench/hooks.py: POSTs the JSON file named by the BODY environment variable and,
-- when the run ends, writes one line to standard output for hooks.py to read:
--   RESULT <requests> <seconds> <p50 microseconds> <p99 microseconds> <errors> <non-2xx answers>
-- (errors: connect, read, write and timeout; hooks.py decides which answers were expected)
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = file:read("*a")
file:close()

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %d %d %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
