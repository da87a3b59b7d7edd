/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * Access rules: which methods and paths each application may call.
 */
#ifndef XTOKEN_POLICY_H
#define XTOKEN_POLICY_H

#include <stddef.h>

#include "reason.h"

/*
 * A policy file holds one rule per line:
 *
 *	APPID  METHODS  PATH
 *
 * APPID is an application ID; METHODS is '*' (any method) or a comma
 * list of GET, HEAD, POST, PUT, PATCH, DELETE and OPTIONS; PATH is a
 * pattern in normal form (see pathnorm.h) where a segment '*' matches
 * exactly one non-empty segment and a last segment '**' matches the rest
 * of the path, including nothing (so "/users" followed by that last
 * segment matches "/users" itself too).
 * Blank lines are skipped and '#' starts a comment, at the start of a
 * line or after the three fields.  An application may call a route when
 * one of its rules matches; an application named by no rule may call
 * nothing.
 */
struct policy;

/*
 * Read the rules of the file at path into a table that is never changed
 * afterwards, so threads may share it.  Returns NULL with a sentence in
 * err naming the file, the line and what is wrong with it.
 */
struct policy *policy_load(const char *path, char *err, size_t errlen);

void policy_free(struct policy *p);

/* Number of rules, and of applications named by them. */
size_t policy_rule_count(const struct policy *p);
size_t policy_app_count(const struct policy *p);

/*
 * May app_id call method (REQUEST_METHOD) on uri (REQUEST_URI, the target
 * as the client sent it)?  The path of uri is normalised first and the
 * query never counts.  Returns REASON_OK, REASON_BAD_PATH when the path
 * is refused by pathnorm_normalize, or REASON_ROUTE_NOT_ALLOWED.  Only
 * values the web server sets may be passed here, never a header a client
 * can send.  A NULL method or uri is refused.
 */
enum reason_code policy_check(const struct policy *p, const char *app_id,
    const char *method, const char *uri);

#endif
