# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Helpers of the front-server tests, sourced after lib.sh: HTTPS with a
# throw-away CA, the two programs run on their own sockets the way a
# service manager runs them, an application whose key has a key ID, and
# the checks every front server must pass.
#
# A test that sets XT_TLS=yes before sourcing lib.sh runs its server's
# HTTPS variant; XT_SCHEME is then https and every curl call verifies the
# server's certificate against the test's CA.

# Only what a test hands over may reach the programs and the servers.
unset XTOKEN_CONFIG XTOKEN_KEYS XTOKEN_DB XTOKEN_LEEWAY \
    XTOKEN_MAX_LIFETIME XTOKEN_MAX_TOKEN_BYTES XTOKEN_REALM \
    XTOKEN_ALGORITHM XTOKEN_LISTEN XTOKEN_THREADS XTOKEN_AUDIENCE \
    XTOKEN_ISS_IS_APP XTOKEN_SUB_IS_APP XTOKEN_TYP XTOKEN_STRICT_CLAIMS \
    XTOKEN_TLS_CERT XTOKEN_TLS_KEY XTOKEN_AUTHORIZER_SOCKET \
    XTOKEN_AUTHORIZER_ADDR XTOKEN_API_SOCKET

: "${XT_TLS:=no}"
XT_SCHEME=http
[ "$XT_TLS" = yes ] && XT_SCHEME=https

# A third application whose one key carries a key ID, so the tests can
# see KEY_ID travel to xtoken-api.
APP3=billing
APP3_KID=k2026

# xt_tls_setup: a CA and a server certificate for 127.0.0.1 in tls/, made
# fresh for this run and valid for a day.  Exports XTOKEN_TLS_CERT and
# XTOKEN_TLS_KEY for the server configurations, and XT_CACERT, which
# lib.sh's requests pass to curl as --cacert (never -k).
xt_tls_setup()
{
	t=$XT_STATE/tls
	mkdir -p "$t" || bail_out "cannot create $t"
	(
		cd "$t" || exit 1
		umask 077
		openssl req -x509 -newkey ec -pkeyopt \
		    ec_paramgen_curve:prime256v1 -nodes -days 1 \
		    -subj "/CN=xtoken test CA $$" -keyout ca.key -out ca.crt \
		    -addext basicConstraints=critical,CA:TRUE \
		    -addext keyUsage=critical,keyCertSign,cRLSign &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		    -nodes -subj "/CN=127.0.0.1" -keyout server.key \
		    -out server.csr &&
		printf '%s\n' 'subjectAltName=IP:127.0.0.1' \
		    'basicConstraints=critical,CA:FALSE' \
		    'keyUsage=critical,digitalSignature' \
		    'extendedKeyUsage=serverAuth' >server.ext &&
		openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key \
		    -CAcreateserial -days 1 -extfile server.ext \
		    -out server.crt &&
		chmod 0644 ca.crt server.crt
	) >"$XT_STATE/log/tls.out" 2>&1 ||
	    bail_out "cannot make the test certificates: $(cat \
	    "$XT_STATE/log/tls.out")"
	XTOKEN_TLS_CERT=$t/server.crt
	XTOKEN_TLS_KEY=$t/server.key
	XT_CACERT=$t/ca.crt
	export XTOKEN_TLS_CERT XTOKEN_TLS_KEY
}

# xt_tls_checks URL: the server speaks TLS with the test CA's certificate
# and nothing else: plain HTTP gets no answer, and a client that does
# not know the CA refuses the connection.
xt_tls_checks()
{
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
	    "http://${1#https://}/users" 2>/dev/null)
	case $code in
	200)
		tap_not_ok "plain HTTP on the HTTPS port is not served" \
		    "got status $code"
		;;
	*)
		tap_ok "plain HTTP on the HTTPS port is not served ($code)"
		;;
	esac
	if curl -s -o /dev/null --max-time 5 "$1/users" 2>/dev/null; then
		tap_not_ok "a client without the test CA refuses the server"
	else
		tap_ok "a client without the test CA refuses the server"
	fi
	# The client side must be willing, or the check proves nothing:
	# Debian's openssl.cnf alone already refuses TLS 1.1.
	if OPENSSL_CONF=/dev/null openssl s_client -connect "${1#https://}" \
	    -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' </dev/null >/dev/null 2>&1
	then
		tap_not_ok "TLS 1.1 is refused"
	else
		tap_ok "TLS 1.1 is refused"
	fi
}

# xt_add_kid_app: APP3, registered with its key under key ID APP3_KID.
xt_add_kid_app()
{
	"$XTOKEN_SRCDIR/deploy/xtoken-keygen" "$APP3" "$XT_STATE/clients" \
	    >/dev/null || bail_out "xtoken-keygen $APP3 failed"
	cp "$XT_STATE/clients/${APP3}_public.pem" \
	    "$XT_STATE/keys/${APP3}@${APP3_KID}_public.pem" ||
	    bail_out "cannot install the key of $APP3"
}

# --- the programs on their own sockets --------------------------------------

# Started by root, the programs run as www-data, as the unit files run
# them as their own user: the web server must reach the sockets through
# their permissions (mode 0660), not through being root.
XT_SERVICE_USER=
if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1; then
	XT_SERVICE_USER=www-data
fi

# xt_service NAME COMMAND...: start a program in the background as a
# service manager would (stderr to log/NAME.log), remember its PID in
# XT_PIDS and in XT_SERVICE_PID.
xt_service()
{
	name=$1
	shift
	if [ -n "$XT_SERVICE_USER" ]; then
		chown "$XT_SERVICE_USER" "$XT_STATE/run"
		setpriv --reuid="$XT_SERVICE_USER" --regid="$XT_SERVICE_USER" \
		    --init-groups -- "$@" >"$XT_STATE/log/$name.out" \
		    2>"$XT_STATE/log/$name.log" </dev/null &
	else
		"$@" >"$XT_STATE/log/$name.out" 2>"$XT_STATE/log/$name.log" \
		    </dev/null &
	fi
	XT_SERVICE_PID=$!
	XT_PIDS="$XT_PIDS $!"
}

