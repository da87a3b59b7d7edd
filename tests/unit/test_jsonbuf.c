/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the JSON text writer of xtoken-api: its bytes must be
 * json-c's, which the answers were printed with before.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "jsonbuf.h"

/* s as a JSON string, by json-c, the way the answers were printed. */
static void
assert_string_like_jsonc(const char *s)
{
	struct jsonbuf jb;
	json_object *o = json_object_new_string(s);
	const char *want = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	jsonbuf_init(&jb);
	jsonbuf_add_string(&jb, s);
	assert_false(jb.failed);
	assert_int_equal(jb.len, strlen(want));
	assert_memory_equal(jb.data, want, jb.len);
	jsonbuf_free(&jb);
	json_object_put(o);
}

static void
test_every_byte_escapes_like_jsonc(void **state)
{
	char s[4];
	int c;

	for (c = 1; c < 256; c++) {
		s[0] = 'a';
		s[1] = (char)c;
		s[2] = 'z';
		s[3] = '\0';
		assert_string_like_jsonc(s);
	}
}

static void
test_strings_like_jsonc(void **state)
{
	assert_string_like_jsonc("");
	assert_string_like_jsonc("Alice Martin");
	assert_string_like_jsonc("Zo\xc3\xab \"Q\" back\\slash / tab\tend");
	assert_string_like_jsonc("\x01\x1f\x7f\xff\n\r\b\f");
	assert_string_like_jsonc("\"\"\\\\");
}

static void
test_int64_like_jsonc(void **state)
{
	static const int64_t v[] = { 0, 1, -1, 9007199254740992LL,
	    INT64_MAX, INT64_MIN };
	struct jsonbuf jb;
	json_object *o;
	const char *want;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		o = json_object_new_int64(v[i]);
		want = json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN);
		jsonbuf_init(&jb);
		jsonbuf_add_int64(&jb, v[i]);
		assert_int_equal(jb.len, strlen(want));
		assert_memory_equal(jb.data, want, jb.len);
		jsonbuf_free(&jb);
		json_object_put(o);
	}
}

static void
test_grows_past_first_block(void **state)
{
	struct jsonbuf jb;
	char chunk[100];
	size_t i;

	memset(chunk, 'x', sizeof(chunk));
	jsonbuf_init(&jb);
	for (i = 0; i < 1000; i++)
		jsonbuf_add(&jb, chunk, sizeof(chunk));
	assert_false(jb.failed);
	assert_int_equal(jb.len, 100000);
	assert_true(jb.cap >= jb.len);
	assert_int_equal(jb.data[99999], 'x');
	jsonbuf_free(&jb);
	assert_null(jb.data);
	assert_int_equal(jb.len, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_byte_escapes_like_jsonc),
		cmocka_unit_test(test_strings_like_jsonc),
		cmocka_unit_test(test_int64_like_jsonc),
		cmocka_unit_test(test_grows_past_first_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
