/*
 * Copyright (c) 2026 The xtoken developers
 * SPDX-License-Identifier: MIT
 *
 * The JWS compact serialization (RFC 7515 section 7.1): structure only.
 */
#ifndef XTOKEN_JWS_H
#define XTOKEN_JWS_H

#include <stddef.h>

#include <openssl/evp.h>

#include "alg.h"
#include "reason.h"

struct json_object;

/*
 * A token split and decoded, not yet trusted.  signing_input points into
 * the caller's token; header, payload and sig are owned and released by
 * jws_clear.
 */
struct jws {
	const char		*signing_input;	/* "header.payload" */
	size_t			 signing_input_len;
	struct json_object	*header;
	struct json_object	*payload;
	unsigned char		*sig;
	size_t			 sig_len;
	const char		*alg;		/* inside header */
	size_t			 alg_len;
};

/*
 * Split token (len bytes) into exactly three segments, decode each as
 * strict base64url, parse header and payload as strict JSON objects, and
 * read the header's alg.  Header members that would change how the token
 * must be read (crit: extensions we do not implement; enc and zip: it is a
 * JWE or compressed) are refused, since RFC 7515 section 4.1.11 requires a
 * recipient to reject what it does not understand; so is an alg that
 * alg_find does not know, before the payload is decoded.
 * Returns REASON_OK or the first reason the token is refused; on any
 * result the caller calls jws_clear.
 */
enum reason_code jws_parse(const char *token, size_t len, size_t max_len,
    struct jws *out);

/* Release what jws_parse allocated; safe on a zeroed or cleared struct. */
void jws_clear(struct jws *jws);

/*
 * Build a compact JWS: base64url(header) "." base64url(payload) "."
 * base64url(signature by pkey with alg).  header and payload are JSON
 * texts used byte for byte.  Returns a malloc'ed NUL-terminated token, or
 * NULL if signing failed.
 */
char *jws_sign(const struct alg *alg, EVP_PKEY *pkey, const char *header,
    const char *payload);

#endif
