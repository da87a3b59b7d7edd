/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The authorizer's request handling: find the token, ask the verifier,
 * answer the front server, log the decision.
 */
#include "autoconf.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "authz.h"
#include "guard.h"
#include "xtlog.h"

/* Longest untrusted value copied into a log line. */
#define AUTHZ_LOG_VALUE_MAX	200

/* The request parameters the authorizer reads, found in one pass. */
struct authz_params {
	const char	*role;		/* FCGI_ROLE */
	const char	*x_token;	/* HTTP_X_TOKEN */
	const char	*authorization;	/* HTTP_AUTHORIZATION */
	const char	*method;	/* REQUEST_METHOD */
	const char	*uri;		/* REQUEST_URI */
	const char	*script;	/* SCRIPT_NAME */
	const char	*client;	/* REMOTE_ADDR */
};

/* What the front server is told, decided before anything is written. */
struct authz_answer {
	int			 status;
	enum reason_code	 reason;
	struct verify_result	 result;
	long			 retry_after;	/* seconds; 0: none */
};

/* The credentials of "Bearer <token>"; the scheme is case-insensitive. */
static const char *
authz_bearer(const char *authorization)
{
	const char *p;

	if (authorization == NULL || strncasecmp(authorization, "Bearer", 6))
		return NULL;
	p = authorization + 6;
	if (*p != ' ')
		return NULL;
	while (*p == ' ')
		p++;
	return p;
}

enum reason_code
authz_find_token(const char *x_token, const char *authorization,
    const char **token, size_t *len)
{
	const char *bearer = authz_bearer(authorization);

	if (x_token != NULL && *x_token == '\0')
		x_token = NULL;
	if (bearer != NULL && *bearer == '\0')
		bearer = NULL;

	if (x_token != NULL && bearer != NULL && strcmp(x_token, bearer))
		return REASON_AMBIGUOUS_TOKEN;
	if (x_token == NULL && bearer == NULL)
		return REASON_NO_TOKEN;

	*token = x_token != NULL ? x_token : bearer;
	*len = strlen(*token);
	return REASON_OK;
}

/*
 * Walk the parameters once instead of searching them for each name; as
 * with FCGX_GetParam, the first of two equal names counts.
 */
static void
authz_read_params(FCGX_Request *req, struct authz_params *p)
{
	static const struct {
		const char	*name;
		size_t		 len;
		size_t		 offset;
	} wanted[] = {
#define AUTHZ_PARAM(name, field) \
	{ name "=", sizeof(name), offsetof(struct authz_params, field) }
		AUTHZ_PARAM("FCGI_ROLE", role),
		AUTHZ_PARAM("HTTP_X_TOKEN", x_token),
		AUTHZ_PARAM("HTTP_AUTHORIZATION", authorization),
		AUTHZ_PARAM("REQUEST_METHOD", method),
		AUTHZ_PARAM("REQUEST_URI", uri),
		AUTHZ_PARAM("SCRIPT_NAME", script),
		AUTHZ_PARAM("REMOTE_ADDR", client),
#undef AUTHZ_PARAM
	};
	const char **field;
	char **env;
	size_t i;

	memset(p, 0, sizeof(*p));
	for (env = req->envp; env != NULL && *env != NULL; env++) {
		for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
			if ((*env)[0] != wanted[i].name[0] ||
			    strncmp(*env, wanted[i].name, wanted[i].len) != 0)
				continue;
			field = (const char **)((char *)p + wanted[i].offset);
			if (*field == NULL)
				*field = *env + wanted[i].len;
			break;
		}
	}
}

/*
 * lighttpd and mod_fcgid call us as an Authorizer; nginx's auth_request
 * calls us as a Responder to a subrequest.  Anything else is a
 * misconfiguration that must not be answered with a 200.
 */
static int
authz_role_ok(const struct authz_params *p)
{
	const char *role = p->role;

	return role != NULL && (strcmp(role, "AUTHORIZER") == 0 ||
	    strcmp(role, "RESPONDER") == 0);
}

/*
 * nginx's auth_request passes on 2xx, 401 and 403 and turns any other
 * answer into 500, which would show a malformed token as our failure.
 * As a responder we therefore refuse it with 401; RFC 6750 allows 401
 * for any request whose token cannot be used.
 */
static void
authz_fit_role(const struct authz_params *p, struct authz_answer *ans)
{
	if (ans->status == 400 && p->role != NULL &&
	    strcmp(p->role, "RESPONDER") == 0)
		ans->status = 401;
}

static int64_t
authz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t
authz_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
authz_decide(const struct authz *az, const struct authz_params *p,
    struct authz_answer *ans)
{
	const char *token = NULL;
	size_t len = 0;

	memset(ans, 0, sizeof(*ans));
	ans->reason = REASON_INTERNAL;

