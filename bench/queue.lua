-- GET the first page of customs' queue (50 of every submitted disclosure, nearest deadline
-- first), as an officer's browser asks for it. $BENCH_SESSIONS holds the officer's session.
dofile(os.getenv("BENCH_DIR") .. "/sessions.lua")

failed = 0

function init(args)
  local s = session()
  headers = { ["Cookie"] = "senim_session=" .. s.token, ["Accept"] = "text/html" }
end

function request()
  return wrk.format("GET", "/customs/disclosures", headers)
end

function response(status, _, body)
  if status ~= 200 or not body:find("queue-count", 1, true) then failed = failed + 1 end
end

function done()
  report({ "failed" })
end
