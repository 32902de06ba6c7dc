#!/bin/sh
# tg-train as a user meets it: help and version, usage errors, the registry verbs,
# the deploy policies, "nothing changed, no retraining", training from a query, and
# clear failures on bad input that leave the database as it was.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh
t_begin cli
yes_if() { if eval "$1"; then echo 1; else echo 0; fi; }
sample=data/sample_movies.csv
db=$tmp/m.db
q() { sqlite3 -batch "$db" "$@"; }

./tg-train --help >"$tmp/out"; rc=$?
check "--help exits 0 and shows the verbs" "$(yes_if '[ $rc = 0 ] && grep -q "tg-train rollback" "$tmp/out"')"
./tg-train --version >"$tmp/out"; rc=$?
check "--version prints the version" "$(yes_if '[ $rc = 0 ] && grep -q "^tg-train [0-9]" "$tmp/out"')"
./tg-train >/dev/null 2>"$tmp/err"; rc=$?
check "no arguments: exit 2 and a hint" "$(yes_if '[ $rc = 2 ] && grep -q "tg-train --help" "$tmp/err"')"
./tg-train --C abc $sample "$db" 2>"$tmp/err"; rc=$?
check "a bad number is a usage error naming the option" "$(yes_if '[ $rc = 2 ] && grep -q -- "--C needs a number" "$tmp/err"')"
./tg-train --deploy sometimes $sample "$db" 2>/dev/null; rc=$?
check "an unknown deploy policy is a usage error" "$(yes_if '[ $rc = 2 ] && [ ! -e "$db" ]')"

./tg-train -q $sample "$db"; rc=$?
check "trains on the sample and deploys model 1" "$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 1 ]')"
./tg-train $sample "$db" >"$tmp/out"; rc=$?
check "the same file and parameters are not trained again" \
	"$(yes_if '[ $rc = 0 ] && grep -q "not training again" "$tmp/out" && [ "$(q "SELECT count(*) FROM tg_models")" = 1 ]')"
./tg-train --deploy never --C 0.2 $sample "$db" >"$tmp/out"; rc=$?
check "--deploy never stores model 2 without deploying it" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT group_concat(id || \":\" || deployed) FROM tg_models")" = "1:1,2:0" ]')"
./tg-train --force --deploy always $sample "$db" >"$tmp/out"; rc=$?
check "--force retrains, --deploy always deploys model 3" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 3 ]')"
./tg-train --force --deploy best --min-df 50 $sample "$db" >"$tmp/out"; rc=$?
check "--deploy best keeps the better deployed model and prints both scores" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 3 ] && grep -q "not deployed" "$tmp/out"')"
head -n 700 $sample >"$tmp/other.csv"
./tg-train --deploy best "$tmp/other.csv" "$db" >"$tmp/out"; rc=$?
check "--deploy best deploys a model of other data (scores on different data do not compare)" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 5 ] && grep -q "other data" "$tmp/out"')"
./tg-train deploy "$db" 3 >/dev/null
./tg-train list "$db" >"$tmp/out"; rc=$?
check "list shows every model" "$(yes_if '[ $rc = 0 ] && [ "$(grep -c genre "$tmp/out")" = 5 ]')"
./tg-train deploy "$db" 2 >/dev/null; rc=$?
check "deploy 2" "$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 2 ]')"
./tg-train deploy "$db" 99 2>"$tmp/err"; rc=$?
check "deploy of a missing id fails and says so" "$(yes_if '[ $rc = 1 ] && grep -q "99" "$tmp/err" && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 2 ]')"
./tg-train rollback "$db" >/dev/null; rc=$?
check "rollback returns to model 3" "$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 3 ]')"
./tg-train prune "$db" --keep 1 >"$tmp/out"; rc=$?
check "prune --keep 1 keeps the deployed model and the newest other one" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT group_concat(id) FROM tg_models ORDER BY id")" = "3,5" ]')"
./tg-train list "$tmp/none.db" 2>"$tmp/err"; rc=$?
check "list of a missing database: exit 1, \"no such database\", nothing created" \
	"$(yes_if '[ $rc = 1 ] && grep -q "tg-train: no such database" "$tmp/err" && [ ! -e "$tmp/none.db" ]')"
./tg-train -q deploy "$db" 5; rc=$?
check "options before the verb: -q deploy DB 5" "$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 5 ]')"
./tg-train deploy "$db" 3 -q; rc=$?
check "options after the verb's arguments: deploy DB 3 -q" "$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT id FROM tg_models WHERE deployed")" = 3 ]')"
before=$(sha256sum "$db" | cut -d" " -f1)
./tg-train -q --force --report "$tmp/no/such/dir/r.html" $sample "$db" 2>"$tmp/err"; rc=$?
check "an unwritable --report fails before training: exit 1, database unchanged" \
	"$(yes_if '[ $rc = 1 ] && grep -q "cannot write report" "$tmp/err" && [ "$(sha256sum "$db" | cut -d" " -f1)" = "$before" ]')"
n=$(sqlite3 -batch "$db" ".load ./tg" "SELECT count(*) FROM movies WHERE tg_predict(overview) IS NOT NULL")
total=$(q "SELECT count(*) FROM movies WHERE trim(overview) <> ''")
check "the deployed model tags every film of the movies table ($n of $total)" "$(yes_if '[ "$n" = "$total" ] && [ "$n" -gt 600 ]')"

# Training from the user's own table, genres as JSON arrays or delimited strings.
q "CREATE TABLE films AS SELECT id, overview, CASE WHEN id % 2 THEN genres ELSE
     (SELECT group_concat(value, '|') FROM json_each(movies.genres)) END AS genres FROM movies"
