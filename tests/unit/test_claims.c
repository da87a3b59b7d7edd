/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the appId rules and the time claims.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include "claims.h"
#include "tokjson.h"

#define NOW	INT64_C(1800000000)

static const struct claims_policy policy = { .leeway = 30,
    .max_lifetime = 300 };

static enum reason_code
extract(const char *json, struct claims *c)
{
	struct tokjson_value m[CLAIMS_NMEMBERS];

	assert_int_equal(tokjson_validate(json, strlen(json),
	    claims_member_names, CLAIMS_NMEMBERS, m), 0);
	return claims_extract(m, c);
}

static void
test_app_id_accepts_names(void **state)
{
	static const char *const good[] = { "a", "storefront", "admin-site",
	    "app_1.v2", "A.B-C_d", "0" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(claims_app_id_valid(good[i], strlen(good[i])));
}

static void
test_app_id_refuses_paths_and_oddities(void **state)
{
	static const char *const bad[] = { "", ".", "..", "../admin",
	    ".hidden", "a/b", "a\\b", "a b", "a%2f", "é", "a\n", "a:b" };
	char long_id[CLAIMS_APP_ID_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(claims_app_id_valid(bad[i], strlen(bad[i])));
	assert_false(claims_app_id_valid("ab\0c", 4));

	memset(long_id, 'a', sizeof(long_id));
	assert_true(claims_app_id_valid(long_id, CLAIMS_APP_ID_MAX));
	assert_false(claims_app_id_valid(long_id, CLAIMS_APP_ID_MAX + 1));
}

static void
test_extract_reads_all_claims(void **state)
{
	struct claims c;

	assert_int_equal(extract("{\"appId\":\"shop\",\"exp\":1800000300,"
	    "\"nbf\":1799999990,\"iat\":1799999995}", &c), REASON_OK);
	assert_string_equal(c.app_id, "shop");
	assert_int_equal(c.exp, 1800000300);
	assert_true(c.has_nbf);
	assert_int_equal(c.nbf, 1799999990);
	assert_true(c.has_iat);
	assert_int_equal(c.iat, 1799999995);
}

static void
test_extract_accepts_fraction(void **state)
{
	struct claims c;

	assert_int_equal(extract("{\"appId\":\"shop\",\"exp\":1800000300.5}",
	    &c), REASON_OK);
	assert_int_equal(c.exp, 1800000300);
	assert_false(c.has_nbf);
	assert_false(c.has_iat);
}

static void
test_extract_refuses_bad_app_id(void **state)
{
	static const char *const bad[] = {
	    "{\"exp\":1}",
	    "{\"appId\":1,\"exp\":1}",
	    "{\"appId\":[\"shop\"],\"exp\":1}",
	    "{\"appId\":null,\"exp\":1}",
	    "{\"appId\":\"../shop\",\"exp\":1}",
	    "{\"appId\":\"\",\"exp\":1}",
	    "{\"appid\":\"shop\",\"exp\":1}",
	};
	struct claims c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(extract(bad[i], &c), REASON_BAD_APP_ID);
}

static void
test_extract_requires_exp(void **state)
{
	struct claims c;

	assert_int_equal(extract("{\"appId\":\"shop\"}", &c),
	    REASON_MISSING_EXP);
	assert_string_equal(c.app_id, "shop");
}

static void
test_extract_refuses_bad_time_types(void **state)
{
	static const char *const bad[] = {
	    "\"exp\":\"1800000300\"", "\"exp\":true", "\"exp\":null",
	    "\"exp\":[1800000300]", "\"exp\":{}", "\"exp\":-1",
	    "\"exp\":1e300", "\"exp\":9223372036854775807",
	    "\"exp\":9223372036854775808", "\"exp\":99999999999999999999",
	    "\"exp\":-0.5", "\"exp\":253402300800",
	    "\"exp\":1800000300,\"nbf\":\"0\"",
	    "\"exp\":1800000300,\"iat\":{}",
	    "\"exp\":1800000300,\"iat\":false",
	};
	char json[200];
	struct claims c;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(json, sizeof(json), "{\"appId\":\"shop\",%s}", bad[i]);
		assert_int_equal(extract(json, &c), REASON_BAD_CLAIM);
	}
}

static void
test_time_accepts_fresh_token(void **state)
{
	struct claims c = { .exp = NOW + 300, .iat = NOW, .has_iat = true,
	    .nbf = NOW, .has_nbf = true };

	assert_int_equal(claims_check_time(&c, &policy, NOW), REASON_OK);
}

static void
test_time_expiry_and_leeway(void **state)
{
	struct claims c = { .exp = NOW - 1 };

	assert_int_equal(claims_check_time(&c, &policy, NOW), REASON_OK);
	c.exp = NOW - 29;
	assert_int_equal(claims_check_time(&c, &policy, NOW), REASON_OK);
	c.exp = NOW - 30;
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_EXPIRED);
	c.exp = 0;
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_EXPIRED);
}

