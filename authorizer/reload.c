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
	char				*listen;	/* as started */
	long				 threads;	/* as started */
	pthread_rwlock_t		 lock;
	struct reload_set		*current;	/* under lock */
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
	    (cfg->listen != NULL &&
	    (rl->listen = strdup(cfg->listen)) == NULL) ||
	    reload_lock_init(&rl->lock) != 0) {
		free(rl->listen);
		free(rl->current);
		free(rl);
		return NULL;
	}

	rl->opts = opts;
	rl->threads = cfg->threads;
	rl->current->cfg = *cfg;
	rl->current->verifier = v;
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
	reload_set_free(rl->current);
	pthread_rwlock_destroy(&rl->lock);
	free(rl->listen);
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

/* The socket and the threads were set up at start and stay as they are. */
static void
reload_warn_fixed(const struct reload *rl, const struct config *new)
{
	if (reload_str_differs(rl->listen, new->listen))
		xtlog_warn("reload: listen is now \"%s\" in the settings; "
		    "still listening on \"%s\" until the next start",
		    new->listen ? new->listen : "fd 0",
		    rl->listen ? rl->listen : "fd 0");
	if (rl->threads != new->threads)
		xtlog_warn("reload: threads is now %ld in the settings; still "
		    "%ld until the next start", new->threads, rl->threads);
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
	reload_warn_fixed(rl, &set->cfg);

	pthread_rwlock_wrlock(&rl->lock);
	old = rl->current;
	rl->current = set;
	pthread_rwlock_unlock(&rl->lock);
	reload_set_free(old);

	xtlog_info("reloaded: %zu key%s of %zu application%s from %s, "
	    "algorithm %s", verifier_key_count(set->verifier),
	    verifier_key_count(set->verifier) == 1 ? "" : "s",
	    verifier_app_count(set->verifier),
	    verifier_app_count(set->verifier) == 1 ? "" : "s",
	    set->cfg.keys_dir, set->cfg.algorithm);
}
