#!/bin/sh
# The dqlite cluster test (make cluster-test): three tg-node processes on loopback that
# talk TLS to each other, and what a user of the cluster relies on:
#   - a model and the films pushed from a local tg database; the test films tagged
#     through the cluster get exactly the local extension's answers;
#   - the leader killed (-9) in the middle of that stream: the queries resume on a new
#     leader within RESUME_LIMIT seconds (the time is printed), and no answer is wrong;
#   - a deploy in the cluster: an open connection serves the new model from its next
#     statement, and so does every node in turn as leader;
#   - the killed node restarted: it catches up (models, log, films) and serves;
#   - deploy and rollback give the deployed models tg-train gives on the same sequence;
#   - TLS: no client without the cluster's certificate gets in; Debian's dqlite shell
#     with it does; nothing listens beyond loopback.
# Usage: sh cluster/test.sh [CSV]   (CSV: the file to train on; default the sample)
#        START_OPTS="--network-latency 10ms" sh cluster/test.sh ...   (options for every node)
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
. cluster/lib.sh
t_begin cluster
CSV=${1:-data/sample_movies.csv}
[ -f "$CSV" ] || CSV=data/sample_movies.csv
NODE=build/tg-node
RESUME_LIMIT=30 # seconds the stream may stall while a new leader is elected
pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null; done; rm -rf "$tmp"' EXIT

set -- $(free_ports 3)
A1=127.0.0.1:$1 A2=127.0.0.1:$2 A3=127.0.0.1:$3
export TG_CLUSTER=$A1,$A2,$A3
make_cert "$tmp" tg-cluster
TLS="--tls-cert $tmp/tg-cluster.crt --tls-key $tmp/tg-cluster.key"
q() { $NODE query $TLS --timeout 60s "$@"; }

# start_node N ADDRESS [--join ...]: node N in $tmp/nN, its pid in $pid_N.
start_node() {
	n=$1 addr=$2
	shift 2
	$NODE start --dir "$tmp/n$n" --address "$addr" $TLS ${START_OPTS:-} "$@" >>"$tmp/n$n.log" 2>&1 &
	eval "pid_$n=$!"
	pids="$pids $!"
}
addr_of() { eval "echo \$A$1"; }
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
pid_of() { eval "echo \$pid_$1"; }
node_at() { for i in 1 2 3; do [ "$(addr_of $i)" = "$1" ] && echo $i; done; }

# --- a local tg database: two models (1 deployed; 2 trained with another C) and films.
./tg-train -q "$CSV" "$tmp/local.db" && ./tg-train -q --force --deploy never --C 0.2 "$CSV" "$tmp/local.db" && ok=1 || ok=0
check "tg-train writes two models and the films of $(basename "$CSV") into a local database" $ok
# local_answers DB MODEL_ID: the test films' answers of the local extension with MODEL_ID deployed.
TAG_SQL="SELECT rowid, tg_predict(overview), tg_tags(overview), tg_scores(overview) FROM movies WHERE split = 'test'"
local_answers() {
	cp "$1" "$tmp/answers.db"
	./tg-train deploy "$tmp/answers.db" "$2" >/dev/null
	sqlite3 -batch "$tmp/answers.db" ".load ./tg" "$TAG_SQL ORDER BY rowid"
}
local_answers "$tmp/local.db" 1 >"$tmp/expect1"
local_answers "$tmp/local.db" 2 >"$tmp/expect2"
check "the two models answer differently on some test films ($(wc -l <"$tmp/expect1") films)" \
	"$(yes_if differ "$tmp/expect1" "$tmp/expect2")"

# --- three nodes, TLS between them
start_node 1 $A1
wait_for "$tmp/n1.log" "ready" 30
start_node 2 $A2 --join $A1
start_node 3 $A3 --join $A1
ok=1
for i in 1 2 3; do wait_for "$tmp/n$i.log" "ready (tls true)" 60 || ok=0; done
check "three nodes start, join and are ready, TLS on" $ok
[ $ok = 1 ] || { cat "$tmp"/n*.log; t_end; exit 1; }
check "nothing they listen on is beyond loopback" "$(only_loopback $pids)"

# --- push, then the test films tagged through the cluster, the leader killed midway
$NODE push $TLS --from "$tmp/local.db" --films --deploy >"$tmp/push" 2>&1 &&
	grep -q "^model 1 ('genre') in the cluster, deployed; $(sqlite3 "$tmp/local.db" "SELECT count(*) FROM movies") films" "$tmp/push" && ok=1 || ok=0
