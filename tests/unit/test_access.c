/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the access rules: the policy file's syntax and its
 * errors, the matching matrix of a store front and an admin site, the
 * path tricks that must not slip past a rule, and the rules inside the
 * verifier.
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
#include "policy.h"
#include "testkeys.h"
#include "verifier.h"

#define SHOP_POLICY \
	"# Store front: reads users.\n" \
	"storefront  GET        /users\n" \
	"storefront  GET,HEAD   /users/*   # one user\n" \
	"\n" \
	"   # Admin site: everything under /users.\n" \
	"admin       *          /users/**\n" \
	"reporting   GET        /reports/*/daily\n" \
	"monitor\tOPTIONS\t/\n"

static char *dir;
static struct policy *shop;

/* Write text as dir/name and load it; NULL with err on failure. */
static struct policy *
load_text(const char *name, const char *text, char *err, size_t errlen)
{
	char path[1024];

	testkeys_write_file(dir, name, text);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return policy_load(path, err, errlen);
}

static int
setup(void **state)
{
	char err[512];

	dir = testkeys_mkdir();
	shop = load_text("shop.rules", SHOP_POLICY, err, sizeof(err));
	if (shop == NULL)
		fprintf(stderr, "# %s\n", err);
	return shop != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	policy_free(shop);
	testkeys_rmdir(dir);
	free(dir);
	return 0;
}

static void
test_counts_rules_and_applications(void **state)
{
	assert_int_equal(policy_rule_count(shop), 5);
	assert_int_equal(policy_app_count(shop), 4);
}

struct route {
	const char	*app;
	const char	*method;
	const char	*uri;
	enum reason_code want;
};

static void
expect_routes(const struct policy *p, const struct route *r, size_t n)
{
	enum reason_code got;
	size_t i;

	for (i = 0; i < n; i++) {
		got = policy_check(p, r[i].app, r[i].method, r[i].uri);
		if (got != r[i].want)
			fail_msg("%s %s %s: got %s, expected %s", r[i].app,
			    r[i].method ? r[i].method : "(null)",
			    r[i].uri ? r[i].uri : "(null)", reason_name(got),
			    reason_name(r[i].want));
	}
}

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))
#define OK		REASON_OK
#define DENY		REASON_ROUTE_NOT_ALLOWED
#define BAD		REASON_BAD_PATH

static void
test_storefront_reads_users_only(void **state)
{
	static const struct route r[] = {
		{ "storefront", "GET", "/users", OK },
		{ "storefront", "GET", "/users/1", OK },
		{ "storefront", "HEAD", "/users/1", OK },
		{ "storefront", "GET", "/users/1/orders", DENY },
		{ "storefront", "HEAD", "/users", DENY },
		{ "storefront", "POST", "/users", DENY },
		{ "storefront", "DELETE", "/users/1", DENY },
		{ "storefront", "PUT", "/users/1", DENY },
		{ "storefront", "GET", "/", DENY },
		{ "storefront", "GET", "/admin", DENY },
		{ "storefront", "GET", "/usersX", DENY },
		{ "storefront", "GET", "/users.json", DENY },
		/* '*' takes one non-empty segment. */
		{ "storefront", "GET", "/users/", DENY },
		/* Methods are case-sensitive, as in HTTP. */
		{ "storefront", "get", "/users", DENY },
		{ "storefront", "PROPFIND", "/users", DENY },
	};

	expect_routes(shop, r, NITEMS(r));
}

static void
test_admin_may_do_everything_under_users(void **state)
{
	static const struct route r[] = {
		{ "admin", "GET", "/users", OK },
		{ "admin", "GET", "/users/", OK },
		{ "admin", "POST", "/users", OK },
		{ "admin", "DELETE", "/users/1", OK },
		{ "admin", "PATCH", "/users/1/roles/2", OK },
		{ "admin", "PROPFIND", "/users/1", OK },
		{ "admin", "GET", "/", DENY },
		{ "admin", "GET", "/usersX", DENY },
		{ "admin", "GET", "/admin", DENY },
		{ "admin", "GET", "/Users", DENY },
	};

	expect_routes(shop, r, NITEMS(r));
}

static void
test_middle_wildcard_and_root_rule(void **state)
{
	static const struct route r[] = {
		{ "reporting", "GET", "/reports/2026-01-01/daily", OK },
		{ "reporting", "GET", "/reports/x/daily/", DENY },
		{ "reporting", "GET", "/reports//daily", DENY },
		{ "reporting", "GET", "/reports/a/b/daily", DENY },
		{ "reporting", "GET", "/reports/daily", DENY },
		{ "monitor", "OPTIONS", "/", OK },
		{ "monitor", "OPTIONS", "//", OK },
		{ "monitor", "OPTIONS", "/users", DENY },
		{ "monitor", "GET", "/", DENY },
	};

	expect_routes(shop, r, NITEMS(r));
}

