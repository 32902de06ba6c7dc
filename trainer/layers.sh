#!/bin/sh
# The trainer's stages are layers: checks it from the sources, as `make check-layers`
# (inside `make test`) runs it.  The folder include graph of trainer/ -- folder A -> B
# when a file in A includes a header that lives in B -- must have no cycle, no stage
# may include cli/ (only cli/ and main.c run the pipeline), and cluster/ includes
# nothing from trainer/.  The build enforces the same one way (trainer/layers.mk gives
# each stage only the include folders below it); this names the edge that breaks it.
#   sh trainer/layers.sh [ROOT]      prints the graph; exit 1 on a broken rule
set -eu
cd "${1:-.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-layers.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT PIPE TERM

# Where each header of trainer/ lives: "name folder" (main.c's folder is trainer itself).
find trainer -name '*.h' | awk -F/ '{ print $NF, (NF > 2 ? $(NF - 1) : "trainer") }' | sort >"$tmp/homes"
dups=$(awk '{ print $1 }' "$tmp/homes" | uniq -d)
if [ -n "$dups" ]; then
	echo "layers: headers of one name in two folders (includes are by name): $dups" >&2
	exit 1
fi

# The edges: "from to file header", for every quoted include of a header in trainer/.
find trainer -name '*.[ch]' | sort | while read -r f; do
	from=$(basename "$(dirname "$f")")
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r h; do
		to=$(awk -v h="$(basename "$h")" '$1 == h { print $2 }' "$tmp/homes")
		if [ -n "$to" ] && [ "$to" != "$from" ]; then echo "$from $to $f $h"; fi
	done
done >"$tmp/edges"

fail=0
awk '{ print $1 " -> " $2 }' "$tmp/edges" | sort | uniq -c | awk '{ print "  " $2, $3, $4, "(" $1 ")" }'
upward=$(awk '$2 == "cli" && $1 != "cli" && $1 != "trainer"' "$tmp/edges")
if [ -n "$upward" ]; then
	echo "layers: a stage includes cli/ (only cli/ runs the pipeline):" >&2
	echo "$upward" | awk '{ print "  " $3 " includes " $4 }' >&2
	fail=1
fi
if ! awk '{ print $1, $2 }' "$tmp/edges" | sort -u | tsort >/dev/null 2>"$tmp/tsort"; then
	echo "layers: the folders of trainer/ include each other in a cycle:" >&2
	sed 's/^/  /' "$tmp/tsort" >&2
	fail=1
fi

# cluster/: no include of a trainer header, no trainer/ folder in its build.
for f in $(find cluster -name '*.go' -o -name '*.[ch]' -o -name '*.mk' | sort); do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r h; do
		if awk -v h="$(basename "$h")" '$1 == h { found = 1 } END { exit !found }' "$tmp/homes"; then
			echo "layers: $f includes $h, which lives in trainer/" >&2
			echo x
		fi
	done
	case $f in *.mk)
		if grep -q 'trainer/' "$f"; then
			grep -n 'trainer/' "$f" | sed "s|^|layers: $f:|" >&2
			echo x
		fi ;;
	esac
done >"$tmp/cluster"
if [ -s "$tmp/cluster" ]; then fail=1; fi
if [ $fail -eq 0 ]; then echo "layers: ok (no cycle, no stage includes cli/, cluster/ includes nothing of trainer/)"; fi
exit $fail
