/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * A strict JSON reader for a token's header and claims that builds no tree
 * and, for inputs of normal size, allocates nothing.
 */
#ifndef XTOKEN_TOKJSON_H
#define XTOKEN_TOKJSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nesting allowed in a header or claim set; ours need two or three. */
#define TOKJSON_MAX_DEPTH	16

enum tokjson_type {
	TOKJSON_ABSENT = 0,
	TOKJSON_STRING,
	TOKJSON_NUMBER,
	TOKJSON_TRUE,
	TOKJSON_FALSE,
	TOKJSON_NULL,
	TOKJSON_ARRAY,
	TOKJSON_OBJECT
};

/*
 * A value inside a text tokjson_validate accepted.  For a string, text
 * and len cover what lies between the quotes, escapes still encoded; for
 * anything else, the value's own bytes.  has_escape says whether a string
 * holds a backslash, so plain strings compare with memcmp.
 */
struct tokjson_value {
	enum tokjson_type	 type;
	const char		*text;
	size_t			 len;
	bool			 has_escape;
};

/*
 * Check that len bytes are one JSON object under our strict rules: RFC
 * 8259 grammar, valid UTF-8 (RFC 3629), no byte-order mark, no raw control
 * character in a string, only valid escapes and never \u0000 or a lone
 * surrogate, member names unique within each object after decoding their
 * escapes, numbers only in the RFC's grammar, nesting at most
 * TOKJSON_MAX_DEPTH, nothing but white space after the object.
 * While checking, for each of the nnames NUL-terminated names, the
 * top-level member of that (decoded) name is recorded in values[i], or
 * values[i].type is TOKJSON_ABSENT.  names may be NULL when nnames is 0.
 * Returns 0 if the text is accepted, -1 otherwise (values are then
 * meaningless).  Allocates only when more than 64 member names are open
 * at once (in one object and the objects around it); -1 also when that
 * allocation fails.
 */
int tokjson_validate(const char *buf, size_t len, const char *const *names,
    size_t nnames, struct tokjson_value *values);

/* True if v is a string whose decoded text is want (wantlen bytes). */
bool tokjson_string_is(const struct tokjson_value *v, const char *want,
    size_t wantlen);

/*
 * Decode string v into out (outsize bytes) with a terminating NUL and set
 * *outlen to its length.  Returns 0, or -1 if v is not a string or its
 * text does not fit (out then holds an empty string).
 */
int tokjson_string_copy(const struct tokjson_value *v, char *out,
    size_t outsize, size_t *outlen);

/*
 * Read v as a NumericDate (RFC 7519 section 2) of whole seconds in
 * [0, max].  An integer is taken as an int64, saturating beyond its range,
 * then range checked; a number with a fraction or an exponent is
 * converted to the nearest double without regard to the process locale,
 * must be finite and in range, and is rounded down, *fraction saying
 * whether anything was cut off.  Returns 0 and sets *out, or -1 if v is
 * not a number or out of range.
 */
int tokjson_numeric_date(const struct tokjson_value *v, int64_t max,
    int64_t *out, bool *fraction);

/* Walking an array's elements in order. */
struct tokjson_iter {
	const char	*pos;
	const char	*end;
};

/* Start walking array v.  Returns 0, or -1 if v is not an array. */
int tokjson_iter_init(struct tokjson_iter *it, const struct tokjson_value *v);

/* The next element into *item: returns 1, or 0 after the last one. */
int tokjson_iter_next(struct tokjson_iter *it, struct tokjson_value *item);

#endif
