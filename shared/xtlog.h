/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Logging for the programs (never called from the token checks in shared/).
 */
#ifndef XTOKEN_XTLOG_H
#define XTOKEN_XTLOG_H

#include <stddef.h>

/*
 * Name shown in every line ("xtoken-authorizer"); call once at start,
 * before any thread: it also reads the process ID that every line shows.
 */
void xtlog_init(const char *progname);

/*
 * Write one line to stderr: "<UTC time> <prog>[<pid>] <level>: <message>".
 * The line goes out in a single write(2), so lines from several threads or
 * processes sharing a log file never interleave.  The time is UTC with
 * milliseconds ("2026-01-31T12:34:56.789Z").  The message is written as
 * formatted, except that control characters become '?' so a record is
 * always one line; callers still escape untrusted values with
 * xtlog_escape first.  A message longer than about 4 KiB is cut and ends
 * in "...".  errno is preserved.
 */
void xtlog_info(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void xtlog_warn(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void xtlog_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/*
 * Hold info lines back and write them together, once the oldest is ms
 * milliseconds old or 4 KiB have gathered, instead of one write(2) per
 * line; ms <= 0 writes each line at once (the default).  A warning or an
 * error first writes what is held, then itself at once, so the order of
 * lines is kept; held lines are written at exit() too.  Lines still
 * held when the process is killed are lost.  The program calls
 * xtlog_flush_due when xtlog_due_in says (fcgisrv_serve does), so a quiet
 * server writes its last lines on time.
 */
void xtlog_hold_lines(long ms);

/* The interval set by xtlog_hold_lines, 0 when lines are not held. */
long xtlog_hold_interval(void);

/* Write the held lines now. */
void xtlog_flush(void);

/*
 * Milliseconds until the oldest held line is due (0: now), or the hold
 * interval when none is held: how long the caller may sleep before it
 * calls xtlog_flush_due.
 */
long xtlog_due_in(void);

/* Write the held lines if the oldest of them is due. */
void xtlog_flush_due(void);

/*
 * A message put together piece by piece, for the line every request
 * writes: no format string to interpret, so it costs a few copies.  The
 * text is cut (and the line ends in "...") when it would not fit.
 */
#define XTLOG_MSG_MAX	3072

struct xtlog_msg {
	size_t	 len;
	int	 cut;
	char	 text[XTLOG_MSG_MAX];
};

/* Begin an empty message in m. */
void xtlog_msg_start(struct xtlog_msg *m);

/* Append text of ours (never a value a client sent). */
void xtlog_msg_add(struct xtlog_msg *m, const char *s);

/* Append an untrusted value as xtlog_escape writes it (NULL as "-"). */
void xtlog_msg_add_value(struct xtlog_msg *m, const char *untrusted,
    size_t maxin);

/* Append n in decimal. */
void xtlog_msg_add_long(struct xtlog_msg *m, long n);

/* Log the message as xtlog_info or xtlog_warn would. */
void xtlog_msg_info(const struct xtlog_msg *m);
void xtlog_msg_warn(const struct xtlog_msg *m);

/*
 * Copy at most maxin bytes of the untrusted string in into out (outcap
 * bytes, always NUL-terminated), escaping '"', '\\', control characters
 * and bytes >= 0x7f as \xNN, and appending "..." when in was longer than
 * maxin.  NULL is written as "-".  Returns out.
 */
char *xtlog_escape(char *out, size_t outcap, const char *in, size_t maxin);

#endif
