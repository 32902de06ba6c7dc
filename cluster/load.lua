-- wrk script: POST /predict with a random body of BODIES (one JSON body per line) and a
-- random bearer token of TOKENS (one per line: many tokens are many clients, each well
-- under the balancer's per-client rate limit).  Counts the answers by status and prints
-- one line:  RESULT requests=N seconds=S rps=R p50_ms=A p99_ms=B socket_errors=E non2xx=X status_200=...
-- Usage: wrk ... -s cluster/load.lua https://127.0.0.1:PORT -- TOKENS BODIES
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

local function lines(path)
	local t = {}
	for l in io.lines(path) do
		if #l > 0 then t[#t + 1] = l end
	end
	return t
end

function init(args)
	tokens = lines(args[1])
	bodies = lines(args[2])
	codes = {}
end

function request()
	return wrk.format("POST", "/predict", {
		["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
		["Content-Type"] = "application/json",
	}, bodies[math.random(#bodies)])
end

function response(status)
	codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency)
	local all, s = {}, ""
	for _, t in ipairs(threads) do
		for k, v in pairs(t:get("codes")) do all[k] = (all[k] or 0) + v end
	end
	for k, v in pairs(all) do s = s .. string.format(" status_%d=%d", k, v) end
	local e, secs = summary.errors, summary.duration / 1e6
	io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p99_ms=%.2f socket_errors=%d non2xx=%d%s\n",
		summary.requests, secs, summary.requests / secs, latency:percentile(50) / 1000,
		latency:percentile(99) / 1000, e.connect + e.read + e.write + e.timeout, e.status, s))
end
