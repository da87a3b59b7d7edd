/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * One-line log records on stderr, each written whole by a single write(2),
 * alone or together with the info lines held before it.
 */

#include "autoconf.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xtlog.h"

/* Longest record; a longer message is cut and ends in "...". */
#define XTLOG_LINE_MAX	4096
#define XTLOG_PROG_MAX	64
/* Longest record head: time, program, process ID and level. */
#define XTLOG_HEAD_MAX	(32 + XTLOG_PROG_MAX + 32 + 16)

/* A built message, its head and "...\n" always fit in one record. */
_Static_assert(XTLOG_HEAD_MAX + XTLOG_MSG_MAX + 4 <= XTLOG_LINE_MAX,
    "a record holds the longest head and message");

static char xtlog_prog[XTLOG_PROG_MAX] = "xtoken";

/*
 * Info lines held back to be written together (xtlog_hold_lines): at most
 * PIPE_BUF bytes, so that one write of them stays whole on a pipe shared
 * with other processes, as a single line does.
 */
#define XTLOG_HOLD_MAX	4096

struct xtlog_hold {
	pthread_mutex_t	 lock;
	atomic_long	 ms;		/* 0: every line written at once */
	int64_t		 since;		/* when the oldest held line came */
	size_t		 used;
	char		 buf[XTLOG_HOLD_MAX];
};

static struct xtlog_hold xtlog_hold = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* "<prog>[<pid>] ", made once: the programs never fork after they start
 * logging. */
static char xtlog_who[XTLOG_PROG_MAX + 32] = "xtoken[0] ";
static size_t xtlog_who_len = 10;

/*
 * The date and time of the second last formatted, per thread: a busy
 * server logs many lines a second, and turning the clock into a calendar
 * date for each would cost more than the rest of the line.
 */
static __thread time_t xtlog_second = -1;
static __thread char xtlog_date[24];

void
xtlog_init(const char *progname)
{
	int n;

	if (progname != NULL && *progname != '\0')
		snprintf(xtlog_prog, sizeof(xtlog_prog), "%s", progname);
	n = snprintf(xtlog_who, sizeof(xtlog_who), "%s[%ld] ", xtlog_prog,
	    (long)getpid());
	if (n > 0 && (size_t)n < sizeof(xtlog_who))
		xtlog_who_len = (size_t)n;
}

/*
 * The head of a record, "2026-01-31T12:34:56.789Z <prog>[<pid>] <level>: ",
 * at line (room for XTLOG_HEAD_MAX bytes); returns its length.
 */
static size_t
xtlog_head(char *line, const char *level)
{
	struct timespec ts;
	struct tm tm;
	unsigned ms;
	size_t len = 0, n;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		ts.tv_sec = ts.tv_nsec = 0;
	if (ts.tv_sec != xtlog_second) {
		if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
		    strftime(xtlog_date, sizeof(xtlog_date),
		    "%Y-%m-%dT%H:%M:%S", &tm) != 19)
			memcpy(xtlog_date, "1970-01-01T00:00:00", 20);
		xtlog_second = ts.tv_sec;
	}
	memcpy(line, xtlog_date, 19);
	len = 19;

	ms = (unsigned)(ts.tv_nsec / 1000000) % 1000u;
	line[len++] = '.';
	line[len++] = (char)('0' + ms / 100);
	line[len++] = (char)('0' + ms / 10 % 10);
	line[len++] = (char)('0' + ms % 10);
	line[len++] = 'Z';
	line[len++] = ' ';

	memcpy(line + len, xtlog_who, xtlog_who_len);
	len += xtlog_who_len;
	n = strlen(level);
	memcpy(line + len, level, n);
	len += n;
	line[len++] = ':';
	line[len++] = ' ';
	return len;
}

/*
 * A newline or other control character inside a message would let one
 * record pass for two, so whatever a caller forgot to escape becomes '?'.
 */
static void
xtlog_flatten(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
	}
}

/* Write all of buf; retried only for EINTR and short writes. */
static void
xtlog_write_all(const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(STDERR_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= (size_t)n;
	}
}

static int64_t
xtlog_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Write what is held; called with the lock held. */
static void
xtlog_write_held(void)
{
	if (xtlog_hold.used == 0)
		return;
	xtlog_write_all(xtlog_hold.buf, xtlog_hold.used);
	xtlog_hold.used = 0;
}

/*
 * An info line is held while holding is on, until the buffer is full or
 * its oldest line is due; any other line first writes what is held, so
 * the log keeps the order in which things happened.
 */
static void
xtlog_output(int is_info, const char *line, size_t len)
{
	int64_t now;

	if (atomic_load_explicit(&xtlog_hold.ms, memory_order_relaxed) == 0) {
		xtlog_write_all(line, len);
		return;
	}

	pthread_mutex_lock(&xtlog_hold.lock);
	if (!is_info || xtlog_hold.used + len > sizeof(xtlog_hold.buf))
		xtlog_write_held();
	if (!is_info || len > sizeof(xtlog_hold.buf)) {
		xtlog_write_all(line, len);
		goto out;
	}

	now = xtlog_monotonic_ms();
	if (xtlog_hold.used == 0)
		xtlog_hold.since = now;
	memcpy(xtlog_hold.buf + xtlog_hold.used, line, len);
	xtlog_hold.used += len;
	if (now - xtlog_hold.since >= atomic_load(&xtlog_hold.ms))
		xtlog_write_held();
 out:
	pthread_mutex_unlock(&xtlog_hold.lock);
}

