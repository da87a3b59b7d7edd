/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The order of the token checks.  Nothing is believed before the signature
 * verifies, except what is needed to find the key to verify with: alg,
 * which must be one the key is bound to, and appId and kid, exact lookups.
 */
#include "autoconf.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alg.h"
#include "claims.h"
#include "jws.h"
#include "keystore.h"
#include "policy.h"
#include "strictjson.h"
#include "tokjson.h"
#include "tokcache.h"
#include "verifier.h"

struct verifier {
	struct keystore		 keys;
	struct claims_policy	 policy;
	size_t			 max_token_bytes;
	char			*audience;
	char			*typ;
	struct policy		*access;	/* NULL: no access rules */
	struct tokcache		*cache;		/* NULL: no token cache */
};

/*
 * What an accepted token leaves in the cache.  The result of an accepted
 * token follows from the token's bytes and the verifier alone; only the
 * time checks depend on the clock, so they are judged again on each use.
 */
struct verify_cached {
	struct verify_result	 result;
	struct claims		 claims;
};

/* One check in progress. */
struct verify_run {
	const struct verifier	*v;
	struct jws		 jws;
	struct claims		 claims;
	const struct alg	*alg;
	verifier_trace		 trace;
	void			*arg;
};

static void
verify_note(struct verify_run *run, const char *step, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Tell the tracer, if any; costs nothing on the normal path.  A detail
 * may quote the token's texts, whose white space can hold carriage
 * returns and newlines: every control byte becomes a space, so a token
 * cannot redraw the operator's terminal, and a cut detail ends in "...".
 */
static void
verify_note(struct verify_run *run, const char *step, const char *fmt, ...)
{
	char detail[1024];
	va_list ap;
	size_t i;
	int n;

	if (run->trace == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (i = 0; detail[i] != '\0'; i++) {
		if ((unsigned char)detail[i] < 0x20 || detail[i] == 0x7f)
			detail[i] = ' ';
	}
	if ((size_t)n >= sizeof(detail))
		memcpy(detail + sizeof(detail) - 4, "...", 4);
	run->trace(run->arg, step, detail);
}

static char *
verifier_dup_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? strdup(s) : NULL;
}

struct verifier *
verifier_new(const struct config *cfg, char *err, size_t errlen)
{
	const struct alg *rsa_alg;
	struct verifier *v;

	rsa_alg = alg_find(cfg->algorithm, strlen(cfg->algorithm));
	if (rsa_alg == NULL || (strncmp(cfg->algorithm, "RS", 2) != 0 &&
	    strncmp(cfg->algorithm, "PS", 2) != 0)) {
		snprintf(err, errlen, "algorithm \"%s\" is not an RSA "
		    "algorithm xtoken supports (RS256, RS384, RS512, PS256, "
		    "PS384 or PS512)", cfg->algorithm);
		return NULL;
	}

	v = calloc(1, sizeof(*v));
	if (v == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	v->audience = verifier_dup_or_null(cfg->audience);
	v->typ = verifier_dup_or_null(cfg->typ);
	v->policy.leeway = cfg->leeway;
	v->policy.max_lifetime = cfg->max_lifetime;
	v->policy.audience = v->audience;
	v->policy.iss_is_app = cfg->iss_is_app != 0;
	v->policy.sub_is_app = cfg->sub_is_app != 0;
	v->policy.strict = cfg->strict_claims != 0;
	v->max_token_bytes = (size_t)cfg->max_token_bytes;

	if (keystore_load_dir(&v->keys, cfg->keys_dir, rsa_alg, err,
	    errlen) != 0) {
		verifier_free(v);
		return NULL;
	}

	/* Loaded with the keys, so a reload swaps both at once. */
	if (cfg->policy_path != NULL) {
		v->access = policy_load(cfg->policy_path, err, errlen);
		if (v->access == NULL) {
			verifier_free(v);
			return NULL;
		}
	}

	/* New with every verifier: a reload starts with an empty cache, so
	 * no token outlives the key that verified it. */
	if (cfg->token_cache > 0) {
		v->cache = tokcache_new((size_t)cfg->token_cache,
		    sizeof(struct verify_cached));
		if (v->cache == NULL) {
			snprintf(err, errlen, "token_cache: out of memory for "
			    "%ld entries; lower it", cfg->token_cache);
			verifier_free(v);
			return NULL;
		}
	}
	return v;
}

void
verifier_free(struct verifier *v)
{
	if (v == NULL)
		return;
	keystore_clear(&v->keys);
	policy_free(v->access);
	tokcache_free(v->cache);
	free(v->audience);
	free(v->typ);
	free(v);
}

size_t
verifier_key_count(const struct verifier *v)
{
	return v->keys.count;
}

size_t
verifier_app_count(const struct verifier *v)
{
	return keystore_app_count(&v->keys);
}

size_t
verifier_rule_count(const struct verifier *v)
{
	return v->access != NULL ? policy_rule_count(v->access) : 0;
}

bool
verifier_has_rules(const struct verifier *v)
{
	return v->access != NULL;
}

enum reason_code
verifier_check_route(const struct verifier *v, const char *app_id,
    const char *method, const char *uri)
{
	if (v->access == NULL)
		return REASON_OK;
	return policy_check(v->access, app_id, method, uri);
}

static enum reason_code
verify_parse(struct verify_run *run, const char *token, size_t len)
{
	enum reason_code r;

	r = jws_parse(token, len, run->v->max_token_bytes, &run->jws);
	if (r != REASON_OK) {
		verify_note(run, "parse", "%zu bytes: %s", len,
		    reason_name(r));
		return r;
	}
	verify_note(run, "parse", "%zu bytes, three segments", len);

	/* The texts as sent, their white space made plain by verify_note. */
	verify_note(run, "header", "%.*s", (int)run->jws.header_len,
	    run->jws.header);
	verify_note(run, "claims", "%.*s", (int)run->jws.payload_len,
	    run->jws.payload);
	return REASON_OK;
}

/*
 * Only the algorithms in our table exist for a token: "none" and the HMAC
 * family never do, so a public key can never be used as an HMAC secret
 * (RFC 8725 section 3.1).  Which of them a token may use is decided per
 * key below.
 */
static enum reason_code
verify_alg(struct verify_run *run, struct verify_result *result)
{
	run->alg = alg_find(run->jws.alg, run->jws.alg_len);
	if (run->alg == NULL) {
		verify_note(run, "alg", "\"%.*s\" is not an algorithm xtoken "
		    "accepts", (int)run->jws.alg_len, run->jws.alg);
		return REASON_ALG_NOT_ALLOWED;
	}
	result->alg = alg_name(run->alg);
	return REASON_OK;
}

/*
 * The kid header: absent, or a valid key ID, decoded into kid (room for
 * VERIFIER_KID_MAX bytes and a NUL).  *kid_len is 0 when it is absent.
 */
static enum reason_code
verify_kid(struct verify_run *run, char *kid, size_t *kid_len)
{
	const struct tokjson_value *v = &run->jws.hdr[JWS_KID];

	*kid_len = 0;
	if (v->type == TOKJSON_ABSENT)
		return REASON_OK;
	if (tokjson_string_copy(v, kid, VERIFIER_KID_MAX + 1, kid_len) != 0 ||
	    !keystore_kid_valid(kid, *kid_len)) {
		verify_note(run, "key", "the kid header is not a valid key "
		    "ID");
		return REASON_BAD_HEADER;
	}
	return REASON_OK;
}

/* The key's ID into the result, cut to fit (keystore IDs always do). */
static void
verify_copy_kid(struct verify_result *result, const char *kid)
{
	size_t len = strnlen(kid, sizeof(result->kid) - 1);

	memcpy(result->kid, kid, len);
	result->kid[len] = '\0';
}

static enum reason_code
verify_with(struct verify_run *run, const struct keystore_entry *key,
    struct verify_result *result)
{
	int ok;

	ok = alg_verify_prepared(key->prep, run->jws.signing_input,
	    run->jws.signing_input_len, run->jws.sig, run->jws.sig_len);
	if (ok < 0)
		return REASON_INTERNAL;
	verify_note(run, "signature", "%s with %s (%s)",
	    ok ? "verifies" : "does not verify", key->source,
	    alg_name(key->alg));
	if (ok == 1) {
		verify_copy_kid(result, key->kid);
		result->signature_ok = true;
	}
	return ok == 1 ? REASON_OK : REASON_BAD_SIGNATURE;
}

/* The one key a kid names, which must be bound to the token's alg. */
static enum reason_code
verify_by_kid(struct verify_run *run, const struct keystore_entry *keys,
    size_t n, const char *kid, size_t kid_len, struct verify_result *result)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strictjson_string_is(kid, kid_len, keys[i].kid))
			continue;
		if (keys[i].alg != run->alg) {
			verify_note(run, "key", "%s is bound to %s, the token "
			    "says %s", keys[i].source, alg_name(keys[i].alg),
			    alg_name(run->alg));
			return REASON_ALG_NOT_ALLOWED;
		}
		return verify_with(run, &keys[i], result);
	}
	verify_note(run, "key", "appId \"%s\" has no key with kid \"%.*s\"",
	    run->claims.app_id, (int)kid_len, kid);
	return REASON_UNKNOWN_KEY;
}

