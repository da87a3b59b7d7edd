/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The answer cache of xtoken-api.  An answer is kept together with the
 * database header read while SQLite's shared lock was held for the query
 * that built it, and served again only while a fresh read of the header
 * gives the same 100 bytes.
 *
 * Why an unlocked read of the header is enough: in rollback-journal mode
 * a writer changes the file only while it holds the exclusive lock, and
 * every commit writes page 1 with the file change counter (offset 24)
 * incremented, before the commit point (the journal is deleted, truncated
 * or zeroed).  So once a commit has returned, any later read sees the new
 * counter and misses.  A read during a commit sees either the new counter
 * (a miss: the query then waits on SQLite's lock) or, before page 1 is
 * written, the old one: the commit has not happened yet and the kept
 * answer is still the last committed state.  A torn read mixes old and
 * new bytes, so it matches only if it is all old.  A writer that died
 * leaves a hot journal: its rollback restores the old page 1 with the old
 * data, so the old answer is right again.  SQLite's own page cache trusts
 * the same bytes (24 to 39) to tell whether another process changed the
 * file; comparing all 100 is stricter still.
 *
 * In WAL mode (bytes 18 and 19 are 2) commits go to the -wal file and
 * page 1 need not change, so nothing is served from the cache then.  The
 * switch to WAL and back each write page 1 in rollback mode, so the
 * counter has moved on when the file is in rollback mode again.
 *
 * A file replaced by rename leaves SQLite reading the old file, as it did
 * before this cache; our descriptor stays on it too, so the two agree.
 * An answer is only kept when both are on the file at the path.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "errbuf.h"
#include "ucache.h"

/* Slot 0 holds the list; ids share the others by their remainder. */
#define UCACHE_SLOTS	64

struct ucache_slot {
	long long		 key;
	unsigned char		 hdr[UCACHE_HDR];
	struct ucache_answer	*ans;
};

struct ucache {
	/*
	 * Closing any descriptor of a file drops every POSIX lock the
	 * process holds on it, SQLite's included: so fd is opened once,
	 * before SQLite opens the file, and closed after SQLite is done.
	 */
	int			 fd;
	char			*path;
	pthread_mutex_t		 lock;
	struct ucache_slot	 slots[UCACHE_SLOTS];
};

struct ucache *
ucache_open(const char *path, char *err, size_t errlen)
{
	struct ucache *uc;

	if ((uc = calloc(1, sizeof(*uc))) == NULL ||
	    (uc->path = strdup(path)) == NULL) {
		errbuf_set(err, errlen, "out of memory");
		goto fail;
	}
	uc->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (uc->fd < 0) {
		errbuf_set(err, errlen, "cannot open database %s: %s", path,
		    strerror(errno));
		goto fail;
	}
	pthread_mutex_init(&uc->lock, NULL);
	return uc;
 fail:
	if (uc != NULL)
		free(uc->path);
	free(uc);
	return NULL;
}

void
ucache_close(struct ucache *uc)
{
	int i;

	if (uc == NULL)
		return;
	for (i = 0; i < UCACHE_SLOTS; i++)
		ucache_answer_drop(uc->slots[i].ans);
	close(uc->fd);
	pthread_mutex_destroy(&uc->lock);
	free(uc->path);
	free(uc);
}

int
ucache_read_header(struct ucache *uc, unsigned char hdr[UCACHE_HDR])
{
	if (pread(uc->fd, hdr, UCACHE_HDR, 0) != UCACHE_HDR)
		return -1;
	/* File format write and read versions: 1 legacy, 2 WAL. */
	if (hdr[18] != 1 || hdr[19] != 1)
		return -1;
	return 0;
}

static struct ucache_slot *
ucache_slot(struct ucache *uc, long long key)
{
	if (key <= 0)
		return &uc->slots[0];
	return &uc->slots[1 + key % (UCACHE_SLOTS - 1)];
}

struct ucache_answer *
ucache_get(struct ucache *uc, long long key,
    const unsigned char hdr[UCACHE_HDR])
{
	struct ucache_slot *s = ucache_slot(uc, key);
	struct ucache_answer *ans = NULL;

	pthread_mutex_lock(&uc->lock);
	if (s->ans != NULL && s->key == key &&
	    memcmp(s->hdr, hdr, UCACHE_HDR) == 0) {
		ans = s->ans;
		atomic_fetch_add(&ans->refs, 1);
	}
	pthread_mutex_unlock(&uc->lock);
	return ans;
}

/* Whether fd and the path name the same file now. */
static int
ucache_fd_at_path(struct ucache *uc)
{
	struct stat fst, pst;

	if (fstat(uc->fd, &fst) != 0 || stat(uc->path, &pst) != 0)
		return 0;
	return fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino;
}

int
ucache_check_locked(struct ucache *uc, sqlite3 *db,
    unsigned char hdr[UCACHE_HDR])
{
	int moved = 1;

	if (ucache_read_header(uc, hdr) != 0)
		return 0;

	/*
	 * The header must be the one of the file SQLite read: after a
	 * rename the two could be different files.
	 */
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED,
	    &moved) != SQLITE_OK || moved)
		return 0;
	return ucache_fd_at_path(uc);
}

void
ucache_put(struct ucache *uc, long long key,
    const unsigned char hdr[UCACHE_HDR], struct ucache_answer *ans)
{
	struct ucache_slot *s = ucache_slot(uc, key);
	struct ucache_answer *old;

	atomic_fetch_add(&ans->refs, 1);
	pthread_mutex_lock(&uc->lock);
	old = s->ans;
	s->key = key;
	memcpy(s->hdr, hdr, UCACHE_HDR);
	s->ans = ans;
	pthread_mutex_unlock(&uc->lock);
	ucache_answer_drop(old);
}

struct ucache_answer *
ucache_answer_new(int status, const char *head, size_t head_len,
    const char *body, size_t body_len)
{
	struct ucache_answer *ans;

	if (head_len + body_len < head_len ||
	    (ans = malloc(sizeof(*ans) + head_len + body_len)) == NULL)
		return NULL;
	atomic_init(&ans->refs, 1);
	ans->status = status;
	ans->head_len = head_len;
	ans->len = head_len + body_len;
	memcpy(ans->data, head, head_len);
	if (body_len > 0)
		memcpy(ans->data + head_len, body, body_len);
	return ans;
}

void
ucache_answer_drop(struct ucache_answer *ans)
{
	if (ans != NULL && atomic_fetch_sub(&ans->refs, 1) == 1)
		free(ans);
}
