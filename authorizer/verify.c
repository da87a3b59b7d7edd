/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * xtoken-verify: check a token offline with the authorizer's settings and
 * keys, and say step by step why it is accepted or refused.  What an
 * operator reaches for when a caller says "my token fails".
 */
#include "autoconf.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "options.h"
#include "reason.h"
#include "verifier.h"

#define PROG		"xtoken-verify"
#define EXIT_REFUSED	1
#define EXIT_CONFIG	2
/* Room for the largest token any configuration accepts, and then some. */
#define TOKEN_MAX	(128 * 1024)

struct cli {
	struct config_options	 settings;
	const char		*token;		/* NULL: standard input */
	int64_t			 now;
};

static const struct option long_options[] = {
	OPTIONS_TOKEN_SETTINGS,
	{ "config",	required_argument, NULL, 'c' },
	{ "at",		required_argument, NULL, 'a' },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *fp)
{
	fprintf(fp,
"Usage: " PROG " [OPTION]... [TOKEN | -]\n"
"Check a token as xtoken-authorizer would, with the same settings and keys,\n"
"and explain each step.  Without TOKEN, or with -, the token is read from\n"
"standard input, which keeps it out of the process list and shell history.\n"
"\n"
"  --at SECONDS           judge exp, nbf and iat as of this Unix time [now]\n");
	options_usage_token_settings(fp);
	fprintf(fp,
"  --help, --version\n"
"\n"
"Exit status: 0 if the token is accepted, 1 if it is refused, 2 for bad\n"
"options or configuration.\n");
}

static int
parse_time(const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0)
		return -1;
	*out = v;
	return 0;
}

/* Returns 0 to go on, else the exit status (-1 meaning 0). */
static int
cli_parse(int argc, char **argv, struct cli *cli)
{
	int c, index;

	memset(cli, 0, sizeof(*cli));
	cli->now = (int64_t)time(NULL);
	while ((c = getopt_long(argc, argv, "", long_options, &index)) != -1) {
		switch (c) {
		case OPTIONS_SETTING:
			if (config_options_add(&cli->settings,
			    long_options[index].name, optarg) != 0) {
				fprintf(stderr, PROG ": too many options\n");
				return EXIT_CONFIG;
			}
			break;
		case 'c':
			cli->settings.file = optarg;
			break;
		case 'a':
			if (parse_time(optarg, &cli->now) != 0) {
				fprintf(stderr, PROG ": --at takes seconds "
				    "since 1970-01-01 UTC\n");
				return EXIT_CONFIG;
			}
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			printf(PROG " " PACKAGE_VERSION "\n");
			return -1;
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return EXIT_CONFIG;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, PROG ": one token at a time; try '" PROG
		    " --help'\n");
		return EXIT_CONFIG;
	}
	if (optind < argc && strcmp(argv[optind], "-") != 0)
		cli->token = argv[optind];
	return 0;
}

/* The token from standard input, without surrounding white space. */
static char *
read_token(size_t *len)
{
	char *buf = malloc(TOKEN_MAX + 1), *start;
	size_t n;

	if (buf == NULL)
		return NULL;
	n = fread(buf, 1, TOKEN_MAX, stdin);
	buf[n] = '\0';
	while (n > 0 && strchr(" \t\r\n", buf[n - 1]) != NULL)
		buf[--n] = '\0';
	for (start = buf; *start != '\0' && strchr(" \t\r\n", *start); start++)
		;
	*len = n - (size_t)(start - buf);
	memmove(buf, start, *len + 1);
	return buf;
}

static void
print_step(void *arg, const char *step, const char *detail)
{
	printf("%-10s %s\n", step, detail);
}

static void
print_verdict(const struct verify_result *res)
{
	int status = reason_http_status(res->reason);

	if (res->reason == REASON_OK) {
		printf("ACCEPTED (200): appId %s%s%s, %s\n", res->app_id,
		    res->kid[0] ? ", kid " : "", res->kid, res->alg);
		return;
	}
	printf("REFUSED (%d %s): %s\n", status, status == 400 ?
	    "invalid_request" : status == 401 ? "invalid_token" :
	    "internal_error", reason_name(res->reason));
}

static int
check(const struct config *cfg, const struct cli *cli)
{
	struct verify_result res;
	struct verifier *v;
	char err[1024], *input = NULL;
	const char *token = cli->token;
	size_t len;

	v = verifier_new(cfg, err, sizeof(err));
	if (v == NULL) {
		fprintf(stderr, PROG ": configuration: %s\n", err);
		return EXIT_CONFIG;
	}
	if (token == NULL) {
		input = read_token(&len);
		token = input;
	} else {
		len = strlen(token);
	}
	if (token == NULL) {
		fprintf(stderr, PROG ": out of memory\n");
		verifier_free(v);
		return EXIT_REFUSED;
	}

	printf("keys       %zu from %s\n", verifier_key_count(v),
	    cfg->keys_dir);
	verifier_explain(v, token, len, cli->now, &res, print_step, NULL);
	print_verdict(&res);

	free(input);
	verifier_free(v);
	return res.reason == REASON_OK ? 0 : EXIT_REFUSED;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct cli cli;
	char err[1024];
	int status;

	status = cli_parse(argc, argv, &cli);
	if (status != 0)
		return status < 0 ? 0 : status;

	if (config_init(&cfg) != 0) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_REFUSED;
	}
	if (config_load_layers(&cfg, &cli.settings, err, sizeof(err)) != 0) {
		fprintf(stderr, PROG ": configuration: %s\n", err);
		status = EXIT_CONFIG;
	} else {
		status = check(&cfg, &cli);
	}
	config_free(&cfg);
	return status;
}
