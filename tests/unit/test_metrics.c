/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the decision counters and their Prometheus text.
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

#include "metrics.h"

static char *
render(const struct metrics_table *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	assert_int_equal(metrics_write(m, fp), 0);
	fclose(fp);
	return text;
}

static void
expect_line(const char *text, const char *line)
{
	const char *p = text;
	size_t len = strlen(line);

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return;
		p++;
	}
	fail_msg("line \"%s\" missing from:\n%s", line, text);
}

static void
test_counts_by_app_and_reason(void **state)
{
	struct metrics_table *m = calloc(1, sizeof(*m));
	char *text;
	int i;

	assert_non_null(m);
	for (i = 0; i < 3; i++)
		metrics_record(m, "shop", REASON_OK, 1000);
	metrics_record(m, "shop", REASON_RATE_LIMITED, 1000);
	metrics_record(m, "admin", REASON_REPLAYED, 1000);
	metrics_record(m, NULL, REASON_BAD_SIGNATURE, 1000);
	metrics_record(m, NULL, REASON_NO_TOKEN, 1000);
	text = render(m);

	expect_line(text, "# TYPE xtoken_requests_total counter");
	expect_line(text, "xtoken_requests_total{app=\"shop\",reason=\"ok\"} 3");
	expect_line(text, "xtoken_requests_total{app=\"shop\","
	    "reason=\"rate_limited\"} 1");
	expect_line(text, "xtoken_requests_total{app=\"admin\","
	    "reason=\"replayed\"} 1");
	expect_line(text, "xtoken_requests_total{app=\".unverified\","
	    "reason=\"bad_signature\"} 1");
	expect_line(text, "xtoken_requests_total{app=\".unverified\","
	    "reason=\"no_token\"} 1");
	assert_null(strstr(text, "reason=\"expired\""));
	free(text);
	free(m);
}

static void
test_histogram_is_cumulative(void **state)
{
	struct metrics_table *m = calloc(1, sizeof(*m));
	char *text;

	assert_non_null(m);
	metrics_record(m, "shop", REASON_OK, 50 * 1000);	/* 50 us */
	metrics_record(m, "shop", REASON_OK, 100 * 1000);	/* on a bound */
	metrics_record(m, "shop", REASON_OK, 3 * 1000 * 1000);	/* 3 ms */
	metrics_record(m, "shop", REASON_OK, 5000000000LL);	/* 5 s */
	text = render(m);

	expect_line(text, "# TYPE xtoken_decision_seconds histogram");
	expect_line(text, "xtoken_decision_seconds_bucket{le=\"0.0001\"} 2");
	expect_line(text, "xtoken_decision_seconds_bucket{le=\"0.0025\"} 2");
	expect_line(text, "xtoken_decision_seconds_bucket{le=\"0.005\"} 3");
	expect_line(text, "xtoken_decision_seconds_bucket{le=\"1\"} 3");
	expect_line(text, "xtoken_decision_seconds_bucket{le=\"+Inf\"} 4");
	expect_line(text, "xtoken_decision_seconds_count 4");
	expect_line(text, "xtoken_decision_seconds_sum 5.003150000");
	free(text);
	free(m);
}

/* Only appIds a signature vouched for get a row, and rows are bounded:
 * later applications share one. */
static void
test_rows_are_bounded(void **state)
{
	struct metrics_table *m = calloc(1, sizeof(*m));
	char app[32], *text;
	int i;

	assert_non_null(m);
	for (i = 0; i < METRICS_APPS + 10; i++) {
		snprintf(app, sizeof(app), "app%d", i);
		metrics_record(m, app, REASON_OK, 1);
	}
	metrics_record(m, "app0", REASON_OK, 1);
	assert_int_equal(m->apps[0].count[REASON_OK], 2);
	assert_int_equal(m->other.count[REASON_OK], 10);
	text = render(m);
	expect_line(text, "xtoken_requests_total{app=\".other\","
	    "reason=\"ok\"} 10");
	free(text);
	free(m);
}

static void
test_label_escaping(void **state)
{
	char out[64];

	assert_string_equal(metrics_escape_label(out, sizeof(out),
	    "a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
	assert_string_equal(metrics_escape_label(out, sizeof(out), "shop"),
	    "shop");
	/* Cut, never a half escape. */
	assert_string_equal(metrics_escape_label(out, 4, "ab\"c"), "ab");
}

static void
test_every_reason_has_a_name(void **state)
{
	struct metrics_table *m = calloc(1, sizeof(*m));
	char *text;
	int i;

	assert_non_null(m);
	for (i = 0; i < REASON_COUNT; i++)
		metrics_record(m, "shop", (enum reason_code)i, 1);
	metrics_record(m, "shop", (enum reason_code)999, 1);
	metrics_redis_error(m);
	text = render(m);
	assert_null(strstr(text, "reason=\"\""));
	expect_line(text, "xtoken_requests_total{app=\"shop\","
	    "reason=\"internal\"} 2");
	expect_line(text, "xtoken_redis_errors_total 1");
	free(text);
	free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_by_app_and_reason),
		cmocka_unit_test(test_histogram_is_cumulative),
		cmocka_unit_test(test_rows_are_bounded),
		cmocka_unit_test(test_label_escaping),
		cmocka_unit_test(test_every_reason_has_a_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
