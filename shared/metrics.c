/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Decision counters and their Prometheus text exposition.
 */
#include "autoconf.h"

#include <inttypes.h>
#include <string.h>

#include "metrics.h"

_Static_assert(METRICS_REASONS >= REASON_COUNT,
    "METRICS_REASONS must have room for every reason code");

static const int64_t metrics_bounds_us[METRICS_NBOUNDS] = METRICS_BOUNDS_US;

/* Applications are few and stay for the life of the table; a linear
 * scan of the used rows is cheaper than anything cleverer at this size. */
static struct metrics_row *
metrics_row_for(struct metrics_table *m, const char *app_id)
{
	size_t i, len;

	if (app_id == NULL)
		return &m->unverified;
	len = strlen(app_id);
	if (len == 0 || len > CLAIMS_APP_ID_MAX)
		return &m->other;

	for (i = 0; i < METRICS_APPS; i++) {
		if (m->apps[i].app_id[0] == '\0') {
			memcpy(m->apps[i].app_id, app_id, len + 1);
			return &m->apps[i];
		}
		if (strcmp(m->apps[i].app_id, app_id) == 0)
			return &m->apps[i];
	}
	return &m->other;
}

void
metrics_record(struct metrics_table *m, const char *app_id,
    enum reason_code reason, int64_t elapsed_ns)
{
	struct metrics_row *row = metrics_row_for(m, app_id);
	size_t i;

	if ((unsigned)reason >= REASON_COUNT)
		reason = REASON_INTERNAL;
	row->count[reason]++;

	if (elapsed_ns < 0)
		elapsed_ns = 0;
	for (i = 0; i < METRICS_NBOUNDS; i++) {
		if (elapsed_ns <= metrics_bounds_us[i] * 1000)
			break;
	}
	m->bucket[i]++;
	m->latency_count++;
	m->latency_sum_ns += (uint64_t)elapsed_ns;
}

void
metrics_redis_error(struct metrics_table *m)
{
	m->redis_errors++;
}

char *
metrics_escape_label(char *out, size_t outcap, const char *s)
{
	size_t o = 0;
	const char *rep;
	char one[2] = { 0, 0 };

	if (outcap == 0)
		return out;
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			rep = "\\\\";
		else if (*s == '"')
			rep = "\\\"";
		else if (*s == '\n')
			rep = "\\n";
		else {
			one[0] = *s;
			rep = one;
		}
		if (o + strlen(rep) >= outcap)
			break;
		memcpy(out + o, rep, strlen(rep));
		o += strlen(rep);
	}
	out[o] = '\0';
	return out;
}

static int
metrics_write_row(const struct metrics_row *row, const char *app, FILE *out)
{
	char label[2 * CLAIMS_APP_ID_MAX + 16];
	int i;

	metrics_escape_label(label, sizeof(label), app);
	for (i = 0; i < REASON_COUNT; i++) {
		if (row->count[i] == 0)
			continue;
		if (fprintf(out, "xtoken_requests_total{app=\"%s\","
		    "reason=\"%s\"} %" PRIu64 "\n", label,
		    reason_name((enum reason_code)i), row->count[i]) < 0)
			return -1;
	}
	return 0;
}

static int
metrics_write_counters(const struct metrics_table *m, FILE *out)
{
	size_t i;

	if (fprintf(out, "# HELP xtoken_requests_total Authorization "
	    "decisions by application and reason (ok = allowed).\n"
	    "# TYPE xtoken_requests_total counter\n") < 0)
		return -1;
	if (metrics_write_row(&m->unverified, METRICS_APP_UNVERIFIED,
	    out) != 0)
		return -1;
	for (i = 0; i < METRICS_APPS && m->apps[i].app_id[0] != '\0'; i++) {
		if (metrics_write_row(&m->apps[i], m->apps[i].app_id,
		    out) != 0)
			return -1;
	}
	return metrics_write_row(&m->other, METRICS_APP_OTHER, out);
}

/* Prometheus histograms are cumulative: each bucket counts every
 * decision at or below its bound. */
static int
metrics_write_histogram(const struct metrics_table *m, FILE *out)
{
	uint64_t total = 0;
	size_t i;

	if (fprintf(out, "# HELP xtoken_decision_seconds Time from a "
	    "request's arrival to its decision.\n"
	    "# TYPE xtoken_decision_seconds histogram\n") < 0)
		return -1;
	for (i = 0; i < METRICS_NBOUNDS; i++) {
		total += m->bucket[i];
		if (fprintf(out, "xtoken_decision_seconds_bucket{le=\"%g\"} "
		    "%" PRIu64 "\n", (double)metrics_bounds_us[i] / 1e6,
		    total) < 0)
			return -1;
	}
	total += m->bucket[METRICS_NBOUNDS];
	if (fprintf(out, "xtoken_decision_seconds_bucket{le=\"+Inf\"} "
	    "%" PRIu64 "\n"
	    "xtoken_decision_seconds_sum %.9f\n"
	    "xtoken_decision_seconds_count %" PRIu64 "\n", total,
	    (double)m->latency_sum_ns / 1e9, m->latency_count) < 0)
		return -1;
	return 0;
}

int
metrics_write(const struct metrics_table *m, FILE *out)
{
	if (metrics_write_counters(m, out) != 0 ||
	    metrics_write_histogram(m, out) != 0)
		return -1;
	if (fprintf(out, "# HELP xtoken_redis_errors_total Exchanges with "
	    "Redis that failed or timed out.\n"
	    "# TYPE xtoken_redis_errors_total counter\n"
	    "xtoken_redis_errors_total %" PRIu64 "\n", m->redis_errors) < 0)
		return -1;
	return fflush(out) == 0 ? 0 : -1;
}
