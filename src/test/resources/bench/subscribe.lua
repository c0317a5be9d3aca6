-- wrk script of SubscribeBenchmark: every request subscribes a new endpoint (thread id and counter in its
-- path) with a valid key pair given in the environment, in two channels.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = id
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"endpoint":"%s/%d-%d-%d","expirationTime":null,"keys":{"p256dh":"%s","auth":"%s"},"channels":["news","offers"]}',
    os.getenv("BENCH_ENDPOINT"), thread_id, counter, math.random(1, 1000000000), os.getenv("BENCH_P256DH"), os.getenv("BENCH_AUTH"))
  return wrk.format("POST", "/api/subscribe", {["Content-Type"] = "application/json"}, body)
end

function done(summary, latency, requests)
  io.write(string.format("wrk: %d requests, %d errors (status %d, timeout %d), p50 %.1f ms, p99 %.1f ms\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
