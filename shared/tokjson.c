/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The whole JSON grammar and our strict rules in one pass over the bytes,
 * keeping only where the wanted top-level members are: a token's header
 * and claims are checked and read without building a tree.
 */
#include "autoconf.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tokjson.h"

/*
 * Member names of the open objects kept on the stack: a token's header
 * and claims have a handful; only a larger text moves them to the heap.
 */
#define TOKJSON_STACK_NAMES	64

/* Up to this many sibling names are compared pairwise, more are sorted. */
#define TOKJSON_PAIRWISE_MAX	16

struct tokjson_parser {
	const unsigned char	*p;
	const unsigned char	*end;
	size_t			 len;
	int			 depth;
	struct tokjson_value	*names;		/* of the open objects */
	size_t			 nnames;
	size_t			 cap;
	const char *const	*want;
	size_t			 nwant;
	struct tokjson_value	*values;
	struct tokjson_value	 stack_names[TOKJSON_STACK_NAMES];
};

/* Decoding a validated string one byte at a time, without a buffer. */
struct tokjson_decoder {
	const unsigned char	*p;
	const unsigned char	*end;
	unsigned char		 pend[4];	/* UTF-8 of one escape */
	int			 npend;
	int			 ipend;
};

static int tokjson_value(struct tokjson_parser *, struct tokjson_value *);