/* Every key of the appId bound to the token's alg, in turn. */
static enum reason_code
verify_by_app(struct verify_run *run, const struct keystore_entry *keys,
    size_t n, struct verify_result *result)
{
	enum reason_code r = REASON_ALG_NOT_ALLOWED;
	size_t i;

	for (i = 0; i < n; i++) {
		if (keys[i].alg != run->alg)
			continue;
		r = verify_with(run, &keys[i], result);
		if (r != REASON_BAD_SIGNATURE)
			return r;
	}
	if (r == REASON_ALG_NOT_ALLOWED)
		verify_note(run, "key", "no key of appId \"%s\" is bound "
		    "to %s", run->claims.app_id, alg_name(run->alg));
	return r;
}

/*
 * Pick the keys and verify.  The token's kid, when sent, selects exactly
 * one key of its appId; without kid every key of the appId bound to the
 * token's alg is tried, which is what lets a new key be rolled out before
 * the old one is retired.  A key is only ever used with its own algorithm.
 */
static enum reason_code
verify_signature(struct verify_run *run, struct verify_result *result)
{
	const struct keystore_entry *keys;
	char kid[VERIFIER_KID_MAX + 1];
	size_t n, kid_len;
	enum reason_code r;

	n = keystore_app_keys(&run->v->keys, run->claims.app_id,
	    strlen(run->claims.app_id), &keys);
	if (n == 0) {
		verify_note(run, "key", "no key is registered for appId "
		    "\"%s\"", run->claims.app_id);
		return REASON_UNKNOWN_APP;
	}
	r = verify_kid(run, kid, &kid_len);
	if (r != REASON_OK)
		return r;
	if (run->jws.hdr[JWS_KID].type != TOKJSON_ABSENT)
		return verify_by_kid(run, keys, n, kid, kid_len, result);
	return verify_by_app(run, keys, n, result);
}

