/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The /users resource: read-only SQLite queries answered as JSON, and
 * answers kept while the database does not change.
 */
#include "autoconf.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <sqlite3.h>

#include "errbuf.h"
#include "fcgisrv.h"
#include "jsonbuf.h"
#include "ucache.h"
#include "users.h"
#include "xtlog.h"

/* A path longer than this cannot be one of ours. */
#define USERS_PATH_MAX		256
/* How much of an untrusted value goes into a log line. */
#define USERS_LOG_PATH		200
#define USERS_LOG_VALUE		64
#define USERS_LOG_KEY		128
/* Ids are JSON numbers, exact in every client only up to 2^53. */
#define USERS_ID_MAX		9007199254740992LL
#define USERS_BUSY_MS		2000

static const char users_sql_list[] =
	"SELECT id, name, email FROM users ORDER BY id";
static const char users_sql_one[] =
	"SELECT id, name, email FROM users WHERE id = ?1";
static const char users_sql_count[] =
	"SELECT count(*) FROM users";

static const char users_sql_schema[] =
	"CREATE TABLE IF NOT EXISTS users ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" email TEXT NOT NULL UNIQUE,"
	" created_at TEXT NOT NULL);";

/* Demo rows; OR IGNORE keeps a second run from adding them twice. */
static const char users_sql_demo[] =
	"INSERT OR IGNORE INTO users (id, name, email, created_at) VALUES"
	" (1, 'Alice Martin', 'alice@example.org', %s),"
	" (2, 'Bob Nguyen', 'bob@example.org', %s),"
	" (3, 'Chloe Dubois', 'chloe@example.org', %s),"
	" (4, 'David Okafor', 'david@example.org', %s);";
#define USERS_SQL_NOW	"strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

struct users_conn {
	sqlite3		*db;
	sqlite3_stmt	*list;
	sqlite3_stmt	*one;
};

struct users_db {
	struct ucache	 *cache;
	pthread_mutex_t	  lock;
	pthread_cond_t	  freed;
	int		  nconn;
	struct users_conn *conns;
	struct users_conn **idle;	/* stack of free connections */
	int		  nidle;
};

enum users_route {
	USERS_ROUTE_NONE,
	USERS_ROUTE_LIST,
	USERS_ROUTE_ONE
};

/* What came in, as far as answering and logging need it. */
struct users_request {
	const char	*method;
	const char	*uri;
	const char	*app_id;
	const char	*key_id;	/* KEY_ID: the key that verified */
	const char	*client;
	const char	*role;
	char		 path[USERS_PATH_MAX + 1];
	int		 path_too_long;
};

/* What goes out; one reference to ans is owned. */
struct users_reply {
	int			 status;
	struct ucache_answer	*ans;	/* NULL when out of memory */
	int			 allow;	/* send "Allow: GET, HEAD" */
	const char		*note;	/* why, for the log line */
};

/* What is sent when not even the answer could be made. */
#define USERS_OOM_BODY	"{\"error\":\"internal_error\"}"
static const char users_answer_oom[] =
	"Status: 500 Internal Server Error\r\n"
	"Content-Type: application/json\r\n"
	"Content-Length: 26\r\n"
	"Cache-Control: no-store\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"\r\n"
	USERS_OOM_BODY;
_Static_assert(sizeof(USERS_OOM_BODY) - 1 == 26,
    "the Content-Length of users_answer_oom is its body's length");

/* ---- creating the database (--init-db) ---- */

