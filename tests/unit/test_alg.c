/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Unit tests of the signature algorithms: a round trip for each, and
 * every signature encoding and key the verifier must refuse.
 */
#include "autoconf.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "alg.h"

#define MSG	"eyJhbGciOiJFUzI1NiJ9.eyJhcHBJZCI6ImFwcDEifQ"

struct keys {
	EVP_PKEY	*rsa;		/* 2048 bits */
	EVP_PKEY	*rsa1024;
	EVP_PKEY	*p256;
	EVP_PKEY	*p384;
	EVP_PKEY	*p521;
	EVP_PKEY	*ed25519;
	EVP_PKEY	*ed448;
	EVP_PKEY	*k256;		/* secp256k1: not a JWS curve */
};

static struct keys k;

static EVP_PKEY *
gen(const char *type, const char *group)
{
	EVP_PKEY *pkey;

	if (group != NULL)
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, type, group);
	else
		pkey = EVP_PKEY_Q_keygen(NULL, NULL, type);
	if (pkey == NULL) {
		fprintf(stderr, "Bail out! cannot generate a %s key\n", type);
		exit(99);
	}
	return pkey;
}

static int
setup(void **state)
{
	k.rsa = EVP_RSA_gen(2048);
	k.rsa1024 = EVP_RSA_gen(1024);
	k.p256 = gen("EC", "P-256");
	k.p384 = gen("EC", "P-384");
	k.p521 = gen("EC", "P-521");
	k.ed25519 = gen("ED25519", NULL);
	k.ed448 = gen("ED448", NULL);
	k.k256 = gen("EC", "secp256k1");
	return k.rsa == NULL || k.rsa1024 == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	EVP_PKEY_free(k.rsa);
	EVP_PKEY_free(k.rsa1024);
	EVP_PKEY_free(k.p256);
	EVP_PKEY_free(k.p384);
	EVP_PKEY_free(k.p521);
	EVP_PKEY_free(k.ed25519);
	EVP_PKEY_free(k.ed448);
	EVP_PKEY_free(k.k256);
	return 0;
}

static const struct alg *
find(const char *name)
{
	const struct alg *alg = alg_find(name, strlen(name));

	assert_non_null(alg);
	return alg;
}

static int
verify(const char *name, EVP_PKEY *pkey, const unsigned char *sig,
    size_t siglen)
{
	return alg_verify(find(name), pkey, MSG, strlen(MSG), sig, siglen);
}

/* A signature of MSG by pkey with alg name; the caller frees it. */
static unsigned char *
sign(const char *name, EVP_PKEY *pkey, size_t *siglen)
{
	unsigned char *sig = NULL;

	assert_int_equal(alg_sign(find(name), pkey, MSG, strlen(MSG), &sig,
	    siglen), 0);
	assert_non_null(sig);
	return sig;
}

static int
key_ok(const char *name, EVP_PKEY *pkey)
{
	char err[256] = "";
	int r = alg_check_key(find(name), pkey, err, sizeof(err));

	/* A refusal always says why, naming the algorithm. */
	if (r != 0)
		assert_non_null(strstr(err, name));
	return r;
}

/* The group order n of an EC key's curve as len big-endian bytes. */
static void
order_of(int nid, unsigned char *out, size_t len)
{
	EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);

	assert_non_null(g);
	assert_int_equal(BN_bn2binpad(EC_GROUP_get0_order(g), out, (int)len),
	    (int)len);
	EC_GROUP_free(g);
}

/* sign, verify, and see a changed message or signature fail. */
static void
round_trip(const char *name, EVP_PKEY *pkey, size_t want_len)
{
	size_t siglen = 0;
	unsigned char *sig = sign(name, pkey, &siglen);

	assert_int_equal(key_ok(name, pkey), 0);
	assert_int_equal(siglen, want_len);
	assert_int_equal(verify(name, pkey, sig, siglen), 1);
	assert_int_equal(alg_verify(find(name), pkey, MSG, strlen(MSG) - 1,
	    sig, siglen), 0);
	sig[siglen / 2] ^= 0x01;
	assert_int_equal(verify(name, pkey, sig, siglen), 0);
	free(sig);
}