/* typ, when configured: media type names are case-insensitive, and the
 * "application/" prefix may be left out (RFC 7515 section 4.1.9). */
static bool
verify_typ_matches(const char *typ, size_t len, const char *want)
{
	static const char prefix[] = "application/";
	size_t plen = sizeof(prefix) - 1;

	if (len > plen && strncasecmp(typ, prefix, plen) == 0) {
		typ += plen;
		len -= plen;
	}
	return strlen(want) == len && strncasecmp(typ, want, len) == 0 &&
	    memchr(typ, '\0', len) == NULL;
}

/* Longest typ compared; a longer one matches no configured type. */
#define VERIFY_TYP_MAX	255

static enum reason_code
verify_typ(struct verify_run *run)
{
	const struct tokjson_value *v = &run->jws.hdr[JWS_TYP];
	char typ[VERIFY_TYP_MAX + 1];
	size_t len;

	if (run->v->typ == NULL)
		return REASON_OK;
	if (v->type == TOKJSON_ABSENT && !run->v->policy.strict)
		return REASON_OK;
	if (tokjson_string_copy(v, typ, sizeof(typ), &len) == 0 &&
	    verify_typ_matches(typ, len, run->v->typ))
		return REASON_OK;
	verify_note(run, "typ", "header typ is not \"%s\"", run->v->typ);
	return REASON_BAD_TYPE;
}

/* Everything that is judged only once the signature has verified. */
static enum reason_code
verify_claims(struct verify_run *run, enum reason_code claims_r,
    int64_t now)
{
	enum reason_code r;

	if (claims_r != REASON_OK) {
		verify_note(run, "claims", "%s", reason_name(claims_r));
		return claims_r;
	}
	r = claims_check_time(&run->claims, &run->v->policy, now);
	verify_note(run, "time", "exp %lld is %lld s from now %lld (leeway "
	    "%lld s, lifetime cap %lld s): %s", (long long)run->claims.exp,
	    (long long)(run->claims.exp - now), (long long)now,
	    (long long)run->v->policy.leeway,
	    (long long)run->v->policy.max_lifetime, reason_name(r));
	if (r != REASON_OK)
		return r;

	r = claims_check_identity(run->jws.claim, &run->claims,
	    &run->v->policy);
	if (r != REASON_OK) {
		verify_note(run, "identity", "%s", reason_name(r));
		return r;
	}
	return verify_typ(run);
}

_Static_assert(VERIFIER_TOKEN_ID_LEN == TOKCACHE_DIGEST_LEN,
    "a token ID is one SHA-256 digest");

/*
 * The token's identity for replay checks.  A jti that is not a string of
 * 1 to VERIFIER_JTI_MAX bytes counts as absent, so a caller cannot make
 * us hash megabytes or compare numbers with strings.
 */
