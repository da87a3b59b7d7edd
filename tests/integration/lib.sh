# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Shared helpers of the integration tests (sourced, POSIX sh): a private
# state directory, a free loopback port, starting a real web server and
# waiting for it, a cleanup trap that stops only what the test started,
# TAP output, and expect_status, which sends one request with curl and
# judges the answer.
#
# The caller sets nothing; when make check runs the test it exports
# XTOKEN_BUILDDIR (programs), XTOKEN_SRCDIR (deploy/ and tests/tools/) and
# XTOKEN_MATERIAL.  Run by hand from a built tree, both default to the
# directory two levels above the script.

LC_ALL=C
export LC_ALL
umask 022

PYTHON=/usr/bin/python3

: "${XTOKEN_SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${XTOKEN_BUILDDIR:=$XTOKEN_SRCDIR}"
export XTOKEN_SRCDIR XTOKEN_BUILDDIR

TOOLS=$XTOKEN_SRCDIR/tests/tools

# --- TAP -----------------------------------------------------------------

tap_n=0
tap_failed=0

# tap_ok DESC: record a passed check.
tap_ok()
{
	tap_n=$((tap_n + 1))
	printf 'ok %d - %s\n' "$tap_n" "$1"
}

# tap_not_ok DESC [DIAGNOSTIC...]: record a failed check; each further
# argument becomes a "# " line explaining expected against seen.
tap_not_ok()
{
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	printf 'not ok %d - %s\n' "$tap_n" "$1"
	shift
	for line in "$@"; do
		printf '# %s\n' "$line"
	done
}

# tap_check DESC COMMAND...: ok when COMMAND succeeds.
tap_check()
{
	desc=$1
	shift
	if "$@"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "command failed: $*"
	fi
}

tap_diag()
{
	printf '# %s\n' "$*"
}

# tap_done: print the plan last (TAP allows it) and exit; the exit status
# says whether every check passed.
tap_done()
{
	# In a sanitizer build a FastCGI program's report goes to the web
	# server's log, not to this test: look for it there.
	if [ -n "$XT_STATE" ] && [ -d "$XT_STATE/log" ]; then
		if grep -rlE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
		    "$XT_STATE/log" >/dev/null 2>&1; then
			tap_not_ok "no sanitizer report in the servers' logs" \
			    "$(grep -rhE 'ERROR: (Address|Leak)Sanitizer|runtime error:' \
			    "$XT_STATE/log" | head -n 3)"
		else
			tap_ok "no sanitizer report in the servers' logs"
		fi
	fi
	printf '1..%d\n' "$tap_n"
	if [ "$tap_failed" -ne 0 ]; then
		tap_diag "$tap_failed of $tap_n checks failed;" \
		    "state kept in $XT_STATE"
		XT_KEEP=1
		exit 1
	fi
	exit 0
}

# skip_all REASON: nothing can run here.  Under automake's TAP driver a
# "1..0 # SKIP" plan marks the whole script skipped; a non-zero exit
# (such as 77) would count as an error there.
skip_all()
{
	printf '1..0 # SKIP %s\n' "$*"
	exit 0
}

# bail_out REASON: the set-up failed, the checks cannot run.
bail_out()
{
	printf 'Bail out! %s\n' "$*"
	XT_KEEP=1
	exit 1
}

# --- requirements ----------------------------------------------------------

# require_cmd NAME PACKAGE: skip unless NAME is installed.
require_cmd()
{
	command -v "$1" >/dev/null 2>&1 ||
	    skip_all "$1 is not installed (Debian package $2)"
}

require_common()
{
	require_cmd curl curl
	require_cmd openssl openssl
	[ -x "$PYTHON" ] || skip_all "$PYTHON is missing (package python3)"
	"$PYTHON" -c 'import jwt, cryptography' 2>/dev/null ||
	    skip_all "PyJWT is missing (Debian package python3-jwt)"
	for prog in authorizer/xtoken-authorizer api/xtoken-api \
	    tools/xtoken-mint; do
		[ -x "$XTOKEN_BUILDDIR/$prog" ] ||
		    bail_out "$XTOKEN_BUILDDIR/$prog is missing: run make first"
	done
}

