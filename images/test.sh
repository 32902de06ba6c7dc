#!/bin/sh
# make images-test: the images of make images, run as deploy/tg.yaml says, with podman
# kube play (images/kube_podman.py gives podman 4.3 what it takes: the Secret as a
# podman secret, one copy of the Deployment per replica with its own loopback port, the
# Job as a Pod).  Checked:
#   - the images: sizes within bounds; tg-serve holds no trainer, compiler or test code
#     and runs as a non-root user; tg-train holds no HTTP server;
#   - `podman run -p 127.0.0.1:PORT:8000 -e TG_TOKEN=... tg-serve` alone: the shipped
#     model's answers, 401 without the token, 403 with a wrong one;
#   - every replica answers the sample's held-out films exactly as ./tg.so in the sqlite3
#     shell does with models/genre.db (tags and scores too);
#   - the training Job on ../shared/data (else the sample): every replica then answers as
#     ./tg.so does with the trained registry, with no restart; the Job again on the same
#     data trains nothing;
#   - a replica's container killed: the others answer on;
#   - torn down, nothing is left: no container, pod, volume or secret (also on failure).
# Traffic goes to 127.0.0.1 only.  Needs root, podman, and the images (make images-test).
#   sh images/test.sh [CSV]
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
. cluster/lib.sh
t_begin images
CSV=${1:-../shared/data/movies_metadata.csv}
[ -f "$CSV" ] || CSV=data/sample_movies.csv
version=$(cat VERSION)
YAML=deploy/tg.yaml
kube() { /usr/bin/python3 images/kube_podman.py "$YAML" "$@"; }
ask() { /usr/bin/python3 images/answers.py "$@"; }
# Played from $tmp: podman 4.3 tries to build an image whose name is a path in its working
# folder (here ./tg-train, the trainer), --build=false notwithstanding.
play() { (cd "$tmp" && podman kube play "$1") >>"$tmp/play.log" 2>&1; }
replicas=$(kube replicas)
volumes="tg-registry tg-data" secret=tg-tokens run=tg-images-test-run
mkdir -p "$tmp/kube"
# What the test plays, written before anything runs, so that teardown knows it all.
i=0
while [ $i -lt "$replicas" ]; do i=$((i + 1)); kube serve $i 0 >"$tmp/kube/serve-$i.yaml"; done
kube job 1 >"$tmp/kube/train-1.yaml" && kube job 2 >"$tmp/kube/train-2.yaml"

