/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of request path normalisation: the forms that must collapse
 * to one path, and the ambiguous forms that must be refused.
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

#include "pathnorm.h"

struct pair {
	const char	*uri;
	const char	*want;
};

/* Each uri must normalise to want. */
static void
expect_paths(const struct pair *pairs, size_t n)
{
	char out[PATHNORM_MAX + 1];
	const char *why;
	size_t i;

	for (i = 0; i < n; i++) {
		if (pathnorm_normalize(pairs[i].uri, out, sizeof(out),
		    &why) != 0)
			fail_msg("\"%s\" refused (%s), expected \"%s\"",
			    pairs[i].uri, why, pairs[i].want);
		assert_string_equal(out, pairs[i].want);
	}
}

/* Each uri must be refused, with a reason. */
static void
expect_refused(const char *const *uris, size_t n)
{
	char out[PATHNORM_MAX + 1];
	const char *why;
	size_t i;

	for (i = 0; i < n; i++) {
		why = NULL;
		if (pathnorm_normalize(uris[i], out, sizeof(out), &why) == 0)
			fail_msg("\"%s\" accepted as \"%s\"", uris[i], out);
		assert_non_null(why);
	}
}

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

static void
test_keeps_plain_paths(void **state)
{
	static const struct pair pairs[] = {
		{ "/", "/" },
		{ "/users", "/users" },
		{ "/users/1", "/users/1" },
		{ "/users/", "/users/" },
		{ "/a-b_c.d~e/F00", "/a-b_c.d~e/F00" },
		{ "/users/...", "/users/..." },
		{ "/users/.hidden", "/users/.hidden" },
	};

	expect_paths(pairs, NITEMS(pairs));
}

static void
test_removes_dot_segments(void **state)
{
	static const struct pair pairs[] = {
		{ "/users/../admin", "/admin" },
		{ "/users/./1", "/users/1" },
		{ "/./users", "/users" },
		{ "/users/1/..", "/users/" },
		{ "/users/.", "/users/" },
		{ "/users/..", "/" },
		{ "/a/b/../../c", "/c" },
		{ "/users/1/../../admin/x", "/admin/x" },
	};

	expect_paths(pairs, NITEMS(pairs));
}

static void
test_decodes_before_removing_dots(void **state)
{
	static const struct pair pairs[] = {
		{ "/users/%2e%2e/admin", "/admin" },
		{ "/users/%2E%2E/admin", "/admin" },
		{ "/users/.%2e/admin", "/admin" },
		{ "/users/%2e/1", "/users/1" },
		{ "/%75sers", "/users" },
		{ "/users/%41", "/users/A" },
		{ "/users/a%20b", "/users/a b" },
		{ "/caf%C3%A9", "/caf\xc3\xa9" },
	};

	expect_paths(pairs, NITEMS(pairs));
}

static void
test_collapses_repeated_slashes(void **state)
{
	static const struct pair pairs[] = {
		{ "//admin", "/admin" },
		{ "/users//1", "/users/1" },
		{ "///users///1///", "/users/1/" },
		{ "//", "/" },
		{ "/users//../admin", "/admin" },
	};

	expect_paths(pairs, NITEMS(pairs));
}

static void
test_keeps_case(void **state)
{
	static const struct pair pairs[] = {
		{ "/USERS", "/USERS" },
		{ "/Users/1", "/Users/1" },
		{ "/users/%2e%2E/ADMIN", "/ADMIN" },
	};

	expect_paths(pairs, NITEMS(pairs));
}

static void
test_ignores_the_query(void **state)
{
	static const struct pair pairs[] = {
		{ "/users/1?x=/admin", "/users/1" },
		{ "/users?../../admin", "/users" },
		{ "/users/1?%zz#;\\", "/users/1" },
		{ "/users/1?", "/users/1" },
		/* An encoded '?' is part of the path, not a query. */
		{ "/users/1%3Fx", "/users/1?x" },
		{ "/users/1%23x", "/users/1#x" },
	};

	expect_paths(pairs, NITEMS(pairs));
}

static void
test_refuses_climbing_above_root(void **state)
{
	static const char *const uris[] = {
		"/..", "/../admin", "/users/../../admin", "/%2e%2e/admin",
		"/users/%2e%2e/%2e%2e/etc", "//../admin",
	};

	expect_refused(uris, NITEMS(uris));
}

