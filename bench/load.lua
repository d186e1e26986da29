-- traject bench's HTTP load: four dossier reads to one transition. Each
-- thread owns every n-th participant, so two transitions never race on one
-- dossier; a participant alternates literacy and facilitator, both allowed
-- from intake and from each other.
local token = os.getenv("TRAJECT_TOKEN")
local ids = {}
for line in io.lines(os.getenv("TRAJECT_IDS")) do ids[#ids + 1] = line end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  n = 0
  moved = {}
  errors5xx = 0
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  local i = ((n * 2 + id) % #ids) + 1
  if n % 5 == 0 then
    local k = ((n / 5) * 2 + id) % #ids + 1
    moved[k] = (moved[k] or 0) + 1
    local to = (moved[k] % 2 == 1) and "literacy" or "facilitator"
    return wrk.format("POST", "/v1/participants/" .. ids[k] .. "/transitions", nil, '{"to":"' .. to .. '"}')
  end
  return wrk.format("GET", "/v1/participants/" .. ids[i])
end

function response(status, headers, body)
  if status >= 500 then errors5xx = errors5xx + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("errors5xx") end
  io.write("5xx: " .. total .. "\n")
end
