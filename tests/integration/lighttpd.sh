#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# End-to-end test through a real lighttpd started with
# deploy/lighttpd/xtoken.conf, exactly as shipped: the environment names a
# private state directory, our copies of the programs and a free port on
# 127.0.0.1.  Good tokens must reach xtoken-api with the right APP_ID
# and KEY_ID; every attack request of tests/tools/cases.py must be
# refused without ever reaching it.  With XT_TLS=yes (lighttpd-tls.sh)
# the same over HTTPS with deploy/lighttpd/xtoken-tls.conf.  TAP output.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_cmd lighttpd lighttpd
require_common

CONF=$XTOKEN_SRCDIR/deploy/lighttpd/xtoken.conf
if [ "$XT_TLS" = yes ]; then
	[ -f /usr/lib/lighttpd/mod_openssl.so ] ||
	    skip_all "lighttpd's TLS module is not installed" \
	    "(lighttpd-mod-openssl)"
	CONF=$XTOKEN_SRCDIR/deploy/lighttpd/xtoken-tls.conf
fi

xt_init "lighttpd-$XT_SCHEME"
xt_make_state
xt_add_kid_app
[ "$XT_TLS" = yes ] && xt_tls_setup

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=$XT_SCHEME://127.0.0.1:$PORT
# lighttpd's server.breakagelog: the stderr of both programs.
XT_APP_LOG=$XT_STATE/log/xtoken.log
XT_ACCESS_LOG=$XT_STATE/log/lighttpd-access.log

export XTOKEN_ROOT="$XT_STATE" XTOKEN_BINDIR="$XT_STATE/bin" \
    XTOKEN_PORT="$PORT"
# Only the settings the configuration hands over may reach the programs.
unset XTOKEN_CONFIG XTOKEN_KEYS XTOKEN_DB XTOKEN_LEEWAY \
    XTOKEN_MAX_LIFETIME XTOKEN_MAX_TOKEN_BYTES XTOKEN_REALM \
    XTOKEN_ALGORITHM XTOKEN_LISTEN XTOKEN_THREADS

lighttpd -tt -f "$CONF" >"$XT_STATE/log/config-test.out" 2>&1 ||
    bail_out "lighttpd rejects $CONF: $(cat "$XT_STATE/log/config-test.out")"
xt_start lighttpd lighttpd -D -f "$CONF"
xt_wait_http "$URL/" 10 ||
    bail_out "lighttpd did not answer on $URL: $(cat \
    "$XT_STATE/log/lighttpd.out" "$XT_STATE/log/lighttpd-error.log" \
    2>/dev/null)"
tap_diag "lighttpd $(lighttpd -v | head -n 1) on $URL"

xt_front_checks "$URL" yes

# lighttpd hands the authorizer's whole refusal to the client.
expect_status "refusal carries the authorizer's JSON body" 401/no_token \
    'header=Content-Type:^application/json' \
    'body="error":"' -- "$URL/users"

# No other way to the responder: other paths are not FastCGI at all, and
# URL tricks still land on the gated /users prefix.
xt_other_paths "$URL" / /xtoken-api /run/api.sock-0 /users/../users \
    /./users //users /%75sers /users%2f1 /usersX

# A hung authorizer: the configuration's read-timeout must end the
# request with an error (lighttpd has no limit of its own), and nothing
# may reach the responder.  The limit is the same over HTTPS.
[ "$XT_TLS" = yes ] && tap_done
xt_stop_server
xt_make_hang_bin
export XTOKEN_BINDIR="$XT_STATE/hangbin"
xt_start lighttpd-hang lighttpd -D -f "$CONF"
xt_wait_http "$URL/" 10 ||
    bail_out "lighttpd with the hanging authorizer did not answer on $URL"
xt_hang_check "$URL" 15

tap_done