static int
users_exec(sqlite3 *db, const char *sql, const char *path, char *err,
    size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	errbuf_set(err, errlen, "cannot initialise database %s: %s", path,
	    msg != NULL ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int
users_init_db(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	char *demo = NULL;
	int before, r = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		errbuf_set(err, errlen, "cannot create database %s: %s "
		    "(does its directory exist and is it writable?)", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, USERS_BUSY_MS);
	demo = sqlite3_mprintf(users_sql_demo, USERS_SQL_NOW, USERS_SQL_NOW,
	    USERS_SQL_NOW, USERS_SQL_NOW);
	if (demo == NULL) {
		errbuf_set(err, errlen, "out of memory");
		goto out;
	}

	if (users_exec(db, "BEGIN IMMEDIATE", path, err, errlen) != 0)
		goto out;
	before = sqlite3_total_changes(db);
	if (users_exec(db, users_sql_schema, path, err, errlen) != 0 ||
	    users_exec(db, demo, path, err, errlen) != 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	r = sqlite3_total_changes(db) - before;
	if (users_exec(db, "COMMIT", path, err, errlen) != 0)
		r = -1;
 out:
	sqlite3_free(demo);
	sqlite3_close(db);
	return r;
}

/* ---- opening the database for serving ---- */

/* Say what to do, not only what SQLite found. */
static void
users_open_error(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	const char *msg = db != NULL ? sqlite3_errmsg(db) : "out of memory";

	if (access(path, F_OK) != 0 && errno == ENOENT)
		errbuf_set(err, errlen, "database %s does not exist: create "
		    "it with xtoken-api --init-db %s", path, path);
	else if (strstr(msg, "no such table") != NULL ||
	    strstr(msg, "no such column") != NULL)
		errbuf_set(err, errlen, "database %s has no usable users "
		    "table (%s): run xtoken-api --init-db %s", path, msg,
		    path);
	else
		errbuf_set(err, errlen, "cannot read database %s: %s", path,
		    msg);
}

static int
users_conn_open(struct users_conn *c, const char *path, char *err,
    size_t errlen)
{
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;

	if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(c->db, USERS_BUSY_MS) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, users_sql_list, -1, &c->list,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, users_sql_one, -1, &c->one,
	    NULL) != SQLITE_OK) {
		users_open_error(c->db, path, err, errlen);
		return -1;
	}
	return 0;
}

static void
users_conn_close(struct users_conn *c)
{
	sqlite3_finalize(c->list);
	sqlite3_finalize(c->one);
	sqlite3_close(c->db);
	memset(c, 0, sizeof(*c));
}

struct users_db *
users_open(const char *path, int nconn, char *err, size_t errlen)
{
	struct users_db *udb;
	int i;

	if (path == NULL || nconn < 1) {
		errbuf_set(err, errlen, "no database configured");
		return NULL;
	}
	if ((udb = calloc(1, sizeof(*udb))) == NULL) {
		errbuf_set(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&udb->lock, NULL);
	pthread_cond_init(&udb->freed, NULL);
	/* Before SQLite opens the file: see ucache.c on POSIX locks. */
	if ((udb->cache = ucache_open(path, err, errlen)) == NULL) {
		/* A missing file gets the advice to create it. */
		if (access(path, F_OK) != 0 && errno == ENOENT)
			users_open_error(NULL, path, err, errlen);
		goto fail;
	}
	udb->conns = calloc((size_t)nconn, sizeof(*udb->conns));
	udb->idle = calloc((size_t)nconn, sizeof(*udb->idle));
	if (udb->conns == NULL || udb->idle == NULL) {
		errbuf_set(err, errlen, "out of memory");
		goto fail;
	}

	for (i = 0; i < nconn; i++) {
		udb->nconn++;
		if (users_conn_open(&udb->conns[i], path, err, errlen) != 0)
			goto fail;
		udb->idle[udb->nidle++] = &udb->conns[i];
	}
	return udb;
 fail:
	users_close(udb);
	return NULL;
}

void
users_close(struct users_db *udb)
{
	int i;

	if (udb == NULL)
		return;
	for (i = 0; i < udb->nconn; i++)
		users_conn_close(&udb->conns[i]);
	ucache_close(udb->cache);
	pthread_mutex_destroy(&udb->lock);
	pthread_cond_destroy(&udb->freed);
	free(udb->conns);
	free(udb->idle);
	free(udb);
}

/* There are as many connections as threads, so this rarely waits. */
static struct users_conn *
users_take(struct users_db *udb)
{
	struct users_conn *c;

	pthread_mutex_lock(&udb->lock);
	while (udb->nidle == 0)
		pthread_cond_wait(&udb->freed, &udb->lock);
	c = udb->idle[--udb->nidle];
	pthread_mutex_unlock(&udb->lock);
	return c;
}

static void
users_give(struct users_db *udb, struct users_conn *c)
{
	pthread_mutex_lock(&udb->lock);
	udb->idle[udb->nidle++] = c;
	pthread_cond_signal(&udb->freed);
	pthread_mutex_unlock(&udb->lock);
}

long
users_count(struct users_db *udb)
{
	struct users_conn *c = users_take(udb);
	sqlite3_stmt *st = NULL;
	long n = -1;

	if (sqlite3_prepare_v2(c->db, users_sql_count, -1, &st, NULL) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	users_give(udb, c);
	return n;
}

/* ---- queries ---- */

/* {"id":N,"name":"...","email":"..."}, in the order json-c kept. */
static void
users_row_add(struct jsonbuf *jb, sqlite3_stmt *st)
{
	const char *name = (const char *)sqlite3_column_text(st, 1);
	const char *email = (const char *)sqlite3_column_text(st, 2);

	jsonbuf_add(jb, "{\"id\":", 6);
	jsonbuf_add_int64(jb, sqlite3_column_int64(st, 0));
	jsonbuf_add(jb, ",\"name\":", 8);
	jsonbuf_add_string(jb, name != NULL ? name : "");
	jsonbuf_add(jb, ",\"email\":", 9);
	jsonbuf_add_string(jb, email != NULL ? email : "");
	jsonbuf_add(jb, "}", 1);
}

/* Every user ordered by id into jb; 0, or -1 if the query failed. */
static int
users_query_list(struct users_conn *c, struct jsonbuf *jb)
{
	int rc, n = 0;

	jsonbuf_add(jb, "[", 1);
	while ((rc = sqlite3_step(c->list)) == SQLITE_ROW) {
		if (n++ > 0)
			jsonbuf_add(jb, ",", 1);
		users_row_add(jb, c->list);
	}
	jsonbuf_add(jb, "]", 1);
	sqlite3_reset(c->list);

	if (rc != SQLITE_DONE || jb->failed) {
		xtlog_error("listing users failed: %s", rc == SQLITE_DONE ?
		    "out of memory" : sqlite3_errmsg(c->db));
		return -1;
	}
	return 0;
}

/*
 * One user into jb: returns 1 when found, 0 if there is no such id, -1
 * if the query failed.
 */
static int
users_query_one(struct users_conn *c, long long id, struct jsonbuf *jb)
{
	int rc, r = -1;

	if (sqlite3_bind_int64(c->one, 1, id) != SQLITE_OK)
		goto out;
	rc = sqlite3_step(c->one);
	if (rc == SQLITE_DONE)
		r = 0;
	else if (rc == SQLITE_ROW) {
		users_row_add(jb, c->one);
		r = jb->failed ? -1 : 1;
	}
 out:
	if (r < 0)
		xtlog_error("reading user %lld failed: %s", id, jb->failed ?
		    "out of memory" : sqlite3_errmsg(c->db));
	sqlite3_reset(c->one);
	sqlite3_clear_bindings(c->one);
	return r;
}

/*
 * Run the query of route inside one read transaction, and while its
 * shared lock is held, read the database header into hdr.  Returns what
 * the query returned; *keep says whether the answer may be cached for
 * that header.
 */
static int
users_query(struct users_db *udb, struct users_conn *c,
    enum users_route route, long long id, struct jsonbuf *jb,
    unsigned char hdr[UCACHE_HDR], int *keep)
{
	int found;

	*keep = 0;
	if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		xtlog_error("starting a read of the database failed: %s",
		    sqlite3_errmsg(c->db));
		return -1;
	}

	if (route == USERS_ROUTE_LIST)
		found = users_query_list(c, jb) == 0 ? 1 : -1;
	else
		found = users_query_one(c, id, jb);
	if (found >= 0)
		*keep = ucache_check_locked(udb->cache, c->db, hdr);

	if (sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		*keep = 0;
	}
	return found;
}

/* ---- routing ---- */

/*
 * A decimal id from 1 to 2^53 without sign or leading zeros, so each
 * user has exactly one URL and nothing a client sends is rounded.
 */
static int
users_parse_id(const char *s, long long *id)
{
	long long n = 0;
	size_t i;

	if (s[0] < '1' || s[0] > '9')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 16)
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	if (n > USERS_ID_MAX)
		return -1;
	*id = n;
	return 0;
}

/*
 * The path is matched as sent (no percent-decoding and no dot-segment
 * removal), so only the canonical spellings of our URLs are served.
 */
static enum users_route
users_route_path(const struct users_request *rq, long long *id)
{
	static const char prefix[] = "/users/";

	if (rq->path_too_long)
		return USERS_ROUTE_NONE;
	if (strcmp(rq->path, "/users") == 0 || strcmp(rq->path, prefix) == 0)
		return USERS_ROUTE_LIST;
	if (strncmp(rq->path, prefix, sizeof(prefix) - 1) == 0 &&
	    users_parse_id(rq->path + sizeof(prefix) - 1, id) == 0)
		return USERS_ROUTE_ONE;
	return USERS_ROUTE_NONE;
}

static const char *
users_status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	default:
		return "Internal Server Error";
	}
}

