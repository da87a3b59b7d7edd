/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Replay memory: open addressing over a fixed array of token IDs.
 */
#include "autoconf.h"

#include <string.h>

#include "replay.h"

size_t
replay_table_size(size_t capacity)
{
	return sizeof(struct replay_table) +
	    capacity * sizeof(struct replay_entry);
}

void
replay_table_init(struct replay_table *table, size_t capacity)
{
	memset(table, 0, replay_table_size(capacity));
	table->capacity = capacity;
}

/* Token IDs are SHA-256 values, so any eight bytes are a fair hash. */
static size_t
replay_home(const struct replay_table *table, const unsigned char *id)
{
	uint64_t h;

	memcpy(&h, id, sizeof(h));
	return (size_t)(h % table->capacity);
}

enum replay_verdict
replay_remember(struct replay_table *table, const unsigned char *id,
    int64_t until, int64_t now)
{
	struct replay_entry *e, *free_entry = NULL;
	size_t home = replay_home(table, id), i;

	for (i = 0; i < REPLAY_PROBE && i < table->capacity; i++) {
		e = &table->entries[(home + i) % table->capacity];
		if (e->until > now &&
		    memcmp(e->id, id, VERIFIER_TOKEN_ID_LEN) == 0)
			return REPLAY_SEEN;
		/* Entries are never emptied, only expire, so a never used
		 * one ends the probe: the id cannot lie beyond it. */
		if (e->until == 0) {
			if (free_entry == NULL)
				free_entry = e;
			break;
		}
		if (free_entry == NULL && e->until <= now)
			free_entry = e;
	}

	if (free_entry == NULL)
		return REPLAY_FULL;
	memcpy(free_entry->id, id, VERIFIER_TOKEN_ID_LEN);
	free_entry->until = until;
	return REPLAY_NEW;
}

size_t
replay_count(const struct replay_table *table, int64_t now)
{
	size_t i, n = 0;

	for (i = 0; i < table->capacity; i++) {
		if (table->entries[i].until > now)
			n++;
	}
	return n;
}
