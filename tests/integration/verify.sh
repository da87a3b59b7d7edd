#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# xtoken-verify, the offline check: same verdicts as the authorizer, a
# step-by-step explanation, and exit status 0 / 1 / 2.

. "$(dirname "$0")/lib.sh"

require_common
xt_init verify
xt_make_state
s=$XT_STATE
VERIFY=$XTOKEN_BUILDDIR/authorizer/xtoken-verify
KEYS="--keys $s/keys"

# expect_verify DESC STATUS PATTERN [ARG...]: run xtoken-verify with the
# token on standard input ($TOKEN), check the exit status and the output.
expect_verify()
{
	desc=$1 want=$2 pattern=$3
	shift 3
	out=$(printf '%s\n' "$TOKEN" | "$VERIFY" $KEYS "$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ] && printf '%s\n' "$out" |
	    grep -q -- "$pattern"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "expected status $want and \"$pattern\"," \
		    "got status $got:" "$(printf '%s' "$out" | tr '\n' '|')"
	fi
}

TOKEN=$(mint_xtoken "$APP1")
expect_verify "a fresh token is accepted" 0 "^ACCEPTED (200): appId $APP1"
expect_verify "the signature step names the key file" 0 \
    "^signature  verifies with ${APP1}_public.pem"
expect_verify "the claims are shown" 0 "^claims .*\"appId\":\"$APP1\""
expect_verify "judged later, the same token has expired" 1 \
    "^REFUSED (401 invalid_token): expired" --at 4102444800
expect_verify "a stricter lifetime cap refuses it" 1 \
    "lifetime_too_long" --max-lifetime 60 --leeway 0
expect_verify "an audience it lacks refuses it" 1 \
    "^REFUSED (401 invalid_token): bad_audience" --audience api.test

# White space inside the texts may hold carriage returns and newlines;
# the trace shows them as spaces, so a token cannot redraw the terminal.
TOKEN=$("$PYTHON" - "$TOOLS" "$s/clients/${APP1}_private.pem" "$APP1" <<'PY'
import sys, time
sys.path.insert(0, sys.argv[1])
import pyjwt_mint
key = open(sys.argv[2], "rb").read()
now = int(time.time())
payload = ('{"appId":"%s",\r\n"exp":%d,\r"note":"hidden"}'
           % (sys.argv[3], now + 120)).encode()
print(pyjwt_mint.compact(b'{"alg":"RS512"}', payload, "RS512", key))
PY
)
out=$(printf '%s\n' "$TOKEN" | "$VERIFY" $KEYS 2>&1)
if printf '%s' "$out" | grep -q '^ACCEPTED' &&
    ! printf '%s' "$out" | tr -d '\n' | grep -q "$(printf '\r')" &&
    printf '%s\n' "$out" | grep -q '^claims .*"appId":"'"$APP1"'",  "exp"'; then
	tap_ok "control bytes in the texts' white space are traced as spaces"
else
	tap_not_ok "control bytes in the texts' white space are traced as" \
	    "spaces" "$(printf '%s' "$out" | od -c | head -5)"
fi

TOKEN=$(mint_xtoken "$ATTACKER")
expect_verify "an unregistered application is refused" 1 \
    "no key is registered for appId \"$ATTACKER\""

# Key rotation: a second key of the same application under key ID 2027.
MINT=$XTOKEN_BUILDDIR/tools/xtoken-mint
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
    -out "$s/clients/new.key" 2>/dev/null &&
openssl pkey -in "$s/clients/new.key" -pubout \
    -out "$s/keys/${APP1}@2027_public.pem" 2>/dev/null ||
    bail_out "cannot make the second key"
TOKEN=$("$MINT" --app "$APP1" --key "$s/clients/new.key" --kid 2027)
expect_verify "the new key is picked by its kid" 0 \
    "^ACCEPTED (200): appId $APP1, kid 2027"
TOKEN=$("$MINT" --app "$APP1" --key "$s/clients/new.key")
expect_verify "without kid the new key is found among the app's keys" 0 \
    "^signature  verifies with ${APP1}@2027_public.pem"
TOKEN=$(mint_xtoken "$APP1")
expect_verify "the old key still works during the rotation" 0 \
    "^ACCEPTED (200): appId $APP1, RS512"
TOKEN=$("$MINT" --app "$APP1" --key "$s/clients/${APP1}_private.pem" \
    --kid 2027)
expect_verify "the old key under the new kid is refused" 1 \
    "^REFUSED (401 invalid_token): bad_signature"
TOKEN=$("$MINT" --app "$APP2" --key "$s/clients/${APP2}_private.pem" \
    --kid 2027)
expect_verify "another app's token cannot borrow the kid" 1 \
    "^REFUSED (401 invalid_token): unknown_key"

TOKEN="not-a-token"
expect_verify "garbage is refused as malformed" 1 \
    "^REFUSED (400 invalid_request): malformed"

out=$("$VERIFY" --keys "$s/no-such-dir" x 2>&1)
got=$?
if [ "$got" -eq 2 ] && printf '%s' "$out" | grep -q "no-such-dir"; then
	tap_ok "a missing keys directory is a configuration error (exit 2)"
else
	tap_not_ok "a missing keys directory is a configuration error" \
	    "status $got: $out"
fi

out=$("$VERIFY" --leeway 9999 x 2>&1)
got=$?
if [ "$got" -eq 2 ] && printf '%s' "$out" | grep -q "leeway"; then
	tap_ok "an out-of-range setting is a configuration error (exit 2)"
else
	tap_not_ok "an out-of-range setting is a configuration error" \
	    "status $got: $out"
fi

# Every program answers --version with the same package version.
want=$("$MINT" --version | sed 's/^xtoken-mint //')
for prog in "$XTOKEN_SRCDIR/deploy/xtoken-keygen" \
    "$XTOKEN_BUILDDIR/authorizer/xtoken-authorizer" \
    "$XTOKEN_BUILDDIR/authorizer/xtoken-verify" \
    "$XTOKEN_BUILDDIR/api/xtoken-api"; do
	name=$(basename "$prog")
	got=$("$prog" --version 2>&1)
	if [ "$got" = "$name $want" ]; then
		tap_ok "$name --version says $want"
	else
		tap_not_ok "$name --version says $want" "got: $got"
	fi
done

# --check judges the listening address as the start would.
for spec in ":9000" "localhost:9000" "127.0.0.1:99999" "unix:"; do
	out=$("$XTOKEN_BUILDDIR/authorizer/xtoken-authorizer" --check \
	    --keys "$s/keys" --listen "$spec" 2>&1)
	got=$?
	if [ "$got" -eq 2 ] && printf '%s' "$out" | grep -q "listen"; then
		tap_ok "--check refuses --listen \"$spec\""
	else
		tap_not_ok "--check refuses --listen \"$spec\"" \
		    "status $got: $out"
	fi
done

tap_done
