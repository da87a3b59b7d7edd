#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# End-to-end test through a real lighttpd started with
# deploy/lighttpd/external.conf, exactly as shipped, in front of the two
# programs running on their own unix sockets with the options the unit
# files in deploy/systemd/ give them (as www-data when the test runs as
# root).  The same checks as lighttpd.sh, then what only this layout
# has: a stopped authorizer refuses, and a hung one times out.  With
# XT_TLS=yes (lighttpd-external-tls.sh) the same over HTTPS with
# deploy/lighttpd/external-tls.conf.  TAP output.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_cmd lighttpd lighttpd
require_common

CONF=$XTOKEN_SRCDIR/deploy/lighttpd/external.conf
if [ "$XT_TLS" = yes ]; then
	[ -f /usr/lib/lighttpd/mod_openssl.so ] ||
	    skip_all "lighttpd's TLS module is not installed" \
	    "(lighttpd-mod-openssl)"
	CONF=$XTOKEN_SRCDIR/deploy/lighttpd/external-tls.conf
fi

xt_init "lighttpd-external-$XT_SCHEME"
xt_make_state
xt_add_kid_app
[ "$XT_TLS" = yes ] && xt_tls_setup

AUTHORIZER_LISTEN=unix:$XT_STATE/run/authorizer.sock
API_LISTEN=unix:$XT_STATE/run/api.sock
xt_start_programs "$AUTHORIZER_LISTEN" "$API_LISTEN"

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=$XT_SCHEME://127.0.0.1:$PORT
XT_APP_LOG=$XT_STATE/log/api.log
XT_ACCESS_LOG=$XT_STATE/log/lighttpd-access.log

export XTOKEN_ROOT="$XT_STATE" XTOKEN_PORT="$PORT" \
    XTOKEN_AUTHORIZER_SOCKET="${AUTHORIZER_LISTEN#unix:}" \
    XTOKEN_API_SOCKET="${API_LISTEN#unix:}"

lighttpd -tt -f "$CONF" >"$XT_STATE/log/config-test.out" 2>&1 ||
    bail_out "lighttpd rejects $CONF: $(cat "$XT_STATE/log/config-test.out")"
xt_start lighttpd lighttpd -D -f "$CONF"
xt_wait_http "$URL/" 10 ||
    bail_out "lighttpd did not answer on $URL: $(cat \
    "$XT_STATE/log/lighttpd.out" "$XT_STATE/log/lighttpd-error.log" \
    2>/dev/null)"
tap_diag "$(lighttpd -v | head -n 1) on $URL"

xt_front_checks "$URL" yes

# No other way to the responder: other paths are not FastCGI at all, and
# URL tricks still land on the gated /users prefix.
xt_path_checks "$URL" / /xtoken-api /run/api.sock /users/../users \
    /./users //users /%75sers /users%2f1 /usersX

# The authorizer logged one decision per request it was asked about.
decisions=$(xt_count "$XT_STATE/log/authorizer.log" ' decision=')
if [ "$decisions" -gt 100 ]; then
	tap_ok "xtoken-authorizer logged its decisions ($decisions)"
else
	tap_not_ok "xtoken-authorizer logged its decisions" \
	    "only $decisions decision lines in log/authorizer.log"
fi

# Nothing restarts an external program: while the authorizer is down,
# every request is refused and none reaches the api.
xt_authorizer_down "$URL"

# Started again on the same socket, it serves again without lighttpd
# being touched, once lighttpd tries the backend it marked as down
# again (after its "disable-time", 1 s by default).
xt_service authorizer "$XT_STATE/bin/xtoken-authorizer" \
    --keys "$XT_STATE/keys" --listen "$AUTHORIZER_LISTEN" --threads 4
XT_AUTHORIZER_PID=$XT_SERVICE_PID
xt_wait_listening "$XT_AUTHORIZER_PID" "$XT_STATE/log/authorizer.log" 10 ||
    bail_out "xtoken-authorizer did not start again"
i=0
while xt_request -H "x-token: $tok" "$URL/users" &&
    [ "$XT_CODE" = 503 ] && [ "$i" -lt 25 ]; do
	sleep 0.2
	i=$((i + 1))
done
if [ "$XT_CODE" = 200 ]; then
	tap_ok "authorizer started again: a good token gets 200"
else
	tap_not_ok "authorizer started again: a good token gets 200" \
	    "got status $XT_CODE after $i retries"
fi

# A hung authorizer: read-timeout ends the request with an error, and
# nothing reaches the responder.  The limit is the same over HTTPS.
if [ "$XT_TLS" != yes ]; then
	xt_hang_service "$AUTHORIZER_LISTEN"
	xt_hang_check "$URL" 15
fi

tap_done
