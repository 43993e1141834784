-- wrk script: POST pre-signed Stripe events from a file, one per line: "<Stripe-Signature>\t<body>".
-- Thread i of n sends lines i, i+n, i+2n, ... in order, so the file's own duplicates (and no others)
-- are repeated while the file lasts; then the thread starts again from its first line.
-- done() prints one JSON line with the figures bench/bench_webhooks.py reads.

local counter = 0
local threads = {}

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path, count = args[1], tonumber(args[2])
  requests = {}
  local index = 0
  for line in io.lines(path) do
    if index % count == id then
      local tab = line:find("\t", 1, true)
      local headers = {["Stripe-Signature"] = line:sub(1, tab - 1), ["Content-Type"] = "application/json"}
      table.insert(requests, wrk.format("POST", "/webhooks/stripe", headers, line:sub(tab + 1)))
    end
    index = index + 1
  end
  position = 0
  non2xx = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non2xx")
  end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, "errors": %d, "non_200": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, bad))
end
