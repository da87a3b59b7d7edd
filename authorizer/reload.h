/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The authorizer's current settings and keys, replaced as a whole on
 * SIGHUP while requests are being answered.
 */
#ifndef XTOKEN_RELOAD_H
#define XTOKEN_RELOAD_H

#include <fcgiapp.h>

#include "config.h"
#include "verifier.h"

struct reload;

/*
 * Take over cfg (its contents move into the result; cfg is left empty
 * and need not be freed) and v, both already loaded and checked, and
 * remember opts to read the same layers again on each reload (opts and
 * the strings it points to must outlive the result).  Returns NULL if
 * out of memory, leaving cfg and v with the caller.
 */
struct reload *reload_new(const struct config_options *opts,
    struct config *cfg, struct verifier *v);

struct guard;

/*
 * Let every request use g for rate limits, replay checks and metrics.
 * g lives as long as the process: a reload does not replace it, since
 * it holds the state shared with other processes and the Redis client.
 */
void reload_set_guard(struct reload *rl, struct guard *g);

/* Free the current settings and keys.  Call only after serving ended. */
void reload_free(struct reload *rl);

/*
 * fcgisrv handler (arg is a struct reload): answer one request with
 * authz_handle using the settings and keys current when it started; a
 * reload waits until the requests using the old ones have finished.
 */
void reload_handle(FCGX_Request *req, void *arg);

/*
 * fcgisrv SIGHUP hook (arg is a struct reload): read the configuration
 * file, the environment and the command-line settings again, load the
 * keys again, and switch every later request to them at once.  If any
 * of it fails, the error is logged and the current settings and keys
 * stay in use.  Logs one line either way.  The settings of what was set
 * up at start (listen, threads, rate limits, replay memory, state_file,
 * redis) cannot change while serving: a new value there is reported with
 * a warning and takes effect at the next start.
 */
void reload_hup(void *arg);

#endif