# --- state directory and processes ----------------------------------------

XT_STATE=
XT_KEEP=0
XT_PIDS=

# Stop what we started: the server first (it stops its FastCGI children),
# then any program still running from our state directory (the private
# copies of the programs), each by PID.
xt_cleanup()
{
	for pid in $XT_PIDS; do
		kill "$pid" 2>/dev/null
	done
	for pid in $XT_PIDS; do
		xt_wait_gone "$pid" 50 || kill -9 "$pid" 2>/dev/null
	done
	if [ -n "$XT_STATE" ]; then
		for pid in $(xt_pids_running_from "$XT_STATE"); do
			kill "$pid" 2>/dev/null
		done
		sleep 0.2
		for pid in $(xt_pids_running_from "$XT_STATE"); do
			kill -9 "$pid" 2>/dev/null
		done
		if [ "$XT_KEEP" -eq 0 ] && [ -z "${XTOKEN_KEEP_STATE:-}" ]; then
			rm -rf -- "$XT_STATE"
		fi
	fi
}

# xt_stop_server: stop the server xt_start started last, by its PID.
xt_stop_server()
{
	kill "$XT_SERVER_PID" 2>/dev/null
	xt_wait_gone "$XT_SERVER_PID" 100 ||
	    kill -9 "$XT_SERVER_PID" 2>/dev/null
	wait "$XT_SERVER_PID" 2>/dev/null
	XT_PIDS=$(printf '%s\n' $XT_PIDS | grep -vx "$XT_SERVER_PID" |
	    tr '\n' ' ')
}

