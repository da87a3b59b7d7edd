/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Settings shared by xtoken-authorizer and xtoken-api.
 */
#ifndef XTOKEN_CONFIG_H
#define XTOKEN_CONFIG_H

#include <stddef.h>

/* Documented defaults; README.md's configuration reference repeats them. */
#define CONFIG_DEFAULT_KEYS_DIR		"/etc/xtoken/keys"
#define CONFIG_DEFAULT_ALGORITHM	"RS512"
#define CONFIG_DEFAULT_LEEWAY		30
#define CONFIG_DEFAULT_MAX_LIFETIME	300
#define CONFIG_DEFAULT_MAX_TOKEN_BYTES	8192
#define CONFIG_DEFAULT_REALM		"xtoken"
#define CONFIG_DEFAULT_THREADS		1
#define CONFIG_DEFAULT_TOKEN_CACHE	4096
#define CONFIG_DEFAULT_DB		"/var/lib/xtoken/xtoken.db"
#define CONFIG_DEFAULT_RATE		"0"
#define CONFIG_DEFAULT_BURST		10
#define CONFIG_DEFAULT_REPLAY_CAPACITY	65536
#define CONFIG_DEFAULT_REDIS_FAILURE	"refuse"
#define CONFIG_DEFAULT_REDIS_TIMEOUT	100

/*
 * One setting has three spellings: a config file key ("max_lifetime"), an
 * environment variable ("XTOKEN_MAX_LIFETIME") and a command-line option
 * ("--max-lifetime").  Later sources override earlier ones: defaults, then
 * the file, then the environment, then the command line.
 */
struct config {
	char	*keys_dir;	/* keys: directory of <appId>_public.pem */
	char	*algorithm;	/* algorithm: the one JWS alg accepted */
	long	 leeway;	/* leeway: clock skew allowed, seconds */
	long	 max_lifetime;	/* max_lifetime: cap on exp - now, seconds */
	long	 max_token_bytes; /* max_token_bytes: cap on the token */
	char	*realm;		/* realm: WWW-Authenticate realm */
	char	*listen;	/* listen: NULL = socket on fd 0 */
	long	 threads;	/* threads: request threads */
	long	 log_flush;	/* log_flush: ms info lines are held; 0 */
	long	 token_cache;	/* token_cache: verified tokens kept; 0: off */
	char	*db_path;	/* db: SQLite database of xtoken-api */
	char	*audience;	/* audience: aud must contain it; NULL: off */
	long	 iss_is_app;	/* iss_is_app: iss must equal appId */
	long	 sub_is_app;	/* sub_is_app: sub must equal appId */
	char	*typ;		/* typ: header typ must match; NULL: off */
	long	 strict_claims;	/* strict_claims: a checked claim must be
				   present (yes) or is checked if present */
	char	*policy_path;	/* policy: access rules file; NULL: every
				   valid caller may call every route */
	char	*rate;		/* rate: "0" (off), "N", "N/s", "N/min" */
	long	 burst;		/* burst: requests allowed at once */
	char	*limits_path;	/* limits: "APPID RATE BURST" file */
	long	 replay;	/* replay: jti required, used once */
	long	 replay_capacity; /* replay_capacity: tokens remembered */
	char	*state_file;	/* state_file: NULL = per process */
	char	*redis;		/* redis: HOST:PORT or unix:PATH; NULL */
	char	*redis_failure;	/* redis_failure: "allow" or "refuse" */
	long	 redis_timeout;	/* redis_timeout: milliseconds */
	char	*metrics_path;	/* metrics_path: NULL = not served */
};

/* Fill cfg with the defaults.  Returns 0, or -1 if out of memory. */
int config_init(struct config *cfg);

/* Release what config_init and config_set allocated. */
void config_free(struct config *cfg);

/*
 * Set one setting by its config file key.  Returns 0, or -1 with a sentence
 * in err naming the key and what is wrong with the value (unknown key,
 * not a number, out of range).  Numbers are decimal digits only.  String
 * values are copied; an empty listen means "the socket on fd 0" (NULL),
 * and the other strings must not be empty.  On failure cfg is unchanged.
 */
int config_set(struct config *cfg, const char *key, const char *value,
    char *err, size_t errlen);

/*
 * Set one setting by its command-line option name without the leading
 * dashes ("max-lifetime"); '-' and '_' are the same, so every setting
 * gets an option without a table of its own in each program.  Returns 0,
 * or -1 with err naming the option ("--max-lifetime: ...").
 */
int config_set_option(struct config *cfg, const char *option,
    const char *value, char *err, size_t errlen);

/*
 * Read "key = value" lines ('#' starts a comment line, blank lines are
 * skipped, spaces around key and value are ignored, there is no quoting
 * and no comment after a value).  Returns 0, or -1 with err naming the
 * file, the line and the problem ("FILE:LINE: unknown setting \"x\"");
 * a file that cannot be opened and a key given twice are errors.  Settings
 * read before the failing line stay applied.
 */
int config_load_file(struct config *cfg, const char *path, char *err,
    size_t errlen);

/*
 * Apply every XTOKEN_* environment variable that names a setting
 * (XTOKEN_<KEY in upper case>: XTOKEN_MAX_LIFETIME, XTOKEN_DB, ...).  A
 * variable that is set but empty counts as set.  Returns 0, or -1 with err
 * naming the variable.  XTOKEN_CONFIG is not a setting: callers read it to
 * find the file before calling this.
 */
int config_load_env(struct config *cfg, char *err, size_t errlen);

/* Most settings one command line may name. */
#define CONFIG_MAX_OPTIONS	64

/* Settings named on a command line, in order, and the --config file. */
struct config_options {
	const char	*name[CONFIG_MAX_OPTIONS];	/* "max-lifetime" */
	const char	*value[CONFIG_MAX_OPTIONS];
	int		 count;
	const char	*file;				/* or NULL */
};

/* Remember one option (not copied).  Returns -1 when the list is full. */
int config_options_add(struct config_options *opts, const char *name,
    const char *value);

/*
 * Apply every layer over the defaults already in cfg: the file named by
 * opts->file (else by XTOKEN_CONFIG, if set), then the environment, then
 * the options in order.  Returns 0, or -1 with err from the first layer
 * that failed.
 */
int config_load_layers(struct config *cfg, const struct config_options *opts,
    char *err, size_t errlen);

#endif
