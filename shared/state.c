/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The shared state file: layout, set-up, and the robust process-shared
 * mutex that guards it.
 *
 * One mutex rather than lock-free atomics: a rate limit step reads and
 * writes a cell, a replay step probes and writes an entry, and a metrics
 * step may claim a row, and each must be all-or-nothing against the other
 * processes.  The critical sections are a few hundred nanoseconds, so
 * one lock costs nothing measurable.  The mutex is robust: a process
 * killed while holding it does not wedge the others.
 */
#include "autoconf.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "state.h"

#define STATE_MAGIC	"XTOKST\r\n"	/* 8 bytes, no NUL */
#define STATE_VERSION	1
#define STATE_ALIGN	64

/* Bytes of the file locked with open file description locks: the first
 * while a process sets up or checks the file, the second for as long as
 * a process uses it (shared), so a process can tell it is alone. */
#define STATE_BYTE_SETUP	0
#define STATE_BYTE_USERS	1

struct state_header {
	char		magic[8];
	uint32_t	version;
	uint32_t	header_size;
	uint64_t	total_size;
	uint64_t	replay_capacity;
	uint32_t	bucket_slots;
	uint32_t	metrics_apps;
	uint32_t	metrics_reasons;
	uint32_t	reason_count;
	uint64_t	reason_names;	/* hash of every reason name */
	pthread_mutex_t	lock;
};

struct state_layout {
	size_t	buckets_off;
	size_t	metrics_off;
	size_t	replay_off;
	size_t	total;
};

struct state {
	int			 fd;		/* -1: process memory */
	void			*base;
	size_t			 size;
	struct state_header	*hdr;
	struct bucket_table	*buckets;
	struct metrics_table	*metrics;
	struct replay_table	*replay;
};

static size_t
state_align(size_t n)
{
	return (n + STATE_ALIGN - 1) / STATE_ALIGN * STATE_ALIGN;
}

static void
state_layout(size_t replay_capacity, struct state_layout *l)
{
	l->buckets_off = state_align(sizeof(struct state_header));
	l->metrics_off = state_align(l->buckets_off +
	    sizeof(struct bucket_table));
	l->replay_off = state_align(l->metrics_off +
	    sizeof(struct metrics_table));
	l->total = state_align(l->replay_off +
	    replay_table_size(replay_capacity));
}

/* The metrics count by reason code number, so a build whose codes differ
 * must not share counters with this one. */
static uint64_t
state_reason_names(void)
{
	uint64_t h = UINT64_C(14695981039346656037);
	const char *p;
	int i;

	for (i = 0; i < REASON_COUNT; i++) {
		for (p = reason_name((enum reason_code)i); ; p++) {
			h ^= (unsigned char)*p;
			h *= UINT64_C(1099511628211);
			if (*p == '\0')
				break;
		}
	}
	return h;
}

/* What the header of a file of our layout says, lock aside. */
static void
state_expected(struct state_header *h, size_t replay_capacity)
{
	struct state_layout l;

	state_layout(replay_capacity, &l);
	memset(h, 0, sizeof(*h));
	memcpy(h->magic, STATE_MAGIC, sizeof(h->magic));
	h->version = STATE_VERSION;
	h->header_size = sizeof(*h);
	h->total_size = l.total;
	h->replay_capacity = replay_capacity;
	h->bucket_slots = BUCKET_SLOTS;
	h->metrics_apps = METRICS_APPS;
	h->metrics_reasons = METRICS_REASONS;
	h->reason_count = REASON_COUNT;
	h->reason_names = state_reason_names();
}

static bool
state_header_matches(const struct state_header *got,
    const struct state_header *want)
{
	return memcmp(got, want, offsetof(struct state_header, lock)) == 0;
}

static int
state_init_lock(pthread_mutex_t *lock, bool shared)
{
	pthread_mutexattr_t attr;
	int rc;

	if (pthread_mutexattr_init(&attr) != 0)
		return -1;
	rc = pthread_mutexattr_setpshared(&attr, shared ?
	    PTHREAD_PROCESS_SHARED : PTHREAD_PROCESS_PRIVATE);
	if (rc == 0)
		rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
	if (rc == 0)
		rc = pthread_mutex_init(lock, &attr);
	pthread_mutexattr_destroy(&attr);
	return rc == 0 ? 0 : -1;
}

