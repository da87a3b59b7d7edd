/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the fast path: the cache of accepted tokens and the
 * prepared signature contexts must never change a verdict.
 */
#include "autoconf.h"

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "alg.h"
#include "config.h"
#include "testkeys.h"
#include "tokcache.h"
#include "verifier.h"

#define NOW	INT64_C(1800000000)
#define LEEWAY	30
#define H	"{\"alg\":\"RS512\",\"typ\":\"JWT\"}"

struct fixture {
	EVP_PKEY	*app1;		/* registered for app1 */
	EVP_PKEY	*other;		/* registered for app1 in "other" */
	char		*dir;		/* app1's key */
	char		*other_dir;	/* another key under the same appId */
	struct verifier	*cached;	/* default cache */
	struct verifier	*plain;		/* token_cache = 0 */
	struct verifier	*tiny;		/* one set of TOKCACHE_WAYS */
};

static struct fixture fx;

static struct verifier *
make_verifier(const char *dir, const char *cache)
{
	struct config cfg;
	struct verifier *v;
	char err[512];

	if (config_init(&cfg) != 0 ||
	    config_set(&cfg, "keys", dir, err, sizeof(err)) != 0 ||
	    config_set(&cfg, "token_cache", cache, err, sizeof(err)) != 0) {
		fprintf(stderr, "# %s\n", err);
		config_free(&cfg);
		return NULL;
	}
	v = verifier_new(&cfg, err, sizeof(err));
	if (v == NULL)
		fprintf(stderr, "# %s\n", err);
	config_free(&cfg);
	return v;
}

static int
setup(void **state)
{
	fx.app1 = testkeys_rsa(2048);
	fx.other = testkeys_rsa(2048);
	fx.dir = testkeys_mkdir();
	fx.other_dir = testkeys_mkdir();
	testkeys_write_public(fx.dir, "app1_public.pem", fx.app1);
	testkeys_write_public(fx.other_dir, "app1_public.pem", fx.other);

	fx.cached = make_verifier(fx.dir, "4096");
	fx.plain = make_verifier(fx.dir, "0");
	fx.tiny = make_verifier(fx.dir, "1");
	return fx.cached && fx.plain && fx.tiny ? 0 : -1;
}

static int
teardown(void **state)
{
	verifier_free(fx.cached);
	verifier_free(fx.plain);
	verifier_free(fx.tiny);
	testkeys_rmdir(fx.dir);
	testkeys_rmdir(fx.other_dir);
	free(fx.dir);
	free(fx.other_dir);
	EVP_PKEY_free(fx.app1);
	EVP_PKEY_free(fx.other);
	return 0;
}

/* A token of app1 signed by key: iat = NOW + iat_off, exp = NOW + ttl. */
static char *
token(EVP_PKEY *key, long iat_off, long ttl, const char *extra)
{
	char pl[512];

	snprintf(pl, sizeof(pl), "{\"appId\":\"app1\",\"iat\":%lld,"
	    "\"exp\":%lld%s%s}", (long long)(NOW + iat_off),
	    (long long)(NOW + ttl), extra ? "," : "", extra ? extra : "");
	return testkeys_token(key, H, pl);
}

static enum reason_code
check(struct verifier *v, const char *tok, int64_t now,
    struct verify_result *res)
{
	return verifier_check(v, tok, strlen(tok), now, res);
}

/*
 * Check tok twice at now, both accepted: a token enters the cache on its
 * second good check, so later checks of it are cache hits.
 */
static void
remember(struct verifier *v, const char *tok, int64_t now,
    struct verify_result *res)
{
	assert_int_equal(check(v, tok, now, res), REASON_OK);
	assert_int_equal(check(v, tok, now, res), REASON_OK);
}

/*
 * The cached verifier must give exactly what the verifier without a
 * cache gives: the same reason and, field by field, the same result.
 */
