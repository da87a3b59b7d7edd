/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Settings from defaults, a "key = value" file, XTOKEN_* variables and
 * command-line options, all checked by one table.
 */
#include "autoconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "config.h"
#include "errbuf.h"
#include "rates.h"

enum config_type {
	CONFIG_STRING,		/* char *, strdup'ed */
	CONFIG_LONG,		/* long within [min, max] */
	CONFIG_BOOL		/* long, 0 or 1, from yes/no words */
};

/* Returns NULL when value is acceptable, else what is wrong with it. */
typedef const char *(*config_check)(const char *value);

struct config_row {
	const char	*key;		/* file key, also the option name */
	const char	*env;		/* environment variable */
	enum config_type type;
	size_t		 offset;	/* of the field in struct config */
	long		 min, max;	/* CONFIG_LONG only */
	config_check	 check;		/* CONFIG_STRING only, may be NULL */
};

static const char *config_check_nonempty(const char *);
static const char *config_check_realm(const char *);
static const char *config_check_rate(const char *);
static const char *config_check_failure(const char *);
static const char *config_check_path(const char *);

#define CONFIG_STR(key, env, field, check) \
	{ key, env, CONFIG_STRING, offsetof(struct config, field), \
	    0, 0, check }
#define CONFIG_NUM(key, env, field, min, max) \
	{ key, env, CONFIG_LONG, offsetof(struct config, field), \
	    min, max, NULL }
#define CONFIG_YESNO(key, env, field) \
	{ key, env, CONFIG_BOOL, offsetof(struct config, field), \
	    0, 1, NULL }

static const struct config_row config_rows[] = {
	CONFIG_STR("keys", "XTOKEN_KEYS", keys_dir, config_check_nonempty),
	CONFIG_STR("algorithm", "XTOKEN_ALGORITHM", algorithm,
	    config_check_nonempty),
	CONFIG_NUM("leeway", "XTOKEN_LEEWAY", leeway, 0, 600),
	CONFIG_NUM("max_lifetime", "XTOKEN_MAX_LIFETIME", max_lifetime,
	    1, 86400),
	CONFIG_NUM("max_token_bytes", "XTOKEN_MAX_TOKEN_BYTES",
	    max_token_bytes, 256, 65536),
	CONFIG_STR("realm", "XTOKEN_REALM", realm, config_check_realm),
	/* An empty listen means the socket handed over on fd 0. */
	CONFIG_STR("listen", "XTOKEN_LISTEN", listen, NULL),
	CONFIG_NUM("threads", "XTOKEN_THREADS", threads, 1, 256),
	CONFIG_NUM("log_flush", "XTOKEN_LOG_FLUSH", log_flush, 0, 60000),
	CONFIG_NUM("token_cache", "XTOKEN_TOKEN_CACHE", token_cache, 0,
	    1000000),
	CONFIG_STR("db", "XTOKEN_DB", db_path, config_check_nonempty),
	/* Claim checks; an empty audience or typ means "not checked". */
	CONFIG_STR("audience", "XTOKEN_AUDIENCE", audience, NULL),
	CONFIG_YESNO("iss_is_app", "XTOKEN_ISS_IS_APP", iss_is_app),
	CONFIG_YESNO("sub_is_app", "XTOKEN_SUB_IS_APP", sub_is_app),
	CONFIG_STR("typ", "XTOKEN_TYP", typ, NULL),
	CONFIG_YESNO("strict_claims", "XTOKEN_STRICT_CLAIMS", strict_claims),
	/* Access rules; empty means none: every valid caller may call all. */
	CONFIG_STR("policy", "XTOKEN_POLICY", policy_path, NULL),
	/* Rate limits, replay checks, shared state and metrics. */
	CONFIG_STR("rate", "XTOKEN_RATE", rate, config_check_rate),
	CONFIG_NUM("burst", "XTOKEN_BURST", burst, 1, RATES_BURST_MAX),
	CONFIG_STR("limits", "XTOKEN_LIMITS", limits_path, NULL),
	CONFIG_YESNO("replay", "XTOKEN_REPLAY", replay),
	CONFIG_NUM("replay_capacity", "XTOKEN_REPLAY_CAPACITY",
	    replay_capacity, 1024, 16777216),
	CONFIG_STR("state_file", "XTOKEN_STATE_FILE", state_file, NULL),
	CONFIG_STR("redis", "XTOKEN_REDIS", redis, NULL),
	CONFIG_STR("redis_failure", "XTOKEN_REDIS_FAILURE", redis_failure,
	    config_check_failure),
	CONFIG_NUM("redis_timeout", "XTOKEN_REDIS_TIMEOUT", redis_timeout,
	    10, 10000),
	CONFIG_STR("metrics_path", "XTOKEN_METRICS_PATH", metrics_path,
	    config_check_path),
};

