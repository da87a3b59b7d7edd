/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Rate syntax and the per-application limits file.
 */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

int
rates_parse(const char *s, int64_t *interval_ns)
{
	static const struct {
		const char	*suffix;
		int64_t		 ns;
	} units[] = {
		{ "", BUCKET_NS_PER_S },
		{ "/s", BUCKET_NS_PER_S },
		{ "/min", 60 * BUCKET_NS_PER_S },
		{ "/h", 3600 * BUCKET_NS_PER_S },
	};
	char *end;
	long n;
	size_t i;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || n < 0)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (n == 0) {
			*interval_ns = 0;
			return 0;
		}
		/* Faster than RATES_MAX per second is refused. */
		if (units[i].ns / n < BUCKET_NS_PER_S / RATES_MAX)
			return -1;
		*interval_ns = units[i].ns / n;
		return 0;
	}
	return -1;
}

static int
rates_parse_burst(const char *s, long *burst)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > RATES_BURST_MAX)
		return -1;
	*burst = n;
	return 0;
}

static int
rates_cmp(const void *a, const void *b)
{
	const struct rates_app *x = a, *y = b;

	return strcmp(x->app_id, y->app_id);
}

/* Sort for bsearch; an appId listed twice would make one line void. */
static int
rates_sort(struct rates *lim, const char *path, char *err, size_t errlen)
{
	size_t i;

	/* A file of defaults only has no array: qsort must not get NULL. */
	if (lim->count > 0)
		qsort(lim->apps, lim->count, sizeof(*lim->apps), rates_cmp);
	for (i = 1; i < lim->count; i++) {
		if (strcmp(lim->apps[i - 1].app_id, lim->apps[i].app_id) ==
		    0) {
			snprintf(err, errlen, "limits: %s: appId \"%s\" is "
			    "listed twice", path, lim->apps[i].app_id);
			return -1;
		}
	}
	return 0;
}

/* Parse one non-comment line into *out. */
static int
rates_parse_line(char *line, struct rates_app *out, const char **why)
{
	char *app, *rate, *burst, *extra, *save = NULL;

	app = strtok_r(line, " \t\r\n", &save);
	rate = strtok_r(NULL, " \t\r\n", &save);
	burst = strtok_r(NULL, " \t\r\n", &save);
	extra = strtok_r(NULL, " \t\r\n", &save);
	if (burst == NULL || extra != NULL) {
		*why = "expected \"APPID RATE BURST\"";
		return -1;
	}
	if (!claims_app_id_valid(app, strlen(app))) {
		*why = "not a valid appId";
		return -1;
	}
	if (rates_parse(rate, &out->limit.interval_ns) != 0) {
		*why = "RATE is not 0, N, N/s, N/min or N/h (at most "
		    "1000000/s)";
		return -1;
	}
	if (rates_parse_burst(burst, &out->limit.burst) != 0) {
		*why = "BURST is not a number from 1 to 1000000";
		return -1;
	}
	snprintf(out->app_id, sizeof(out->app_id), "%s", app);
	return 0;
}

static int
rates_add(struct rates *lim, const struct rates_app *app)
{
	struct rates_app *grown;

	grown = reallocarray(lim->apps, lim->count + 1, sizeof(*grown));
	if (grown == NULL)
		return -1;
	lim->apps = grown;
	lim->apps[lim->count++] = *app;
	return 0;
}

static int
rates_read_file(struct rates *lim, const char *path, char *err,
    size_t errlen)
{
	struct rates_app app;
	unsigned long lineno = 0;
	const char *why = NULL;
	char *line = NULL, *p;
	size_t cap = 0;
	FILE *fp;
	int r = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "limits: cannot open %s: %s", path,
		    strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) != -1) {
		lineno++;
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p == '\0' || *p == '#')
			continue;
		if (rates_parse_line(p, &app, &why) != 0)
			goto bad;
		if (rates_add(lim, &app) != 0) {
			why = "out of memory";
			goto bad;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "limits: cannot read %s: %s", path,
		    strerror(errno));
		goto out;
	}
	r = rates_sort(lim, path, err, errlen);
	goto out;
bad:
	snprintf(err, errlen, "limits: %s:%lu: %s", path, lineno, why);
out:
	free(line);
	fclose(fp);
	return r;
}

int
rates_load(struct rates *lim, const char *rate, long burst,
    const char *path, char *err, size_t errlen)
{
	memset(lim, 0, sizeof(*lim));
	if (rates_parse(rate, &lim->fallback.interval_ns) != 0) {
		snprintf(err, errlen, "rate: \"%.64s\" is not 0, N, N/s, "
		    "N/min or N/h (at most 1000000/s)", rate);
		return -1;
	}
	if (burst < 1 || burst > RATES_BURST_MAX) {
		snprintf(err, errlen, "burst: %ld is out of range (1 to "
		    "1000000)", burst);
		return -1;
	}
	lim->fallback.burst = burst;
	if (path == NULL)
		return 0;
	if (rates_read_file(lim, path, err, errlen) != 0) {
		rates_free(lim);
		return -1;
	}
	return 0;
}

void
rates_free(struct rates *lim)
{
	free(lim->apps);
	lim->apps = NULL;
	lim->count = 0;
}

const struct bucket_limit *
rates_for(const struct rates *lim, const char *app_id)
{
	struct rates_app key;
	const struct rates_app *found;

	if (lim->count == 0 || strlen(app_id) >= sizeof(key.app_id))
		return &lim->fallback;
	snprintf(key.app_id, sizeof(key.app_id), "%s", app_id);
	found = bsearch(&key, lim->apps, lim->count, sizeof(*lim->apps),
	    rates_cmp);
	return found != NULL ? &found->limit : &lim->fallback;
}
