/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Differential libFuzzer harness for tokjson, the token's JSON reader: on
 * any bytes it must agree with json-c in strict mode behind the scan that
 * used to stand in front of it (kept below as the reference), on accept
 * or refuse, and on every member it picks: type, decoded string, the
 * elements of an array and the NumericDate read from a number.
 */
#include "autoconf.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "strictjson.h"
#include "tokjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TIME_MAX	INT64_C(253402300799)
#define FUZZ_NAMES	24

static void
fuzz_fail(const char *what, const uint8_t *data, size_t size)
{
	fprintf(stderr, "fuzz_tokjson: %s on %zu bytes: %.*s\n", what, size,
	    (int)(size > 400 ? 400 : size), (const char *)data);
	abort();
}

/*
 * RFC 3629 UTF-8: json-c's own check lets overlong forms, encoded
 * surrogates and code points above U+10FFFF through, and each of those
 * lets two different byte strings mean the same text.
 */
static bool
ref_utf8_ok(const unsigned char *s, size_t len)
{
	size_t i = 0, n, k;
	uint32_t cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			n = 1; cp = s[i] & 0x1f; min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2; cp = s[i] & 0x0f; min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			n = 3; cp = s[i] & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/*
 * Inputs up to this many bytes are scanned in buffers on the stack: a
 * token's header and claims are a few hundred bytes, and checking them
 * should not cost two allocations each.
 */
#define REF_STACK_LEN	768

/* One member name, decoded, to compare with its siblings. */
struct ref_key {
	const char	*name;
	size_t		 len;
};

/* Open objects and arrays, with where each object's member names start. */
struct ref_scan {
	const char		*in;
	size_t			 len;
	size_t			 pos;
	char			*arena;		/* decoded member names */
	size_t			 arena_used;
	struct ref_key	*keys;
	size_t			 nkeys;
	int			 depth;
	bool			 is_object[STRICTJSON_MAX_DEPTH + 1];
	bool			 expect_key[STRICTJSON_MAX_DEPTH + 1];
	size_t			 first_key[STRICTJSON_MAX_DEPTH + 1];
	size_t			 first_name[STRICTJSON_MAX_DEPTH + 1];
};

static int
ref_hex4(const char *p, uint32_t *out)
{
	int i, v;

	*out = 0;
	for (i = 0; i < 4; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			v = p[i] - '0';
		else if (p[i] >= 'a' && p[i] <= 'f')
			v = p[i] - 'a' + 10;
		else if (p[i] >= 'A' && p[i] <= 'F')
			v = p[i] - 'A' + 10;
		else
			return -1;
		*out = (*out << 4) | (uint32_t)v;
	}
	return 0;
}

/* Append a code point as UTF-8 to the name being decoded (if any). */
static void
ref_put(struct ref_scan *sc, char *name, uint32_t cp)
{
	char *o = sc->arena + sc->arena_used;

	if (name == NULL)
		return;
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	sc->arena_used = (size_t)(o - sc->arena);
}

/*
 * A \u escape (four hex digits) at sc->pos, just after the 'u'.  U+0000
 * is refused because C code would read the string as ending there; a
 * surrogate must come as a high-low pair, since a lone one is no
 * character at all.
 */
static int
ref_unicode_escape(struct ref_scan *sc, uint32_t *cp)
{
	uint32_t lo;

	if (sc->len - sc->pos < 4 || ref_hex4(sc->in + sc->pos, cp))
		return -1;
	sc->pos += 4;
	if (*cp == 0 || (*cp >= 0xdc00 && *cp <= 0xdfff))
		return -1;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 0;

	if (sc->len - sc->pos < 6 || sc->in[sc->pos] != '\\' ||
	    sc->in[sc->pos + 1] != 'u' ||
	    ref_hex4(sc->in + sc->pos + 2, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return -1;
	sc->pos += 6;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* One escape sequence after a backslash. */
static int
ref_escape(struct ref_scan *sc, char *name)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	uint32_t cp;
	char c;

	if (sc->pos >= sc->len)
		return -1;
	c = sc->in[sc->pos++];
	if (c == 'u') {
		if (ref_unicode_escape(sc, &cp) != 0)
			return -1;
		ref_put(sc, name, cp);
		return 0;
	}
	hit = strchr(from, c);
	if (hit == NULL || c == '\0')
		return -1;
	ref_put(sc, name, (unsigned char)to[hit - from]);
	return 0;
}

/* A string starting after its opening quote; a member name when as_key. */
static int
ref_string(struct ref_scan *sc, bool as_key)
{
	char *name = as_key ? sc->arena + sc->arena_used : NULL;
	size_t start = sc->arena_used;
	char c;

	while (sc->pos < sc->len) {
		c = sc->in[sc->pos++];
		if (c == '"')
			break;
		/* RFC 8259 section 7: control characters only as escapes;
		 * json-c's strict mode lets them through raw. */
		if ((unsigned char)c < 0x20)
			return -1;
		if (c == '\\') {
			if (ref_escape(sc, name) != 0)
				return -1;
		} else if (name != NULL) {
			sc->arena[sc->arena_used++] = c;
		}
	}
	if (as_key) {
		sc->keys[sc->nkeys].name = name;
		sc->keys[sc->nkeys].len = sc->arena_used - start;
		sc->nkeys++;
	}
	return 0;
}

static int
ref_key_cmp(const void *a, const void *b)
{
	const struct ref_key *ka = a, *kb = b;
	size_t n = ka->len < kb->len ? ka->len : kb->len;
	int c = memcmp(ka->name, kb->name, n);

	if (c != 0)
		return c;
	return ka->len < kb->len ? -1 : ka->len > kb->len;
}

/* Closing an object: its member names must all differ (RFC 8259 says
 * "should"; a verifier and a signer reading different duplicates is how
 * claims get smuggled). */
static int
ref_close_object(struct ref_scan *sc)
{
	size_t first = sc->first_key[sc->depth], i;
	struct ref_key *k = sc->keys + first;
	size_t n = sc->nkeys - first;

	qsort(k, n, sizeof(*k), ref_key_cmp);
	for (i = 1; i < n; i++) {
		if (ref_key_cmp(&k[i - 1], &k[i]) == 0)
			return -1;
	}
	sc->nkeys = first;
	sc->arena_used = sc->first_name[sc->depth];
	return 0;
}

static int
ref_open(struct ref_scan *sc, bool object)
{
	if (sc->depth == STRICTJSON_MAX_DEPTH)
		return -1;
	sc->depth++;
	sc->is_object[sc->depth] = object;
	sc->expect_key[sc->depth] = object;
	sc->first_key[sc->depth] = sc->nkeys;
	sc->first_name[sc->depth] = sc->arena_used;
	return 0;
}

/* Advance over the digits at sc->pos; returns how many there were. */
static size_t
ref_digits(struct ref_scan *sc)
{
	size_t start = sc->pos;

	while (sc->pos < sc->len && sc->in[sc->pos] >= '0' &&
	    sc->in[sc->pos] <= '9')
		sc->pos++;
	return sc->pos - start;
}

/*
 * A number exactly as RFC 8259 section 6 writes it, starting one byte
 * before sc->pos.  json-c's strict mode still takes NaN, Infinity and
 * "1.", which other parsers read differently or not at all.
 */
static int
ref_number(struct ref_scan *sc, char first)
{
	if (first == '-') {
		if (sc->pos >= sc->len || sc->in[sc->pos] < '0' ||
		    sc->in[sc->pos] > '9')
			return -1;
		first = sc->in[sc->pos++];
	}
	if (first != '0')
		ref_digits(sc);
	else if (sc->pos < sc->len && sc->in[sc->pos] >= '0' &&
	    sc->in[sc->pos] <= '9')
		return -1;	/* no leading zeros */
	if (sc->pos < sc->len && sc->in[sc->pos] == '.') {
		sc->pos++;
		if (ref_digits(sc) == 0)
			return -1;
	}
	if (sc->pos < sc->len && (sc->in[sc->pos] == 'e' ||
	    sc->in[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len && (sc->in[sc->pos] == '+' ||
		    sc->in[sc->pos] == '-'))
			sc->pos++;
		if (ref_digits(sc) == 0)
			return -1;
	}
	return 0;
}

/*
 * Anything outside strings that is not punctuation or white space: a
 * number or one of the three literals, and nothing else.  In particular
 * a single quote is refused here, because json-c's strict mode still
 * reads '...' member names, which this scanner would not see as strings.
 */
static int
ref_bare(struct ref_scan *sc, char c)
{
	static const char *const literals[] = { "true", "false", "null" };
	size_t i, n;

	if (c == '-' || (c >= '0' && c <= '9'))
		return ref_number(sc, c);
	for (i = 0; i < sizeof(literals) / sizeof(literals[0]); i++) {
		n = strlen(literals[i]);
		if (sc->len - (sc->pos - 1) >= n &&
		    memcmp(sc->in + sc->pos - 1, literals[i], n) == 0) {
			sc->pos += n - 1;
			return 0;
		}
	}
	return -1;
}

/* One structural byte outside strings. */
static int
ref_step(struct ref_scan *sc, char c)
{
	bool in_object = sc->depth > 0 && sc->is_object[sc->depth];

	switch (c) {
	case '"':
		if (ref_string(sc, in_object &&
		    sc->expect_key[sc->depth]) != 0)
			return -1;
		if (in_object)
			sc->expect_key[sc->depth] = false;
		return 0;
	case '{':
	case '[':
		return ref_open(sc, c == '{');
	case '}':
	case ']':
		if (sc->depth == 0 || sc->is_object[sc->depth] != (c == '}'))
			return -1;
		if (c == '}' && ref_close_object(sc) != 0)
			return -1;
		sc->depth--;
		return 0;
	case ',':
		if (in_object)
			sc->expect_key[sc->depth] = true;
		return 0;
	case ':':
	case ' ':
	case '\t':
	case '\n':
	case '\r':
		return 0;
	default:
		return ref_bare(sc, c);
	}
}

/*
 * What json-c does not check: strict UTF-8, escapes of U+0000 and of lone
 * surrogates, duplicate member names at any depth, quotes other than '"'
 * and numbers outside RFC 8259's grammar.  The syntax itself
 * is left to json-c, which parses the same bytes afterwards.
 */
static int
ref_scan(const char *buf, size_t len)
{
	char arena[REF_STACK_LEN + 1];
	struct ref_key keys[REF_STACK_LEN / 3 + 1];
	struct ref_scan sc;
	int result = -1;

	if (!ref_utf8_ok((const unsigned char *)buf, len))
		return -1;

	memset(&sc, 0, sizeof(sc));
	sc.in = buf;
	sc.len = len;
	sc.arena = arena;
	sc.keys = keys;
	if (len > REF_STACK_LEN) {
		sc.arena = malloc(len + 1);
		sc.keys = calloc(len / 3 + 1, sizeof(*sc.keys));
	}
	if (sc.arena == NULL || sc.keys == NULL)
		goto out;

	while (sc.pos < len) {
		if (ref_step(&sc, buf[sc.pos++]) != 0)
			goto out;
	}
	result = 0;

out:
	if (sc.arena != arena)
		free(sc.arena);
	if (sc.keys != keys)
		free(sc.keys);
	return result;
}


/* The reference: the old scan, then json-c as strictjson used it. */
static struct json_object *
ref_parse(const char *buf, size_t len)
{
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	size_t end;

	if (len == 0 || len > INT32_MAX)
		return NULL;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		return NULL;
	if (ref_scan(buf, len) != 0)
		return NULL;

	/* json-c's limit of n admits n - 1 nested containers. */
	tok = json_tokener_new_ex(STRICTJSON_MAX_DEPTH + 1);
	if (tok == NULL)
		abort();
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		goto fail;
	for (end = json_tokener_get_parse_end(tok); end < len; end++) {
		if (strchr(" \t\r\n", buf[end]) == NULL || buf[end] == '\0')
			goto fail;
	}
	if (!json_object_is_type(obj, json_type_object))
		goto fail;
	json_tokener_free(tok);
	return obj;

fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}

/* The NumericDate rule as claims.c applied it to json-c's values. */
static int
ref_time(struct json_object *v, int64_t max, int64_t *out, bool *fraction)
{
	double d;
	int64_t i;

	*fraction = false;
	if (json_object_is_type(v, json_type_int)) {
		i = json_object_get_int64(v);
		if (i < 0 || i > max)
			return -1;
		*out = i;
		return 0;
	}
	if (json_object_is_type(v, json_type_double)) {
		d = json_object_get_double(v);
		if (!isfinite(d) || d < 0 || d > (double)max)
			return -1;
		*out = (int64_t)d;
		*fraction = (double)*out < d;
		return 0;
	}
	return -1;
}

static enum tokjson_type
fuzz_type_of(struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return TOKJSON_NULL;
	case json_type_boolean:
		return json_object_get_boolean(v) ? TOKJSON_TRUE :
		    TOKJSON_FALSE;
	case json_type_int:
	case json_type_double:
		return TOKJSON_NUMBER;
	case json_type_string:
		return TOKJSON_STRING;
	case json_type_array:
		return TOKJSON_ARRAY;
	case json_type_object:
		return TOKJSON_OBJECT;
	}
	return TOKJSON_ABSENT;
}

/*
 * json-c 0.16 decodes some valid surrogate pairs (high halves \ud836 and
 * \ud837, at least) to U+FFFD; where its text holds U+FFFD, it is no
 * reference for the decoded bytes.
 */
static bool
fuzz_jsonc_replaced(const char *s, size_t len)
{
	return memmem(s, len, "\xef\xbf\xbd", 3) != NULL;
}

static bool
fuzz_same_string(struct json_object *v, const struct tokjson_value *t)
{
	const char *s = json_object_get_string(v);
	size_t len = (size_t)json_object_get_string_len(v), got;
	char *buf;
	bool same;

	if (fuzz_jsonc_replaced(s, len))
		return true;
	if (!tokjson_string_is(t, s, len))
		return false;
	buf = malloc(len + 1);
	if (buf == NULL)
		abort();
	same = tokjson_string_copy(t, buf, len + 1, &got) == 0 &&
	    got == len && memcmp(buf, s, len) == 0;
	if (len > 0 && tokjson_string_copy(t, buf, len, &got) == 0)
		same = false;	/* one byte short must not fit */
	free(buf);
	return same;
}

static bool
fuzz_same_date(struct json_object *v, const struct tokjson_value *t,
    int64_t max)
{
	int64_t a = -1, b = -1;
	bool fa = false, fb = false;
	int ra, rb;

	ra = ref_time(v, max, &a, &fa);
	rb = tokjson_numeric_date(t, max, &b, &fb);
	if (ra != rb)
		return false;
	return ra != 0 || (a == b && fa == fb);
}

static bool
fuzz_same_value(struct json_object *v, const struct tokjson_value *t);

static bool
fuzz_same_array(struct json_object *v, const struct tokjson_value *t)
{
	struct tokjson_value item;
	struct tokjson_iter it;
	size_t i = 0, n = json_object_array_length(v);

	if (tokjson_iter_init(&it, t) != 0)
		return false;
	while (tokjson_iter_next(&it, &item) == 1) {
		if (i >= n ||
		    !fuzz_same_value(json_object_array_get_idx(v, i), &item))
			return false;
		i++;
	}
	return i == n;
}

static bool
fuzz_same_value(struct json_object *v, const struct tokjson_value *t)
{
	if (fuzz_type_of(v) != t->type)
		return false;
	switch (t->type) {
	case TOKJSON_STRING:
		return fuzz_same_string(v, t);
	case TOKJSON_NUMBER:
		return fuzz_same_date(v, t, FUZZ_TIME_MAX) &&
		    fuzz_same_date(v, t, INT64_MAX);
	case TOKJSON_ARRAY:
		return fuzz_same_array(v, t);
	default:
		return true;
	}
}

/* The names to pick: the claims and headers we read, then the input's. */
static size_t
fuzz_names(struct json_object *obj, const char **names)
{
	static const char *const fixed[] = { "appId", "exp", "nbf", "iat",
	    "aud", "iss", "sub", "jti", "alg", "kid", "typ", "crit" };
	size_t n, i;

	for (n = 0; n < sizeof(fixed) / sizeof(fixed[0]); n++)
		names[n] = fixed[n];
	json_object_object_foreach(obj, key, val) {
		(void)val;
		if (fuzz_jsonc_replaced(key, strlen(key)))
			continue;
		for (i = 0; i < n && strcmp(names[i], key) != 0; i++)
			;
		if (i == n && n < FUZZ_NAMES)
			names[n++] = key;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tokjson_value values[FUZZ_NAMES];
	const char *names[FUZZ_NAMES];
	struct json_object *obj, *member;
	size_t n, i;
	bool present;
	int r;

	obj = ref_parse((const char *)data, size);
	r = tokjson_validate((const char *)data, size, NULL, 0, NULL);
	if ((obj != NULL) != (r == 0))
		fuzz_fail(obj != NULL ? "json-c accepts, tokjson refuses" :
		    "tokjson accepts, json-c refuses", data, size);
	if (obj == NULL)
		return 0;

	n = fuzz_names(obj, names);
	if (tokjson_validate((const char *)data, size, names, n, values) != 0)
		fuzz_fail("refused once names are picked", data, size);
	for (i = 0; i < n; i++) {
		present = json_object_object_get_ex(obj, names[i], &member);
		if (!present && values[i].type != TOKJSON_ABSENT)
			fuzz_fail("picked an absent member", data, size);
		if (present && !fuzz_same_value(member, &values[i])) {
			fprintf(stderr, "member \"%s\"\n", names[i]);
			fuzz_fail("picked member differs", data, size);
		}
	}
	json_object_put(obj);
	return 0;
}
