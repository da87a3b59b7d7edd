/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The cache of verified tokens: a set-associative table with lock
 * striping.  One table shared by all request threads, rather than one per
 * thread, because the front server hands a caller's requests to any
 * thread: per-thread tables would verify every token once per thread and
 * hold it as many times.  Striped locks keep threads that look up
 * different tokens from waiting on each other.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "tokcache.h"

/* Locks shared out over the sets. */
#define TOKCACHE_LOCKS		64

/* One entry; the caller's value follows it in the same slot. */
struct tokcache_slot {
	unsigned char	 digest[TOKCACHE_DIGEST_LEN];
	bool		 used;
};

/*
 * What a lookup reads first, kept apart from the slots: a miss, the
 * usual case for a fresh token, then touches two cache lines per set
 * instead of every slot of the set.
 */
struct tokcache_tag {
	uint64_t	 tag;		/* tokcache_tag_of, 0 if unused */
	int64_t		 expires;
};

/*
 * The doorkeeper: fingerprints of tokens that verified once, so that a
 * token enters the cache on its second good check.  Tokens seen only once
 * then cost no SHA-256 and push no reused token out; a token a caller
 * reuses pays for one more full check.  A fingerprint decides nothing
 * about any token: a collision or a lost fingerprint only changes whether
 * the cache is asked, and the cache compares whole digests.
 */
struct tokcache_door {
	_Atomic uint64_t *seen;		/* 0: empty */
	size_t		 mask;
	uint64_t	 key;		/* random, per cache */
};

struct tokcache {
	struct tokcache_door door;
	unsigned char	*slots;		/* nsets * TOKCACHE_WAYS slots */
	struct tokcache_tag *tags;	/* one per slot, in the same order */
	size_t		 slot_size;
	size_t		 value_size;
	size_t		 nsets;
	size_t		 nlocks;
	pthread_mutex_t	 locks[TOKCACHE_LOCKS];
};

/*
 * The digest is fetched once: a fetch per token would walk OpenSSL's
 * provider tables on every request.  Each thread hashes with a context of
 * its own, made on first use and freed when the thread ends, so hashing
 * a token allocates nothing.
 */
static EVP_MD *tokcache_sha256;
static pthread_key_t tokcache_ctx_key;
static bool tokcache_ctx_key_ok;
static pthread_once_t tokcache_once = PTHREAD_ONCE_INIT;

static void
tokcache_ctx_free(void *ctx)
{
	EVP_MD_CTX_free(ctx);
}

static void
tokcache_init(void)
{
	tokcache_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	tokcache_ctx_key_ok = pthread_key_create(&tokcache_ctx_key,
	    tokcache_ctx_free) == 0;
	ERR_clear_error();
}

/* This thread's hashing context, or NULL when out of memory. */
static EVP_MD_CTX *
tokcache_ctx(void)
{
	EVP_MD_CTX *ctx;

	if (tokcache_sha256 == NULL || !tokcache_ctx_key_ok)
		return NULL;
	ctx = pthread_getspecific(tokcache_ctx_key);
	if (ctx != NULL)
		return ctx;

	ctx = EVP_MD_CTX_new();
	if (ctx != NULL && pthread_setspecific(tokcache_ctx_key, ctx) != 0) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return ctx;
}

/* Room for twice as many fingerprints as the cache has entries. */
static int
tokcache_door_init(struct tokcache_door *door, size_t entries)
{
	size_t n = 64;

	while (n < 2 * entries)
		n *= 2;
	door->seen = calloc(n, sizeof(*door->seen));
	if (door->seen == NULL)
		return -1;
	door->mask = n - 1;
	/* A guessable key would only let someone lower the hit rate: the
	 * fingerprint never decides a verdict. */
	if (RAND_bytes((unsigned char *)&door->key, sizeof(door->key)) != 1)
		door->key = (uint64_t)(uintptr_t)door->seen ^ 0x5bd1e995u;
	ERR_clear_error();
	return 0;
}