./tg-train -q --name fromsql --query "SELECT id, overview, genres FROM films" "$db"; rc=$?
check "--query trains a model from a table" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT count(*) FROM tg_models WHERE name = '"'fromsql'"' AND deployed")" = 1 ]')"
./tg-train -q --query "SELECT overview FROM films" "$db" 2>"$tmp/err"; rc=$?
check "--query without a genres column says which columns it needs" \
	"$(yes_if '[ $rc = 1 ] && grep -q "overview and genres" "$tmp/err"')"
./tg-train -q --query "SELEKT" "$db" 2>"$tmp/err"; rc=$?
check "--query with bad SQL reports SQLite's message" "$(yes_if '[ $rc = 1 ] && grep -q "syntax error" "$tmp/err"')"

# A training query only reads: writes and trailing statements are refused before running.
films=$(q "SELECT count(*) || ':' || total(length(overview)) FROM films")
./tg-train -q --name w --query "DELETE FROM films RETURNING id, overview, genres" "$db" 2>"$tmp/err"; rc=$?
check "--query refuses DELETE ... RETURNING, films untouched" \
	"$(yes_if '[ $rc = 1 ] && grep -q "tg-train: --query refused.*write" "$tmp/err" && [ "$(q "SELECT count(*) || '"':'"' || total(length(overview)) FROM films")" = "$films" ]')"
./tg-train -q --name w --min-genre-rows 100000 --query "UPDATE films SET overview = 'x' RETURNING id, overview, genres" "$db" 2>"$tmp/err"; rc=$?
check "--query refuses UPDATE ... RETURNING (training would fail too), films untouched" \
	"$(yes_if '[ $rc = 1 ] && grep -q "write" "$tmp/err" && [ "$(q "SELECT count(*) || '"':'"' || total(length(overview)) FROM films")" = "$films" ]')"
./tg-train -q --name w --query "SELECT id, overview, genres FROM films; DELETE FROM films" "$db" 2>"$tmp/err"; rc=$?
check "--query refuses a second statement, films untouched" \
	"$(yes_if '[ $rc = 1 ] && grep -q "more than one statement" "$tmp/err" && [ "$(q "SELECT count(*) || '"':'"' || total(length(overview)) FROM films")" = "$films" ]')"
./tg-train -q --name fromsql --query "SELECT id, overview, genres FROM films; -- one
  /* comment */ ;" "$db" 2>"$tmp/err"; rc=$?
check "--query accepts trailing semicolons and comments" "$(yes_if '[ $rc = 0 ]')"

# A model that reads titles too: tg_text() gives it the text the trainer gave it.
./tg-train -q --inputs title $sample "$tmp/t.db" 2>"$tmp/err"; rc=$?
check "--inputs with an unknown list is a usage error naming the choices" \
	"$(yes_if '[ $rc = 2 ] && grep -q -- "--inputs takes overview or title,overview" "$tmp/err" && [ ! -e "$tmp/t.db" ]')"
./tg-train -q --inputs title,overview $sample "$tmp/t.db"; rc=$?
check "--inputs title,overview trains and records the inputs in params" \
	"$(yes_if '[ $rc = 0 ] && [ "$(sqlite3 "$tmp/t.db" "SELECT params ->> '"'\$.inputs'"' FROM tg_models WHERE deployed")" = title,overview ]')"
check "params of an overview model name no inputs (as tg-train 0.2.0 wrote them)" \
	"$(yes_if '[ -z "$(q "SELECT params ->> '"'\$.inputs'"' FROM tg_models WHERE deployed")" ]')"
sqlite3 -batch "$tmp/t.db" <tests/realdata/quality.sql >"$tmp/quality" && . tests/realdata/lib.sh
check "through tg_text, SQL's test figures equal the title model's own ($(sed -n 1p "$tmp/quality"))" \
	"$(yes_if '[ "$(sed -n 1p "$tmp/quality")" = "$(registry_test_figures "$tmp/t.db")" ]')"
check "tg_text joins title and overview for the title model, gives the overview to the other" \
	"$(yes_if '[ "$(sqlite3 "$tmp/t.db" ".load ./tg" "SELECT tg_text('"'Up'"', '"'A house flies.'"')")" = "Up. A house flies." ] &&
	  [ "$(q ".load ./tg" "SELECT tg_text('"'Up'"', '"'A house flies.'"')")" = "A house flies." ]')"
./tg-train -q --name t --inputs title,overview --query "SELECT id, overview, genres FROM films" "$db" 2>"$tmp/err"; rc=$?
check "--inputs title,overview with --query rows that have no title: exit 1, says so" \
	"$(yes_if '[ $rc = 1 ] && grep -q "needs a column named title" "$tmp/err"')"
./tg-train -q --name t --inputs title,overview --query "SELECT f.id, m.title, f.overview, f.genres FROM films f JOIN movies m USING (id)" "$db"; rc=$?
check "--inputs title,overview with --query rows that have a title trains" \
	"$(yes_if '[ $rc = 0 ] && [ "$(q "SELECT params ->> '"'\$.inputs'"' FROM tg_models WHERE name = '"'t'"' AND deployed")" = title,overview ]')"