static void
state_point(struct state *st, size_t replay_capacity)
{
	struct state_layout l;
	char *base = st->base;

	state_layout(replay_capacity, &l);
	st->hdr = st->base;
	st->buckets = (struct bucket_table *)(void *)(base + l.buckets_off);
	st->metrics = (struct metrics_table *)(void *)(base + l.metrics_off);
	st->replay = (struct replay_table *)(void *)(base + l.replay_off);
}

/* An OFD lock on one byte: type F_WRLCK, F_RDLCK or F_UNLCK. */
static int
state_lock_byte(int fd, off_t byte, short type, bool wait)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = byte;
	fl.l_len = 1;
	return fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &fl);
}

static struct state *
state_new_private(size_t replay_capacity, char *err, size_t errlen)
{
	struct state_layout l;
	struct state *st;

	state_layout(replay_capacity, &l);
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		goto fail;
	st->fd = -1;
	st->size = l.total;
	st->base = mmap(NULL, l.total, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (st->base == MAP_FAILED)
		goto fail;
	state_point(st, replay_capacity);
	state_expected(st->hdr, replay_capacity);
	replay_table_init(st->replay, replay_capacity);
	if (state_init_lock(&st->hdr->lock, false) != 0) {
		munmap(st->base, st->size);
		goto fail;
	}
	return st;
fail:
	free(st);
	snprintf(err, errlen, "cannot allocate %zu bytes for the rate limit, "
	    "replay and metrics state", l.total);
	return NULL;
}

/* Whoever can write the file can lift every limit. */
static int
state_check_file(int fd, const char *path, enum state_mode mode, char *err,
    size_t errlen)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0) {
		snprintf(err, errlen, "state_file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "state_file %s is not a regular file",
		    path);
		return -1;
	}
	if (mode == STATE_ATTACH && geteuid() == 0)
		return 0;
	if (sb.st_uid != geteuid() || (sb.st_mode & 077) != 0) {
		snprintf(err, errlen, "state_file %s must belong to the user "
		    "running xtoken-authorizer (uid %ld) with mode 0600; "
		    "fix it or remove it", path, (long)geteuid());
		return -1;
	}
	return 0;
}

/* Alone with the file: give it our layout, and a fresh lock. */
static int
state_setup(struct state *st, const struct state_header *want,
    bool *created, const char *path, char *err, size_t errlen)
{
	struct state_header got;
	struct stat sb;
	ssize_t n;

	memset(&got, 0, sizeof(got));
	n = pread(st->fd, &got, sizeof(got), 0);
	if (fstat(st->fd, &sb) != 0 || n != (ssize_t)sizeof(got) ||
	    !state_header_matches(&got, want) ||
	    (uint64_t)sb.st_size != want->total_size) {
		if (ftruncate(st->fd, 0) != 0 ||
		    ftruncate(st->fd, (off_t)want->total_size) != 0) {
			snprintf(err, errlen, "state_file %s: cannot size it "
			    "to %llu bytes: %s", path,
			    (unsigned long long)want->total_size,
			    strerror(errno));
			return -1;
		}
		*created = true;
	}
	return 0;
}

static int
state_map(struct state *st, const struct state_header *want,
    const char *path, char *err, size_t errlen)
{
	struct stat sb;

	if (fstat(st->fd, &sb) != 0 ||
	    (uint64_t)sb.st_size != want->total_size) {
		snprintf(err, errlen, "state_file %s has the wrong size for "
		    "its layout; stop every xtoken-authorizer and remove it",
		    path);
		return -1;
	}
	st->size = want->total_size;
	st->base = mmap(NULL, st->size, PROT_READ | PROT_WRITE, MAP_SHARED,
	    st->fd, 0);
	if (st->base == MAP_FAILED) {
		st->base = NULL;
		snprintf(err, errlen, "state_file %s: cannot map it: %s",
		    path, strerror(errno));
		return -1;
	}
	state_point(st, want->replay_capacity);
	return 0;
}

/* Read the header of a file in use to learn its replay capacity. */
static int
state_read_header(int fd, struct state_header *h, const char *path,
    char *err, size_t errlen)
{
	if (pread(fd, h, sizeof(*h), 0) != (ssize_t)sizeof(*h) ||
	    memcmp(h->magic, STATE_MAGIC, sizeof(h->magic)) != 0) {
		snprintf(err, errlen, "state_file %s is not an xtoken state "
		    "file", path);
		return -1;
	}
	return 0;
}

