/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * A small hiredis client: one connection per process, short timeouts,
 * and a pause after a failure instead of a retry on every request.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "xredis.h"

#define XREDIS_ERR_MAX	160

/*
 * GCRA in microseconds of Redis's own clock.  KEYS[1] holds the
 * theoretical arrival time; ARGV are the interval and the burst.
 * Returns 0 when allowed, else the microseconds to wait.  The key
 * expires when the cell is full again, so idle callers cost nothing.
 */
static const char xredis_gcra[] =
	"local t = redis.call('TIME')\n"
	"local now = tonumber(t[1]) * 1000000 + tonumber(t[2])\n"
	"local interval = tonumber(ARGV[1])\n"
	"local span = interval * tonumber(ARGV[2])\n"
	"local tat = tonumber(redis.call('GET', KEYS[1])) or now\n"
	"if tat < now then tat = now end\n"
	"if tat > now + span then tat = now + span end\n"
	"local nxt = tat + interval\n"
	"if nxt - span > now then return nxt - span - now end\n"
	"redis.call('SET', KEYS[1], string.format('%.0f', nxt), 'PX',\n"
	"    math.floor((nxt - now) / 1000) + 1)\n"
	"return 0\n";

struct xredis {
	pthread_mutex_t	 lock;
	redisContext	*ctx;
	char		*spec;
	char		*host;		/* or NULL for a unix socket */
	char		*path;
	int		 port;
	struct timeval	 timeout;
	int64_t		 retry_ns;
	int64_t		 next_try;	/* CLOCK_MONOTONIC ns */
	char		 error[XREDIS_ERR_MAX];
};

static int64_t
xredis_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* "HOST:PORT", "[V6]:PORT" or "unix:PATH" into x. */
static int
xredis_parse(struct xredis *x, const char *spec)
{
	const char *colon;
	char *end;
	long port;

	if (strncmp(spec, "unix:", 5) == 0) {
		x->path = strdup(spec + 5);
		return x->path != NULL && x->path[0] == '/' ? 0 : -1;
	}
	colon = strrchr(spec, ':');
	if (colon == NULL || colon == spec || colon[1] == '\0')
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		return -1;
	x->port = (int)port;
	if (spec[0] == '[' && colon[-1] == ']')
		x->host = strndup(spec + 1, (size_t)(colon - spec) - 2);
	else
		x->host = strndup(spec, (size_t)(colon - spec));
	return x->host != NULL && x->host[0] != '\0' ? 0 : -1;
}

struct xredis *
xredis_new(const char *spec, long timeout_ms, long retry_ms, char *err,
    size_t errlen)
{
	struct xredis *x;

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if ((x->spec = strdup(spec)) == NULL || xredis_parse(x, spec) != 0) {
		snprintf(err, errlen, "redis: \"%.64s\" is not HOST:PORT or "
		    "unix:/PATH", spec);
		xredis_free(x);
		return NULL;
	}
	x->timeout.tv_sec = timeout_ms / 1000;
	x->timeout.tv_usec = (timeout_ms % 1000) * 1000;
	x->retry_ns = (int64_t)retry_ms * 1000000;
	pthread_mutex_init(&x->lock, NULL);
	return x;
}

void
xredis_free(struct xredis *x)
{
	if (x == NULL)
		return;
	if (x->ctx != NULL)
		redisFree(x->ctx);
	free(x->spec);
	free(x->host);
	free(x->path);
	free(x);
}

static void
xredis_fail(struct xredis *x, const char *what)
{
	snprintf(x->error, sizeof(x->error), "%s", what);
	if (x->ctx != NULL) {
		redisFree(x->ctx);
		x->ctx = NULL;
	}
	x->next_try = xredis_now() + x->retry_ns;
}