/*
 * The header block and body as one answer, so GET sends it all and HEAD
 * its first head_len bytes.  The header block is formatted with snprintf:
 * libfcgi's own printf does not know every conversion of the C library.
 */
static struct ucache_answer *
users_render(int status, int allow, const struct jsonbuf *body)
{
	char head[512];
	int n;

	if (body->failed)
		return NULL;
	n = snprintf(head, sizeof(head),
	    "Status: %d %s\r\n"
	    "Content-Type: application/json\r\n"
	    "Content-Length: %zu\r\n"
	    "Cache-Control: no-store\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "%s"
	    "\r\n",
	    status, users_status_text(status), body->len,
	    allow ? "Allow: GET, HEAD\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof(head))
		return NULL;
	return ucache_answer_new(status, head, (size_t)n, body->data,
	    body->len);
}

static void
users_reply_json(struct users_reply *rep, int status,
    const struct jsonbuf *body)
{
	rep->status = status;
	rep->ans = users_render(status, rep->allow, body);
}

static void
users_reply_error(struct users_reply *rep, int status, const char *code,
    const char *note)
{
	struct jsonbuf jb;

	jsonbuf_init(&jb);
	jsonbuf_add(&jb, "{\"error\":", 9);
	jsonbuf_add_string(&jb, code);
	jsonbuf_add(&jb, "}", 1);
	rep->note = note;
	users_reply_json(rep, status, &jb);
	jsonbuf_free(&jb);
}

/*
 * The answer kept for this header if the database has not changed since
 * it was made (one pread), else a query, whose answer is kept when the
 * file allows it.
 */
static void
users_answer(struct users_db *udb, enum users_route route, long long id,
    struct users_reply *rep)
{
	unsigned char hdr[UCACHE_HDR];
	long long key = route == USERS_ROUTE_LIST ? 0 : id;
	struct users_conn *c;
	struct jsonbuf jb;
	int found, keep;

	if (ucache_read_header(udb->cache, hdr) == 0 &&
	    (rep->ans = ucache_get(udb->cache, key, hdr)) != NULL) {
		rep->status = rep->ans->status;
		return;
	}

	jsonbuf_init(&jb);
	c = users_take(udb);
	found = users_query(udb, c, route, id, &jb, hdr, &keep);
	users_give(udb, c);

	if (found < 0) {
		users_reply_error(rep, 500, "internal_error",
		    "database query failed");
		keep = 0;
	} else if (found == 0)
		users_reply_error(rep, 404, "not_found", NULL);
	else
		users_reply_json(rep, 200, &jb);
	jsonbuf_free(&jb);

	if (keep && rep->ans != NULL)
		ucache_put(udb->cache, key, hdr, rep->ans);
}

static int
users_method_ok(const char *method)
{
	return method != NULL &&
	    (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0);
}

/*
 * Decide the answer.  The checks that refuse come first, and the status
 * is always set, so no path leaves the web server to assume 200.
 */
static void
users_decide(struct users_db *udb, const struct users_request *rq,
    struct users_reply *rep)
{
	enum users_route route;
	long long id = 0;

	/*
	 * A responder answering in another role would be taken for an
	 * authorizer, and its 200 for a grant.
	 */
	if (rq->role == NULL || strcmp(rq->role, "RESPONDER") != 0) {
		users_reply_error(rep, 500, "wrong_role", "xtoken-api is "
		    "configured in a role other than responder");
		return;
	}
	/*
	 * lighttpd and Apache set APP_ID only from the authorizer's
	 * Variable-APP_ID (client headers arrive as HTTP_*), so its absence
	 * means this responder is reachable without the authorizer.
	 */
	if (rq->app_id == NULL || rq->app_id[0] == '\0') {
		users_reply_error(rep, 403, "no_caller_identity", "no APP_ID "
		    "from the authorizer: xtoken-api must be reachable only "
		    "behind xtoken-authorizer");
		return;
	}

	route = users_route_path(rq, &id);
	if (route == USERS_ROUTE_NONE) {
		users_reply_error(rep, 404, "not_found", NULL);
		return;
	}
	if (!users_method_ok(rq->method)) {
		rep->allow = 1;
		users_reply_error(rep, 405, "method_not_allowed", NULL);
		return;
	}
	users_answer(udb, route, id, rep);
}

/* ---- the request ---- */

static void
users_read_request(FCGX_Request *req, struct users_request *rq)
{
	size_t len;

	memset(rq, 0, sizeof(*rq));
	rq->method = fcgisrv_param(req, "REQUEST_METHOD");
	rq->uri = fcgisrv_param(req, "REQUEST_URI");
	rq->app_id = fcgisrv_param(req, "APP_ID");
	rq->key_id = fcgisrv_param(req, "KEY_ID");
	rq->client = fcgisrv_param(req, "REMOTE_ADDR");
	rq->role = fcgisrv_param(req, "FCGI_ROLE");

	if (rq->uri == NULL)
		return;
	len = strcspn(rq->uri, "?#");
	if (len > USERS_PATH_MAX) {
		rq->path_too_long = 1;
		len = USERS_PATH_MAX;
	}
	memcpy(rq->path, rq->uri, len);
	rq->path[len] = '\0';
}

/*
 * Write the answer; returns 0, or -1 if the connection failed.  The
 * streams are closed here rather than flushed, so the answer, the end of
 * stdout and FCGI_END_REQUEST leave in one write: after a flush the web
 * server had the whole answer (it knows its Content-Length) and could
 * close before FCGX_Finish_r wrote FCGI_END_REQUEST, which then failed
 * with EPIPE.  stderr is closed first because the stream closed last
 * carries FCGI_END_REQUEST; FCGX_Finish_r finds both closed already.
 */
static int
users_send(FCGX_Request *req, const struct users_request *rq,
    const struct users_reply *rep)
{
	const char *data = users_answer_oom;
	size_t len = sizeof(users_answer_oom) - 1;
	size_t head_len = len - (sizeof(USERS_OOM_BODY) - 1);
	int err_rc, out_rc;

	if (rep->ans != NULL) {
		data = rep->ans->data;
		len = rep->ans->len;
		head_len = rep->ans->head_len;
	}
	if (rq->method != NULL && strcmp(rq->method, "HEAD") == 0)
		len = head_len;
	if (len > INT_MAX ||
	    FCGX_PutStr(data, (int)len, req->out) != (int)len)
		return -1;

	err_rc = FCGX_FClose(req->err);
	out_rc = FCGX_FClose(req->out);
	return err_rc == 0 && out_rc == 0 ? 0 : -1;
}

static void
users_log(const struct users_request *rq, const struct users_reply *rep,
    int send_failed)
{
	struct xtlog_msg m;
	int warn = rep->status >= 403 && rep->note != NULL;

	xtlog_msg_start(&m);
	xtlog_msg_add(&m, "request method=\"");
	xtlog_msg_add_value(&m, rq->method, 16);
	xtlog_msg_add(&m, "\" path=\"");
	xtlog_msg_add_value(&m, rq->uri != NULL ? rq->path : NULL,
	    USERS_LOG_PATH);
	xtlog_msg_add(&m, "\" status=");
	xtlog_msg_add_long(&m, rep->status);
	xtlog_msg_add(&m, " app=\"");
	xtlog_msg_add_value(&m, rq->app_id, USERS_LOG_VALUE);
	xtlog_msg_add(&m, "\" key=\"");
	xtlog_msg_add_value(&m, rq->key_id, USERS_LOG_KEY);
	xtlog_msg_add(&m, "\" client=\"");
	xtlog_msg_add_value(&m, rq->client, USERS_LOG_VALUE);
	xtlog_msg_add(&m, "\"");

	if (warn) {
		xtlog_msg_add(&m, ": ");
		xtlog_msg_add(&m, rep->note);
		xtlog_msg_warn(&m);
		return;
	}
	if (send_failed)
		xtlog_msg_add(&m, ": the answer could not be sent "
		    "(connection closed)");
	xtlog_msg_info(&m);
}

void
users_handle(FCGX_Request *req, void *arg)
{
	struct users_db *udb = arg;
	struct users_request rq;
	struct users_reply rep;
	int send_failed;

	memset(&rep, 0, sizeof(rep));
	users_read_request(req, &rq);
	users_decide(udb, &rq, &rep);
	if (rep.ans == NULL) {
		rep.status = 500;
		rep.note = "out of memory making the answer";
	}
	send_failed = users_send(req, &rq, &rep) != 0;
	users_log(&rq, &rep, send_failed);
	ucache_answer_drop(rep.ans);
}