static void
test_round_trip_rsa(void **state)
{
	static const char *const names[] = {
		"RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		round_trip(names[i], k.rsa, 256);
}

static void
test_round_trip_ecdsa(void **state)
{
	round_trip("ES256", k.p256, 64);
	round_trip("ES384", k.p384, 96);
	round_trip("ES512", k.p521, 132);
}

static void
test_round_trip_eddsa(void **state)
{
	round_trip("EdDSA", k.ed25519, 64);
}

static void
test_find_only_asymmetric_names(void **state)
{
	static const char *const absent[] = {
		"none", "None", "HS256", "HS512", "es256", "ES256K", "Ed25519",
		"EDDSA", "ES256 ", "RS1", "",
	};
	size_t i;

	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		assert_null(alg_find(absent[i], strlen(absent[i])));
	assert_string_equal(alg_name(find("EdDSA")), "EdDSA");
	assert_string_equal(alg_name(find("ES384")), "ES384");
	assert_null(alg_find("ES2560", 5 + 1));
	assert_non_null(alg_find("ES2560", 5));
}

static void
test_refuses_wrong_lengths(void **state)
{
	unsigned char buf[300];
	size_t siglen, i;
	unsigned char *sig = sign("ES256", k.p256, &siglen);
	static const size_t rsa_lens[] = { 0, 3, 255, 257, 512 };

	memset(buf, 0x41, sizeof(buf));
	memcpy(buf, sig, siglen);
	assert_int_equal(verify("ES256", k.p256, buf, 63), 0);
	assert_int_equal(verify("ES256", k.p256, buf, 65), 0);
	assert_int_equal(verify("ES256", k.p256, buf, 0), 0);
	assert_int_equal(verify("ES384", k.p384, buf, 64), 0);
	assert_int_equal(verify("EdDSA", k.ed25519, buf, 63), 0);
	assert_int_equal(verify("EdDSA", k.ed25519, buf, 65), 0);
	for (i = 0; i < sizeof(rsa_lens) / sizeof(rsa_lens[0]); i++)
		assert_int_equal(verify("RS512", k.rsa, buf, rsa_lens[i]), 0);
	free(sig);
}

/* A valid signature in DER, as OpenSSL makes it, is not a JWS one. */
static void
test_refuses_der_on_the_wire(void **state)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[200];
	size_t derlen = sizeof(der);

	assert_non_null(ctx);
	assert_int_equal(EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
	    k.p256), 1);
	assert_int_equal(EVP_DigestSign(ctx, der, &derlen,
	    (const unsigned char *)MSG, strlen(MSG)), 1);
	EVP_MD_CTX_free(ctx);

	assert_true(derlen >= 8 && derlen <= 72);
	assert_int_equal(verify("ES256", k.p256, der, derlen), 0);

	/* The psychic signature in DER: SEQUENCE { INTEGER 0, INTEGER 0 } */
	assert_int_equal(verify("ES256", k.p256,
	    (const unsigned char *)"\x30\x06\x02\x01\x00\x02\x01\x00", 8), 0);
}

/* r or s of 0 or n: refused whatever the other half is. */
static void
refuse_out_of_range(const char *name, EVP_PKEY *pkey, int nid, size_t n)
{
	unsigned char order[66], bad[132];
	size_t siglen;
	unsigned char *sig = sign(name, pkey, &siglen);

	assert_int_equal(siglen, 2 * n);
	order_of(nid, order, n);

	memcpy(bad, sig, siglen);
	memset(bad, 0, n);				/* r = 0 */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	memcpy(bad, sig, siglen);
	memset(bad + n, 0, n);				/* s = 0 */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	memcpy(bad, sig, siglen);
	memcpy(bad, order, n);				/* r = n */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	memcpy(bad, sig, siglen);
	memcpy(bad + n, order, n);			/* s = n */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	memcpy(bad, order, n);				/* r = s = n */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	memset(bad, 0xff, siglen);			/* r, s > n */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	memset(bad, 0, siglen);				/* r = s = 0 */
	assert_int_equal(verify(name, pkey, bad, siglen), 0);
	free(sig);
}