	if (!authz_role_ok(p))
		goto out;

	ans->reason = authz_find_token(p->x_token, p->authorization, &token,
	    &len);
	if (ans->reason != REASON_OK)
		goto out;

	ans->reason = verifier_check(az->verifier, token, len,
	    (int64_t)time(NULL), &ans->result);
	if (ans->reason != REASON_OK)
		goto out;

	/* The route comes from what the web server sets, never from a
	 * header such as X-Original-URI that a client could send. */
	ans->reason = verifier_check_route(az->verifier, ans->result.app_id,
	    p->method, p->uri);
	if (ans->reason != REASON_OK || az->guard == NULL)
		goto out;

	/* On every request, cached token or not, and only after the token
	 * verified: nothing unauthenticated touches the shared state. */
	ans->reason = guard_check(az->guard, &ans->result, authz_now_ns(),
	    &ans->retry_after);

out:
	ans->status = reason_http_status(ans->reason);
	authz_fit_role(p, ans);
}

static const char *
authz_status_text(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return "Internal Server Error";
	}
}

/*
 * RFC 6750 section 3: no error code when the request carried no token,
 * and insufficient_scope for a valid token the access rules refuse.
 */
static const char *
authz_error_code(const struct authz_answer *ans)
{
	if (ans->reason == REASON_NO_TOKEN)
		return NULL;
	if (ans->status == 403)
		return "insufficient_scope";
	return ans->status == 400 ? "invalid_request" : "invalid_token";
}

static int
authz_write_refusal(const struct authz *az, FCGX_Request *req,
    const struct authz_answer *ans)
{
	const char *code = authz_error_code(ans);

	if (FCGX_FPrintF(req->out, "Status: %d %s\r\n", ans->status,
	    authz_status_text(ans->status)) < 0)
		return -1;
	if (ans->status < 429 && FCGX_FPrintF(req->out,
	    "WWW-Authenticate: Bearer realm=\"%s\"%s%s%s\r\n", az->realm,
	    code ? ", error=\"" : "", code ? code : "", code ? "\"" : "") < 0)
		return -1;
	if (ans->retry_after > 0 && FCGX_FPrintF(req->out,
	    "Retry-After: %ld\r\n", ans->retry_after) < 0)
		return -1;

	/* The client learns the reason code, never more. */
	return FCGX_FPrintF(req->out,
	    "Content-Type: application/json\r\n"
	    "Cache-Control: no-store\r\n"
	    "\r\n"
	    "{\"error\":\"%s\",\"reason\":\"%s\"}\n",
	    ans->status == 500 ? "internal_error" :
	    ans->status == 429 ? "too_many_requests" :
	    ans->status == 503 ? "temporarily_unavailable" :
	    code ? code : "unauthorized", reason_name(ans->reason));
}

/*
 * The appId passed checks that limit it to [A-Za-z0-9._-], so it is safe
 * in a header.  Upper-case names with underscores reach the backend under
 * the same name behind lighttpd and Apache.  Nothing secret goes here:
 * mod_fcgid copies these headers into the client's response.
 */
static int
authz_write_grant(FCGX_Request *req, const struct authz_answer *ans)
{
	if (FCGX_PutS("Status: 200 OK\r\nVariable-APP_ID: ", req->out) < 0 ||
	    FCGX_PutS(ans->result.app_id, req->out) < 0 ||
	    FCGX_PutS("\r\n", req->out) < 0)
		return -1;

	/* A key ID is printable ASCII without spaces (keystore_kid_valid),
	 * so it too is safe in a header. */
	if (ans->result.kid[0] != '\0' &&
	    (FCGX_PutS("Variable-KEY_ID: ", req->out) < 0 ||
	    FCGX_PutS(ans->result.kid, req->out) < 0 ||
	    FCGX_PutS("\r\n", req->out) < 0))
		return -1;
	return FCGX_PutS("\r\n", req->out);
}

/*
 * The path of the request, never its query: a caller that puts its token
 * in the URL must not find it in the log.  A query shows as "?...".
 */
static void
authz_log_path(struct xtlog_msg *m, const char *uri)
{
	char path[AUTHZ_LOG_VALUE_MAX + 2];
	size_t n;

	if (uri == NULL) {
		xtlog_msg_add_value(m, NULL, 0);
		return;
	}
	n = strcspn(uri, "?");

	/* One byte more than is shown, so a longer path ends in "...". */
	memcpy(path, uri, n < sizeof(path) - 1 ? n : sizeof(path) - 1);
	path[n < sizeof(path) - 1 ? n : sizeof(path) - 1] = '\0';
	xtlog_msg_add_value(m, path, AUTHZ_LOG_VALUE_MAX);
	if (uri[n] == '?')
		xtlog_msg_add(m, "?...");
}

