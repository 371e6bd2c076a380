-- wrk script for bench/run.py: request the paths listed in the file named by WRK_PATHS round-robin (each
-- connection starting at its own offset), and print one JSON line with the figures run.py reads.
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], {["Accept"] = "application/json"})
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "errors": %d, "rps": %.1f, "p50_ms": %.2f, "p99_ms": %.2f, "mean_ms": %.2f, "tool": "wrk"}\n',
    summary.requests, errors, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000))
end
