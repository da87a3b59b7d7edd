#!/bin/sh
# Copyright (c) 2026 The xtoken developers
# SPDX-License-Identifier: MIT
#
# xtoken-api keeps its answers while the database does not change: through
# a real lighttpd with deploy/lighttpd/xtoken.conf, every change another
# process commits (insert, update, delete; in rollback-journal mode and
# in WAL mode) must show in the very next answer, HEAD and /users/ID must
# answer as before, a file replaced by rename is read as SQLite reads it,
# and an answer the reader no longer takes is logged as not sent.  TAP
# output.

. "$(dirname "$0")/lib.sh"

require_cmd lighttpd lighttpd
require_common

CONF=$XTOKEN_SRCDIR/deploy/lighttpd/xtoken.conf
xt_init users-cache
xt_make_state
DB=$XT_STATE/xtoken.db

PORT=$(xt_free_port) || bail_out "no free port on 127.0.0.1"
URL=http://127.0.0.1:$PORT
XT_APP_LOG=$XT_STATE/log/xtoken.log
XT_ACCESS_LOG=$XT_STATE/log/lighttpd-access.log
export XTOKEN_ROOT="$XT_STATE" XTOKEN_BINDIR="$XT_STATE/bin" \
    XTOKEN_PORT="$PORT"
unset XTOKEN_CONFIG XTOKEN_KEYS XTOKEN_DB XTOKEN_LISTEN XTOKEN_THREADS

xt_start lighttpd lighttpd -D -f "$CONF"
xt_wait_http "$URL/" 10 ||
    bail_out "lighttpd did not answer on $URL: $(cat \
    "$XT_STATE/log/lighttpd.out" "$XT_STATE/log/lighttpd-error.log" \
    2>/dev/null)"

# db_exec SQL...: run each statement in its own transaction from another
# process, as an operator or a writer service would.
db_exec()
{
	"$PYTHON" - "$DB" "$@" 2>"$XT_STATE/log/db.err" <<'PY' ||
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for sql in sys.argv[2:]:
    db.execute(sql).fetchall()
db.close()
PY
	    bail_out "changing $DB failed: $(tail -n 1 "$XT_STATE/log/db.err")"
}

# get_matches DESC [ID]: GET /users (or /users/ID) answers 200 with
# exactly what the database holds now.  Two requests, so both processes
# lighttpd runs are likely asked, each with its own cache.
get_matches()
{
	for try in 1 2; do
		expect_status "$1 (request $try)" 200 \
		    header=Content-Type:json -- \
		    -H "x-token: $(mint_pyjwt "$APP1")" "$URL/users${2:+/$2}" &&
		    tap_check "$1: the body is the database (request $try)" \
		    users_match_db "${2:-}"
	done
}

get_matches "first answer"
get_matches "answer from the cache"
get_matches "one user" 2

db_exec "INSERT INTO users (id, name, email, created_at) VALUES (5,
    'Zoë \"Q\" back\\slash / tab	end', 'zoe@example.org', 'now')"
get_matches "after an insert"
get_matches "the inserted user" 5

db_exec "UPDATE users SET name = 'Robert Nguyen' WHERE id = 2"
get_matches "after an update"
get_matches "the updated user" 2

db_exec "DELETE FROM users WHERE id = 3"
get_matches "after a delete"
expect_status "the deleted user is gone" 404 body='"not_found"' -- \
    -H "x-token: $(mint_pyjwt "$APP1")" "$URL/users/3"

# HEAD: the same header block as GET, no body.
xt_request -H "x-token: $(mint_pyjwt "$APP1")" "$URL/users"
get_len=$(wc -c <"$XT_STATE/last.body")
expect_status "HEAD /users: 200 with GET's Content-Length" 200 \
    "header=Content-Length:^$get_len\$" -- --head \
    -H "x-token: $(mint_pyjwt "$APP1")" "$URL/users"

# A file replaced by rename: SQLite goes on reading the file it opened,
# and the cache, on the same file, must agree with it.
get_matches "before the rename"
cp "$XT_STATE/last.body" "$XT_STATE/before-rename.body"
"$PYTHON" - "$DB" "$XT_STATE/new.db" 2>"$XT_STATE/log/db.err" <<'PY' ||
import sqlite3, sys
old = sqlite3.connect(sys.argv[1])
new = sqlite3.connect(sys.argv[2])
old.backup(new)
new.execute("UPDATE users SET name = 'Renamed In' WHERE id = 1")
new.commit()
PY
    bail_out "cannot make the new database: $(cat "$XT_STATE/log/db.err")"
mv "$XT_STATE/new.db" "$DB" || bail_out "cannot rename the new database"
for try in 1 2; do
	expect_status "after a rename: 200 (request $try)" 200 -- \
	    -H "x-token: $(mint_pyjwt "$APP1")" "$URL/users" &&
	    tap_check "after a rename: the file the api has open (request \
$try)" cmp -s "$XT_STATE/before-rename.body" "$XT_STATE/last.body"
done

# The api must start again to read the new file; then every check holds
# for it too.
xt_stop_server
xt_start lighttpd-again lighttpd -D -f "$CONF"
xt_wait_http "$URL/" 10 || bail_out "lighttpd did not start again on $URL"
get_matches "the renamed file after a restart"

# An answer larger than a socket buffer, whose reader closes before
# reading it: the write fails, and the log line says so.
db_exec "WITH RECURSIVE n(i) AS (SELECT 100 UNION ALL SELECT i + 1 FROM n
    WHERE i < 3099) INSERT INTO users (id, name, email, created_at)
    SELECT i, printf('%.200c', 'x'), 'u' || i || '@example.org', 'now'
    FROM n"
get_matches "a large answer"
n=$(xt_count "$XT_APP_LOG" 'could not be sent')
"$PYTHON" - "$TOOLS" "unix:$XT_STATE/run/api.sock-0" "$APP1" <<'PY' ||
import sys, time
sys.path.insert(0, sys.argv[1])
import fcgi_raw
s = fcgi_raw.connect(sys.argv[2])
s.sendall(fcgi_raw.request_bytes([("REQUEST_METHOD", "GET"),
    ("REQUEST_URI", "/users"), ("APP_ID", sys.argv[3])], "RESPONDER"))
time.sleep(1)
s.close()
PY
    bail_out "cannot talk to xtoken-api on its socket"
if xt_wait_count "$XT_APP_LOG" 'could not be sent' $((n + 1)); then
	tap_ok "a reader that closed early: the answer is logged as not sent"
else
	tap_not_ok "a reader that closed early: the answer is logged as not" \
	    "sent" "$(grep -- "$API_LINE" "$XT_APP_LOG" | tail -n 2)"
fi
get_matches "still serving after a failed send"

db_exec "PRAGMA journal_mode = WAL"
get_matches "after the switch to WAL"
db_exec "INSERT INTO users (id, name, email, created_at) VALUES (6,
    'Wal Writer', 'wal@example.org', 'now')"
get_matches "WAL: after an insert"
db_exec "UPDATE users SET email = 'alice@example.net' WHERE id = 1"
get_matches "WAL: after an update"
db_exec "DELETE FROM users WHERE id = 6"
get_matches "WAL: after a delete"

tap_done
