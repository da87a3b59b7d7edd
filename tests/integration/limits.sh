#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# Rate limits, replay refusal and metrics through real lighttpd running
# four authorizer processes per host (max-procs 4), with requests sent in
# parallel so that several processes answer:
#
# 1. one host, state_file: the burst of one application is counted once
#    over all four processes, a token used twice is refused even when the
#    two uses reach different processes, and the metrics served at
#    metrics_path and printed by --metrics count exactly the requests sent;
# 2. two hosts (two lighttpd, two state files) sharing one redis-server
#    started here on 127.0.0.1: the rate and the replay memory hold across
#    hosts; then Redis is stopped: the host with redis_failure = refuse
#    answers 503 and the one with allow goes on with its own state, both
#    say so once in their logs, and authentication still works; Redis
#    comes back and the hosts use it again.
#
# Every loop is bounded in count; every request has a time limit.  TAP.

. "$(dirname "$0")/lib.sh"

require_cmd lighttpd lighttpd
require_cmd redis-server redis-server
require_common

xt_init limits
xt_make_state
S=$XT_STATE

unset XTOKEN_CONFIG XTOKEN_KEYS XTOKEN_DB XTOKEN_RATE XTOKEN_BURST \
    XTOKEN_LIMITS XTOKEN_REPLAY XTOKEN_STATE_FILE XTOKEN_REDIS \
    XTOKEN_REDIS_FAILURE XTOKEN_METRICS_PATH XTOKEN_LISTEN XTOKEN_THREADS

# write_lighttpd HOST PORT METRICS_PORT: $S/HOST.lighttpd.conf, a
# variant of deploy/lighttpd/xtoken.conf with four authorizer processes
# and the authorizer also serving metrics_path as a Responder on a second
# loopback port.  The programs read $S/HOST.xtoken.conf.
write_lighttpd()
{
	cat >"$S/$1.lighttpd.conf" <<EOF
server.modules = ( "mod_fastcgi", "mod_accesslog" )
server.bind = "127.0.0.1"
server.port = $2
server.tag = "xtoken"
server.document-root = "$S/www"
server.errorlog = "$S/log/$1-error.log"
server.pid-file = "$S/run/$1.pid"
accesslog.filename = "$S/log/$1-access.log"
server.breakagelog = "$S/log/$1.log"
var.authz = (
	"bin-path" => "$S/bin/xtoken-authorizer",
	"check-local" => "disable",
	"connect-timeout" => 3, "write-timeout" => 5, "read-timeout" => 5,
	"bin-environment" => ( "XTOKEN_CONFIG" => "$S/$1.xtoken.conf" ),
)
fastcgi.server = (
	"/users" => (
		"xtoken-authorizer" => var.authz + (
			"mode" => "authorizer",
			"socket" => "$S/run/$1-authz.sock",
			"max-procs" => 4,
		),
		"xtoken-api" => (
			"mode" => "responder",
			"bin-path" => "$S/bin/xtoken-api",
			"socket" => "$S/run/$1-api.sock",
			"max-procs" => 1,
			"check-local" => "disable",
			"bin-environment" => ( "XTOKEN_DB" => "$S/xtoken.db" ),
		),
	),
)
\$SERVER["socket"] == "127.0.0.1:$3" {
	fastcgi.server = (
		"/metrics" => (
			"xtoken-metrics" => var.authz + (
				"mode" => "responder",
				"socket" => "$S/run/$1-metrics.sock",
				"max-procs" => 1,
			),
		),
	)
}
EOF
}