# xt_make_hang_bin: hangbin/, a program directory like bin/ whose
# xtoken-authorizer accepts the web server's socket and never answers
# (it is our copy of sleep, so the cleanup finds it by its path).
xt_make_hang_bin()
{
	h=$XT_STATE/hangbin
	mkdir -p "$h" && cp "$XT_STATE/bin/xtoken-api" "$h/" &&
	    cp "$(command -v sleep)" "$h/sleep" ||
	    bail_out "cannot lay out $h"
	printf '#!/bin/sh\nexec "$(dirname "$0")/sleep" 120\n' \
	    >"$h/xtoken-authorizer"
	chmod 0755 "$h"/*
}

# xt_hang_check URL SECONDS: with the hanging authorizer in front, a
# request must end with an error within SECONDS and never reach the api.
xt_hang_check()
{
	before=$(xt_count "$XT_APP_LOG" "$API_LINE")
	started=$(date +%s)
	xt_request --max-time "$2" -H "x-token: $(mint_pyjwt "$APP1")" \
	    "$1/users"
	took=$(($(date +%s) - started))
	case $XT_CODE in
	000 | 200)
		tap_not_ok "hung authorizer: the request fails within $2 s" \
		    "got status $XT_CODE after $took s"
		;;
	*)
		tap_ok "hung authorizer: status $XT_CODE after $took s"
		;;
	esac
	expect_no_api_line "hung authorizer: xtoken-api never reached" \
	    "$before"
}

# xt_wait_gone PID TENTHS: wait up to TENTHS/10 s for PID to exit.
xt_wait_gone()
{
	i=0
	while kill -0 "$1" 2>/dev/null; do
		[ "$i" -lt "$2" ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 0
}

# PIDs whose executable lives in DIR: our private copies of the programs,
# whatever process started them.
xt_pids_running_from()
{
	for exe in /proc/[0-9]*/exe; do
		target=$(readlink "$exe" 2>/dev/null) || continue
		case $target in
		"$1"/*)
			pid=${exe#/proc/}
			printf '%s\n' "${pid%/exe}"
			;;
		esac
	done
}

# xt_init NAME: private state directory and the cleanup trap.  The
# directory is mode 0755 because Apache started as root runs the programs
# as www-data, which must traverse it; it lies under the build tree when
# www-data can reach that, else under /tmp.
xt_init()
{
	base=$XTOKEN_BUILDDIR/tests/tmp
	mkdir -p "$base" 2>/dev/null && chmod 0755 "$base" 2>/dev/null ||
	    base=${TMPDIR:-/tmp}
	if [ "$(id -u)" -eq 0 ] && command -v runuser >/dev/null 2>&1 &&
	    ! runuser -u www-data -- test -x "$base" 2>/dev/null; then
		base=/tmp
	fi
	# Unix socket paths hold at most 107 bytes, and the servers put theirs
	# under the state directory: a deep build tree (make distcheck in a
	# long path) must not push them over.
	[ "${#base}" -le 48 ] || base=/tmp
	# mkdir fails if the name exists, so the directory is ours alone; a
	# directory kept by an earlier failed run may hold the first name.
	i=0
	until mkdir -m 0755 "$base/$1.$$.$i" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -lt 100 ] ||
		    bail_out "cannot create a state directory in $base"
	done
	XT_STATE=$base/$1.$$.$i
	trap xt_cleanup EXIT
	# A signal, even a closed output pipe, must still run the cleanup.
	trap 'exit 1' HUP INT PIPE TERM
	tap_diag "state directory $XT_STATE"
}

# xt_make_state: the layout the deploy/ configurations expect, with a
# private copy of the programs (a rebuild during the test cannot swap
# them, and www-data can always read them), keys for two applications
# (app1=storefront, app2=admin) and an unregistered attacker, and the demo
# database.
APP1=storefront
APP2=admin
ATTACKER=intruder

xt_make_state()
{
	s=$XT_STATE
	mkdir -p "$s/bin" "$s/keys" "$s/clients" "$s/run" "$s/log" \
	    "$s/www" || bail_out "cannot lay out $s"
	for prog in authorizer/xtoken-authorizer api/xtoken-api \
	    tools/xtoken-mint; do
		cp "$XTOKEN_BUILDDIR/$prog" "$s/bin/" ||
		    bail_out "cannot copy $prog"
	done
	chmod 0755 "$s/bin"/*
	for app in "$APP1" "$APP2" "$ATTACKER"; do
		"$XTOKEN_SRCDIR/deploy/xtoken-keygen" "$app" "$s/clients" \
		    >/dev/null || bail_out "xtoken-keygen $app failed"
	done
	cp "$s/clients/${APP1}_public.pem" "$s/clients/${APP2}_public.pem" \
	    "$s/keys/" || bail_out "cannot install the public keys"
	"$s/bin/xtoken-api" --init-db "$s/xtoken.db" >"$s/log/init-db.out" \
	    2>&1 || bail_out "xtoken-api --init-db failed: $(cat \
	    "$s/log/init-db.out")"
	chmod 0644 "$s/xtoken.db"
	"$s/bin/xtoken-authorizer" --check --keys "$s/keys" \
	    >"$s/log/check.out" 2>&1 ||
	    bail_out "xtoken-authorizer --check failed: $(cat \
	    "$s/log/check.out")"
}

# xt_free_port: print a TCP port on 127.0.0.1 that nobody listens on now.
xt_free_port()
{
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# xt_start NAME COMMAND...: start a server in the background (its output
# goes to log/NAME.out) and remember its PID for the cleanup.
xt_start()
{
	name=$1
	shift
	"$@" >"$XT_STATE/log/$name.out" 2>&1 &
	XT_PIDS="$XT_PIDS $!"
	XT_SERVER_PID=$!
}

# xt_wait_http URL SECONDS: wait until URL gives any HTTP answer.
xt_wait_http()
{
	i=0
	while [ "$i" -lt $(($2 * 10)) ]; do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 \
		    ${XT_CACERT:+--cacert "$XT_CACERT"} "$1" 2>/dev/null)
		[ "$code" != "000" ] && [ -n "$code" ] && return 0
		kill -0 "$XT_SERVER_PID" 2>/dev/null || return 1
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# --- requests --------------------------------------------------------------

# xt_request ARGS...: one curl request; sets XT_CODE (HTTP status, 000 if
# none), XT_CURL_RC, and leaves the answer in $XT_STATE/last.headers and
# $XT_STATE/last.body.  "--raw HEADER_FILE URL" sends the request with
# send_raw.py instead, for headers larger than curl will send.  When
# XT_CACERT is set, an https server's certificate must chain to it.
xt_request()
{
	: >"$XT_STATE/last.headers"
	: >"$XT_STATE/last.body"
	if [ "$1" = --raw ]; then
		XT_CODE=$("$PYTHON" "$TOOLS/send_raw.py" "$3" "$2" \
		    "$XT_STATE/last.headers" "$XT_STATE/last.body" \
		    ${XT_CACERT:+"$XT_CACERT"} </dev/null)
		XT_CURL_RC=$?
	else
		XT_CODE=$(curl -s ${XT_CACERT:+--cacert "$XT_CACERT"} \
		    -o "$XT_STATE/last.body" \
		    -D "$XT_STATE/last.headers" -w '%{http_code}' \
		    --max-time 20 "$@" </dev/null 2>/dev/null)
		XT_CURL_RC=$?
	fi
	[ -n "$XT_CODE" ] || XT_CODE=000
}

# status_matches CODE EXPECTED: EXPECTED is 200, 401, "400|401" or
# "refused" (any 4xx).  Over HTTPS a server may also refuse an oversized
# request by ending the connection or the HTTP/2 stream before it has
# read it all, and its answer is lost: "refused" then also takes no
# status when curl saw the server close (exit 16, 52, 56 or 92), never
# after a timeout or a failed connect.
status_matches()
{
	case $2 in
	refused)
		case $1 in 4??) return 0 ;; esac
		if [ "$1" = 000 ] && [ "${XT_TLS:-no}" = yes ]; then
			case ${XT_CURL_RC:-0} in
			16 | 52 | 56 | 92) return 0 ;;
			esac
		fi
		return 1
		;;
	*)
		case "|$2|" in *"|$1|"*) return 0 ;; esac
		return 1
		;;
	esac
}

# The reason the authorizer gave in its JSON body, empty when the web
# server did not pass that body on.
xt_body_reason()
{
	sed -n 's/.*"reason":"\([a-z_]*\)".*/\1/p' "$XT_STATE/last.body" |
	    head -n 1
}