# The data fingerprint of --query rows is of what the model reads: new titles are new
# data for a model that reads titles, not for one that reads overviews only.
q "CREATE TABLE titled AS SELECT id, title, overview, genres FROM movies"
tq="SELECT id, title, overview, genres FROM titled"
./tg-train -q --name tt --inputs title,overview --query "$tq" "$db" && ./tg-train -q --name to --query "$tq" "$db"
q "UPDATE titled SET title = 'Another title ' || id"
./tg-train --name tt --inputs title,overview --query "$tq" "$db" >"$tmp/out"; rc=$?
check "--inputs title,overview --query: other titles are other data, trained again" \
	"$(yes_if '[ $rc = 0 ] && ! grep -q "not training again" "$tmp/out" && [ "$(q "SELECT count(DISTINCT data_sha256) FROM tg_models WHERE name = '"'tt'"'")" = 2 ]')"
./tg-train --name to --query "$tq" "$db" >"$tmp/out"; rc=$?
check "--query, overview model: other titles are the same data, not trained again" \
	"$(yes_if '[ $rc = 0 ] && grep -q "not training again" "$tmp/out"')"

# No schema of tg's may make a database unreadable with PRAGMA trusted_schema=OFF or the
# defensive flag; registries of tg-train 0.1 (CHECK (json_valid(...))) are upgraded in place.
hardened() { # db -> "models:movies" read with trusted_schema=OFF, then with defensive on
	sqlite3 -batch "$1" "PRAGMA trusted_schema=OFF" \
		"SELECT (SELECT count(*) FROM tg_models) || ':' || (SELECT count(*) FROM movies)" 2>&1 | tail -n 1
	sqlite3 -batch "$1" ".dbconfig defensive on" \
		"SELECT (SELECT count(*) FROM tg_models) || ':' || (SELECT count(*) FROM movies)" 2>&1 | tail -n 1
}
summary() { # db -> ids, sequence, deployments, deployed, indexes, schema checks
	sqlite3 -batch "$1" "SELECT (SELECT group_concat(id || ':' || deployed || ':' || length(model)) FROM tg_models),
	  (SELECT seq FROM sqlite_sequence WHERE name = 'tg_models'), (SELECT count(*) FROM tg_deployments),
	  (SELECT count(*) FROM movies), (SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name))"
}
models=$(q "SELECT count(*) FROM tg_models")
movies=$(q "SELECT count(*) FROM movies")
for mode in delete wal; do
	./tg-train -q $sample "$tmp/fresh_$mode.db"
	sqlite3 -batch "$tmp/fresh_$mode.db" "PRAGMA journal_mode=$mode" >/dev/null
	check "a new registry ($mode journal) reads with trusted_schema=OFF and defensive on" \
		"$(yes_if 'n=$(sqlite3 "$tmp/fresh_$mode.db" "SELECT count(*) FROM movies"); [ "$n" -gt 0 ] && [ "$(hardened "$tmp/fresh_$mode.db" | tr "\n" " ")" = "1:$n 1:$n " ]')"
	old=$tmp/old_$mode.db
	sqlite3 -batch "$old" "PRAGMA journal_mode=$mode" ".read tests/fixtures/registry_0.1.sql" \
		"ATTACH '$db' AS n" "INSERT INTO tg_models SELECT * FROM n.tg_models" \
		"INSERT INTO tg_deployments SELECT * FROM n.tg_deployments" "INSERT INTO movies SELECT * FROM n.movies" \
		"UPDATE sqlite_sequence SET seq = 40 WHERE name = 'tg_models'" >/dev/null
	want=$(summary "$old")
	check "a tg-train 0.1 registry ($mode) is unreadable with trusted_schema=OFF (the fixture is right)" \
		"$(yes_if 'hardened "$old" | head -n 1 | grep -q "unsafe use of json_valid"')"
	./tg-train deploy -q "$old" 3; rc=$?
	check "tg-train opening it read-write upgrades it ($mode): readable hardened" \
		"$(yes_if '[ $rc = 0 ] && [ "$(hardened "$old" | tr "\n" " ")" = "$models:$movies $models:$movies " ]')"
	check "the upgrade keeps ids, blobs, sequence, log, films and indexes ($mode)" \
		"$(yes_if '[ "$(summary "$old")" = "$want" ] && [ -z "$(sqlite3 "$old" "PRAGMA foreign_key_check")" ] &&
		  [ "$(sqlite3 "$old" "PRAGMA integrity_check")" = ok ] &&
		  [ "$(sqlite3 "$old" "SELECT count(*) FROM sqlite_schema WHERE sql LIKE '"'%json_valid%'"'")" = 0 ]')"
	./tg-train -q --force --deploy never $sample "$old"; rc=$?
	check "the next model in the upgraded registry gets id 41 ($mode)" \
		"$(yes_if '[ $rc = 0 ] && [ "$(sqlite3 "$old" "SELECT max(id) FROM tg_models")" = 41 ]')"
done

