/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The state every authorizer process of a host shares: rate limit cells,
 * the replay memory and the metrics, in one file mapped by all of them,
 * under one process-shared lock.
 */
#ifndef XTOKEN_STATE_H
#define XTOKEN_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "bucket.h"
#include "metrics.h"
#include "replay.h"

struct state;

enum state_mode {
	STATE_CREATE,		/* open or create, as a serving process */
	STATE_ATTACH		/* open an existing file only, to read it */
};

/*
 * Map the state.  path NULL keeps it in this process's memory only (its
 * threads share it, other processes do not).  Otherwise the file is
 * created with mode 0600 if missing, and refused if it is not a regular
 * file owned by the effective user (root may attach to any) with no
 * permission for group or others, since whoever can write it can lift
 * every limit.  The file starts with a header naming its layout
 * (magic, version, sizes, replay_capacity): a process that is alone
 * with the file, which an open file description lock tells, sets it up
 * anew when the layout differs and always re-initialises the lock, so a
 * reboot or a process killed while holding it cannot wedge the file; a
 * process that finds others using a file of another layout refuses it,
 * since all must agree on its meaning.  Counters and memories in a file
 * of the same layout are kept.  STATE_ATTACH never creates or rewrites.
 * Returns NULL with a sentence in err.  *created (may be NULL) tells
 * whether the file was set up anew.
 */
struct state *state_open(const char *path, size_t replay_capacity,
    enum state_mode mode, bool *created, char *err, size_t errlen);

void state_close(struct state *st);

/*
 * Take the lock, waiting at most about a second.  Returns 0; 1 when the
 * previous holder died holding it (the lock is taken and made
 * consistent, the data may hold that holder's half-done update, which
 * for counters and time stamps costs at most one request's accounting);
 * -1 if the lock could not be had.
 */
int state_lock(struct state *st);
void state_unlock(struct state *st);

/* The tables; use them only between state_lock and state_unlock. */
struct bucket_table *state_buckets(struct state *st);
struct replay_table *state_replay(struct state *st);
struct metrics_table *state_metrics(struct state *st);

/* True when the state lives in a file other processes share. */
bool state_is_shared(const struct state *st);

#endif