xt_header_value()
{
	tr -d '\r' <"$XT_STATE/last.headers" |
	    sed -n "s/^$1: *//Ip" | head -n 1
}

# xt_count FILE PATTERN: lines of FILE matching the basic regex PATTERN.
xt_count()
{
	if [ -f "$1" ]; then
		grep -c -- "$2" "$1"
	else
		echo 0
	fi
}

# Log lines of xtoken-api about a request (not its start-up lines).
API_LINE='xtoken-api\[[0-9]*\].* app='

# xt_wait_count FILE PATTERN N: wait up to 2 s until FILE has N matches
# (a program's log line may land just after the client got its answer).
xt_wait_count()
{
	i=0
	while [ "$(xt_count "$1" "$2")" -lt "$3" ] && [ "$i" -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(xt_count "$1" "$2")" -ge "$3" ]
}

# expect_status DESC EXPECTED [CHECK...] -- CURL_ARGS...
#
# EXPECTED as for status_matches, optionally followed by "/reason": the
# reason the JSON body must name when the web server passes it on.
# CHECKs, each judged on the same answer:
#   body=STRING      the body contains STRING
#   header=NAME      the answer carries header NAME
#   header=NAME:RE   ... and its value matches the extended regex RE
#   noheader=NAME    the answer has no header NAME
#   noheader=NAME:RE ... or its value does not match RE
# Prints one TAP line; returns 0 when every part held.
expect_status()
{
	desc=$1
	want=${2%%/*}
	reason=
	case $2 in */*) reason=${2#*/} ;; esac
	shift 2
	checks=
	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		checks="$checks
$1"
		shift
	done
	[ $# -gt 0 ] && shift

	xt_request "$@"
	problems=
	if ! status_matches "$XT_CODE" "$want"; then
		problems="expected status $want, got $XT_CODE (curl exit \
$XT_CURL_RC)"
	fi
	if [ -n "$reason" ]; then
		got=$(xt_body_reason)
		if [ -n "$got" ] && [ "$got" != "$reason" ]; then
			problems="$problems${problems:+; }expected reason \
$reason, got $got"
		fi
	fi
	old_ifs=$IFS
	IFS='
'
	for check in $checks; do
		IFS=$old_ifs
		xt_judge "$check" || problems="$problems${problems:+; }$XT_WHY"
	done
	IFS=$old_ifs

	if [ -z "$problems" ]; then
		tap_ok "$desc"
		return 0
	fi
	tap_not_ok "$desc" "$problems" \
	    "headers: $(tr -d '\r' <"$XT_STATE/last.headers" | head -n 12 |
	    tr '\n' '|')" \
	    "body: $(head -c 300 "$XT_STATE/last.body" | tr '\n' ' ')"
	return 1
}

# xt_judge CHECK: one check of expect_status; sets XT_WHY when it fails.
xt_judge()
{
	XT_WHY=
	case $1 in
	body=*)
		grep -qF -- "${1#body=}" "$XT_STATE/last.body" && return 0
		XT_WHY="body lacks '${1#body=}'"
		;;
	header=*:*)
		spec=${1#header=}
		value=$(xt_header_value "${spec%%:*}")
		printf '%s\n' "$value" | grep -qE -- "${spec#*:}" && return 0
		XT_WHY="header ${spec%%:*} is '$value', expected /${spec#*:}/"
		;;
	header=*)
		tr -d '\r' <"$XT_STATE/last.headers" |
		    grep -qi "^${1#header=}:" && return 0
		XT_WHY="header ${1#header=} missing"
		;;
	noheader=*:*)
		spec=${1#noheader=}
		value=$(xt_header_value "${spec%%:*}")
		printf '%s\n' "$value" | grep -qE -- "${spec#*:}" || return 0
		XT_WHY="header ${spec%%:*} is '$value', must not match \
/${spec#*:}/"
		;;
	noheader=*)
		tr -d '\r' <"$XT_STATE/last.headers" |
		    grep -qi "^${1#noheader=}:" || return 0
		XT_WHY="header ${1#noheader=} present"
		;;
	*)
		XT_WHY="unknown check '$1'"
		;;
	esac
	return 1
}

