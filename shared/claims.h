/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The registered claims xtoken reads from a token's payload and their rules.
 */
#ifndef XTOKEN_CLAIMS_H
#define XTOKEN_CLAIMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reason.h"
#include "tokjson.h"

#define CLAIMS_APP_ID_MAX	64

/* Latest instant accepted for exp, nbf and iat: 9999-12-31T23:59:59Z. */
#define CLAIMS_TIME_MAX		INT64_C(253402300799)

struct claims {
	char	 app_id[CLAIMS_APP_ID_MAX + 1];
	int64_t	 exp;
	int64_t	 nbf;
	int64_t	 iat;
	bool	 has_nbf;
	bool	 has_iat;
	bool	 exp_fraction;	/* exp had a fraction, cut off above */
};

/*
 * The payload members the checks read, picked by tokjson_validate with
 * claims_member_names: m[CLAIMS_EXP] is the exp claim, and so on.
 */
enum claims_member {
	CLAIMS_APP_ID,
	CLAIMS_EXP,
	CLAIMS_NBF,
	CLAIMS_IAT,
	CLAIMS_AUD,
	CLAIMS_ISS,
	CLAIMS_SUB,
	CLAIMS_JTI,
	CLAIMS_NMEMBERS
};

extern const char *const claims_member_names[CLAIMS_NMEMBERS];

/*
 * The rules: the skew allowed, the cap on a token's remaining life, and
 * which identity claims are checked.  strict: a checked claim that is
 * absent refuses the token; otherwise it is checked only when present.
 */
struct claims_policy {
	int64_t		 leeway;
	int64_t		 max_lifetime;
	const char	*audience;	/* NULL: aud not checked */
	bool		 iss_is_app;
	bool		 sub_is_app;
	bool		 strict;
};

/*
 * True if name (len bytes) is a valid application ID: 1 to 64 characters
 * from [A-Za-z0-9._-], not starting with a dot.  That keeps an appId from
 * ever meaning a path ("..", "/") or anything but a name.
 */
bool claims_app_id_valid(const char *name, size_t len);

/*
 * Read appId, exp, nbf and iat from the picked payload members m into out.
 * Returns REASON_BAD_APP_ID for a missing or invalid appId,
 * REASON_MISSING_EXP, REASON_BAD_CLAIM for a time claim that is not a
 * finite JSON number in [0, CLAIMS_TIME_MAX], else REASON_OK.  Only the
 * appId is needed to pick a key, so callers may use out->app_id after
 * REASON_BAD_CLAIM too.
 */
enum reason_code claims_extract(const struct tokjson_value *m,
    struct claims *out);

/*
 * Check the time claims against now, after the signature has verified:
 * exp must be later than now - leeway, nbf and iat no later than
 * now + leeway, and exp no further ahead than max_lifetime + leeway (from
 * now, and from iat when present), so nobody can mint a token that lives
 * forever.
 */
enum reason_code claims_check_time(const struct claims *c,
    const struct claims_policy *policy, int64_t now);

/*
 * Check aud, iss and sub as the policy asks, after the signature has
 * verified.  aud (RFC 7519 section 4.1.3) is a string equal to the
 * audience, or a non-empty array of strings one of which equals it; any
 * other shape is refused, never read as "no audience".  iss and sub must
 * equal the appId exactly (the RFC 7523 client assertion shape).
 * Returns REASON_OK, REASON_BAD_AUDIENCE, REASON_BAD_ISSUER or
 * REASON_BAD_SUBJECT.
 */
enum reason_code claims_check_identity(const struct tokjson_value *m,
    const struct claims *c, const struct claims_policy *policy);

#endif
