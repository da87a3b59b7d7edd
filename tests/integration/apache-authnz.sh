#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# End-to-end test through a real Apache httpd started with
# deploy/apache/authnz.conf, exactly as shipped: httpd's own
# mod_authnz_fcgi asks xtoken-authorizer (on its own, on a loopback TCP
# port) and mod_proxy_fcgi passes allowed requests to xtoken-api (on its
# own unix socket), both run with the options the unit files in
# deploy/systemd/ give them.  The same checks as the other servers, then
# what only this layout has: the caller's appId becomes httpd's user,
# and a stopped authorizer refuses.  With XT_TLS=yes
# (apache-authnz-tls.sh) the same file started with -DTLS.  TAP output.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_cmd apache2 apache2
for mod in authnz_fcgi proxy_fcgi; do
	[ -f "/usr/lib/apache2/modules/mod_$mod.so" ] ||
	    skip_all "mod_$mod is not installed (apache2)"
done
require_common

TLS_DEFINE=
if [ "$XT_TLS" = yes ]; then
	[ -f /usr/lib/apache2/modules/mod_ssl.so ] ||
	    skip_all "mod_ssl is not installed (apache2)"
	TLS_DEFINE=-DTLS
fi

xt_init "apache-authnz-$XT_SCHEME"
xt_make_state
xt_add_kid_app
[ "$XT_TLS" = yes ] && xt_tls_setup

AUTHORIZER_PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
AUTHORIZER_LISTEN=127.0.0.1:$AUTHORIZER_PORT
API_LISTEN=unix:$XT_STATE/run/api.sock
xt_start_programs "$AUTHORIZER_LISTEN" "$API_LISTEN"

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=$XT_SCHEME://127.0.0.1:$PORT
CONF=$XTOKEN_SRCDIR/deploy/apache/authnz.conf
XT_APP_LOG=$XT_STATE/log/api.log
XT_ACCESS_LOG=$XT_STATE/log/apache-access.log

export XTOKEN_ROOT="$XT_STATE" XTOKEN_PORT="$PORT" \
    XTOKEN_AUTHORIZER_ADDR="$AUTHORIZER_LISTEN" \
    XTOKEN_API_SOCKET="${API_LISTEN#unix:}"

apache2 -f "$CONF" $TLS_DEFINE -t >"$XT_STATE/log/config-test.out" 2>&1 ||
    bail_out "apache2 rejects $CONF: $(cat "$XT_STATE/log/config-test.out")"
xt_start apache2 apache2 -f "$CONF" $TLS_DEFINE -DFOREGROUND
xt_wait_http "$URL/" 10 ||
    bail_out "apache2 did not answer on $URL: $(cat \
    "$XT_STATE/log/apache2.out" "$XT_STATE/log/apache-error.log" \
    2>/dev/null)"
tap_diag "$(apache2 -v | head -n 1) on $URL"

# mod_authnz_fcgi passes the authorizer's refusal on, JSON body included.
xt_front_checks "$URL" yes

# The appId the authorizer vouched for is httpd's user of the request.
if grep -q "\"$APP1\"\$" "$XT_ACCESS_LOG"; then
	tap_ok "the access log names the caller's appId as the user"
else
	tap_not_ok "the access log names the caller's appId as the user" \
	    "no line ending in \"$APP1\" in $XT_ACCESS_LOG"
fi

# No other way to the responder.
xt_other_paths "$URL" / /xtoken-api /run/api.sock /users/../users /./users \
    //users /%75sers /users%2f1 /usersX

# With the authorizer stopped, mod_authnz_fcgi cannot connect: every
# request is refused and none reaches the api.
xt_authorizer_down "$URL"

tap_done
