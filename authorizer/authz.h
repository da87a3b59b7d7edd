/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * One authorization decision per FastCGI request.
 */
#ifndef XTOKEN_AUTHZ_H
#define XTOKEN_AUTHZ_H

#include <stddef.h>

#include <fcgiapp.h>

#include "reason.h"
#include "verifier.h"

struct guard;

struct authz {
	const struct verifier	*verifier;
	const char		*realm;
	struct guard		*guard;		/* NULL: no rate, replay,
						   metrics */
	const char		*metrics_path;	/* NULL: not served */
};

/*
 * Find the token of a request: the x-token header, or the credentials of
 * an "Authorization: Bearer" header.  When both are sent they must be the
 * same token, so no front server or proxy can be played against another
 * by sending two.  Returns REASON_OK with *token and *len set,
 * REASON_NO_TOKEN, or REASON_AMBIGUOUS_TOKEN.  Either header may be NULL.
 */
enum reason_code authz_find_token(const char *x_token,
    const char *authorization, const char **token, size_t *len);

/*
 * fcgisrv handler: serve the metrics when called as a Responder at
 * metrics_path; otherwise decide, answer with an explicit Status line
 * (200 with Variable-APP_ID, or a refusal), and log one line.  arg is a
 * struct authz.
 * Never reads the request body: front servers send none to an authorizer,
 * and lighttpd does not even close the stream, so a read would block.
 */
void authz_handle(FCGX_Request *req, void *arg);

#endif