static int
tokjson_hex4(const unsigned char *p, unsigned int *out)
{
	unsigned int v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= p[i] - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

static void
tokjson_ws(struct tokjson_parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* The next byte, or -1 at the end of the input. */
static int
tokjson_peek(const struct tokjson_parser *ps)
{
	return ps->p < ps->end ? *ps->p : -1;
}

/*
 * One UTF-8 sequence of two to four bytes (RFC 3629): overlong forms,
 * encoded surrogates and code points above U+10FFFF are refused, since
 * each would let two different byte strings mean the same text.
 */
static int
tokjson_utf8(struct tokjson_parser *ps)
{
	const unsigned char *s = ps->p;
	size_t left = (size_t)(ps->end - s), n, k;
	unsigned int cp, min;

	if ((s[0] & 0xe0) == 0xc0) {
		n = 1; cp = s[0] & 0x1f; min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 2; cp = s[0] & 0x0f; min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 3; cp = s[0] & 0x07; min = 0x10000;
	} else {
		return -1;
	}
	if (left <= n)
		return -1;
	for (k = 1; k <= n; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	ps->p += n + 1;
	return 0;
}

/*
 * A \u escape (four hex digits) at ps->p, on the backslash.  U+0000 is
 * refused because C code would read the string as ending there; a
 * surrogate must come as a high-low pair, since a lone one is no
 * character at all.
 */
static int
tokjson_unicode_escape(struct tokjson_parser *ps)
{
	const unsigned char *s = ps->p;
	size_t left = (size_t)(ps->end - s);
	unsigned int cp, lo;

	if (left < 6 || tokjson_hex4(s + 2, &cp) != 0)
		return -1;
	if (cp == 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return -1;
	if (cp < 0xd800 || cp > 0xdbff) {
		ps->p += 6;
		return 0;
	}
	if (left < 12 || s[6] != '\\' || s[7] != 'u' ||
	    tokjson_hex4(s + 8, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
		return -1;
	ps->p += 12;
	return 0;
}

/* One escape sequence, ps->p on its backslash. */
static int
tokjson_escape(struct tokjson_parser *ps)
{
	if (ps->end - ps->p < 2)
		return -1;
	switch (ps->p[1]) {
	case '"':
	case '\\':
	case '/':
	case 'b':
	case 'f':
	case 'n':
	case 'r':
	case 't':
		ps->p += 2;
		return 0;
	case 'u':
		return tokjson_unicode_escape(ps);
	default:
		return -1;
	}
}

/* A string, ps->p on its opening quote. */
static int
tokjson_string(struct tokjson_parser *ps, struct tokjson_value *out)
{
	const unsigned char *start = ++ps->p;
	bool has_escape = false;
	unsigned char c;

	while (ps->p < ps->end) {
		c = *ps->p;
		if (c == '"') {
			out->type = TOKJSON_STRING;
			out->text = (const char *)start;
			out->len = (size_t)(ps->p - start);
			out->has_escape = has_escape;
			ps->p++;
			return 0;
		}
		/* RFC 8259 section 7: control characters only escaped. */
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			has_escape = true;
			if (tokjson_escape(ps) != 0)
				return -1;
		} else if (c >= 0x80) {
			if (tokjson_utf8(ps) != 0)
				return -1;
		} else {
			ps->p++;
		}
	}
	return -1;
}

/* Advance over digits; returns how many there were. */
static size_t
tokjson_digits(struct tokjson_parser *ps)
{
	const unsigned char *start = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return (size_t)(ps->p - start);
}

/*
 * A number exactly as RFC 8259 section 6 writes it: no NaN, Infinity,
 * "1.", "+1" or leading zeros, which other parsers read differently or
 * not at all.
 */
static int
tokjson_number(struct tokjson_parser *ps)
{
	if (tokjson_peek(ps) == '-')
		ps->p++;
	if (tokjson_peek(ps) == '0') {
		ps->p++;
	} else if (tokjson_digits(ps) == 0) {
		return -1;
	}
	if (tokjson_peek(ps) == '.') {
		ps->p++;
		if (tokjson_digits(ps) == 0)
			return -1;
	}
	if (tokjson_peek(ps) == 'e' || tokjson_peek(ps) == 'E') {
		ps->p++;
		if (tokjson_peek(ps) == '+' || tokjson_peek(ps) == '-')
			ps->p++;
		if (tokjson_digits(ps) == 0)
			return -1;
	}
	return 0;
}

/* One of the three literals, spelled exactly in lower case. */
static int
tokjson_literal(struct tokjson_parser *ps, const char *word, size_t n)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return -1;
	ps->p += n;
	return 0;
}

/* Decoded bytes of a validated string, or -1 after the last one. */
static int
tokjson_decode_next(struct tokjson_decoder *d)
{
	unsigned int cp, lo;
	unsigned char c;

	if (d->ipend < d->npend)
		return d->pend[d->ipend++];
	if (d->p >= d->end)
		return -1;
	c = *d->p++;
	if (c != '\\')
		return c;

	c = *d->p++;
	switch (c) {
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'u':
		break;
	default:
		return c;	/* '"', '\\' or '/' */
	}

	(void)tokjson_hex4(d->p, &cp);
	d->p += 4;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		(void)tokjson_hex4(d->p + 2, &lo);
		d->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	d->ipend = 0;
	d->npend = 0;
	if (cp < 0x80)
		return (int)cp;
	if (cp < 0x800) {
		d->pend[0] = 0x80 | (cp & 0x3f);
		d->npend = 1;
		return 0xc0 | (cp >> 6);
	}
	if (cp < 0x10000) {
		d->pend[0] = 0x80 | ((cp >> 6) & 0x3f);
		d->pend[1] = 0x80 | (cp & 0x3f);
		d->npend = 2;
		return 0xe0 | (cp >> 12);
	}
	d->pend[0] = 0x80 | ((cp >> 12) & 0x3f);
	d->pend[1] = 0x80 | ((cp >> 6) & 0x3f);
	d->pend[2] = 0x80 | (cp & 0x3f);
	d->npend = 3;
	return 0xf0 | (cp >> 18);
}

static void
tokjson_decode_init(struct tokjson_decoder *d, const struct tokjson_value *v)
{
	d->p = (const unsigned char *)v->text;
	d->end = d->p + v->len;
	d->npend = 0;
	d->ipend = 0;
}

/* Order of two strings by their decoded bytes, shorter first on a tie. */
static int
tokjson_string_cmp(const struct tokjson_value *a,
    const struct tokjson_value *b)
{
	struct tokjson_decoder da, db;
	size_t n;
	int ca, cb, c;

	if (!a->has_escape && !b->has_escape) {
		n = a->len < b->len ? a->len : b->len;
		c = memcmp(a->text, b->text, n);
		if (c != 0)
			return c;
		return a->len < b->len ? -1 : a->len > b->len;
	}

	tokjson_decode_init(&da, a);
	tokjson_decode_init(&db, b);
	do {
		ca = tokjson_decode_next(&da);
		cb = tokjson_decode_next(&db);
	} while (ca == cb && ca != -1);
	return ca - cb;
}

static int
tokjson_name_sort_cmp(const void *a, const void *b)
{
	return tokjson_string_cmp(a, b);
}

static bool
tokjson_same_name(const struct tokjson_value *a,
    const struct tokjson_value *b)
{
	if (!a->has_escape && !b->has_escape)
		return a->len == b->len && memcmp(a->text, b->text,
		    a->len) == 0;
	return tokjson_string_cmp(a, b) == 0;
}

/*
 * Member names must all differ within an object, after decoding (RFC 8259
 * says "should"; a verifier and a signer reading different duplicates is
 * how claims get smuggled).  A few are compared pairwise; many are sorted
 * so that a text of thousands of members costs n log n, not n squared.
 */
static int
tokjson_unique(struct tokjson_value *names, size_t n)
{
	size_t i, j;

	if (n <= TOKJSON_PAIRWISE_MAX) {
		for (i = 1; i < n; i++) {
			for (j = 0; j < i; j++) {
				if (tokjson_same_name(&names[i], &names[j]))
					return -1;
			}
		}
		return 0;
	}
	qsort(names, n, sizeof(*names), tokjson_name_sort_cmp);
	for (i = 1; i < n; i++) {
		if (tokjson_string_cmp(&names[i - 1], &names[i]) == 0)
			return -1;
	}
	return 0;
}

/*
 * Keep a member name until its object closes.  No text of len bytes has
 * more than len / 3 names (each takes at least `"":`), so the one move to
 * the heap is sized for all of them.
 */
static int
tokjson_push_name(struct tokjson_parser *ps, const struct tokjson_value *name)
{
	struct tokjson_value *heap;
	size_t cap = ps->len / 3 + 1;

	if (ps->nnames == ps->cap) {
		if (ps->names != ps->stack_names || cap <= ps->cap)
			return -1;
		heap = malloc(cap * sizeof(*heap));
		if (heap == NULL)
			return -1;
		memcpy(heap, ps->names, ps->nnames * sizeof(*heap));
		ps->names = heap;
		ps->cap = cap;
	}
	ps->names[ps->nnames++] = *name;
	return 0;
}

/* Record a top-level member if its name is one the caller asked for. */
static void
tokjson_pick(struct tokjson_parser *ps, const struct tokjson_value *name,
    const struct tokjson_value *value)
{
	size_t i;

	for (i = 0; i < ps->nwant; i++) {
		if (tokjson_string_is(name, ps->want[i],
		    strlen(ps->want[i]))) {
			ps->values[i] = *value;
			return;
		}
	}
}

/* One member: name, colon, value. */
static int
tokjson_member(struct tokjson_parser *ps)
{
	struct tokjson_value name, value;

	if (tokjson_peek(ps) != '"' || tokjson_string(ps, &name) != 0)
		return -1;
	if (tokjson_push_name(ps, &name) != 0)
		return -1;
	tokjson_ws(ps);
	if (tokjson_peek(ps) != ':')
		return -1;
	ps->p++;
	tokjson_ws(ps);
	if (tokjson_value(ps, &value) != 0)
		return -1;
	if (ps->depth == 1)
		tokjson_pick(ps, &name, &value);
	return 0;
}

/* An object, ps->p on its '{'. */
static int
tokjson_object(struct tokjson_parser *ps)
{
	size_t first = ps->nnames;

	if (++ps->depth > TOKJSON_MAX_DEPTH)
		return -1;
	ps->p++;
	tokjson_ws(ps);
	if (tokjson_peek(ps) != '}') {
		for (;;) {
			if (tokjson_member(ps) != 0)
				return -1;
			tokjson_ws(ps);
			if (tokjson_peek(ps) != ',')
				break;
			ps->p++;
			tokjson_ws(ps);
		}
		if (tokjson_peek(ps) != '}')
			return -1;
	}
	ps->p++;

	if (tokjson_unique(ps->names + first, ps->nnames - first) != 0)
		return -1;
	ps->nnames = first;
	ps->depth--;
	return 0;
}

/* An array, ps->p on its '['. */
static int
tokjson_array(struct tokjson_parser *ps)
{
	struct tokjson_value item;

	if (++ps->depth > TOKJSON_MAX_DEPTH)
		return -1;
	ps->p++;
	tokjson_ws(ps);
	if (tokjson_peek(ps) != ']') {
		for (;;) {
			if (tokjson_value(ps, &item) != 0)
				return -1;
			tokjson_ws(ps);
			if (tokjson_peek(ps) != ',')
				break;
			ps->p++;
			tokjson_ws(ps);
		}
		if (tokjson_peek(ps) != ']')
			return -1;
	}
	ps->p++;
	ps->depth--;
	return 0;
}

/* Any value, its span and type into *out. */
static int
tokjson_value(struct tokjson_parser *ps, struct tokjson_value *out)
{
	const unsigned char *start = ps->p;
	int r;

	out->has_escape = false;
	switch (tokjson_peek(ps)) {
	case '"':
		return tokjson_string(ps, out);
	case '{':
		out->type = TOKJSON_OBJECT;
		r = tokjson_object(ps);
		break;
	case '[':
		out->type = TOKJSON_ARRAY;
		r = tokjson_array(ps);
		break;
	case 't':
		out->type = TOKJSON_TRUE;
		r = tokjson_literal(ps, "true", 4);
		break;
	case 'f':
		out->type = TOKJSON_FALSE;
		r = tokjson_literal(ps, "false", 5);
		break;
	case 'n':
		out->type = TOKJSON_NULL;
		r = tokjson_literal(ps, "null", 4);
		break;
	default:
		out->type = TOKJSON_NUMBER;
		r = tokjson_number(ps);
		break;
	}
	out->text = (const char *)start;
	out->len = (size_t)(ps->p - start);
	return r;
}

int
tokjson_validate(const char *buf, size_t len, const char *const *names,
    size_t nnames, struct tokjson_value *values)
{
	struct tokjson_parser ps;
	int result = -1;
	size_t i;

	for (i = 0; i < nnames; i++)
		values[i].type = TOKJSON_ABSENT;

	ps.p = (const unsigned char *)buf;
	ps.end = ps.p + len;
	ps.len = len;
	ps.depth = 0;
	ps.names = ps.stack_names;
	ps.nnames = 0;
	ps.cap = TOKJSON_STACK_NAMES;
	ps.want = names;
	ps.nwant = nnames;
	ps.values = values;

	/* Leading white space is allowed, a byte-order mark is not (RFC
	 * 8259 section 8.1): it is no '{'. */
	tokjson_ws(&ps);
	if (tokjson_peek(&ps) != '{' || tokjson_object(&ps) != 0)
		goto out;
	tokjson_ws(&ps);
	if (ps.p != ps.end)
		goto out;
	result = 0;

out:
	if (ps.names != ps.stack_names)
		free(ps.names);
	return result;
}

bool
tokjson_string_is(const struct tokjson_value *v, const char *want,
    size_t wantlen)
{
	struct tokjson_decoder d;
	size_t i;
	int c;

	if (v->type != TOKJSON_STRING)
		return false;
	if (!v->has_escape)
		return v->len == wantlen &&
		    memcmp(v->text, want, wantlen) == 0;

	tokjson_decode_init(&d, v);
	for (i = 0; i < wantlen; i++) {
		c = tokjson_decode_next(&d);
		if (c != (unsigned char)want[i])
			return false;
	}
	return tokjson_decode_next(&d) == -1;
}

int
tokjson_string_copy(const struct tokjson_value *v, char *out,
    size_t outsize, size_t *outlen)
{
	struct tokjson_decoder d;
	size_t n = 0;
	int c;

	if (outsize == 0)
		return -1;
	out[0] = '\0';
	if (v->type != TOKJSON_STRING)
		return -1;

	tokjson_decode_init(&d, v);
	while ((c = tokjson_decode_next(&d)) != -1) {
		if (n + 1 >= outsize) {
			out[0] = '\0';
			return -1;
		}
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*outlen = n;
	return 0;
}

static pthread_once_t tokjson_once = PTHREAD_ONCE_INIT;
static locale_t tokjson_c_numeric;

static void
tokjson_locale_init(void)
{
	tokjson_c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

/*
 * An integer as an int64 that saturates, as json-c reads it: a value
 * beyond the range stays beyond any range check below INT64_MAX.  Every
 * negative one but "-0" is below zero, whatever its size.
 */
static int
tokjson_integer(const struct tokjson_value *v, int64_t max, int64_t *out)
{
	const char *s = v->text, *end = v->text + v->len;
	int64_t n = 0;
	int d;

	if (*s == '-') {
		if (v->len != 2 || s[1] != '0')
			return -1;
		*out = 0;
		return 0;
	}
	for (; s < end; s++) {
		d = *s - '0';
		if (n > (INT64_MAX - d) / 10) {
			n = INT64_MAX;
			break;
		}
		n = n * 10 + d;
	}
	if (n > max)
		return -1;
	*out = n;
	return 0;
}

/*
 * A number with a fraction or an exponent, converted by strtod_l in the
 * C locale: strtod follows LC_NUMERIC, and a program that set a locale
 * with a decimal comma would stop at the '.'.  The byte after a member's
 * value is white space, ',' or '}', so the conversion stops at its end
 * without a copy; that it did is checked.
 */
static int
tokjson_double(const struct tokjson_value *v, int64_t max, int64_t *out,
    bool *fraction)
{
	char *end;
	double d;

	pthread_once(&tokjson_once, tokjson_locale_init);
	if (tokjson_c_numeric == (locale_t)0)
		return -1;
	d = strtod_l(v->text, &end, tokjson_c_numeric);
	if (end != v->text + v->len)
		return -1;
	if (!isfinite(d) || d < 0 || d > (double)max)
		return -1;
	*out = (int64_t)d;	/* d >= 0: truncation is floor */
	*fraction = (double)*out < d;
	return 0;
}

int
tokjson_numeric_date(const struct tokjson_value *v, int64_t max,
    int64_t *out, bool *fraction)
{
	*fraction = false;
	if (v->type != TOKJSON_NUMBER || v->len == 0)
		return -1;
	if (memchr(v->text, '.', v->len) != NULL ||
	    memchr(v->text, 'e', v->len) != NULL ||
	    memchr(v->text, 'E', v->len) != NULL)
		return tokjson_double(v, max, out, fraction);
	return tokjson_integer(v, max, out);
}

int
tokjson_iter_init(struct tokjson_iter *it, const struct tokjson_value *v)
{
	if (v->type != TOKJSON_ARRAY || v->len < 2)
		return -1;
	it->pos = v->text + 1;
	it->end = v->text + v->len - 1;	/* the ']' */
	return 0;
}

/* Past a validated string whose opening quote is at p. */
static const char *
tokjson_skip_string(const char *p, const char *end, bool *has_escape)
{
	for (p++; p < end && *p != '"'; p++) {
		if (*p == '\\') {
			*has_escape = true;
			p++;
		}
	}
	return p < end ? p + 1 : end;
}

static bool
tokjson_scalar_byte(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    c == '-' || c == '+' || c == '.' || c == 'E';
}

/* Past a validated value that starts at p. */
static const char *
tokjson_skip(const char *p, const char *end)
{
	bool esc = false;
	int depth = 0;

	if (*p != '{' && *p != '[') {
		while (p < end && tokjson_scalar_byte(*p))
			p++;
		return p;
	}
	do {
		if (*p == '"') {
			p = tokjson_skip_string(p, end, &esc);
			continue;
		}
		if (*p == '{' || *p == '[')
			depth++;
		else if (*p == '}' || *p == ']')
			depth--;
		p++;
	} while (p < end && depth > 0);
	return p;
}

int
tokjson_iter_next(struct tokjson_iter *it, struct tokjson_value *item)
{
	const char *p = it->pos, *start;

	while (p < it->end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r' || *p == ','))
		p++;
	if (p >= it->end)
		return 0;

	start = p;
	item->has_escape = false;
	switch (*p) {
	case '"':
		item->type = TOKJSON_STRING;
		p = tokjson_skip_string(p, it->end, &item->has_escape);
		item->text = start + 1;
		item->len = (size_t)(p - start) - 2;
		it->pos = p;
		return 1;
	case '{':
		item->type = TOKJSON_OBJECT;
		break;
	case '[':
		item->type = TOKJSON_ARRAY;
		break;
	case 't':
		item->type = TOKJSON_TRUE;
		break;
	case 'f':
		item->type = TOKJSON_FALSE;
		break;
	case 'n':
		item->type = TOKJSON_NULL;
		break;
	default:
		item->type = TOKJSON_NUMBER;
		break;
	}
	p = tokjson_skip(p, it->end);
	item->text = start;
	item->len = (size_t)(p - start);
	it->pos = p;
	return 1;
}
