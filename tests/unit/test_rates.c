/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the rate limit math (GCRA), the cell table and the rate
 * settings.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bucket.h"
#include "rates.h"

#define S	BUCKET_NS_PER_S
#define T0	(INT64_C(1800000000) * S)

/* 2 per second, burst 5. */
static const struct bucket_limit two_per_s = { S / 2, 5 };

static int
allowed_in_a_row(int64_t *tat, int64_t now, const struct bucket_limit *lim,
    int tries)
{
	int64_t retry;
	int n = 0;

	while (tries-- > 0 && bucket_gcra(tat, now, lim, &retry))
		n++;
	return n;
}

static void
test_gcra_burst_then_refuses(void **state)
{
	int64_t tat = 0;

	assert_int_equal(allowed_in_a_row(&tat, T0, &two_per_s, 100), 5);
}

static void
test_gcra_retry_is_time_to_next(void **state)
{
	int64_t tat = 0, retry = 0;

	allowed_in_a_row(&tat, T0, &two_per_s, 5);
	assert_false(bucket_gcra(&tat, T0, &two_per_s, &retry));
	assert_int_equal(retry, S / 2);

	/* After that wait exactly one more goes through. */
	assert_true(bucket_gcra(&tat, T0 + retry, &two_per_s, &retry));
	assert_false(bucket_gcra(&tat, T0 + S / 2, &two_per_s, &retry));
}

static void
test_gcra_refills_at_rate(void **state)
{
	int64_t tat = 0;

	allowed_in_a_row(&tat, T0, &two_per_s, 5);
	/* 3 s later: 6 intervals passed, but the burst caps it at 5. */
	assert_int_equal(allowed_in_a_row(&tat, T0 + 3 * S, &two_per_s,
	    100), 5);
	/* 1 s later: 2 more. */
	assert_int_equal(allowed_in_a_row(&tat, T0 + 4 * S, &two_per_s,
	    100), 2);
}

static void
test_gcra_steady_rate(void **state)
{
	int64_t tat = 0;
	int i, n = 0;

	/* 100 requests, one every 100 ms: 10 s of time, 5 + 20 allowed. */
	for (i = 0; i < 100; i++)
		n += allowed_in_a_row(&tat, T0 + i * (S / 10), &two_per_s, 1);
	assert_int_equal(n, 5 + 20 - 1);
}

static void
test_gcra_clock_step_back_is_bounded(void **state)
{
	int64_t tat = 0, retry = 0;

	allowed_in_a_row(&tat, T0, &two_per_s, 5);
	/* The clock goes back an hour: at most one burst's refill to wait. */
	assert_false(bucket_gcra(&tat, T0 - 3600 * S, &two_per_s, &retry));
	assert_true(retry <= 5 * (S / 2));
}

static void
test_table_apps_are_separate(void **state)
{
	struct bucket_table *t = calloc(1, sizeof(*t));
	int64_t retry;
	int i, a = 0, b = 0;

	assert_non_null(t);
	for (i = 0; i < 20; i++) {
		a += bucket_take(t, "shop", T0, &two_per_s, &retry) ==
		    BUCKET_ALLOW;
		b += bucket_take(t, "admin", T0, &two_per_s, &retry) ==
		    BUCKET_ALLOW;
	}
	assert_int_equal(a, 5);
	assert_int_equal(b, 5);
	free(t);
}

static void
test_table_unlimited_never_touches(void **state)
{
	static const struct bucket_limit off = { 0, 1 };
	struct bucket_table *t = calloc(1, sizeof(*t));
	int64_t retry;
	int i;

	assert_non_null(t);
	for (i = 0; i < 1000; i++)
		assert_int_equal(bucket_take(t, "shop", T0, &off, &retry),
		    BUCKET_ALLOW);
	assert_string_equal(t->cells[0].app_id, "");
	free(t);
}

/* Far more applications than cells: refilled cells are reused, and an
 * application inside its burst is never forgotten. */
static void
test_table_reuses_refilled_cells(void **state)
{
	struct bucket_table *t = calloc(1, sizeof(*t));
	char app[32];
	int64_t retry;
	int i;

	assert_non_null(t);
	for (i = 0; i < 3 * BUCKET_SLOTS; i++) {
		snprintf(app, sizeof(app), "app%d", i);
		assert_int_equal(bucket_take(t, app, T0 + (int64_t)i * S,
		    &two_per_s, &retry), BUCKET_ALLOW);
	}
	/* The last one used its single request 0 s ago and keeps it. */
	for (i = 0; i < 4; i++)
		assert_int_equal(bucket_take(t, app, T0 +
		    (int64_t)(3 * BUCKET_SLOTS - 1) * S, &two_per_s, &retry),
		    BUCKET_ALLOW);
	assert_int_equal(bucket_take(t, app, T0 +
	    (int64_t)(3 * BUCKET_SLOTS - 1) * S, &two_per_s, &retry),
	    BUCKET_LIMITED);
	free(t);
}