teardown() {
	podman rm -f -t 0 $run >/dev/null 2>&1
	for f in "$tmp"/kube/*.yaml; do podman kube down "$f" >/dev/null 2>&1; done
	podman volume rm -f $volumes >/dev/null 2>&1
	podman secret rm $secret >/dev/null 2>&1
}
# leftovers: what of the test's pods, containers, volumes and secret podman still has.
leftovers() {
	{
		podman pod ps --format '{{.Name}}' | grep -E '^(tg-serve|tg-train)-'
		podman ps -a --format '{{.Names}}' | grep -E "^(tg-serve|tg-train)-|^$run\$"
		podman volume ls --format '{{.Name}}' | grep -x -E "$(echo $volumes | tr ' ' '|')"
		podman secret ls --format '{{.Name}}' | grep -x $secret
	} 2>/dev/null | tr '\n' ' '
}
teardown # what a killed earlier run may have left
trap 'teardown; rm -rf "$tmp"' EXIT

# --- the images
size() { podman image inspect --format '{{.Size}}' "localhost/$1:$version" 2>/dev/null | awk '{ printf "%d", $1 / 1e6 }'; }
s=$(size tg-serve) t=$(size tg-train)
check "tg-serve:$version is ${s:-?} MB (at most 250), tg-train:$version ${t:-?} MB (at most 150)" \
	"$([ -n "$s" ] && [ -n "$t" ] && [ "$s" -le 250 ] && [ "$t" -le 150 ] && echo 1 || echo 0)"
in_image() { podman run --rm --entrypoint /bin/sh "localhost/$1:$version" -c "$2" 2>&1; }
got=$(in_image tg-serve 'for c in tg-train cc gcc g++ make node-gyp npm python3; do command -v $c; done;
	find /usr/include /usr/share/tg/tests /usr/local/lib/tg-serve/node_modules/better-sqlite3/src \
	   /usr/local/lib/tg-serve/node_modules/better-sqlite3/deps -mindepth 1 -print -quit 2>/dev/null; id -u')
check "tg-serve holds no trainer, compiler, build tool or sources, and runs as uid 10001: $(echo $got)" \
	"$([ "$got" = 10001 ] && echo 1 || echo 0)"
got=$(in_image tg-train 'for c in node nodejs cc gcc; do command -v $c; done; ls -d /usr/local/lib/tg-serve 2>/dev/null;
	tg-train --version | head -n 1; id -u')
check "tg-train holds tg-train and no HTTP server, and runs as uid 10001: $(echo $got)" \
	"$([ "$got" = "tg-train $version
10001" ] && echo 1 || echo 0)"

# --- the held-out films of the sample, and what ./tg.so answers for them
./tg-train -q data/sample_movies.csv "$tmp/sample.db" && ok=1 || ok=0
check "./tg-train splits the sample (the held-out films are its test split)" $ok
# A database of the films alone (no registry of its own, which the extension would use
# before the attached one).
sqlite3 -batch "$tmp/films.db" "ATTACH '$tmp/sample.db' AS s" "CREATE TABLE films AS SELECT title, overview
	FROM s.movies WHERE split = 'test' AND trim(overview) <> '' ORDER BY rowid"
FILMS="SELECT title, overview FROM films ORDER BY rowid"
sqlite3 -batch "$tmp/films.db" "SELECT json_object('title', title, 'overview', overview) FROM ($FILMS)" >"$tmp/bodies"
# expect MODEL_DB: the answer to each body, from ./tg.so with MODEL_DB attached, as JSON.
expect() {
	sqlite3 -batch "$tmp/films.db" ".load ./tg" "ATTACH '$1' AS tgm" \
		"SELECT json_object('genre', tg_predict(t), 'tags', json(coalesce(tg_tags(t), '[]')),
		                    'scores', json(coalesce(tg_scores(t), '{}')))
		 FROM (SELECT tg_text(title, overview) AS t FROM ($FILMS))"
}
expect models/genre.db >"$tmp/shipped"
nfilms=$(wc -l <"$tmp/bodies")
check "$nfilms held-out films, and ./tg.so's answers with the shipped model" \
	"$([ "$nfilms" -gt 0 ] && [ "$(wc -l <"$tmp/shipped")" = "$nfilms" ] && echo 1 || echo 0)"
token=$(openssl rand -hex 16)

# --- podman run, as the README says
set -- $(free_ports $((replicas + 1)))
port=$1
shift
podman run -d --rm --name $run -p 127.0.0.1:$port:8000 -e TG_TOKEN="$token" "localhost/tg-serve:$version" >/dev/null &&
	ask health $port 30 >"$tmp/health" && ok=1 || ok=0
check "podman run -p 127.0.0.1:$port:8000 -e TG_TOKEN=... tg-serve:$version: /health $(cat "$tmp/health")" $ok
ask check "$token" "$tmp/bodies" "$tmp/shipped" $port >"$tmp/out" && ok=1 || ok=0
check "it answers the held-out films as ./tg.so does with the shipped model: $(cat "$tmp/out")" $ok
got="$(ask status $port) $(ask status $port wrong-token)"
check "/predict without the token: 401, with a wrong one: 403 (got $got)" "$([ "$got" = "401 403" ] && echo 1 || echo 0)"
podman rm -f -t 2 $run >/dev/null 2>&1

# --- the manifests: the Secret, the volumes (the training data put in tg-data), replicas
kube secret "$token" >"$tmp/secret.json" && podman secret create $secret "$tmp/secret.json" >/dev/null && ok=1 || ok=0
check "the Secret $secret, its token a fresh random one" $ok
kube volumes >"$tmp/volumes.yaml"
mkdir -p "$tmp/data" && cp "$CSV" "$tmp/data/movies_metadata.csv"
play "$tmp/volumes.yaml" &&
	tar -C "$tmp/data" -cf - movies_metadata.csv | podman volume import tg-data - >>"$tmp/play.log" 2>&1 && ok=1 || ok=0
check "the PersistentVolumeClaims played: volumes $volumes, $CSV in tg-data" $ok
ports="$*"
i=0 ok=1
for p in $ports; do
	i=$((i + 1))
	kube serve $i $p >"$tmp/kube/serve-$i.yaml"
	play "$tmp/kube/serve-$i.yaml" || ok=0
done
for p in $ports; do ask health $p 60 >/dev/null || ok=0; done
check "$replicas replicas of tg-serve played, on 127.0.0.1:$(echo $ports | tr ' ' ','), each answering /health" $ok
[ $ok = 1 ] || sed 's/^/     | /' "$tmp/play.log" | tail -n 20
# The replicas' containers (not the pods' infra containers), and when each started.
containers=$(for pod in $(podman pod ps --format '{{.Name}}' | grep '^tg-serve-'); do
	podman ps --filter pod="$pod" --format '{{.Names}}' | grep -v -- '-infra$'; done | sort)
started() { for c in $containers; do podman inspect --format '{{.Name}} {{.State.StartedAt}} {{.RestartCount}}' $c; done; }
started >"$tmp/started"
check "one container per replica: $(echo $containers)" "$([ "$(echo $containers | wc -w)" = "$replicas" ] && echo 1 || echo 0)"
ask check "$token" "$tmp/bodies" "$tmp/shipped" $ports >"$tmp/out" && ok=1 || ok=0
check "every replica answers the held-out films as ./tg.so does with the shipped model (the empty volume got it): $(echo $(cat "$tmp/out"))" $ok
got=$(for p in $ports; do ask status $p; ask status $p wrong-token; done | sort | uniq -c | awk '{ printf "%s x%s ", $2, $1 }')
check "every replica: 401 without the token, 403 with a wrong one ($got)" \
	"$([ "$got" = "401 x$replicas 403 x$replicas " ] && echo 1 || echo 0)"

# --- the training Job
registry() { # registry OUT: the registry database as it is in the volume
	rm -rf "$tmp/reg" && mkdir -p "$tmp/reg" && podman volume export tg-registry | tar -C "$tmp/reg" -xf - &&
		cp "$tmp/reg/registry.db" "$1"
}
job() { # job RUN: plays the Job's pod, waits for it; its log in $tmp/train-RUN.log
	play "$tmp/kube/train-$1.yaml" || return 1
	c=tg-train-$1-tg-train
	status=$(podman wait $c 2>/dev/null)
	podman logs $c >"$tmp/train-$1.log" 2>&1
	[ "$status" = 0 ]
}
job 1 && ok=1 || ok=0
check "the Job's pod ran tg-train on $CSV into the volume's registry: $(grep -i -m1 'deployed\|model [0-9]' "$tmp/train-1.log")" $ok
[ $ok = 1 ] || sed 's/^/     | /' "$tmp/play.log" "$tmp/train-1.log" | tail -n 20
registry "$tmp/trained.db" && ./tg-train list "$tmp/trained.db" >"$tmp/list1" 2>&1
expect "$tmp/trained.db" >"$tmp/trained"
check "the registry holds the shipped model and the new one, deployed: $(grep -c ' yes ' "$tmp/list1") deployed of $(($(wc -l <"$tmp/list1") - 1))" \
	"$([ "$(wc -l <"$tmp/list1")" = 3 ] && awk 'NR == 3 && $4 == "yes"' "$tmp/list1" | grep -q . && echo 1 || echo 0)"
check "the new model answers some held-out films differently from the shipped one" "$(yes_if differ "$tmp/shipped" "$tmp/trained")"
ask check "$token" "$tmp/bodies" "$tmp/trained" $ports >"$tmp/out" && ok=1 || ok=0
check "every replica now answers as ./tg.so does with the trained registry: $(echo $(cat "$tmp/out"))" $ok
started >"$tmp/started2"
check "no replica restarted (start times and restart counts unchanged)" "$(yes_if cmp -s "$tmp/started" "$tmp/started2")"
job 2 && ok=1 || ok=0
registry "$tmp/again.db" && ./tg-train list "$tmp/again.db" >"$tmp/list2" 2>&1
check "the Job again on the same data trains nothing: $(grep -m1 'not training again' "$tmp/train-2.log" | cut -c1-60)..." \
	"$([ $ok = 1 ] && grep -q 'not training again' "$tmp/train-2.log" && cmp -s "$tmp/list1" "$tmp/list2" && echo 1 || echo 0)"

# --- a replica killed
set -- $containers
victim=$1
pid=$(podman inspect --format '{{.State.Pid}}' $victim)
kill -9 "$pid" 2>/dev/null && ok=1 || ok=0
check "killed $victim's server (kill -9 $pid)" $ok
set -- $ports
shift
ask check "$token" "$tmp/bodies" "$tmp/trained" "$@" >"$tmp/out" && ok=1 || ok=0
check "the other replicas answer on, as before: $(echo $(cat "$tmp/out"))" $ok

# --- teardown
teardown
left=$(leftovers)
check "torn down: no pod, container, volume or secret of the test is left${left:+ (left: $left)}" \
	"$([ -z "$left" ] && echo 1 || echo 0)"
t_end
