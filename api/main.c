/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * xtoken-api: the FastCGI responder serving /users from SQLite, placed
 * behind xtoken-authorizer.
 */
#include "autoconf.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <sqlite3.h>

#include "config.h"
#include "fcgisrv.h"
#include "users.h"
#include "xtlog.h"

#define PROG		"xtoken-api"
#define EXIT_FAILED	1
#define EXIT_CONFIG	2
/* Settings named on the command line, applied after file and environment. */
struct cli {
	struct config_options	 settings;
	const char		*init_db;
};

enum {
	OPT_CONFIG = 1,
	OPT_SETTING,
	OPT_INIT_DB,
	OPT_HELP,
	OPT_VERSION
};

/* Every OPT_SETTING option is named like its config file key. */
static const struct option main_options[] = {
	{ "db",		required_argument, NULL, OPT_SETTING },
	{ "listen",	required_argument, NULL, OPT_SETTING },
	{ "threads",	required_argument, NULL, OPT_SETTING },
	{ "log-flush",	required_argument, NULL, OPT_SETTING },
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "init-db",	required_argument, NULL, OPT_INIT_DB },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ "version",	no_argument,	   NULL, OPT_VERSION },
	{ NULL,		0,		   NULL, 0 }
};

static void
main_usage(FILE *fp)
{
	fprintf(fp,
"Usage: " PROG " [--config FILE] [--db FILE] [--listen SPEC] [--threads N]\n"
"       " PROG " --init-db FILE\n"
"FastCGI responder for GET/HEAD /users and /users/ID (JSON from SQLite).\n"
"Run it only behind xtoken-authorizer: a request without the APP_ID the\n"
"authorizer sets is answered 403.\n"
"\n"
"Settings (command line > environment > config file > default):\n"
"  --db FILE        XTOKEN_DB       SQLite database, opened read-only\n"
"                                   [%s]\n"
"  --listen SPEC    XTOKEN_LISTEN   unix:PATH (mode 0660) or ADDR:PORT,\n"
"                                   e.g. 127.0.0.1:9001 [none: the socket\n"
"                                   on fd 0 from the web server or\n"
"                                   spawn-fcgi]\n"
"  --threads N      XTOKEN_THREADS  request threads, 1 to 256 [%d]\n"
"  --log-flush MS   XTOKEN_LOG_FLUSH  hold request lines up to MS and\n"
"                                   write them together; 0: each at\n"
"                                   once [0]\n"
"  --config FILE    XTOKEN_CONFIG   \"key = value\" settings file (keys db,\n"
"                                   listen, threads, log_flush; the\n"
"                                   authorizer's keys are accepted too)\n"
"                                   [none]\n"
"\n"
"  --init-db FILE   create the users table in FILE with demo users (a\n"
"                   second run adds nothing), then exit\n"
"  --help           show this help and exit\n"
"  --version        show the version and exit\n"
"\n"
"Stops on SIGTERM or SIGINT after finishing the requests in flight.\n"
"Exit status: 0 on a clean stop, 2 for bad options or configuration\n"
"(including a database that is missing or has no users table, and a\n"
"socket that cannot be opened), 1 for other failures.\n",
	    CONFIG_DEFAULT_DB, CONFIG_DEFAULT_THREADS);
}

/* Collect the options; returns -1 to exit at once with *status. */
static int
main_parse(int argc, char **argv, struct cli *cli, int *status)
{
	int c, index;

	memset(cli, 0, sizeof(*cli));
	*status = EXIT_CONFIG;
	while ((c = getopt_long(argc, argv, "", main_options, &index)) !=
	    -1) {
		switch (c) {
		case OPT_SETTING:
			if (config_options_add(&cli->settings,
			    main_options[index].name, optarg) != 0) {
				fprintf(stderr, PROG ": too many options\n");
				return -1;
			}
			break;
		case OPT_CONFIG:
			cli->settings.file = optarg;
			break;
		case OPT_INIT_DB:
			cli->init_db = optarg;
			break;
		case OPT_HELP:
			main_usage(stdout);
			*status = 0;
			return -1;
		case OPT_VERSION:
			printf(PROG " " PACKAGE_VERSION "\n");
			*status = 0;
			return -1;
		default:
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument \"%s\"; try '"
		    PROG " --help'\n", argv[optind]);
		return -1;
	}
	return 0;
}

static int
main_init_db(const char *path)
{
	char err[512];
	int added;

	added = users_init_db(path, err, sizeof(err));
	if (added < 0) {
		xtlog_error("%s", err);
		return EXIT_FAILED;
	}
	xtlog_info("database %s is ready (%d demo user%s added)", path,
	    added, added == 1 ? "" : "s");
	return 0;
}

/* Open the database, then the socket, then serve until stopped. */
static int
main_serve(const struct config *cfg)
{
	struct users_db *udb;
	char err[512];
	int fd, rc;

	udb = users_open(cfg->db_path, (int)cfg->threads, err, sizeof(err));
	if (udb == NULL) {
		xtlog_error("%s", err);
		return EXIT_CONFIG;
	}
	if ((fd = fcgisrv_listen(cfg->listen, err, sizeof(err))) < 0) {
		xtlog_error("%s", err);
		users_close(udb);
		return EXIT_CONFIG;
	}

	xtlog_info("starting " PACKAGE_VERSION " (SQLite %s, json-c %s): "
	    "database %s with %ld users, listening on %s, %ld thread%s, "
	    "request lines held up to %ld ms",
	    sqlite3_libversion(), json_c_version(), cfg->db_path,
	    users_count(udb), cfg->listen != NULL ? cfg->listen :
	    "fd 0 (from the web server)", cfg->threads,
	    cfg->threads == 1 ? "" : "s", cfg->log_flush);
	xtlog_hold_lines(cfg->log_flush);
	rc = fcgisrv_serve(fd, (int)cfg->threads, users_handle, udb);
	if (rc == 0)
		xtlog_info("stopped %s", fcgisrv_stop_reason());
	else
		xtlog_error("stopped after a failure");

	users_close(udb);
	return rc == 0 ? 0 : EXIT_FAILED;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct cli cli;
	char err[1024];
	int status;

	xtlog_init(PROG);
	if (main_parse(argc, argv, &cli, &status) != 0)
		return status;
	if (cli.init_db != NULL)
		return main_init_db(cli.init_db);

	if (config_init(&cfg) != 0) {
		xtlog_error("out of memory");
		return EXIT_FAILED;
	}
	if (config_load_layers(&cfg, &cli.settings, err, sizeof(err)) != 0) {
		xtlog_error("%s", err);
		status = EXIT_CONFIG;
	} else
		status = main_serve(&cfg);

	config_free(&cfg);
	return status;
}