static void
test_table_full_is_reported(void **state)
{
	static const struct bucket_limit slow = { 3600 * S, 1 };
	struct bucket_table *t = calloc(1, sizeof(*t));
	char app[32];
	int64_t retry;
	int i, full = 0;

	assert_non_null(t);
	/* Every application uses its burst at once and holds its cell. */
	for (i = 0; i < 2 * BUCKET_SLOTS; i++) {
		snprintf(app, sizeof(app), "app%d", i);
		full += bucket_take(t, app, T0, &slow, &retry) == BUCKET_FULL;
	}
	assert_true(full >= BUCKET_SLOTS);
	free(t);
}

static void
test_parse_rates(void **state)
{
	int64_t ns = -1;

	assert_int_equal(rates_parse("0", &ns), 0);
	assert_int_equal(ns, 0);
	assert_int_equal(rates_parse("10", &ns), 0);
	assert_int_equal(ns, S / 10);
	assert_int_equal(rates_parse("10/s", &ns), 0);
	assert_int_equal(ns, S / 10);
	assert_int_equal(rates_parse("60/min", &ns), 0);
	assert_int_equal(ns, S);
	assert_int_equal(rates_parse("1/h", &ns), 0);
	assert_int_equal(ns, 3600 * S);
	assert_int_equal(rates_parse("1000000", &ns), 0);
	assert_int_equal(ns, 1000);
}

static void
test_parse_refuses_rates(void **state)
{
	static const char *const bad[] = { "", "-1", "+5", " 5", "5 ", "5/",
	    "5/d", "5/m", "1.5", "x", "1000001", "99999999999999999999",
	    "0x10" };
	int64_t ns;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(rates_parse(bad[i], &ns), -1);
}

static char *
write_file(const char *text)
{
	char *path = strdup("/tmp/xtoken-rates-XXXXXX");
	int fd;

	assert_non_null(path);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void
test_file_overrides(void **state)
{
	char *path = write_file("# per application\n\n"
	    "shop 100/s 200\n  admin\t0 1\nreports 6/min 2\n");
	struct rates r;
	char err[256];

	assert_int_equal(rates_load(&r, "10", 20, path, err, sizeof(err)), 0);
	assert_int_equal(rates_for(&r, "shop")->interval_ns, S / 100);
	assert_int_equal(rates_for(&r, "shop")->burst, 200);
	assert_int_equal(rates_for(&r, "admin")->interval_ns, 0);
	assert_int_equal(rates_for(&r, "reports")->interval_ns, 10 * S);
	assert_int_equal(rates_for(&r, "other")->interval_ns, S / 10);
	assert_int_equal(rates_for(&r, "other")->burst, 20);
	rates_free(&r);
	unlink(path);
	free(path);
}

static void
expect_file_error(const char *text, const char *want)
{
	char *path = write_file(text);
	struct rates r;
	char err[256] = "";

	assert_int_equal(rates_load(&r, "10", 20, path, err, sizeof(err)), -1);
	if (strstr(err, want) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", want, err);
	unlink(path);
	free(path);
}

static void
test_file_errors_name_the_line(void **state)
{
	expect_file_error("shop 10 5\nshop 20 5\n", "listed twice");
	expect_file_error("shop 10\n", ":1: expected");
	expect_file_error("\nshop 10 5 extra\n", ":2: expected");
	expect_file_error("../x 10 5\n", "not a valid appId");
	expect_file_error("shop fast 5\n", "RATE");
	expect_file_error("shop 10 0\n", "BURST");
	expect_file_error("shop 10 1000001\n", "BURST");
}

static void
test_load_checks_defaults(void **state)
{
	struct rates r;
	char err[256];

	assert_int_equal(rates_load(&r, "abc", 5, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "rate"));
	assert_int_equal(rates_load(&r, "5", 0, NULL, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "burst"));
	assert_int_equal(rates_load(&r, "5", 1, "/nonexistent/limits", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/limits"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gcra_burst_then_refuses),
		cmocka_unit_test(test_gcra_retry_is_time_to_next),
		cmocka_unit_test(test_gcra_refills_at_rate),
		cmocka_unit_test(test_gcra_steady_rate),
		cmocka_unit_test(test_gcra_clock_step_back_is_bounded),
		cmocka_unit_test(test_table_apps_are_separate),
		cmocka_unit_test(test_table_unlimited_never_touches),
		cmocka_unit_test(test_table_reuses_refilled_cells),
		cmocka_unit_test(test_table_full_is_reported),
		cmocka_unit_test(test_parse_rates),
		cmocka_unit_test(test_parse_refuses_rates),
		cmocka_unit_test(test_file_overrides),
		cmocka_unit_test(test_file_errors_name_the_line),
		cmocka_unit_test(test_load_checks_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