static enum reason_code
verify_token_id(struct verify_run *run, struct verify_result *result)
{
	char jti[VERIFIER_JTI_MAX + 1];
	size_t len;

	/* Too long does not fit: counted as absent, as said above. */
	if (tokjson_string_copy(&run->jws.claim[CLAIMS_JTI], jti, sizeof(jti),
	    &len) != 0 || len == 0)
		return REASON_OK;

	/* The appId's NUL keeps ("ab", "c") apart from ("a", "bc"). */
	if (tokcache_digest2(result->app_id, strlen(result->app_id) + 1, jti,
	    len, result->token_id) != 0)
		return REASON_INTERNAL;
	result->has_jti = true;
	return REASON_OK;
}

/*
 * Field by field: an initializer would also zero the decoded token's
 * storage, kilobytes per check; jws_parse, always the first step, sets up
 * run->jws itself.
 */
static void
verify_run_init(struct verify_run *run, const struct verifier *v,
    verifier_trace trace, void *arg)
{
	run->v = v;
	run->trace = trace;
	run->arg = arg;
	run->alg = NULL;
	memset(&run->claims, 0, sizeof(run->claims));
}

/* Every check, in order; run->claims holds the claims afterwards. */
static enum reason_code
verify_token(struct verify_run *run, const char *token, size_t len,
    int64_t now, struct verify_result *result)
{
	enum reason_code r, claims_r;

	memset(result, 0, sizeof(*result));
	result->reason = REASON_INTERNAL;

	r = verify_parse(run, token, len);
	if (r != REASON_OK)
		goto out;
	r = verify_alg(run, result);
	if (r != REASON_OK)
		goto out;

	/* Claim type errors wait until the signature has verified, so a
	 * forged token learns nothing but "bad signature". */
	claims_r = claims_extract(run->jws.claim, &run->claims);
	if (claims_r == REASON_BAD_APP_ID) {
		verify_note(run, "appId", "missing, or not 1-%d characters "
		    "of A-Z a-z 0-9 . _ - (not starting with a dot)",
		    CLAIMS_APP_ID_MAX);
		r = claims_r;
		goto out;
	}
	memcpy(result->app_id, run->claims.app_id, sizeof(result->app_id));

	r = verify_signature(run, result);
	if (r != REASON_OK)
		goto out;
	r = verify_claims(run, claims_r, now);
	if (r != REASON_OK)
		goto out;
	r = verify_token_id(run, result);
	if (r != REASON_OK)
		goto out;

	result->exp = run->claims.exp;
	r = REASON_OK;

out:
	jws_clear(&run->jws);
	verify_note(run, "verdict", "%s", reason_name(r));
	result->reason = r;
	return r;
}

enum reason_code
verifier_explain(const struct verifier *v, const char *token, size_t len,
    int64_t now, struct verify_result *result, verifier_trace trace,
    void *arg)
{
	struct verify_run run;

	verify_run_init(&run, v, trace, arg);
	return verify_token(&run, token, len, now, result);
}

/*
 * A token accepted before is accepted again without parsing or
 * verifying, as long as the clock still allows it.  One that the clock
 * refuses now is checked in full, so its refusal reads exactly as it
 * would without the cache.  Only accepted tokens are stored: a refusal
 * is never remembered, so it can never turn into an acceptance, and
 * remembering forgeries would only fill the cache.
 */
enum reason_code
verifier_check(const struct verifier *v, const char *token, size_t len,
    int64_t now, struct verify_result *result)
{
	struct verify_run run;
	unsigned char digest[TOKCACHE_DIGEST_LEN];
	struct verify_cached c;
	uint64_t fingerprint;
	enum reason_code r;

	verify_run_init(&run, v, NULL, NULL);

	/* The size cap comes first, as in the full check: an oversized
	 * token is refused without being hashed. */
	if (v->cache == NULL || len > v->max_token_bytes)
		return verify_token(&run, token, len, now, result);

	/* A token that never verified here cannot be in the cache. */
	fingerprint = tokcache_fingerprint(v->cache, token, len);
	if (!tokcache_seen(v->cache, fingerprint)) {
		r = verify_token(&run, token, len, now, result);
		if (r == REASON_OK)
			tokcache_see(v->cache, fingerprint);
		return r;
	}

	if (tokcache_digest(token, len, digest) != 0)
		return verify_token(&run, token, len, now, result);
	if (tokcache_get(v->cache, digest, &c) &&
	    claims_check_time(&c.claims, &v->policy, now) == REASON_OK) {
		*result = c.result;
		return REASON_OK;
	}

	r = verify_token(&run, token, len, now, result);
	if (r == REASON_OK) {
		c.result = *result;
		c.claims = run.claims;
		tokcache_put(v->cache, digest, run.claims.exp, &c);
	}
	return r;
}