# --- checks shared by every front server ------------------------------------

# users_match_db [ID]: the last body is the users table (or row ID) of
# the test database, as JSON.
users_match_db()
{
	"$PYTHON" - "$XT_STATE/xtoken.db" "$XT_STATE/last.body" "${1:-}" \
	    <<'PY'
import json, sqlite3, sys
db, body, one = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [{"id": r[0], "name": r[1], "email": r[2]} for r in
        sqlite3.connect("file:%s?mode=ro" % db, uri=True).execute(
            "SELECT id, name, email FROM users ORDER BY id")]
with open(body, encoding="utf-8") as f:
    got = json.load(f)
if one:
    want = [r for r in rows if r["id"] == int(one)][0]
else:
    want = rows
if got != want or not rows:
    sys.stderr.write("expected %r, got %r\n" % (want, got))
    sys.exit(1)
PY
}

# mint_pyjwt APP [ARGS...]: a token from PyJWT, signed with APP's key.
mint_pyjwt()
{
	app=$1
	shift
	"$PYTHON" "$TOOLS/pyjwt_mint.py" --app "$app" \
	    --key "$XT_STATE/clients/${app}_private.pem" "$@"
}

mint_xtoken()
{
	"$XT_STATE/bin/xtoken-mint" --app "$1" \
	    --key "$XT_STATE/clients/${1}_private.pem"
}

