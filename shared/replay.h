/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The memory of tokens already used: a bounded table of token IDs, each
 * kept until its token could no longer be accepted anyway.
 */
#ifndef XTOKEN_REPLAY_H
#define XTOKEN_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "verifier.h"

/* How far from its home slot a token ID may be placed. */
#define REPLAY_PROBE		64
#define REPLAY_MIN_CAPACITY	REPLAY_PROBE

struct replay_entry {
	unsigned char	id[VERIFIER_TOKEN_ID_LEN];
	int64_t		until;		/* seconds; 0 = never used */
};

/* Plain data, no pointers: valid in memory mapped at any address. */
struct replay_table {
	uint64_t		capacity;
	struct replay_entry	entries[];
};

/* Bytes a table of capacity entries takes. */
size_t replay_table_size(size_t capacity);

/* Make mem (replay_table_size(capacity) zeroed bytes) an empty table. */
void replay_table_init(struct replay_table *table, size_t capacity);

enum replay_verdict {
	REPLAY_NEW,		/* remembered now; first use */
	REPLAY_SEEN,		/* remembered before and not yet expired */
	REPLAY_FULL		/* no room: the caller must refuse */
};

/*
 * Remember token id until the time until (seconds since the epoch; the
 * token's exp plus leeway), at now.  An entry whose time has passed is
 * free again: its token would be refused as expired.  When every entry
 * the id may use holds a live token, the answer is REPLAY_FULL rather
 * than forgetting a live token, which would let that one be replayed.
 * The caller locks the table.
 */
enum replay_verdict replay_remember(struct replay_table *table,
    const unsigned char *id, int64_t until, int64_t now);

/* Live entries at now, for reports and tests (a full scan). */
size_t replay_count(const struct replay_table *table, int64_t now);

#endif
