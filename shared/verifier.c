/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The order of the token checks.  Nothing is believed before the signature
 * verifies, except the two values needed to find the key to verify with:
 * alg, which must equal the configured one, and appId, an exact lookup.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alg.h"
#include "claims.h"
#include "jws.h"
#include "keystore.h"
#include "verifier.h"

struct verifier {
	const struct alg	*alg;
	struct keystore		 keys;
	struct claims_policy	 policy;
	size_t			 max_token_bytes;
};

struct verifier *
verifier_new(const struct config *cfg, char *err, size_t errlen)
{
	struct verifier *v;

	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}

	v->alg = alg_find(cfg->algorithm, strlen(cfg->algorithm));
	if (v->alg == NULL) {
		snprintf(err, errlen, "algorithm \"%s\" is not supported "
		    "(use RS256, RS384, RS512, PS256, PS384 or PS512)",
		    cfg->algorithm);
		free(v);
		return NULL;
	}
	v->policy.leeway = cfg->leeway;
	v->policy.max_lifetime = cfg->max_lifetime;
	v->max_token_bytes = (size_t)cfg->max_token_bytes;

	if (keystore_load_dir(&v->keys, cfg->keys_dir, v->alg, err,
	    errlen) != 0) {
		free(v);
		return NULL;
	}
	return v;
}

void
verifier_free(struct verifier *v)
{
	if (v == NULL)
		return;
	keystore_clear(&v->keys);
	free(v);
}

size_t
verifier_key_count(const struct verifier *v)
{
	return v->keys.count;
}

/*
 * The algorithm is pinned by configuration (RFC 8725 section 3.1): the
 * token's alg must name exactly that one, so "none", HS* keyed with the
 * public key, or any other algorithm is refused before any key is used.
 */
static enum reason_code
verifier_check_alg(const struct verifier *v, const struct jws *jws,
    struct verify_result *result)
{
	if (alg_find(jws->alg, jws->alg_len) != v->alg)
		return REASON_ALG_NOT_ALLOWED;
	result->alg = alg_name(v->alg);
	return REASON_OK;
}

static enum reason_code
verifier_check_signature(const struct verifier *v, const struct jws *jws,
    const struct claims *claims)
{
	const struct keystore_entry *key;
	int ok;

	key = keystore_find(&v->keys, claims->app_id, strlen(claims->app_id));
	if (key == NULL)
		return REASON_UNKNOWN_APP;

	ok = alg_verify(key->alg, key->pkey, jws->signing_input,
	    jws->signing_input_len, jws->sig, jws->sig_len);
	if (ok < 0)
		return REASON_INTERNAL;
	return ok == 1 ? REASON_OK : REASON_BAD_SIGNATURE;
}

enum reason_code
verifier_check(const struct verifier *v, const char *token, size_t len,
    int64_t now, struct verify_result *result)
{
	struct claims claims;
	struct jws jws;
	enum reason_code r, claims_r;

	memset(result, 0, sizeof(*result));
	result->reason = REASON_INTERNAL;

	r = jws_parse(token, len, v->max_token_bytes, &jws);
	if (r != REASON_OK)
		goto out;
	r = verifier_check_alg(v, &jws, result);
	if (r != REASON_OK)
		goto out;

	/* Claim type errors wait until the signature has verified, so a
	 * forged token learns nothing but "bad signature". */
	claims_r = claims_extract(jws.payload, &claims);
	if (claims_r == REASON_BAD_APP_ID) {
		r = claims_r;
		goto out;
	}
	memcpy(result->app_id, claims.app_id, sizeof(result->app_id));

	r = verifier_check_signature(v, &jws, &claims);
	if (r != REASON_OK)
		goto out;
	if (claims_r != REASON_OK) {
		r = claims_r;
		goto out;
	}
	r = claims_check_time(&claims, &v->policy, now);
	if (r != REASON_OK)
		goto out;

	result->exp = claims.exp;
	r = REASON_OK;

out:
	jws_clear(&jws);
	result->reason = r;
	return r;
}
