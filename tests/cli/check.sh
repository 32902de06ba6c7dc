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
