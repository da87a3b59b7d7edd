/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * xtoken-authorizer: the FastCGI Authorizer that lets a request through
 * only with a valid x-token.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/crypto.h>

#include "config.h"
#include "fcgisrv.h"
#include "guard.h"
#include "rates.h"
#include "options.h"
#include "reload.h"
#include "verifier.h"
#include "xtlog.h"

#define PROG		"xtoken-authorizer"
#define EXIT_CONFIG	2

/* Options that set a setting are applied after the file and environment. */
struct cli {
	struct config_options	 settings;
	int			 check_only;
	int			 print_metrics;
};

static const struct option long_options[] = {
	OPTIONS_TOKEN_SETTINGS,
	{ "realm",		required_argument, NULL, OPTIONS_SETTING },
	{ "listen",		required_argument, NULL, OPTIONS_SETTING },
	{ "threads",		required_argument, NULL, OPTIONS_SETTING },
	{ "log-flush",		required_argument, NULL, OPTIONS_SETTING },
	{ "rate",		required_argument, NULL, OPTIONS_SETTING },
	{ "burst",		required_argument, NULL, OPTIONS_SETTING },
	{ "limits",		required_argument, NULL, OPTIONS_SETTING },
	{ "replay",		required_argument, NULL, OPTIONS_SETTING },
	{ "replay-capacity",	required_argument, NULL, OPTIONS_SETTING },
	{ "state-file",		required_argument, NULL, OPTIONS_SETTING },
	{ "redis",		required_argument, NULL, OPTIONS_SETTING },
	{ "redis-failure",	required_argument, NULL, OPTIONS_SETTING },
	{ "redis-timeout",	required_argument, NULL, OPTIONS_SETTING },
	{ "metrics-path",	required_argument, NULL, OPTIONS_SETTING },
	{ "metrics",		no_argument,	   NULL, 'M' },
	{ "config",		required_argument, NULL, 'c' },
	{ "check",		no_argument,	   NULL, 'C' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"Usage: " PROG " [OPTION]...\n"
"FastCGI Authorizer: answers 200 with Variable-APP_ID (and Variable-KEY_ID)\n"
"for a request that carries a valid token in x-token (or Authorization:\n"
"Bearer), else 401 (400 for a malformed one, 403 when the access rules\n"
"refuse the route, 429 over the rate limit, 503 or 500 when it cannot\n"
"decide).\n"
"\n");
	options_usage_token_settings(fp);
	fprintf(fp,
"  --realm NAME           XTOKEN_REALM      WWW-Authenticate realm [%s]\n"
"  --listen SPEC          XTOKEN_LISTEN     unix:PATH or HOST:PORT; without\n"
"                                           it the web server's socket on fd 0\n"
"  --threads N            XTOKEN_THREADS    request threads [%d]\n"
"  --log-flush MS         XTOKEN_LOG_FLUSH  hold decision lines up to MS\n"
"                                           and write them together; 0:\n"
"                                           each at once [0]\n"
"\n"
"After a token verified (429 over the rate, 401 for a replay):\n"
"  --rate RATE            XTOKEN_RATE       per appId: 0 (off), N, N/s,\n"
"                                           N/min or N/h [%s]\n"
"  --burst N              XTOKEN_BURST      requests allowed at once [%d]\n"
"  --limits FILE          XTOKEN_LIMITS     lines APPID RATE BURST [none]\n"
"  --replay yes|no        XTOKEN_REPLAY     require jti, refuse a reuse [no]\n"
"  --replay-capacity N    XTOKEN_REPLAY_CAPACITY  tokens remembered [%d]\n"
"  --state-file FILE      XTOKEN_STATE_FILE state all processes of the host\n"
"                                           share [none: per process]\n"
"  --redis HOST:PORT|unix:PATH  XTOKEN_REDIS  share it across hosts [none]\n"
"  --redis-failure allow|refuse  XTOKEN_REDIS_FAILURE  when Redis does not\n"
"                                           answer [%s]\n"
"  --redis-timeout MS     XTOKEN_REDIS_TIMEOUT  per exchange [%d]\n"
"  --metrics-path PATH    XTOKEN_METRICS_PATH  serve metrics there as a\n"
"                                           Responder [none]\n"
"\n"
"  --check                load the configuration and keys, report, exit\n"
"  --metrics              print the counters of state_file, exit\n"
"  --help                 show this help\n"
"  --version              show the version\n"
"\n"
"Exit status: 0 on a clean stop or a good --check, 2 for bad configuration,\n"
"1 for other failures.\n",
	    CONFIG_DEFAULT_REALM, CONFIG_DEFAULT_THREADS, CONFIG_DEFAULT_RATE,
	    CONFIG_DEFAULT_BURST, CONFIG_DEFAULT_REPLAY_CAPACITY,
	    CONFIG_DEFAULT_REDIS_FAILURE, CONFIG_DEFAULT_REDIS_TIMEOUT);
}