check "push --films --deploy: model 1 deployed and every film in the cluster" $ok
sqlite3 "$tmp/local.db" "SELECT rowid FROM movies WHERE split = 'test' ORDER BY rowid" >"$tmp/rowids"
n=$(wc -l <"$tmp/rowids")
per=$(((n + 19) / 20)) # 20 batches
: >"$tmp/got1"
batch=0 killed="" worst=0 resume=0 ok=1
while [ $((batch * per)) -lt $n ]; do
	lo=$(sed -n "$((batch * per + 1))p" "$tmp/rowids")
	hi=$(sed -n "$(((batch + 1) * per))p" "$tmp/rowids")
	[ -n "$hi" ] || hi=$(tail -n 1 "$tmp/rowids")
	t0=$(date +%s%N)
	q "$TAG_SQL AND rowid BETWEEN $lo AND $hi ORDER BY rowid" >>"$tmp/got1" 2>>"$tmp/stream.err" || ok=0
	ms=$(ms_since $t0)
	echo $ms >>"$tmp/batch_ms"
	[ $ms -gt $worst ] && worst=$ms
	[ -n "$killed" ] && [ $resume = 0 ] && resume=$ms
	batch=$((batch + 1))
	if [ $batch = 8 ]; then # mid-stream: kill -9 the leader
		leader=$($NODE leader $TLS --timeout 10s)
		killed=$(node_at "$leader")
		kill -9 "$(pid_of $killed)"
		echo "     (batch 8 of 20: killed the leader, node $killed at $leader)"
	fi
done
check "every batch answered" $ok
[ -s "$tmp/stream.err" ] && head -n 5 "$tmp/stream.err"
check "the leader was killed mid-stream" "$(yes_if [ -n "$killed" ])"
check "the test films' answers through the cluster are exactly the local extension's ($n films)" \
	"$(yes_if cmp -s "$tmp/got1" "$tmp/expect1")"
echo "     first batch after the kill answered in $resume ms (election included); slowest batch $worst ms;" \
	"median batch $(sort -n "$tmp/batch_ms" | sed -n "$(((batch + 1) / 2))p") ms"
check "queries resumed on the new leader within $RESUME_LIMIT s" "$([ "$resume" -gt 0 ] && [ "$resume" -lt $((RESUME_LIMIT * 1000)) ] && echo 1 || echo 0)"

ALL_SQL="SELECT count(*), sum(length(tg_tags(overview))) FROM movies"
t0=$(date +%s%N)
c=$(q "$ALL_SQL")
tc=$(ms_since $t0)
t0=$(date +%s%N)
l=$(sqlite3 -batch "$tmp/local.db" ".load ./tg" "$ALL_SQL")
tl=$(ms_since $t0)
check "every film tagged in one statement: $tc ms on the new leader, $tl ms locally, same tags ($c)" \
	"$(yes_if [ "$c" = "$l" ])"

# --- a deploy: the open connection's next statement, then every live node as leader
$NODE push $TLS --from "$tmp/local.db" --id 2 >"$tmp/push2" 2>&1 && grep -q "^model 2 " "$tmp/push2" && ok=1 || ok=0
check "push --id 2: the second model in the cluster, not deployed" $ok
# A local path is a file name, whatever it holds: '?', '#' and '%' are not the URI's.
mkdir "$tmp/uri"
ok=1
for f in "my?films.db" "a#b.db" "50%2541.db"; do
	cp "$tmp/local.db" "$tmp/uri/$f"
	$NODE push $TLS --from "$tmp/uri/$f" --id 2 >"$tmp/push3" 2>&1 && grep -q "^model 2 " "$tmp/push3" || ok=0
done
check "push --from paths with '?', '#' and '%': the model read, no other file created ($(ls "$tmp/uri" | wc -l) files)" \
	"$([ $ok = 1 ] && [ "$(ls "$tmp/uri" | wc -l)" = 3 ] && echo 1 || echo 0)"
mkfifo "$tmp/session"
q <"$tmp/session" >"$tmp/session.out" 2>&1 &
session=$!
exec 3>"$tmp/session"
echo "SELECT tg_model() ->> '\$.id'" >&3
wait_for "$tmp/session.out" "^1$" 20
$NODE deploy $TLS 2 >/dev/null 2>&1 && ok=1 || ok=0
check "tg-node deploy 2" $ok
echo "SELECT tg_model() ->> '\$.id'" >&3
exec 3>&-
wait $session
check "an open connection serves model 1, then model 2 from its next statement after the deploy" \
	"$(yes_if [ "$(tr '\n' ' ' <"$tmp/session.out")" = "1 2 " ])"
for i in 1 2 3; do
	[ "$i" = "$killed" ] && continue
	$NODE leader $TLS --transfer "$(addr_of $i)" >"$tmp/leader" 2>&1
	q "$TAG_SQL ORDER BY rowid" >"$tmp/got2" 2>&1
	check "node $i as leader serves model 2: answers equal the local ones with model 2" \
		"$([ "$(cat "$tmp/leader")" = "$(addr_of $i)" ] && cmp -s "$tmp/got2" "$tmp/expect2" && echo 1 || echo 0)"
done

