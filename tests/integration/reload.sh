#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# SIGHUP reloads xtoken-authorizer's settings and keys without dropping
# or misanswering a request.  lighttpd (deploy/lighttpd/external.conf)
# sits in front of the two programs on their own sockets, as in
# production; a bounded load (tests/tools/load.py: a few thousand
# requests at most, 30 s at most) runs while the authorizer is reloaded
# 20 times: keys are added and removed, and once each a broken key file
# and a broken settings file must be refused with the last good set kept.
# Every answer must be exactly the expected one.  Then a reload that
# removes an application: its tokens get 401 from then on.  TAP output.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_cmd lighttpd lighttpd
require_common

RELOADS=20
EXTRA=batchjob

xt_init reload
xt_make_state
xt_add_kid_app
s=$XT_STATE
"$XTOKEN_SRCDIR/deploy/xtoken-keygen" "$EXTRA" "$s/clients" >/dev/null ||
    bail_out "xtoken-keygen $EXTRA failed"

# A settings file, so that a reload reads one again too.
CONFIG=$s/xtoken.conf
printf 'leeway = 30\n' >"$CONFIG" && chmod 0644 "$CONFIG" ||
    bail_out "cannot write $CONFIG"

AUTHORIZER_LISTEN=unix:$s/run/authorizer.sock
API_LISTEN=unix:$s/run/api.sock
xt_service authorizer "$s/bin/xtoken-authorizer" --config "$CONFIG" \
    --keys "$s/keys" --listen "$AUTHORIZER_LISTEN" --threads 4
AUTHZ_PID=$XT_SERVICE_PID
AUTHZ_LOG=$s/log/authorizer.log
xt_service api "$s/bin/xtoken-api" --db "$s/xtoken.db" \
    --listen "$API_LISTEN" --threads 4
xt_wait_listening "$AUTHZ_PID" "$AUTHZ_LOG" 10 ||
    bail_out "xtoken-authorizer did not start: $(cat "$AUTHZ_LOG")"
xt_wait_listening "$XT_SERVICE_PID" "$s/log/api.log" 10 ||
    bail_out "xtoken-api did not start: $(cat "$s/log/api.log")"

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=http://127.0.0.1:$PORT
XT_APP_LOG=$s/log/api.log
export XTOKEN_ROOT="$s" XTOKEN_PORT="$PORT" \
    XTOKEN_AUTHORIZER_SOCKET="${AUTHORIZER_LISTEN#unix:}" \
    XTOKEN_API_SOCKET="${API_LISTEN#unix:}"
xt_start lighttpd lighttpd -D -f "$XTOKEN_SRCDIR/deploy/lighttpd/external.conf"
xt_wait_http "$URL/" 10 ||
    bail_out "lighttpd did not answer on $URL: $(cat \
    "$s/log/lighttpd.out" "$s/log/lighttpd-error.log" 2>/dev/null)"

# The expected answers, taken before any reload.
TOK1=$(mint_pyjwt "$APP1") && TOK2=$(mint_pyjwt "$APP2") &&
    TOK3=$(mint_pyjwt "$APP3" --header "kid=$APP3_KID") &&
    TOKX=$(mint_pyjwt "$ATTACKER") || bail_out "pyjwt_mint.py failed"
expect_status "before the reloads: a good token gets 200" 200 \
    -- -H "x-token: $TOK1" "$URL/users"
tap_check "before the reloads: the body is the users table" users_match_db
cp "$s/last.body" "$s/users.json"
tab=$(printf '\t')
cat >"$s/load.cases" <<CASES
$APP1$tab$TOK1${tab}200$tab$s/users.json$tab-
$APP3 (kid)$tab$TOK3${tab}200$tab$s/users.json$tab-
$ATTACKER$tab$TOKX${tab}401$tab-${tab}unknown_app
$APP2$tab$TOK2${tab}200$tab$s/users.json$tab-
no token$tab-${tab}401$tab-${tab}no_token
malformed${tab}not-a-token${tab}400$tab-${tab}malformed
CASES