/* Collect the options; returns -1 to exit with *status. */
static int
cli_parse(int argc, char **argv, struct cli *cli, int *status)
{
	int c, index;

	memset(cli, 0, sizeof(*cli));
	while ((c = getopt_long(argc, argv, "", long_options, &index)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			*status = 0;
			return -1;
		case 'V':
			printf(PROG " " PACKAGE_VERSION "\n");
			*status = 0;
			return -1;
		case 'C':
			cli->check_only = 1;
			break;
		case 'M':
			cli->print_metrics = 1;
			break;
		case 'c':
			cli->settings.file = optarg;
			break;
		case OPTIONS_SETTING:
			if (config_options_add(&cli->settings,
			    long_options[index].name, optarg) != 0) {
				fprintf(stderr, PROG ": too many options\n");
				*status = EXIT_CONFIG;
				return -1;
			}
			break;
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			*status = EXIT_CONFIG;
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument \"%s\"; "
		    "try '" PROG " --help'\n", argv[optind]);
		*status = EXIT_CONFIG;
		return -1;
	}
	return 0;
}

static void
log_start(const struct config *cfg, const struct verifier *v)
{
	xtlog_info("starting " PACKAGE_VERSION " (%s, json-c %s): %zu key%s "
	    "from %s, algorithm %s, listening on %s, %ld thread%s, "
	    "state %s, decision lines held up to %ld ms",
	    OpenSSL_version(OPENSSL_VERSION), json_c_version(),
	    verifier_key_count(v), verifier_key_count(v) == 1 ? "" : "s",
	    cfg->keys_dir, cfg->algorithm,
	    cfg->listen ? cfg->listen : "fd 0 (from the web server)",
	    cfg->threads, cfg->threads == 1 ? "" : "s",
	    cfg->state_file ? cfg->state_file : "of this process only",
	    cfg->log_flush);
}

/* The counters every process of the host shares, for an operator. */
static int
print_metrics(const struct config *cfg)
{
	char err[512];

	if (guard_print_metrics(cfg->state_file, stdout, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, PROG ": --metrics: %s\n", err);
		/* Without a state_file there is nothing to read: a setting
		 * is missing, as for any other bad configuration. */
		return cfg->state_file == NULL ? EXIT_CONFIG : 1;
	}
	return 0;
}

/* A broken limits file stops the start (and --check) at once. */
static int
check_limits(const struct config *cfg)
{
	struct rates lim;
	char err[512];

	if (rates_load(&lim, cfg->rate, cfg->burst, cfg->limits_path, err,
	    sizeof(err)) != 0) {
		xtlog_error("configuration: %s", err);
		return -1;
	}
	rates_free(&lim);
	return 0;
}

/*
 * Serve until stopped.  From here on the settings and keys belong to the
 * reload module, which replaces them on SIGHUP: *vp and cfg are taken
 * over (*vp becomes NULL) once serving starts.
 */
static int
serve(const struct cli *cli, struct config *cfg, struct verifier **vp)
{
	struct reload *rl;
	struct guard *g;
	char err[512];
	long threads = cfg->threads;
	int fd, rc;

	fd = fcgisrv_listen(cfg->listen, err, sizeof(err));
	if (fd < 0) {
		xtlog_error("%s", err);
		return EXIT_CONFIG;
	}

	log_start(cfg, *vp);
	xtlog_hold_lines(cfg->log_flush);
	if ((g = guard_new(cfg, err, sizeof(err))) == NULL) {
		xtlog_error("configuration: %s", err);
		return EXIT_CONFIG;
	}
	if ((rl = reload_new(&cli->settings, cfg, *vp)) == NULL) {
		xtlog_error("out of memory");
		guard_free(g);
		return 1;
	}
	*vp = NULL;
	reload_set_guard(rl, g);

	fcgisrv_set_hup_hook(reload_hup, rl);
	rc = fcgisrv_serve(fd, (int)threads, reload_handle, rl);
	if (rc == 0)
		xtlog_info("stopped %s", fcgisrv_stop_reason());
	else
		xtlog_error("stopped after a failure");
	reload_free(rl);
	guard_free(g);
	return rc == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct verifier *v = NULL;
	struct cli cli;
	char err[1024];
	int status = EXIT_CONFIG;

	xtlog_init(PROG);
	if (cli_parse(argc, argv, &cli, &status) != 0)
		return status;

	if (config_init(&cfg) != 0) {
		xtlog_error("out of memory");
		return 1;
	}
	if (config_load_layers(&cfg, &cli.settings, err, sizeof(err)) != 0) {
		xtlog_error("configuration: %s", err);
		goto out;
	}
	if (cli.print_metrics) {
		status = print_metrics(&cfg);
		goto out;
	}
	if (check_limits(&cfg) != 0)
		goto out;
	v = verifier_new(&cfg, err, sizeof(err));
	if (v == NULL) {
		xtlog_error("configuration: %s", err);
		goto out;
	}

	if (fcgisrv_check_spec(cfg.listen, err, sizeof(err)) != 0) {
		xtlog_error("configuration: %s", err);
		goto out;
	}
	if (cli.check_only) {
		printf(PROG ": configuration OK: %zu key%s from %s, "
		    "algorithm %s\n", verifier_key_count(v),
		    verifier_key_count(v) == 1 ? "" : "s", cfg.keys_dir,
		    cfg.algorithm);
		status = 0;
		goto out;
	}
	status = serve(&cli, &cfg, &v);

out:
	verifier_free(v);
	config_free(&cfg);
	return status;
}