static void
authz_log(const struct authz_params *p, const struct authz_answer *ans,
    int written)
{
	struct xtlog_msg m;

	xtlog_msg_start(&m);
	xtlog_msg_add(&m, ans->status == 200 ? "decision=allow status=" :
	    "decision=deny status=");
	xtlog_msg_add_long(&m, ans->status);
	xtlog_msg_add(&m, " reason=");
	xtlog_msg_add(&m, reason_name(ans->reason));
	xtlog_msg_add(&m, " app=\"");
	xtlog_msg_add_value(&m, ans->result.app_id[0] ? ans->result.app_id :
	    NULL, AUTHZ_LOG_VALUE_MAX);
	xtlog_msg_add(&m, "\" alg=");
	xtlog_msg_add(&m, ans->result.alg ? ans->result.alg : "-");
	xtlog_msg_add(&m, " kid=\"");
	xtlog_msg_add_value(&m, ans->result.kid[0] ? ans->result.kid : NULL,
	    AUTHZ_LOG_VALUE_MAX);
	xtlog_msg_add(&m, "\" method=\"");
	xtlog_msg_add_value(&m, p->method, 16);
	xtlog_msg_add(&m, "\" uri=\"");
	authz_log_path(&m, p->uri);
	xtlog_msg_add(&m, "\" client=");
	xtlog_msg_add_value(&m, p->client, 46);
	if (written < 0)
		xtlog_msg_add(&m, " write=failed");
	xtlog_msg_info(&m);
}

/* The path of REQUEST_URI, without the query, is exactly path. */
static int
authz_uri_is(const char *uri, const char *path)
{
	size_t len = strlen(path);

	return uri != NULL && strncmp(uri, path, len) == 0 &&
	    (uri[len] == '\0' || uri[len] == '?');
}

/*
 * A metrics request: we are a Responder and the web server routed this
 * very path to us.  SCRIPT_NAME must name it too, because nginx's
 * auth_request also calls us as a Responder, with the client's
 * REQUEST_URI but its own internal location as SCRIPT_NAME: a client
 * asking nginx for the metrics path of a gated location must get a
 * token check, never a 200 that nginx would take as a grant.
 */
static int
authz_wants_metrics(const struct authz *az, const struct authz_params *p)
{
	if (az->metrics_path == NULL || az->guard == NULL || p->role == NULL ||
	    strcmp(p->role, "RESPONDER") != 0)
		return 0;
	return p->script != NULL && strcmp(p->script, az->metrics_path) == 0 &&
	    authz_uri_is(p->uri, az->metrics_path);
}

static void
authz_serve_metrics(const struct authz *az, FCGX_Request *req,
    const struct authz_params *p)
{
	const char *method = p->method;
	char *text = NULL, addr[64];
	size_t len = 0;
	FILE *fp;
	int ok;

	xtlog_escape(addr, sizeof(addr), p->client, 46);
	if (method == NULL || (strcmp(method, "GET") != 0 &&
	    strcmp(method, "HEAD") != 0)) {
		FCGX_FPrintF(req->out, "Status: 405 Method Not Allowed\r\n"
		    "Allow: GET, HEAD\r\n\r\n");
		return;
	}
	fp = open_memstream(&text, &len);
	ok = fp != NULL && guard_write_metrics(az->guard, fp) == 0;
	if (fp != NULL)
		fclose(fp);
	if (!ok) {
		FCGX_FPrintF(req->out, "Status: 503 Service Unavailable\r\n"
		    "Retry-After: 1\r\n\r\n");
		xtlog_error("metrics: cannot read the counters for %s", addr);
	} else {
		FCGX_FPrintF(req->out, "Status: 200 OK\r\n"
		    "Content-Type: text/plain; version=0.0.4; "
		    "charset=utf-8\r\nCache-Control: no-store\r\n\r\n");
		if (strcmp(method, "GET") == 0)
			FCGX_PutStr(text, (int)len, req->out);
	}
	free(text);
}

void
authz_handle(FCGX_Request *req, void *arg)
{
	const struct authz *az = arg;
	struct authz_params params;
	struct authz_answer ans;
	int64_t started = authz_monotonic_ns();
	int written;

	authz_read_params(req, &params);
	if (authz_wants_metrics(az, &params)) {
		authz_serve_metrics(az, req, &params);
		return;
	}

	authz_decide(az, &params, &ans);
	if (az->guard != NULL)
		guard_record(az->guard, &ans.result, ans.reason,
		    authz_monotonic_ns() - started);

	if (ans.status == 200)
		written = authz_write_grant(req, &ans);
	else
		written = authz_write_refusal(az, req, &ans);

	authz_log(&params, &ans, written);
}