static void
test_refuses_ecdsa_out_of_range(void **state)
{
	refuse_out_of_range("ES256", k.p256, NID_X9_62_prime256v1, 32);
	refuse_out_of_range("ES384", k.p384, NID_secp384r1, 48);
	refuse_out_of_range("ES512", k.p521, NID_secp521r1, 66);
}

/* CVE-2022-21449: all-zero signatures of every length we know. */
static void
test_refuses_psychic_signatures(void **state)
{
	unsigned char zero[132];

	memset(zero, 0, sizeof(zero));
	assert_int_equal(verify("ES256", k.p256, zero, 64), 0);
	assert_int_equal(verify("ES384", k.p384, zero, 96), 0);
	assert_int_equal(verify("ES512", k.p521, zero, 132), 0);
	assert_int_equal(verify("EdDSA", k.ed25519, zero, 64), 0);
}

/* ES512 with the leading byte of each half dropped (65 + 65 bytes). */
static void
test_refuses_es512_without_padding(void **state)
{
	unsigned char short_sig[130];
	size_t siglen;
	unsigned char *sig = sign("ES512", k.p521, &siglen);

	memcpy(short_sig, sig + 1, 65);
	memcpy(short_sig + 65, sig + 67, 65);
	assert_int_equal(verify("ES512", k.p521, short_sig, 130), 0);
	free(sig);
}

/* RFC 7518 section 3.4: a short r keeps its leading zero bytes, and such
 * a signature is as valid as any other. */
static void
test_accepts_ecdsa_with_leading_zero(void **state)
{
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int i;

	for (i = 0; i < 8192; i++) {
		sig = sign("ES256", k.p256, &siglen);
		if (sig[0] == 0)
			break;
		free(sig);
		sig = NULL;
	}
	assert_non_null(sig);
	assert_int_equal(siglen, 64);
	assert_int_equal(verify("ES256", k.p256, sig, siglen), 1);
	free(sig);
}

static void
test_refuses_mismatched_keys(void **state)
{
	assert_int_equal(key_ok("ES512", k.p256), -1);
	assert_int_equal(key_ok("ES256", k.p384), -1);
	assert_int_equal(key_ok("ES384", k.p521), -1);
	assert_int_equal(key_ok("ES256", k.rsa), -1);
	assert_int_equal(key_ok("ES256", k.ed25519), -1);
	assert_int_equal(key_ok("ES256", k.k256), -1);
	assert_int_equal(key_ok("RS512", k.p256), -1);
	assert_int_equal(key_ok("PS256", k.ed25519), -1);
	assert_int_equal(key_ok("EdDSA", k.p256), -1);
	assert_int_equal(key_ok("EdDSA", k.rsa), -1);
	assert_int_equal(key_ok("EdDSA", k.ed448), -1);
}

static void
test_refuses_rsa_1024(void **state)
{
	assert_int_equal(key_ok("RS512", k.rsa1024), -1);
	assert_int_equal(key_ok("PS256", k.rsa1024), -1);
	assert_int_equal(key_ok("RS512", k.rsa), 0);
}

/* Even a good signature fails with a key of another curve or type. */
static void
test_mismatched_key_never_verifies(void **state)
{
	size_t siglen;
	unsigned char *sig = sign("ES256", k.p256, &siglen);

	assert_int_not_equal(verify("ES256", k.k256, sig, siglen), 1);
	assert_int_not_equal(verify("EdDSA", k.p256, sig, siglen), 1);
	assert_int_not_equal(verify("RS256", k.p256, sig, siglen), 1);
	free(sig);
}

