/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The JWS signature algorithms xtoken verifies (RFC 7518 section 3).
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
 * The algorithm a key is bound to when its source names none: rsa_default
 * for RSA keys, else NULL (no algorithm for this kind of key).
 */
const struct alg *alg_default_for_key(EVP_PKEY *pkey,
    const struct alg *rsa_default);

/*
 * Check that pkey may be used with alg: the right key type, an RSA
 * modulus of ALG_RSA_MIN_BITS or more and an odd public exponent above 1.
 * Returns 0, or -1 with a sentence in err.
 */
int alg_check_key(const struct alg *alg, EVP_PKEY *pkey, char *err,
    size_t errlen);

/*
 * Verify sig over msg with pkey.  The signature must be exactly as long
 * as the key's modulus before OpenSSL sees it.  Returns 1 if it verifies,
 * 0 if it does not, -1 on an internal failure (out of memory, no digest).
 * Thread-safe: pkey is only read.
 */
int alg_verify(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, const unsigned char *sig, size_t siglen);

/*
 * Sign msg with the private key pkey (for xtoken-mint and the tests; the
 * authorizer never signs).  Returns 0 with a malloc'ed *sig of *siglen
 * bytes, or -1.
 */
int alg_sign(const struct alg *alg, EVP_PKEY *pkey, const void *msg,
    size_t msglen, unsigned char **sig, size_t *siglen);

#endif