static void
test_time_nbf_and_iat_in_future(void **state)
{
	struct claims c = { .exp = NOW + 300, .nbf = NOW + 31,
	    .has_nbf = true };

	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_NOT_YET_VALID);
	c.nbf = NOW + 30;
	assert_int_equal(claims_check_time(&c, &policy, NOW), REASON_OK);

	c.has_nbf = false;
	c.iat = NOW + 31;
	c.has_iat = true;
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_ISSUED_IN_FUTURE);
}

/* Fractions round toward refusal: nbf and iat up, exp up for the cap. */
static void
test_time_fractions_round_toward_refusal(void **state)
{
	struct claims c;

	assert_int_equal(extract("{\"appId\":\"shop\",\"exp\":1800000100,"
	    "\"nbf\":1800000030.5}", &c), REASON_OK);
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_NOT_YET_VALID);
	assert_int_equal(extract("{\"appId\":\"shop\",\"exp\":1800000100,"
	    "\"iat\":1800000030.1}", &c), REASON_OK);
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_ISSUED_IN_FUTURE);
	assert_int_equal(extract("{\"appId\":\"shop\","
	    "\"exp\":1800000330.9}", &c), REASON_OK);
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_LIFETIME_TOO_LONG);
	assert_int_equal(extract("{\"appId\":\"shop\","
	    "\"exp\":1800000329.9,\"nbf\":1800000029.9}", &c), REASON_OK);
	assert_int_equal(claims_check_time(&c, &policy, NOW), REASON_OK);
}

static void
test_time_caps_lifetime(void **state)
{
	struct claims c = { .exp = NOW + 330 };

	assert_int_equal(claims_check_time(&c, &policy, NOW), REASON_OK);
	c.exp = NOW + 331;
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_LIFETIME_TOO_LONG);
	c.exp = CLAIMS_TIME_MAX;
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_LIFETIME_TOO_LONG);

	/* A token issued long ago that claims a long life is refused even
	 * when little of that life is left. */
	c.exp = NOW + 10;
	c.iat = NOW - 3600;
	c.has_iat = true;
	assert_int_equal(claims_check_time(&c, &policy, NOW),
	    REASON_LIFETIME_TOO_LONG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_id_accepts_names),
		cmocka_unit_test(test_app_id_refuses_paths_and_oddities),
		cmocka_unit_test(test_extract_reads_all_claims),
		cmocka_unit_test(test_extract_accepts_fraction),
		cmocka_unit_test(test_extract_refuses_bad_app_id),
		cmocka_unit_test(test_extract_requires_exp),
		cmocka_unit_test(test_extract_refuses_bad_time_types),
		cmocka_unit_test(test_time_accepts_fresh_token),
		cmocka_unit_test(test_time_expiry_and_leeway),
		cmocka_unit_test(test_time_nbf_and_iat_in_future),
		cmocka_unit_test(test_time_fractions_round_toward_refusal),
		cmocka_unit_test(test_time_caps_lifetime),
	};

	return cmocka_run_group_tests_name("claims", tests, NULL, NULL);
}