#define CONFIG_NROWS	(sizeof(config_rows) / sizeof(config_rows[0]))

/* Longest key or option name we bother to look up. */
#define CONFIG_KEY_MAX	64

static const char *
config_check_nonempty(const char *value)
{
	return *value == '\0' ? "must not be empty" : NULL;
}

/*
 * The realm is sent back inside a WWW-Authenticate header, so it may
 * hold nothing that could end the quoted string or the header line.
 */
static const char *
config_check_realm(const char *value)
{
	size_t len = strlen(value);
	const char *p;

	if (len < 1 || len > 64)
		return "must be 1 to 64 characters long";
	for (p = value; *p != '\0'; p++) {
		if (!isalnum((unsigned char)*p) && strchr(" ._-", *p) == NULL)
			return "may hold only letters, digits, space, "
			    "'.', '_' and '-'";
	}
	return NULL;
}

static const char *
config_check_rate(const char *value)
{
	int64_t interval;

	return rates_parse(value, &interval) != 0 ? "is not 0, N, "
	    "N/s, N/min or N/h (at most 1000000/s)" : NULL;
}

static const char *
config_check_failure(const char *value)
{
	return strcmp(value, "allow") != 0 && strcmp(value, "refuse") != 0 ?
	    "is not allow or refuse" : NULL;
}

/* A URL path compared byte for byte with what the web server sends;
 * empty means none. */
static const char *
config_check_path(const char *value)
{
	const char *p;

	if (*value == '\0')
		return NULL;
	if (*value != '/' || strlen(value) > 200)
		return "must start with '/' and be at most 200 characters";
	for (p = value; *p != '\0'; p++) {
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '%')
			return "may not hold spaces, control characters, "
			    "'?' or '%'";
	}
	return NULL;
}

static const struct config_row *
config_find(const char *key)
{
	size_t i;

	for (i = 0; i < CONFIG_NROWS; i++) {
		if (strcmp(config_rows[i].key, key) == 0)
			return &config_rows[i];
	}
	return NULL;
}

static char **
config_str_field(struct config *cfg, const struct config_row *row)
{
	return (char **)(void *)((char *)cfg + row->offset);
}

static long *
config_long_field(struct config *cfg, const struct config_row *row)
{
	return (long *)(void *)((char *)cfg + row->offset);
}

/*
 * Base 10 digits only: no sign, no space, nothing after the digits.  A
 * value too large for a long comes back as LONG_MAX, which is outside
 * every range in the table.
 */
static int
config_parse_long(const char *value, long *out)
{
	char *end;
	long n;

	if (!isdigit((unsigned char)value[0]))
		return -1;
	errno = 0;
	n = strtol(value, &end, 10);
	if (*end != '\0')
		return -1;
	*out = n;
	return 0;
}

