/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the strict base64url codec.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "b64url.h"

static int
decode(const char *in, unsigned char *out, size_t *outlen)
{
	return b64url_decode(in, strlen(in), out, 64, outlen);
}

static void
test_decodes_rfc4648_vectors(void **state)
{
	static const char *const enc[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg",
	    "Zm9vYmE", "Zm9vYmFy" };
	static const char *const dec[] = { "", "f", "fo", "foo", "foob",
	    "fooba", "foobar" };
	unsigned char out[64];
	size_t i, len;

	for (i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		assert_int_equal(decode(enc[i], out, &len), 0);
		assert_int_equal(len, strlen(dec[i]));
		assert_memory_equal(out, dec[i], len);
	}
}

static void
test_decodes_url_alphabet(void **state)
{
	unsigned char out[64];
	size_t len;

	assert_int_equal(decode("-_-_", out, &len), 0);
	assert_int_equal(len, 3);
	assert_int_equal(out[0], 0xfb);
	assert_int_equal(out[1], 0xff);
	assert_int_equal(out[2], 0xbf);
}

static void
test_refuses_padding_and_standard_alphabet(void **state)
{
	unsigned char out[64];
	size_t len;

	assert_int_equal(decode("Zg==", out, &len), -1);
	assert_int_equal(decode("Zm8=", out, &len), -1);
	assert_int_equal(decode("+/+/", out, &len), -1);
	assert_int_equal(decode("Zm9v\n", out, &len), -1);
	assert_int_equal(decode("Zm 9v", out, &len), -1);
	assert_int_equal(decode("Zm9v.", out, &len), -1);
}

static void
test_refuses_impossible_length(void **state)
{
	unsigned char out[64];
	size_t len;

	assert_int_equal(decode("Z", out, &len), -1);
	assert_int_equal(decode("Zm9vY", out, &len), -1);
}

static void
test_refuses_noncanonical_trailing_bits(void **state)
{
	unsigned char out[64];
	size_t len;

	/* "Zh" and "Zm9" decode to the same bytes as "Zg" and "Zm8" would
	 * if their unused low bits were ignored. */
	assert_int_equal(decode("Zh", out, &len), -1);
	assert_int_equal(decode("Zm9", out, &len), -1);
}

static void
test_refuses_embedded_nul(void **state)
{
	unsigned char out[64];
	size_t len;

	assert_int_equal(b64url_decode("Zm\0v", 4, out, sizeof(out), &len),
	    -1);
}

static void
test_refuses_small_output(void **state)
{
	unsigned char out[2];
	size_t len;

	assert_int_equal(b64url_decode("Zm9v", 4, out, sizeof(out), &len),
	    -1);
}

static void
test_encode_round_trips(void **state)
{
	unsigned char in[256], back[B64URL_DECODED_MAX(400)];
	char enc[400];
	size_t i, n, len;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + 11);
	for (n = 0; n < sizeof(in); n++) {
		assert_int_equal(b64url_encode(in, n, enc, sizeof(enc)),
		    B64URL_ENCODED_LEN(n));
		assert_null(strpbrk(enc, "+/="));
		assert_int_equal(b64url_decode(enc, strlen(enc), back,
		    sizeof(back), &len), 0);
		assert_int_equal(len, n);
		assert_memory_equal(back, in, n);
	}
}

static void
test_encode_refuses_small_output(void **state)
{
	char enc[4];

	assert_int_equal(b64url_encode((const unsigned char *)"foo", 3, enc,
	    sizeof(enc)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decodes_rfc4648_vectors),
		cmocka_unit_test(test_decodes_url_alphabet),
		cmocka_unit_test(test_refuses_padding_and_standard_alphabet),
		cmocka_unit_test(test_refuses_impossible_length),
		cmocka_unit_test(test_refuses_noncanonical_trailing_bits),
		cmocka_unit_test(test_refuses_embedded_nul),
		cmocka_unit_test(test_refuses_small_output),
		cmocka_unit_test(test_encode_round_trips),
		cmocka_unit_test(test_encode_refuses_small_output),
	};

	return cmocka_run_group_tests_name("b64url", tests, NULL, NULL);
}
