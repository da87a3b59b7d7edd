#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Access rules end to end, through a real lighttpd started with
# deploy/lighttpd/xtoken.conf and a policy file in the state directory:
# the store front may read /users and /users/ID, the admin site may do
# anything under /users, and an application whose key is registered but
# which the policy does not name may call nothing.  Path tricks must end
# in 403 or 400, never in the responder; the query never matters.  TAP
# output.

. "$(dirname "$0")/lib.sh"

require_cmd lighttpd lighttpd
require_common

xt_init access
xt_make_state

# A third registered application that no rule names.
PARTNER=partner
"$XTOKEN_SRCDIR/deploy/xtoken-keygen" "$PARTNER" "$XT_STATE/clients" \
    >/dev/null || bail_out "xtoken-keygen $PARTNER failed"
cp "$XT_STATE/clients/${PARTNER}_public.pem" "$XT_STATE/keys/" ||
    bail_out "cannot install the public key of $PARTNER"

POLICY=$XT_STATE/policy
cat >"$POLICY" <<EOF
# Store front: reads the users, one by one or all.
$APP1	GET	/users
$APP1	GET	/users/*
# Admin site: everything under /users.
$APP2	*	/users/**
EOF
printf 'policy = %s\n' "$POLICY" >"$XT_STATE/xtoken.conf"

# A broken policy stops --check, naming the file and the line.
printf '%s GET /users\n%s FETCH /users\n' "$APP1" "$APP1" \
    >"$XT_STATE/bad-policy"
"$XT_STATE/bin/xtoken-authorizer" --check --keys "$XT_STATE/keys" \
    --policy "$XT_STATE/bad-policy" >"$XT_STATE/log/bad-check.out" 2>&1
rc=$?
if [ "$rc" -eq 2 ] &&
    grep -q "bad-policy:2: unknown method" "$XT_STATE/log/bad-check.out"
then
	tap_ok "--check refuses a bad policy file with its file and line"
else
	tap_not_ok "--check refuses a bad policy file with its file and line" \
	    "exit $rc: $(cat "$XT_STATE/log/bad-check.out")"
fi

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=http://127.0.0.1:$PORT
CONF=$XTOKEN_SRCDIR/deploy/lighttpd/xtoken.conf
XT_APP_LOG=$XT_STATE/log/xtoken.log
XT_ACCESS_LOG=$XT_STATE/log/lighttpd-access.log

# The policy reaches the programs through the settings file that
# lighttpd's configuration passes on (XTOKEN_CONFIG), nothing else.
export XTOKEN_ROOT="$XT_STATE" XTOKEN_BINDIR="$XT_STATE/bin" \
    XTOKEN_PORT="$PORT" XTOKEN_CONFIG="$XT_STATE/xtoken.conf"
unset XTOKEN_KEYS XTOKEN_DB XTOKEN_LEEWAY XTOKEN_MAX_LIFETIME \
    XTOKEN_MAX_TOKEN_BYTES XTOKEN_REALM XTOKEN_ALGORITHM XTOKEN_LISTEN \
    XTOKEN_THREADS XTOKEN_POLICY

xt_start lighttpd lighttpd -D -f "$CONF"
xt_wait_http "$URL/" 10 ||
    bail_out "lighttpd did not answer on $URL: $(cat \
    "$XT_STATE/log/lighttpd.out" "$XT_STATE/log/lighttpd-error.log" \
    2>/dev/null)"

SHOP=$(mint_pyjwt "$APP1") || bail_out "pyjwt_mint.py failed"
ADMIN=$(mint_pyjwt "$APP2") || bail_out "pyjwt_mint.py failed"
OTHER=$(mint_pyjwt "$PARTNER") || bail_out "pyjwt_mint.py failed"
n=0

# allowed DESC TOKEN CURL_ARGS...: the authorizer let the request
# through: the api answered (any status but 401, 403) and logged it.
allowed()
{
	desc=$1
	tok=$2
	shift 2
	xt_request --path-as-is -H "x-token: $tok" "$@"
	n=$((n + 1))
	case $XT_CODE in
	401 | 403 | 000)
		tap_not_ok "$desc" "got status $XT_CODE" \
		    "body: $(head -c 200 "$XT_STATE/last.body")"
		return
		;;
	esac
	if xt_wait_count "$XT_APP_LOG" "$API_LINE" "$n"; then
		tap_ok "$desc ($XT_CODE)"
	else
		tap_not_ok "$desc" "status $XT_CODE but xtoken-api logged" \
		    "$(xt_count "$XT_APP_LOG" "$API_LINE") lines, expected $n"
	fi
}

CHALLENGE='Bearer realm="xtoken", error="insufficient_scope"'

# forbidden DESC TOKEN CURL_ARGS...: 403 with insufficient_scope and
# route_not_allowed, and the api never saw it.
forbidden()
{
	desc=$1
	tok=$2
	shift 2
	expect_status "$desc: 403" 403/route_not_allowed \
	    "header=WWW-Authenticate:^$CHALLENGE\$" \
	    'header=Content-Type:^application/json' \
	    -- --path-as-is -H "x-token: $tok" "$@"
	expect_no_api_line "$desc: never reached xtoken-api" "$n"
}

# refused DESC TOKEN CURL_ARGS...: 403 or 400 (from us or from
# lighttpd), or 404 when lighttpd's own normalisation took the path out
# of /users; never an answer of the api.
refused()
{
	desc=$1
	tok=$2
	shift 2
	xt_request --path-as-is -H "x-token: $tok" "$@"
	case $XT_CODE in
	400 | 403 | 404)
		tap_ok "$desc: refused ($XT_CODE$(xt_reason_note))"
		;;
	*)
		tap_not_ok "$desc: refused" "got status $XT_CODE" \
		    "body: $(head -c 200 "$XT_STATE/last.body")"
		;;
	esac
	sleep 0.1
	expect_no_api_line "$desc: never reached xtoken-api" "$n"
}

xt_reason_note()
{
	r=$(xt_body_reason)
	[ -n "$r" ] && printf ', %s' "$r"
}

# --- the matrix -------------------------------------------------------------

allowed "$APP1 GET /users" "$SHOP" "$URL/users"
tap_check "$APP1 GET /users: body is the users table" users_match_db
allowed "$APP1 GET /users/2" "$SHOP" "$URL/users/2"
tap_check "$APP1 GET /users/2: body is row 2" users_match_db 2
forbidden "$APP1 POST /users" "$SHOP" -d x "$URL/users"
forbidden "$APP1 DELETE /users/1" "$SHOP" -X DELETE "$URL/users/1"
forbidden "$APP1 HEAD /users/1" "$SHOP" -I "$URL/users/1"
forbidden "$APP1 GET /users/1/orders" "$SHOP" "$URL/users/1/orders"
forbidden "$APP1 GET /users/" "$SHOP" "$URL/users/"

allowed "$APP2 GET /users" "$ADMIN" "$URL/users"
allowed "$APP2 GET /users/1" "$ADMIN" "$URL/users/1"
allowed "$APP2 DELETE /users/1 (the api itself says 405)" "$ADMIN" \
    -X DELETE "$URL/users/1"
allowed "$APP2 GET /users/1/orders (the api itself says 404)" "$ADMIN" \
    "$URL/users/1/orders"

forbidden "$PARTNER (registered, not in the policy) GET /users" "$OTHER" \
    "$URL/users"
forbidden "$PARTNER GET /users/1" "$OTHER" "$URL/users/1"

# A refusal of the token still comes first, with 401.
expect_status "unregistered caller under the policy: 401" \
    401/unknown_app 'header=WWW-Authenticate:error="invalid_token"' \
    -- -H "x-token: $(mint_pyjwt "$ATTACKER")" "$URL/users"

# --- the query never matters --------------------------------------------

allowed "$APP1 GET /users?x=/admin" "$SHOP" "$URL/users?x=/admin"
allowed "$APP1 GET /users/1?next=../../admin" "$SHOP" \
    "$URL/users/1?next=../../admin"
forbidden "$APP1 POST /users?method=GET" "$SHOP" -d x \
    "$URL/users?method=GET"
forbidden "$APP1 GET /users/1/orders?/users" "$SHOP" \
    "$URL/users/1/orders?/users"

# --- equivalent spellings of an allowed route -----------------------------

allowed "$APP1 GET /users//2" "$SHOP" "$URL/users//2"
allowed "$APP1 GET /users/./2" "$SHOP" "$URL/users/./2"

# --- path tricks: never through -------------------------------------------

forbidden "$APP1 GET /users/1/../../users/1/orders" "$SHOP" \
    "$URL/users/1/../../users/1/orders"
forbidden "$APP1 GET /users/%2e%2e/users/1/orders" "$SHOP" \
    "$URL/users/%2e%2e/users/1/orders"
forbidden "$APP1 GET /users/%2E%2E/users/1/orders" "$SHOP" \
    "$URL/users/%2E%2E/users/1/orders"
forbidden "$APP1 GET //users/1/orders" "$SHOP" "$URL//users/1/orders"
refused "$APP1 GET /users/../admin" "$SHOP" "$URL/users/../admin"
refused "$APP1 GET /users/%2e%2e/admin" "$SHOP" "$URL/users/%2e%2e/admin"
refused "$APP1 GET //admin" "$SHOP" "$URL//admin"
refused "$APP1 GET /USERS" "$SHOP" "$URL/USERS"
refused "$APP1 GET /users%2f1%2forders" "$SHOP" "$URL/users%2f1%2forders"
refused "$APP1 GET /users/1%2forders" "$SHOP" "$URL/users/1%2forders"
refused "$APP1 GET /users/..;/admin" "$SHOP" "$URL/users/..;/admin"
refused "$APP1 GET /users/1;/orders" "$SHOP" "$URL/users/1;/orders"
refused "$APP1 GET /users/%00" "$SHOP" "$URL/users/%00"
refused "$APP1 GET /users/%c0%ae%c0%ae/users/1/orders" "$SHOP" \
    "$URL/users/%c0%ae%c0%ae/users/1/orders"
refused "$APP1 GET /users/..%5cadmin" "$SHOP" "$URL/users/..%5cadmin"
refused "$APP1 POST absolute-form target" "$SHOP" -d x \
    --request-target "http://127.0.0.1:$PORT/users" "$URL/"

# Only what the web server sets names the route: a client header that
# claims another path changes nothing.
forbidden "$APP1 POST /users with X-Original-URI: /users" "$SHOP" \
    -d x -H "X-Original-URI: /users" -H "X-Original-Method: GET" \
    "$URL/users"
forbidden "$APP1 GET /users/1/orders with X-Rewrite-URL: /users" \
    "$SHOP" -H "X-Rewrite-URL: /users" -H "X-Original-URL: /users" \
    "$URL/users/1/orders"

# --- reload ---------------------------------------------------------------

# hup PATTERN: SIGHUP every authorizer process (our copy of the program,
# started by our lighttpd) and wait until each has logged PATTERN once
# more.
hup()
{
	pids=$(for p in $(xt_pids_running_from "$XT_STATE/bin"); do
		case $(readlink "/proc/$p/exe") in
		*/xtoken-authorizer) echo "$p" ;;
		esac
	done)
	want=$(($(xt_count "$XT_APP_LOG" "$1") + $(echo $pids | wc -w)))
	for p in $pids; do
		kill -HUP "$p"
	done
	xt_wait_count "$XT_APP_LOG" "$1" "$want"
}