/* yes/no words, so a config file reads as a sentence. */
static int
config_parse_bool(const char *value, long *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(value, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(value, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/*
 * Store value in the field of row.  what names the source in messages
 * ("leeway", "XTOKEN_LEEWAY", "--leeway", "file:3: leeway").
 */
static int
config_apply(struct config *cfg, const struct config_row *row,
    const char *value, const char *what, char *err, size_t errlen)
{
	const char *problem;
	char **sp, *copy;
	long n;

	if (row->type == CONFIG_BOOL) {
		if (config_parse_bool(value, &n) != 0) {
			errbuf_set(err, errlen, "%s: \"%.64s\" is not yes or "
			    "no", what, value);
			return -1;
		}
		*config_long_field(cfg, row) = n;
		return 0;
	}
	if (row->type == CONFIG_LONG) {
		if (config_parse_long(value, &n) != 0) {
			errbuf_set(err, errlen, "%s: \"%.64s\" is not a "
			    "number (digits only)", what, value);
			return -1;
		}
		if (n < row->min || n > row->max) {
			errbuf_set(err, errlen, "%s: %.64s is out of range "
			    "(%ld to %ld)", what, value, row->min, row->max);
			return -1;
		}
		*config_long_field(cfg, row) = n;
		return 0;
	}

	problem = row->check != NULL ? row->check(value) : NULL;
	if (problem != NULL) {
		errbuf_set(err, errlen, "%s: \"%.64s\" %s", what, value,
		    problem);
		return -1;
	}
	copy = NULL;
	if (*value != '\0' && (copy = strdup(value)) == NULL) {
		errbuf_set(err, errlen, "%s: out of memory", what);
		return -1;
	}
	sp = config_str_field(cfg, row);
	free(*sp);
	*sp = copy;
	return 0;
}

static int
config_set_default(struct config *cfg, const char *key, const char *value)
{
	char **sp = config_str_field(cfg, config_find(key));

	if ((*sp = strdup(value)) == NULL)
		return -1;
	return 0;
}

int
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->leeway = CONFIG_DEFAULT_LEEWAY;
	cfg->max_lifetime = CONFIG_DEFAULT_MAX_LIFETIME;
	cfg->max_token_bytes = CONFIG_DEFAULT_MAX_TOKEN_BYTES;
	cfg->threads = CONFIG_DEFAULT_THREADS;
	cfg->token_cache = CONFIG_DEFAULT_TOKEN_CACHE;
	cfg->strict_claims = 1;
	cfg->burst = CONFIG_DEFAULT_BURST;
	cfg->replay_capacity = CONFIG_DEFAULT_REPLAY_CAPACITY;
	cfg->redis_timeout = CONFIG_DEFAULT_REDIS_TIMEOUT;

	if (config_set_default(cfg, "keys", CONFIG_DEFAULT_KEYS_DIR) != 0 ||
	    config_set_default(cfg, "algorithm",
	    CONFIG_DEFAULT_ALGORITHM) != 0 ||
	    config_set_default(cfg, "realm", CONFIG_DEFAULT_REALM) != 0 ||
	    config_set_default(cfg, "db", CONFIG_DEFAULT_DB) != 0 ||
	    config_set_default(cfg, "rate", CONFIG_DEFAULT_RATE) != 0 ||
	    config_set_default(cfg, "redis_failure",
	    CONFIG_DEFAULT_REDIS_FAILURE) != 0) {
		config_free(cfg);
		return -1;
	}
	return 0;
}

void
config_free(struct config *cfg)
{
	size_t i;
	char **sp;

	if (cfg == NULL)
		return;
	for (i = 0; i < CONFIG_NROWS; i++) {
		if (config_rows[i].type != CONFIG_STRING)
			continue;
		sp = config_str_field(cfg, &config_rows[i]);
		free(*sp);
		*sp = NULL;
	}
}

int
config_set(struct config *cfg, const char *key, const char *value,
    char *err, size_t errlen)
{
	const struct config_row *row;

	if (key == NULL || value == NULL) {
		errbuf_set(err, errlen, "missing setting name or value");
		return -1;
	}
	if ((row = config_find(key)) == NULL) {
		errbuf_set(err, errlen, "unknown setting \"%.64s\"", key);
		return -1;
	}
	return config_apply(cfg, row, value, row->key, err, errlen);
}

int
config_set_option(struct config *cfg, const char *option, const char *value,
    char *err, size_t errlen)
{
	const struct config_row *row;
	char key[CONFIG_KEY_MAX];
	char what[CONFIG_KEY_MAX + 2];
	size_t i;

	if (option == NULL || value == NULL) {
		errbuf_set(err, errlen, "missing option name or value");
		return -1;
	}
	if (strlen(option) >= sizeof(key)) {
		errbuf_set(err, errlen, "unknown option \"--%.64s\"", option);
		return -1;
	}

	/* "max-lifetime" and "max_lifetime" name the same setting. */
	for (i = 0; option[i] != '\0'; i++)
		key[i] = option[i] == '-' ? '_' : option[i];
	key[i] = '\0';
	if ((row = config_find(key)) == NULL) {
		errbuf_set(err, errlen, "unknown option \"--%s\"", option);
		return -1;
	}

	snprintf(what, sizeof(what), "--%s", option);
	return config_apply(cfg, row, value, what, err, errlen);
}

/* Strip leading and trailing white space in place; returns the start. */
static char *
config_trim(char *s)
{
	size_t len;

	while (isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		s[--len] = '\0';
	return s;
}

/*
 * Handle one line of the file.  seen[] holds, per table row, the line
 * that set it, so a key given twice is reported instead of the second
 * value silently winning.
 */
static int
config_parse_line(struct config *cfg, const char *path, unsigned long lineno,
    char *line, unsigned long *seen, char *err, size_t errlen)
{
	const struct config_row *row;
	char *key, *value, *eq;
	char what[CONFIG_KEY_MAX + 32];

	key = config_trim(line);
	if (*key == '\0' || *key == '#')
		return 0;

	if ((eq = strchr(key, '=')) == NULL) {
		errbuf_set(err, errlen, "%s:%lu: expected \"key = value\"",
		    path, lineno);
		return -1;
	}
	*eq = '\0';
	key = config_trim(key);
	value = config_trim(eq + 1);
	if ((row = config_find(key)) == NULL) {
		errbuf_set(err, errlen, "%s:%lu: unknown setting \"%.64s\"",
		    path, lineno, key);
		return -1;
	}
	if (seen[row - config_rows] != 0) {
		errbuf_set(err, errlen, "%s:%lu: \"%s\" is already set on "
		    "line %lu", path, lineno, key, seen[row - config_rows]);
		return -1;
	}
	seen[row - config_rows] = lineno;

	snprintf(what, sizeof(what), "%s:%lu: %s", path, lineno, key);
	return config_apply(cfg, row, value, what, err, errlen);
}

int
config_load_file(struct config *cfg, const char *path, char *err,
    size_t errlen)
{
	unsigned long seen[CONFIG_NROWS] = { 0 };
	unsigned long lineno = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *fp;
	int r = -1;

	if (path == NULL) {
		errbuf_set(err, errlen, "no configuration file given");
		return -1;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		errbuf_set(err, errlen, "cannot open configuration file "
		    "%s: %s", path, strerror(errno));
		return -1;
	}

	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		if (strlen(line) != (size_t)len) {
			errbuf_set(err, errlen, "%s:%lu: line contains a NUL "
			    "byte", path, lineno);
			goto out;
		}
		if (config_parse_line(cfg, path, lineno, line, seen,
		    err, errlen) != 0)
			goto out;
	}
	if (ferror(fp)) {
		errbuf_set(err, errlen, "cannot read configuration file "
		    "%s: %s", path, strerror(errno));
		goto out;
	}

	r = 0;
 out:
	free(line);
	fclose(fp);
	return r;
}

int
config_load_env(struct config *cfg, char *err, size_t errlen)
{
	const char *value;
	size_t i;

	for (i = 0; i < CONFIG_NROWS; i++) {
		value = getenv(config_rows[i].env);
		if (value == NULL)
			continue;
		if (config_apply(cfg, &config_rows[i], value,
		    config_rows[i].env, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
config_options_add(struct config_options *opts, const char *name,
    const char *value)
{
	if (opts->count == CONFIG_MAX_OPTIONS)
		return -1;
	opts->name[opts->count] = name;
	opts->value[opts->count++] = value;
	return 0;
}

int
config_load_layers(struct config *cfg, const struct config_options *opts,
    char *err, size_t errlen)
{
	const char *file = opts->file;
	int i;

	if (file == NULL)
		file = getenv("XTOKEN_CONFIG");
	if (file != NULL && *file != '\0' &&
	    config_load_file(cfg, file, err, errlen) != 0)
		return -1;
	if (config_load_env(cfg, err, errlen) != 0)
		return -1;

	for (i = 0; i < opts->count; i++) {
		if (config_set_option(cfg, opts->name[i], opts->value[i], err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}
