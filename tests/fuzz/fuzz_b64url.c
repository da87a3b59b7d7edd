/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * libFuzzer harness for base64url: decoding then encoding gives back
 * the input exactly (one accepted spelling per byte string), encoding
 * then decoding gives back the bytes, and neither writes past the room
 * it is given.
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "b64url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decode data as text; if accepted, its encoding must be data. */
static void
fuzz_decode_first(const uint8_t *data, size_t size)
{
	size_t cap = B64URL_DECODED_MAX(size), outlen = 0, n;
	unsigned char *out = malloc(cap + 1);
	char *back;

	if (out == NULL)
		abort();
	if (b64url_decode((const char *)data, size, out, cap, &outlen) != 0) {
		free(out);
		return;
	}
	if (outlen > cap || B64URL_ENCODED_LEN(outlen) != size)
		abort();

	/* The same input with exactly the room the result needs. */
	if (outlen > 0 && b64url_decode((const char *)data, size, out,
	    outlen - 1, &n) == 0)
		abort();

	back = malloc(size + 1);
	if (back == NULL)
		abort();
	if (b64url_encode(out, outlen, back, size + 1) != size ||
	    memcmp(back, data, size) != 0)
		abort();
	free(back);
	free(out);
}

/* Encode data as bytes; decoding must give them back. */
static void
fuzz_encode_first(const uint8_t *data, size_t size)
{
	size_t enclen = B64URL_ENCODED_LEN(size), outlen = 0;
	size_t cap = B64URL_DECODED_MAX(enclen);
	char *enc = malloc(enclen + 1);
	unsigned char *out = malloc(cap);

	if (enc == NULL || out == NULL)
		abort();
	if (b64url_encode(data, size, enc, enclen + 1) != enclen)
		abort();
	if (enclen > 0 && b64url_encode(data, size, enc, enclen) != 0)
		abort();
	if (b64url_decode(enc, enclen, out, cap, &outlen) != 0 ||
	    outlen != size || memcmp(out, data, size) != 0)
		abort();
	free(enc);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_decode_first(data, size);
	fuzz_encode_first(data, size);
	return 0;
}