static void
assert_same_verdict(const char *tok, int64_t now)
{
	struct verify_result a, b;

	assert_int_equal(check(fx.cached, tok, now, &a),
	    check(fx.plain, tok, now, &b));
	assert_int_equal(a.reason, b.reason);
	assert_string_equal(a.app_id, b.app_id);
	assert_string_equal(a.kid, b.kid);
	assert_true(a.alg == b.alg);
	assert_int_equal(a.exp, b.exp);
	assert_int_equal(a.signature_ok, b.signature_ok);
	assert_int_equal(a.has_jti, b.has_jti);
	assert_memory_equal(a.token_id, b.token_id, sizeof(a.token_id));
}

static void
test_cache_hit_gives_the_same_result(void **state)
{
	char *tok = token(fx.app1, 0, 300, "\"jti\":\"hit-1\"");
	struct verify_result first, again;

	remember(fx.cached, tok, NOW, &first);
	assert_int_equal(check(fx.cached, tok, NOW + 1, &again), REASON_OK);
	assert_memory_equal(&first, &again, sizeof(first));
	assert_true(again.has_jti);
	assert_same_verdict(tok, NOW + 2);
	free(tok);
}

static void
test_cached_token_expires(void **state)
{
	char *tok = token(fx.app1, 0, 60, NULL);
	struct verify_result res;

	remember(fx.cached, tok, NOW, &res);
	assert_int_equal(check(fx.cached, tok, NOW + 60 + LEEWAY - 1, &res),
	    REASON_OK);
	assert_int_equal(check(fx.cached, tok, NOW + 60 + LEEWAY, &res),
	    REASON_EXPIRED);
	assert_same_verdict(tok, NOW + 60 + LEEWAY);
	assert_same_verdict(tok, NOW + 100000);
	free(tok);
}

/* A clock that goes back is judged again too: iat and nbf still count. */
static void
test_cached_token_judged_against_earlier_clock(void **state)
{
	char *tok = token(fx.app1, 0, 120, "\"nbf\":1800000010");
	struct verify_result res;

	remember(fx.cached, tok, NOW + 10, &res);
	assert_int_not_equal(check(fx.cached, tok, NOW - LEEWAY - 1, &res),
	    REASON_OK);
	assert_same_verdict(tok, NOW - LEEWAY - 1);
	assert_same_verdict(tok, NOW + 5);
	free(tok);
}

/* A refusal is never remembered: a token not yet valid becomes valid. */
static void
test_refusal_is_not_cached(void **state)
{
	char *tok = token(fx.app1, 0, 300, "\"nbf\":1800000100");
	struct verify_result res;

	assert_int_equal(check(fx.cached, tok, NOW, &res),
	    REASON_NOT_YET_VALID);
	assert_int_equal(check(fx.cached, tok, NOW + 100, &res), REASON_OK);
	assert_same_verdict(tok, NOW);
	free(tok);
}

/* Tokens that share all but their last bytes never share an entry. */
static void
test_same_prefix_other_token(void **state)
{
	char *tok = token(fx.app1, 0, 300, NULL);
	size_t len = strlen(tok);
	char *forged = strdup(tok);
	char *longer = malloc(len + 2);
	struct verify_result res;

	assert_non_null(forged);
	assert_non_null(longer);
	remember(fx.cached, tok, NOW, &res);

	/* Flip a whole-value bit of the last signature character. */
	forged[len - 1] = forged[len - 1] == 'A' ? 'Q' : 'A';
	assert_int_not_equal(check(fx.cached, forged, NOW, &res), REASON_OK);
	assert_same_verdict(forged, NOW);

	memcpy(longer, tok, len);
	memcpy(longer + len, "A", 2);
	assert_int_not_equal(check(fx.cached, longer, NOW, &res), REASON_OK);
	assert_same_verdict(longer, NOW);

	/* A prefix of the token is not the token. */
	assert_int_not_equal(verifier_check(fx.cached, tok, len - 4, NOW,
	    &res), REASON_OK);
	assert_int_equal(check(fx.cached, tok, NOW, &res), REASON_OK);
	free(tok);
	free(forged);
	free(longer);
}

