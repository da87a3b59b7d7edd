/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The JWS signature algorithms xtoken verifies (RFC 7518 sections 3.3 to
 * 3.5, RFC 8037): RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA
 * with Ed25519.
 */
#ifndef XTOKEN_ALG_H
#define XTOKEN_ALG_H

#include <stddef.h>

#include <openssl/evp.h>

/* Smallest RSA modulus accepted (RFC 7518 section 3.3). */
#define ALG_RSA_MIN_BITS	2048
#define ALG_RSA_MAX_BITS	16384

struct alg;

/*
 * The algorithm called name (len bytes, exact and case-sensitive), or NULL.
 * Only asymmetric algorithms exist here: "none" and the HMAC family are
 * not in the table, so a token can never talk the verifier into them.
 */
const struct alg *alg_find(const char *name, size_t len);

/* The algorithm's JWS name, e.g. "RS512". */
const char *alg_name(const struct alg *alg);

/*
 * Check that pkey may be used with alg.  RS* and PS*: an RSA key with a
 * modulus of ALG_RSA_MIN_BITS to ALG_RSA_MAX_BITS and an odd public
 * exponent above 1.  ES256, ES384, ES512: an EC key on exactly P-256,
 * P-384, P-521 (named, not explicit parameters) whose point passes
 * OpenSSL's public key check.  EdDSA: an Ed25519 key.
 * Returns 0, or -1 with a sentence in err.
 */
int alg_check_key(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen);

/*
 * The algorithm a key is used with when its file does not say: an RSA key
 * gets rsa_default (NULL if rsa_default is not RS* or PS*), a P-256,
 * P-384 or P-521 key ES256, ES384 or ES512, an Ed25519 key EdDSA; any
 * other key NULL.  The key itself is not checked: call alg_check_key on
 * the result.
 */
const struct alg *alg_default_for_key(EVP_PKEY *pkey,
    const struct alg *rsa_default);

/*
 * Verify sig over msg with pkey, which alg_check_key accepted for alg.
 * The signature is checked in its JWS form before OpenSSL sees it: RS*
 * and PS* exactly the modulus length; ES* exactly r || s of the curve's
 * size (64, 96, 132 bytes), never DER, with r and s in [1, n-1]; EdDSA
 * exactly 64 bytes.  Returns 1 if it verifies, 0 if it does not, -1 on an
 * internal failure (out of memory, no digest).  Thread-safe: pkey is only
 * read.
 */
int alg_verify(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, const unsigned char *sig, size_t siglen);

/*
 * What verifying with one key needs, prepared once and reused: for RS*,
 * PS* and ES* a pool of contexts already bound to the key, its padding
 * and its digest, so a request neither looks anything up in OpenSSL's
 * provider tables nor allocates once the pool is warm.
 */
struct alg_prepared;

/*
 * Prepare verification with pkey, which alg_check_key accepted for alg.
 * The key is borrowed: it must outlive the result.  Contexts are made on
 * first use, so preparing thousands of keys costs little at start-up.
 * Returns NULL when out of memory.
 */
struct alg_prepared *alg_prepare(const struct alg *alg, EVP_PKEY *pkey);

/*
 * Exactly alg_verify for the prepared algorithm and key, with the same
 * checks of the signature's JWS form and the same results.  Thread-safe:
 * each call takes its own context from the pool.
 */
int alg_verify_prepared(struct alg_prepared *prep, const void *msg,
    size_t msglen, const unsigned char *sig, size_t siglen);

/* Free the pool and its contexts (not the key); NULL is ignored. */
void alg_prepared_free(struct alg_prepared *prep);

/*
 * Sign msg with the private key pkey (for xtoken-mint and the tests; the
 * authorizer never signs).  ES* signatures come out in the JWS form, r || s
 * with each half left-padded to the curve's size.  Returns 0 with a
 * malloc'ed *sig of *siglen bytes, or -1.
 */
int alg_sign(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, unsigned char **sig, size_t *siglen);

#endif
