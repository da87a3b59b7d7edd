/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Strict base64url (RFC 4648 section 5) without padding, as JWS uses it.
 */
#ifndef XTOKEN_B64URL_H
#define XTOKEN_B64URL_H

#include <stddef.h>

/* Bytes needed to decode inlen characters, and to encode inlen bytes. */
#define B64URL_DECODED_MAX(inlen)	(((inlen) / 4) * 3 + 2)
#define B64URL_ENCODED_LEN(inlen)	(((inlen) / 3) * 4 + \
					 ((inlen) % 3 ? (inlen) % 3 + 1 : 0))

/*
 * Decode inlen characters of in into out (outcap bytes).  Only the URL-safe
 * alphabet is accepted: no padding, no whitespace, no '+' or '/', no length
 * of the form 4n+1, and the unused low bits of the last character must be
 * zero, so every byte string has exactly one accepted encoding.
 * Returns 0 and sets *outlen, or -1 on any deviation or if out is too small.
 */
int b64url_decode(const char *in, size_t inlen, unsigned char *out,
    size_t outcap, size_t *outlen);

/*
 * Encode inlen bytes into out without padding and NUL-terminate it.
 * Returns the number of characters written, or 0 if outcap is too small
 * (it must hold B64URL_ENCODED_LEN(inlen) + 1).
 */
size_t b64url_encode(const unsigned char *in, size_t inlen, char *out,
    size_t outcap);

#endif
