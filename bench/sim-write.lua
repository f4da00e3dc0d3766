-- wrk script: inbound livechat messages, each with a fresh client_request_id, into one conversation.
-- Usage: wrk -s bench/sim-write.lua ... http://HOST:PORT  (CONVERSATION env var names the conversation)
local n = 0
local conversation = os.getenv("CONVERSATION")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer ru_test_simdev.local-development-only"
request = function()
  n = n + 1
  local body = string.format('{"client_request_id":"bench-%d-%d","conversation_id":"%s","text":"load %d"}',
    math.random(1, 1e9), n, conversation, n)
  return wrk.format(nil, "/api/public/v1/livechat/messages", nil, body)
end
