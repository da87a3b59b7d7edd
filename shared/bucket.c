/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * GCRA rate limiting over a fixed table of per-application cells.
 */
#include "autoconf.h"

#include <string.h>

#include "bucket.h"

bool
bucket_gcra(int64_t *tat, int64_t now, const struct bucket_limit *lim,
    int64_t *retry_ns)
{
	int64_t span = lim->interval_ns * lim->burst;
	int64_t t = *tat, next, allow_at;

	if (t < now)
		t = now;
	if (t > now + span)
		t = now + span;

	/* A request is due one interval after the last; a burst may run
	 * up to span ahead of now. */
	next = t + lim->interval_ns;
	allow_at = next - span;
	if (allow_at > now) {
		*retry_ns = allow_at - now;
		return false;
	}
	*tat = next;
	return true;
}

/* FNV-1a: appIds come from verified tokens only, so nobody can pick
 * names that collide on purpose. */
static uint64_t
bucket_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/*
 * The cell of app_id, or else the first cell it may take: a never used
 * one (which ends the probe, since cells never become unused again) or
 * one whose tat has passed.  NULL if neither is within BUCKET_PROBE.
 */
static struct bucket_cell *
bucket_find(struct bucket_table *table, const char *app_id, int64_t now)
{
	struct bucket_cell *c, *reusable = NULL;
	size_t home = bucket_hash(app_id) % BUCKET_SLOTS, i;

	for (i = 0; i < BUCKET_PROBE; i++) {
		c = &table->cells[(home + i) % BUCKET_SLOTS];
		if (strcmp(c->app_id, app_id) == 0)
			return c;
		if (c->app_id[0] == '\0')
			return reusable != NULL ? reusable : c;
		if (reusable == NULL && c->tat <= now)
			reusable = c;
	}
	return reusable;
}

enum bucket_verdict
bucket_take(struct bucket_table *table, const char *app_id, int64_t now,
    const struct bucket_limit *lim, int64_t *retry_ns)
{
	struct bucket_cell *c;
	size_t len = strlen(app_id);

	if (lim->interval_ns <= 0)
		return BUCKET_ALLOW;
	if (len == 0 || len > CLAIMS_APP_ID_MAX)
		return BUCKET_FULL;

	c = bucket_find(table, app_id, now);
	if (c == NULL)
		return BUCKET_FULL;
	if (strcmp(c->app_id, app_id) != 0) {
		memcpy(c->app_id, app_id, len + 1);
		c->tat = 0;
	}
	return bucket_gcra(&c->tat, now, lim, retry_ns) ? BUCKET_ALLOW :
	    BUCKET_LIMITED;
}
