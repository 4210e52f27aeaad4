-- wrk script: POST a couple's plan request to /api/v1/recommend, cycling through varied couples
-- so that the server does the whole work for different inputs.
local bodies = {
  '{"you":{"pain_type":"flexion","role":"receptive"}}',
  '{"you":{"pain_type":"extension","role":"insertive","pain_now":5},"partner":{"pain_type":"motion"}}',
  '{"you":{"pain_type":"motion","role":"receptive","conditions":["disc-problem"]},"time":"morning"}',
  '{"you":{"pain_type":"unclear","role":"insertive","pain_now":8},"partner":{"pain_type":"flexion","conditions":["pregnancy"]}}',
  '{"you":{"pain_type":"flexion","role":"insertive","conditions":["hip-replacement","kidney-disease"]},"partner":{"pain_type":"extension"},"symptoms":["night-pain"]}',
}
-- Each request is built once, so that wrk's own work per request stays as small as for the
-- trivial endpoint it is compared with (the two share the machine's cores).
-- (In init, where wrk knows the host the requests name.)
local requests = {}
init = function(args)
  for n, body in ipairs(bodies) do
    requests[n] = wrk.format("POST", "/api/v1/recommend", { ["Content-Type"] = "application/json" }, body)
  end
end
local i = 0
request = function()
  i = i + 1
  return requests[(i % #requests) + 1]
end