/* A cache of one set: evictions change speed, never a verdict. */
static void
test_capacity_eviction_keeps_verdicts(void **state)
{
	enum { N = TOKCACHE_WAYS * 3 };
	struct verify_result res;
	char *toks[N], extra[32];
	int i, round;

	for (i = 0; i < N; i++) {
		snprintf(extra, sizeof(extra), "\"jti\":\"evict-%d\"", i);
		toks[i] = token(fx.app1, 0, 60 + i, extra);
	}
	for (round = 0; round < 3; round++) {
		for (i = 0; i < N; i++) {
			assert_int_equal(check(fx.tiny, toks[i], NOW, &res),
			    REASON_OK);
			assert_int_equal(res.exp, NOW + 60 + i);
		}
	}
	for (i = 0; i < N; i++) {
		assert_int_equal(check(fx.tiny, toks[i], NOW + 60 + i + LEEWAY,
		    &res), REASON_EXPIRED);
		free(toks[i]);
	}
}

/*
 * A reload builds a new verifier: it starts with an empty cache, so a
 * token accepted under the old key is judged under the new one.
 */
static void
test_new_verifier_starts_empty(void **state)
{
	char *tok = token(fx.app1, 0, 300, NULL);
	struct verifier *old, *reloaded;
	struct verify_result res;

	old = make_verifier(fx.dir, "64");
	reloaded = make_verifier(fx.other_dir, "64");
	assert_non_null(old);
	assert_non_null(reloaded);

	assert_int_equal(check(old, tok, NOW, &res), REASON_OK);
	assert_int_equal(check(old, tok, NOW, &res), REASON_OK);
	assert_int_equal(check(reloaded, tok, NOW, &res),
	    REASON_BAD_SIGNATURE);
	verifier_free(old);
	verifier_free(reloaded);
	free(tok);
}

/* The digest picks the set; entries are told apart by all 32 bytes. */
static void
test_tokcache_compares_whole_digest(void **state)
{
	struct tokcache *tc = tokcache_new(1, sizeof(int));
	unsigned char a[TOKCACHE_DIGEST_LEN] = { 1, 2, 3 };
	unsigned char b[TOKCACHE_DIGEST_LEN] = { 1, 2, 3 };
	int va = 11, vb = 22, got = 0;

	assert_non_null(tc);
	assert_int_equal(tokcache_capacity(tc), TOKCACHE_WAYS);
	b[TOKCACHE_DIGEST_LEN - 1] = 1;

	tokcache_put(tc, a, 100, &va);
	assert_true(tokcache_get(tc, a, &got));
	assert_int_equal(got, 11);
	assert_false(tokcache_get(tc, b, &got));

	tokcache_put(tc, b, 100, &vb);
	assert_true(tokcache_get(tc, b, &got));
	assert_int_equal(got, 22);
	assert_true(tokcache_get(tc, a, &got));
	assert_int_equal(got, 11);
	tokcache_free(tc);
}

/*
 * The doorkeeper remembers fingerprints, whole and per cache: equal bytes
 * give equal fingerprints, other bytes, lengths or caches other ones.
 */
static void
test_tokcache_doorkeeper(void **state)
{
	static const char tok[] =
	    "eyJhbGciOiJSUzUxMiJ9.eyJhcHBJZCI6ImEifQ.c2ln";
	struct tokcache *tc = tokcache_new(64, sizeof(int));
	struct tokcache *other = tokcache_new(64, sizeof(int));
	char flipped[sizeof(tok)];
	uint64_t fp;

	assert_non_null(tc);
	assert_non_null(other);
	fp = tokcache_fingerprint(tc, tok, sizeof(tok) - 1);
	assert_true(fp == tokcache_fingerprint(tc, tok, sizeof(tok) - 1));
	assert_false(fp == tokcache_fingerprint(tc, tok, sizeof(tok) - 2));
	assert_false(fp == tokcache_fingerprint(other, tok, sizeof(tok) - 1));
	memcpy(flipped, tok, sizeof(tok));
	flipped[sizeof(tok) - 2] ^= 1;
	assert_false(fp == tokcache_fingerprint(tc, flipped,
	    sizeof(tok) - 1));

	assert_false(tokcache_seen(tc, fp));
	tokcache_see(tc, fp);
	assert_true(tokcache_seen(tc, fp));
	assert_false(tokcache_seen(other, fp));
	assert_false(tokcache_seen(tc, tokcache_fingerprint(tc, flipped,
	    sizeof(tok) - 1)));
	tokcache_free(tc);
	tokcache_free(other);
}

