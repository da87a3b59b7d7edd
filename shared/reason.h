/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Reason codes: the stable, loggable outcome of every token check.
 */
#ifndef XTOKEN_REASON_H
#define XTOKEN_REASON_H

/*
 * Every check in shared/ returns one of these.  The names (reason_name) are
 * part of the product's interface: they appear in log lines and in the JSON
 * body sent to the client, so they never change once released.
 */
enum reason_code {
	REASON_OK = 0,
	REASON_NO_TOKEN,		/* no x-token, no Bearer token */
	REASON_TOKEN_TOO_LARGE,		/* over the configured size cap */
	REASON_AMBIGUOUS_TOKEN,		/* x-token and Bearer disagree */
	REASON_MALFORMED,		/* not three segments */
	REASON_BAD_BASE64,		/* not canonical base64url */
	REASON_BAD_JSON,		/* not a strict JSON object */
	REASON_BAD_HEADER,		/* alg missing or not a string, ... */
	REASON_UNSUPPORTED_HEADER,	/* crit, enc or zip present */
	REASON_ALG_NOT_ALLOWED,		/* alg not the one configured */
	REASON_BAD_APP_ID,		/* appId missing or not a safe name */
	REASON_UNKNOWN_APP,		/* no key registered for appId */
	REASON_BAD_SIGNATURE,		/* signature does not verify */
	REASON_MISSING_EXP,		/* exp claim absent */
	REASON_BAD_CLAIM,		/* exp/nbf/iat: wrong type, range */
	REASON_EXPIRED,			/* exp in the past (beyond leeway) */
	REASON_NOT_YET_VALID,		/* nbf in the future (beyond leeway) */
	REASON_ISSUED_IN_FUTURE,	/* iat in the future (beyond leeway) */
	REASON_LIFETIME_TOO_LONG,	/* exp further ahead than the cap */
	REASON_UNKNOWN_KEY,		/* kid names no key of the appId */
	REASON_BAD_AUDIENCE,		/* aud lacks the configured audience */
	REASON_BAD_ISSUER,		/* iss is not the appId */
	REASON_BAD_SUBJECT,		/* sub is not the appId */
	REASON_BAD_TYPE,		/* header typ not the one set */
	REASON_ROUTE_NOT_ALLOWED,	/* rules forbid method or path */
	REASON_BAD_PATH,		/* path malformed or ambiguous */
	REASON_MISSING_JTI,		/* replay checks on, no jti */
	REASON_REPLAYED,		/* (appId, jti) already used */
	REASON_RATE_LIMITED,		/* the appId is over its rate */
	REASON_REPLAY_FULL,		/* no room to remember the token */
	REASON_UNAVAILABLE,		/* shared state (Redis) unreachable */
	REASON_INTERNAL,		/* our failure, not the caller's */
	REASON_COUNT
};

/* Stable lower-case name of a reason ("expired", ...); never NULL. */
const char *reason_name(enum reason_code reason);

/*
 * HTTP status an authorizer answers for a reason: 200 for REASON_OK, 400
 * for a request that is malformed before any cryptography runs or whose
 * path cannot be judged, 401 for an authentication failure, 403 for a
 * valid caller the access rules do not allow, 429 for a caller over its
 * rate, 503 when the memory that rate limits and replay checks need is
 * full or unreachable, 500 for REASON_INTERNAL.
 * Unknown values map to 500, so a new code can never be mistaken for
 * success.
 */
int reason_http_status(enum reason_code reason);

#endif
