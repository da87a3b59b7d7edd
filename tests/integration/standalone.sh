#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# The programs as daemons on their own sockets (--listen, --threads), as
# the unit files in deploy/systemd/ run them, talked to directly over
# FastCGI (tests/tools/inflight.py): they listen only where told, log
# one line at start and one at stop, and SIGTERM stops them promptly in
# threaded mode too, after finishing the requests in flight.  TAP output.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/front.sh"

require_common

xt_init standalone
xt_make_state
s=$XT_STATE
AUTHZ=$s/bin/xtoken-authorizer
API=$s/bin/xtoken-api
SOCK=unix:$s/run/authorizer.sock
TOK=$(mint_pyjwt "$APP1") || bail_out "pyjwt_mint.py failed"

# expect_exit DESC STATUS PATTERN COMMAND...: COMMAND exits with STATUS
# and its output matches PATTERN.
expect_exit()
{
	desc=$1 want=$2 pattern=$3
	shift 3
	out=$("$@" 2>&1 </dev/null)
	got=$?
	if [ "$got" -eq "$want" ] &&
	    printf '%s\n' "$out" | grep -q -- "$pattern"; then
		tap_ok "$desc"
	else
		tap_not_ok "$desc" "expected status $want and \"$pattern\"," \
		    "got $got: $out"
	fi
}

# --- where it listens --------------------------------------------------------

expect_exit "no --listen and no socket from a web server: exit 2" 2 \
    "not a listening socket" "$AUTHZ" --keys "$s/keys"
expect_exit "--listen :PORT (every interface by accident) is refused" 2 \
    "give the host" "$AUTHZ" --keys "$s/keys" --listen ":9"
expect_exit "--listen with a host name is refused (no lookups)" 2 \
    "not an IP address" "$AUTHZ" --keys "$s/keys" --listen "localhost:9"
expect_exit "xtoken-api: --listen :PORT is refused too" 2 \
    "give the host" "$API" --db "$s/xtoken.db" --listen ":9"

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
xt_service tcp "$AUTHZ" --keys "$s/keys" --listen "127.0.0.1:$PORT" \
    --threads 2
pid=$XT_SERVICE_PID
xt_wait_listening "$pid" "$s/log/tcp.log" 10 ||
    bail_out "xtoken-authorizer on 127.0.0.1:$PORT did not start: $(cat \
    "$s/log/tcp.log")"
hexport=$(printf '%04X' "$PORT")
bound=$(awk -v p=":$hexport" '$2 ~ p"$" && $4 == "0A" { print $2 }' \
    /proc/net/tcp /proc/net/tcp6 | sort -u | tr '\n' ' ')
if [ "$bound" = "0100007F:$hexport " ]; then
	tap_ok "--listen 127.0.0.1:PORT listens on 127.0.0.1 only"
else
	tap_not_ok "--listen 127.0.0.1:PORT listens on 127.0.0.1 only" \
	    "listening sockets on port $PORT: ${bound:-none}"
fi
out=$("$PYTHON" "$TOOLS/fcgi_raw.py" "127.0.0.1:$PORT" \
    "HTTP_X_TOKEN=$TOK" REQUEST_URI=/users)
case $out in
*"Variable-APP_ID: $APP1"*) tap_ok "it answers there" ;;
*) tap_not_ok "it answers there" "answer: $out" ;;
esac

# --- one line at start, one at stop ------------------------------------------

start=$(grep ' info: starting ' "$s/log/tcp.log")
case $start in
*"starting "*"OpenSSL "*"json-c "*"2 keys"*"listening on 127.0.0.1:$PORT"*)
	tap_ok "start-up line: version, OpenSSL, json-c, keys, address"
	;;
*)
	tap_not_ok "start-up line: version, OpenSSL, json-c, keys, address" \
	    "got: $start"
	;;
esac
extra=$(grep -v -e ' info: starting ' -e ' decision=' "$s/log/tcp.log")
if [ -z "$extra" ]; then
	tap_ok "start-up is one line; then one line per decision"
else
	tap_not_ok "start-up is one line; then one line per decision" \
	    "other lines: $extra"
fi
kill "$pid"
if xt_wait_gone "$pid" 20; then
	tap_ok "idle with 2 threads: SIGTERM stops it within 2 s"
else
	tap_not_ok "idle with 2 threads: SIGTERM stops it within 2 s"
fi
wait "$pid"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(xt_count "$s/log/tcp.log" 'SIGTERM')" -eq 1 ] &&
    tail -n 1 "$s/log/tcp.log" | grep -q ' info: stopped on SIGTERM$'; then
	tap_ok "clean stop: exit status 0 and one line, \"stopped on SIGTERM\""
else
	tap_not_ok "clean stop: exit status 0 and one line" \
	    "exit status $rc; log: $(tail -n 3 "$s/log/tcp.log")"
fi

# --- a request in flight when SIGTERM comes ----------------------------------

xt_service inflight "$AUTHZ" --keys "$s/keys" --listen "$SOCK" --threads 4
pid=$XT_SERVICE_PID
xt_wait_listening "$pid" "$s/log/inflight.log" 10 ||
    bail_out "xtoken-authorizer did not start: $(cat "$s/log/inflight.log")"
GO=$s/go
"$PYTHON" "$TOOLS/inflight.py" partial "$SOCK" "$GO" "$TOK" \
    >"$s/partial.out" 2>&1 &
