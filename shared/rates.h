/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Which rate and burst apply to which application: a default from the
 * settings and per-application lines from a small file.
 */
#ifndef XTOKEN_RATES_H
#define XTOKEN_RATES_H

#include <stddef.h>
#include <stdint.h>

#include "bucket.h"

#define RATES_BURST_MAX	1000000
#define RATES_MAX		1000000		/* per second */

/*
 * Parse a rate: "0" (no limit), or a count of requests per second ("20",
 * "20/s"), per minute ("600/min") or per hour ("100/h"), at most
 * RATES_MAX per second.  Sets *interval_ns to the time one request
 * costs (0 for no limit).  Returns 0, or -1 if s is not such a rate.
 */
int rates_parse(const char *s, int64_t *interval_ns);

struct rates_app {
	char			app_id[CLAIMS_APP_ID_MAX + 1];
	struct bucket_limit	limit;
};

struct rates {
	struct bucket_limit	 fallback;	/* for every other appId */
	struct rates_app	*apps;		/* sorted by app_id */
	size_t			 count;
};

/*
 * Build the rates: rate and burst are the defaults (rate as for
 * rates_parse, burst 1 to RATES_BURST_MAX); path, when not NULL,
 * names a file of lines "APPID RATE BURST" ('#' starts a comment line,
 * blank lines are skipped) that override them per application; an
 * appId listed twice is an error.  Returns 0, or -1 with a sentence in
 * err naming the setting, or the file and line, and what is wrong.
 */
int rates_load(struct rates *lim, const char *rate, long burst,
    const char *path, char *err, size_t errlen);

void rates_free(struct rates *lim);

/* The limit of app_id; interval_ns 0 means none. */
const struct bucket_limit *rates_for(const struct rates *lim,
    const char *app_id);

#endif
