#!/bin/sh
# Stateless HTTP replicas behind haproxy, under load (make cluster-test; make cluster-bench
# runs it with TG_BENCH=long for longer runs).  N copies of examples/node/server.js serve
# one model database read-only; haproxy terminates TLS (a certificate made here), checks
# the replicas' /health, retries a request a dead replica dropped, and limits each client
# (its bearer token) to RATE requests a second.  wrk loads it over TLS.  Checked:
#   - TLS only on the balancer's port; /predict 401 without a token, 403 with a wrong one;
#   - throughput and p50/p99 with 1, 2 and 4 replicas (the table), no error, and one
#     replica alone over plain HTTP for comparison;
#   - a redeploy (and a rollback) under load: every answer is the old model's or the new
#     one's for its text, never an error;
#   - one replica killed -9 under load: haproxy marks it down and routes around it; the
#     errors are counted and printed;
#   - a client that floods gets 429 while the other clients (other tokens) are all served;
#   - nothing listens beyond loopback.
# Usage: sh cluster/http_test.sh [CSV]
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
. cluster/lib.sh
t_begin http
CSV=${1:-data/sample_movies.csv}
[ -f "$CSV" ] || CSV=data/sample_movies.csv
if [ "${TG_BENCH:-}" = long ]; then SECS=10; else SECS=4; fi
RATE=100     # requests per second per client (token) before haproxy answers 429
CLIENTS=1024 # tokens the load generator spreads its requests over: each client stays far
             # under RATE even at 30,000 requests a second in all
pids="" hap=""
trap 'for p in $pids $hap; do kill -9 $p 2>/dev/null; done; rm -rf "$tmp"' EXIT
NODEDIR=examples/node

# --- the model database (model 1 deployed, model 2 ready), texts, answers, tokens, cert
./tg-train -q "$CSV" "$tmp/served.db" && ./tg-train -q --force --deploy never --C 0.2 "$CSV" "$tmp/served.db" && ok=1 || ok=0
check "tg-train writes two models into the served database" $ok
TEXTS="SELECT overview AS t FROM movies WHERE split = 'test' AND trim(overview) <> '' ORDER BY rowid LIMIT 400"
sqlite3 -batch "$tmp/served.db" "SELECT json_object('overview', t) FROM ($TEXTS)" >"$tmp/bodies"
answers() { # answers MODEL_ID: the expected /predict body of each text, as JSON
	cp "$tmp/served.db" "$tmp/a.db"
	./tg-train deploy "$tmp/a.db" "$1" >/dev/null
	sqlite3 -batch "$tmp/a.db" ".load ./tg" "SELECT json_object('genre', tg_predict(t), 'tags', json(coalesce(tg_tags(t), '[]')), 'scores', json(coalesce(tg_scores(t), '{}'))) FROM ($TEXTS)"
}
answers 1 >"$tmp/expect1"
answers 2 >"$tmp/expect2"
check "the two models answer differently on some of the $(wc -l <"$tmp/bodies") texts" "$(yes_if differ "$tmp/expect1" "$tmp/expect2")"
tokens() { openssl rand -hex $((16 * $1)) | fold -w 32; } # N random tokens, one per line
tokens $CLIENTS >"$tmp/tokens"
tokens 1 >"$tmp/flooder"
tokens 64 >"$tmp/checker_tokens"
tokens 1 >"$tmp/respeller"
cat "$tmp/tokens" "$tmp/flooder" "$tmp/checker_tokens" "$tmp/respeller" >"$tmp/allowed"
head -n 1 "$tmp/tokens" >"$tmp/token1"
make_cert "$tmp" tg-balancer
cat "$tmp/tg-balancer.crt" "$tmp/tg-balancer.key" >"$tmp/balancer.pem"

# --- four replicas
set -- $(free_ports 6)
LB=$1 STATS=$2
shift 2
REPLICA_PORTS="$*"
n=0
for p in $REPLICA_PORTS; do
	n=$((n + 1))
	PORT=$p TG_DB="$tmp/served.db" node $NODEDIR/server.js --token-file "$tmp/allowed" >"$tmp/r$n.log" 2>&1 &
	pids="$pids $!"
	eval "rpid_$n=$!"
