# What cluster/test.sh and cluster/http_test.sh share: free loopback ports, a test
# certificate, waiting for a line in a log, and the check that nothing they started
# listens beyond loopback.  Sourced after tests/lib.sh.

# free_ports N: N TCP ports free on 127.0.0.1 right now, one per line.
free_ports() {
	/usr/bin/python3 -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss: s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in ss))' "$1"
}

# make_cert DIR NAME: DIR/NAME.crt and DIR/NAME.key, self-signed for DNS:NAME and 127.0.0.1.
make_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -sha256 -days 2 -nodes \
		-keyout "$1/$2.key" -out "$1/$2.crt" -subj "/CN=$2" \
		-addext "subjectAltName=DNS:$2,IP:127.0.0.1" >/dev/null 2>&1
}

# wait_for FILE PATTERN SECONDS: 0 once FILE has a line matching PATTERN, 1 on timeout.
wait_for() {
	i=0
	while [ $i -lt $(($3 * 10)) ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# only_loopback PID...: 1 when every TCP socket these processes listen on is on
# 127.0.0.1 or ::1 (and they listen on at least one), else 0; prints the offenders.
only_loopback() {
	pat=$(printf 'pid=%s,|' "$@")
	ss -Hltnp | grep -E "${pat%|}" >"$tmp/listening"
	bad=$(awk '$4 !~ /^(127\.0\.0\.1|\[::1\]):/' "$tmp/listening")
	[ -n "$bad" ] && echo "$bad"
	[ -s "$tmp/listening" ] && [ -z "$bad" ] && echo 1 || echo 0
}

yes_if() { "$@" && echo 1 || echo 0; }
differ() { ! cmp -s "$1" "$2"; }
