/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Reloading the authorizer's settings and keys on SIGHUP without
 * stopping: a new set is built aside, then swapped in under a lock.
 */
#include "autoconf.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "reload.h"
#include "xtlog.h"

/* One complete set of settings and the keys loaded with them. */
struct reload_set {
	struct config	 cfg;
	struct verifier	*verifier;
};

struct reload {
	const struct config_options	*opts;
	pthread_rwlock_t		 lock;
	struct reload_set		*current;	/* under lock */
	/* The settings started with: some of them cannot change later. */
	struct reload_set		*initial;
	struct guard			*guard;		/* or NULL */
};

static void
reload_set_free(struct reload_set *set)
{
	if (set == NULL)
		return;
	verifier_free(set->verifier);
	config_free(&set->cfg);
	free(set);
}

/*
 * Request threads take the lock for reading all the time, one after the
 * other; with glibc's default a waiting writer could wait for ever.
 * Preferring the writer makes a reload wait only for the requests
 * already running.
 */
static int
reload_lock_init(pthread_rwlock_t *lock)
{
	pthread_rwlockattr_t attr;
	int r;

	if (pthread_rwlockattr_init(&attr) != 0)
		return -1;
	pthread_rwlockattr_setkind_np(&attr,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	r = pthread_rwlock_init(lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	return r == 0 ? 0 : -1;
}

struct reload *
reload_new(const struct config_options *opts, struct config *cfg,
    struct verifier *v)
{
	struct reload *rl;

	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	if ((rl->current = calloc(1, sizeof(*rl->current))) == NULL ||
	    reload_lock_init(&rl->lock) != 0) {
		free(rl->current);
		free(rl);
		return NULL;
	}

	rl->opts = opts;
	rl->current->cfg = *cfg;
	rl->current->verifier = v;
	rl->initial = rl->current;
	memset(cfg, 0, sizeof(*cfg));
	return rl;
}

void
reload_set_guard(struct reload *rl, struct guard *g)
{
	rl->guard = g;
}

void
reload_free(struct reload *rl)
{
	if (rl == NULL)
		return;
	if (rl->current != rl->initial)
		reload_set_free(rl->current);
	reload_set_free(rl->initial);
	pthread_rwlock_destroy(&rl->lock);
	free(rl);
}

void
reload_handle(FCGX_Request *req, void *arg)
{
	struct reload *rl = arg;
	struct authz az;

	pthread_rwlock_rdlock(&rl->lock);
	memset(&az, 0, sizeof(az));
	az.verifier = rl->current->verifier;
	az.realm = rl->current->cfg.realm;
	az.guard = rl->guard;
	az.metrics_path = rl->current->cfg.metrics_path;
	authz_handle(req, &az);
	pthread_rwlock_unlock(&rl->lock);
}

/* Build a complete new set; NULL with a sentence in err on any error. */
static struct reload_set *
reload_build(const struct config_options *opts, char *err, size_t errlen)
{
	struct reload_set *set;

	if ((set = calloc(1, sizeof(*set))) == NULL ||
	    config_init(&set->cfg) != 0) {
		snprintf(err, errlen, "out of memory");
		free(set);
		return NULL;
	}
	if (config_load_layers(&set->cfg, opts, err, errlen) != 0)
		goto fail;
	set->verifier = verifier_new(&set->cfg, err, errlen);
	if (set->verifier == NULL)
		goto fail;
	return set;

 fail:
	reload_set_free(set);
	return NULL;
}

static int
reload_str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* Append name to the list in buf ("listen, rate"). */
static void
reload_note(char *buf, size_t len, const char *name)
{
	size_t used = strlen(buf);

	snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

/*
 * The socket, the threads, the rate limits, the replay memory and their
 * shared state were set up at start and stay as they were: say so when
 * the settings now ask for something else, so nobody believes a reload
 * applied it.
 */
static void
reload_warn_fixed(const struct config *old, const struct config *new)
{
	char names[256] = "";

	if (reload_str_differs(old->listen, new->listen))
		reload_note(names, sizeof(names), "listen");
	if (old->threads != new->threads)
		reload_note(names, sizeof(names), "threads");
	if (reload_str_differs(old->rate, new->rate) ||
	    old->burst != new->burst ||
	    reload_str_differs(old->limits_path, new->limits_path))
		reload_note(names, sizeof(names), "rate, burst, limits");
	if (old->replay != new->replay ||
	    old->replay_capacity != new->replay_capacity)
		reload_note(names, sizeof(names), "replay");
	if (reload_str_differs(old->state_file, new->state_file) ||
	    reload_str_differs(old->redis, new->redis) ||
	    reload_str_differs(old->redis_failure, new->redis_failure) ||
	    old->redis_timeout != new->redis_timeout)
		reload_note(names, sizeof(names), "state_file, redis");

	if (names[0] != '\0')
		xtlog_warn("reload: %s changed; they keep the values "
		    "started with until the next start", names);
}

void
reload_hup(void *arg)
{
	struct reload *rl = arg;
	struct reload_set *set, *old;
	char err[1024];

	set = reload_build(rl->opts, err, sizeof(err));
	if (set == NULL) {
		/* Only this thread ever writes current: no lock to read it. */
		xtlog_error("reload refused, still using the %zu key%s loaded "
		    "before: %s", verifier_key_count(rl->current->verifier),
		    verifier_key_count(rl->current->verifier) == 1 ? "" : "s",
		    err);
		return;
	}
	reload_warn_fixed(&rl->initial->cfg, &set->cfg);

	pthread_rwlock_wrlock(&rl->lock);
	old = rl->current;
	rl->current = set;
	pthread_rwlock_unlock(&rl->lock);

	/* The settings started with stay for the comparison above. */
	if (old == rl->initial) {
		verifier_free(old->verifier);
		old->verifier = NULL;
	} else
		reload_set_free(old);

	xtlog_hold_lines(set->cfg.log_flush);
	xtlog_info("reloaded: %zu key%s of %zu application%s from %s, "
	    "algorithm %s", verifier_key_count(set->verifier),
	    verifier_key_count(set->verifier) == 1 ? "" : "s",
	    verifier_app_count(set->verifier),
	    verifier_app_count(set->verifier) == 1 ? "" : "s",
	    set->cfg.keys_dir, set->cfg.algorithm);
}