done
ok=1
for i in 1 2 3 4; do wait_for "$tmp/r$i.log" "listening" 20 || ok=0; done
check "four replicas of server.js start, each with the token file" $ok

# hap_start N: haproxy in front of the first N replicas (restarted if running).
hap_start() {
	[ -n "$hap" ] && kill $hap 2>/dev/null && wait $hap 2>/dev/null
	{
		cat <<CFG
global
	maxconn 2000
	ssl-default-bind-options ssl-min-ver TLSv1.2
defaults
	mode http
	timeout connect 1s
	timeout client 10s
	timeout server 10s
	timeout http-request 5s
	retries 3
	option redispatch 1
	retry-on conn-failure empty-response response-timeout
frontend tg
	bind 127.0.0.1:$LB ssl crt $tmp/balancer.pem
	stick-table type binary len 32 size 100k expire 10s store http_req_rate(1s)
	http-request deny deny_status 400 if { req.fhdr_cnt(authorization) gt 1 }
	http-request set-var(txn.tg_token) 'req.fhdr(authorization),regsub("^bearer +(\S+) *\$","\1",i)'
	http-request track-sc0 var(txn.tg_token),digest(sha256) if { var(txn.tg_token) -m found }
	http-request deny deny_status 429 if { sc_http_req_rate(0) gt $RATE }
	default_backend replicas
backend replicas
	balance leastconn
	option httpchk GET /health
	http-check expect status 200
	default-server check inter 250ms fall 2 rise 2
CFG
		k=0
		for p in $REPLICA_PORTS; do
			k=$((k + 1))
			[ $k -le "$1" ] && printf '\tserver r%d 127.0.0.1:%s\n' $k "$p"
		done
		printf 'listen stats\n\tbind 127.0.0.1:%s\n\tstats enable\n\tstats uri /stats\n' "$STATS"
	} >"$tmp/haproxy.cfg"
	haproxy -q -db -f "$tmp/haproxy.cfg" >>"$tmp/haproxy.log" 2>&1 &
	hap=$!
	i=0 # until every replica is up in haproxy's health checks
	while [ $i -lt 100 ] && [ "$(curl -s "http://127.0.0.1:$STATS/stats;csv" | grep -c '^replicas,r[0-9]*,.*,UP,')" != "$1" ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# load SECONDS [TOKENS [URL]]: wrk, 2 threads, 32 connections, by default over TLS to the
# balancer; its RESULT line.
load() {
	wrk -t2 -c32 -d"$1"s --timeout 5s -s cluster/load.lua "${3:-https://127.0.0.1:$LB}" -- "${2:-$tmp/tokens}" "$tmp/bodies" |
		grep '^RESULT'
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
CURL="curl -s --cacert $tmp/tg-balancer.crt -o /dev/null -w %{http_code} https://127.0.0.1:$LB/predict"
BODY=$(head -n 1 "$tmp/bodies")

# --- TLS and tokens through the balancer
hap_start 2
check "haproxy starts with 2 replicas, both up in its health checks" \
	"$(yes_if [ "$(curl -s "http://127.0.0.1:$STATS/stats;csv" | grep -c '^replicas,r[0-9]*,.*,UP,')" = 2 ])"
check "https with the test's certificate verified: 200 with a token" \
	"$(yes_if [ "$($CURL -H "Authorization: Bearer $(cat "$tmp/token1")" -d "$BODY")" = 200 ])"
check "no token: 401" "$(yes_if [ "$($CURL -d "$BODY")" = 401 ])"
check "a wrong token: 403" "$(yes_if [ "$($CURL -H "Authorization: Bearer $(openssl rand -hex 16)" -d "$BODY")" = 403 ])"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$LB/predict" -d "$BODY")
check "plain HTTP to the balancer's port gets no answer from a replica (got '$code')" "$([ "$code" != 200 ] && [ "$code" != 401 ] && echo 1 || echo 0)"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "https://127.0.0.1:$LB/predict" -d "$BODY")
check "https without trusting the test's certificate: refused by the client (curl $code)" "$(yes_if [ "$code" = 000 ])"

# --- one token, one limit, however it is spelt.  server.js takes the scheme in any case
# and any number of spaces before the token: 600 requests on one connection, one token
# spelt 40 ways, must share that token's limit (keyed on the raw header, each spelling
# stayed far under it).  Two Authorization headers: refused by haproxy (its own 400
# page), and by server.js when reached directly (its JSON error).
tok=$(cat "$tmp/respeller")
printf '%s' "$BODY" >"$tmp/body"
awk -v tok="$tok" -v url="https://127.0.0.1:$LB/predict" -v ca="$tmp/tg-balancer.crt" -v body="$tmp/body" 'BEGIN {
	split("Bearer bearer BEARER bEARER BeArEr beaRER BEARer bearEr", spell, " ")
	for (i = 0; i < 600; i++) {
		sp = substr("     ", 1, 1 + int(i / 8) % 5)
		printf "url = \"%s\"\ncacert = \"%s\"\nheader = \"Authorization: %s%s%s\"\n", url, ca, spell[i % 8 + 1], sp, tok
		printf "data-binary = \"@%s\"\noutput = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\n%s", body, i < 599 ? "next\n" : ""
	}
}' >"$tmp/respell.curl"
curl -s -K "$tmp/respell.curl" >"$tmp/respell.codes"
n200=$(grep -c '^200$' "$tmp/respell.codes") n429=$(grep -c '^429$' "$tmp/respell.codes")
check "one token spelt 40 ways (scheme's case, spaces): one limit, $n429 of 600 got 429 ($n200 got 200)" \
	"$([ "$n429" -gt 0 ] && [ $((n200 + n429)) = 600 ] && echo 1 || echo 0)"
r=$(curl -s --cacert "$tmp/tg-balancer.crt" -w ' %{http_code}' -H "Authorization: Bearer $tok" -H "Authorization: x" \
	-d "$BODY" "https://127.0.0.1:$LB/predict")
case "$r" in *"400 Bad request"*" 400") ok=1 ;; *) ok=0 ;; esac
check "two Authorization headers: haproxy refuses them, 400" $ok
set -- $REPLICA_PORTS
r=$(curl -s -w ' %{http_code}' -H "Authorization: Bearer $tok" -H "Authorization: Bearer $tok" -d "$BODY" "http://127.0.0.1:$1/predict")
case "$r" in *"more than one Authorization header"*" 400") ok=1 ;; *) ok=0 ;; esac
check "two Authorization headers straight to server.js: 400 too" $ok
grep -F -f "$tmp/allowed" "$tmp"/r*.log "$tmp/haproxy.log" >/dev/null 2>&1
rc=$?
check "no token appears in the replicas' or haproxy's output" "$(yes_if [ $rc = 1 ])"

