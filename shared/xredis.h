/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Rate limits and replay memory shared by several hosts through Redis.
 */
#ifndef XTOKEN_XREDIS_H
#define XTOKEN_XREDIS_H

#include <stddef.h>
#include <stdint.h>

#include "bucket.h"
#include "verifier.h"

struct xredis;

enum xredis_result {
	XREDIS_OK,		/* allowed; a first use */
	XREDIS_REFUSED,		/* over the rate; seen before */
	XREDIS_ERROR		/* Redis did not answer as it should */
};

/*
 * Prepare a client of the Redis server at spec: "HOST:PORT" or
 * "unix:PATH".  Nothing is connected yet.  timeout_ms bounds the
 * connection and each command.  After a failure the client does not try
 * again for retry_ms, so a dead server costs a request nothing.  Returns
 * NULL with a sentence in err.  Threads may share a client; it
 * serialises them.
 */
struct xredis *xredis_new(const char *spec, long timeout_ms, long retry_ms,
    char *err, size_t errlen);

void xredis_free(struct xredis *x);

/*
 * One request of app_id against the limit, as one atomic Lua script
 * (GCRA on the key xtoken:rate:<appId>, timed by Redis's clock, so the
 * hosts' clocks need not agree).  XREDIS_REFUSED sets *retry_ns.
 */
enum xredis_result xredis_rate(struct xredis *x, const char *app_id,
    const struct bucket_limit *lim, int64_t *retry_ns);

/*
 * Remember token id for ttl_ms (SET xtoken:jti:<hex id> NX PX ttl_ms):
 * XREDIS_OK the first time, XREDIS_REFUSED while remembered.
 */
enum xredis_result xredis_remember(struct xredis *x,
    const unsigned char *id, int64_t ttl_ms);

/* Copy the last failure ("connection refused", ...) into out. */
void xredis_last_error(struct xredis *x, char *out, size_t outcap);

/* The server spec, for log lines. */
const char *xredis_spec(const struct xredis *x);

#endif
