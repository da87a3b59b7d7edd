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
#include "claims.h"
#include "reason.h"
#include "tokjson.h"

/* The header members jws_parse picks, in this order. */
enum jws_header_member {
	JWS_ALG,
	JWS_KID,
	JWS_TYP,
	JWS_CRIT,
	JWS_ENC,
	JWS_ZIP,
	JWS_NHEADER
};

/* Longer than any algorithm name we know. */
#define JWS_ALG_MAX		15

/*
 * Decoded segments of a token of up to 8192 characters (the default
 * max_token_bytes) fit in the struct itself; a larger one takes one
 * allocation.
 */
#define JWS_INLINE_BYTES	(8192 / 4 * 3 + 16)

/*
 * A token split and decoded, not yet trusted.  signing_input points into
 * the caller's token; header and payload are the decoded JSON texts, each
 * followed by a NUL, and hdr and claim the members picked from them
 * (tokjson values pointing into those texts).  Everything lives in the
 * struct, or in storage that jws_clear releases.
 */
struct jws {
	const char		*signing_input;	/* "header.payload" */
	size_t			 signing_input_len;
	const char		*header;
	size_t			 header_len;
	const char		*payload;
	size_t			 payload_len;
	const unsigned char	*sig;
	size_t			 sig_len;
	struct tokjson_value	 hdr[JWS_NHEADER];
	struct tokjson_value	 claim[CLAIMS_NMEMBERS];
	char			 alg[JWS_ALG_MAX + 1];	/* decoded */
	size_t			 alg_len;
	unsigned char		*heap;		/* NULL: in inline_buf */
	unsigned char		 inline_buf[JWS_INLINE_BYTES];
};

/*
 * Split token (len bytes) into exactly three segments, decode each as
 * strict base64url, check header and payload as strict JSON objects
 * (tokjson_validate), picking the header members of enum
 * jws_header_member and the payload members of claims_member_names, and
 * read the header's alg.  Header members that would change how the token
 * must be read (crit: extensions we do not implement; enc and zip: it is a
 * JWE or compressed) are refused, since RFC 7515 section 4.1.11 requires a
 * recipient to reject what it does not understand; so is an alg that
 * alg_find does not know, before the payload is decoded.
 * Returns REASON_OK or the first reason the token is refused; on any
 * result the caller calls jws_clear.  Members of a text that was not
 * checked, or failed its check, read as TOKJSON_ABSENT.
 */
enum reason_code jws_parse(const char *token, size_t len, size_t max_len,
    struct jws *out);

/*
 * Release what jws_parse allocated; safe on a zeroed or cleared struct.
 * Clears only the pointers, not the decoded texts.
 */
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
