-- GET the portfolio dashboard, as an officer's browser asks for it. $BENCH_SESSIONS holds the officer's session.
-- Reports p95 too (the goal is stated as p95).
dofile(os.getenv("BENCH_DIR") .. "/sessions.lua")

failed = 0

function init(args)
  local s = session()
  headers = { ["Cookie"] = "senim_session=" .. s.token, ["Accept"] = "text/html" }
end

function request()
  return wrk.format("GET", "/customs/dashboard", headers)
end

function response(status, _, body)
  if status ~= 200 or not body:find('tier-table', 1, true) then failed = failed + 1 end
end

function done(summary, latency, requests)
  report({ "failed" })
  io.write(string.format("p95: %.2fms\n", latency:percentile(95) / 1000))
end
