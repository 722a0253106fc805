-- Shared by the wrk scripts: one connection per wrk thread (-t N -c N), each signed in as its own
-- bench trader with its own T1 draft, read from $BENCH_SESSIONS ("token draft-id" per line).
local sessions = {}
for line in io.lines(os.getenv("BENCH_SESSIONS")) do
  local token, id = line:match("^(%S+) (%d+)$")
  if token then sessions[#sessions + 1] = { token = token, id = id } end
end

local threads = {}
local created = 0

function setup(thread)
  created = created + 1
  thread:set("index", created)
  threads[#threads + 1] = thread
end

function session()
  return sessions[((index - 1) % #sessions) + 1]
end

function report(counters)
  local totals = {}
  for _, thread in ipairs(threads) do
    for _, name in ipairs(counters) do
      totals[name] = (totals[name] or 0) + (thread:get(name) or 0)
    end
  end
  for _, name in ipairs(counters) do
    io.write(string.format("%s: %d\n", name, totals[name]))
  end
end
