#!/bin/sh
# tg-serve's entry point.  With a volume on /var/lib/tg (TG_REGISTRY's folder) it serves
# the registry there, registry.db, putting the shipped model in it first when the volume
# is empty; tg-train (the tg-train image) trains into that file and every replica serves
# the new model from its next request.  Without a volume it serves the shipped model.
# Arguments go to server.js (--token-file PATH).
set -eu
reg=${TG_REGISTRY:-/var/lib/tg/registry.db}
shipped=/usr/share/tg/genre.db
if awk -v d="$(dirname "$reg")" '$5 == d { m = 1 } END { exit !m }' /proc/self/mountinfo; then
	if [ ! -e "$reg" ]; then
		# Replicas may start together: each copies, one link wins, and no replica ever
		# opens a file another replaces.
		cp "$shipped" "$reg.$$"
		ln "$reg.$$" "$reg" 2>/dev/null || true
		rm -f "$reg.$$"
	fi
	export TG_DB="$reg"
else
	export TG_MODEL_DB="$shipped"
fi
exec node /usr/local/lib/tg-serve/server.js "$@"
