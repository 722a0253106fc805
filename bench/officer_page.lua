-- GET one officer page as a browser asks for it: $BENCH_PAGE is the path, $BENCH_MARK a text the
-- page must contain (the dashboard's tier table, the PCA list's candidates). $BENCH_SESSIONS holds
-- the officer's session. Reports p95 too (the score goals are stated as p95).
dofile(os.getenv("BENCH_DIR") .. "/sessions.lua")

failed = 0
local path = os.getenv("BENCH_PAGE")
local mark = os.getenv("BENCH_MARK")

function init(args)
  local s = session()
  headers = { ["Cookie"] = "senim_session=" .. s.token, ["Accept"] = "text/html" }
end

function request()
  return wrk.format("GET", path, headers)
end

function response(status, _, body)
  if status ~= 200 or not body:find(mark, 1, true) then failed = failed + 1 end
end

function done(summary, latency, requests)
  report({ "failed" })
  io.write(string.format("p95: %.2fms\n", latency:percentile(95) / 1000))
end
