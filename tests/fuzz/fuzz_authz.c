/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * libFuzzer harness for the authorizer's choice of token between the
 * x-token and Authorization headers.  The first byte says which headers
 * are sent; the rest is split at its first NUL into the two values, as
 * the front server hands them over (NUL-terminated).
 */
#include "autoconf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* True if p lies within the size bytes at base. */
static int
fuzz_within(const char *p, const char *base, size_t size)
{
	return base != NULL && p >= base && p <= base + size;
}

static void
fuzz_check(enum reason_code r, const char *x_token, const char *auth,
    size_t auth_len, const char *token, size_t len)
{
	if (r == REASON_NO_TOKEN || r == REASON_AMBIGUOUS_TOKEN)
		return;
	if (r != REASON_OK)
		abort();

	/* An accepted token is a non-empty tail of one of the headers. */
	if (len == 0 || strlen(token) != len)
		abort();
	if (x_token != NULL && *x_token != '\0') {
		if (token != x_token)
			abort();
	} else if (!fuzz_within(token, auth, auth_len)) {
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *x_token, *auth, *nul;
	const char *token = NULL;
	size_t len = 0, auth_len;
	enum reason_code r;

	if (size < 1)
		return 0;
	buf = malloc(size + 1);
	if (buf == NULL)
		abort();
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = '\0';

	nul = memchr(buf, '\0', size - 1);
	x_token = buf;
	auth = nul != NULL ? nul + 1 : buf + size - 1;
	auth_len = strlen(auth);
	if (data[0] & 1)
		x_token = NULL;
	if (data[0] & 2)
		auth = NULL;

	r = authz_find_token(x_token, auth, &token, &len);
	fuzz_check(r, x_token, auth, auth_len, token, len);
	free(buf);
	return 0;
}
