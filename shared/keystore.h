/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The public keys of the calling applications, loaded once into memory.
 */
#ifndef XTOKEN_KEYSTORE_H
#define XTOKEN_KEYSTORE_H

#include <stddef.h>

#include <openssl/evp.h>

#include "alg.h"
#include "claims.h"

/* Suffix that names an application's public key file. */
#define KEYSTORE_SUFFIX		"_public.pem"
/* Largest key file read; a 16384-bit PEM key is about 3 KiB. */
#define KEYSTORE_MAX_FILE	(64 * 1024)

struct keystore_entry {
	char		 app_id[CLAIMS_APP_ID_MAX + 1];
	const struct alg *alg;
	EVP_PKEY	*pkey;
};

/* Entries sorted by app_id, so a lookup is a binary search. */
struct keystore {
	struct keystore_entry	*entries;
	size_t			 count;
};

/*
 * Load every "<appId>_public.pem" in dir, bound to alg.  Each must hold one
 * PEM "PUBLIC KEY" that alg accepts and an appId that claims_app_id_valid
 * accepts.  A private key file ("*_private.pem") in dir is an error: the
 * API host must never hold a caller's private key.  Other files are
 * ignored.  Returns 0, or -1 with a sentence in err naming the file; ks is
 * then empty.
 */
int keystore_load_dir(struct keystore *ks, const char *dir,
    const struct alg *alg, char *err, size_t errlen);

/*
 * The entry for app_id (len bytes) by exact match, or NULL.  The appId is
 * only ever a key into this table, never part of a path.
 */
const struct keystore_entry *keystore_find(const struct keystore *ks,
    const char *app_id, size_t len);

/* Free every key; ks becomes empty. */
void keystore_clear(struct keystore *ks);

#endif