# reload WHAT EXPECTED: send SIGHUP and wait for the authorizer's one
# line about it; EXPECTED is "reloaded" or "refused".
OUTCOME=' info: reloaded: \| error: reload refused'
reload()
{
	before=$(xt_count "$AUTHZ_LOG" "$OUTCOME")
	kill -HUP "$AUTHZ_PID"
	i=0
	while [ "$(xt_count "$AUTHZ_LOG" "$OUTCOME")" -le "$before" ]; do
		[ "$i" -lt 100 ] || break
		sleep 0.05
		i=$((i + 1))
	done
	line=$(grep -- "$OUTCOME" "$AUTHZ_LOG" | tail -n 1)
	case $2:$line in
	reloaded:*" info: reloaded: "* | refused:*" error: reload refused"*)
		tap_ok "reload: $1: $2"
		;;
	*)
		tap_not_ok "reload: $1: $2" "last outcome line: $line"
		;;
	esac
}

STOP=$s/load.stop
"$PYTHON" "$TOOLS/load.py" "$URL" "$s/load.cases" "$STOP" \
    --threads 4 --pause 0.008 --max-requests 6000 --max-seconds 30 \
    >"$s/log/load.out" 2>&1 &
LOAD_PID=$!
XT_PIDS="$XT_PIDS $LOAD_PID"
sleep 0.5

r=1
while [ "$r" -le "$RELOADS" ]; do
	case $r in
	5)
		printf 'not a key\n' >"$s/keys/broken_public.pem"
		reload "a broken key file is refused, old keys kept" refused
		;;
	6)
		rm -f "$s/keys/broken_public.pem"
		reload "the broken key file removed" reloaded
		;;
	12)
		printf 'leeway = soon\n' >"$CONFIG"
		reload "a broken settings file is refused" refused
		;;
	13)
		printf 'leeway = 30\n' >"$CONFIG"
		reload "the settings file repaired" reloaded
		;;
	*)
		if [ $((r % 2)) -eq 1 ]; then
			cp "$s/clients/${EXTRA}_public.pem" "$s/keys/"
			reload "$EXTRA added" reloaded
		else
			rm -f "$s/keys/${EXTRA}_public.pem"
			reload "$EXTRA removed" reloaded
		fi
		;;
	esac
	sleep 0.2
	r=$((r + 1))
done

: >"$STOP"
wait "$LOAD_PID"
load_rc=$?
summary=$(head -n 1 "$s/log/load.out")
case $load_rc:$summary in
0:*" failures=0 ended=stop "*)
	tap_ok "load during $RELOADS reloads: every answer as expected \
($summary)"
	;;
*)
	tap_not_ok "load during $RELOADS reloads: every answer as expected" \
	    "$(cat "$s/log/load.out")"
	;;
esac
sent=$(printf '%s\n' "$summary" | sed -n 's/^requests=\([0-9]*\) .*/\1/p')
if [ "${sent:-0}" -ge 300 ]; then
	tap_ok "the load kept running through the reloads ($sent requests)"
else
	tap_not_ok "the load kept running through the reloads" \
	    "only ${sent:-0} requests: $summary"
fi

# The refusals named what was wrong, and the process never restarted.
if grep -q 'reload refused.*broken_public\.pem' "$AUTHZ_LOG" &&
    grep -q 'reload refused.*leeway' "$AUTHZ_LOG"; then
	tap_ok "each refused reload logged what was wrong"
else
	tap_not_ok "each refused reload logged what was wrong" \
	    "$(grep 'reload refused' "$AUTHZ_LOG")"
fi
if kill -0 "$AUTHZ_PID" 2>/dev/null &&
    [ "$(xt_count "$AUTHZ_LOG" ' info: starting ')" -eq 1 ]; then
	tap_ok "one authorizer process served throughout"
else
	tap_not_ok "one authorizer process served throughout"
fi

# Removing an application takes effect with the next reload.
rm -f "$s/keys/${APP2}_public.pem"
reload "$APP2 removed" reloaded
expect_status "after the reload, $APP2's token gets 401 unknown_app" \
    401/unknown_app -- -H "x-token: $TOK2" "$URL/users"
expect_status "after the reload, $APP1's token still gets 200" 200 \
    -- -H "x-token: $TOK1" "$URL/users"
tap_check "... with the users table" users_match_db

tap_done