# The store front loses /users/ID; the rules change with a reload.
printf '%s GET /users\n%s * /users/**\n' "$APP1" "$APP2" >"$POLICY.new" &&
    mv "$POLICY.new" "$POLICY"
if hup 'reloaded:'; then
	tap_ok "SIGHUP reloads the authorizers"
else
	tap_not_ok "SIGHUP reloads the authorizers" \
	    "no reload line from each authorizer in $XT_APP_LOG"
fi
SHOP=$(mint_pyjwt "$APP1")
forbidden "after the reload, $APP1 GET /users/2" "$SHOP" "$URL/users/2"
allowed "after the reload, $APP1 GET /users" "$SHOP" "$URL/users"

# A broken policy is refused on reload and the last good rules stay.
printf '%s GET /users/**\n%s GET users\n' "$APP1" "$APP1" \
    >"$POLICY.new" && mv "$POLICY.new" "$POLICY"
if hup 'reload refused'; then
	tap_ok "a broken policy file is refused on reload"
else
	tap_not_ok "a broken policy file is refused on reload" \
	    "no 'reload refused' line from each authorizer in $XT_APP_LOG"
fi
forbidden "after the refused reload, $APP1 GET /users/2" "$SHOP" \
    "$URL/users/2"
allowed "after the refused reload, $APP1 GET /users" "$SHOP" "$URL/users"

# --- the log --------------------------------------------------------------

if grep -q "decision=deny status=403 reason=route_not_allowed \
app=\"$PARTNER\"" "$XT_APP_LOG"; then
	tap_ok "each refusal is logged with its reason and the appId"
else
	tap_not_ok "each refusal is logged with its reason and the appId" \
	    "no deny line for $PARTNER in $XT_APP_LOG"
fi

tap_done
