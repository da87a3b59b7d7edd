/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The access rules file, loaded once into a sorted table, and the check
 * of one request against it.
 */
#include "autoconf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "claims.h"
#include "pathnorm.h"
#include "policy.h"

/* The methods a rule may name; any other method matches only '*'. */
static const char *const policy_methods[] = {
	"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"
};

#define POLICY_NMETHODS	(sizeof(policy_methods) / sizeof(policy_methods[0]))
#define POLICY_OTHER	(1u << POLICY_NMETHODS)
#define POLICY_ANY	(~0u)

struct policy_rule {
	char		 app_id[CLAIMS_APP_ID_MAX + 1];
	unsigned	 methods;	/* bits of policy_methods[] */
	char		*prefix;	/* the pattern up to a last '**' */
	bool		 rest;		/* the pattern ended in a '**' */
	unsigned long	 line;
};

/* The rules of one application: rules[first] to rules[first + count). */
struct policy_app {
	const char	*app_id;
	size_t		 first;
	size_t		 count;
};

struct policy {
	struct policy_rule	*rules;		/* sorted by app_id, line */
	size_t			 count;
	size_t			 cap;
	struct policy_app	*apps;		/* sorted by app_id */
	size_t			 napps;
};

/* Where a message about the file points. */
struct policy_at {
	const char	*path;
	unsigned long	 line;
	char		*err;
	size_t		 errlen;
};

