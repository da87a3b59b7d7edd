/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The FastCGI serving loop both programs share: where to listen, request
 * threads, and a clean stop on SIGTERM.
 */
#ifndef XTOKEN_FCGISRV_H
#define XTOKEN_FCGISRV_H

#include <stddef.h>
#include <fcgiapp.h>

/*
 * Open the listening socket.  spec NULL means the web server or spawn-fcgi
 * handed us one on fd 0 (returns 0, or -1 if fd 0 is not a listening
 * socket).  "unix:PATH" listens on a unix socket of mode 0660 (a stale
 * socket file is replaced; a live one, or a file that is not a socket, is
 * an error); "HOST:PORT" or "[V6ADDR]:PORT" listens on TCP, where HOST
 * is a numeric IP address (no name lookups) and is required so we never
 * bind every interface by accident.  Returns the
 * fd, or -1 with a sentence in err.  Never exits the process.
 */
int fcgisrv_listen(const char *spec, char *err, size_t errlen);

/*
 * Check spec as fcgisrv_listen would, without opening anything (for
 * --check).  Returns 0, or -1 with the same sentence in err.
 */
int fcgisrv_check_spec(const char *spec, char *err, size_t errlen);

typedef void (*fcgisrv_handler)(FCGX_Request *req, void *arg);

/*
 * Accept and serve requests on listen_fd with threads request threads,
 * calling handle once per request (FCGX_Accept_r / FCGX_Finish_r are done
 * here).  SIGTERM and SIGINT stop accepting, let requests in flight finish,
 * and return 0; this works in threaded mode too because the signals are
 * taken by one dedicated thread with sigwait.  Returns -1 if the threads
 * could not be started or the listening socket failed for good (logged).
 * SIGHUP does not stop serving; see fcgisrv_set_hup_hook.  The stop shuts
 * the listening socket down, and processes that share one socket (forked
 * by spawn-fcgi -F N) share that too: a SIGTERM to one of them stops them
 * all.  Use request threads rather than -F.
 */
int fcgisrv_serve(int listen_fd, int threads, fcgisrv_handler handle,
    void *arg);

/*
 * Called in the signal thread on each SIGHUP, while requests are being
 * served, so it must be safe to run next to the handler.  Without a hook
 * SIGHUP is only logged.  Set it before fcgisrv_serve.
 */
typedef void (*fcgisrv_hup_hook)(void *arg);
void fcgisrv_set_hup_hook(fcgisrv_hup_hook hook, void *arg);

/*
 * Why the last fcgisrv_serve returned, for the program's one stop line:
 * "on SIGTERM" or "on SIGINT" after a requested stop, else "".
 */
const char *fcgisrv_stop_reason(void);

/* A request parameter, or NULL.  The first one wins when sent twice. */
const char *fcgisrv_param(FCGX_Request *req, const char *name);

#endif