/* A full set makes room with the entry that expires first. */
static void
test_tokcache_evicts_soonest_expiry(void **state)
{
	struct tokcache *tc = tokcache_new(TOKCACHE_WAYS, sizeof(int));
	unsigned char d[TOKCACHE_WAYS + 1][TOKCACHE_DIGEST_LEN];
	int i, got;

	assert_non_null(tc);
	memset(d, 0, sizeof(d));
	for (i = 0; i <= TOKCACHE_WAYS; i++)
		d[i][TOKCACHE_DIGEST_LEN - 1] = (unsigned char)(i + 1);

	/* Entry 3 expires first. */
	for (i = 0; i < TOKCACHE_WAYS; i++)
		tokcache_put(tc, d[i], i == 3 ? 5 : 100 + i, &i);
	tokcache_put(tc, d[TOKCACHE_WAYS], 200, &i);

	for (i = 0; i <= TOKCACHE_WAYS; i++)
		assert_int_equal(tokcache_get(tc, d[i], &got), i != 3);

	/* The same digest again keeps one entry with the new value. */
	i = 77;
	tokcache_put(tc, d[0], 300, &i);
	assert_true(tokcache_get(tc, d[0], &got));
	assert_int_equal(got, 77);
	for (i = 1; i <= TOKCACHE_WAYS; i++)
		assert_int_equal(tokcache_get(tc, d[i], &got), i != 3);
	tokcache_free(tc);
}

static void
test_tokcache_bounds(void **state)
{
	struct tokcache *tc;

	assert_null(tokcache_new(0, 8));
	assert_null(tokcache_new(TOKCACHE_MAX_ENTRIES + 1, 8));
	tc = tokcache_new(TOKCACHE_WAYS + 1, 8);
	assert_non_null(tc);
	assert_int_equal(tokcache_capacity(tc), 2 * TOKCACHE_WAYS);
	tokcache_free(tc);
}

/* Threads hitting, missing and evicting at once see only their values. */
struct race {
	struct verifier	*v;
	char		*toks[4];
	int		 bad;
};

static void *
race_run(void *arg)
{
	struct race *r = arg;
	struct verify_result res;
	int i;

	for (i = 0; i < 200; i++) {
		if (check(r->v, r->toks[i % 4], NOW, &res) != REASON_OK ||
		    res.exp != NOW + 100 + i % 4)
			r->bad++;
	}
	return NULL;
}

static void
test_threads_share_the_cache(void **state)
{
	struct race r[4];
	pthread_t t[4];
	char extra[32];
	int i, k;

	for (i = 0; i < 4; i++) {
		r[i].v = fx.tiny;
		r[i].bad = 0;
		for (k = 0; k < 4; k++) {
			snprintf(extra, sizeof(extra), "\"jti\":\"t%d-%d\"", i,
			    k);
			r[i].toks[k] = token(fx.app1, 0, 100 + k, extra);
		}
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, race_run, &r[i]),
		    0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].bad, 0);
		for (k = 0; k < 4; k++)
			free(r[i].toks[k]);
	}
}

/*
 * The prepared contexts answer as alg_verify does, for good signatures,
 * wrong ones and ones of the wrong length, and again on reuse.
 */
