#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# xtoken-authorizer on its own socket, spoken to over raw FastCGI: the
# failure-case rows that need the aud/iss checks, EC and Ed25519 keys, or
# requests no web server would send (tests/tools/authorizer_cases.py), and
# the keys that must stop it at start-up (BL-25).

. "$(dirname "$0")/lib.sh"

require_common
xt_init authorizer
s=$XT_STATE
AUTHZ=$XTOKEN_BUILDDIR/authorizer/xtoken-authorizer
CASES=$TOOLS/authorizer_cases.py
mkdir -p "$s/keys" "$s/clients" "$s/run" "$s/log"

# newkey NAME OPENSSL-ARGS: NAME.key in clients/, its public key in keys/.
newkey()
{
	name=$1
	shift
	openssl genpkey "$@" -out "$s/clients/$name.key" 2>/dev/null &&
	openssl pkey -in "$s/clients/$name.key" -pubout \
	    -out "$s/clients/${name}_public.pem" 2>/dev/null ||
	    bail_out "cannot make the $name key"
}
newkey app1 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
newkey p256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
newkey p521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
newkey ed -algorithm ed25519
newkey attacker -algorithm RSA -pkeyopt rsa_keygen_bits:2048
for name in app1 p256 p521 ed; do
	cp "$s/clients/${name}_public.pem" "$s/keys/"
done

# BL-25: weak or impossible keys stop the authorizer before it serves.
# check_refused DESC FILE-MAKER...: a keys dir with app1's key and one bad
# key must fail --check, naming the bad file.
check_refused()
{
	desc=$1
	shift
	bad=$s/bad.$tap_n
	mkdir -p "$bad" && cp "$s/keys/app1_public.pem" "$bad/" &&
	"$@" "$bad/app3_public.pem" 2>/dev/null ||
	    bail_out "cannot make the key for: $desc"
	out=$("$AUTHZ" --check --keys "$bad" 2>&1)
	rc=$?
	if [ "$rc" -eq 2 ] && printf '%s' "$out" | grep -q app3_public.pem; then
		tap_ok "BL-25 refused at start-up: $desc"
	else
		tap_not_ok "BL-25 refused at start-up: $desc" "status $rc: $out"
	fi
}
rsa_bits()
{
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:$1 \
	    2>/dev/null | openssl pkey -pubout -out "$2" 2>/dev/null
}
rsa1024() { rsa_bits 1024 "$1"; }
rsa512() { rsa_bits 512 "$1"; }
exp1() { "$PYTHON" "$CASES" rsa-exponent 1 "$1"; }
exp_even() { "$PYTHON" "$CASES" rsa-exponent 65536 "$1"; }
private_pem() { cp "$s/clients/app1.key" "$1"; }
check_refused "RSA key of 1024 bits" rsa1024
check_refused "RSA key of 512 bits" rsa512
check_refused "RSA public exponent 1" exp1
check_refused "even RSA public exponent" exp_even
check_refused "a private key in place of a public one" private_pem

# The authorizer itself, with the identity checks on.
sock=$s/run/authorizer.sock
xt_start authorizer "$AUTHZ" --keys "$s/keys" --listen "unix:$sock" \
    --threads 2 --audience authz.test --iss-is-app yes
tries=0
while [ ! -S "$sock" ] && [ "$tries" -lt 50 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
[ -S "$sock" ] || bail_out "the authorizer did not start: $(cat \
    "$s/log/authorizer.out" 2>/dev/null)"

"$PYTHON" "$CASES" "$sock" "$s/clients" >"$s/cases.tap" 2>"$s/cases.err"
rc=$?
while IFS= read -r line; do
	case $line in
	"ok "*) tap_ok "${line#ok * - }" ;;
	"not ok "*) tap_not_ok "${line#not ok * - }" ;;
	"# "*) printf '%s\n' "$line" ;;
	esac
done <"$s/cases.tap"
if [ "$rc" -ne 0 ] && ! grep -q "^not ok" "$s/cases.tap"; then
	tap_not_ok "the case runner finished" "$(cat "$s/cases.err")"
fi

# A token in the URL's query is no credential, and the log shows no query.
qtok=eyJhbGciOiJFZERTQSIsInR5cCI6IkpXVCJ9.eyJhcHBJZCI6ImVkIiwiZXhwIjo5OTl9
qtok=$qtok.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU
out=$("$PYTHON" "$TOOLS/fcgi_raw.py" "unix:$sock" FCGI_ROLE=AUTHORIZER \
    REQUEST_METHOD=GET "REQUEST_URI=/users?access_token=$qtok")
case $out in
*"Status: 401"*) tap_ok "a token in the query string is refused" ;;
*) tap_not_ok "a token in the query string is refused" "answer: $out" ;;
esac
if grep -q 'uri="/users?\.\.\."' "$s/log/authorizer.out"; then
	tap_ok "its decision line shows the path and \"?...\" for the query"
else
	tap_not_ok "its decision line shows the path and \"?...\" for the query" \
	    "$(grep ' decision=' "$s/log/authorizer.out" | tail -n 1)"
fi

# The log names no token: no line holds three base64url segments.
if grep -Eq '[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.' \
    "$s/log/authorizer.out"; then
	tap_not_ok "no token appears in the authorizer's log"
else
	tap_ok "no token appears in the authorizer's log"
fi

tap_done
