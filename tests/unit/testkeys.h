/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Keys, key directories and hand-made tokens for the unit tests.
 */
#ifndef XTOKEN_TESTKEYS_H
#define XTOKEN_TESTKEYS_H

#include <stddef.h>

#include <openssl/evp.h>

/* A fresh RSA key of bits bits; aborts the test run on failure. */
EVP_PKEY *testkeys_rsa(int bits);

/* A fresh P-256 key, for "wrong key type" cases. */
EVP_PKEY *testkeys_ec(void);

/* A new empty directory under /tmp; the caller removes it. */
char *testkeys_mkdir(void);

/* Remove dir and the files in it. */
void testkeys_rmdir(const char *dir);

/* Write pkey's public half (or its private key) as PEM to dir/name. */
void testkeys_write_public(const char *dir, const char *name,
    EVP_PKEY *pkey);
void testkeys_write_private(const char *dir, const char *name,
    EVP_PKEY *pkey);

/* Write text to dir/name. */
void testkeys_write_file(const char *dir, const char *name,
    const char *text);

/* The public key as PEM text; the caller frees it. */
char *testkeys_public_pem(EVP_PKEY *pkey);

/* b64u(header) "." b64u(payload) "." b64u(RS512 signature by key). */
char *testkeys_token(EVP_PKEY *key, const char *header, const char *payload);

/* Same, with the given signature bytes instead of a real one. */
char *testkeys_token_sig(const char *header, const char *payload,
    const unsigned char *sig, size_t siglen);

/* Same, with an HS512 MAC keyed with secret. */
char *testkeys_token_hs512(const char *header, const char *payload,
    const void *secret, size_t secretlen);

/*
 * The public RSA key as a JWK object text with optional kid and alg
 * (NULL to leave out) and extra members ("" for none, else a leading
 * ",\"name\":value" list); the caller frees it.
 */
char *testkeys_jwk_rsa(EVP_PKEY *pkey, const char *kid, const char *alg,
    const char *extra);

/* A token signed by key with alg (RS256, PS384, ...). */
char *testkeys_token_alg(EVP_PKEY *key, const char *alg, const char *header,
    const char *payload);

/* b64u of a text, for building malformed tokens; the caller frees it. */
char *testkeys_b64(const void *data, size_t len);

#endif
