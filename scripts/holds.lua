-- wrk script: every request tries to hold a seat for a new passport on one day's slots
-- (round-robin over SLOTS, a comma-separated list of RFC 3339 starts). Counts the answers.
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  slots = {}
  for s in string.gmatch(os.getenv("SLOTS") or "", "[^,]+") do table.insert(slots, s) end
  branch = os.getenv("BRANCH") or "dashoguz"
  prefix = os.getenv("PREFIX") or "L"
  n = 0
  created, full, other = 0, 0, 0
end

function request()
  n = n + 1
  local start = slots[(n % #slots) + 1]
  local passport = prefix .. string.format("%02d%06d", id, n)
  local body = '{"branch":"' .. branch .. '","service":"passport-international","start":"' .. start ..
    '","applicant":{"surname":"Amanow","given_name":"Merdan","date_of_birth":"1990-05-17",' ..
    '"phone":"+99365123456","passport":{"number":"' .. passport ..
    '","issued_on":"2020-01-01","issued_by":"Daşoguz","expires_on":"2035-01-01"}}}'
  return wrk.format("POST", "/api/v1/bookings", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 or status == 429 then full = full + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, f, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); f = f + t:get("full"); o = o + t:get("other")
  end
  io.write(string.format("answers: created=%d conflict=%d other=%d\n", c, f, o))
end
