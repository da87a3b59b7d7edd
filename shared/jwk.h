/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Public keys from JSON Web Keys (RFC 7517, RFC 7518 section 6).
 */
#ifndef XTOKEN_JWK_H
#define XTOKEN_JWK_H

#include <stddef.h>

#include <openssl/evp.h>

struct json_object;

/* What one JWK of a key set yields. */
struct jwk_key {
	EVP_PKEY	*pkey;
	const char	*kid;		/* inside the JSON object, or NULL */
	const char	*alg;		/* inside the JSON object, or NULL */
};

/*
 * Turn one JWK object into a public key: kty "RSA" (n, e), "EC" (crv
 * P-256, P-384 or P-521 with x and y of the curve's exact size) or "OKP"
 * (crv Ed25519, x).  A JWK that carries private members (d, p, q, dp, dq,
 * qi, oth, k) is refused outright: a verifier must never hold them.  "use",
 * when present, must be "sig"; "key_ops", when present, must contain
 * "verify".  Returns 0 and fills out (the caller frees out->pkey), or -1
 * with a sentence in err.
 */
int jwk_to_key(struct json_object *jwk, struct jwk_key *out, char *err,
    size_t errlen);

#endif
