-- GET one section page (server-rendered, with answers, progress and the score preview).
dofile(os.getenv("BENCH_DIR") .. "/sessions.lua")

failed = 0

function init(args)
  local s = session()
  path = "/assessments/" .. s.id .. "/section/B"
  headers = { ["Cookie"] = "senim_session=" .. s.token, ["Accept"] = "text/html" }
end

function request()
  return wrk.format("GET", path, headers)
end

function response(status, _, body)
  -- A signed-out or refused page would still be 200 HTML: require the section form itself.
  if status ~= 200 or not body:find("section-form", 1, true) then failed = failed + 1 end
end

function done()
  report({ "failed" })
end