static void
test_unlisted_application_may_call_nothing(void **state)
{
	static const struct route r[] = {
		{ "intruder", "GET", "/users", DENY },
		{ "intruder", "GET", "/", DENY },
		{ "Storefront", "GET", "/users", DENY },
		{ "storefront2", "GET", "/users", DENY },
		{ "", "GET", "/users", DENY },
		{ NULL, "GET", "/users", DENY },
	};

	expect_routes(shop, r, NITEMS(r));
}

/* The tricks of the path, each against a rule it must not slip past. */
static void
test_path_tricks_do_not_slip_past(void **state)
{
	static const struct route r[] = {
		{ "storefront", "GET", "/users/../admin", DENY },
		{ "storefront", "GET", "/users/%2e%2e/admin", DENY },
		{ "storefront", "GET", "/users/%2E%2E/admin", DENY },
		{ "storefront", "GET", "//admin", DENY },
		{ "storefront", "GET", "/USERS", DENY },
		{ "storefront", "GET", "/users/1/../../admin", DENY },
		{ "admin", "GET", "/users/../admin", DENY },
		{ "admin", "GET", "/users/%2e%2e/etc/passwd", DENY },
		{ "storefront", "GET", "/../users", BAD },
		{ "storefront", "GET", "/users/%2e%2e/%2e%2e/users", BAD },
		{ "storefront", "GET", "%2fusers", BAD },
		{ "storefront", "GET", "/users%2f1", BAD },
		{ "storefront", "GET", "/users/%00", BAD },
		{ "storefront", "GET", "/users/1%00", BAD },
		{ "admin", "GET", "/users/%c0%ae%c0%ae/admin", BAD },
		{ "admin", "GET", "/users/..;/admin", BAD },
		{ "admin", "GET", "/users/..\\admin", BAD },
		{ "admin", "GET", "/users/%252e%252e/admin", BAD },
		{ "admin", "GET", "http://example.test/users", BAD },
		{ "admin", "GET", "", BAD },
		{ "admin", "GET", NULL, BAD },
	};

	expect_routes(shop, r, NITEMS(r));
}

/* Equivalent spellings of an allowed route are allowed too. */
static void
test_equivalent_spellings_match(void **state)
{
	static const struct route r[] = {
		{ "storefront", "GET", "/users/./1", OK },
		{ "storefront", "GET", "/users//1", OK },
		{ "storefront", "GET", "//users", OK },
		{ "storefront", "GET", "/%75sers/%31", OK },
		{ "storefront", "GET", "/admin/../users", OK },
		{ "storefront", "GET", "/users/2/../1", OK },
	};

	expect_routes(shop, r, NITEMS(r));
}

static void
test_query_never_counts(void **state)
{
	static const struct route r[] = {
		{ "storefront", "GET", "/users?x=/admin", OK },
		{ "storefront", "GET", "/users/1?x=1&y=../../admin", OK },
		{ "storefront", "GET", "/users?", OK },
		{ "storefront", "GET", "/users/1?%00", OK },
		{ "storefront", "GET", "/admin?/users", DENY },
		/* An encoded '?' is part of the segment. */
		{ "storefront", "GET", "/users/1%3Fx", OK },
		{ "storefront", "GET", "/users%3F/1", DENY },
	};

	expect_routes(shop, r, NITEMS(r));
}

static void
test_method_must_be_set(void **state)
{
	static const struct route r[] = {
		{ "storefront", NULL, "/users", DENY },
		{ "storefront", "", "/users", DENY },
		{ "admin", NULL, "/users", DENY },
	};

	expect_routes(shop, r, NITEMS(r));
}

static void
test_catch_all_and_empty_policy(void **state)
{
	static const struct route all[] = {
		{ "ops", "GET", "/", OK },
		{ "ops", "DELETE", "/anything/at/all", OK },
		{ "ops", "GET", "/users/../admin", OK },
		{ "ops", "GET", "/../admin", BAD },
		{ "other", "GET", "/", DENY },
	};
	static const struct route none[] = {
		{ "ops", "GET", "/", DENY },
		{ "storefront", "GET", "/users", DENY },
	};
	struct policy *p;
	char err[512];

	p = load_text("all.rules", "ops * /**\n", err, sizeof(err));
	assert_non_null(p);
	expect_routes(p, all, NITEMS(all));
	policy_free(p);

	p = load_text("none.rules", "# nobody may call anything\n\n", err,
	    sizeof(err));
	assert_non_null(p);
	assert_int_equal(policy_rule_count(p), 0);
	expect_routes(p, none, NITEMS(none));
	policy_free(p);
}

struct bad_file {
	const char	*text;
	const char	*want;		/* expected in the error message */
};