# --- throughput with 1, 2, 4 replicas
echo "     load: wrk -t2 -c32 over TLS, ${SECS} s a run, $(nproc) cores: $(lscpu | sed -n 's/^Model name: *//p')"
printf '     %-30s %8s %8s %8s %7s\n' replicas "req/s" "p50 ms" "p99 ms" errors >"$tmp/table"
for n in direct 1 2 4; do
	if [ $n = direct ]; then # one replica, plain HTTP, no balancer: what TLS and haproxy cost
		set -- $REPLICA_PORTS
		r=$(load $SECS "$tmp/tokens" "http://127.0.0.1:$1")
		n="1 (plain HTTP, no balancer)"
	else
		hap_start $n
		r=$(load $SECS)
	fi
	errs=$(($(field "$r" socket_errors) + $(field "$r" non2xx)))
	printf '     %-30s %8s %8s %8s %7s\n' "$n" "$(field "$r" rps)" "$(field "$r" p50_ms)" "$(field "$r" p99_ms)" $errs >>"$tmp/table"
	check "$n replica(s): $(field "$r" requests) requests, all 200" "$([ -n "$r" ] && [ $errs = 0 ] && echo 1 || echo 0)"
done
cat "$tmp/table"

# --- a redeploy and a rollback under load: old or new model's answer, never an error
hap_start 4
node cluster/check_answers.js "https://127.0.0.1:$LB/predict" "$tmp/tg-balancer.crt" "$tmp/checker_tokens" \
	"$tmp/bodies" "$tmp/expect1" "$tmp/expect2" $((SECS + 2)) 4 >"$tmp/checked" 2>&1 &