# import: a model from one registry into another, by the destination's policy.
dst=$tmp/dst.db
model_of() { sqlite3 -batch "$1" "SELECT name, format, params, metrics, data_sha256, created_at, hex(model)
	FROM tg_models WHERE $2" | sha256sum; }
./tg-train import "$db" "$dst" >"$tmp/out"; rc=$?
check "import copies the source's deployed model into a new registry and deploys it" \
	"$(yes_if '[ $rc = 0 ] && grep -q "Imported model" "$tmp/out" &&
	  [ "$(model_of "$dst" deployed)" = "$(model_of "$db" "name = '"'genre'"' AND deployed")" ]')"
p=$(sqlite3 -batch "$dst" ".load ./tg" "SELECT tg_predict('A haunted house, a ghost and a killer in the cellar at night.')")
check "the imported model tags films in the new database ($p)" "$(yes_if '[ -n "$p" ]')"
./tg-train import "$db" "$dst" >"$tmp/out"; rc=$?
check "importing the identical model again says so and adds nothing" \
	"$(yes_if '[ $rc = 0 ] && grep -q "already in" "$tmp/out" && [ "$(sqlite3 "$dst" "SELECT count(*) FROM tg_models")" = 1 ]')"
./tg-train import -q --name fromsql --deploy never "$db" "$dst"; rc=$?
check "--name picks the model name, --deploy never stores it undeployed" \
	"$(yes_if '[ $rc = 0 ] && [ "$(sqlite3 "$dst" "SELECT group_concat(name || deployed) FROM tg_models")" = "genre1,fromsql0" ]')"
old=$(q "SELECT min(id) FROM tg_models WHERE NOT deployed AND name = 'genre'")
./tg-train import -q --id "$old" --deploy always "$db" "$dst"; rc=$?
check "--id $old imports that model, --deploy always deploys it" \
	"$(yes_if '[ $rc = 0 ] && [ "$(model_of "$dst" "name = '"'genre'"' AND deployed")" = "$(model_of "$db" "id = $old")" ]')"
# A UTF-16 database: SQLite attaches no UTF-8 database to it, so the model is imported,
# and tg answers as it does in a UTF-8 database (it reads text as UTF-8 whatever is stored).
films_sql="CREATE TABLE films (overview TEXT); INSERT INTO films VALUES
	('A haunted house, a ghost and a killer in the cellar at night.'),
	('Ça, c''est l''été à Paris: un mariage très drôle, CAFÉ ET CRÈME.')"
sqlite3 "$tmp/utf16.db" "PRAGMA encoding = 'UTF-16le'; $films_sql"
sqlite3 "$tmp/utf8.db" "$films_sql"
answers() { sqlite3 -batch "$1" ".load ./tg" "SELECT tg_scores(overview), tg_explain(overview, 'Horror') FROM films"; }
./tg-train import -q "$db" "$tmp/utf16.db" && ./tg-train import -q "$db" "$tmp/utf8.db"; rc=$?
check "a UTF-16 database imports the model and gets the answers a UTF-8 one gets" \
	"$(yes_if '[ $rc = 0 ] && [ "$(sqlite3 "$tmp/utf16.db" "PRAGMA encoding")" = UTF-16le ] &&
	  [ -n "$(answers "$tmp/utf16.db")" ] && [ "$(answers "$tmp/utf16.db")" = "$(answers "$tmp/utf8.db")" ]')"
cp "$db" "$tmp/damaged.db"
sqlite3 "$tmp/damaged.db" "UPDATE tg_models SET model = substr(model, 1, 200) || x'5a5a5a5a' || substr(model, 205) WHERE deployed"
sqlite3 "$tmp/foreign.db" "CREATE TABLE tg_models (id INTEGER PRIMARY KEY, payload TEXT)"
sqlite3 "$tmp/plain.db" "CREATE TABLE films (id, overview)"
cp "$db" "$tmp/badparams.db"
sqlite3 "$tmp/badparams.db" "UPDATE tg_models SET params = '{not json'"
cp "$db" "$tmp/badmetrics.db"
sqlite3 "$tmp/badmetrics.db" "UPDATE tg_models SET metrics = '[1,'"
import_fails() { # what, expected message, tg-train import arguments before SRC DST..., SRC
	what=$1 want=$2
	shift 2
	before=$(sqlite3 -batch "$dst" .dump | sha256sum)
	./tg-train import "$@" "$dst" 2>"$tmp/err"; rc=$?
	check "import of $what: exit 1, \"$want\", destination unchanged" \
		"$(yes_if '[ $rc = 1 ] && grep -q "tg-train: .*$want" "$tmp/err" && [ "$(sqlite3 -batch "$dst" .dump | sha256sum)" = "$before" ]')"
	./tg-train import "$@" "$tmp/absent.db" 2>"$tmp/err"; rc=$?
	check "import of $what into a new DST: exit 1, no DST created" "$(yes_if '[ $rc = 1 ] && [ ! -e "$tmp/absent.db" ]')"
}
import_fails "a missing source" "no such database" "$tmp/none.db"
import_fails "a damaged blob" "is damaged" "$tmp/damaged.db"
import_fails "a foreign tg_models table" "not a tg registry" "$tmp/foreign.db"
import_fails "a database without a registry" "no registry" "$tmp/plain.db"
import_fails "a source without the name" "no deployed model named 'mood'" --name mood "$db"
import_fails "a missing id" "no model with id 999" --id 999 "$db"
import_fails "--id beside a --name the model does not have" "model $old is named 'genre', not 'mood'" --id "$old" --name mood "$db"
import_fails "a CSV as source" "not a database" $sample
import_fails "params that are not JSON" "params is not valid JSON" "$tmp/badparams.db"
import_fails "metrics that are not JSON" "metrics is not valid JSON" "$tmp/badmetrics.db"
check "a failed import does not create the destination" \
	"$(yes_if '! ./tg-train import "$tmp/none.db" "$tmp/dst2.db" 2>/dev/null && [ ! -e "$tmp/dst2.db" ]')"

# Another process holding the registry: the message names SQLite's cause and the verb,
# and a deploy that changes nothing needs no write lock.  hold SQL: a sqlite3 shell runs
# SQL (a transaction it keeps open) on $tmp/lk.db until release commits it.
hold() {
	mkfifo "$tmp/hold"
	sqlite3 "$tmp/lk.db" <"$tmp/hold" >/dev/null 2>&1 &
	holder=$!
	exec 3>"$tmp/hold"
	printf '.timeout 5000\n%s\n' "$1" >&3 # the timeout: the probes below lock it for a moment
	i=0 # until it holds its lock: an exclusive lock is refused at once
	while [ $i -lt 200 ] && sqlite3 "$tmp/lk.db" "BEGIN EXCLUSIVE; ROLLBACK" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
}
release() { echo "COMMIT;" >&3; exec 3>&-; wait $holder; rm -f "$tmp/hold"; }
cp "$db" "$tmp/lk.db"
lk_deployed=$(sqlite3 "$tmp/lk.db" "SELECT id FROM tg_models WHERE deployed AND name = 'genre'")
lk_other=$(sqlite3 "$tmp/lk.db" "SELECT min(id) FROM tg_models WHERE NOT deployed")
hold "BEGIN EXCLUSIVE;"
./tg-train deploy "$tmp/lk.db" "$lk_other" --busy-timeout 100 2>"$tmp/err"; rc=$?
check "deploy under another process's lock: \"database is locked (another process holds it): ... deploying model $lk_other\"" \
	"$(yes_if '[ $rc = 1 ] && grep -q "^tg-train: database is locked (another process holds it): .*deploying model $lk_other\$" "$tmp/err" && ! grep -q "CHECK\|committing" "$tmp/err"')"
./tg-train import "$db" "$tmp/lk.db" --busy-timeout 100 2>"$tmp/err"; rc=$?
check "import under another process's lock: the same cause, no garbled step" \
	"$(yes_if '[ $rc = 1 ] && grep -q "^tg-train: importing into .* failed, registry unchanged: database is locked (another process holds it)" "$tmp/err" && ! grep -q "CHECK\|committing" "$tmp/err"')"
release
hold "BEGIN; SELECT count(*) FROM tg_models;"
./tg-train deploy "$tmp/lk.db" "$lk_deployed" --busy-timeout 100 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "deploying the deployed model while another process reads: nothing to write, done" \
	"$(yes_if '[ $rc = 0 ] && [ ! -s "$tmp/err" ] && grep -q "deployed model $lk_deployed" "$tmp/out"')"
release

# --max-bytes: the blob fits, features are left out and the output says so; the same
# blob on 1 and 2 threads; a budget that holds no model is refused.
./tg-train --max-bytes 20000 --threads 1 $sample "$tmp/b1.db" >"$tmp/out"; rc=$?
./tg-train -q --max-bytes 20000 --threads 2 $sample "$tmp/b2.db"
blob() { sqlite3 -batch "$1" "SELECT hex(model) FROM tg_models WHERE deployed"; }
check "--max-bytes 20000: a blob of at most 20000 bytes, features left out and said so" \
	"$(yes_if '[ $rc = 0 ] && [ "$(sqlite3 -batch "$tmp/b1.db" "SELECT length(model) <= 20000 AND length(model) > 15000 FROM tg_models")" = 1 ] && grep -q "left out to fit --max-bytes" "$tmp/out"')"
check "--max-bytes: the same blob on 1 and 2 threads" "$(yes_if '[ -n "$(blob "$tmp/b1.db")" ] && [ "$(blob "$tmp/b1.db")" = "$(blob "$tmp/b2.db")" ]')"
./tg-train -q --max-bytes 0 $sample "$tmp/b0.db"
check "--max-bytes 0: no limit (every feature of the default run)" \
	"$(yes_if '[ "$(sqlite3 -batch "$tmp/b0.db" "SELECT length(model) FROM tg_models")" -gt 20000 ]')"
./tg-train -q --max-bytes 500 $sample "$tmp/b3.db" 2>"$tmp/err"; rc=$?
check "--max-bytes too small for any model: exit 1, says so, no database" \
	"$(yes_if '[ $rc = 1 ] && grep -q "max-bytes 500 is too small" "$tmp/err" && [ ! -e "$tmp/b3.db" ]')"

# An empty first row of a split's matrix is no failed allocation (tg_grow of 0 elements):
# a vocabulary of a few features, and a first test film without a word the model knows.
for mb in 1000 2100; do
	./tg-train -q --max-bytes $mb $sample "$tmp/b4.db" 2>"$tmp/err"; rc=$?
	check "--max-bytes $mb (a few features): a model, not \"out of memory\"" \
		"$(yes_if '[ $rc = 0 ] && [ ! -s "$tmp/err" ] && [ "$(sqlite3 -batch "$tmp/b4.db" "SELECT count(*) FROM tg_models")" = 1 ]')"
	rm -f "$tmp/b4.db"
done
cp "$tmp/b0.db" "$tmp/jp.db"
sqlite3 -batch "$tmp/jp.db" "CREATE TABLE jp AS SELECT id, overview, genres FROM movies ORDER BY rowid;
  UPDATE jp SET overview = '東京の物語。' WHERE id = (SELECT id FROM jp WHERE id % 10 = 0 ORDER BY rowid LIMIT 1)"
./tg-train -q --name jp --query "SELECT id, overview, genres FROM jp ORDER BY rowid" "$tmp/jp.db" 2>"$tmp/err"; rc=$?
check "a first test film without a known word: trains, not \"out of memory\"" \
	"$(yes_if '[ $rc = 0 ] && [ ! -s "$tmp/err" ] && [ "$(sqlite3 -batch "$tmp/jp.db" "SELECT count(*) FROM tg_models WHERE name = '"'jp'"'")" = 1 ]')"

# --subwords and --bigrams: what the model learns from, recorded in params; n-grams are
# trained but leave no rows (the same rows, another blob); bad ranges are refused.
./tg-train -q --subwords 0 $sample "$tmp/s0.db"
./tg-train -q --bigrams $sample "$tmp/s2.db"
param() { sqlite3 -batch "$1" "SELECT params ->> '$2' FROM tg_models"; }
metric() { sqlite3 -batch "$1" "SELECT metrics ->> '$2' FROM tg_models"; }
check "subwords by default: params say 4-grams, the n-grams counted apart from the rows" \
	"$(yes_if '[ "$(param "$tmp/b0.db" "\$.subwords")" = "[4,4]" ] && [ "$(param "$tmp/b0.db" "\$.features")" = unigram ] &&
	  [ "$(metric "$tmp/b0.db" "\$.subwords")" -gt 0 ]')"
check "--subwords 0: no n-grams, the same rows as with them, another blob" \
	"$(yes_if '[ -z "$(param "$tmp/s0.db" "\$.subwords")" ] && [ -z "$(metric "$tmp/s0.db" "\$.subwords")" ] &&
	  [ "$(metric "$tmp/s0.db" "\$.features")" = "$(metric "$tmp/b0.db" "\$.features")" ] &&
	  [ "$(blob "$tmp/s0.db")" != "$(blob "$tmp/b0.db")" ]')"
check "--bigrams: word pairs too, more rows" \
	"$(yes_if '[ "$(param "$tmp/s2.db" "\$.features")" = unigram+bigram ] &&
	  [ "$(metric "$tmp/s2.db" "\$.features")" -gt "$(metric "$tmp/b0.db" "\$.features")" ]')"
for bad in 1 9 3-2 4- x 2-9 -4 4294967298 4294967296 4-4294967304 4.5; do
	./tg-train -q --subwords "$bad" $sample "$tmp/sx.db" 2>"$tmp/err"; rc=$?
	check "--subwords $bad: a usage error (exit 2) that says what it takes, no database" \
		"$(yes_if '[ $rc = 2 ] && grep -q "subwords takes 0, N or MIN-MAX" "$tmp/err" && [ ! -e "$tmp/sx.db" ]')"
done

# Integers, options and operands alike: digits only, in range; never truncated or wrapped.
for a in "--epochs 2.9" "--min-df 1.5" "--seed 4294967296" "--threads +2" "--max-bytes 1e6" "--keep -1" \
	"--calibration-films 0x10" "--folds 5.0"; do
	./tg-train -q $a $sample "$tmp/ix.db" 2>"$tmp/err"; rc=$?
	check "$a: a usage error (exit 2) naming the option, no database" \
		"$(yes_if '[ $rc = 2 ] && grep -q -- "${a%% *} needs a whole number" "$tmp/err" && [ ! -e "$tmp/ix.db" ]')"
done
deployed=$(q "SELECT id FROM tg_models WHERE deployed AND name = 'genre'")
for id in 1.9 1e0 +1 0 9223372036854775808; do
	./tg-train deploy "$db" $id 2>"$tmp/err"; rc=$?
	check "deploy DB $id: a usage error (exit 2), nothing deployed" \
		"$(yes_if '[ $rc = 2 ] && grep -q "deploy ID needs a whole number" "$tmp/err" && [ "$(q "SELECT id FROM tg_models WHERE deployed AND name = '"'genre'"'")" = "$deployed" ]')"
done
./tg-train import --id 1.7 "$db" "$tmp/ix.db" 2>"$tmp/err"; rc=$?
check "import --id 1.7: a usage error (exit 2), no destination" \
	"$(yes_if '[ $rc = 2 ] && grep -q -- "--id needs a whole number" "$tmp/err" && [ ! -e "$tmp/ix.db" ]')"

# --calibration-films: below the films to fit, the folds use that many and the output
# says so; params record it; the same blob on 1 and 2 threads; above, nothing changes.
./tg-train --calibration-films 300 --threads 1 $sample "$tmp/c1.db" >"$tmp/out"; rc=$?
./tg-train -q --calibration-films 300 --threads 2 $sample "$tmp/c2.db"
check "--calibration-films 300: trains, says how many films calibrated, records it in params" \
	"$(yes_if '[ $rc = 0 ] && grep -q "calibrated on 300 of the" "$tmp/out" &&
	  [ "$(sqlite3 -batch "$tmp/c1.db" "SELECT params ->> '"'\$.calibration_films'"' FROM tg_models")" = 300 ]')"
check "--calibration-films: the same blob on 1 and 2 threads, another blob than without it" \
	"$(yes_if '[ -n "$(blob "$tmp/c1.db")" ] && [ "$(blob "$tmp/c1.db")" = "$(blob "$tmp/c2.db")" ] && [ "$(blob "$tmp/c1.db")" != "$(blob "$tmp/b2.db")" ]')"
./tg-train -q --max-bytes 20000 --calibration-films 1000000 $sample "$tmp/c3.db"
check "--calibration-films above the films to fit: the default run's blob" \
	"$(yes_if '[ "$(blob "$tmp/c3.db")" = "$(blob "$tmp/b2.db")" ]')"

# --thresholds shared: one threshold for every genre (tg_model() shows them), recorded in
# params; per-genre is the default and its blob; anything else is a usage error.
./tg-train -q --max-bytes 20000 --thresholds shared $sample "$tmp/t1.db"; rc=$?
./tg-train -q --max-bytes 20000 --thresholds per-genre $sample "$tmp/t2.db"
thresholds() { printf '.load ./tg\nSELECT count(DISTINCT value), count(*) FROM json_each(tg_model() -> '"'\$.thresholds'"');\n' | sqlite3 -batch "$1"; }
check "--thresholds shared: trains, every genre has the same threshold, params say shared" \
	"$(yes_if '[ $rc = 0 ] && [ "$(thresholds "$tmp/t1.db")" = "1|$(thresholds "$tmp/t1.db" | cut -d"|" -f2)" ] &&
	  [ "$(thresholds "$tmp/t1.db" | cut -d"|" -f2)" -gt 1 ] &&
	  [ "$(sqlite3 -batch "$tmp/t1.db" "SELECT params ->> '"'\$.thresholds'"' FROM tg_models")" = shared ]')"
check "--thresholds per-genre: the default run's blob and params, genres' thresholds differ" \
	"$(yes_if '[ "$(blob "$tmp/t2.db")" = "$(blob "$tmp/b2.db")" ] && [ "$(blob "$tmp/t1.db")" != "$(blob "$tmp/b2.db")" ] &&
	  [ "$(thresholds "$tmp/t2.db" | cut -d"|" -f1)" -gt 1 ] &&
	  [ -z "$(sqlite3 -batch "$tmp/t2.db" "SELECT params ->> '"'\$.thresholds'"' FROM tg_models")" ]')"
# Out of fold, the metrics also score each fold by thresholds fit on the other folds; with
# --folds 0 (calibrated on the validation split) there are no folds to do it with.
xfit() { sqlite3 -batch "$1" "SELECT metrics -> '\$.validation_cross_fitted' ->> '\$.films' = metrics -> '\$.validation' ->> '\$.films', metrics -> '\$.validation_cross_fitted' ->> '\$.micro_f1' BETWEEN 0.05 AND 1 FROM tg_models ORDER BY id DESC LIMIT 1"; }
./tg-train --force --max-bytes 20000 --thresholds shared $sample "$tmp/t1.db" >"$tmp/out"
check "out of fold: metrics and output give the figures with thresholds fit on the other folds" \
	"$(yes_if '[ "$(xfit "$tmp/t1.db")" = "1|1" ] && [ "$(xfit "$tmp/t2.db")" = "1|1" ] &&
	  grep -q "cv (oof).*(each fold tagged by thresholds fit on the others)" "$tmp/out"')"
# Each split's micro-F1 and P@1 come with the middle 95% of their bootstrap resamples,
# which hold the figure itself (the sample's test films are all P@1 hits, so that
# interval is a point; micro-F1's is not); the output gives the test split's.
ci() { sqlite3 -batch "$1" "SELECT count(*) FROM (SELECT metrics FROM tg_models ORDER BY id DESC LIMIT 1), json_each('[\"validation\",\"test\"]') AS s,
                                  json_each('[\"micro_f1\",\"p_at_1\"]') AS f
                           WHERE metrics -> ('\$.' || s.value) ->> '\$.interval95.resamples' = 1000 AND
                                 metrics -> ('\$.' || s.value) ->> ('\$.interval95.' || f.value || '[0]') <=
                                 metrics -> ('\$.' || s.value) ->> ('\$.' || f.value) AND
                                 metrics -> ('\$.' || s.value) ->> ('\$.' || f.value) <=
                                 metrics -> ('\$.' || s.value) ->> ('\$.interval95.' || f.value || '[1]')"; }
test_ci=$(sqlite3 -batch "$tmp/t1.db" "SELECT printf('micro-F1 %.4f-%.4f, P@1 %.4f-%.4f', metrics ->> '\$.test.interval95.micro_f1[0]', metrics ->> '\$.test.interval95.micro_f1[1]', metrics ->> '\$.test.interval95.p_at_1[0]', metrics ->> '\$.test.interval95.p_at_1[1]') FROM tg_models ORDER BY id DESC LIMIT 1")
check "metrics: 95% bootstrap intervals around micro-F1 and P@1; the output prints the test split's" \
	"$(yes_if '[ "$(ci "$tmp/t1.db")" = 4 ] &&
	  [ "$(sqlite3 -batch "$tmp/t1.db" "SELECT metrics ->> '"'\$.test.interval95.micro_f1[0]'"' < metrics ->> '"'\$.test.interval95.micro_f1[1]'"' FROM tg_models ORDER BY id DESC LIMIT 1")" = 1 ] && grep -q "^  test 95% intervals: $test_ci\$" "$tmp/out" &&
	  grep -q "(1000 bootstrap resamples of the [0-9]* test films)" "$tmp/out"')"
./tg-train --max-bytes 20000 --folds 0 $sample "$tmp/t4.db" >"$tmp/out"
check "--folds 0: no cross-fitted figures, none printed" \
	"$(yes_if '[ "$(xfit "$tmp/t4.db")" = "|" ] && ! grep -q "fit on the others" "$tmp/out"')"
./tg-train -q --thresholds global $sample "$tmp/t3.db" 2>"$tmp/err"; rc=$?
check "--thresholds global: a usage error (exit 2) that says what it takes, no database" \
	"$(yes_if '[ $rc = 2 ] && grep -q -- "--thresholds takes per-genre or shared" "$tmp/err" && [ ! -e "$tmp/t3.db" ]')"

# --vectors: a small vectors file of words the sample has and words it has not, 4 dims.
vec=$tmp/tiny-vectors-0.1.vec
awk 'BEGIN { n = split("the a team gang police family love war murder ghost space killer house town " \
                       "friends young life world zyzzyva quixotic", w, " ");
             print n, 4; s = 7;
             for (i = 1; i <= n; i++) { printf "%s", w[i];
                 for (j = 0; j < 4; j++) { s = (s * 1103515245 + 12345) % 2147483648; printf " %.4f", s / 2147483648 - 0.5 }
                 print "" } }' >"$vec"
./tg-train -q --vectors "$vec" $sample "$tmp/v1.db"; rc=$?
pv() { sqlite3 -batch "$1" "SELECT params ->> '\$.vectors.$2' FROM tg_models"; }
check "--vectors: trains, params name the file, its sha256, dims and words" \
	"$(yes_if '[ $rc = 0 ] && [ "$(pv "$tmp/v1.db" file)" = tiny-vectors-0.1.vec ] &&
	  [ "$(pv "$tmp/v1.db" sha256)" = "$(sha256sum "$vec" | cut -d" " -f1)" ] && [ "$(pv "$tmp/v1.db" dim)" = 4 ] &&
	  [ "$(pv "$tmp/v1.db" words)" = 20 ] && [ "$(pv "$tmp/v1.db" matched)" -gt 10 ]')"
./tg-train -q --threads 1 --vectors "$vec" $sample "$tmp/v2.db"
./tg-train -q $sample "$tmp/v0.db"
check "--vectors: the same blob on 1 and 2 threads, another than without vectors" \
	"$(yes_if '[ -n "$(blob "$tmp/v1.db")" ] && [ "$(blob "$tmp/v1.db")" = "$(blob "$tmp/v2.db")" ] &&
	  [ "$(blob "$tmp/v1.db")" != "$(blob "$tmp/v0.db")" ] && [ -z "$(pv "$tmp/v0.db" file)" ]')"
./tg-train --vectors "$vec" --vector-words 1 $sample "$tmp/v3.db" >"$tmp/out"; rc=$?
check "--vector-words 1: one word no film has gets a row, and the output says so" \
	"$(yes_if '[ $rc = 0 ] && grep -q "1 of them words no training film has" "$tmp/out" &&
	  [ "$(sqlite3 -batch "$tmp/v3.db" "SELECT metrics ->> '"'\$.unseen_rows'"' FROM tg_models")" = 1 ]')"
nf() { printf '.load ./tg\nSELECT tg_model() ->> '"'\$.n_features'"';\n' | sqlite3 -batch "$1"; }
check "--vector-words 1: the model has one row more than without" "$(yes_if '[ "$(nf "$tmp/v3.db")" = $(($(nf "$tmp/v1.db") + 1)) ]')"

# Bad vectors files: a clear tg-train: message naming the cause, exit 1, registry untouched.
before=$(sha256sum "$db" | cut -d" " -f1)
badvec() { # name, expected message part; the file is $tmp/bad.vec
	./tg-train -q --force --vectors "$tmp/bad.vec" $sample "$db" 2>"$tmp/err"; rc=$? want=$2
	check "bad vectors, $1: exit 1, tg-train: ...$2..., database unchanged" \
		"$(yes_if '[ $rc = 1 ] && grep -q "^tg-train: .*$want" "$tmp/err" && [ "$(sha256sum "$db" | cut -d" " -f1)" = "$before" ]')"
}
printf 'the 1 2 3\nteam 1 2\n' >"$tmp/bad.vec"; badvec "mixed dimensions" "bad.vec:2"
printf '2 3\nthe 1 2 3\nteam 1 2 3 4\n' >"$tmp/bad.vec"; badvec "dimensions other than the header's" "bad.vec:3"
printf 'the 1 nan 3\n' >"$tmp/bad.vec"; badvec "NaN" "bad.vec:1"
printf 'the 1 inf 3\n' >"$tmp/bad.vec"; badvec "inf" "bad.vec:1"
printf 'the 1 2 3\nteam 1 2 3\nthe 3 2 1\n' >"$tmp/bad.vec"; badvec "a duplicate word" "bad.vec:3"
{ printf 'the'; head -c 10000000 /dev/zero | tr '\0' ' '; printf '1\n'; } >"$tmp/bad.vec"; badvec "a 10 MB line" "bad.vec:1"
printf '3 3\nthe 1 2 3\nteam 1 2 3\n' >"$tmp/bad.vec"; badvec "fewer words than the header says" "bad.vec"
printf 'the 1 2 3\nteam 1 2' >"$tmp/bad.vec"; badvec "a truncated last line" "bad.vec:2"
: >"$tmp/bad.vec"; badvec "an empty file" "bad.vec"
head -c 5000 /dev/urandom >"$tmp/bad.vec"; badvec "binary junk" "bad.vec"
printf 'the 1 2 3\nt\377am 1 2 3\n' >"$tmp/bad.vec"; badvec "a word that is not UTF-8" "bad.vec:2"
rm -f "$tmp/bad.vec"; badvec "a missing file" "bad.vec"

# Bad input: a clear message, exit 1, the database byte for byte as it was.
before=$(sha256sum "$db" | cut -d" " -f1)
bad() { # name, path
	./tg-train -q --force "$2" "$db" 2>"$tmp/err"; rc=$?
	check "$1: exit 1, a message, database unchanged" \
		"$(yes_if '[ $rc = 1 ] && [ -s "$tmp/err" ] && [ "$(sha256sum "$db" | cut -d" " -f1)" = "$before" ]')"
}
bad "a missing file" "$tmp/nope.csv"
bad "a directory" "$tmp"
head -c 5000 /dev/urandom >"$tmp/garbage.csv"; bad "binary garbage" "$tmp/garbage.csv"
printf 'id,title,genres\n1,x,[]\n' >"$tmp/nocol.csv"; bad "no overview column" "$tmp/nocol.csv"
{ head -1 $sample; printf '1,"unterminated\n'; } >"$tmp/quote.csv"; bad "an unterminated quote" "$tmp/quote.csv"
./tg-train -q "$tmp/nope.csv" "$tmp/new.db" 2>/dev/null
check "a failed run does not create the database" "$(yes_if '[ ! -e "$tmp/new.db" ]')"

t_end
