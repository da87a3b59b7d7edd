/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The whole token check: parse, pick the key, verify, check the claims.
 */
#ifndef XTOKEN_VERIFIER_H
#define XTOKEN_VERIFIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "reason.h"
#include "claims.h"

#define VERIFIER_KID_MAX	128

/* Longest jti (bytes) that counts; a longer one counts as no jti. */
#define VERIFIER_JTI_MAX	256
#define VERIFIER_TOKEN_ID_LEN	32

struct verifier;

/* What a check found.  app_id is the claim as sent; trust it only on OK. */
struct verify_result {
	enum reason_code reason;
	char		 app_id[CLAIMS_APP_ID_MAX + 1];
	char		 kid[VERIFIER_KID_MAX + 1];	/* key used, or "" */
	const char	*alg;		/* "RS512", or NULL if never known */
	int64_t		 exp;		/* expiry of an accepted token */
	bool		 signature_ok;	/* app_id is vouched for by a key */
	bool		 has_jti;	/* token_id is set */
	/* SHA-256 of appId, a NUL byte and the jti claim (a string of 1 to
	 * VERIFIER_JTI_MAX bytes), set on an accepted token: it names one
	 * token of one caller for replay checks without storing the jti. */
	unsigned char	 token_id[VERIFIER_TOKEN_ID_LEN];
};

/*
 * Called once per step by verifier_explain: step is a short name ("alg",
 * "key", "signature", ...) and detail one sentence about what was found.
 * Details may quote the decoded header and claims, never the signature.
 */
typedef void (*verifier_trace)(void *arg, const char *step,
    const char *detail);

/*
 * Build a verifier from cfg: load and check every key in cfg->keys_dir,
 * read the access rules of cfg->policy_path when set, and prepare the
 * algorithms.  The verifier keeps no pointer into cfg.
 * Returns NULL with a sentence in err naming the setting or the key file
 * that is wrong.  A verifier is immutable apart from its cache of
 * accepted tokens (cfg->token_cache entries, none if 0), which locks
 * itself, so threads may share it.
 */
struct verifier *verifier_new(const struct config *cfg, char *err,
    size_t errlen);

void verifier_free(struct verifier *v);

/* Number of keys, and of applications, loaded. */
size_t verifier_key_count(const struct verifier *v);
size_t verifier_app_count(const struct verifier *v);

/* Whether access rules were loaded, and how many. */
bool verifier_has_rules(const struct verifier *v);
size_t verifier_rule_count(const struct verifier *v);

/*
 * May app_id, whose token verifier_check accepted, call method on uri?
 * method and uri must be REQUEST_METHOD and REQUEST_URI as the web server
 * set them, never a header the client chose.  Without access rules every
 * route is allowed; with them see policy_check: REASON_OK,
 * REASON_ROUTE_NOT_ALLOWED or REASON_BAD_PATH.
 */
enum reason_code verifier_check_route(const struct verifier *v,
    const char *app_id, const char *method, const char *uri);

/*
 * Check token (len bytes, need not be NUL-terminated) at time now (seconds
 * since the epoch).  Fails closed: result->reason starts as an internal
 * error and becomes REASON_OK only after every check has passed.  Returns
 * result->reason.  A token this verifier accepted twice is remembered
 * (the first acceptance only notes a fingerprint, so a token sent once
 * costs no digest), found by the SHA-256 of its bytes and accepted again
 * without parsing or signature check while its time claims hold at now;
 * verdict and result are the same as without the cache.
 */
enum reason_code verifier_check(const struct verifier *v, const char *token,
    size_t len, int64_t now, struct verify_result *result);

/* The same check without the cache, reporting each step to trace (for
 * xtoken-verify). */
enum reason_code verifier_explain(const struct verifier *v,
    const char *token, size_t len, int64_t now, struct verify_result *result,
    verifier_trace trace, void *arg);

#endif
