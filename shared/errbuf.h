/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The one way shared/ and the programs write an error sentence for their
 * caller.
 */
#ifndef XTOKEN_ERRBUF_H
#define XTOKEN_ERRBUF_H

#include <stddef.h>

/*
 * Format a sentence into err (errlen bytes, always NUL-terminated, cut
 * when too long).  err may be NULL or errlen 0: then nothing is written,
 * so callers that do not want the reason need not provide a buffer.
 */
void errbuf_set(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
