-- wrk script: replays pre-signed raw HTTP requests round-robin and prints a JSON summary.
-- Usage: wrk -s wrk-replay.lua <url> -- <requests-file>
-- The file holds records "<byte length>\n<raw request>", written by bench/wrk.ts.

local next_id = 0
function setup(thread)
  thread:set("id", next_id) -- lets each thread start at a different point of the cycle
  next_id = next_id + 1
end

local reqs = {}
local i = 0

function init(args)
  local f = assert(io.open(args[1], "rb"))
  local data = f:read("*a")
  f:close()
  local pos = 1
  while pos <= #data do
    local nl = string.find(data, "\n", pos, true)
    local len = tonumber(string.sub(data, pos, nl - 1))
    reqs[#reqs + 1] = string.sub(data, nl + 1, nl + len)
    pos = nl + len + 1
  end
  i = ((id or 0) * 97) % #reqs
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end

-- Machine-readable line for bench/wrk.ts; latencies are in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(99)), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
