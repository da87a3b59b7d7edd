/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * A growing byte buffer that JSON text is written into directly, with the
 * same bytes json-c's plain printer makes for our answers.
 */
#ifndef XTOKEN_JSONBUF_H
#define XTOKEN_JSONBUF_H

#include <stddef.h>
#include <stdint.h>

/*
 * data is not NUL-terminated.  A failed allocation sets failed and makes
 * every later call a no-op, so a caller checks once, at the end.
 */
struct jsonbuf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	int	 failed;
};

/* An empty buffer; nothing is allocated until the first byte. */
void jsonbuf_init(struct jsonbuf *jb);

/* Free the bytes and leave jb empty; jb may have failed. */
void jsonbuf_free(struct jsonbuf *jb);

/* Append len raw bytes (punctuation, or text already in JSON form). */
void jsonbuf_add(struct jsonbuf *jb, const char *s, size_t len);

/*
 * Append s as a quoted JSON string.  Like json-c with
 * JSON_C_TO_STRING_NOSLASHESCAPE: '"' and '\\' are escaped, \b \f \n \r
 * \t take their short forms, other bytes below 0x20 become \u00xx with
 * lower-case hex, and every other byte (UTF-8 included) is copied.
 */
void jsonbuf_add_string(struct jsonbuf *jb, const char *s);

/* Append v in decimal, as a JSON number. */
void jsonbuf_add_int64(struct jsonbuf *jb, int64_t v);

#endif
