/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Request path normalisation for the access rules: one decoding, dot
 * segments and repeated slashes removed, and every ambiguous form refused.
 */
#include "autoconf.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "pathnorm.h"

static int
pathnorm_hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The byte of the escape "%XX" at p (left bytes remain), or -1. */
static int
pathnorm_escape(const unsigned char *p, size_t left)
{
	int hi, lo;

	if (left < 3)
		return -1;
	hi = pathnorm_hex(p[1]);
	lo = pathnorm_hex(p[2]);
	if (hi < 0 || lo < 0)
		return -1;
	return hi << 4 | lo;
}

/*
 * A byte of the path, raw or decoded, that no rule may see.  A '\' is a
 * separator to some back ends, a ';' starts path parameters that some
 * strip before routing ("/users/..;/admin"), and control characters have
 * no place in a path; each would let the back end see another path than
 * the one the rules were matched against.
 */
static const char *
pathnorm_bad_byte(unsigned char c)
{
	if (c == '\0')
		return "NUL byte";
	if (c < 0x20 || c == 0x7f)
		return "control character";
	if (c == '\\')
		return "backslash";
	if (c == ';')
		return "';' (path parameter)";
	return NULL;
}

/*
 * Decode the len bytes of path into dec once.  An encoded '/' would
 * turn one segment into two, and an encoded '%' would read differently
 * to a back end that decodes a second time, so both are refused.
 */
static int
pathnorm_decode(const char *path, size_t len, unsigned char *dec,
    size_t *declen, const char **why)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t i, n = 0;
	int esc;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = p[i];
		if (c == '%') {
			esc = pathnorm_escape(p + i, len - i);
			if (esc < 0) {
				*why = "invalid %-escape";
				return -1;
			}
			c = (unsigned char)esc;
			i += 2;
			if (c == '/' || c == '%') {
				*why = c == '/' ? "encoded '/'" :
				    "encoded '%'";
				return -1;
			}
		} else if (c == '#') {
			*why = "'#' in the path";
			return -1;
		}
		*why = pathnorm_bad_byte(c);
		if (*why != NULL)
			return -1;
		dec[n++] = c;
	}
	*declen = n;
	return 0;
}

/*
 * RFC 3629 UTF-8 only: an overlong form such as C0 AE would otherwise be
 * a second spelling of '.', and a lenient back end might decode it so.
 */
static bool
pathnorm_utf8_ok(const unsigned char *s, size_t len)
{
	size_t i, k, more;
	uint32_t cp, least;

	for (i = 0; i < len; i += more + 1) {
		more = 0;
		if (s[i] < 0x80)
			continue;
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			more = 1;
			cp = s[i] & 0x1f;
			least = 0x80;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			more = 2;
			cp = s[i] & 0x0f;
			least = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			more = 3;
			cp = s[i] & 0x07;
			least = 0x10000;
		} else {
			return false;
		}
		if (len - i <= more)
			return false;
		for (k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < least || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
	}
	return true;
}

/*
 * Build the path segment by segment (RFC 3986 section 5.2.4, with empty
 * segments dropped as well): "." vanishes, ".." removes the segment
 * before it, and a path that ends in '/' or in a dot segment keeps a
 * trailing '/'.  out has room: the result is never longer than dec.
 */
static int
pathnorm_remove_dots(const unsigned char *dec, size_t len, char *out,
    const char **why)
{
	size_t i = 0, start, seglen, n = 0;
	bool trailing = false, dotdot;

	while (i < len) {
		while (i < len && dec[i] == '/')
			i++;
		start = i;
		while (i < len && dec[i] != '/')
			i++;
		seglen = i - start;
		trailing = seglen == 0 || i == len;

		if (seglen == 0 || (seglen == 1 && dec[start] == '.'))
			continue;
		dotdot = seglen == 2 && dec[start] == '.' &&
		    dec[start + 1] == '.';
		if (dotdot) {
			if (n == 0) {
				*why = "\"..\" above the root";
				return -1;
			}
			while (out[--n] != '/')
				;
			continue;
		}
		out[n++] = '/';
		memcpy(out + n, dec + start, seglen);
		n += seglen;
		trailing = false;
	}
	if (trailing || n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

int
pathnorm_normalize(const char *uri, char *out, size_t outlen,
    const char **why)
{
	unsigned char dec[PATHNORM_MAX];
	size_t len, declen;

	*why = NULL;
	if (uri == NULL || uri[0] != '/') {
		*why = "target does not start with '/'";
		return -1;
	}

	/* The query never decides a route. */
	len = strcspn(uri, "?");
	if (len > PATHNORM_MAX) {
		*why = "path too long";
		return -1;
	}
	if (pathnorm_decode(uri, len, dec, &declen, why) != 0)
		return -1;
	if (!pathnorm_utf8_ok(dec, declen)) {
		*why = "not UTF-8";
		return -1;
	}

	if (outlen <= declen) {
		*why = "path too long";
		return -1;
	}
	return pathnorm_remove_dots(dec, declen, out, why);
}