static void
prepared_matches(const char *name, EVP_PKEY *key)
{
	const struct alg *alg = alg_find(name, strlen(name));
	struct alg_prepared *prep;
	unsigned char *sig = NULL, bad[1024];
	size_t siglen = 0;
	const char *msg = "eyJhbGciOiJub25lIn0.eyJhcHBJZCI6ImFwcDEifQ";
	int round;

	assert_non_null(alg);
	prep = alg_prepare(alg, key);
	assert_non_null(prep);
	assert_int_equal(alg_sign(alg, key, msg, strlen(msg), &sig, &siglen),
	    0);
	assert_true(siglen <= sizeof(bad));
	memcpy(bad, sig, siglen);
	bad[siglen / 2] ^= 0x01;

	for (round = 0; round < 3; round++) {
		assert_int_equal(alg_verify_prepared(prep, msg, strlen(msg),
		    sig, siglen), 1);
		assert_int_equal(alg_verify_prepared(prep, msg, strlen(msg),
		    bad, siglen), alg_verify(alg, key, msg, strlen(msg), bad,
		    siglen));
		assert_int_equal(alg_verify_prepared(prep, msg,
		    strlen(msg) - 1, sig, siglen), 0);
		assert_int_equal(alg_verify_prepared(prep, msg, strlen(msg),
		    sig, siglen - 1), 0);
		assert_int_equal(alg_verify_prepared(prep, msg, strlen(msg),
		    sig, 0), 0);
	}
	assert_int_equal(alg_verify(alg, key, msg, strlen(msg), bad, siglen),
	    0);
	free(sig);
	alg_prepared_free(prep);
}

static void
test_prepared_verify_matches_alg_verify(void **state)
{
	EVP_PKEY *ec = testkeys_ec();
	EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");

	assert_non_null(ed);
	prepared_matches("RS256", fx.app1);
	prepared_matches("RS512", fx.app1);
	prepared_matches("PS256", fx.app1);
	prepared_matches("PS512", fx.app1);
	prepared_matches("ES256", ec);
	prepared_matches("EdDSA", ed);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(ed);
}

/* A PS* context must not verify a PKCS#1 v1.5 signature, nor reverse. */
static void
test_prepared_keeps_padding_apart(void **state)
{
	const struct alg *rs = alg_find("RS512", 5);
	const struct alg *ps = alg_find("PS512", 5);
	struct alg_prepared *prs = alg_prepare(rs, fx.app1);
	struct alg_prepared *pps = alg_prepare(ps, fx.app1);
	unsigned char *s1 = NULL, *s2 = NULL;
	size_t l1 = 0, l2 = 0;
	const char *msg = "header.payload";
	size_t n = strlen(msg);

	assert_non_null(prs);
	assert_non_null(pps);
	assert_int_equal(alg_sign(rs, fx.app1, msg, n, &s1, &l1), 0);
	assert_int_equal(alg_sign(ps, fx.app1, msg, n, &s2, &l2), 0);
	assert_int_equal(alg_verify_prepared(prs, msg, n, s1, l1), 1);
	assert_int_equal(alg_verify_prepared(pps, msg, n, s2, l2), 1);
	assert_int_equal(alg_verify_prepared(prs, msg, n, s2, l2), 0);
	assert_int_equal(alg_verify_prepared(pps, msg, n, s1, l1), 0);
	free(s1);
	free(s2);
	alg_prepared_free(prs);
	alg_prepared_free(pps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache_hit_gives_the_same_result),
		cmocka_unit_test(test_cached_token_expires),
		cmocka_unit_test(
		    test_cached_token_judged_against_earlier_clock),
		cmocka_unit_test(test_refusal_is_not_cached),
		cmocka_unit_test(test_same_prefix_other_token),
		cmocka_unit_test(test_capacity_eviction_keeps_verdicts),
		cmocka_unit_test(test_new_verifier_starts_empty),
		cmocka_unit_test(test_tokcache_compares_whole_digest),
		cmocka_unit_test(test_tokcache_doorkeeper),
		cmocka_unit_test(test_tokcache_evicts_soonest_expiry),
		cmocka_unit_test(test_tokcache_bounds),
		cmocka_unit_test(test_threads_share_the_cache),
		cmocka_unit_test(test_prepared_verify_matches_alg_verify),
		cmocka_unit_test(test_prepared_keeps_padding_apart),
	};

	return cmocka_run_group_tests_name("fastpath", tests, setup, teardown);
}
