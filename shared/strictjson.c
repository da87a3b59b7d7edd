/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Strict JSON on top of json-c: its tokener is lenient by default (it
 * stops after the first value, accepts comments, single quotes and invalid
 * UTF-8), so every one of those doors is closed here.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "strictjson.h"

/*
 * RFC 3629 UTF-8: json-c's own check lets overlong forms, encoded
 * surrogates and code points above U+10FFFF through, and each of those
 * lets two different byte strings mean the same text.
 */
static bool
strictjson_utf8_ok(const unsigned char *s, size_t len)
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
#define STRICTJSON_STACK_LEN	768

/* One member name, decoded, to compare with its siblings. */
struct strictjson_key {
	const char	*name;
	size_t		 len;
};

/* Open objects and arrays, with where each object's member names start. */
struct strictjson_scan {
	const char		*in;
	size_t			 len;
	size_t			 pos;
	char			*arena;		/* decoded member names */
	size_t			 arena_used;
	struct strictjson_key	*keys;
	size_t			 nkeys;
	int			 depth;
	bool			 is_object[STRICTJSON_MAX_DEPTH + 1];
	bool			 expect_key[STRICTJSON_MAX_DEPTH + 1];
	size_t			 first_key[STRICTJSON_MAX_DEPTH + 1];
	size_t			 first_name[STRICTJSON_MAX_DEPTH + 1];
};

static int
strictjson_hex4(const char *p, uint32_t *out)
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
strictjson_put(struct strictjson_scan *sc, char *name, uint32_t cp)
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
 * A \uXXXX escape at sc->pos (just after the 'u').  U+0000 is refused
 * because C code would read the string as ending there; a surrogate must
 * come as a high-low pair, since a lone one is no character at all.
 */
static int
strictjson_unicode_escape(struct strictjson_scan *sc, uint32_t *cp)
{
	uint32_t lo;

	if (sc->len - sc->pos < 4 || strictjson_hex4(sc->in + sc->pos, cp))
		return -1;
	sc->pos += 4;
	if (*cp == 0 || (*cp >= 0xdc00 && *cp <= 0xdfff))
		return -1;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return 0;

	if (sc->len - sc->pos < 6 || sc->in[sc->pos] != '\\' ||
	    sc->in[sc->pos + 1] != 'u' ||
	    strictjson_hex4(sc->in + sc->pos + 2, &lo) ||
	    lo < 0xdc00 || lo > 0xdfff)
		return -1;
	sc->pos += 6;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return 0;
}

/* One escape sequence after a backslash. */
static int
strictjson_escape(struct strictjson_scan *sc, char *name)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit;
	uint32_t cp;
	char c;

	if (sc->pos >= sc->len)
		return -1;
	c = sc->in[sc->pos++];
	if (c == 'u') {
		if (strictjson_unicode_escape(sc, &cp) != 0)
			return -1;
		strictjson_put(sc, name, cp);
		return 0;
	}
	hit = strchr(from, c);
	if (hit == NULL || c == '\0')
		return -1;
	strictjson_put(sc, name, (unsigned char)to[hit - from]);
	return 0;
}

