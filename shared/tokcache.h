/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * A bounded memory of tokens that verified, so a caller that sends the
 * same token for its whole lifetime pays for one signature check.
 */
#ifndef XTOKEN_TOKCACHE_H
#define XTOKEN_TOKCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Entries are found by the SHA-256 of the whole token. */
#define TOKCACHE_DIGEST_LEN	32

/* Entries per set: a lookup compares at most this many digests. */
#define TOKCACHE_WAYS		8

/* Most entries one cache may hold (about 0.5 GB at most). */
#define TOKCACHE_MAX_ENTRIES	1000000

struct tokcache;

/*
 * A cache of at least entries entries (rounded up to a whole number of
 * sets of TOKCACHE_WAYS), each keeping value_size bytes.  Returns NULL if
 * entries is 0 or above TOKCACHE_MAX_ENTRIES, or out of memory.  Safe to
 * use from several threads at once: each set is guarded by one of a fixed
 * number of locks.
 */
struct tokcache *tokcache_new(size_t entries, size_t value_size);

void tokcache_free(struct tokcache *tc);

/* Number of entries the cache can hold. */
size_t tokcache_capacity(const struct tokcache *tc);

/*
 * SHA-256 of the len bytes of token into digest.  Returns 0, or -1 if
 * the digest could not be computed (out of memory).
 */
int tokcache_digest(const char *token, size_t len,
    unsigned char digest[TOKCACHE_DIGEST_LEN]);

/* SHA-256 of a (alen bytes) followed by b (blen bytes), the same way. */
int tokcache_digest2(const void *a, size_t alen, const void *b, size_t blen,
    unsigned char digest[TOKCACHE_DIGEST_LEN]);

/*
 * A quick 64-bit fingerprint of the len bytes of token (its length and
 * its last 64 bytes, the end of its signature), keyed with a secret of
 * this cache; not a digest: it only says which tokens are worth a digest.
 */
uint64_t tokcache_fingerprint(const struct tokcache *tc, const char *token,
    size_t len);

/*
 * True if a token with this fingerprint verified before (tokcache_see),
 * as far as the cache remembers: only such a token can be in the cache,
 * so for any other the digest and the lookup can be skipped.
 */
bool tokcache_seen(const struct tokcache *tc, uint64_t fingerprint);

/* Remember that a token with this fingerprint verified once. */
void tokcache_see(struct tokcache *tc, uint64_t fingerprint);

/*
 * Copy the value stored under digest into value (value_size bytes).
 * Returns true on a hit.  Digests are compared in full, so two different
 * tokens never share an entry.
 */
bool tokcache_get(struct tokcache *tc,
    const unsigned char digest[TOKCACHE_DIGEST_LEN], void *value);

/*
 * Store value (value_size bytes) under digest.  expires is the time after
 * which the entry is worth nothing (the token's exp): when the digest's
 * set is full, the entry that expires first makes room.  A digest stored
 * twice keeps one entry.
 */
void tokcache_put(struct tokcache *tc,
    const unsigned char digest[TOKCACHE_DIGEST_LEN], int64_t expires,
    const void *value);

#endif
