/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Strict base64url: one accepted spelling for every byte string, so two
 * different tokens can never carry the same signed bytes.
 */
#include "autoconf.h"

#include <stdint.h>

#include "b64url.h"

static const char b64url_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * Value + 1 of each character of the URL alphabet, 0 for every other
 * byte: one load per character instead of a chain of range tests, since
 * a token's signature alone is hundreds of characters.
 */
static const unsigned char b64url_values[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6,
	['G'] = 7, ['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12,
	['M'] = 13, ['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18,
	['S'] = 19, ['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24,
	['Y'] = 25, ['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30,
	['e'] = 31, ['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36,
	['k'] = 37, ['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42,
	['q'] = 43, ['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48,
	['w'] = 49, ['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54,
	['2'] = 55, ['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60,
	['8'] = 61, ['9'] = 62, ['-'] = 63, ['_'] = 64,
};

/* Value of one character, or -1 for anything outside the URL alphabet. */
static int
b64url_value(unsigned char c)
{
	return (int)b64url_values[c] - 1;
}

/* Decode up to four characters into *bits; -1 on a foreign character. */
static int
b64url_gather(const char *in, size_t n, uint32_t *bits)
{
	size_t i;
	int v;

	*bits = 0;
	for (i = 0; i < 4; i++) {
		v = 0;
		if (i < n) {
			v = b64url_value((unsigned char)in[i]);
			if (v < 0)
				return -1;
		}
		*bits = (*bits << 6) | (uint32_t)v;
	}
	return 0;
}

/*
 * Decode the whole groups of four characters at the start of in, the
 * bulk of every segment, with no per-character branches.  Returns how
 * many characters were decoded; it stops early at a foreign character,
 * which b64url_decode's general loop then refuses.
 */
static size_t
b64url_decode_groups(const char *in, size_t inlen, unsigned char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	unsigned int a, b, c, d;
	uint32_t bits;
	size_t pos;

	for (pos = 0; inlen - pos >= 4; pos += 4) {
		a = b64url_values[p[pos]];
		b = b64url_values[p[pos + 1]];
		c = b64url_values[p[pos + 2]];
		d = b64url_values[p[pos + 3]];
		if (a == 0 || b == 0 || c == 0 || d == 0)
			break;
		bits = (a - 1) << 18 | (b - 1) << 12 | (c - 1) << 6 | (d - 1);
		*out++ = (unsigned char)(bits >> 16);
		*out++ = (unsigned char)(bits >> 8);
		*out++ = (unsigned char)bits;
	}
	return pos;
}

int
b64url_decode(const char *in, size_t inlen, unsigned char *out,
    size_t outcap, size_t *outlen)
{
	size_t pos, n, bytes, o;
	uint32_t bits;

	/* 4n+1 characters cannot come from any byte string. */
	if (inlen % 4 == 1)
		return -1;
	if (outcap < B64URL_DECODED_MAX(inlen))
		return -1;

	/* A whole group has no unused bits, so it needs none of the
	 * checks below; the general loop takes the short tail. */
	pos = b64url_decode_groups(in, inlen, out);
	o = pos / 4 * 3;

	for (; pos < inlen; pos += 4) {
		n = inlen - pos < 4 ? inlen - pos : 4;
		if (b64url_gather(in + pos, n, &bits) != 0)
			return -1;
		bytes = n - 1;

		/*
		 * The last group's unused low bits must be zero: otherwise
		 * several spellings would decode to the same bytes.
		 */
		if (bytes == 1 && (bits & 0xffff) != 0)
			return -1;
		if (bytes == 2 && (bits & 0xff) != 0)
			return -1;

		out[o++] = (unsigned char)(bits >> 16);
		if (bytes >= 2)
			out[o++] = (unsigned char)(bits >> 8);
		if (bytes >= 3)
			out[o++] = (unsigned char)bits;
	}

	*outlen = o;
	return 0;
}

size_t
b64url_encode(const unsigned char *in, size_t inlen, char *out,
    size_t outcap)
{
	size_t i, o = 0, left;
	uint32_t bits;

	if (outcap < B64URL_ENCODED_LEN(inlen) + 1)
		return 0;

	for (i = 0; i < inlen; i += 3) {
		left = inlen - i;
		bits = (uint32_t)in[i] << 16;
		if (left > 1)
			bits |= (uint32_t)in[i + 1] << 8;
		if (left > 2)
			bits |= in[i + 2];

		out[o++] = b64url_alphabet[(bits >> 18) & 63];
		out[o++] = b64url_alphabet[(bits >> 12) & 63];
		if (left > 1)
			out[o++] = b64url_alphabet[(bits >> 6) & 63];
		if (left > 2)
			out[o++] = b64url_alphabet[bits & 63];
	}

	out[o] = '\0';
	return o;
}
