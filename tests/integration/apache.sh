#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# End-to-end test through a real Apache httpd (mod_fcgid) started with
# deploy/apache/xtoken.conf, exactly as shipped: the environment names a
# private state directory, our copies of the programs and a free port on
# 127.0.0.1.  Good tokens must reach xtoken-api with the right APP_ID
# and KEY_ID; every attack request of tests/tools/cases.py must be
# refused without ever reaching it.  With XT_TLS=yes (apache-tls.sh) the
# same over HTTPS: the same file, started with -DTLS.  TAP output.
#
# Started as root, httpd runs both programs as www-data, so this also
# shows that everything they need is reachable by that user.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_cmd apache2 apache2
[ -f /usr/lib/apache2/modules/mod_fcgid.so ] ||
    skip_all "mod_fcgid is not installed (libapache2-mod-fcgid)"
require_common

TLS_DEFINE=
if [ "$XT_TLS" = yes ]; then
	[ -f /usr/lib/apache2/modules/mod_ssl.so ] ||
	    skip_all "mod_ssl is not installed (apache2)"
	TLS_DEFINE=-DTLS
fi

xt_init "apache-$XT_SCHEME"
xt_make_state
xt_add_kid_app
[ "$XT_TLS" = yes ] && xt_tls_setup

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=$XT_SCHEME://127.0.0.1:$PORT
CONF=$XTOKEN_SRCDIR/deploy/apache/xtoken.conf
# httpd's ErrorLog also receives the stderr of both programs.
XT_APP_LOG=$XT_STATE/log/apache-error.log
XT_ACCESS_LOG=$XT_STATE/log/apache-access.log

export XTOKEN_ROOT="$XT_STATE" XTOKEN_BINDIR="$XT_STATE/bin" \
    XTOKEN_PORT="$PORT"

apache2 -f "$CONF" $TLS_DEFINE -t >"$XT_STATE/log/config-test.out" 2>&1 ||
    bail_out "apache2 rejects $CONF: $(cat "$XT_STATE/log/config-test.out")"
xt_start apache2 apache2 -f "$CONF" $TLS_DEFINE -DFOREGROUND
xt_wait_http "$URL/" 10 ||
    bail_out "apache2 did not answer on $URL: $(cat \
    "$XT_STATE/log/apache2.out" "$XT_APP_LOG" 2>/dev/null)"
tap_diag "$(apache2 -v | head -n 1) on $URL"

[ "$XT_TLS" = yes ] && xt_tls_checks "$URL"
xt_accepting_checks "$URL"

# mod_fcgid copies the authorizer's headers into the client's 200; the
# configuration removes Variable-APP_ID and Variable-KEY_ID there.
xt_identity_checks "$URL"

# Processes run as www-data when httpd was started as root.
if [ "$(id -u)" -eq 0 ]; then
	users=$(for pid in $(xt_pids_running_from "$XT_STATE/bin"); do
		ps -o user= -p "$pid"
	done | sort -u | tr '\n' ' ')
	if [ "$users" = "www-data " ]; then
		tap_ok "both programs run as www-data"
	else
		tap_not_ok "both programs run as www-data" \
		    "programs run as: ${users:-nobody (none running)}"
	fi
fi

xt_refusing_checks "$URL" no

# No other way to the responder: the binaries' directory and the rest of
# the file system are closed, and URL tricks still land on the gated
# /users prefix.
xt_other_paths "$URL" / /xtoken-api /bin/xtoken-api /users/../users \
    /./users //users /%75sers /users%2f1 /usersX /users/users

# A hung authorizer: FcgidIOTimeout must end the request with an error,
# and nothing may reach the responder.  The limit is the same over HTTPS.
[ "$XT_TLS" = yes ] && tap_done
xt_stop_server
xt_make_hang_bin
export XTOKEN_BINDIR="$XT_STATE/hangbin"
xt_start apache2-hang apache2 -f "$CONF" -DFOREGROUND
xt_wait_http "$URL/" 10 ||
    bail_out "apache2 with the hanging authorizer did not answer on $URL"
xt_hang_check "$URL" 25

tap_done
