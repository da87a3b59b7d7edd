/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The public keys of the calling applications, loaded once into memory.
 */
#ifndef XTOKEN_KEYSTORE_H
#define XTOKEN_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>

#include "alg.h"
#include "claims.h"

/*
 * Key files, all named after the application ID:
 *   <appId>_public.pem        one PEM public key, no key ID
 *   <appId>@<kid>_public.pem  one PEM public key with key ID kid
 *   <appId>_jwks.json         a JWK Set (RFC 7517) of the application
 */
#define KEYSTORE_PEM_SUFFIX	"_public.pem"
#define KEYSTORE_JWKS_SUFFIX	"_jwks.json"
#define KEYSTORE_KID_MARK	'@'
#define KEYSTORE_KID_MAX	128
/* Largest key file read; a JWK Set of a few large keys fits easily. */
#define KEYSTORE_MAX_FILE	(256 * 1024)

struct keystore_entry {
	char		 app_id[CLAIMS_APP_ID_MAX + 1];
	char		 kid[KEYSTORE_KID_MAX + 1];	/* "" if none */
	const struct alg *alg;		/* the one algorithm of this key */
	EVP_PKEY	*pkey;
	struct alg_prepared *prep;	/* verification state of pkey */
	char		*source;	/* file name, for explanations */
};

/* Entries sorted by app_id, then kid, so lookups are binary searches. */
struct keystore {
	struct keystore_entry	*entries;
	size_t			 count;
};

/*
 * True if kid (len bytes) may be a key ID: 1 to KEYSTORE_KID_MAX
 * printable ASCII characters without spaces.
 */
bool keystore_kid_valid(const char *kid, size_t len);

/*
 * Load every key file in dir.  Each key is bound to exactly one algorithm:
 * a JWK's "alg" when it has one, else rsa_alg for RSA keys and the
 * algorithm of the curve for EC and Ed25519 keys; the key must fit it
 * (alg_check_key).  A private key anywhere ("*_private.pem", a JWK with
 * private members) is an error: the API host must never hold a caller's
 * private key.  Two keys with the same appId and kid are an error.  Other
 * files are ignored.  Returns 0, or -1 with a sentence in err naming the
 * file; ks is then empty.
 */
int keystore_load_dir(struct keystore *ks, const char *dir,
    const struct alg *rsa_alg, char *err, size_t errlen);

/*
 * The keys of app_id (len bytes) by exact match: returns how many and
 * sets *first to the first of them.  The appId is only ever a key into
 * this table, never part of a path.
 */
size_t keystore_app_keys(const struct keystore *ks, const char *app_id,
    size_t len, const struct keystore_entry **first);

/* Number of distinct applications. */
size_t keystore_app_count(const struct keystore *ks);

/* Free every key; ks becomes empty. */
void keystore_clear(struct keystore *ks);

#endif
