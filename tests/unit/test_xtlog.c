/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the log line format: the time, the program, the process
 * ID and the level in front of each message, one line per record.
 */
#include "autoconf.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "xtlog.h"

#define LOG_MAX		32768

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

/* Bytes written to the log so far. */
static long
capture_size(const struct capture *c)
{
	struct stat st;

	return fstat(fileno(c->file), &st) == 0 ? (long)st.st_size : -1;
}

/* How many lines hold want; every line must be a whole record. */
static int
count_records(const char *text, const char *want)
{
	const char *line, *end;
	int n = 0;

	for (line = text; *line != '\0'; line = end + 1) {
		end = strchr(line, '\n');
		assert_non_null(end);
		assert_true(record_second(line) > 0);
		if (strstr(line, want) != NULL && strstr(line, want) < end)
			n++;
	}
	return n;
}

/* A built message: values escaped, NULL as "-", one line, same head. */
static void
test_built_message(void **state)
{
	struct xtlog_msg m;
	struct capture c;
	char want[256];

	(void)state;
	xtlog_init("test-xtlog");
	xtlog_msg_start(&m);
	xtlog_msg_add(&m, "decision=allow status=");
	xtlog_msg_add_long(&m, 200);
	xtlog_msg_add(&m, " app=\"");
	xtlog_msg_add_value(&m, "a\"b\nc\xff", 64);
	xtlog_msg_add(&m, "\" kid=\"");
	xtlog_msg_add_value(&m, NULL, 64);
	xtlog_msg_add(&m, "\" uri=\"");
	xtlog_msg_add_value(&m, "/users/123456789", 6);
	xtlog_msg_add(&m, "\" n=");
	xtlog_msg_add_long(&m, 0);
	xtlog_msg_add(&m, ",");
	xtlog_msg_add_long(&m, -7);
	xtlog_msg_add(&m, ",");
	xtlog_msg_add_long(&m, LONG_MIN);
	capture_start(&c);
	xtlog_msg_info(&m);
	xtlog_msg_warn(&m);
	capture_end(&c);

	snprintf(want, sizeof(want), "Z test-xtlog[%ld] info: decision=allow "
	    "status=200 app=\"a\\x22b\\x0ac\\xff\" kid=\"-\" "
	    "uri=\"/users...\" n=0,-7,%ld\n", (long)getpid(), LONG_MIN);
	assert_non_null(strstr(c.text, want));
	assert_true(record_second(c.text) > 0);
	assert_non_null(strstr(c.text, "] warning: decision=allow "));
	assert_int_equal(count_records(c.text, "decision=allow"), 2);
}

/* A message too long for a record is cut and still ends the line. */
static void
test_built_message_cut(void **state)
{
	struct xtlog_msg m;
	struct capture c;
	int i;

	(void)state;
	xtlog_msg_start(&m);
	for (i = 0; i < 1000; i++)
		xtlog_msg_add(&m, "0123456789");
	assert_true(m.len < sizeof(m.text));
	capture_start(&c);
	xtlog_msg_info(&m);
	capture_end(&c);

	assert_int_equal(count_records(c.text, "0123456789"), 1);
	assert_non_null(strstr(c.text, "...\n"));
}

/* Held info lines wait; a warning writes them first, then itself. */
static void
test_hold_keeps_order(void **state)
{
	struct capture c;
	char *held, *warning;

	(void)state;
	xtlog_hold_lines(60000);
	capture_start(&c);
	xtlog_info("held one");
	xtlog_info("held two");
	assert_int_equal(capture_size(&c), 0);
	xtlog_flush_due();
	assert_int_equal(capture_size(&c), 0);
	xtlog_warn("a warning");
	assert_true(capture_size(&c) > 0);
	xtlog_hold_lines(0);
	capture_end(&c);

	held = strstr(c.text, "info: held one\n");
	warning = strstr(c.text, "warning: a warning\n");
	assert_non_null(held);
	assert_non_null(strstr(c.text, "info: held two\n"));
	assert_non_null(warning);
	assert_true(held < strstr(c.text, "info: held two\n"));
	assert_true(strstr(c.text, "info: held two\n") < warning);
}

/* Due lines go out on xtlog_flush_due, a full buffer on the next line. */
static void
test_hold_writes_when_due_or_full(void **state)
{
	struct timespec pause = { 0, 150 * 1000 * 1000 };
	struct capture c;
	char filler[200];
	int i;

	(void)state;
	xtlog_hold_lines(100);
	assert_int_equal(xtlog_due_in(), 100);
	capture_start(&c);
	xtlog_info("due soon");
	assert_int_equal(capture_size(&c), 0);
	assert_true(xtlog_due_in() > 0 && xtlog_due_in() <= 100);
	nanosleep(&pause, NULL);
	assert_int_equal(xtlog_due_in(), 0);
	xtlog_flush_due();
	assert_true(capture_size(&c) > 0);

	memset(filler, 'x', sizeof(filler) - 1);
	filler[sizeof(filler) - 1] = '\0';
	xtlog_hold_lines(60000);
	for (i = 0; i < 40; i++)
		xtlog_info("%s", filler);
	/* 40 lines of over 200 bytes do not fit in 4 KiB: some went out,
	 * each write whole lines only. */
	assert_true(capture_size(&c) > 4000);
	xtlog_flush();
	capture_end(&c);
	xtlog_hold_lines(0);

	assert_int_equal(count_records(c.text, "info: xxx"), 40);
	assert_int_equal(count_records(c.text, "info: due soon\n"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_format),
		cmocka_unit_test(test_time_moves_on),
		cmocka_unit_test(test_built_message),
		cmocka_unit_test(test_built_message_cut),
		cmocka_unit_test(test_hold_keeps_order),
		cmocka_unit_test(test_hold_writes_when_due_or_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
