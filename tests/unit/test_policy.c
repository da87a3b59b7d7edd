/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the configured claim checks: aud, iss, sub, typ, and the
 * strict mode that refuses a token lacking a checked claim.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "config.h"
#include "testkeys.h"
#include "verifier.h"

#define NOW	INT64_C(1800000000)
#define H	"{\"alg\":\"RS512\",\"typ\":\"JWT\"}"

static EVP_PKEY *key;
static char *dir;
static struct verifier *strict_v, *lenient_v;

static struct verifier *
make(const char *strict)
{
	static const char *const settings[][2] = {
		{ "audience", "authz.test" }, { "iss_is_app", "yes" },
		{ "sub_is_app", "yes" }, { "typ", "JWT" },
	};
	struct config cfg;
	struct verifier *v;
	char err[512];
	size_t i;

	assert_int_equal(config_init(&cfg), 0);
	assert_int_equal(config_set(&cfg, "keys", dir, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		assert_int_equal(config_set(&cfg, settings[i][0],
		    settings[i][1], err, sizeof(err)), 0);
	assert_int_equal(config_set(&cfg, "strict_claims", strict, err,
	    sizeof(err)), 0);
	v = verifier_new(&cfg, err, sizeof(err));
	config_free(&cfg);
	return v;
}

static int
setup(void **state)
{
	key = testkeys_rsa(2048);
	dir = testkeys_mkdir();
	testkeys_write_public(dir, "app1_public.pem", key);
	strict_v = make("yes");
	lenient_v = make("no");
	return strict_v != NULL && lenient_v != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	verifier_free(strict_v);
	verifier_free(lenient_v);
	testkeys_rmdir(dir);
	free(dir);
	EVP_PKEY_free(key);
	return 0;
}

/* Check a token whose claims are appId, exp and then extra. */
static enum reason_code
check(struct verifier *v, const char *header, const char *extra)
{
	char payload[1024], *token;
	struct verify_result res;
	enum reason_code r;

	snprintf(payload, sizeof(payload), "{\"appId\":\"app1\","
	    "\"exp\":1800000100%s%s}", *extra ? "," : "", extra);
	token = testkeys_token(key, header, payload);
	r = verifier_check(v, token, strlen(token), NOW, &res);
	free(token);
	return r;
}

#define GOOD	"\"aud\":\"authz.test\",\"iss\":\"app1\",\"sub\":\"app1\""

static void
test_accepts_complete_token(void **state)
{
	assert_int_equal(check(strict_v, H, GOOD), REASON_OK);
	assert_int_equal(check(strict_v, H,
	    "\"aud\":[\"other\",\"authz.test\"],\"iss\":\"app1\","
	    "\"sub\":\"app1\""), REASON_OK);
	assert_int_equal(check(strict_v,
	    "{\"alg\":\"RS512\",\"typ\":\"application/jwt\"}", GOOD),
	    REASON_OK);
}

static void
test_refuses_wrong_audience_shapes(void **state)
{
	static const char *const bad[] = {
	    "\"aud\":[\"other\"]", "\"aud\":[]", "\"aud\":\"\"",
	    "\"aud\":null", "\"aud\":123", "\"aud\":[[\"authz.test\"]]",
	    "\"aud\":\"authz.test \"", "\"aud\":\"AUTHZ.TEST\"",
	    "\"aud\":[\"authz.test\",1]", "\"aud\":{\"a\":\"authz.test\"}",
	};
	char extra[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(extra, sizeof(extra), "%s,\"iss\":\"app1\","
		    "\"sub\":\"app1\"", bad[i]);
		assert_int_equal(check(strict_v, H, extra),
		    REASON_BAD_AUDIENCE);
		assert_int_equal(check(lenient_v, H, extra),
		    REASON_BAD_AUDIENCE);
	}
}

static void
test_refuses_other_issuer_or_subject(void **state)
{
	assert_int_equal(check(strict_v, H, "\"aud\":\"authz.test\","
	    "\"iss\":\"https://other.test\",\"sub\":\"app1\""),
	    REASON_BAD_ISSUER);
	assert_int_equal(check(strict_v, H, "\"aud\":\"authz.test\","
	    "\"iss\":[\"app1\"],\"sub\":\"app1\""), REASON_BAD_ISSUER);
	assert_int_equal(check(strict_v, H, "\"aud\":\"authz.test\","
	    "\"iss\":\"app1\",\"sub\":\"app2\""), REASON_BAD_SUBJECT);
	assert_int_equal(check(lenient_v, H, "\"iss\":\"APP1\""),
	    REASON_BAD_ISSUER);
}

static void
test_refuses_other_typ(void **state)
{
	assert_int_equal(check(strict_v, "{\"alg\":\"RS512\",\"typ\":\"at+jwt\"}",
	    GOOD), REASON_BAD_TYPE);
	assert_int_equal(check(strict_v, "{\"alg\":\"RS512\",\"typ\":1}",
	    GOOD), REASON_BAD_TYPE);
	assert_int_equal(check(lenient_v, "{\"alg\":\"RS512\",\"typ\":\"JOSE\"}",
	    GOOD), REASON_BAD_TYPE);
}

/* Strict: a claim that is checked must be there.  Lenient: it is
 * checked when present, and its absence is no refusal. */
static void
test_strict_mode_requires_checked_claims(void **state)
{
	assert_int_equal(check(strict_v, H,
	    "\"iss\":\"app1\",\"sub\":\"app1\""), REASON_BAD_AUDIENCE);
	assert_int_equal(check(strict_v, H,
	    "\"aud\":\"authz.test\",\"sub\":\"app1\""), REASON_BAD_ISSUER);
	assert_int_equal(check(strict_v, H,
	    "\"aud\":\"authz.test\",\"iss\":\"app1\""), REASON_BAD_SUBJECT);
	assert_int_equal(check(strict_v, "{\"alg\":\"RS512\"}", GOOD),
	    REASON_BAD_TYPE);

	assert_int_equal(check(lenient_v, "{\"alg\":\"RS512\"}", ""),
	    REASON_OK);
}

static void
test_claims_are_judged_after_the_signature(void **state)
{
	EVP_PKEY *other = testkeys_rsa(2048);
	char *token = testkeys_token(other, "{\"alg\":\"RS512\"}",
	    "{\"appId\":\"app1\",\"exp\":1800000100,\"aud\":\"x\"}");
	struct verify_result res;

	assert_int_equal(verifier_check(strict_v, token, strlen(token), NOW,
	    &res), REASON_BAD_SIGNATURE);
	free(token);
	EVP_PKEY_free(other);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_complete_token),
		cmocka_unit_test(test_refuses_wrong_audience_shapes),
		cmocka_unit_test(test_refuses_other_issuer_or_subject),
		cmocka_unit_test(test_refuses_other_typ),
		cmocka_unit_test(test_strict_mode_requires_checked_claims),
		cmocka_unit_test(test_claims_are_judged_after_the_signature),
	};

	return cmocka_run_group_tests_name("policy", tests, setup, teardown);
}
