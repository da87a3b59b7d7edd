/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the strict JSON reader of tokens, and of the same rules
 * in front of json-c for key and policy files.
 */
#include "autoconf.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "strictjson.h"
#include "tokjson.h"

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* Both readers must give the same verdict on every text. */
static void
assert_verdict(const char *json, size_t len, int want)
{
	struct json_object *o;

	if (tokjson_validate(json, len, NULL, 0, NULL) != want)
		fail_msg("tokjson: %s: expected %s", json,
		    want == 0 ? "accept" : "refuse");
	o = strictjson_parse_object(json, len);
	if ((o != NULL) != (want == 0))
		fail_msg("strictjson: %s: expected %s", json,
		    want == 0 ? "accept" : "refuse");
	json_object_put(o);
}

static void
assert_all(const char *const *texts, size_t n, int want)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_verdict(texts[i], strlen(texts[i]), want);
}

/* Nested objects {"a":{"a":...1...}} of the given depth. */
static void
nested(char *buf, size_t size, int depth)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < depth; i++)
		strncat(buf, "{\"a\":", size - strlen(buf) - 1);
	strncat(buf, "1", size - strlen(buf) - 1);
	for (i = 0; i < depth; i++)
		strncat(buf, "}", size - strlen(buf) - 1);
}

static void
test_accepts_json(void **state)
{
	static const char *const good[] = {
	    "{}", " \t\r\n{ } \n", "{\"a\":1}", "{\"\":0}",
	    "{\"a\":[],\"b\":{},\"c\":[[]],\"d\":[{}]}",
	    "{\"a\":true,\"b\":false,\"c\":null}",
	    "{\"a\":[1,-1,0,-0,1.5,-0.25,1e5,1E+5,2e-3,0.0e0,123456789]}",
	    "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"}",
	    "{\"a\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\x7f\"}",
	    "{ \"a\" : 1 , \"b\" : [ 1 , 2 ] }",
	    "{\"a\":1,\"A\":2,\"a \":3,\"b\":{\"a\":4}}",
	    "{\"x\":{\"a\":1},\"y\":{\"a\":1}}",
	};

	assert_all(good, NITEMS(good), 0);
}

/* What json-c alone once caught, and what it never did. */
static void
test_refuses_grammar(void **state)
{
	static const char *const bad[] = {
	    "", " ", "{", "}", "{\"a\" 1}", "{\"a\":}", "{\"a\"}",
	    "{\"a\":1,}",
	    "{,}", "{,\"a\":1}", "{\"a\":1,,\"b\":2}", "{\"a\":1 \"b\":2}",
	    "{\"a\"::1}", "{:1}", "{\"a\":[1,]}", "{\"a\":[,1]}",
	    "{\"a\":[1 2]}", "{\"a\":[}", "{\"a\":{]}", "{\"a\":1}}",
	    "{\"a\":1}x", "{\"a\":1}{}", "{\"a\":1}\f", "{\"a\":1}\v",
	    "\f{}", "{\"a\":\"x}", "{'a':1}", "{\"a\":'x'}", "{a:1}",
	    "[]", "[{}]", "\"s\"", "1", "null", "{\"a\":1]",
	    "{\"a\":[1}", "{\"a\" : 1 : 2}", "{\"a\":1 /* c */}",
	    "{\"a\":1}//", "{\"a\":#1}",
	};

	assert_all(bad, NITEMS(bad), -1);
	assert_verdict("{\"a\":1}\0", 8, -1);
	assert_verdict("{\"a\":\0}", 7, -1);
}

static void
test_refuses_numbers_outside_rfc(void **state)
{
	static const char *const bad[] = {
	    "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}",
	    "{\"a\":1.}", "{\"a\":.5}", "{\"a\":01}", "{\"a\":-01}",
	    "{\"a\":00}", "{\"a\":+1}", "{\"a\":1e}", "{\"a\":1e+}",
	    "{\"a\":-}", "{\"a\":0x10}", "{\"a\":1.e5}", "{\"a\":1.5.2}",
	    "{\"a\":--1}", "{\"a\":1e5e5}", "{\"a\":-.5}",
	};

	assert_all(bad, NITEMS(bad), -1);
}

static void
test_refuses_literals_not_lower_case(void **state)
{
	static const char *const bad[] = {
	    "{\"a\":True}", "{\"a\":TRUE}", "{\"a\":nul}", "{\"a\":tru}",
	    "{\"a\":truex}", "{\"a\":falsey}", "{\"a\":none}",
	    "{\"a\":undefined}",
	};

	assert_all(bad, NITEMS(bad), -1);
}

