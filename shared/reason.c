/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Names and HTTP statuses of the reason codes.
 */
#include "autoconf.h"

#include <stddef.h>

#include "reason.h"

static const char *const reason_names[REASON_COUNT] = {
	[REASON_OK]			= "ok",
	[REASON_NO_TOKEN]		= "no_token",
	[REASON_TOKEN_TOO_LARGE]	= "token_too_large",
	[REASON_AMBIGUOUS_TOKEN]	= "ambiguous_token",
	[REASON_MALFORMED]		= "malformed",
	[REASON_BAD_BASE64]		= "bad_base64",
	[REASON_BAD_JSON]		= "bad_json",
	[REASON_BAD_HEADER]		= "bad_header",
	[REASON_UNSUPPORTED_HEADER]	= "unsupported_header",
	[REASON_ALG_NOT_ALLOWED]	= "alg_not_allowed",
	[REASON_BAD_APP_ID]		= "bad_app_id",
	[REASON_UNKNOWN_APP]		= "unknown_app",
	[REASON_BAD_SIGNATURE]		= "bad_signature",
	[REASON_MISSING_EXP]		= "missing_exp",
	[REASON_BAD_CLAIM]		= "bad_claim",
	[REASON_EXPIRED]		= "expired",
	[REASON_NOT_YET_VALID]		= "not_yet_valid",
	[REASON_ISSUED_IN_FUTURE]	= "issued_in_future",
	[REASON_LIFETIME_TOO_LONG]	= "lifetime_too_long",
	[REASON_UNKNOWN_KEY]		= "unknown_key",
	[REASON_BAD_AUDIENCE]		= "bad_audience",
	[REASON_BAD_ISSUER]		= "bad_issuer",
	[REASON_BAD_SUBJECT]		= "bad_subject",
	[REASON_BAD_TYPE]		= "bad_type",
	[REASON_ROUTE_NOT_ALLOWED]	= "route_not_allowed",
	[REASON_BAD_PATH]		= "bad_path",
	[REASON_MISSING_JTI]		= "missing_jti",
	[REASON_REPLAYED]		= "replayed",
	[REASON_RATE_LIMITED]		= "rate_limited",
	[REASON_REPLAY_FULL]		= "replay_full",
	[REASON_UNAVAILABLE]		= "unavailable",
	[REASON_INTERNAL]		= "internal",
};

const char *
reason_name(enum reason_code reason)
{
	if ((unsigned)reason >= REASON_COUNT ||
	    reason_names[reason] == NULL)
		return "internal";
	return reason_names[reason];
}

int
reason_http_status(enum reason_code reason)
{
	switch (reason) {
	case REASON_OK:
		return 200;
	case REASON_TOKEN_TOO_LARGE:
	case REASON_AMBIGUOUS_TOKEN:
	case REASON_MALFORMED:
	case REASON_BAD_BASE64:
	case REASON_BAD_JSON:
	case REASON_BAD_PATH:
		return 400;
	case REASON_NO_TOKEN:
	case REASON_BAD_HEADER:
	case REASON_UNSUPPORTED_HEADER:
	case REASON_ALG_NOT_ALLOWED:
	case REASON_BAD_APP_ID:
	case REASON_UNKNOWN_APP:
	case REASON_BAD_SIGNATURE:
	case REASON_MISSING_EXP:
	case REASON_BAD_CLAIM:
	case REASON_EXPIRED:
	case REASON_NOT_YET_VALID:
	case REASON_ISSUED_IN_FUTURE:
	case REASON_LIFETIME_TOO_LONG:
	case REASON_UNKNOWN_KEY:
	case REASON_BAD_AUDIENCE:
	case REASON_BAD_ISSUER:
	case REASON_BAD_SUBJECT:
	case REASON_BAD_TYPE:
	case REASON_MISSING_JTI:
	case REASON_REPLAYED:
		return 401;
	case REASON_RATE_LIMITED:
		return 429;
	case REASON_REPLAY_FULL:
	case REASON_UNAVAILABLE:
		return 503;
	case REASON_ROUTE_NOT_ALLOWED:
		return 403;
	default:
		return 500;
	}
}