# --- the killed node restarted: it catches up on what happened while it was down
: >"$tmp/n$killed.log"
start_node "$killed" "$(addr_of "$killed")"
wait_for "$tmp/n$killed.log" "ready" 60
# state: everything the cluster holds, in full (models with their blobs, the log, the films)
state() {
	q "SELECT id, name, created_at, format, params, metrics, data_sha256, deployed, hex(model) FROM tg_models ORDER BY id" \
		"SELECT * FROM tg_deployments ORDER BY id" "SELECT rowid, * FROM movies ORDER BY rowid" >"$1" 2>&1
}
state "$tmp/state.before"
$NODE leader $TLS --transfer "$(addr_of "$killed")" >"$tmp/leader" 2>&1
check "the restarted node $killed rejoins and takes the lead" "$(yes_if [ "$(cat "$tmp/leader")" = "$(addr_of "$killed")" ])"
state "$tmp/state.after"
check "nothing is lost: models (blobs included), deployment log and films the same on it ($(wc -c <"$tmp/state.after") bytes)" \
	"$([ -s "$tmp/state.after" ] && cmp -s "$tmp/state.before" "$tmp/state.after" && echo 1 || echo 0)"
q "$TAG_SQL ORDER BY rowid" >"$tmp/got3" 2>&1
check "it serves the model deployed while it was down (answers of model 2)" "$(yes_if cmp -s "$tmp/got3" "$tmp/expect2")"

# --- deploy and rollback as tg-train does them, step by step
cp "$tmp/local.db" "$tmp/ref.db"
./tg-train deploy "$tmp/ref.db" 2 >/dev/null
ok=1 steps=""
for step in rollback "deploy 2" "deploy 1" rollback rollback rollback "deploy 2" rollback; do
	set -- $step
	if [ "$1" = deploy ]; then
		$NODE deploy $TLS "$2" >/dev/null 2>&1
		./tg-train deploy "$tmp/ref.db" "$2" >/dev/null 2>&1
	else
		$NODE rollback $TLS >/dev/null 2>&1
		./tg-train rollback "$tmp/ref.db" >/dev/null 2>&1
	fi
	c=$(q "SELECT id FROM tg_models WHERE deployed = 1")
	l=$(sqlite3 "$tmp/ref.db" "SELECT id FROM tg_models WHERE deployed = 1")
	[ "$c" = "$l" ] || ok=0
	steps="$steps $c"
done
LOG_SQL="SELECT group_concat(model_id || action) FROM tg_deployments"
check "deploy/rollback sequence: the cluster deploys what tg-train deploys (${steps# })" $ok
check "and logs the same deployments" "$(yes_if [ "$(q "$LOG_SQL")" = "$(sqlite3 "$tmp/ref.db" "$LOG_SQL")" ])"
$NODE rollback $TLS --name nosuch >"$tmp/out" 2>&1
check "rollback of a name never deployed: an error naming it" "$(yes_if grep -q "no earlier deployment.*'nosuch'" "$tmp/out")"
$NODE deploy $TLS 99 >"$tmp/out" 2>&1
check "deploy of an unknown id: an error naming it" "$(yes_if grep -q "no model with id 99" "$tmp/out")"

# --- TLS: who gets in
make_cert "$tmp" stranger
timeout 20 $NODE query --tls-cert "$tmp/stranger.crt" --tls-key "$tmp/stranger.key" --timeout 5s "SELECT 1" >"$tmp/out" 2>&1
rc=$?
check "a client with a certificate the cluster does not trust is refused, and told why ($(grep -o 'x509: [^)]*\|tls: [^)]*' "$tmp/out" | head -n 1))" \
	"$([ $rc != 0 ] && ! grep -qx 1 "$tmp/out" && grep -q 'last attempt: .*\(x509\|tls\): ' "$tmp/out" && echo 1 || echo 0)"
timeout 20 $NODE query --timeout 5s "SELECT 1" >"$tmp/out" 2>&1
rc=$?
check "a client without TLS is refused" "$([ $rc != 0 ] && ! grep -qx 1 "$tmp/out" && echo 1 || echo 0)"
echo | timeout 10 openssl s_client -connect "$A1" -servername tg-cluster -CAfile "$tmp/tg-cluster.crt" >"$tmp/out" 2>&1
check "openssl s_client: the node speaks TLS, shows its certificate and asks for the client's" \
	"$(grep -q "^subject=CN = tg-cluster" "$tmp/out" && grep -q "^Acceptable client certificate CA names" "$tmp/out" && echo 1 || echo 0)"
timeout 20 dqlite -s "$A1,$A2,$A3" -c "$tmp/tg-cluster.crt" -k "$tmp/tg-cluster.key" tg \
	"SELECT tg_model() ->> '\$.id', tg_predict('A ghost haunts the family in the old house')" >"$tmp/out" 2>&1
check "Debian's dqlite shell queries tg through the cluster ($(tail -n 1 "$tmp/out" | tr -s ' '))" \
	"$(yes_if grep -q "^1 *| *[A-Z]" "$tmp/out")"
check "still nothing beyond loopback" "$(only_loopback $pids)"
for p in $pids; do kill $p 2>/dev/null; done
t_end