struct tokcache *
tokcache_new(size_t entries, size_t value_size)
{
	struct tokcache *tc;
	size_t i;

	if (entries == 0 || entries > TOKCACHE_MAX_ENTRIES)
		return NULL;
	tc = calloc(1, sizeof(*tc));
	if (tc == NULL)
		return NULL;

	/* Slots stay 8-byte aligned, so the values inside them are too. */
	tc->value_size = value_size;
	tc->slot_size = (sizeof(struct tokcache_slot) + value_size + 7) &
	    ~(size_t)7;
	tc->nsets = (entries + TOKCACHE_WAYS - 1) / TOKCACHE_WAYS;
	tc->nlocks = tc->nsets < TOKCACHE_LOCKS ? tc->nsets : TOKCACHE_LOCKS;

	/* calloc: pages of sets never used are never touched. */
	tc->slots = calloc(tc->nsets * TOKCACHE_WAYS, tc->slot_size);
	tc->tags = calloc(tc->nsets * TOKCACHE_WAYS, sizeof(*tc->tags));
	if (tc->slots == NULL || tc->tags == NULL) {
		free(tc->slots);
		free(tc->tags);
		free(tc);
		return NULL;
	}
	if (tokcache_door_init(&tc->door, tc->nsets * TOKCACHE_WAYS) != 0) {
		free(tc->slots);
		free(tc->tags);
		free(tc);
		return NULL;
	}
	for (i = 0; i < tc->nlocks; i++)
		pthread_mutex_init(&tc->locks[i], NULL);
	return tc;
}

void
tokcache_free(struct tokcache *tc)
{
	size_t i;

	if (tc == NULL)
		return;
	for (i = 0; i < tc->nlocks; i++)
		pthread_mutex_destroy(&tc->locks[i]);
	free(tc->slots);
	free(tc->tags);
	free(tc->door.seen);
	free(tc);
}

/* One step of the fingerprint: mix a word into the state. */
static uint64_t
tokcache_mix(uint64_t h, uint64_t word)
{
	h ^= word;
	h *= UINT64_C(0x9e3779b97f4a7c15);
	return h ^ (h >> 29);
}

/*
 * The last TOKCACHE_PRINT_BYTES bytes of a token are the end of its
 * signature, which differs from token to token: they and the length are
 * enough to tell tokens apart here, and reading the whole token would
 * cost a fresh token as much as the digest the doorkeeper saves.  Tokens
 * made to share an end only share a fingerprint: they are still hashed
 * and compared whole.
 */
#define TOKCACHE_PRINT_BYTES	64

uint64_t
tokcache_fingerprint(const struct tokcache *tc, const char *token,
    size_t len)
{
	size_t n = len < TOKCACHE_PRINT_BYTES ? len : TOKCACHE_PRINT_BYTES;
	const char *p = token + len - n;
	uint64_t h = tc->door.key ^ len, word;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&word, p + i, 8);
		h = tokcache_mix(h, word);
	}
	word = 0;
	memcpy(&word, p + i, n - i);
	h = tokcache_mix(tokcache_mix(h, word), len);

	/* Never 0, which marks an empty place. */
	return h | 1;
}

bool
tokcache_seen(const struct tokcache *tc, uint64_t fingerprint)
{
	return atomic_load_explicit(&tc->door.seen[fingerprint &
	    tc->door.mask], memory_order_relaxed) == fingerprint;
}

void
tokcache_see(struct tokcache *tc, uint64_t fingerprint)
{
	atomic_store_explicit(&tc->door.seen[fingerprint & tc->door.mask],
	    fingerprint, memory_order_relaxed);
}

size_t
tokcache_capacity(const struct tokcache *tc)
{
	return tc->nsets * TOKCACHE_WAYS;
}

int
tokcache_digest(const char *token, size_t len,
    unsigned char digest[TOKCACHE_DIGEST_LEN])
{
	return tokcache_digest2(token, len, NULL, 0, digest);
}

int
tokcache_digest2(const void *a, size_t alen, const void *b, size_t blen,
    unsigned char digest[TOKCACHE_DIGEST_LEN])
{
	EVP_MD_CTX *ctx;
	int ok;

	pthread_once(&tokcache_once, tokcache_init);
	ctx = tokcache_ctx();
	if (ctx == NULL)
		return -1;
	ok = EVP_DigestInit_ex2(ctx, tokcache_sha256, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, a, alen) == 1 &&
	    (blen == 0 || EVP_DigestUpdate(ctx, b, blen) == 1) &&
	    EVP_DigestFinal_ex(ctx, digest, NULL) == 1;
	/* Peeking is cheap; clearing walks the whole queue every time. */
	if (ERR_peek_error() != 0)
		ERR_clear_error();
	return ok ? 0 : -1;
}