/* Connected, or within the pause after a failure (returns -1). */
static int
xredis_connect(struct xredis *x)
{
	if (x->ctx != NULL)
		return 0;
	if (xredis_now() < x->next_try)
		return -1;

	if (x->path != NULL)
		x->ctx = redisConnectUnixWithTimeout(x->path, x->timeout);
	else
		x->ctx = redisConnectWithTimeout(x->host, x->port,
		    x->timeout);
	if (x->ctx == NULL) {
		xredis_fail(x, "out of memory");
		return -1;
	}
	if (x->ctx->err != 0 ||
	    redisSetTimeout(x->ctx, x->timeout) != REDIS_OK) {
		xredis_fail(x, x->ctx->errstr[0] ? x->ctx->errstr :
		    "cannot connect");
		return -1;
	}
	return 0;
}

/*
 * A reply we can use, or NULL after recording why not.  A lost
 * connection or a timeout drops the connection; an error reply (a
 * server out of memory, a read-only replica) keeps it but still fails.
 */
static redisReply *
xredis_checked(struct xredis *x, redisReply *reply)
{
	if (reply == NULL) {
		xredis_fail(x, x->ctx->errstr[0] ? x->ctx->errstr :
		    "no reply");
		return NULL;
	}
	if (reply->type == REDIS_REPLY_ERROR) {
		snprintf(x->error, sizeof(x->error), "%s", reply->str);
		freeReplyObject(reply);
		return NULL;
	}
	return reply;
}

enum xredis_result
xredis_rate(struct xredis *x, const char *app_id,
    const struct bucket_limit *lim, int64_t *retry_ns)
{
	enum xredis_result r = XREDIS_ERROR;
	redisReply *reply;
	long long interval_us = lim->interval_ns / 1000;

	if (interval_us < 1)
		interval_us = 1;
	pthread_mutex_lock(&x->lock);
	if (xredis_connect(x) != 0)
		goto out;
	reply = xredis_checked(x, redisCommand(x->ctx, "EVAL %s 1 "
	    "xtoken:rate:%s %lld %ld", xredis_gcra, app_id, interval_us,
	    lim->burst));
	if (reply == NULL)
		goto out;
	if (reply->type != REDIS_REPLY_INTEGER || reply->integer < 0) {
		snprintf(x->error, sizeof(x->error), "unexpected reply to "
		    "the rate script");
	} else if (reply->integer == 0) {
		r = XREDIS_OK;
	} else {
		*retry_ns = (int64_t)reply->integer * 1000;
		r = XREDIS_REFUSED;
	}
	freeReplyObject(reply);
out:
	pthread_mutex_unlock(&x->lock);
	return r;
}

enum xredis_result
xredis_remember(struct xredis *x, const unsigned char *id, int64_t ttl_ms)
{
	enum xredis_result r = XREDIS_ERROR;
	char hex[2 * VERIFIER_TOKEN_ID_LEN + 1];
	redisReply *reply;
	size_t i;

	for (i = 0; i < VERIFIER_TOKEN_ID_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	if (ttl_ms < 1)
		ttl_ms = 1;

	pthread_mutex_lock(&x->lock);
	if (xredis_connect(x) != 0)
		goto out;
	reply = xredis_checked(x, redisCommand(x->ctx, "SET xtoken:jti:%s 1 "
	    "NX PX %lld", hex, (long long)ttl_ms));
	if (reply == NULL)
		goto out;
	if (reply->type == REDIS_REPLY_STATUS)
		r = XREDIS_OK;
	else if (reply->type == REDIS_REPLY_NIL)
		r = XREDIS_REFUSED;
	else
		snprintf(x->error, sizeof(x->error), "unexpected reply to "
		    "SET NX");
	freeReplyObject(reply);
out:
	pthread_mutex_unlock(&x->lock);
	return r;
}

void
xredis_last_error(struct xredis *x, char *out, size_t outcap)
{
	pthread_mutex_lock(&x->lock);
	snprintf(out, outcap, "%s", x->error[0] ? x->error :
	    "not retried yet after a failure");
	pthread_mutex_unlock(&x->lock);
}

const char *
xredis_spec(const struct xredis *x)
{
	return x->spec;
}