static void
test_refuses_bad_utf8_and_bom(void **state)
{
	static const char *const bad[] = {
	    "\xef\xbb\xbf{\"a\":1}", "{\"a\":\"\xc3\x28\"}",
	    "{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\xe0\x80\xaf\"}",
	    "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xf4\x90\x80\x80\"}",
	    "{\"a\":\"\xff\"}", "{\"a\":\"\x80\"}", "{\"a\":\"\xc3\"}",
	    "{\"\xc3\x28\":1}", "{\"a\":1,\xc3\xa9:1}",
	};

	assert_all(bad, NITEMS(bad), -1);
	assert_verdict("{\"a\":\"\xe2\x82\"}", 10, -1);
}

static void
test_refuses_raw_controls_and_bad_escapes(void **state)
{
	static const char *const bad[] = {
	    "{\"a\":\"\x01\"}", "{\"a\":\"\n\"}", "{\"a\":\"\t\"}",
	    "{\"a\":\"\x1f\"}", "{\"a\x0a\":1}", "{\"a\":\"\\x41\"}",
	    "{\"a\":\"\\U0041\"}", "{\"a\":\"\\'\"}", "{\"a\":\"\\u12\"}",
	    "{\"a\":\"\\u12G4\"}", "{\"a\":\"\\\"}", "{\"a\":\"\\u0000\"}",
	    "{\"a\\u0000b\":1}", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}",
	    "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\udbff\\udbff\"}",
	    "{\"a\":\"\\uDE00\\uD83D\"}", "{\"a\":\"\\ud800x\"}",
	    "{\"a\":\"\\",
	};

	assert_all(bad, NITEMS(bad), -1);
}

static void
test_refuses_duplicate_names(void **state)
{
	static const char *const bad[] = {
	    "{\"a\":1,\"a\":2}", "{\"a\":1,\"b\":2,\"a\":3}",
	    "{\"appId\":\"x\",\"app\\u0049d\":\"y\"}",
	    "{\"\\u0061\":1,\"a\":2}", "{\"a/\":1,\"a\\/\":2}",
	    "{\"\xc3\xa9\":1,\"\\u00e9\":2}",
	    "{\"\\ud83d\\ude00\":1,\"\xf0\x9f\x98\x80\":2}",
	    "{\"x\":{\"y\":{\"z\":[{\"a\":1,\"a\":1}]}}}",
	    "{\"\":1,\"\":2}",
	};
	char many[2048];
	int i;

	assert_all(bad, NITEMS(bad), -1);

	/* Past the pairwise limit the names are sorted: still refused, and
	 * still accepted without the duplicate. */
	strcpy(many, "{");
	for (i = 0; i < 40; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many),
		    "\"m%d\":%d,", i, i);
	strcat(many, "\"m\\u0031\":0}");
	assert_verdict(many, strlen(many), -1);
	strcpy(many + strlen(many) - 12, "\"m\\u0078\":0}");
	assert_verdict(many, strlen(many), 0);
}

/* More names than the stack holds move to the heap, rules unchanged. */
static void
test_many_members(void **state)
{
	static char big[32768];
	int i;

	strcpy(big, "{");
	for (i = 0; i < 1500; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big),
		    "\"k%d\":[%d],", i, i);
	strcat(big, "\"k7\":0}");
	assert_verdict(big, strlen(big), -1);
	strcpy(big + strlen(big) - 7, "\"kk\":0}");
	assert_verdict(big, strlen(big), 0);
}

static void
test_nesting_limit(void **state)
{
	char buf[512];

	nested(buf, sizeof(buf), TOKJSON_MAX_DEPTH);
	assert_verdict(buf, strlen(buf), 0);
	nested(buf, sizeof(buf), TOKJSON_MAX_DEPTH + 1);
	assert_verdict(buf, strlen(buf), -1);

	snprintf(buf, sizeof(buf), "{\"a\":%.*s%.*s}", TOKJSON_MAX_DEPTH - 1,
	    "[[[[[[[[[[[[[[[[[[[[", TOKJSON_MAX_DEPTH - 1,
	    "]]]]]]]]]]]]]]]]]]]]");
	assert_verdict(buf, strlen(buf), 0);
	snprintf(buf, sizeof(buf), "{\"a\":%.*s%.*s}", TOKJSON_MAX_DEPTH,
	    "[[[[[[[[[[[[[[[[[[[[", TOKJSON_MAX_DEPTH,
	    "]]]]]]]]]]]]]]]]]]]]");
	assert_verdict(buf, strlen(buf), -1);
}

static const char *const names[] = { "appId", "exp", "aud", "kid" };

static void
pick(const char *json, struct tokjson_value *v)
{
	assert_int_equal(tokjson_validate(json, strlen(json), names,
	    NITEMS(names), v), 0);
}

