-- wrk script: every other request carries the gray-lane tracestate, so one measured run exercises both routing
-- outcomes and splits the upstream work evenly over the two upstream processes.
-- Both requests are formatted once in init; request() only picks one, to keep wrk's own per-request cost low.
-- The tagged tracestate value comes from wrk-runner.js (`wrk ... -- <tracestate> [traced]`), so it has one source.
-- With `traced`, every request also carries a W3C traceparent with a fresh random trace id, as each request of a
-- traced service would: then requests are formatted one by one (the same cost for every variant compared).
local tagged
local untagged
local tagged_state
local traced = false
local sent = 0

function init(args)
  untagged = wrk.format()
  tagged_state = args[1]
  wrk.headers["tracestate"] = tagged_state
  tagged = wrk.format()
  wrk.headers["tracestate"] = nil
  traced = args[2] == "traced"
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local function hex16()
  return string.format("%04x", math.random(0, 65535))
end

local function traceparent()
  local id = {}
  for i = 1, 8 do id[i] = hex16() end
  return "00-" .. table.concat(id) .. "-" .. hex16() .. hex16() .. hex16() .. "0001-01"
end

function request()
  sent = sent + 1
  if not traced then
    if sent % 2 == 0 then
      return tagged
    end
    return untagged
  end
  local headers = { ["traceparent"] = traceparent() }
  if sent % 2 == 0 then
    headers["tracestate"] = tagged_state
  end
  return wrk.format(nil, nil, headers)
end