/*
 * With the set-up byte held: become a user of the file, set it up if we
 * are alone, else check that its layout is ours.
 */
static int
state_join(struct state *st, size_t replay_capacity, enum state_mode mode,
    bool *created, const char *path, char *err, size_t errlen)
{
	struct state_header want, got;
	bool alone;

	alone = state_lock_byte(st->fd, STATE_BYTE_USERS, F_WRLCK,
	    false) == 0;
	if (mode == STATE_ATTACH || !alone) {
		if (state_read_header(st->fd, &got, path, err, errlen) != 0)
			return -1;
		if (mode == STATE_ATTACH)
			replay_capacity = got.replay_capacity;
	}
	state_expected(&want, replay_capacity);

	if (mode == STATE_ATTACH || !alone) {
		if (!state_header_matches(&got, &want)) {
			snprintf(err, errlen, "state_file %s is in use with "
			    "another layout (replay_capacity %llu, or another "
			    "xtoken version); give every xtoken-authorizer "
			    "the same settings", path,
			    (unsigned long long)got.replay_capacity);
			return -1;
		}
	} else if (state_setup(st, &want, created, path, err, errlen) != 0) {
		return -1;
	}
	if (state_map(st, &want, path, err, errlen) != 0)
		return -1;
	if (*created) {
		memcpy(st->hdr, &want, offsetof(struct state_header, lock));
		replay_table_init(st->replay, replay_capacity);
	}

	/* Nobody else maps the file, so nobody holds its lock. */
	if (alone && state_init_lock(&st->hdr->lock, true) != 0) {
		snprintf(err, errlen, "state_file %s: cannot set up its lock",
		    path);
		return -1;
	}
	if (state_lock_byte(st->fd, STATE_BYTE_USERS, F_RDLCK, false) != 0) {
		snprintf(err, errlen, "state_file %s: cannot lock it: %s",
		    path, strerror(errno));
		return -1;
	}
	return 0;
}

struct state *
state_open(const char *path, size_t replay_capacity, enum state_mode mode,
    bool *created, char *err, size_t errlen)
{
	struct state *st;
	bool made = false;
	int flags = O_RDWR | O_NOFOLLOW | O_CLOEXEC;

	if (created == NULL)
		created = &made;
	*created = false;
	if (replay_capacity < REPLAY_MIN_CAPACITY)
		replay_capacity = REPLAY_MIN_CAPACITY;
	if (path == NULL)
		return state_new_private(replay_capacity, err, errlen);

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (mode == STATE_CREATE)
		flags |= O_CREAT;
	st->fd = open(path, flags, 0600);
	if (st->fd < 0) {
		snprintf(err, errlen, "state_file %s: cannot open it: %s",
		    path, strerror(errno));
		goto fail;
	}
	if (state_check_file(st->fd, path, mode, err, errlen) != 0)
		goto fail;
	if (state_lock_byte(st->fd, STATE_BYTE_SETUP, F_WRLCK, true) != 0) {
		snprintf(err, errlen, "state_file %s: cannot lock it: %s",
		    path, strerror(errno));
		goto fail;
	}
	if (state_join(st, replay_capacity, mode, created, path, err,
	    errlen) != 0)
		goto fail;
	state_lock_byte(st->fd, STATE_BYTE_SETUP, F_UNLCK, false);
	return st;
fail:
	state_close(st);
	return NULL;
}

void
state_close(struct state *st)
{
	if (st == NULL)
		return;
	if (st->base != NULL)
		munmap(st->base, st->size);
	/* Closing the last descriptor drops the file's locks. */
	if (st->fd >= 0)
		close(st->fd);
	free(st);
}

int
state_lock(struct state *st)
{
	struct timespec until;
	int rc;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	rc = pthread_mutex_timedlock(&st->hdr->lock, &until);
	if (rc == 0)
		return 0;
	if (rc == EOWNERDEAD) {
		pthread_mutex_consistent(&st->hdr->lock);
		return 1;
	}
	return -1;
}

void
state_unlock(struct state *st)
{
	pthread_mutex_unlock(&st->hdr->lock);
}

struct bucket_table *
state_buckets(struct state *st)
{
	return st->buckets;
}

struct replay_table *
state_replay(struct state *st)
{
	return st->replay;
}

struct metrics_table *
state_metrics(struct state *st)
{
	return st->metrics;
}

bool
state_is_shared(const struct state *st)
{
	return st->fd >= 0;
}
