/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The appId claim and the time claims (RFC 7519 section 4.1).
 */
#include "autoconf.h"

#include <string.h>

#include "claims.h"

bool
claims_app_id_valid(const char *name, size_t len)
{
	size_t i;
	char c;

	if (len == 0 || len > CLAIMS_APP_ID_MAX || name[0] == '.')
		return false;
	for (i = 0; i < len; i++) {
		c = name[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		    c == '-'))
			return false;
	}
	return true;
}

const char *const claims_member_names[CLAIMS_NMEMBERS] = {
	[CLAIMS_APP_ID] = "appId",
	[CLAIMS_EXP] = "exp",
	[CLAIMS_NBF] = "nbf",
	[CLAIMS_IAT] = "iat",
	[CLAIMS_AUD] = "aud",
	[CLAIMS_ISS] = "iss",
	[CLAIMS_SUB] = "sub",
	[CLAIMS_JTI] = "jti",
};

/*
 * A NumericDate as whole seconds.  A string or a boolean is never read as
 * a number, and the range is checked before any conversion could
 * overflow.  A fraction is legal (RFC 7519 section 2): *out is rounded
 * down and *fraction says whether anything was cut off, so each check can
 * round toward refusal.
 * Returns 1 and sets *out, 0 if absent, -1 if present but not acceptable.
 */
static int
claims_get_time(const struct tokjson_value *v, int64_t *out, bool *fraction)
{
	*fraction = false;
	if (v->type == TOKJSON_ABSENT)
		return 0;
	if (tokjson_numeric_date(v, CLAIMS_TIME_MAX, out, fraction) != 0)
		return -1;
	return 1;
}

static enum reason_code
claims_get_app_id(const struct tokjson_value *v, struct claims *out)
{
	size_t len;

	if (tokjson_string_copy(v, out->app_id, sizeof(out->app_id),
	    &len) != 0)
		return REASON_BAD_APP_ID;
	if (!claims_app_id_valid(out->app_id, len)) {
		out->app_id[0] = '\0';
		return REASON_BAD_APP_ID;
	}
	return REASON_OK;
}

enum reason_code
claims_extract(const struct tokjson_value *m, struct claims *out)
{
	enum reason_code r;
	bool fraction = false;
	int found;

	memset(out, 0, sizeof(*out));
	r = claims_get_app_id(&m[CLAIMS_APP_ID], out);
	if (r != REASON_OK)
		return r;

	found = claims_get_time(&m[CLAIMS_EXP], &out->exp, &out->exp_fraction);
	if (found == 0)
		return REASON_MISSING_EXP;
	if (found < 0)
		return REASON_BAD_CLAIM;

	/* A not-before or issued-at instant with a fraction counts as the
	 * next whole second, so it is never honoured early. */
	found = claims_get_time(&m[CLAIMS_NBF], &out->nbf, &fraction);
	if (found < 0)
		return REASON_BAD_CLAIM;
	out->has_nbf = found == 1;
	out->nbf += fraction;

	found = claims_get_time(&m[CLAIMS_IAT], &out->iat, &fraction);
	if (found < 0)
		return REASON_BAD_CLAIM;
	out->has_iat = found == 1;
	out->iat += fraction;

	return REASON_OK;
}

enum reason_code
claims_check_time(const struct claims *c, const struct claims_policy *policy,
    int64_t now)
{
	int64_t longest = policy->max_lifetime + policy->leeway;
	int64_t exp_up = c->exp + c->exp_fraction;	/* exp rounded up */

	/* All values are bounded by CLAIMS_TIME_MAX, so nothing overflows. */
	if (c->exp <= now - policy->leeway)
		return REASON_EXPIRED;
	if (c->has_nbf && c->nbf > now + policy->leeway)
		return REASON_NOT_YET_VALID;
	if (c->has_iat && c->iat > now + policy->leeway)
		return REASON_ISSUED_IN_FUTURE;

	/* A caller must not mint a token that outlives the cap, whether it
	 * says when it was issued or not. */
	if (exp_up - now > longest)
		return REASON_LIFETIME_TOO_LONG;
	if (c->has_iat && exp_up - c->iat > longest)
		return REASON_LIFETIME_TOO_LONG;

	return REASON_OK;
}

/* 1 if the aud value names audience, 0 if not or of a wrong shape. */
static int
claims_aud_matches(const struct tokjson_value *aud, const char *audience)
{
	struct tokjson_value item;
	struct tokjson_iter it;
	size_t want = strlen(audience);
	int found = 0;

	if (aud->type == TOKJSON_STRING)
		return tokjson_string_is(aud, audience, want);
	if (tokjson_iter_init(&it, aud) != 0)
		return 0;

	/* Every element must be a string, even after a match. */
	while (tokjson_iter_next(&it, &item) == 1) {
		if (item.type != TOKJSON_STRING)
			return 0;
		if (tokjson_string_is(&item, audience, want))
			found = 1;
	}
	return found;
}

/* iss or sub must be the string appId; absent is judged by strictness. */
static bool
claims_names_app(const struct tokjson_value *v, const struct claims *c,
    bool strict)
{
	if (v->type == TOKJSON_ABSENT)
		return !strict;
	return tokjson_string_is(v, c->app_id, strlen(c->app_id));
}

enum reason_code
claims_check_identity(const struct tokjson_value *m, const struct claims *c,
    const struct claims_policy *policy)
{
	const struct tokjson_value *aud = &m[CLAIMS_AUD];

	if (policy->audience != NULL) {
		if (aud->type == TOKJSON_ABSENT) {
			if (policy->strict)
				return REASON_BAD_AUDIENCE;
		} else if (!claims_aud_matches(aud, policy->audience)) {
			return REASON_BAD_AUDIENCE;
		}
	}
	if (policy->iss_is_app &&
	    !claims_names_app(&m[CLAIMS_ISS], c, policy->strict))
		return REASON_BAD_ISSUER;
	if (policy->sub_is_app &&
	    !claims_names_app(&m[CLAIMS_SUB], c, policy->strict))
		return REASON_BAD_SUBJECT;
	return REASON_OK;
}
