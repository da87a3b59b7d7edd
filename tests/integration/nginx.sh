#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# End-to-end test through a real nginx with deploy/nginx/xtoken.conf
# rendered from its template exactly as the README says (envsubst of the
# named variables only), in front of the two programs running on their
# own unix sockets with the options the unit files in deploy/systemd/
# give them.  nginx's auth_request calls the authorizer as a responder.
# The same checks as the other servers, then what only this layout has:
# a malformed token is 401 (nginx would turn a 400 into 500), the
# internal auth location is not reachable, and a stopped or hung
# authorizer refuses.  With XT_TLS=yes (nginx-tls.sh) the same with
# deploy/nginx/xtoken-tls.conf.template.  TAP output.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_cmd nginx nginx
require_cmd envsubst gettext-base
require_common

TEMPLATE=$XTOKEN_SRCDIR/deploy/nginx/xtoken.conf.template
NAMES='$XTOKEN_ROOT $XTOKEN_PORT $XTOKEN_AUTHORIZER_SOCKET $XTOKEN_API_SOCKET'
if [ "$XT_TLS" = yes ]; then
	TEMPLATE=$XTOKEN_SRCDIR/deploy/nginx/xtoken-tls.conf.template
	NAMES="$NAMES \$XTOKEN_TLS_CERT \$XTOKEN_TLS_KEY"
fi

xt_init "nginx-$XT_SCHEME"
xt_make_state
xt_add_kid_app
[ "$XT_TLS" = yes ] && xt_tls_setup

AUTHORIZER_LISTEN=unix:$XT_STATE/run/authorizer.sock
API_LISTEN=unix:$XT_STATE/run/api.sock
xt_start_programs "$AUTHORIZER_LISTEN" "$API_LISTEN"

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=$XT_SCHEME://127.0.0.1:$PORT
XT_APP_LOG=$XT_STATE/log/api.log
XT_ACCESS_LOG=$XT_STATE/log/nginx-access.log

export XTOKEN_ROOT="$XT_STATE" XTOKEN_PORT="$PORT" \
    XTOKEN_AUTHORIZER_SOCKET="${AUTHORIZER_LISTEN#unix:}" \
    XTOKEN_API_SOCKET="${API_LISTEN#unix:}"

# The rendering the README shows: the template with the named variables
# filled in, next to the locations it includes.
d=$XT_STATE/nginx
CONF=$d/$(basename "$TEMPLATE" .template)
mkdir -p "$d" &&
    cp "$XTOKEN_SRCDIR/deploy/nginx/xtoken-locations.conf" "$d/" &&
    envsubst "$NAMES" <"$TEMPLATE" >"$CONF" ||
    bail_out "cannot render $TEMPLATE"
if grep -n 'XTOKEN_' "$CONF" | grep -v '^[0-9]*:#' >"$XT_STATE/log/left"
then
	bail_out "variables left in $CONF: $(cat "$XT_STATE/log/left")"
fi
NGINX="nginx -c $CONF -e $XT_STATE/log/nginx-error.log"

$NGINX -t >"$XT_STATE/log/config-test.out" 2>&1 ||
    bail_out "nginx rejects $CONF: $(cat "$XT_STATE/log/config-test.out")"
xt_start nginx $NGINX -g 'daemon off;'
xt_wait_http "$URL/" 10 ||
    bail_out "nginx did not answer on $URL: $(cat \
    "$XT_STATE/log/nginx.out" "$XT_STATE/log/nginx-error.log" \
    2>/dev/null)"
tap_diag "$(nginx -v 2>&1) on $URL"

# nginx shows its own page for a refusal, not the authorizer's body.
xt_front_checks "$URL" no

# A malformed token is refused with 401 and the authorizer's challenge:
# a 400 from an auth subrequest would reach the client as 500.
expect_status "malformed token: 401 with error=\"invalid_token\"" 401 \
    'header=WWW-Authenticate:error="invalid_token"' \
    -- -H "x-token: a.b" "$URL/users"
expect_status "malformed token in Bearer: 401" 401 \
    -- -H "Authorization: Bearer not-a-token" "$URL/users"

# The authorizer judged the client's request: it logged the original
# path, not the subrequest's, and not the query (which may hold a token).
tok=$(mint_pyjwt "$APP2")
expect_status "GET /users/2?x=1 with a good token: 200" 200 \
    -- -H "x-token: $tok" "$URL/users/2?x=1"
XT_API_EXPECTED=$((XT_API_EXPECTED + 1))
sleep 0.2
last=$(grep ' decision=' "$XT_STATE/log/authorizer.log" | tail -n 1)
case $last in
*'uri="/users/2?..."'*)
	tap_ok "the authorizer saw the original URI"
	;;
*)
	tap_not_ok "the authorizer saw the original URI" "last line: $last"
	;;
esac

# No other way to the responder, and the auth location is internal.
xt_other_paths "$URL" / /_xtoken_auth /xtoken-api /users/../users /./users \
    //users /%75sers /users%2f1 /usersX /run/api.sock

# While the authorizer is down every request is refused.
xt_authorizer_down "$URL"

# A hung authorizer: fastcgi_read_timeout ends the request with an
# error.  The limit is the same over HTTPS.
if [ "$XT_TLS" != yes ]; then
	xt_hang_service "$AUTHORIZER_LISTEN"
	xt_hang_check "$URL" 15
fi

tap_done