# start_host HOST: start lighttpd for HOST; sets HOST_URL_<HOST> etc.
start_host()
{
	port=$(xt_free_port) && mport=$(xt_free_port) ||
	    bail_out "no free port on 127.0.0.1"
	write_lighttpd "$1" "$port" "$mport"
	lighttpd -tt -f "$S/$1.lighttpd.conf" >"$S/log/$1-test.out" 2>&1 ||
	    bail_out "lighttpd rejects $1.lighttpd.conf: $(cat \
	    "$S/log/$1-test.out")"
	xt_start "$1" lighttpd -D -f "$S/$1.lighttpd.conf"
	eval "PID_$1=\$XT_SERVER_PID URL_$1=http://127.0.0.1:$port" \
	    "MURL_$1=http://127.0.0.1:$mport/metrics"
	xt_wait_http "http://127.0.0.1:$port/" 10 ||
	    bail_out "lighttpd $1 did not answer: $(cat \
	    "$S/log/$1-error.log" "$S/log/$1.out" 2>/dev/null)"
	# The authorizers start on the first request; make all four exist.
	sleep 0.5
}

# mint_many APP N [jti|nojti]: N tokens of APP, one per line, each with
# a fresh jti unless nojti; one Python process for all of them.
mint_many()
{
	"$PYTHON" - "$TOOLS" "$S/clients/${1}_private.pem" "$1" "$2" \
	    "${3:-jti}" <<'PY'
import sys, time, uuid
sys.path.insert(0, sys.argv[1])
import pyjwt_mint
key = open(sys.argv[2], "rb").read()
now = int(time.time())
for i in range(int(sys.argv[4])):
    extra = {"jti": str(uuid.uuid4())} if sys.argv[5] == "jti" else {}
    print(pyjwt_mint.pyjwt_encode(
        pyjwt_mint.claims(sys.argv[3], now, 300, extra=extra), key,
        "RS512"))
PY
}

# send_parallel URL TOKEN_FILE OUT: one GET of URL per token, eight at a
# time; OUT gets one status code per line.
send_parallel()
{
	xargs -P 8 -I '{}' curl -s -o /dev/null -w '%{http_code}\n' \
	    --max-time 10 -H 'x-token: {}' "$1" <"$2" >"$3"
}