static void
test_picks_top_level_members(void **state)
{
	struct tokjson_value v[NITEMS(names)];

	pick("{\"x\":{\"appId\":\"inner\"},\"app\\u0049d\":\"shop\","
	    "\"exp\":[1],\"aud\":{\"exp\":2}}", v);
	assert_int_equal(v[0].type, TOKJSON_STRING);
	assert_true(tokjson_string_is(&v[0], "shop", 4));
	assert_int_equal(v[1].type, TOKJSON_ARRAY);
	assert_int_equal(v[1].len, 3);
	assert_memory_equal(v[1].text, "[1]", 3);
	assert_int_equal(v[2].type, TOKJSON_OBJECT);
	assert_int_equal(v[3].type, TOKJSON_ABSENT);

	pick("{\"kid\":null,\"aud\":true,\"exp\":false,\"appId\":-1.5}", v);
	assert_int_equal(v[3].type, TOKJSON_NULL);
	assert_int_equal(v[2].type, TOKJSON_TRUE);
	assert_int_equal(v[1].type, TOKJSON_FALSE);
	assert_int_equal(v[0].type, TOKJSON_NUMBER);
	assert_int_equal(v[0].len, 4);
	assert_false(tokjson_string_is(&v[0], "-1.5", 4));

	/* Names are compared whole: neither prefix nor case matches. */
	pick("{\"appIdx\":\"a\",\"ex\":1,\"AUD\":\"b\"}", v);
	assert_int_equal(v[0].type, TOKJSON_ABSENT);
	assert_int_equal(v[1].type, TOKJSON_ABSENT);
	assert_int_equal(v[2].type, TOKJSON_ABSENT);
}

static void
test_reads_strings(void **state)
{
	struct tokjson_value v[NITEMS(names)];
	char out[16];
	size_t len;

	pick("{\"appId\":\"a\\/b\\u00e9\\ud83d\\ude00\\n\","
	    "\"kid\":\"k1\"}", v);
	assert_true(v[0].has_escape);
	assert_true(tokjson_string_is(&v[0], "a/b\xc3\xa9\xf0\x9f\x98\x80\n",
	    10));
	assert_false(tokjson_string_is(&v[0], "a/b\xc3\xa9", 5));
	assert_false(tokjson_string_is(&v[0], "a\\/b", 4));
	assert_int_equal(tokjson_string_copy(&v[0], out, sizeof(out), &len),
	    0);
	assert_int_equal(len, 10);
	assert_memory_equal(out, "a/b\xc3\xa9\xf0\x9f\x98\x80\n", 11);

	/* Exactly full fits; one byte less does not, and leaves "". */
	assert_int_equal(tokjson_string_copy(&v[0], out, 11, &len), 0);
	assert_int_equal(tokjson_string_copy(&v[0], out, 10, &len), -1);
	assert_string_equal(out, "");

	/* An escape of one byte after one of two: nothing left over. */
	pick("{\"appId\":\"\\u0409\\u0049d\",\"kid\":\"k1\"}", v);
	assert_true(tokjson_string_is(&v[0], "\xd0\x89Id", 4));

	assert_false(v[3].has_escape);
	assert_true(tokjson_string_is(&v[3], "k1", 2));
	assert_false(tokjson_string_is(&v[3], "k", 1));
	assert_false(tokjson_string_is(&v[3], "k12", 3));
	assert_false(tokjson_string_is(&v[1], "", 0));
	assert_int_equal(tokjson_string_copy(&v[1], out, sizeof(out), &len),
	    -1);
}

static int
date(const char *num, int64_t max, int64_t *out, bool *fraction)
{
	struct tokjson_value v[NITEMS(names)];
	char json[600];

	snprintf(json, sizeof(json), "{\"exp\":%s}", num);
	pick(json, v);
	return tokjson_numeric_date(&v[1], max, out, fraction);
}

#define TIME_MAX	INT64_C(253402300799)