checker=$!
load $((SECS + 2)) >"$tmp/redeploy" &
wrk_pid=$!
sleep $((SECS / 2 + 1))
./tg-train deploy "$tmp/served.db" 2 >/dev/null && ok=1 || ok=0
sleep $((SECS / 2))
./tg-train rollback "$tmp/served.db" >/dev/null || ok=0
wait $wrk_pid
wait $checker
check "tg-train deploy 2, then rollback, while under load" $ok
cat "$tmp/checked" | sed 's/^/     /'
r=$(cat "$tmp/redeploy")
check "wrk during the redeploy: $(field "$r" requests) requests, no error ($(field "$r" non2xx) non-2xx, $(field "$r" socket_errors) socket errors; ${r#*non2xx=*[0-9] })" \
	"$([ -n "$r" ] && [ "$(field "$r" non2xx)" = 0 ] && [ "$(field "$r" socket_errors)" = 0 ] && echo 1 || echo 0)"
c=$(grep '^CHECKED' "$tmp/checked")
check "every checked answer is model 1's or model 2's for its text, both seen, no error" \
	"$([ -n "$c" ] && [ "$(field "$c" wrong)" = 0 ] && [ "$(field "$c" errors)" = 0 ] &&
		[ "$(field "$c" model_a)" -gt 0 ] && [ "$(field "$c" model_b)" -gt 0 ] && echo 1 || echo 0)"

# --- one replica killed -9 under load
load $((SECS + 1)) >"$tmp/killed" &
wrk_pid=$!
sleep $((SECS / 2))
kill -9 $rpid_1
wait $wrk_pid
r=$(cat "$tmp/killed")
down=$(curl -s "http://127.0.0.1:$STATS/stats;csv" | grep -c '^replicas,r1,.*,DOWN')
check "replica 1 killed under load: haproxy marks it down" "$(yes_if [ "$down" = 1 ])"
errs=$(($(field "$r" socket_errors) + $(field "$r" non2xx)))
echo "     errors while a replica died: $errs of $(field "$r" requests) requests ($(field "$r" socket_errors) socket, $(field "$r" non2xx) non-2xx; ${r#*non2xx=*[0-9] })"
check "the other replicas kept serving: $(field "$r" status_200) answers 200" "$([ -n "$r" ] && [ "$(field "$r" status_200)" -gt 0 ] && echo 1 || echo 0)"

# --- a flooding client gets 429, the other clients are served
load $SECS "$tmp/flooder" >"$tmp/flood" &
flood_pid=$!
r=$(load $SECS)
wait $flood_pid
f=$(cat "$tmp/flood")
echo "     flooder: $(field "$f" requests) requests, $(field "$f" status_429) got 429; others: $(field "$r" requests) requests, $(field "$r" status_200) got 200"
check "the flooding client (one token) gets 429 from the balancer" "$(yes_if [ "$(field "$f" status_429)" -gt 0 ])"
check "the other clients ($CLIENTS tokens) are all served: no 429, no error" \
	"$([ -n "$r" ] && [ "$(field "$r" non2xx)" = 0 ] && [ "$(field "$r" socket_errors)" = 0 ] && echo 1 || echo 0)"
check "nothing listens beyond loopback (replicas, haproxy)" "$(only_loopback $pids $hap)"
t_end
