-- POST an autosave of one answer (A1a, free text) with the version last seen, exactly as the
-- browser does; each request changes the value, so every successful one is a committed write.
dofile(os.getenv("BENCH_DIR") .. "/sessions.lua")

saved = 0
conflicts = 0
failed = 0
local version = 0
local n = 0

function init(args)
  local s = session()
  id = s.id
  headers = {
    ["Cookie"] = "senim_session=" .. s.token,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }
end

function request()
  n = n + 1
  local body = "id=" .. id .. "&section=A&answers%5BqA1a%5D%5Bvalue%5D=Procedure+revision+" .. index .. "-" .. n
    .. "&versions%5BqA1a%5D=" .. version
  return wrk.format("POST", "/api/assessments/save_section", headers, body)
end

function response(status, _, body)
  if status ~= 200 then
    failed = failed + 1
    return
  end
  local v = body:match('"versions":{[^}]*"A1a":(%d+)')
  if v then version = tonumber(v) end
  if body:find('"saved":1', 1, true) then
    saved = saved + 1
  else
    -- The first request of a connection learns the current version from the conflict reply.
    conflicts = conflicts + 1
  end
end

function done()
  report({ "saved", "conflicts", "failed" })
end