static void
test_refuses_encoded_separators(void **state)
{
	static const char *const uris[] = {
		"%2fadmin", "/%2fadmin", "/%2Fadmin", "/users%2f1",
		"/users/..%2fadmin", "/users%5c..%5cadmin",
		"/users\\..\\admin",
		"/users/%252e%252e/admin", "/users/%25",
	};

	expect_refused(uris, NITEMS(uris));
}

static void
test_refuses_bad_escapes(void **state)
{
	static const char *const uris[] = {
		"/users/%", "/users/%2", "/users/%zz", "/users/%g0",
		"/users/%2%65", "/users/%%32e",
	};

	expect_refused(uris, NITEMS(uris));
}

static void
test_refuses_nul_and_control_characters(void **state)
{
	static const char *const uris[] = {
		"/users/%00", "/users/%00/../admin", "/users/%0a",
		"/users/%0d",
		"/users/%09", "/users/%7f", "/users/%1b", "/users/a\tb",
		"/users/a\x7f",
	};

	expect_refused(uris, NITEMS(uris));
}

static void
test_refuses_overlong_and_invalid_utf8(void **state)
{
	static const char *const uris[] = {
		/* Overlong '.', '/' and '\' (the classic traversal forms). */
		"/users/%c0%ae%c0%ae/admin", "/users/%c0%af", "/users/%c1%9c",
		"/users/%e0%80%ae", "/users/%f0%80%80%ae",
		/* Not UTF-8 at all: a lone continuation byte, a cut
		 * sequence, a surrogate, beyond U+10FFFF, 0xff. */
		"/users/%80", "/users/%c3", "/users/%ed%a0%80",
		"/users/%f4%90%80%80", "/users/%ff", "/users/\xc3(",
	};

	expect_refused(uris, NITEMS(uris));
}

static void
test_refuses_other_ambiguous_forms(void **state)
{
	static const char *const uris[] = {
		"", "users", "*", "http://example.test/users",
		"/users/..;/admin", "/users;x=1", "/users/%3b", "/users#/../x",
	};

	expect_refused(uris, NITEMS(uris));
}

static void
test_refuses_null(void **state)
{
	char out[16];
	const char *why = NULL;

	assert_int_equal(pathnorm_normalize(NULL, out, sizeof(out), &why), -1);
	assert_non_null(why);
}

static void
test_refuses_long_paths(void **state)
{
	char *uri = malloc(PATHNORM_MAX + 16);
	char out[PATHNORM_MAX + 1];
	const char *why;

	assert_non_null(uri);
	uri[0] = '/';
	memset(uri + 1, 'a', PATHNORM_MAX - 1);
	strcpy(uri + PATHNORM_MAX, "?q");
	assert_int_equal(pathnorm_normalize(uri, out, sizeof(out), &why), 0);
	assert_int_equal(strlen(out), PATHNORM_MAX);

	strcpy(uri + PATHNORM_MAX, "a");
	assert_int_equal(pathnorm_normalize(uri, out, sizeof(out), &why), -1);

	/* An out buffer too small is a refusal, never an overflow. */
	assert_int_equal(pathnorm_normalize("/users/1", out, 8, &why), -1);
	assert_int_equal(pathnorm_normalize("/users/1", out, 9, &why), 0);
	free(uri);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keeps_plain_paths),
		cmocka_unit_test(test_removes_dot_segments),
		cmocka_unit_test(test_decodes_before_removing_dots),
		cmocka_unit_test(test_collapses_repeated_slashes),
		cmocka_unit_test(test_keeps_case),
		cmocka_unit_test(test_ignores_the_query),
		cmocka_unit_test(test_refuses_climbing_above_root),
		cmocka_unit_test(test_refuses_encoded_separators),
		cmocka_unit_test(test_refuses_bad_escapes),
		cmocka_unit_test(test_refuses_nul_and_control_characters),
		cmocka_unit_test(test_refuses_overlong_and_invalid_utf8),
		cmocka_unit_test(test_refuses_other_ambiguous_forms),
		cmocka_unit_test(test_refuses_null),
		cmocka_unit_test(test_refuses_long_paths),
	};

	return cmocka_run_group_tests_name("pathnorm", tests, NULL, NULL);
}
