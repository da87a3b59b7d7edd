/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Rate limits: the generic cell rate algorithm (GCRA) and a bounded table
 * of one cell per application, laid out to live in shared memory.
 */
#ifndef XTOKEN_BUCKET_H
#define XTOKEN_BUCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "claims.h"

#define BUCKET_NS_PER_S		INT64_C(1000000000)

/*
 * A rate and a burst.  interval_ns is the time one request costs
 * (1 s / rate); 0 means no limit.  burst (>= 1) requests may come at once
 * after a quiet spell, and then one per interval_ns.
 */
struct bucket_limit {
	int64_t	interval_ns;
	long	burst;
};

/*
 * GCRA on one cell: *tat is the theoretical arrival time of the next
 * request (0 for a cell never used), now the current time, both in ns of
 * the same clock.  Allowed: advances *tat and returns true.  Refused:
 * leaves *tat alone, sets *retry_ns to the wait until a request would be
 * allowed (> 0) and returns false.  A *tat further ahead than a full
 * burst (the clock went back) is treated as a burst just used, so a clock
 * step never locks a caller out for longer than one burst takes to refill.
 */
bool bucket_gcra(int64_t *tat, int64_t now, const struct bucket_limit *lim,
    int64_t *retry_ns);

/* Cells in a table, and how far a lookup probes from its home slot. */
#define BUCKET_SLOTS	4096
#define BUCKET_PROBE	64

struct bucket_cell {
	char	app_id[CLAIMS_APP_ID_MAX + 1];	/* "" = never used */
	int64_t	tat;
};

/* Plain data, no pointers: valid in memory mapped at any address. */
struct bucket_table {
	struct bucket_cell cells[BUCKET_SLOTS];
};

enum bucket_verdict {
	BUCKET_ALLOW,
	BUCKET_LIMITED,		/* over the rate; *retry_ns set */
	BUCKET_FULL		/* no free cell near the app's slot */
};

/*
 * Take one request of app_id from table (which the caller locks) at now
 * (ns since the epoch).  A cell whose tat lies in the past is exactly
 * as good as a fresh one, so such a cell of another application is
 * reused when no free cell is left: the table never needs cleaning and
 * only applications inside their burst hold cells.  BUCKET_FULL means
 * BUCKET_PROBE applications in a row are inside their burst, which the
 * size of the table makes practically impossible; the caller refuses.
 */
enum bucket_verdict bucket_take(struct bucket_table *table,
    const char *app_id, int64_t now, const struct bucket_limit *lim,
    int64_t *retry_ns);

#endif