static void
test_reports_errors_with_file_and_line(void **state)
{
	static const struct bad_file bad[] = {
		{ "storefront GET\n", ":1: expected \"APPID METHODS PATH\"" },
		{ "# c\nstorefront\n", ":2: expected" },
		{ "a GET /x extra\n", ":1: expected \"APPID METHODS PATH\"; "
		    "a comment" },
		{ "a GET # /x\n", ":1: expected" },
		{ "../a GET /x\n", ":1: \"../a\" is not an application ID" },
		{ ".a GET /x\n", "not an application ID" },
		{ "a/b GET /x\n", "not an application ID" },
		{ "a get /x\n", ":1: unknown method \"get\"" },
		{ "a GTE /x\n", "unknown method \"GTE\"" },
		{ "a GET,,POST /x\n", "unknown method \"\"" },
		{ "a GET, /x\n", "unknown method \"\"" },
		{ "a GET,* /x\n", "unknown method \"*\"" },
		{ "a TRACE /x\n", "unknown method \"TRACE\"" },
		{ "a GET,POST,GET /x\n", "method GET is listed twice" },
		{ "a GET users\n", "does not start with '/'" },
		{ "a GET /users/../admin\n", "not in normal form; write "
		    "\"/admin\"" },
		{ "a GET /users//1\n", "not in normal form" },
		{ "a GET /users/./1\n", "not in normal form" },
		{ "a GET /%75sers\n", "not in normal form; write \"/users\"" },
		{ "a GET /users?x=1\n", "not in normal form" },
		{ "a GET /users/%2f\n", "encoded '/'" },
		{ "a GET /users;x\n", "path parameter" },
		{ "a GET /users/..\n", "not in normal form" },
		{ "a GET /..\n", "above the root" },
		{ "a GET /users/**/x\n",
		    "\"**\" may only be the last segment" },
		{ "a GET /**/x\n", "may only be the last segment" },
		{ "a GET /users/a*\n", "'*' must be a whole segment" },
		{ "a GET /users/***\n", "'*' must be a whole segment" },
		{ "ok GET /x\nb GET\n", ":2: expected" },
	};
	struct policy *p;
	char err[512], name[32];
	size_t i;

	for (i = 0; i < NITEMS(bad); i++) {
		snprintf(name, sizeof(name), "bad%zu.rules", i);
		err[0] = '\0';
		p = load_text(name, bad[i].text, err, sizeof(err));
		if (p != NULL)
			fail_msg("accepted: %s", bad[i].text);
		if (strstr(err, bad[i].want) == NULL ||
		    strstr(err, name) == NULL)
			fail_msg("for %s: error \"%s\" lacks \"%s\" or the "
			    "file name", bad[i].text, err, bad[i].want);
	}
}

static void
test_reports_missing_file_and_nul_byte(void **state)
{
	char err[512], path[1024];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/missing.rules", dir);
	assert_null(policy_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "cannot open policy file"));
	assert_non_null(strstr(err, "missing.rules"));

	snprintf(path, sizeof(path), "%s/nul.rules", dir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fwrite("a GET /x\na GET /y\0\n", 1, 19, fp);
	fclose(fp);
	assert_null(policy_load(path, err, sizeof(err)));
	assert_non_null(strstr(err, "nul.rules:2: line contains a NUL"));
}

/* The verifier loads the rules with the keys, and without a policy
 * setting every route stays open, as before access rules existed. */
static void
test_verifier_holds_the_rules(void **state)
{
	struct verifier *open_v, *ruled_v, *bad_v;
	struct config cfg;
	char err[512], path[1024];
	EVP_PKEY *key = testkeys_rsa(2048);

	testkeys_write_public(dir, "storefront_public.pem", key);
	EVP_PKEY_free(key);
	assert_int_equal(config_init(&cfg), 0);
	assert_int_equal(config_set(&cfg, "keys", dir, err, sizeof(err)), 0);
	open_v = verifier_new(&cfg, err, sizeof(err));
	assert_non_null(open_v);
	assert_false(verifier_has_rules(open_v));
	assert_int_equal(verifier_check_route(open_v, "storefront", "DELETE",
	    "/anything/../at/all"), REASON_OK);

	snprintf(path, sizeof(path), "%s/shop.rules", dir);
	assert_int_equal(config_set(&cfg, "policy", path, err, sizeof(err)),
	    0);
	ruled_v = verifier_new(&cfg, err, sizeof(err));
	assert_non_null(ruled_v);
	assert_true(verifier_has_rules(ruled_v));
	assert_int_equal(verifier_rule_count(ruled_v), 5);
	assert_int_equal(verifier_check_route(ruled_v, "storefront", "GET",
	    "/users/1"), REASON_OK);
	assert_int_equal(verifier_check_route(ruled_v, "storefront", "GET",
	    "/users/../admin"), REASON_ROUTE_NOT_ALLOWED);
	assert_int_equal(verifier_check_route(ruled_v, "storefront", "GET",
	    "/users/%2f"), REASON_BAD_PATH);

	/* A broken policy stops the verifier, naming file and line. */
	testkeys_write_file(dir, "broken.rules", "storefront GET /users\n"
	    "storefront FETCH /users\n");
	snprintf(path, sizeof(path), "%s/broken.rules", dir);
	assert_int_equal(config_set(&cfg, "policy", path, err, sizeof(err)),
	    0);
	bad_v = verifier_new(&cfg, err, sizeof(err));
	assert_null(bad_v);
	assert_non_null(strstr(err, "broken.rules:2: unknown method"));

	verifier_free(open_v);
	verifier_free(ruled_v);
	config_free(&cfg);
}

