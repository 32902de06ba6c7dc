#!/bin/sh
# Hardening step diskfull: the disk fills up while tg-train stores a model.  On a 3 MB
# tmpfs (mounting needs root; skipped with the reason otherwise), filled to leave
# 800 KB: a registry with a model (rollback journal, then WAL), a database without a
# registry, and a new database.
# Each failed run must exit 1 with "storing the model ... failed" and "disk is full",
# leave no rollback journal (SQLite defers the rollback of a failed I/O to the next
# reader, which a read-only reader cannot do), open read-only, and dump exactly as
# before; the new database must not be left behind.
. tests/hardening/lib.sh
h_tmpdir
TRAIN=${TRAIN:-./tg-train}
[ -x "$TRAIN" ] || { notok "diskfull: $TRAIN is missing"; h_finish; }
if [ "$(id -u)" != 0 ]; then
	skip "diskfull (not root: mounting a small tmpfs needs root)"
	h_finish
fi
mnt=$H_TMP/full
mkdir "$mnt"
if ! mount -t tmpfs -o size=3m tmpfs "$mnt" 2>"$H_TMP/mount.err"; then
	skip "diskfull (mount -t tmpfs failed: $(cat "$H_TMP/mount.err"))"
	h_finish
fi
trap 'umount "$mnt"; rm -rf "$H_TMP"' EXIT
csv=$H_TMP/films.csv big=$H_TMP/big.csv
sh tests/hardening/gen_csv.sh 2000 5 >"$csv"
# 12000 films (3 MB): its transaction outgrows SQLite's page cache, which spills pages
# into the database file mid-transaction; the disk fills up there, which (before the
# fix) left a hot journal.
sh tests/hardening/gen_csv.sh 12000 5 >"$big"

# fill KB: a filler file leaves about KB kilobytes free on the tmpfs.
fill() {
	rm -f "$mnt/filler"
	avail=$(df -k --output=avail "$mnt" | tail -n 1)
	dd if=/dev/zero of="$mnt/filler" bs=1k count=$((avail - $1)) 2>/dev/null
}
ro_dump() { sqlite3 -batch "file:$1?mode=ro" .dump 2>&1 | sha256sum; }
# failed_cleanly WHAT DB RC: the checks every failed store must pass.
failed_cleanly() {
	if [ "$3" = 1 ] && grep -q "tg-train: storing the model in .* failed, registry unchanged: .*disk is full" "$H_TMP/err"
	then ok "diskfull $1: exit 1, \"disk is full\", registry unchanged"
	else notok "diskfull $1: exit $3, $(cat "$H_TMP/err")"
	fi
	if [ ! -e "$2-journal" ]; then ok "diskfull $1: no rollback journal left"
	else notok "diskfull $1: $2-journal left ($(wc -c <"$2-journal") bytes)"
	fi
}

for mode in delete wal; do
	rm -f "$mnt"/*
	db=$mnt/reg.db
	"$TRAIN" -q "$csv" "$db" && sqlite3 -batch "$db" "PRAGMA journal_mode=$mode" >/dev/null ||
		{ notok "diskfull $mode: first training failed"; continue; }
	before=$(ro_dump "$db")
	fill 800
	"$TRAIN" -q --force --deploy always "$big" "$db" 2>"$H_TMP/err"; rc=$?
	failed_cleanly "$mode, registry with a model" "$db" "$rc"
	models=$(sqlite3 -batch "file:$db?mode=ro" "SELECT group_concat(id || ':' || deployed) FROM tg_models" 2>&1)
	if [ "$models" = "1:1" ] && [ "$(ro_dump "$db")" = "$before" ]
	then ok "diskfull $mode: a read-only open reads the registry as it was (model 1 deployed)"
	else notok "diskfull $mode: read-only open gives '$models' or another dump"
	fi
done

# A database of the user's without a registry: tg-train creates the registry's schema in
# the store's transaction, so the failed store leaves no empty registry behind.
rm -f "$mnt"/*
db=$mnt/films.db
sqlite3 -batch "$db" "CREATE TABLE films (title TEXT); INSERT INTO films VALUES ('Ghost')"
before=$(ro_dump "$db")
fill 800
"$TRAIN" -q "$big" "$db" 2>"$H_TMP/err"; rc=$?
failed_cleanly "database without a registry" "$db" "$rc"
if [ "$(ro_dump "$db")" = "$before" ]
then ok "diskfull: the database without a registry is as it was (no registry schema left)"
else notok "diskfull: the database without a registry changed: $(sqlite3 -batch "file:$db?mode=ro" .tables 2>&1)"
fi

rm -f "$mnt"/*
fill 800
"$TRAIN" -q "$big" "$mnt/new.db" 2>"$H_TMP/err"; rc=$?
failed_cleanly "new database" "$mnt/new.db" "$rc"
if [ ! -e "$mnt/new.db" ]; then ok "diskfull: the new database is not left behind"
else notok "diskfull: $mnt/new.db left behind"
fi
h_finish