# xt_wait_listening PID LOG SECONDS: wait for the program's start-up line.
xt_wait_listening()
{
	i=0
	while ! grep -q ' info: starting ' "$2" 2>/dev/null; do
		kill -0 "$1" 2>/dev/null || return 1
		[ "$i" -lt $(($3 * 10)) ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# xt_start_programs AUTHORIZER_LISTEN API_LISTEN: both programs on their
# own, with the options the unit files give them; their logs are
# log/authorizer.log and log/api.log.  Sets XT_AUTHORIZER_PID, XT_API_PID.
xt_start_programs()
{
	xt_service authorizer "$XT_STATE/bin/xtoken-authorizer" \
	    --keys "$XT_STATE/keys" --listen "$1" --threads 4
	XT_AUTHORIZER_PID=$XT_SERVICE_PID
	xt_service api "$XT_STATE/bin/xtoken-api" --db "$XT_STATE/xtoken.db" \
	    --listen "$2" --threads 4
	XT_API_PID=$XT_SERVICE_PID
	xt_wait_listening "$XT_AUTHORIZER_PID" "$XT_STATE/log/authorizer.log" \
	    10 || bail_out "xtoken-authorizer did not start: $(cat \
	    "$XT_STATE/log/authorizer.log")"
	xt_wait_listening "$XT_API_PID" "$XT_STATE/log/api.log" 10 ||
	    bail_out "xtoken-api did not start: $(cat "$XT_STATE/log/api.log")"
}

# xt_hang_service LISTEN: replace the running authorizer by a program
# that accepts connections on the same unix socket and never answers.
xt_hang_service()
{
	kill "$XT_AUTHORIZER_PID" 2>/dev/null
	xt_wait_gone "$XT_AUTHORIZER_PID" 50 ||
	    bail_out "xtoken-authorizer did not stop on SIGTERM"
	rm -f "${1#unix:}"
	cp "$PYTHON" "$XT_STATE/bin/hang-python" ||
	    bail_out "cannot copy $PYTHON"
	xt_service hang "$XT_STATE/bin/hang-python" -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1])
s.listen(16)
print("listening", flush=True)
held = []
while True:
    held.append(s.accept()[0])
' "${1#unix:}"
	i=0
	while ! grep -q listening "$XT_STATE/log/hang.out" 2>/dev/null; do
		[ "$i" -lt 50 ] || bail_out "the hanging program did not start"
		sleep 0.1
		i=$((i + 1))
	done
	chmod 0660 "${1#unix:}"
}

# --- checks ------------------------------------------------------------------

# expect_api_key DESC KEY: the last request line of the api names KEY.
expect_api_key()
{
	last=$(grep -- "$API_LINE" "$XT_APP_LOG" | tail -n 1)
	case $last in
	*"key=\"$2\""*)
		tap_ok "$1"
		;;
	*)
		tap_not_ok "$1" "expected key=\"$2\" in: $last"
		;;
	esac
}

# xt_identity_checks URL: APP_ID and KEY_ID reach xtoken-api under those
# names, and the client's 200 answer carries neither Variable-* header.
xt_identity_checks()
{
	n=$XT_API_EXPECTED

	tok=$(mint_pyjwt "$APP3" --header "kid=$APP3_KID") ||
	    bail_out "pyjwt_mint.py failed"
	expect_status "token of $APP3 with kid $APP3_KID: 200" 200 \
	    noheader=Variable-APP_ID noheader=Variable-KEY_ID \
	    -- -H "x-token: $tok" "$1/users"
	n=$((n + 1))
	expect_api_line "APP_ID=$APP3 reached the api" "$APP3" "$n"
	expect_api_key "KEY_ID=$APP3_KID reached the api" "$APP3_KID"

	tok=$(mint_pyjwt "$APP1") || bail_out "pyjwt_mint.py failed"
	expect_status "token of $APP1 (key without kid): 200" 200 \
	    noheader=Variable-APP_ID noheader=Variable-KEY_ID \
	    -- -H "x-token: $tok" "$1/users"
	n=$((n + 1))
	expect_api_line "APP_ID=$APP1 reached the api" "$APP1" "$n"
	expect_api_key "no KEY_ID for a key without kid" "-"

	XT_API_EXPECTED=$n
}

# xt_path_checks URL PATH...: with a forged token, none of these paths
# is served and none reaches the api.
xt_path_checks()
{
	url=$1
	shift
	n=$XT_API_EXPECTED
	for path in "$@"; do
		xt_request --path-as-is -H "x-token: forged" "$url$path"
		case $XT_CODE in
		200 | 5??)
			tap_not_ok "GET $path with a forged token is refused" \
			    "got status $XT_CODE"
			;;
		*)
			tap_ok "GET $path with a forged token is refused \
($XT_CODE)"
			;;
		esac
	done
	sleep 0.2
	expect_no_api_line "those requests never reached xtoken-api" "$n"
}

# xt_front_checks URL PASSES_BODY: what every front server must do, in
# order: good tokens reach the api with the caller's identity, every
# attack is refused before the api.
xt_front_checks()
{
	[ "$XT_TLS" = yes ] && xt_tls_checks "$1"
	xt_accepting_checks "$1"
	xt_identity_checks "$1"
	xt_refusing_checks "$1" "$2"
}
