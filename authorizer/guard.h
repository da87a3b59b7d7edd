/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * What the authorizer checks after a token verified: the caller's rate
 * and whether the token was used before; and the decision counters.
 */
#ifndef XTOKEN_GUARD_H
#define XTOKEN_GUARD_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "reason.h"
#include "verifier.h"

struct guard;

/*
 * Build the guard from the settings rate, burst, limits, replay,
 * replay_capacity, leeway, state_file, redis, redis_failure and
 * redis_timeout: read the limits file, map (or create) the state file,
 * prepare the Redis client (it connects on first use, so a server that
 * is down never stops a start).  Returns NULL with a sentence in err.
 * A guard lives as long as the process; threads may share it.
 */
struct guard *guard_new(const struct config *cfg, char *err, size_t errlen);

void guard_free(struct guard *g);

/*
 * Judge a request whose token verified (res->reason REASON_OK), at
 * now_ns (ns since the epoch): REASON_MISSING_JTI when replay checks are
 * on and the token has no jti; REASON_RATE_LIMITED over the rate, with
 * *retry_after set to whole seconds (at least 1); REASON_REPLAYED for a
 * token already used; REASON_REPLAY_FULL or REASON_UNAVAILABLE (with
 * *retry_after) when the memory needed cannot be had; else REASON_OK.
 * Authentication never waits for Redis: this runs only after it.  Logs
 * one line when Redis stops or starts answering.
 */
enum reason_code guard_check(struct guard *g, const struct verify_result *res,
    int64_t now_ns, long *retry_after);

/*
 * Count a decision: reason, the appId if a signature vouched for it
 * (res->signature_ok), and the time it took.
 */
void guard_record(struct guard *g, const struct verify_result *res,
    enum reason_code reason, int64_t elapsed_ns);

/* Write the counters in the Prometheus text format.  Returns 0 or -1. */
int guard_write_metrics(struct guard *g, FILE *out);

/*
 * For xtoken-authorizer --metrics: read the counters of the state file
 * at path, which the serving processes share, and write them to out.
 * Returns 0, or -1 with a sentence in err.
 */
int guard_print_metrics(const char *path, FILE *out, char *err,
    size_t errlen);

#endif
