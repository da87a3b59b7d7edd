/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The path of a request, in the one form access rules are matched against.
 */
#ifndef XTOKEN_PATHNORM_H
#define XTOKEN_PATHNORM_H

#include <stddef.h>

/* Longest path, before and after decoding, that is judged at all. */
#define PATHNORM_MAX	4096

/*
 * Normalise the path of uri, the request target exactly as the client
 * sent it (REQUEST_URI): drop the query from the first '?', decode every
 * %XX escape once, then remove "." and ".." segments (RFC 3986 section
 * 5.2.4) and collapse runs of '/' into one.  A trailing '/' is kept, and
 * letter case is never changed.
 *
 * Anything that two programs could read as two different paths is
 * refused rather than guessed at: a target not starting with '/', a '#',
 * an invalid escape, an encoded '/' or '%', a '\' or ';', a NUL or other
 * control character, bytes that are not strict UTF-8 (overlong forms
 * included), a ".." that climbs above the root, and a path longer than
 * PATHNORM_MAX bytes.
 *
 * Writes the normalised path, NUL-terminated, into out (outlen bytes;
 * PATHNORM_MAX + 1 always suffices) and returns 0.  Returns -1 with *why
 * set to a short static phrase naming what was refused.
 */
int pathnorm_normalize(const char *uri, char *out, size_t outlen,
    const char **why);

#endif
