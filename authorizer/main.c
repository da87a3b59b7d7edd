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

#include "authz.h"
#include "config.h"
#include "fcgisrv.h"
#include "verifier.h"
#include "xtlog.h"

#define PROG		"xtoken-authorizer"
#define EXIT_CONFIG	2
#define MAX_OPTIONS	64

/* Options that set a setting are applied after the file and environment. */
struct cli {
	const char	*name[MAX_OPTIONS];
	const char	*value[MAX_OPTIONS];
	int		 count;
	const char	*config_file;
	int		 check_only;
};

static const struct option long_options[] = {
	{ "keys",		required_argument, NULL, 'k' },
	{ "config",		required_argument, NULL, 'c' },
	{ "algorithm",		required_argument, NULL, 'a' },
	{ "leeway",		required_argument, NULL, 'l' },
	{ "max-lifetime",	required_argument, NULL, 'm' },
	{ "max-token-bytes",	required_argument, NULL, 'b' },
	{ "realm",		required_argument, NULL, 'r' },
	{ "listen",		required_argument, NULL, 's' },
	{ "threads",		required_argument, NULL, 't' },
	{ "audience",		required_argument, NULL, 'u' },
	{ "iss-is-app",		required_argument, NULL, 'i' },
	{ "sub-is-app",		required_argument, NULL, 'S' },
	{ "typ",		required_argument, NULL, 'y' },
	{ "strict-claims",	required_argument, NULL, 'z' },
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
"Bearer), else 401 (400 for a malformed one).\n"
"\n"
"Each setting can also come from a config file or the environment\n"
"(command line > environment > config file > default):\n"
"  --keys DIR             XTOKEN_KEYS       <appId>_public.pem files\n"
"                                           [" CONFIG_DEFAULT_KEYS_DIR "]\n"
"  --algorithm ALG        XTOKEN_ALGORITHM  alg of RSA keys that name none [%s]\n"
"                                           (RS256 RS384 RS512 PS256 PS384 PS512)\n"
"  --leeway SECONDS       XTOKEN_LEEWAY     clock skew allowed [%d]\n"
"  --max-lifetime SECONDS XTOKEN_MAX_LIFETIME  cap on exp - now [%d]\n"
"  --max-token-bytes N    XTOKEN_MAX_TOKEN_BYTES  size cap [%d]\n"
"  --realm NAME           XTOKEN_REALM      WWW-Authenticate realm [%s]\n"
"  --listen SPEC          XTOKEN_LISTEN     unix:PATH or HOST:PORT; without\n"
"                                           it the web server's socket on fd 0\n"
"  --threads N            XTOKEN_THREADS    request threads [%d]\n"
"  --audience AUD         XTOKEN_AUDIENCE   aud must contain AUD [not checked]\n"
"  --iss-is-app yes|no    XTOKEN_ISS_IS_APP iss must equal appId [no]\n"
"  --sub-is-app yes|no    XTOKEN_SUB_IS_APP sub must equal appId [no]\n"
"  --typ TYPE             XTOKEN_TYP        header typ must be TYPE [not checked]\n"
"  --strict-claims yes|no XTOKEN_STRICT_CLAIMS  a checked claim must be\n"
"                                           present [yes]\n"
"  --config FILE          XTOKEN_CONFIG     read key = value settings\n"
"\n"
"  --check                load the configuration and keys, report, exit\n"
"  --help                 show this help\n"
"  --version              show the version\n"
"\n"
"Exit status: 0 on a clean stop or a good --check, 2 for bad configuration,\n"
"1 for other failures.\n",
	    CONFIG_DEFAULT_ALGORITHM, CONFIG_DEFAULT_LEEWAY,
	    CONFIG_DEFAULT_MAX_LIFETIME, CONFIG_DEFAULT_MAX_TOKEN_BYTES,
	    CONFIG_DEFAULT_REALM, CONFIG_DEFAULT_THREADS);
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
		case 'c':
			cli->config_file = optarg;
			break;
		case '?':
			fprintf(stderr, "Try '" PROG " --help'.\n");
			*status = EXIT_CONFIG;
			return -1;
		default:
			cli->name[cli->count] = long_options[index].name;
			cli->value[cli->count++] = optarg;
			break;
		}
		if (cli->count == MAX_OPTIONS) {
			fprintf(stderr, PROG ": too many options\n");
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

/* Defaults, then the file, then the environment, then the options. */
static int
load_settings(const struct cli *cli, struct config *cfg, char *err,
    size_t errlen)
{
	const char *file = cli->config_file;
	int i;

	if (config_init(cfg) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (file == NULL)
		file = getenv("XTOKEN_CONFIG");
	if (file != NULL && *file != '\0' &&
	    config_load_file(cfg, file, err, errlen) != 0)
		return -1;
	if (config_load_env(cfg, err, errlen) != 0)
		return -1;

	for (i = 0; i < cli->count; i++) {
		if (config_set_option(cfg, cli->name[i], cli->value[i], err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}

static void
log_start(const struct config *cfg, const struct verifier *v)
{
	xtlog_info("starting " PACKAGE_VERSION " (%s, json-c %s): %zu key%s "
	    "from %s, algorithm %s, listening on %s, %ld thread%s",
	    OpenSSL_version(OPENSSL_VERSION), json_c_version(),
	    verifier_key_count(v), verifier_key_count(v) == 1 ? "" : "s",
	    cfg->keys_dir, cfg->algorithm,
	    cfg->listen ? cfg->listen : "fd 0 (from the web server)",
	    cfg->threads, cfg->threads == 1 ? "" : "s");
}

static int
serve(const struct config *cfg, const struct verifier *v)
{
	struct authz az = { .verifier = v, .realm = cfg->realm };
	char err[512];
	int fd, rc;

	fd = fcgisrv_listen(cfg->listen, err, sizeof(err));
	if (fd < 0) {
		xtlog_error("%s", err);
		return EXIT_CONFIG;
	}

	log_start(cfg, v);
	rc = fcgisrv_serve(fd, (int)cfg->threads, authz_handle, &az);
	xtlog_info("stopped%s", rc == 0 ? "" : " after a failure");
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

	if (load_settings(&cli, &cfg, err, sizeof(err)) != 0) {
		xtlog_error("configuration: %s", err);
		goto out;
	}
	v = verifier_new(&cfg, err, sizeof(err));
	if (v == NULL) {
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
	status = serve(&cfg, v);

out:
	verifier_free(v);
	config_free(&cfg);
	return status;
}
