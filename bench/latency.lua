-- wrk's summary on one line for bench/pages_http.py: requests, seconds, latency percentiles
-- (microseconds) and failed requests (socket errors and answers other than 2xx/3xx).
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    errors.connect + errors.read + errors.write + errors.status + errors.timeout
  ))
end
