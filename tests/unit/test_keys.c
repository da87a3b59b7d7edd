/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of several keys per application: key IDs, rotation, JWK
 * Sets, and keys bound to one algorithm each.
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
#define PAYLOAD(app) "{\"appId\":\"" app "\",\"exp\":1800000100}"

struct fixture {
	EVP_PKEY	*old_key;	/* app1_public.pem, no kid */
	EVP_PKEY	*new_key;	/* app1@new_public.pem, kid "new" */
	EVP_PKEY	*app2;		/* app2@k2_public.pem */
	EVP_PKEY	*jwks_key;	/* app3_jwks.json, kid k3, RS256 */
	EVP_PKEY	*pss_key;	/* app3_jwks.json, kid p3, PS384 */
	char		*dir;
	struct verifier	*v;
};

static struct fixture fx;

static void
write_jwks(const char *dir)
{
	char *k3 = testkeys_jwk_rsa(fx.jwks_key, "k3", "RS256",
	    ",\"use\":\"sig\"");
	char *p3 = testkeys_jwk_rsa(fx.pss_key, "p3", "PS384",
	    ",\"key_ops\":[\"verify\"]");
	char text[16384];

	snprintf(text, sizeof(text), "{\"keys\":[%s,%s]}", k3, p3);
	testkeys_write_file(dir, "app3_jwks.json", text);
	free(k3);
	free(p3);
}

static struct verifier *
verifier_for(const char *dir, char *err, size_t errlen)
{
	struct config cfg;
	struct verifier *v;

	assert_int_equal(config_init(&cfg), 0);
	assert_int_equal(config_set(&cfg, "keys", dir, err, errlen), 0);
	v = verifier_new(&cfg, err, errlen);
	config_free(&cfg);
	return v;
}

static int
setup(void **state)
{
	char err[512];

	fx.old_key = testkeys_rsa(2048);
	fx.new_key = testkeys_rsa(2048);
	fx.app2 = testkeys_rsa(2048);
	fx.jwks_key = testkeys_rsa(2048);
	fx.pss_key = testkeys_rsa(2048);
	fx.dir = testkeys_mkdir();
	testkeys_write_public(fx.dir, "app1_public.pem", fx.old_key);
	testkeys_write_public(fx.dir, "app1@new_public.pem", fx.new_key);
	testkeys_write_public(fx.dir, "app2@k2_public.pem", fx.app2);
	write_jwks(fx.dir);

	fx.v = verifier_for(fx.dir, err, sizeof(err));
	if (fx.v == NULL) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	verifier_free(fx.v);
	testkeys_rmdir(fx.dir);
	free(fx.dir);
	EVP_PKEY_free(fx.old_key);
	EVP_PKEY_free(fx.new_key);
	EVP_PKEY_free(fx.app2);
	EVP_PKEY_free(fx.jwks_key);
	EVP_PKEY_free(fx.pss_key);
	return 0;
}

static enum reason_code
check(EVP_PKEY *key, const char *alg, const char *header,
    const char *payload, struct verify_result *res)
{
	char *token = testkeys_token_alg(key, alg, header, payload);
	enum reason_code r;

	r = verifier_check(fx.v, token, strlen(token), NOW, res);
	free(token);
	return r;
}

static void
test_counts_keys_and_apps(void **state)
{
	assert_int_equal(verifier_key_count(fx.v), 5);
	assert_int_equal(verifier_app_count(fx.v), 3);
}

static void
test_without_kid_every_key_of_the_app_is_tried(void **state)
{
	struct verify_result res;

	assert_int_equal(check(fx.old_key, "RS512", "{\"alg\":\"RS512\"}",
	    PAYLOAD("app1"), &res), REASON_OK);
	assert_string_equal(res.kid, "");
	assert_int_equal(check(fx.new_key, "RS512", "{\"alg\":\"RS512\"}",
	    PAYLOAD("app1"), &res), REASON_OK);
	assert_string_equal(res.kid, "new");
}

static void
test_kid_selects_exactly_one_key(void **state)
{
	struct verify_result res;

	assert_int_equal(check(fx.new_key, "RS512",
	    "{\"alg\":\"RS512\",\"kid\":\"new\"}", PAYLOAD("app1"), &res),
	    REASON_OK);
	assert_string_equal(res.kid, "new");

	/* The old key under the new key's ID does not verify. */
	assert_int_equal(check(fx.old_key, "RS512",
	    "{\"alg\":\"RS512\",\"kid\":\"new\"}", PAYLOAD("app1"), &res),
	    REASON_BAD_SIGNATURE);
}

static void
test_kid_must_belong_to_the_app(void **state)
{
	struct verify_result res;

	/* app2's key ID and app2's key, but a token claiming app1. */
	assert_int_equal(check(fx.app2, "RS512",
	    "{\"alg\":\"RS512\",\"kid\":\"k2\"}", PAYLOAD("app1"), &res),
	    REASON_UNKNOWN_KEY);
	assert_int_equal(check(fx.old_key, "RS512",
	    "{\"alg\":\"RS512\",\"kid\":\"nope\"}", PAYLOAD("app1"), &res),
	    REASON_UNKNOWN_KEY);
	assert_int_equal(check(fx.app2, "RS512",
	    "{\"alg\":\"RS512\",\"kid\":\"k2\"}", PAYLOAD("app2"), &res),
	    REASON_OK);
}

