/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The /users resource of xtoken-api: its SQLite database and the answer to
 * one FastCGI request.
 */
#ifndef XTOKEN_USERS_H
#define XTOKEN_USERS_H

#include <stddef.h>
#include <fcgiapp.h>

/*
 * Read-only connections to the database, one per request thread, and the
 * answers kept from them.
 */
struct users_db;

/*
 * Create the users table in the database at path (creating the file if
 * needed) and insert the demo users that are not there yet, in one
 * transaction, so running it twice changes nothing.  Returns the number
 * of users added (0 on a second run), or -1 with a sentence in err.
 */
int users_init_db(const char *path, char *err, size_t errlen);

/*
 * Open the database at path read-only with nconn connections and prepare
 * the queries, so a missing file, a file that is not a database or one
 * without the users table is reported now rather than on the first
 * request.  Returns NULL with a sentence in err saying what to run.
 */
struct users_db *users_open(const char *path, int nconn, char *err,
    size_t errlen);

/* Number of users in the table, or -1 if the query failed. */
long users_count(struct users_db *udb);

/* Close every connection; udb may be NULL. */
void users_close(struct users_db *udb);

/*
 * Answer one request (an fcgisrv_handler; arg is the struct users_db).
 * GET or HEAD of /users lists every user ordered by id, /users/ID gives
 * one or 404; other paths are 404, other methods 405.  A request without
 * the APP_ID parameter, which the authorizer in front provides, is
 * refused with 403.  Every answer has an explicit Status and a JSON body,
 * and one line is logged per request.  Answers from the database are
 * kept and sent again while the file's header shows no commit since (see
 * ucache.h); the answer leaves in one write, with the end of the request.
 */
void users_handle(FCGX_Request *req, void *arg);

#endif