static void
check_dates(void)
{
	static const struct {
		const char	*num;
		int64_t		 want;
		bool		 fraction;
	} good[] = {
		{ "1800000000", 1800000000, false },
		{ "0", 0, false },
		{ "-0", 0, false },
		{ "-0.0", 0, false },
		{ "1800000000.5", 1800000000, true },
		{ "1800000000.0", 1800000000, false },
		{ "1.8e9", 1800000000, false },
		{ "18E8", 1800000000, false },
		{ "1800000000e-1", 180000000, false },
		{ "1.5e-1", 0, true },
		{ "1e-400", 0, false },
		{ "253402300799", TIME_MAX, false },
		{ "253402300798.75", TIME_MAX - 1, true },
		/* Nearest double is the maximum itself. */
		{ "253402300799.000001", TIME_MAX, false },
	};
	static const char *const bad[] = {
	    "-1", "-1.5", "-0.5", "-9223372036854775809", "253402300800",
	    "253402300799.5", "9223372036854775807", "9223372036854775808",
	    "99999999999999999999", "1e400", "-1e400", "1e300",
	    "\"1800000000\"", "true", "null", "[1800000000]", "{}",
	};
	int64_t out;
	bool fraction;
	size_t i;

	for (i = 0; i < NITEMS(good); i++) {
		if (date(good[i].num, TIME_MAX, &out, &fraction) != 0)
			fail_msg("%s refused", good[i].num);
		assert_int_equal(out, good[i].want);
		assert_int_equal(fraction, good[i].fraction);
	}
	for (i = 0; i < NITEMS(bad); i++) {
		if (date(bad[i], TIME_MAX, &out, &fraction) == 0)
			fail_msg("%s accepted", bad[i]);
	}

	/* Beyond int64 saturates, like json-c: the largest max admits it. */
	assert_int_equal(date("99999999999999999999", INT64_MAX, &out,
	    &fraction), 0);
	assert_int_equal(out, INT64_MAX);
}

static void
test_numeric_dates(void **state)
{
	check_dates();
}

/*
 * strtod follows LC_NUMERIC: under a locale with a decimal comma it would
 * stop at the '.' of "1800000000.5".
 */
static void
test_numeric_dates_ignore_locale(void **state)
{
	static const char *const comma[] = { "de_DE.UTF-8", "de_DE.utf8",
	    "fr_FR.UTF-8", "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8" };
	const char *set = NULL;
	size_t i;

	for (i = 0; i < NITEMS(comma) && set == NULL; i++) {
		set = setlocale(LC_NUMERIC, comma[i]);
		if (set != NULL &&
		    strcmp(localeconv()->decimal_point, ",") != 0)
			set = NULL;
	}
	/* cmocka's skip() reads as a failure in TAP: say so, and run the
	 * cases in the C locale instead. */
	if (set == NULL) {
		setlocale(LC_NUMERIC, "C");
		print_message("# no locale with a decimal comma is installed; "
		    "the locale case runs in the C locale only\n");
	}
	check_dates();
	setlocale(LC_NUMERIC, "C");
}

static int
aud_count(const char *json, const char *want, int *strings)
{
	struct tokjson_value v[NITEMS(names)], item;
	struct tokjson_iter it;
	int n = 0, hits = 0;

	pick(json, v);
	if (tokjson_iter_init(&it, &v[2]) != 0)
		return -1;
	*strings = 0;
	while (tokjson_iter_next(&it, &item) == 1) {
		n++;
		if (item.type == TOKJSON_STRING) {
			(*strings)++;
			hits += tokjson_string_is(&item, want, strlen(want));
		}
	}
	return n * 100 + hits;
}

static void
test_walks_arrays(void **state)
{
	int strings;

	assert_int_equal(aud_count("{\"aud\":[]}", "a", &strings), 0);
	assert_int_equal(aud_count("{\"aud\":[ ]}", "a", &strings), 0);
	assert_int_equal(aud_count("{\"aud\":[\"a\"]}", "a", &strings), 101);
	assert_int_equal(aud_count("{\"aud\":[ \"b\" , \"a\" ]}", "a",
	    &strings), 201);
	assert_int_equal(strings, 2);
	assert_int_equal(aud_count("{\"aud\":[\"a]\\\",\",\"\\u0061\"]}",
	    "a]\",", &strings), 201);
	assert_int_equal(aud_count("{\"aud\":[\"a\",1,-2.5e3,true,false,"
	    "null,[\"a\",[\"]\"]],{\"a\":\"}\"},\"a\"]}", "a", &strings), 902);
	assert_int_equal(strings, 2);
	assert_int_equal(aud_count("{\"aud\":\"a\"}", "a", &strings), -1);
	assert_int_equal(aud_count("{\"x\":1}", "a", &strings), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_json),
		cmocka_unit_test(test_refuses_grammar),
		cmocka_unit_test(test_refuses_numbers_outside_rfc),
		cmocka_unit_test(test_refuses_literals_not_lower_case),
		cmocka_unit_test(test_refuses_bad_utf8_and_bom),
		cmocka_unit_test(test_refuses_raw_controls_and_bad_escapes),
		cmocka_unit_test(test_refuses_duplicate_names),
		cmocka_unit_test(test_many_members),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_picks_top_level_members),
		cmocka_unit_test(test_reads_strings),
		cmocka_unit_test(test_numeric_dates),
		cmocka_unit_test(test_numeric_dates_ignore_locale),
		cmocka_unit_test(test_walks_arrays),
	};

	return cmocka_run_group_tests_name("tokjson", tests, NULL, NULL);
}