/* The worked example of README.md, "Access rules", word for word. */
#define README_POLICY \
	"# /etc/xtoken/policy: APPID  METHODS  PATH\n" \
	"# The store front lists users and reads one user.\n" \
	"storefront   GET,HEAD   /users\n" \
	"storefront   GET,HEAD   /users/*\n" \
	"\n" \
	"# The admin site may do anything under /users, and nothing else.\n" \
	"admin        *          /users/**\n" \
	"\n" \
	"# The nightly report job reads one report a day.\n" \
	"reporting    GET        /reports/*/daily   " \
	"# e.g. /reports/2026-01-31/daily\n"

static void
test_readme_example_holds(void **state)
{
	static const struct route r[] = {
		{ "storefront", "GET", "/users", OK },
		{ "storefront", "GET", "/users/42", OK },
		{ "storefront", "HEAD", "/users/42", OK },
		{ "storefront", "POST", "/users", DENY },
		{ "storefront", "DELETE", "/users/42", DENY },
		{ "storefront", "GET", "/users/42/orders", DENY },
		{ "storefront", "GET", "/admin", DENY },
		{ "admin", "DELETE", "/users/42", OK },
		{ "admin", "PATCH", "/users/42/roles", OK },
		{ "admin", "GET", "/users", OK },
		{ "admin", "GET", "/users/", OK },
		{ "admin", "GET", "/users/42/roles/7", OK },
		{ "admin", "GET", "/usersX", DENY },
		{ "admin", "GET", "/reports/x/daily", DENY },
		{ "reporting", "GET", "/reports/2026-01-31/daily", OK },
		{ "partner", "GET", "/users", DENY },
		{ "storefront", "GET", "/users/../admin", DENY },
		{ "storefront", "GET", "/users/%2e%2e/admin", DENY },
		{ "storefront", "GET", "//admin", DENY },
		{ "storefront", "GET", "/USERS", DENY },
	};
	struct policy *p;
	char err[512];

	p = load_text("readme.rules", README_POLICY, err, sizeof(err));
	if (p == NULL)
		fail_msg("%s", err);
	expect_routes(p, r, NITEMS(r));
	policy_free(p);

	p = load_text("readme-bad.rules", "a GET /x\n\n\n\n\n\n"
	    "a GET /users/../admin\n", err, sizeof(err));
	assert_null(p);
	assert_non_null(strstr(err, "readme-bad.rules:7: path "
	    "\"/users/../admin\" is not in normal form; write \"/admin\""));
}

static void
test_reason_codes_and_statuses(void **state)
{
	assert_string_equal(reason_name(REASON_ROUTE_NOT_ALLOWED),
	    "route_not_allowed");
	assert_string_equal(reason_name(REASON_BAD_PATH), "bad_path");
	assert_int_equal(reason_http_status(REASON_ROUTE_NOT_ALLOWED), 403);
	assert_int_equal(reason_http_status(REASON_BAD_PATH), 400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_rules_and_applications),
		cmocka_unit_test(test_storefront_reads_users_only),
		cmocka_unit_test(test_admin_may_do_everything_under_users),
		cmocka_unit_test(test_middle_wildcard_and_root_rule),
		cmocka_unit_test(test_unlisted_application_may_call_nothing),
		cmocka_unit_test(test_path_tricks_do_not_slip_past),
		cmocka_unit_test(test_equivalent_spellings_match),
		cmocka_unit_test(test_query_never_counts),
		cmocka_unit_test(test_method_must_be_set),
		cmocka_unit_test(test_catch_all_and_empty_policy),
		cmocka_unit_test(test_reports_errors_with_file_and_line),
		cmocka_unit_test(test_reports_missing_file_and_nul_byte),
		cmocka_unit_test(test_verifier_holds_the_rules),
		cmocka_unit_test(test_readme_example_holds),
		cmocka_unit_test(test_reason_codes_and_statuses),
	};

	return cmocka_run_group_tests_name("access", tests, setup, teardown);
}
