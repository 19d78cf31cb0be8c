-- wrk script: every other request carries the gray-lane tracestate, so one measured run exercises both routing
-- outcomes and splits the upstream work evenly over the two upstream processes.
-- Both requests are formatted once in init; request() only picks one, to keep wrk's own per-request cost low.
-- The tagged tracestate value comes from wrk-runner.js (`wrk ... -- <tracestate>`), so it has one source.
local tagged
local untagged
local sent = 0

function init(args)
  untagged = wrk.format()
  wrk.headers["tracestate"] = args[1]
  tagged = wrk.format()
  wrk.headers["tracestate"] = nil
end

function request()
  sent = sent + 1
  if sent % 2 == 0 then
    return tagged
  end
  return untagged
end