static void
test_refuses_kid_that_is_no_key_id(void **state)
{
	static const char *const headers[] = {
	    "{\"alg\":\"RS512\",\"kid\":1}",
	    "{\"alg\":\"RS512\",\"kid\":[\"new\"]}",
	    "{\"alg\":\"RS512\",\"kid\":\"\"}",
	    "{\"alg\":\"RS512\",\"kid\":\"a b\"}",
	    "{\"alg\":\"RS512\",\"kid\":\"../../dev/null\"}",
	};
	struct verify_result res;
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		enum reason_code r = check(fx.new_key, "RS512", headers[i],
		    PAYLOAD("app1"), &res);

		assert_true(r == REASON_BAD_HEADER || r == REASON_UNKNOWN_KEY);
	}
}

static void
test_jwks_keys_are_bound_to_their_alg(void **state)
{
	struct verify_result res;

	assert_int_equal(check(fx.jwks_key, "RS256",
	    "{\"alg\":\"RS256\",\"kid\":\"k3\"}", PAYLOAD("app3"), &res),
	    REASON_OK);
	assert_string_equal(res.alg, "RS256");
	assert_int_equal(check(fx.pss_key, "PS384", "{\"alg\":\"PS384\"}",
	    PAYLOAD("app3"), &res), REASON_OK);
	assert_string_equal(res.kid, "p3");

	/* The same key with another algorithm is refused. */
	assert_int_equal(check(fx.jwks_key, "RS512",
	    "{\"alg\":\"RS512\",\"kid\":\"k3\"}", PAYLOAD("app3"), &res),
	    REASON_ALG_NOT_ALLOWED);
	assert_int_equal(check(fx.jwks_key, "PS256", "{\"alg\":\"PS256\"}",
	    PAYLOAD("app3"), &res), REASON_ALG_NOT_ALLOWED);
	assert_int_equal(check(fx.pss_key, "RS256",
	    "{\"alg\":\"RS256\",\"kid\":\"k3\"}", PAYLOAD("app3"), &res),
	    REASON_BAD_SIGNATURE);
}

/* Directory contents that must stop the loader, with its message. */
struct bad_dir {
	const char	*file;
	const char	*text;		/* NULL: a JWK Set made of jwk */
	const char	*jwk_extra;
	const char	*expect;
};

static void
load_bad(const struct bad_dir *b)
{
	char err[1024] = "", *dir = testkeys_mkdir(), *jwk, text[8192];

	if (b->text != NULL) {
		testkeys_write_file(dir, b->file, b->text);
	} else {
		jwk = testkeys_jwk_rsa(fx.old_key, "k", NULL, b->jwk_extra);
		snprintf(text, sizeof(text), "{\"keys\":[%s]}", jwk);
		testkeys_write_file(dir, b->file, text);
		free(jwk);
	}
	assert_null(verifier_for(dir, err, sizeof(err)));
	if (strstr(err, b->expect) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", b->file, err, b->expect);
	testkeys_rmdir(dir);
	free(dir);
}

static void
test_refuses_bad_jwks(void **state)
{
	static const struct bad_dir cases[] = {
	    { "a_jwks.json", NULL, ",\"d\":\"AQAB\"", "private key material" },
	    { "a_jwks.json", NULL, ",\"p\":\"AQAB\"", "private key material" },
	    { "a_jwks.json", NULL, ",\"use\":\"enc\"", "\"use\" is not" },
	    { "a_jwks.json", NULL, ",\"key_ops\":[\"sign\"]", "key_ops" },
	    { "a_jwks.json", NULL, ",\"alg\":\"HS256\"", "not supported" },
	    { "a_jwks.json", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}",
		NULL, "private key material" },
	    { "a_jwks.json", "{\"keys\":[]}", NULL, "not a JWK Set" },
	    { "a_jwks.json", "[]", NULL, "not a JWK Set" },
	    { "a_jwks.json", "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\","
		"\"e\":\"AQAB\"}]}", NULL, "refused" },
	    { "a_jwks.json", "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB=\","
		"\"e\":\"AQAB\"}]}", NULL, "\"n\" and \"e\"" },
	    { "a_jwks.json", "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\","
		"\"x\":\"AQAB\",\"y\":\"AQAB\"}]}", NULL, "not a point" },
	    { "a@k_jwks.json", "{}", NULL, "names its key IDs inside" },
	    { "a@b c_public.pem", "x", NULL, "key ID" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		load_bad(&cases[i]);
}

static void
fill_duplicate_kid(const char *dir)
{
	char *jwk = testkeys_jwk_rsa(fx.new_key, "new", NULL, "");
	char text[8192];

	testkeys_write_public(dir, "app1@new_public.pem", fx.new_key);
	snprintf(text, sizeof(text), "{\"keys\":[%s]}", jwk);
	testkeys_write_file(dir, "app1_jwks.json", text);
	free(jwk);
}

static void
test_refuses_duplicate_key_id(void **state)
{
	char err[1024] = "", *dir = testkeys_mkdir();

	fill_duplicate_kid(dir);
	assert_null(verifier_for(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "key ID \"new\" of app1 is given twice"));
	testkeys_rmdir(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_keys_and_apps),
		cmocka_unit_test(test_without_kid_every_key_of_the_app_is_tried),
		cmocka_unit_test(test_kid_selects_exactly_one_key),
		cmocka_unit_test(test_kid_must_belong_to_the_app),
		cmocka_unit_test(test_refuses_kid_that_is_no_key_id),
		cmocka_unit_test(test_jwks_keys_are_bound_to_their_alg),
		cmocka_unit_test(test_refuses_bad_jwks),
		cmocka_unit_test(test_refuses_duplicate_key_id),
	};

	return cmocka_run_group_tests_name("keys", tests, setup, teardown);
}