/* The same P-256 key written with explicit curve parameters. */
static EVP_PKEY *
explicit_p256(void)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	OSSL_PARAM params[3];
	EVP_PKEY *pkey = NULL;

	assert_non_null(ctx);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0);
	params[1] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_EC_ENCODING, (char *)"explicit", 0);
	params[2] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_PKEY_keygen_init(ctx), 1);
	assert_int_equal(EVP_PKEY_CTX_set_params(ctx, params), 1);
	assert_int_equal(EVP_PKEY_keygen(ctx, &pkey), 1);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

static void
test_refuses_explicit_curve(void **state)
{
	EVP_PKEY *pkey = explicit_p256();

	assert_int_equal(key_ok("ES256", pkey), -1);
	assert_null(alg_default_for_key(pkey, find("RS512")));
	EVP_PKEY_free(pkey);
}

/* A P-256 public key at the point at infinity, if OpenSSL builds one. */
static void
test_refuses_point_at_infinity(void **state)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	unsigned char inf = 0x00;
	OSSL_PARAM params[3];
	EVP_PKEY *pkey = NULL;

	assert_non_null(ctx);
	params[0] = OSSL_PARAM_construct_utf8_string(
	    OSSL_PKEY_PARAM_GROUP_NAME, (char *)"P-256", 0);
	params[1] = OSSL_PARAM_construct_octet_string(
	    OSSL_PKEY_PARAM_PUB_KEY, &inf, 1);
	params[2] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
	if (EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1) {
		assert_int_equal(key_ok("ES256", pkey), -1);
		EVP_PKEY_free(pkey);
	}
	EVP_PKEY_CTX_free(ctx);
}

static void
test_default_for_key(void **state)
{
	const struct alg *rs512 = find("RS512"), *ps256 = find("PS256");

	assert_ptr_equal(alg_default_for_key(k.rsa, rs512), rs512);
	assert_ptr_equal(alg_default_for_key(k.rsa, ps256), ps256);
	assert_null(alg_default_for_key(k.rsa, NULL));
	assert_null(alg_default_for_key(k.rsa, find("ES256")));
	assert_ptr_equal(alg_default_for_key(k.p256, rs512), find("ES256"));
	assert_ptr_equal(alg_default_for_key(k.p384, rs512), find("ES384"));
	assert_ptr_equal(alg_default_for_key(k.p521, NULL), find("ES512"));
	assert_ptr_equal(alg_default_for_key(k.ed25519, rs512),
	    find("EdDSA"));
	assert_null(alg_default_for_key(k.ed448, rs512));
	assert_null(alg_default_for_key(k.k256, rs512));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_rsa),
		cmocka_unit_test(test_round_trip_ecdsa),
		cmocka_unit_test(test_round_trip_eddsa),
		cmocka_unit_test(test_find_only_asymmetric_names),
		cmocka_unit_test(test_refuses_wrong_lengths),
		cmocka_unit_test(test_refuses_der_on_the_wire),
		cmocka_unit_test(test_refuses_ecdsa_out_of_range),
		cmocka_unit_test(test_refuses_psychic_signatures),
		cmocka_unit_test(test_refuses_es512_without_padding),
		cmocka_unit_test(test_accepts_ecdsa_with_leading_zero),
		cmocka_unit_test(test_refuses_mismatched_keys),
		cmocka_unit_test(test_refuses_rsa_1024),
		cmocka_unit_test(test_mismatched_key_never_verifies),
		cmocka_unit_test(test_refuses_explicit_curve),
		cmocka_unit_test(test_refuses_point_at_infinity),
		cmocka_unit_test(test_default_for_key),
	};

	return cmocka_run_group_tests_name("alg", tests, setup, teardown);
}
