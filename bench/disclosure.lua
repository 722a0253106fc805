-- GET the trader's page of its big disclosure (the first 100 lines, totals over every line), as
-- the trader's browser asks for it. $BENCH_SESSIONS holds the trader's session and the id.
dofile(os.getenv("BENCH_DIR") .. "/sessions.lua")

failed = 0

function init(args)
  local s = session()
  path = "/disclosures/" .. s.id
  headers = { ["Cookie"] = "senim_session=" .. s.token, ["Accept"] = "text/html" }
end

function request()
  return wrk.format("GET", path, headers)
end

function response(status, _, body)
  if status ~= 200 or not body:find("total-difference", 1, true) then failed = failed + 1 end
end

function done()
  report({ "failed" })
end
