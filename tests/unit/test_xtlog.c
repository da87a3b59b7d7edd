/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the log line format: the time, the program, the process
 * ID and the level in front of each message, one line per record.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "xtlog.h"

#define LOG_MAX		8192

/* What the records between capture_start and capture_end wrote. */
struct capture {
	FILE	*file;
	int	 saved_stderr;
	char	 text[LOG_MAX];
};

static void
capture_start(struct capture *c)
{
	c->file = tmpfile();
	assert_non_null(c->file);
	fflush(stderr);
	c->saved_stderr = dup(STDERR_FILENO);
	assert_true(c->saved_stderr >= 0);
	assert_true(dup2(fileno(c->file), STDERR_FILENO) >= 0);
}

static void
capture_end(struct capture *c)
{
	size_t n;

	assert_true(dup2(c->saved_stderr, STDERR_FILENO) >= 0);
	close(c->saved_stderr);
	rewind(c->file);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->file);
	c->text[n] = '\0';
	fclose(c->file);
}

/* The UTC second a record's time names, or -1 if it is malformed. */
static time_t
record_second(const char *line)
{
	struct tm tm;
	const char *rest;

	memset(&tm, 0, sizeof(tm));
	rest = strptime(line, "%Y-%m-%dT%H:%M:%S", &tm);
	if (rest == NULL || strlen(rest) < 5 || rest[0] != '.' ||
	    strspn(rest + 1, "0123456789") != 3 || rest[4] != 'Z')
		return -1;
	return timegm(&tm);
}

static void
test_record_format(void **state)
{
	struct capture c;
	char want[128];
	time_t before, at;
	char *second;

	(void)state;
	xtlog_init("test-xtlog");
	before = time(NULL);
	capture_start(&c);
	xtlog_info("hello %d", 1);
	xtlog_warn("two\nlines");
	capture_end(&c);

	at = record_second(c.text);
	assert_true(at >= before && at <= time(NULL));
	snprintf(want, sizeof(want), "Z test-xtlog[%ld] info: hello 1\n",
	    (long)getpid());
	assert_non_null(strstr(c.text, want));

	second = strchr(c.text, '\n') + 1;
	assert_true(record_second(second) >= before);
	snprintf(want, sizeof(want), "Z test-xtlog[%ld] warning: two?lines\n",
	    (long)getpid());
	assert_non_null(strstr(second, want));
	assert_string_equal(strchr(second, '\n'), "\n");	/* the last */
}

/* The date is formatted once a second: the next second must show. */
static void
test_time_moves_on(void **state)
{
	struct timespec pause = { 1, 100 * 1000 * 1000 };
	struct capture c;
	time_t first, second;

	(void)state;
	xtlog_init("test-xtlog");
	capture_start(&c);
	xtlog_error("first");
	nanosleep(&pause, NULL);
	xtlog_error("second");
	capture_end(&c);

	first = record_second(c.text);
	second = record_second(strchr(c.text, '\n') + 1);
	assert_true(first > 0);
	assert_true(second >= first + 1 && second <= first + 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_format),
		cmocka_unit_test(test_time_moves_on),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