/* A string starting after its opening quote; a member name when as_key. */
static int
strictjson_string(struct strictjson_scan *sc, bool as_key)
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
			if (strictjson_escape(sc, name) != 0)
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
strictjson_key_cmp(const void *a, const void *b)
{
	const struct strictjson_key *ka = a, *kb = b;
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
strictjson_close_object(struct strictjson_scan *sc)
{
	size_t first = sc->first_key[sc->depth], i;
	struct strictjson_key *k = sc->keys + first;
	size_t n = sc->nkeys - first;

	qsort(k, n, sizeof(*k), strictjson_key_cmp);
	for (i = 1; i < n; i++) {
		if (strictjson_key_cmp(&k[i - 1], &k[i]) == 0)
			return -1;
	}
	sc->nkeys = first;
	sc->arena_used = sc->first_name[sc->depth];
	return 0;
}

static int
strictjson_open(struct strictjson_scan *sc, bool object)
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
strictjson_digits(struct strictjson_scan *sc)
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
strictjson_number(struct strictjson_scan *sc, char first)
{
	if (first == '-') {
		if (sc->pos >= sc->len || sc->in[sc->pos] < '0' ||
		    sc->in[sc->pos] > '9')
			return -1;
		first = sc->in[sc->pos++];
	}
	if (first != '0')
		strictjson_digits(sc);
	else if (sc->pos < sc->len && sc->in[sc->pos] >= '0' &&
	    sc->in[sc->pos] <= '9')
		return -1;	/* no leading zeros */
	if (sc->pos < sc->len && sc->in[sc->pos] == '.') {
		sc->pos++;
		if (strictjson_digits(sc) == 0)
			return -1;
	}
	if (sc->pos < sc->len && (sc->in[sc->pos] == 'e' ||
	    sc->in[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len && (sc->in[sc->pos] == '+' ||
		    sc->in[sc->pos] == '-'))
			sc->pos++;
		if (strictjson_digits(sc) == 0)
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
strictjson_bare(struct strictjson_scan *sc, char c)
{
	static const char *const literals[] = { "true", "false", "null" };
	size_t i, n;

	if (c == '-' || (c >= '0' && c <= '9'))
		return strictjson_number(sc, c);
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
strictjson_step(struct strictjson_scan *sc, char c)
{
	bool in_object = sc->depth > 0 && sc->is_object[sc->depth];

	switch (c) {
	case '"':
		if (strictjson_string(sc, in_object &&
		    sc->expect_key[sc->depth]) != 0)
			return -1;
		if (in_object)
			sc->expect_key[sc->depth] = false;
		return 0;
	case '{':
	case '[':
		return strictjson_open(sc, c == '{');
	case '}':
	case ']':
		if (sc->depth == 0 || sc->is_object[sc->depth] != (c == '}'))
			return -1;
		if (c == '}' && strictjson_close_object(sc) != 0)
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
		return strictjson_bare(sc, c);
	}
}

/*
 * What json-c does not check: strict UTF-8, escapes of U+0000 and of lone
 * surrogates, duplicate member names at any depth, quotes other than '"'
 * and numbers outside RFC 8259's grammar.  The syntax itself
 * is left to json-c, which parses the same bytes afterwards.
 */
static int
strictjson_scan(const char *buf, size_t len)
{
	char arena[STRICTJSON_STACK_LEN + 1];
	struct strictjson_key keys[STRICTJSON_STACK_LEN / 3 + 1];
	struct strictjson_scan sc;
	int result = -1;

	if (!strictjson_utf8_ok((const unsigned char *)buf, len))
		return -1;

	memset(&sc, 0, sizeof(sc));
	sc.in = buf;
	sc.len = len;
	sc.arena = arena;
	sc.keys = keys;
	if (len > STRICTJSON_STACK_LEN) {
		sc.arena = malloc(len + 1);
		sc.keys = calloc(len / 3 + 1, sizeof(*sc.keys));
	}
	if (sc.arena == NULL || sc.keys == NULL)
		goto out;

	while (sc.pos < len) {
		if (strictjson_step(&sc, buf[sc.pos++]) != 0)
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

struct json_object *
strictjson_parse_object(const char *buf, size_t len)
{
	struct json_tokener *tok = NULL;
	struct json_object *obj = NULL;
	size_t end;

	if (len == 0 || len > INT32_MAX)
		return NULL;

	/* A byte-order mark is not JSON text (RFC 8259 section 8.1). */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		return NULL;

	if (strictjson_scan(buf, len) != 0)
		return NULL;

	tok = json_tokener_new_ex(STRICTJSON_MAX_DEPTH);
	if (tok == NULL)
		return NULL;
	json_tokener_set_flags(tok,
	    JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);

	obj = json_tokener_parse_ex(tok, buf, (int)len);
	if (obj == NULL || json_tokener_get_error(tok) != json_tokener_success)
		goto fail;

	/* The tokener stops after one value: the rest must be whitespace. */
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

int
strictjson_get_string(struct json_object *obj, const char *key,
    const char **str, size_t *len)
{
	struct json_object *member;

	if (!json_object_object_get_ex(obj, key, &member))
		return 0;
	if (!json_object_is_type(member, json_type_string))
		return -1;

	*str = json_object_get_string(member);
	*len = (size_t)json_object_get_string_len(member);
	return 1;
}

bool
strictjson_string_is(const char *str, size_t len, const char *want)
{
	return strlen(want) == len && memcmp(str, want, len) == 0;
}
