/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Answers of xtoken-api kept while the SQLite database is unchanged, and
 * the one cheap read that tells whether it still is.
 */
#ifndef XTOKEN_UCACHE_H
#define XTOKEN_UCACHE_H

#include <stdatomic.h>
#include <stddef.h>

#include <sqlite3.h>

/* The database header: the first 100 bytes of the file. */
#define UCACHE_HDR	100

/*
 * One whole answer, header block then body, ready to send.  It is never
 * changed once made, so threads share it; the last ucache_answer_drop
 * frees it.
 */
struct ucache_answer {
	atomic_int	refs;
	int		status;		/* the HTTP status, for the log */
	size_t		head_len;	/* HEAD sends only this much */
	size_t		len;
	char		data[];
};

struct ucache;

/*
 * Open the cache of the database at path, with a read-only descriptor of
 * its own on the file.  Call it before SQLite opens the file, and
 * ucache_close after SQLite closed it (see ucache.c on POSIX locks).
 * Returns NULL with a sentence in err.
 */
struct ucache *ucache_open(const char *path, char *err, size_t errlen);

/* Drop every answer and close the descriptor; uc may be NULL. */
void ucache_close(struct ucache *uc);

/*
 * Read the database header into hdr with one pread.  Returns 0 when the
 * file is in rollback-journal mode (header bytes 18 and 19 are 1), the
 * only mode whose header changes on every commit; -1 otherwise, or if the
 * read failed: then nothing may be served from the cache.
 */
int ucache_read_header(struct ucache *uc, unsigned char hdr[UCACHE_HDR]);

/*
 * The answer kept for key while the header is still hdr (as read by
 * ucache_read_header just now, returning 0), with a reference the caller
 * drops; NULL if there is none.
 */
struct ucache_answer *ucache_get(struct ucache *uc, long long key,
    const unsigned char hdr[UCACHE_HDR]);

/*
 * Inside a read transaction of db, which holds SQLite's shared lock, read
 * the header into hdr and say whether an answer built in this
 * transaction may be kept: 1 if the file is in rollback-journal mode and
 * both db and our descriptor are on the file now at the path, else 0.
 */
int ucache_check_locked(struct ucache *uc, sqlite3 *db,
    unsigned char hdr[UCACHE_HDR]);

/*
 * Keep ans (taking a reference of its own) as the answer for key while the
 * header is hdr, read by ucache_check_locked in the transaction that
 * built ans.  It replaces what key, or another key sharing its slot, had.
 */
void ucache_put(struct ucache *uc, long long key,
    const unsigned char hdr[UCACHE_HDR], struct ucache_answer *ans);

/*
 * A new answer of head_len + body_len bytes with HTTP status status and
 * one reference, or NULL when out of memory.
 */
struct ucache_answer *ucache_answer_new(int status, const char *head,
    size_t head_len, const char *body, size_t body_len);

/* Drop one reference; ans may be NULL. */
void ucache_answer_drop(struct ucache_answer *ans);

#endif
