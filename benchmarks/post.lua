-- wrk script for benchmarks/intake.py: every request a new supporter, so none is a repeat.
-- Arguments (after --): mode (json|form), path, campaign slug, target id, CSRF secret (form only).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  mode, path, slug, target, csrf = args[1], args[2], args[3], args[4], args[5]
  run = os.time() % 100000
  headers = {}
  if mode == "form" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Cookie"] = "csrftoken=" .. csrf
  else
    headers["Content-Type"] = "application/json"
  end
end

function request()
  counter = counter + 1
  local email = string.format("s%d-%d-%d@bench.example", run, tid, counter)
  local body
  if mode == "form" then
    body = string.format(
      "csrfmiddlewaretoken=%s&kind=call&targets=%s&date=%s&represents=1&text=Called&name=Bench&email=%s&country=GB&submission=%d-%d-%d",
      csrf, target, os.date("!%Y-%m-%d"), email, run, tid, counter)
  else
    body = string.format(
      '{"campaign":"%s","kind":"email","targets":[%s],"country":"GB","text":"Free the workers","supporter":{"name":"Bench","email":"%s"}}',
      slug, target, email)
  end
  return wrk.format("POST", path, headers, body)
end

-- Count the answers by status, per thread, and print the sums at the end ("status 202: N").
statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses") or {}) do
      totals[status] = (totals[status] or 0) + n
    end
  end
  for status, n in pairs(totals) do
    io.write(string.format("status %d: %d\n", status, n))
  end
end
