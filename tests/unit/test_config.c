/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of shared/config.c: defaults, the file format, the
 * environment and command-line option names.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

struct fixture {
	char		 dir[64];	/* mkdtemp directory */
	char		 path[128];	/* the config file inside it */
	struct config	 cfg;
	char		 err[256];
};

static const char *const test_env_names[] = {
	"XTOKEN_KEYS", "XTOKEN_ALGORITHM", "XTOKEN_LEEWAY",
	"XTOKEN_MAX_LIFETIME", "XTOKEN_MAX_TOKEN_BYTES", "XTOKEN_REALM",
	"XTOKEN_LISTEN", "XTOKEN_THREADS", "XTOKEN_DB",
};

static void
test_clear_env(void)
{
	size_t i;

	for (i = 0; i < sizeof(test_env_names) / sizeof(test_env_names[0]);
	    i++)
		unsetenv(test_env_names[i]);
}

static int
setup(void **state)
{
	struct fixture *f;

	f = calloc(1, sizeof(*f));
	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/xtoken-test-config.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/xtoken.conf", f->dir);
	test_clear_env();
	assert_int_equal(config_init(&f->cfg), 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	config_free(&f->cfg);
	unlink(f->path);
	rmdir(f->dir);
	test_clear_env();
	free(f);
	return 0;
}

static void
write_file(struct fixture *f, const char *text)
{
	FILE *fp;

	fp = fopen(f->path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void
test_defaults(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(f->cfg.keys_dir, CONFIG_DEFAULT_KEYS_DIR);
	assert_string_equal(f->cfg.algorithm, "RS512");
	assert_int_equal(f->cfg.leeway, 30);
	assert_int_equal(f->cfg.max_lifetime, 300);
	assert_int_equal(f->cfg.max_token_bytes, 8192);
	assert_string_equal(f->cfg.realm, "xtoken");
	assert_null(f->cfg.listen);
	assert_int_equal(f->cfg.threads, 1);
	assert_string_equal(f->cfg.db_path, CONFIG_DEFAULT_DB);
}

static void
test_file_all_settings(void **state)
{
	struct fixture *f = *state;

	write_file(f,
	    "# a comment line\n"
	    "\n"
	    "   \t\n"
	    "keys = /srv/keys\n"
	    "  algorithm=RS512  \n"
	    "leeway =\t0\n"
	    "max_lifetime = 86400\n"
	    "max_token_bytes = 256\n"
	    "realm = Users API v1.2_x-y\n"
	    "listen = unix:/run/xtoken/api.sock\n"
	    "threads = 256\r\n"
	    "   # indented comment\n"
	    "db = /var/lib/x.db");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), 0);
	assert_string_equal(f->cfg.keys_dir, "/srv/keys");
	assert_string_equal(f->cfg.algorithm, "RS512");
	assert_int_equal(f->cfg.leeway, 0);
	assert_int_equal(f->cfg.max_lifetime, 86400);
	assert_int_equal(f->cfg.max_token_bytes, 256);
	assert_string_equal(f->cfg.realm, "Users API v1.2_x-y");
	assert_string_equal(f->cfg.listen, "unix:/run/xtoken/api.sock");
	assert_int_equal(f->cfg.threads, 256);
	assert_string_equal(f->cfg.db_path, "/var/lib/x.db");
}

static void
test_file_unknown_key(void **state)
{
	struct fixture *f = *state;
	char want[256];

	write_file(f, "leeway = 5\n\n  colour = blue\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	snprintf(want, sizeof(want), "%s:3: unknown setting \"colour\"",
	    f->path);
	assert_string_equal(f->err, want);
}

static void
test_file_bad_number(void **state)
{
	struct fixture *f = *state;

	write_file(f, "threads = 4x\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, ":1: threads: \"4x\" is not a"));
	assert_int_equal(f->cfg.threads, 1);

	write_file(f, "leeway = -1\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "leeway: \"-1\" is not a number"));

	write_file(f, "leeway =\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "leeway: \"\" is not a number"));
	assert_int_equal(f->cfg.leeway, 30);
}