# expect_counts DESC OUT N200 NOTHER OTHER: OUT holds exactly N200 lines
# 200 and NOTHER lines OTHER, nothing else.
expect_counts()
{
	got200=$(grep -cx 200 "$2")
	gotother=$(grep -cx "$5" "$2")
	total=$(wc -l <"$2")
	if [ "$got200" -eq "$3" ] && [ "$gotother" -eq "$4" ] &&
	    [ "$total" -eq $(($3 + $4)) ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "expected $3 x 200 and $4 x $5, got:" \
		    "$(sort "$2" | uniq -c | tr '\n' ' ')"
	fi
}

# expect_processes DESC LOG N: decisions in LOG came from at least N
# authorizer processes.
expect_processes()
{
	procs=$(sed -n 's/.*xtoken-authorizer\[\([0-9]*\)\].*decision=.*/\1/p' \
	    "$2" | sort -u | wc -l)
	if [ "$procs" -ge "$3" ]; then
		tap_ok "$1 ($procs processes decided)"
	else
		tap_not_ok "$1" "only $procs authorizer processes decided"
	fi
}

# metric TEXT_FILE NAME_AND_LABELS: the value of one sample, 0 if absent.
metric()
{
	v=$(awk -v k="$2" '$1 == k { print $2; exit }' "$1")
	echo "${v:-0}"
}

expect_metric()
{
	got=$(metric "$2" "$3")
	if [ "$got" = "$4" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1" "$3 is $got, expected $4"
	fi
}

# --- 1. one host, four processes, one state file ---------------------------

printf '%s 0 1\n' "$APP2" >"$S/limits"
cat >"$S/one.xtoken.conf" <<EOF
keys = $S/keys
rate = 1/min
burst = 5
limits = $S/limits
replay = yes
state_file = $S/run/one.state
metrics_path = /metrics
EOF
start_host one

mint_many "$APP1" 16 >"$S/rate.tokens"
send_parallel "$URL_one/users" "$S/rate.tokens" "$S/rate.out"
expect_counts "one host: burst 5 over 4 processes gives exactly 5 x 200" \
    "$S/rate.out" 5 11 429
expect_processes "one host: the burst was spread over the processes" \
    "$S/log/one.log" 2

tok=$(mint_many "$APP1" 1)
expect_status "over the rate: 429 with Retry-After and reason" \
    429/rate_limited 'header=Retry-After:^[1-9][0-9]*$' \
    'noheader=WWW-Authenticate' -- -H "x-token: $tok" "$URL_one/users"

tok=$(mint_many "$APP2" 1)
yes "$tok" | head -n 8 >"$S/replay.tokens"
send_parallel "$URL_one/users" "$S/replay.tokens" "$S/replay.out"
expect_counts "one host: one token sent 8 times at once is let through once" \
    "$S/replay.out" 1 7 401
expect_status "a second use says replayed" 401/replayed \
    'header=WWW-Authenticate:error="invalid_token"' \
    -- -H "x-token: $tok" "$URL_one/users"
tok=$(mint_many "$APP2" 1 nojti)
expect_status "replay on: a token without jti is refused" 401/missing_jti \
    -- -H "x-token: $tok" "$URL_one/users"
expect_status "no token: counted as unverified" 401/no_token \
    -- "$URL_one/users"
expect_status "the metrics are not served on the public port" 404 \
    -- "$URL_one/metrics"

sleep 0.3
expect_status "metrics served at metrics_path" 200 \
    'header=Content-Type:^text/plain; version=0.0.4' \
    -- "$MURL_one"
cp "$S/last.body" "$S/metrics.txt"
expect_metric "metrics: allowed storefront requests" "$S/metrics.txt" \
    "xtoken_requests_total{app=\"$APP1\",reason=\"ok\"}" 5
expect_metric "metrics: rate-limited storefront requests" \
    "$S/metrics.txt" \
    "xtoken_requests_total{app=\"$APP1\",reason=\"rate_limited\"}" 12
expect_metric "metrics: allowed admin requests" "$S/metrics.txt" \
    "xtoken_requests_total{app=\"$APP2\",reason=\"ok\"}" 1
expect_metric "metrics: replayed admin requests" "$S/metrics.txt" \
    "xtoken_requests_total{app=\"$APP2\",reason=\"replayed\"}" 8
expect_metric "metrics: admin tokens without jti" "$S/metrics.txt" \
    "xtoken_requests_total{app=\"$APP2\",reason=\"missing_jti\"}" 1
expect_metric "metrics: requests without a token" "$S/metrics.txt" \
    "xtoken_requests_total{app=\".unverified\",reason=\"no_token\"}" 1
expect_metric "metrics: one latency sample per request" "$S/metrics.txt" \
    "xtoken_decision_seconds_count" 28
"$S/bin/xtoken-authorizer" --metrics --state-file "$S/run/one.state" \
    >"$S/metrics-cli.txt" 2>"$S/log/metrics-cli.err"
if diff "$S/metrics.txt" "$S/metrics-cli.txt" >/dev/null; then
	tap_ok "xtoken-authorizer --metrics prints the same counters"
else
	tap_not_ok "xtoken-authorizer --metrics prints the same counters" \
	    "$(diff "$S/metrics.txt" "$S/metrics-cli.txt" 2>&1 | head -5 |
	    tr '\n' ' ') $(cat "$S/log/metrics-cli.err")"
fi
out=$("$S/bin/xtoken-authorizer" --metrics --keys "$S/keys" 2>&1)
rc=$?
case $rc:$out in
2:*"no state_file is set"*)
	tap_ok "--metrics without a state_file: exit 2, naming the setting" ;;
*)
	tap_not_ok "--metrics without a state_file: exit 2, naming the setting" \
	    "exit $rc: $out" ;;
esac
mode=$(stat -c %a "$S/run/one.state")
tap_check "the state file has mode 0600 ($mode)" [ "$mode" = 600 ]
XT_SERVER_PID=$PID_one
xt_stop_server

# --- 2. two hosts sharing one Redis -----------------------------------------

RPORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
start_redis()
{
	xt_start "redis$1" redis-server --bind 127.0.0.1 --port "$RPORT" \
	    --save '' --appendonly no --dir "$S/run" --protected-mode yes
	REDIS_PID=$XT_SERVER_PID
	i=0
	until redis-cli -h 127.0.0.1 -p "$RPORT" ping 2>/dev/null |
	    grep -q PONG; do
		[ "$i" -lt 50 ] || bail_out "redis-server did not start: \
$(cat "$S/log/redis$1.out")"
		sleep 0.1
		i=$((i + 1))
	done
}
start_redis 1

