/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Rate limits, replay checks and decision counters for the authorizer,
 * kept in the host's shared state and, when configured, in Redis.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "guard.h"
#include "rates.h"
#include "state.h"
#include "xredis.h"
#include "xtlog.h"

/* After a failure, Redis is asked again only after this pause. */
#define GUARD_REDIS_RETRY_MS	1000

struct guard {
	struct rates	 limits;
	bool		 replay;
	int64_t		 leeway;
	struct state	*state;
	struct xredis	*redis;		/* NULL: this host only */
	bool		 fail_open;	/* redis_failure = allow */
	int		 redis_down;	/* atomic: last exchange failed */
	int		 lock_broken;	/* atomic: lock was recovered */
};

static int
guard_open_state(struct guard *g, const struct config *cfg, char *err,
    size_t errlen)
{
	bool created = false;

	g->state = state_open(cfg->state_file, (size_t)cfg->replay_capacity,
	    STATE_CREATE, &created, err, errlen);
	if (g->state == NULL)
		return -1;

	/* Whether the file was new says nothing an operator acts on; the
	 * start-up line names the state file (or its absence). */
	(void)created;
	return 0;
}

struct guard *
guard_new(const struct config *cfg, char *err, size_t errlen)
{
	struct guard *g;

	if ((g = calloc(1, sizeof(*g))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	g->replay = cfg->replay != 0;
	g->leeway = cfg->leeway;
	g->fail_open = strcmp(cfg->redis_failure, "allow") == 0;
	if (rates_load(&g->limits, cfg->rate, cfg->burst, cfg->limits_path,
	    err, errlen) != 0)
		goto fail;
	if (guard_open_state(g, cfg, err, errlen) != 0)
		goto fail;
	if (cfg->redis != NULL && (g->redis = xredis_new(cfg->redis,
	    cfg->redis_timeout, GUARD_REDIS_RETRY_MS, err, errlen)) == NULL)
		goto fail;
	return g;
fail:
	guard_free(g);
	return NULL;
}

void
guard_free(struct guard *g)
{
	if (g == NULL)
		return;
	rates_free(&g->limits);
	state_close(g->state);
	xredis_free(g->redis);
	free(g);
}

/* Lock the state; a lock recovered from a dead holder is logged once. */
static int
guard_lock(struct guard *g)
{
	int rc = state_lock(g->state);

	if (rc < 0) {
		xtlog_error("the state lock could not be had within a "
		    "second; a process may be stuck holding it");
		return -1;
	}
	if (rc == 1 && __atomic_exchange_n(&g->lock_broken, 1,
	    __ATOMIC_RELAXED) == 0)
		xtlog_warn("a process died holding the state lock; its last "
		    "update may be partial");
	return 0;
}

static void
guard_redis_answered(struct guard *g)
{
	if (__atomic_exchange_n(&g->redis_down, 0, __ATOMIC_RELAXED) != 0)
		xtlog_info("redis %s answers again; rate limits and replay "
		    "checks are shared across hosts again",
		    xredis_spec(g->redis));
}

/*
 * Redis did not answer: count it, log the change of state once, and
 * tell whether the request may go on with this host's state (allow) or
 * must be refused (refuse).
 */
static bool
guard_redis_failed(struct guard *g)
{
	char why[200];

	if (guard_lock(g) == 0) {
		metrics_redis_error(state_metrics(g->state));
		state_unlock(g->state);
	}
	if (__atomic_exchange_n(&g->redis_down, 1, __ATOMIC_RELAXED) == 0) {
		xredis_last_error(g->redis, why, sizeof(why));
		xtlog_warn("redis %s does not answer (%s); until it does, %s",
		    xredis_spec(g->redis), why, g->fail_open ?
		    "rate limits and replay checks use this host's state "
		    "(redis_failure = allow)" :
		    "verified callers are refused with 503 "
		    "(redis_failure = refuse)");
	}
	return g->fail_open;
}

/* Whole seconds, rounded up, at least 1: what Retry-After can say. */
static long
guard_seconds(int64_t ns)
{
	int64_t s = (ns + BUCKET_NS_PER_S - 1) / BUCKET_NS_PER_S;

	return s < 1 ? 1 : (long)s;
}

static enum reason_code
guard_rate_local(struct guard *g, const char *app_id,
    const struct bucket_limit *lim, int64_t now_ns, long *retry_after)
{
	enum bucket_verdict v;
	int64_t wait_ns = 0;

	if (guard_lock(g) != 0)
		goto unavailable;
	v = bucket_take(state_buckets(g->state), app_id, now_ns, lim,
	    &wait_ns);
	state_unlock(g->state);

	if (v == BUCKET_ALLOW)
		return REASON_OK;
	if (v == BUCKET_LIMITED) {
		*retry_after = guard_seconds(wait_ns);
		return REASON_RATE_LIMITED;
	}
	xtlog_error("no free rate limit cell for appId %s", app_id);
unavailable:
	*retry_after = 1;
	return REASON_UNAVAILABLE;
}

static enum reason_code
guard_rate(struct guard *g, const char *app_id, int64_t now_ns,
    long *retry_after)
{
	const struct bucket_limit *lim = rates_for(&g->limits, app_id);
	int64_t wait_ns = 0;

	if (lim->interval_ns == 0)
		return REASON_OK;
	if (g->redis != NULL) {
		switch (xredis_rate(g->redis, app_id, lim, &wait_ns)) {
		case XREDIS_OK:
			guard_redis_answered(g);
			return REASON_OK;
		case XREDIS_REFUSED:
			guard_redis_answered(g);
			*retry_after = guard_seconds(wait_ns);
			return REASON_RATE_LIMITED;
		case XREDIS_ERROR:
			if (!guard_redis_failed(g)) {
				*retry_after = 1;
				return REASON_UNAVAILABLE;
			}
			break;
		}
	}
	return guard_rate_local(g, app_id, lim, now_ns, retry_after);
}

static enum reason_code
guard_replay_local(struct guard *g, const struct verify_result *res,
    int64_t until, int64_t now_s, long *retry_after)
{
	enum replay_verdict v;

	if (guard_lock(g) != 0) {
		*retry_after = 1;
		return REASON_UNAVAILABLE;
	}
	v = replay_remember(state_replay(g->state), res->token_id, until,
	    now_s);
	state_unlock(g->state);

	if (v == REPLAY_SEEN)
		return REASON_REPLAYED;
	if (v == REPLAY_FULL) {
		*retry_after = 1;
		return REASON_REPLAY_FULL;
	}
	return REASON_OK;
}

/*
 * The token stays remembered until exp plus leeway: until then the
 * verifier would accept it.  With Redis, Redis is asked first, so a
 * request refused because Redis is down does not use the token up; the
 * host's memory is written too, so tokens used here while Redis was
 * down are still refused here afterwards.
 */
static enum reason_code
guard_replay(struct guard *g, const struct verify_result *res,
    int64_t now_ns, long *retry_after)
{
	int64_t now_s = now_ns / BUCKET_NS_PER_S;
	int64_t until = res->exp + g->leeway;
	enum reason_code local;

	if (g->redis != NULL) {
		switch (xredis_remember(g->redis, res->token_id,
		    (until - now_s) * 1000)) {
		case XREDIS_OK:
			guard_redis_answered(g);
			local = guard_replay_local(g, res, until, now_s,
			    retry_after);
			/* Redis holds it; a full local memory is no loss. */
			return local == REASON_REPLAY_FULL ? REASON_OK : local;
		case XREDIS_REFUSED:
			guard_redis_answered(g);
			return REASON_REPLAYED;
		case XREDIS_ERROR:
			if (!guard_redis_failed(g)) {
				*retry_after = 1;
				return REASON_UNAVAILABLE;
			}
			break;
		}
	}
	return guard_replay_local(g, res, until, now_s, retry_after);
}

enum reason_code
guard_check(struct guard *g, const struct verify_result *res,
    int64_t now_ns, long *retry_after)
{
	enum reason_code r;

	*retry_after = 0;
	if (g->replay && !res->has_jti)
		return REASON_MISSING_JTI;

	/* The rate first: it bounds how fast one caller can fill the
	 * replay memory. */
	r = guard_rate(g, res->app_id, now_ns, retry_after);
	if (r != REASON_OK || !g->replay)
		return r;
	return guard_replay(g, res, now_ns, retry_after);
}

void
guard_record(struct guard *g, const struct verify_result *res,
    enum reason_code reason, int64_t elapsed_ns)
{
	if (guard_lock(g) != 0)
		return;
	metrics_record(state_metrics(g->state), res->signature_ok ?
	    res->app_id : NULL, reason, elapsed_ns);
	state_unlock(g->state);
}

/* Copy the counters under the lock and write them without it. */
static int
guard_write_state(struct state *st, FILE *out)
{
	struct metrics_table *copy;
	int r = -1, rc;

	if ((copy = malloc(sizeof(*copy))) == NULL)
		return -1;
	rc = state_lock(st);
	if (rc >= 0) {
		memcpy(copy, state_metrics(st), sizeof(*copy));
		state_unlock(st);
		r = metrics_write(copy, out);
	}
	free(copy);
	return r;
}

int
guard_write_metrics(struct guard *g, FILE *out)
{
	return guard_write_state(g->state, out);
}

int
guard_print_metrics(const char *path, FILE *out, char *err, size_t errlen)
{
	struct state *st;
	int r;

	if (path == NULL) {
		snprintf(err, errlen, "no state_file is set: each process "
		    "keeps its own counters, which only its metrics_path "
		    "shows; set state_file to share them");
		return -1;
	}
	st = state_open(path, 0, STATE_ATTACH, NULL, err, errlen);
	if (st == NULL)
		return -1;
	r = guard_write_state(st, out);
	state_close(st);
	if (r != 0)
		snprintf(err, errlen, "cannot read the counters of %s (its "
		    "lock is busy) or write them", path);
	return r;
}