client=$!
XT_PIDS="$XT_PIDS $client"
i=0
until grep -q ready "$s/partial.out" 2>/dev/null || [ "$i" -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.2
kill "$pid"
sleep 0.5
if kill -0 "$pid" 2>/dev/null; then
	tap_ok "SIGTERM with half a request read: still running"
else
	tap_not_ok "SIGTERM with half a request read: still running" \
	    "it exited and dropped the request"
fi
if "$PYTHON" "$TOOLS/fcgi_raw.py" "$SOCK" "HTTP_X_TOKEN=$TOK" \
    >/dev/null 2>&1; then
	tap_not_ok "after SIGTERM no new request is accepted"
else
	tap_ok "after SIGTERM no new request is accepted"
fi
: >"$GO"
wait "$client"
case $(cat "$s/partial.out") in
*"Status: 200"*"Variable-APP_ID: $APP1"*)
	tap_ok "the request in flight got its complete answer"
	;;
*)
	tap_not_ok "the request in flight got its complete answer" \
	    "$(cat "$s/partial.out")"
	;;
esac
if xt_wait_gone "$pid" 20; then
	tap_ok "then it stopped within 2 s"
else
	tap_not_ok "then it stopped within 2 s"
fi
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] && tap_ok "exit status 0" ||
    tap_not_ok "exit status 0" "got $rc"

# --- SIGTERM under load ------------------------------------------------------

# Every request the authorizer decided on must reach its client whole;
# requests still waiting to be accepted are turned away at the socket,
# which a web server sees as a backend that is gone.
xt_service load "$AUTHZ" --keys "$s/keys" --listen "$SOCK" --threads 4
pid=$XT_SERVICE_PID
xt_wait_listening "$pid" "$s/log/load.log" 10 ||
    bail_out "xtoken-authorizer did not start: $(cat "$s/log/load.log")"
"$PYTHON" "$TOOLS/inflight.py" hammer "$SOCK" "$TOK" 2 6 \
    >"$s/hammer.out" 2>&1 &
client=$!
XT_PIDS="$XT_PIDS $client"
sleep 0.8
kill "$pid"
stopped=no
xt_wait_gone "$pid" 20 && stopped=yes
wait "$client"
counts=$(cat "$s/hammer.out")
decided=$(xt_count "$s/log/load.log" ' decision=allow ')
answered=$(printf '%s\n' "$counts" | sed -n 's/.*answered=\([0-9]*\).*/\1/p')
tap_diag "under load: $counts; $decided decisions logged"
if [ "$stopped" = yes ]; then
	tap_ok "under load with 4 threads: SIGTERM stops it within 2 s"
else
	tap_not_ok "under load with 4 threads: SIGTERM stops it within 2 s"
fi
case $counts in
*" wrong=0 "*)
	tap_ok "under load: no wrong answer"
	;;
*)
	tap_not_ok "under load: no wrong answer" "$counts"
	;;
esac
if [ "${answered:-0}" -gt 0 ] && [ "$answered" -eq "$decided" ]; then
	tap_ok "under load: every decided request was answered whole \
($answered)"
else
	tap_not_ok "under load: every decided request was answered whole" \
	    "$decided decisions logged, $counts"
fi

# --- decision lines held back (--log-flush) ----------------------------------

# ask PORT: one request with a valid token, answer thrown away.
ask()
{
	"$PYTHON" "$TOOLS/fcgi_raw.py" "127.0.0.1:$1" "HTTP_X_TOKEN=$TOK" \
	    REQUEST_URI=/users >/dev/null
}

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
xt_service held "$AUTHZ" --keys "$s/keys" --listen "127.0.0.1:$PORT" \
    --log-flush 3000
pid=$XT_SERVICE_PID
xt_wait_listening "$pid" "$s/log/held.log" 10 ||
    bail_out "xtoken-authorizer --log-flush did not start: $(cat \
    "$s/log/held.log")"
ask "$PORT"
if [ "$(xt_count "$s/log/held.log" ' decision=')" -eq 0 ]; then
	tap_ok "--log-flush 3000: a decision line is held at first"
else
	tap_not_ok "--log-flush 3000: a decision line is held at first" \
	    "$(tail -n 1 "$s/log/held.log")"
fi
i=0
while [ "$(xt_count "$s/log/held.log" ' decision=')" -eq 0 ] &&
    [ "$i" -lt 60 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ "$i" -ge 25 ] && [ "$i" -lt 45 ]; then
	tap_ok "and written after about 3 s with no further request"
else
	tap_not_ok "and written after about 3 s with no further request" \
	    "waited $i tenths of a second"
fi
ask "$PORT"
ask "$PORT"
kill "$pid"
xt_wait_gone "$pid" 20
wait "$pid"
if [ "$(xt_count "$s/log/held.log" ' decision=allow ')" -eq 3 ] &&
    tail -n 1 "$s/log/held.log" | grep -q ' info: stopped on SIGTERM$'; then
	tap_ok "SIGTERM writes the held lines, then the stop line"
else
	tap_not_ok "SIGTERM writes the held lines, then the stop line" \
	    "log: $(tail -n 4 "$s/log/held.log")"
fi

# --- xtoken-api behaves the same ---------------------------------------------

xt_service api "$API" --db "$s/xtoken.db" --listen "unix:$s/run/api.sock" \
    --threads 4
pid=$XT_SERVICE_PID
xt_wait_listening "$pid" "$s/log/api.log" 10 ||
    bail_out "xtoken-api did not start: $(cat "$s/log/api.log")"
kill -HUP "$pid"
sleep 0.3
if kill -0 "$pid" 2>/dev/null; then
	tap_ok "xtoken-api: SIGHUP does not stop it"
else
	tap_not_ok "xtoken-api: SIGHUP does not stop it"
fi
kill "$pid"
if xt_wait_gone "$pid" 20 && wait "$pid"; then
	tap_ok "xtoken-api with 4 threads: SIGTERM stops it, exit status 0"
else
	tap_not_ok "xtoken-api with 4 threads: SIGTERM stops it, exit status 0"
fi

tap_done