for host in allow refuse; do
	cat >"$S/$host.xtoken.conf" <<EOF
keys = $S/keys
rate = 1/min
burst = 6
limits = $S/limits
replay = yes
state_file = $S/run/$host.state
redis = 127.0.0.1:$RPORT
redis_failure = $host
redis_timeout = 200
metrics_path = /metrics
EOF
	start_host "$host"
done

mint_many "$APP1" 12 >"$S/hosts.tokens"
: >"$S/hosts.out"
n=0
while read -r tok; do
	n=$((n + 1))
	if [ $((n % 2)) -eq 0 ]; then url=$URL_allow; else url=$URL_refuse; fi
	curl -s -o /dev/null -w '%{http_code}\n' --max-time 10 \
	    -H "x-token: $tok" "$url/users" >>"$S/hosts.out"
done <"$S/hosts.tokens"
expect_counts "two hosts: burst 6 across both gives exactly 6 x 200" \
    "$S/hosts.out" 6 6 429

tok=$(mint_many "$APP2" 1)
expect_status "two hosts: first use on one host" 200 \
    -- -H "x-token: $tok" "$URL_allow/users"
expect_status "two hosts: second use on the other is refused" \
    401/replayed -- -H "x-token: $tok" "$URL_refuse/users"

# Redis goes away.
XT_SERVER_PID=$REDIS_PID
xt_stop_server
tok=$(mint_many "$APP2" 1)
expect_status "redis down, refuse: a valid token gets 503" \
    503/unavailable 'header=Retry-After:^1$' \
    -- -H "x-token: $tok" "$URL_refuse/users"
expect_status "redis down, refuse: a forged token is still 401" \
    401/bad_signature \
    -- -H "x-token: $(mint_pyjwt "$ATTACKER" --app "$APP2")" \
    "$URL_refuse/users"
expect_status "redis down, refuse: no token is still 401" 401/no_token \
    -- "$URL_refuse/users"
expect_status "redis down, allow: a valid token goes through" 200 \
    -- -H "x-token: $tok" "$URL_allow/users"
expect_status "redis down, allow: its reuse on that host is refused" \
    401/replayed -- -H "x-token: $tok" "$URL_allow/users"

sleep 0.3
down=$(xt_count "$S/log/refuse.log" 'does not answer.*redis_failure = refuse')
tap_check "refuse host logged the outage once per process ($down)" \
    [ "$down" -ge 1 -a "$down" -le 5 ]
down=$(xt_count "$S/log/allow.log" 'does not answer.*redis_failure = allow')
tap_check "allow host logged the outage once per process ($down)" \
    [ "$down" -ge 1 -a "$down" -le 5 ]
curl -s --max-time 5 "$MURL_refuse" >"$S/metrics-refuse.txt"
expect_metric "metrics: the refused request is counted as unavailable" \
    "$S/metrics-refuse.txt" \
    "xtoken_requests_total{app=\"$APP2\",reason=\"unavailable\"}" 1
errors=$(metric "$S/metrics-refuse.txt" xtoken_redis_errors_total)
tap_check "metrics: Redis failures are counted ($errors)" [ "$errors" -ge 1 ]

# Redis comes back (empty); after the pause the hosts use it again.
start_redis 2
sleep 1.2
tok=$(mint_many "$APP2" 1)
expect_status "redis back: a valid token goes through" 200 \
    -- -H "x-token: $tok" "$URL_refuse/users"
expect_status "redis back: its reuse on the other host is refused" \
    401/replayed -- -H "x-token: $tok" "$URL_allow/users"
sleep 0.3
back=$(xt_count "$S/log/refuse.log" 'answers again')
tap_check "refuse host logged that Redis answers again ($back)" \
    [ "$back" -ge 1 ]

tap_done