static void
test_file_out_of_range(void **state)
{
	struct fixture *f = *state;

	write_file(f, "leeway = 601\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err,
	    ":1: leeway: 601 is out of range (0 to 600)"));

	write_file(f, "max_token_bytes = 255\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "out of range (256 to 65536)"));

	write_file(f, "threads = 99999999999999999999999\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "out of range (1 to 256)"));
	assert_int_equal(f->cfg.threads, 1);
}

static void
test_file_bad_lines(void **state)
{
	struct fixture *f = *state;

	write_file(f, "leeway 5\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, ":1: expected \"key = value\""));

	write_file(f, "leeway = 5\nleeway = 6\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, ":2: \"leeway\" is already set on "
	    "line 1"));

	write_file(f, "realm = a\"b\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, ":1: realm:"));

	write_file(f, "db = \n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "db: \"\" must not be empty"));
	assert_string_equal(f->cfg.db_path, CONFIG_DEFAULT_DB);
}

static void
test_file_missing(void **state)
{
	struct fixture *f = *state;
	char missing[160];

	snprintf(missing, sizeof(missing), "%s/absent.conf", f->dir);
	assert_int_equal(config_load_file(&f->cfg, missing, f->err,
	    sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, missing));
	assert_non_null(strstr(f->err, "No such file"));
}

static void
test_env_overrides_file(void **state)
{
	struct fixture *f = *state;

	write_file(f, "leeway = 5\nthreads = 2\nlisten = 127.0.0.1:9000\n");
	assert_int_equal(config_load_file(&f->cfg, f->path, f->err,
	    sizeof(f->err)), 0);
	setenv("XTOKEN_LEEWAY", "7", 1);
	setenv("XTOKEN_MAX_LIFETIME", "60", 1);
	setenv("XTOKEN_LISTEN", "", 1);
	assert_int_equal(config_load_env(&f->cfg, f->err, sizeof(f->err)),
	    0);
	assert_int_equal(f->cfg.leeway, 7);
	assert_int_equal(f->cfg.max_lifetime, 60);
	assert_int_equal(f->cfg.threads, 2);
	assert_null(f->cfg.listen);
}

static void
test_env_error_names_variable(void **state)
{
	struct fixture *f = *state;

	setenv("XTOKEN_THREADS", "0", 1);
	assert_int_equal(config_load_env(&f->cfg, f->err, sizeof(f->err)),
	    -1);
	assert_string_equal(f->err,
	    "XTOKEN_THREADS: 0 is out of range (1 to 256)");
}

static void
test_set_option_dashes(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(config_set_option(&f->cfg, "max-lifetime", "120",
	    f->err, sizeof(f->err)), 0);
	assert_int_equal(f->cfg.max_lifetime, 120);
	assert_int_equal(config_set_option(&f->cfg, "max_token_bytes",
	    "4096", f->err, sizeof(f->err)), 0);
	assert_int_equal(f->cfg.max_token_bytes, 4096);
	assert_int_equal(config_set_option(&f->cfg, "db", "/tmp/u.db",
	    f->err, sizeof(f->err)), 0);
	assert_string_equal(f->cfg.db_path, "/tmp/u.db");

	assert_int_equal(config_set_option(&f->cfg, "max-lifetime", "0",
	    f->err, sizeof(f->err)), -1);
	assert_string_equal(f->err,
	    "--max-lifetime: 0 is out of range (1 to 86400)");
	assert_int_equal(config_set_option(&f->cfg, "colour", "blue",
	    f->err, sizeof(f->err)), -1);
	assert_string_equal(f->err, "unknown option \"--colour\"");
	assert_int_equal(f->cfg.max_lifetime, 120);
}

static void
test_set_by_key(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(config_set(&f->cfg, "realm", "api", f->err,
	    sizeof(f->err)), 0);
	assert_string_equal(f->cfg.realm, "api");
	assert_int_equal(config_set(&f->cfg, "max-lifetime", "5", f->err,
	    sizeof(f->err)), -1);
	assert_string_equal(f->err, "unknown setting \"max-lifetime\"");
	assert_int_equal(config_set(&f->cfg, "realm",
	    "0123456789012345678901234567890123456789012345678901234567890"
	    "1234", f->err, sizeof(f->err)), -1);
	assert_int_equal(config_set(&f->cfg, "realm", "a\r\nX-Evil: 1",
	    f->err, sizeof(f->err)), -1);
	assert_string_equal(f->cfg.realm, "api");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_all_settings,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_unknown_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_bad_number, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_out_of_range,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_bad_lines, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_file_missing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_env_overrides_file,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_error_names_variable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_option_dashes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_by_key, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