static void
policy_err(const struct policy_at *at, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
policy_err(const struct policy_at *at, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (at->err == NULL || at->errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(at->err, at->errlen, "%s:%lu: %s", at->path, at->line, msg);
}

/* The bit of a request method: a named one, POLICY_OTHER, or 0. */
static unsigned
policy_method_bit(const char *method, size_t len)
{
	size_t i;

	if (method == NULL || len == 0)
		return 0;
	for (i = 0; i < POLICY_NMETHODS; i++) {
		if (strlen(policy_methods[i]) == len &&
		    memcmp(policy_methods[i], method, len) == 0)
			return 1u << i;
	}
	return POLICY_OTHER;
}

/*
 * "*" or a comma list of named methods.  Methods are case-sensitive in
 * HTTP, so "get" is a typing error here, not a spelling of GET.
 */
static int
policy_parse_methods(const struct policy_at *at, const char *field,
    unsigned *out)
{
	const char *item = field, *end;
	unsigned bit;
	size_t len;

	*out = 0;
	if (strcmp(field, "*") == 0) {
		*out = POLICY_ANY;
		return 0;
	}
	for (;;) {
		end = strchr(item, ',');
		len = end != NULL ? (size_t)(end - item) : strlen(item);
		bit = policy_method_bit(item, len);
		if (bit == 0 || bit == POLICY_OTHER) {
			policy_err(at, "unknown method \"%.*s\"; write GET, "
			    "HEAD, POST, PUT, PATCH, DELETE or OPTIONS, "
			    "comma-separated, or *",
			    (int)(len > 16 ? 16 : len), item);
			return -1;
		}
		if (*out & bit) {
			policy_err(at, "method %.*s is listed twice",
			    (int)len, item);
			return -1;
		}
		*out |= bit;
		if (end == NULL)
			return 0;
		item = end + 1;
	}
}

/* Every '*' is a whole segment, and "**" only ends a pattern. */
static int
policy_check_wildcards(const struct policy_at *at, const char *pattern,
    const char *prefix)
{
	const char *seg, *end;
	size_t len;

	for (seg = prefix; *seg == '/'; seg = end) {
		seg++;
		end = seg + strcspn(seg, "/");
		len = (size_t)(end - seg);
		if (memchr(seg, '*', len) == NULL)
			continue;
		if (len == 2 && seg[0] == '*' && seg[1] == '*') {
			policy_err(at, "path \"%.64s\": \"**\" may only be "
			    "the last segment", pattern);
			return -1;
		}
		if (len != 1) {
			policy_err(at, "path \"%.64s\": '*' must be a whole "
			    "segment", pattern);
			return -1;
		}
	}
	return 0;
}

/*
 * A pattern must already be in the form request paths are brought to,
 * so that what the operator wrote is exactly what gets compared.
 */
static int
policy_parse_pattern(const struct policy_at *at, const char *field,
    struct policy_rule *rule)
{
	char norm[PATHNORM_MAX + 1];
	const char *why;
	size_t len;

	if (pathnorm_normalize(field, norm, sizeof(norm), &why) != 0) {
		policy_err(at, "path \"%.64s\": %s", field, why);
		return -1;
	}
	if (strcmp(norm, field) != 0) {
		policy_err(at, "path \"%.64s\" is not in normal form; write "
		    "\"%.64s\"", field, norm);
		return -1;
	}

	len = strlen(field);
	rule->rest = len >= 3 && strcmp(field + len - 3, "/**") == 0;
	if (rule->rest)
		len -= 3;
	rule->prefix = strndup(field, len);
	if (rule->prefix == NULL) {
		policy_err(at, "out of memory");
		return -1;
	}
	return policy_check_wildcards(at, field, rule->prefix);
}

/*
 * Split line into at most three fields; a field that starts with '#'
 * starts a comment.  Returns the number of fields, or -1 when a fourth
 * one follows.
 */
static int
policy_split(char *line, char *field[3])
{
	char *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\r\n", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (tok[0] == '#')
			break;
		if (n == 3)
			return -1;
		field[n++] = tok;
	}
	return n;
}

static struct policy_rule *
policy_new_rule(struct policy *p)
{
	struct policy_rule *grown;
	size_t cap;

	if (p->count == p->cap) {
		cap = p->cap != 0 ? p->cap * 2 : 16;
		grown = reallocarray(p->rules, cap, sizeof(*grown));
		if (grown == NULL)
			return NULL;
		p->rules = grown;
		p->cap = cap;
	}
	memset(&p->rules[p->count], 0, sizeof(p->rules[0]));
	return &p->rules[p->count];
}

static int
policy_parse_line(struct policy *p, const struct policy_at *at, char *line)
{
	struct policy_rule *rule;
	char *field[3];
	int n;

	n = policy_split(line, field);
	if (n == 0)
		return 0;
	if (n != 3) {
		policy_err(at, "expected \"APPID METHODS PATH\"%s",
		    n > 3 || n < 0 ? "; a comment starts with '#'" : "");
		return -1;
	}
	if (!claims_app_id_valid(field[0], strlen(field[0]))) {
		policy_err(at, "\"%.64s\" is not an application ID (1-%d of "
		    "A-Z a-z 0-9 . _ -, not starting with '.')", field[0],
		    CLAIMS_APP_ID_MAX);
		return -1;
	}

	rule = policy_new_rule(p);
	if (rule == NULL) {
		policy_err(at, "out of memory");
		return -1;
	}
	snprintf(rule->app_id, sizeof(rule->app_id), "%s", field[0]);
	rule->line = at->line;
	if (policy_parse_methods(at, field[1], &rule->methods) != 0 ||
	    policy_parse_pattern(at, field[2], rule) != 0) {
		free(rule->prefix);
		return -1;
	}
	p->count++;
	return 0;
}

static int
policy_rule_cmp(const void *a, const void *b)
{
	const struct policy_rule *x = a, *y = b;
	int c = strcmp(x->app_id, y->app_id);

	if (c != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort the rules and note where each application's rules start. */
static int
policy_index(struct policy *p)
{
	size_t i;

	/* No rules means no array: qsort must not be handed a NULL one. */
	if (p->count > 0)
		qsort(p->rules, p->count, sizeof(p->rules[0]),
		    policy_rule_cmp);
	p->apps = calloc(p->count != 0 ? p->count : 1, sizeof(*p->apps));
	if (p->apps == NULL)
		return -1;
	for (i = 0; i < p->count; i++) {
		if (p->napps == 0 || strcmp(p->apps[p->napps - 1].app_id,
		    p->rules[i].app_id) != 0) {
			p->apps[p->napps].app_id = p->rules[i].app_id;
			p->apps[p->napps].first = i;
			p->napps++;
		}
		p->apps[p->napps - 1].count++;
	}
	return 0;
}

static int
policy_read(struct policy *p, FILE *fp, struct policy_at *at)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int r = -1;

	while ((len = getline(&line, &cap, fp)) != -1) {
		at->line++;
		if (strlen(line) != (size_t)len) {
			policy_err(at, "line contains a NUL byte");
			goto out;
		}
		if (policy_parse_line(p, at, line) != 0)
			goto out;
	}
	if (ferror(fp)) {
		policy_err(at, "cannot read: %s", strerror(errno));
		goto out;
	}
	r = 0;
out:
	free(line);
	return r;
}

struct policy *
policy_load(const char *path, char *err, size_t errlen)
{
	struct policy_at at = { path, 0, err, errlen };
	struct policy *p;
	FILE *fp;

	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errlen, "cannot open policy file %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	if (policy_read(p, fp, &at) != 0) {
		fclose(fp);
		goto fail;
	}
	fclose(fp);

	if (policy_index(p) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return p;

fail:
	policy_free(p);
	return NULL;
}

void
policy_free(struct policy *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->count; i++)
		free(p->rules[i].prefix);
	free(p->rules);
	free(p->apps);
	free(p);
}

size_t
policy_rule_count(const struct policy *p)
{
	return p->count;
}

size_t
policy_app_count(const struct policy *p)
{
	return p->napps;
}

/*
 * Compare the normalised path with a pattern segment by segment: '*'
 * takes one non-empty segment, anything else must be equal byte for
 * byte.  After the last pattern segment the path must end, or, for a
 * pattern that ended in a '**' segment, may go on below it.
 */
static bool
policy_match(const struct policy_rule *rule, const char *path)
{
	const char *pat = rule->prefix, *s = path;
	size_t plen, slen;

	while (*pat == '/') {
		if (*s != '/')
			return false;
		pat++;
		s++;
		plen = strcspn(pat, "/");
		slen = strcspn(s, "/");
		if (plen == 1 && *pat == '*') {
			if (slen == 0)
				return false;
		} else if (plen != slen || memcmp(pat, s, plen) != 0) {
			return false;
		}
		pat += plen;
		s += slen;
	}
	return *s == '\0' || (rule->rest && *s == '/');
}

static int
policy_app_cmp(const void *key, const void *elem)
{
	const struct policy_app *app = elem;

	return strcmp(key, app->app_id);
}

enum reason_code
policy_check(const struct policy *p, const char *app_id, const char *method,
    const char *uri)
{
	char path[PATHNORM_MAX + 1];
	const struct policy_app *app;
	const struct policy_rule *rule;
	const char *why;
	unsigned bit;
	size_t i;

	if (pathnorm_normalize(uri, path, sizeof(path), &why) != 0)
		return REASON_BAD_PATH;

	if (app_id == NULL)
		return REASON_ROUTE_NOT_ALLOWED;
	app = bsearch(app_id, p->apps, p->napps, sizeof(p->apps[0]),
	    policy_app_cmp);
	if (app == NULL)
		return REASON_ROUTE_NOT_ALLOWED;

	bit = policy_method_bit(method, method != NULL ? strlen(method) : 0);
	for (i = app->first; i < app->first + app->count; i++) {
		rule = &p->rules[i];
		if ((rule->methods & bit) != 0 && policy_match(rule, path))
			return REASON_OK;
	}
	return REASON_ROUTE_NOT_ALLOWED;
}