void
xtlog_hold_lines(long ms)
{
	static int flush_at_exit;

	pthread_mutex_lock(&xtlog_hold.lock);
	xtlog_write_held();
	atomic_store(&xtlog_hold.ms, ms > 0 ? ms : 0);
	pthread_mutex_unlock(&xtlog_hold.lock);

	/* A program that ends through exit() loses no held line. */
	if (ms > 0 && !flush_at_exit && atexit(xtlog_flush) == 0)
		flush_at_exit = 1;
}

long
xtlog_hold_interval(void)
{
	return atomic_load(&xtlog_hold.ms);
}

void
xtlog_flush(void)
{
	pthread_mutex_lock(&xtlog_hold.lock);
	xtlog_write_held();
	pthread_mutex_unlock(&xtlog_hold.lock);
}

long
xtlog_due_in(void)
{
	long ms = atomic_load(&xtlog_hold.ms), left = ms;

	pthread_mutex_lock(&xtlog_hold.lock);
	if (xtlog_hold.used > 0)
		left = (long)(xtlog_hold.since + ms - xtlog_monotonic_ms());
	pthread_mutex_unlock(&xtlog_hold.lock);
	return left > 0 ? left : 0;
}

void
xtlog_flush_due(void)
{
	pthread_mutex_lock(&xtlog_hold.lock);
	if (xtlog_hold.used > 0 &&
	    xtlog_monotonic_ms() - xtlog_hold.since >=
	    atomic_load(&xtlog_hold.ms))
		xtlog_write_held();
	pthread_mutex_unlock(&xtlog_hold.lock);
}

/*
 * End the record at line (head + message bytes) and pass it on: control
 * characters of the message become '?', and a cut message ends in "...".
 */
static void
xtlog_finish(int is_info, char *line, size_t head, size_t len, int cut)
{
	xtlog_flatten(line + head, len - head);
	if (cut) {
		memcpy(line + len, "...", 3);
		len += 3;
	}
	line[len++] = '\n';
	xtlog_output(is_info, line, len);
}

static void
xtlog_emit(int is_info, const char *level, const char *fmt, va_list ap)
{
	char line[XTLOG_LINE_MAX];
	size_t head, len;
	int n, saved_errno = errno;

	head = xtlog_head(line, level);

	/* Keep room for "...\n" so a cut record still ends the line. */
	n = vsnprintf(line + head, sizeof(line) - head - 4, fmt, ap);
	if (n >= 0) {
		len = head + strlen(line + head);
		xtlog_finish(is_info, line, head, len, (size_t)n > len - head);
	}
	errno = saved_errno;
}

void
xtlog_msg_start(struct xtlog_msg *m)
{
	m->len = 0;
	m->cut = 0;
	m->text[0] = '\0';
}

void
xtlog_msg_add(struct xtlog_msg *m, const char *s)
{
	size_t n = strlen(s), room = sizeof(m->text) - 1 - m->len;

	if (n > room) {
		n = room;
		m->cut = 1;
	}
	memcpy(m->text + m->len, s, n);
	m->len += n;
	m->text[m->len] = '\0';
}

void
xtlog_msg_add_value(struct xtlog_msg *m, const char *untrusted,
    size_t maxin)
{
	size_t room = sizeof(m->text) - m->len;

	/* Too little room left for the value and its "...": say so at the
	 * end of the line instead. */
	if (room < 8) {
		m->cut = 1;
		return;
	}
	xtlog_escape(m->text + m->len, room, untrusted, maxin);
	m->len += strlen(m->text + m->len);
}

void
xtlog_msg_add_long(struct xtlog_msg *m, long n)
{
	char digits[24], *p = digits + sizeof(digits) - 1;
	unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;

	/* Written from the end; a status or a count needs no printf. */
	*p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (n < 0)
		*--p = '-';
	xtlog_msg_add(m, p);
}

static void
xtlog_emit_msg(int is_info, const char *level, const struct xtlog_msg *m)
{
	char line[XTLOG_LINE_MAX];
	size_t head;
	int saved_errno = errno;

	head = xtlog_head(line, level);
	memcpy(line + head, m->text, m->len);
	xtlog_finish(is_info, line, head, head + m->len, m->cut);
	errno = saved_errno;
}

void
xtlog_msg_info(const struct xtlog_msg *m)
{
	xtlog_emit_msg(1, "info", m);
}

void
xtlog_msg_warn(const struct xtlog_msg *m)
{
	xtlog_emit_msg(0, "warning", m);
}

void
xtlog_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xtlog_emit(1, "info", fmt, ap);
	va_end(ap);
}

void
xtlog_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xtlog_emit(0, "warning", fmt, ap);
	va_end(ap);
}

void
xtlog_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xtlog_emit(0, "error", fmt, ap);
	va_end(ap);
}

/* Bytes needed to show c: itself, or "\xNN". */
static size_t
xtlog_escaped_len(unsigned char c)
{
	if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
		return 4;
	return 1;
}

char *
xtlog_escape(char *out, size_t outcap, const char *in, size_t maxin)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)in;
	size_t i, pos = 0, need;
	int cut = 0;

	if (out == NULL || outcap == 0)
		return out;
	if (in == NULL)
		p = (const unsigned char *)"-";

	/* Room is kept for "..." and the NUL while copying. */
	for (i = 0; p[i] != '\0'; i++) {
		need = xtlog_escaped_len(p[i]);
		if (i >= maxin || outcap < 4 || pos + need > outcap - 4) {
			cut = 1;
			break;
		}
		if (need == 1) {
			out[pos++] = (char)p[i];
			continue;
		}
		out[pos++] = '\\';
		out[pos++] = 'x';
		out[pos++] = hex[p[i] >> 4];
		out[pos++] = hex[p[i] & 0x0f];
	}

	if (cut && outcap >= 4) {
		memcpy(out + pos, "...", 3);
		pos += 3;
	}
	out[pos] = '\0';
	return out;
}
