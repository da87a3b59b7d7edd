/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The appId claim and the time claims (RFC 7519 section 4.1).
 */
#include "autoconf.h"

#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "claims.h"
#include "strictjson.h"

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

/*
 * A NumericDate as whole seconds.  json-c's getters would quietly turn a
 * string, a boolean or an out-of-range double into a number, so the type
 * is checked first and the range before any conversion.  A fraction is
 * legal (RFC 7519 section 2): *out is rounded down and *fraction says
 * whether anything was cut off, so each check can round toward refusal.
 * Returns 1 and sets *out, 0 if absent, -1 if present but not acceptable.
 */
static int
claims_get_time(struct json_object *payload, const char *key, int64_t *out,
    bool *fraction)
{
	struct json_object *v;
	double d;
	int64_t i;

	*fraction = false;
	if (!json_object_object_get_ex(payload, key, &v))
		return 0;

	if (json_object_is_type(v, json_type_int)) {
		/* Beyond int64 saturates; the range check refuses it. */
		i = json_object_get_int64(v);
		if (i < 0 || i > CLAIMS_TIME_MAX)
			return -1;
		*out = i;
		return 1;
	}
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (!isfinite(d) || d < 0 || d > (double)CLAIMS_TIME_MAX)
			return -1;
		*out = (int64_t)d;	/* d >= 0: truncation is floor */
		*fraction = (double)*out < d;
		return 1;
	}
	return -1;
}

static enum reason_code
claims_get_app_id(struct json_object *payload, struct claims *out)
{
	const char *s;
	size_t len;

	if (strictjson_get_string(payload, "appId", &s, &len) != 1)
		return REASON_BAD_APP_ID;
	if (!claims_app_id_valid(s, len))
		return REASON_BAD_APP_ID;

	memcpy(out->app_id, s, len);
	out->app_id[len] = '\0';
	return REASON_OK;
}

enum reason_code
claims_extract(struct json_object *payload, struct claims *out)
{
	enum reason_code r;
	bool fraction = false;
	int found;

	memset(out, 0, sizeof(*out));
	r = claims_get_app_id(payload, out);
	if (r != REASON_OK)
		return r;

	found = claims_get_time(payload, "exp", &out->exp, &out->exp_fraction);
	if (found == 0)
		return REASON_MISSING_EXP;
	if (found < 0)
		return REASON_BAD_CLAIM;

	/* A not-before or issued-at instant with a fraction counts as the
	 * next whole second, so it is never honoured early. */
	found = claims_get_time(payload, "nbf", &out->nbf, &fraction);
	if (found < 0)
		return REASON_BAD_CLAIM;
	out->has_nbf = found == 1;
	out->nbf += fraction;

	found = claims_get_time(payload, "iat", &out->iat, &fraction);
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
claims_aud_matches(struct json_object *aud, const char *audience)
{
	struct json_object *item;
	size_t i, n;
	int found = 0;

	if (json_object_is_type(aud, json_type_string))
		return strictjson_string_is(json_object_get_string(aud),
		    (size_t)json_object_get_string_len(aud), audience);
	if (!json_object_is_type(aud, json_type_array))
		return 0;

	n = json_object_array_length(aud);
	for (i = 0; i < n; i++) {
		item = json_object_array_get_idx(aud, i);
		if (!json_object_is_type(item, json_type_string))
			return 0;
		if (strictjson_string_is(json_object_get_string(item),
		    (size_t)json_object_get_string_len(item), audience))
			found = 1;
	}
	return found;
}

/* iss or sub must be the string appId; absent is judged by strictness. */
static bool
claims_names_app(struct json_object *payload, const char *key,
    const struct claims *c, bool strict)
{
	const char *s;
	size_t len;
	int found;

	found = strictjson_get_string(payload, key, &s, &len);
	if (found == 0)
		return !strict;
	return found == 1 && strictjson_string_is(s, len, c->app_id);
}

enum reason_code
claims_check_identity(struct json_object *payload, const struct claims *c,
    const struct claims_policy *policy)
{
	struct json_object *aud;

	if (policy->audience != NULL) {
		if (!json_object_object_get_ex(payload, "aud", &aud)) {
			if (policy->strict)
				return REASON_BAD_AUDIENCE;
		} else if (!claims_aud_matches(aud, policy->audience)) {
			return REASON_BAD_AUDIENCE;
		}
	}
	if (policy->iss_is_app &&
	    !claims_names_app(payload, "iss", c, policy->strict))
		return REASON_BAD_ISSUER;
	if (policy->sub_is_app &&
	    !claims_names_app(payload, "sub", c, policy->strict))
		return REASON_BAD_SUBJECT;
	return REASON_OK;
}