# expect_api_line DESC APP N: the api log has N request lines, the last
# one naming APP: the authorizer's APP_ID reached the responder.
expect_api_line()
{
	if ! xt_wait_count "$XT_APP_LOG" "$API_LINE" "$3"; then
		tap_not_ok "$1" "expected $3 xtoken-api request lines in" \
		    "$XT_APP_LOG, found $(xt_count "$XT_APP_LOG" "$API_LINE")"
		return 1
	fi
	last=$(grep -- "$API_LINE" "$XT_APP_LOG" | tail -n 1)
	case $last in
	*"app=\"$2\""*)
		tap_ok "$1"
		;;
	*)
		tap_not_ok "$1" "expected app=\"$2\" in: $last"
		;;
	esac
}

# expect_no_api_line DESC N: the api log still has exactly N request
# lines: the request never reached the responder.
expect_no_api_line()
{
	got=$(xt_count "$XT_APP_LOG" "$API_LINE")
	if [ "$got" -eq "$2" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "xtoken-api logged $got request lines," \
		    "expected $2: a refused request reached the responder:" \
		    "$(grep -- "$API_LINE" "$XT_APP_LOG" | tail -n 1)"
	fi
}

# xt_accepting_checks URL: good tokens from PyJWT and from xtoken-mint,
# both ways of sending them, both applications; the answer is the
# database's users and the responder's log names the caller.
xt_accepting_checks()
{
	url=$1
	n=$(xt_count "$XT_APP_LOG" "$API_LINE")

	tok=$(mint_pyjwt "$APP1") || bail_out "pyjwt_mint.py failed"
	expect_status "PyJWT token in x-token: 200" 200 \
	    header=Content-Type:json -- -H "x-token: $tok" "$url/users"
	tap_check "PyJWT token: body is the users table of the database" \
	    users_match_db
	n=$((n + 1))
	expect_api_line "PyJWT token: xtoken-api got APP_ID=$APP1" "$APP1" "$n"

	tok=$(mint_xtoken "$APP1") || bail_out "xtoken-mint failed"
	expect_status "xtoken-mint token in x-token: 200" 200 \
	    -- -H "x-token: $tok" "$url/users"
	tap_check "xtoken-mint token: body is the users table" users_match_db
	n=$((n + 1))
	expect_api_line "xtoken-mint token: APP_ID=$APP1 reached the api" \
	    "$APP1" "$n"

	expect_status "xtoken-mint token as Authorization: Bearer: 200" 200 \
	    -- -H "Authorization: Bearer $tok" "$url/users"
	tap_check "Bearer: body is the users table" users_match_db
	n=$((n + 1))
	expect_api_line "Bearer: APP_ID=$APP1 reached the api" "$APP1" "$n"

	tok=$(mint_pyjwt "$APP2") || bail_out "pyjwt_mint.py failed"
	expect_status "PyJWT token of $APP2 in Bearer: 200" 200 \
	    -- -H "Authorization: Bearer $tok" "$url/users/2"
	tap_check "/users/2 is row 2 of the database" users_match_db 2
	n=$((n + 1))
	expect_api_line "second application: APP_ID=$APP2 reached the api" \
	    "$APP2" "$n"

	tok=$(mint_xtoken "$APP2")
	expect_status "unknown user id through the authorizer: 404" 404 \
	    -- -H "x-token: $tok" "$url/users/999999"
	n=$((n + 1))
	XT_API_EXPECTED=$n
}

# xt_refusing_checks URL PASSES_BODY: no token, then every request of
# tests/tools/cases.py.  PASSES_BODY is yes when the web server hands the
# authorizer's JSON body to the client, so its reason can be checked.
xt_refusing_checks()
{
	url=$1
	n=$XT_API_EXPECTED

	expect_status "no token: 401 with a Bearer challenge without error=" \
	    401/no_token 'header=WWW-Authenticate:^Bearer realm="xtoken"$' \
	    -- "$url/users"
	expect_no_api_line "no token: the request never reached xtoken-api" \
	    "$n"

	"$PYTHON" "$TOOLS/cases.py" --clients "$XT_STATE/clients" \
	    --app1 "$APP1" --app2 "$APP2" --attacker "$ATTACKER" \
	    --probe-url "$url" --out "$XT_STATE/cases" \
	    >"$XT_STATE/cases.tsv" 2>"$XT_STATE/log/cases.err" ||
	    bail_out "cases.py failed: $(cat "$XT_STATE/log/cases.err")"

	tab=$(printf '\t')
	while IFS=$tab read -r id expected file desc; do
		xt_case "$url" "$id" "$expected" "$file" "$desc" "$2"
	done <"$XT_STATE/cases.tsv"

	sleep 0.3
	expect_no_api_line "xtoken-api answered exactly the accepted requests" \
	    "$n"
	probes=$(xt_count "$XT_ACCESS_LOG" '-probe')
	if [ "$probes" -eq 0 ]; then
		tap_ok "no jku/x5u URL from a token header was fetched"
	else
		tap_not_ok "no jku/x5u URL from a token header was fetched" \
		    "$probes requests for a probe URL in $XT_ACCESS_LOG"
	fi

	tok=$(mint_pyjwt "$APP1")
	expect_status "still serving good tokens after the attacks" 200 \
	    -- -H "x-token: $tok" "$url/users"
	n=$((n + 1))
	XT_API_EXPECTED=$n
}

# xt_case URL ID EXPECTED FILE DESC PASSES_BODY: one row of cases.py.
xt_case()
{
	case_status=${3%%/*}
	case_expect=$3
	[ "$6" = yes ] || case_expect=$case_status
	case_before=$(xt_count "$XT_APP_LOG" "$API_LINE")
	# curl sends headers from a file, up to its own 1 MiB cap.
	case_how=-H
	case_arg=@$4
	if [ "$(wc -c <"$4")" -gt 524288 ]; then
		case_how=--raw
		case_arg=$4
	fi

	case $case_status in
	401 | "400|401")
		# The authorizer's refusal: its challenge reaches the client.
		expect_status "$2: $5" "$case_expect" \
		    'header=WWW-Authenticate:^Bearer realm="xtoken"' \
		    -- "$case_how" "$case_arg" "$1/users"
		;;
	*)
		expect_status "$2: $5" "$case_expect" \
		    -- "$case_how" "$case_arg" "$1/users"
		;;
	esac

	if [ "$case_status" = 200 ]; then
		n=$((n + 1))
		xt_wait_count "$XT_APP_LOG" "$API_LINE" "$n" ||
		    tap_diag "$2: no xtoken-api line for an accepted request"
	elif [ "$(xt_count "$XT_APP_LOG" "$API_LINE")" -ne "$case_before" ]
	then
		tap_not_ok "$2: refused request never reached xtoken-api" \
		    "xtoken-api logged a request line for it"
	fi
}

# xt_other_paths URL PATH...: each PATH, sent with a forged token, is
# refused (never 200, never an error of ours), and none of them reached
# xtoken-api: no other way to the responder than the gated one.
xt_other_paths()
{
	url=$1
	shift
	n=$XT_API_EXPECTED
	for path in "$@"; do
		xt_request --path-as-is -H "x-token: forged" "$url$path"
		desc="GET $path with a forged token is refused"
		case $XT_CODE in
		200 | 5??) tap_not_ok "$desc" "got status $XT_CODE" ;;
		*) tap_ok "$desc ($XT_CODE)" ;;
		esac
	done
	sleep 0.2
	expect_no_api_line "those requests never reached xtoken-api" "$n"
}

# xt_authorizer_down URL: stop the external authorizer; a good token is
# then refused with an error and never reaches xtoken-api.
xt_authorizer_down()
{
	n=$XT_API_EXPECTED
	kill "$XT_AUTHORIZER_PID"
	xt_wait_gone "$XT_AUTHORIZER_PID" 50 ||
	    bail_out "xtoken-authorizer did not stop on SIGTERM"
	tok=$(mint_pyjwt "$APP1")
	xt_request -H "x-token: $tok" "$1/users"
	case $XT_CODE in
	5??)
		tap_ok "authorizer stopped: a good token gets $XT_CODE"
		;;
	*)
		tap_not_ok "authorizer stopped: a good token is refused with" \
		    "5xx: got status $XT_CODE"
		;;
	esac
	expect_no_api_line "authorizer stopped: xtoken-api never reached" "$n"
}