/* SHA-256 output is uniform, so its first bytes pick the set. */
static size_t
tokcache_set_of(const struct tokcache *tc,
    const unsigned char digest[TOKCACHE_DIGEST_LEN])
{
	uint64_t h;

	memcpy(&h, digest, sizeof(h));
	return (size_t)(h % tc->nsets);
}

static struct tokcache_slot *
tokcache_slot(const struct tokcache *tc, size_t set, size_t way)
{
	return (struct tokcache_slot *)(tc->slots +
	    (set * TOKCACHE_WAYS + way) * tc->slot_size);
}

static pthread_mutex_t *
tokcache_lock_of(struct tokcache *tc, size_t set)
{
	return &tc->locks[set % tc->nlocks];
}

/* Bytes of the digest the set index does not use; never 0. */
static uint64_t
tokcache_tag_of(const unsigned char digest[TOKCACHE_DIGEST_LEN])
{
	uint64_t t;

	memcpy(&t, digest + 8, sizeof(t));
	return t | 1;
}

/* The used slot of set holding digest, or NULL, and its way; called
 * locked. */
static struct tokcache_slot *
tokcache_find(const struct tokcache *tc, size_t set,
    const unsigned char digest[TOKCACHE_DIGEST_LEN], size_t *way)
{
	const struct tokcache_tag *tags = tc->tags + set * TOKCACHE_WAYS;
	uint64_t tag = tokcache_tag_of(digest);
	struct tokcache_slot *s;

	for (*way = 0; *way < TOKCACHE_WAYS; (*way)++) {
		if (tags[*way].tag != tag)
			continue;
		s = tokcache_slot(tc, set, *way);
		if (s->used && CRYPTO_memcmp(s->digest, digest,
		    TOKCACHE_DIGEST_LEN) == 0)
			return s;
	}
	return NULL;
}

bool
tokcache_get(struct tokcache *tc,
    const unsigned char digest[TOKCACHE_DIGEST_LEN], void *value)
{
	size_t set = tokcache_set_of(tc, digest);
	pthread_mutex_t *lock = tokcache_lock_of(tc, set);
	struct tokcache_slot *s;
	size_t way;

	pthread_mutex_lock(lock);
	s = tokcache_find(tc, set, digest, &way);
	if (s != NULL)
		memcpy(value, s + 1, tc->value_size);
	pthread_mutex_unlock(lock);
	return s != NULL;
}

/* An unused way of the set, else the one that expires first. */
static size_t
tokcache_victim(const struct tokcache *tc, size_t set)
{
	const struct tokcache_tag *tags = tc->tags + set * TOKCACHE_WAYS;
	size_t way, victim = 0;

	for (way = 0; way < TOKCACHE_WAYS; way++) {
		if (tags[way].tag == 0)
			return way;
		if (tags[way].expires < tags[victim].expires)
			victim = way;
	}
	return victim;
}

void
tokcache_put(struct tokcache *tc,
    const unsigned char digest[TOKCACHE_DIGEST_LEN], int64_t expires,
    const void *value)
{
	size_t set = tokcache_set_of(tc, digest);
	pthread_mutex_t *lock = tokcache_lock_of(tc, set);
	struct tokcache_tag *t;
	struct tokcache_slot *s;
	size_t way;

	pthread_mutex_lock(lock);
	if (tokcache_find(tc, set, digest, &way) == NULL)
		way = tokcache_victim(tc, set);
	s = tokcache_slot(tc, set, way);
	t = &tc->tags[set * TOKCACHE_WAYS + way];

	memcpy(s->digest, digest, TOKCACHE_DIGEST_LEN);
	memcpy(s + 1, value, tc->value_size);
	s->used = true;
	t->tag = tokcache_tag_of(digest);
	t->expires = expires;
	pthread_mutex_unlock(lock);
}
