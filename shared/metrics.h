/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Decision counters per application and reason, and a latency
 * histogram, laid out to live in shared memory; and their Prometheus
 * text exposition.
 */
#ifndef XTOKEN_METRICS_H
#define XTOKEN_METRICS_H

#include <stdint.h>
#include <stdio.h>

#include "claims.h"
#include "reason.h"

/* Applications counted by name; later ones share one overflow row. */
#define METRICS_APPS		512
/* Room for reason codes, so new ones keep the layout (>= REASON_COUNT). */
#define METRICS_REASONS		64
/* Upper bounds of the latency buckets, in microseconds; +Inf follows. */
#define METRICS_BOUNDS_US \
	{ 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, \
	  250000, 1000000 }
#define METRICS_NBOUNDS		12

/* Label values that no appId can take (an appId never starts with a
 * dot): decisions taken before a signature vouched for the appId, and
 * applications beyond METRICS_APPS. */
#define METRICS_APP_UNVERIFIED	".unverified"
#define METRICS_APP_OTHER	".other"

struct metrics_row {
	char		app_id[CLAIMS_APP_ID_MAX + 1];	/* "" = unused */
	uint64_t	count[METRICS_REASONS];
};

/* Plain data, no pointers: valid in memory mapped at any address. */
struct metrics_table {
	uint64_t		bucket[METRICS_NBOUNDS + 1];	/* last: +Inf */
	uint64_t		latency_count;
	uint64_t		latency_sum_ns;
	uint64_t		redis_errors;
	struct metrics_row	unverified;
	struct metrics_row	other;
	struct metrics_row	apps[METRICS_APPS];
};

/*
 * Count one decision: app_id is the appId a signature vouched for, or
 * NULL (counted as METRICS_APP_UNVERIFIED), so an attacker can never
 * grow the table with names of his own.  elapsed_ns is the time the
 * decision took.  The caller locks the table.
 */
void metrics_record(struct metrics_table *m, const char *app_id,
    enum reason_code reason, int64_t elapsed_ns);

/* Count one failed exchange with Redis.  The caller locks the table. */
void metrics_redis_error(struct metrics_table *m);

/*
 * Write m in the Prometheus text format (version 0.0.4): the counter
 * xtoken_requests_total{app,reason} for every pair counted at least
 * once, the histogram xtoken_decision_seconds and the counter
 * xtoken_redis_errors_total.  Label values are escaped as the format
 * asks.  m should be a copy taken under the lock, so the lock is not
 * held while writing.  Returns 0, or -1 if a write failed.
 */
int metrics_write(const struct metrics_table *m, FILE *out);

/*
 * Escape s as a Prometheus label value ('\\', '"' and newline) into out
 * (outcap bytes, always NUL-terminated, cut if too small).  Returns out.
 */
char *metrics_escape_label(char *out, size_t outcap, const char *s);

#endif
